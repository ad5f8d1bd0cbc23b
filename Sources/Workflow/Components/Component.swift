import Foundation

/// The state of a city component (部件). `normal` (完好) is what the component record once called `intact`.
public enum ComponentState: String, Sendable, Codable, CaseIterable {
    case normal, damaged, missing, abandoned, removed

    /// The value `component.state` holds: `intact` for normal (the v1 schema's name, kept), the others as named.
    /// Component history and census records hold the names themselves.
    public var stored: String { self == .normal ? "intact" : rawValue }

    /// A `component.state` value read back.
    public init?(stored: String) {
        if stored == "intact" { self = .normal } else if stored == "normal" { return nil } else { self.init(rawValue: stored) }
    }

    /// The names an import file may use: today's, and `intact`, the old name of `normal`.
    public init?(importName text: String) {
        let lowered = text.trimmedWhitespace.lowercased()
        if lowered == "intact" { self = .normal } else { self.init(rawValue: lowered) }
    }
}

/// What closing a component case makes of its component: repaired (`normal`), or taken away (`removed`).
public enum ComponentOutcome: String, Sendable, Codable, CaseIterable {
    case normal, removed

    public var state: ComponentState { self == .normal ? .normal : .removed }
}

/// A component with its identity (16-digit id: district 6 + class 4 + serial 6), owner and place.
public struct Component: Sendable, Equatable {
    public var id: String
    /// The class: a component category's 4-digit code (large class 2 + small class 2).
    public var classCode: String
    public var name: String
    /// The owning department; nil when the owner is not known (the class's department then handles its cases).
    public var department: String?
    public var cellCode: String
    public var state: ComponentState
    public var updatedAt: Date

    public init(id: String, classCode: String, name: String, department: String?, cellCode: String, state: ComponentState, updatedAt: Date) {
        self.id = id; self.classCode = classCode; self.name = name; self.department = department
        self.cellCode = cellCode; self.state = state; self.updatedAt = updatedAt
    }

    /// Whether `text` has the form of a component id: 16 ASCII digits.
    public static func isWellFormedID(_ text: String) -> Bool { text.count == 16 && text.allSatisfy(\.isASCIIDigit) }

    /// The class code inside an id (digits 7 to 10).
    public static func classCode(of id: String) -> String { String(id.dropFirst(6).prefix(4)) }

    /// Refuses anything but 16 digits, saying what an id is made of.
    public static func validateID(_ text: String) throws(WorkflowError) {
        guard isWellFormedID(text) else {
            throw .invalidInput("component id '\(text)' must be 16 digits: district 6 + class 4 + serial 6")
        }
    }
}

/// One row of a component's history: what a case or a census did to it.
public struct ComponentHistoryEntry: Sendable, Equatable {
    public var seq: Int
    public var at: Date
    public var actorLogin: String?
    /// `case-opened`, `case-closed`, `case-cancelled`, `case-reopened`, `census-confirm`, `census-correct`,
    /// `census-add`, `census-retire`.
    public var action: String
    public var from: ComponentState?
    public var to: ComponentState
    public var caseID: Int64?
    public var censusID: Int64?
    public var note: String?

    public init(seq: Int, at: Date, actorLogin: String?, action: String, from: ComponentState?, to: ComponentState,
                caseID: Int64?, censusID: Int64?, note: String?) {
        self.seq = seq; self.at = at; self.actorLogin = actorLogin; self.action = action; self.from = from; self.to = to
        self.caseID = caseID; self.censusID = censusID; self.note = note
    }
}

/// A component with its history and the names a reader needs.
public struct ComponentDetail: Sendable, Equatable {
    public var component: Component
    public var className: (zh: String, en: String)?
    public var departmentName: (zh: String, en: String)?
    /// Its open cases, newest first.
    public var openCases: [Int64]
    public var history: [ComponentHistoryEntry]

    public static func == (a: Self, b: Self) -> Bool {
        a.component == b.component && a.className?.zh == b.className?.zh && a.className?.en == b.className?.en
            && a.departmentName?.zh == b.departmentName?.zh && a.openCases == b.openCases && a.history == b.history
    }
}

/// Why a case goes to the department it goes to.
public enum RoutingReason: String, Sendable, Codable {
    /// The component the case is about has this owner (先属主: the owner first).
    case componentOwner = "component-owner"
    /// The category's default department (a component without a known owner, or an event).
    case categoryDefault = "category-default"
    /// Someone chose it (the shift lead at filing, or a dispatcher).
    case chosen
    /// The category is community-level (小事不出社区) and the community holding the cell is a handling unit: a filed case
    /// waiting for dispatch goes there (issue 18, 三级处置).
    case communityLevel = "community-level"
}

/// Where a case goes and why.
public struct Routing: Sendable, Equatable {
    public var department: String
    public var reason: RoutingReason
    /// The component whose owner decided, or which had no owner.
    public var componentID: String?

    public init(department: String, reason: RoutingReason, componentID: String?) {
        self.department = department; self.reason = reason; self.componentID = componentID
    }
}

/// The rules of components through cases and routing. Pure: the store looks things up and writes the result.
public enum ComponentRules {

    /// The department a case is routed to: the one asked for; else, for a component case whose component has an
    /// owner, that owner (先属主后属地); else the category's.
    public static func route(kind: CategoryKind, category: Category, componentID: String?, componentOwner: String?,
                             asked: String?) -> Routing {
        if let asked, !asked.isEmpty {
            if kind == .component, asked == componentOwner { return Routing(department: asked, reason: .componentOwner, componentID: componentID) }
            if asked == category.department { return Routing(department: asked, reason: .categoryDefault, componentID: componentID) }
            return Routing(department: asked, reason: .chosen, componentID: componentID)
        }
        if kind == .component, let componentOwner {
            return Routing(department: componentOwner, reason: .componentOwner, componentID: componentID)
        }
        return Routing(department: category.department, reason: .categoryDefault, componentID: componentID)
    }

    /// A case about the component opens (a report, or an unmerge reopening one): a component in working order is
    /// `damaged` while the case is open; one already damaged, missing or abandoned stays as it is (nil: no change).
    /// A removed component takes no new case.
    public static func stateOnOpen(_ current: ComponentState, componentID: String) throws(WorkflowError) -> ComponentState? {
        switch current {
        case .normal: return .damaged
        case .damaged, .missing, .abandoned: return nil
        case .removed:
            throw .wrongState("component \(componentID) is removed; a case cannot be about it (choose another component or none)")
        }
    }

    /// A case about the component ends. `closed`: it was closed (the problem is dealt with), with the outcome chosen
    /// at close (nil: `normal`); else it was cancelled, rejected or merged, and the component goes back to the state
    /// it had before the case opened (`before`). While another case about it is still open, a component stays as it
    /// is, unless this close removed it. Returns nil when nothing changes.
    public static func stateOnEnd(_ current: ComponentState, closed: Bool, outcome: ComponentOutcome?, before: ComponentState?,
                                  otherOpenCases: Int) -> ComponentState? {
        let next: ComponentState
        if closed {
            let outcome = outcome ?? .normal
            if outcome == .normal, otherOpenCases > 0 { return nil }
            next = outcome.state
        } else {
            guard otherOpenCases == 0, let before, current == .damaged else { return nil }
            next = before
        }
        return next == current ? nil : next
    }

    /// The outcome asked for at close, checked: only `close` takes one, and only for a case about a component.
    public static func checkOutcome(_ outcome: ComponentOutcome?, action: CaseAction, caseID: Int64, componentID: String?) throws(WorkflowError) {
        guard let outcome else { return }
        guard action.spec.takesComponentOutcome else {
            throw .invalidInput("\(action.rawValue) does not set a component's state; only close does (\(outcome.rawValue) was given)")
        }
        guard componentID != nil else {
            throw .invalidInput("case \(caseID) is about no component; a component state at close does not apply")
        }
    }
}
