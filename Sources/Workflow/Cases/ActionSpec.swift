/// What each case action needs, who may take it and from which states: declared once, in `CaseAction.spec`.
/// The lifecycle checks against it, the store resolves arguments by it, and every front end (the CLI's
/// `case ACTION` and `bulk`, the console's forms, its `:` line and completion) derives its arguments from it.

/// The one argument an action points at, besides the case.
public enum ActionTarget: Sendable, Equatable, CaseIterable {
    /// Nothing: the action takes no target.
    case none
    /// An inspector of the case's patrol area (verify, check).
    case inspector
    /// A department, or from the city command center a district command center (dispatch).
    case departmentOrCenter
    /// Another case, the one that survives (merge).
    case caseID
    /// An inspector for a verify or check task, a department or a district command center for a dispatched case (reassign).
    case inspectorDepartmentOrCenter
    /// A district command center; without one, the command center of the case's own district (return-to-district).
    case optionalDistrictCenter

    /// Whether the action is refused without a target.
    public var isRequired: Bool {
        switch self {
        case .none, .optionalDistrictCenter: false
        case .inspector, .departmentOrCenter, .caseID, .inspectorDepartmentOrCenter: true
        }
    }

    /// Whether the action takes a target at all.
    public var isTaken: Bool { self != .none }
}

/// What an action's note means.
public enum NoteMeaning: Sendable, Equatable {
    /// A remark for the history.
    case remark
    /// Why the action is taken.
    case reason
    /// What the receiving center is to do (return-to-district).
    case instructions
}

/// Whether an action needs a note, and what the note is.
public struct NoteRule: Sendable, Equatable {
    public var required: Bool
    public var meaning: NoteMeaning
    public static let optional = NoteRule(required: false, meaning: .remark)
    public static let reason = NoteRule(required: true, meaning: .reason)
    public static let instructions = NoteRule(required: true, meaning: .instructions)
}

/// A number of hours an action takes: more than `above`, at most `atMost`.
public struct HoursRange: Sendable, Equatable {
    public var above: Double
    public var atMost: Double
    public func contains(_ hours: Double) -> Bool { hours > above && hours <= atMost }
}

/// Roles as bits, so that checking a role against an action's costs no allocation.
public struct RoleSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ role: Role) {
        switch role {
        case .inspector: self = .inspector
        case .intake: self = .intake
        case .shiftLead: self = .shiftLead
        case .dispatcher: self = .dispatcher
        case .department: self = .department
        case .supervisor: self = .supervisor
        case .admin: self = .admin
        }
    }
    public static let inspector = RoleSet(rawValue: 1 << 0)
    public static let intake = RoleSet(rawValue: 1 << 1)
    public static let shiftLead = RoleSet(rawValue: 1 << 2)
    public static let dispatcher = RoleSet(rawValue: 1 << 3)
    public static let department = RoleSet(rawValue: 1 << 4)
    public static let supervisor = RoleSet(rawValue: 1 << 5)
    public static let admin = RoleSet(rawValue: 1 << 6)

    public func contains(_ role: Role) -> Bool { contains(RoleSet(role)) }
    /// The roles, in `Role.allCases` order.
    public var roles: [Role] { Role.allCases.filter { contains($0) } }
}

/// Case states as bits, for the same reason.
public struct StateSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public init(_ state: CaseState) {
        switch state {
        case .reported: self = .reported
        case .verifying: self = .verifying
        case .accepted: self = .accepted
        case .filed: self = .filed
        case .dispatched: self = .dispatched
        case .handled: self = .handled
        case .checking: self = .checking
        case .checked: self = .checked
        case .closed: self = .closed
        case .cancelled: self = .cancelled
        case .suspended: self = .suspended
        }
    }
    public static let reported = StateSet(rawValue: 1 << 0)
    public static let verifying = StateSet(rawValue: 1 << 1)
    public static let accepted = StateSet(rawValue: 1 << 2)
    public static let filed = StateSet(rawValue: 1 << 3)
    public static let dispatched = StateSet(rawValue: 1 << 4)
    public static let handled = StateSet(rawValue: 1 << 5)
    public static let checking = StateSet(rawValue: 1 << 6)
    public static let checked = StateSet(rawValue: 1 << 7)
    public static let closed = StateSet(rawValue: 1 << 8)
    public static let cancelled = StateSet(rawValue: 1 << 9)
    public static let suspended = StateSet(rawValue: 1 << 10)

    public func contains(_ state: CaseState) -> Bool { contains(StateSet(state)) }
    /// The states, in `CaseState.allCases` order.
    public var states: [CaseState] { CaseState.allCases.filter { contains($0) } }
}

/// One row of the action table.
public struct ActionSpec: Sendable, Equatable {
    /// Who may take the action.
    public var roles: RoleSet
    /// The states it starts from; nil means any open state.
    public var from: StateSet?
    public var target: ActionTarget
    /// The hours it takes (request-extension), nil when it takes none.
    public var hours: HoursRange?
    public var note: NoteRule
    /// `file` may change the category and choose a department other than the category's.
    public var takesCategoryAndDepartment: Bool
    /// `close` may say what becomes of a component case's component: repaired (normal) or removed.
    public var takesComponentOutcome: Bool

    init(roles: RoleSet, from: StateSet?, target: ActionTarget = .none, hours: HoursRange? = nil, note: NoteRule = .optional,
         takesCategoryAndDepartment: Bool = false, takesComponentOutcome: Bool = false) {
        self.roles = roles; self.from = from; self.target = target; self.hours = hours; self.note = note
        self.takesCategoryAndDepartment = takesCategoryAndDepartment
        self.takesComponentOutcome = takesComponentOutcome
    }
}

extension CaseAction {
    /// The action table: what each action needs, who may take it, from which states. Everything else about
    /// an action's arguments (the CLI's help and checks, the console's forms, `:` line and completion, bulk
    /// actions) is derived from here. A switch of constants: reading a row allocates nothing.
    public var spec: ActionSpec {
        switch self {
        case .accept: ActionSpec(roles: .intake, from: .reported)
        case .verify: ActionSpec(roles: .intake, from: [.reported, .accepted], target: .inspector)
        case .confirm: ActionSpec(roles: .inspector, from: .verifying)
        case .invalid: ActionSpec(roles: .inspector, from: .verifying)
        case .file: ActionSpec(roles: .shiftLead, from: .accepted, takesCategoryAndDepartment: true)
        case .reject: ActionSpec(roles: .shiftLead, from: nil, note: .reason)
        case .dispatch: ActionSpec(roles: .dispatcher, from: .filed, target: .departmentOrCenter)
        case .escalate: ActionSpec(roles: .dispatcher, from: [.filed, .dispatched])
        case .handle: ActionSpec(roles: .department, from: .dispatched)
        case .requestReturn: ActionSpec(roles: .department, from: .dispatched)
        case .requestExtension: ActionSpec(roles: .department, from: .dispatched, hours: HoursRange(above: 0, atMost: 24 * 90))
        case .requestSuspension: ActionSpec(roles: .department, from: .dispatched)
        case .approve: ActionSpec(roles: .dispatcher, from: .dispatched)
        case .refuse: ActionSpec(roles: .dispatcher, from: .dispatched)
        case .resume: ActionSpec(roles: .dispatcher, from: .suspended)
        case .check: ActionSpec(roles: .intake, from: .handled, target: .inspector)
        case .pass: ActionSpec(roles: .inspector, from: .checking)
        case .fail: ActionSpec(roles: .inspector, from: .checking)
        case .close: ActionSpec(roles: .shiftLead, from: .checked, takesComponentOutcome: true)
        case .cancel: ActionSpec(roles: .shiftLead, from: nil, note: .reason)
        case .merge: ActionSpec(roles: .intake, from: [.reported, .verifying, .accepted], target: .caseID)
        case .urge: ActionSpec(roles: [.shiftLead, .supervisor], from: nil)
        case .reassign: ActionSpec(roles: [.shiftLead, .dispatcher], from: [.verifying, .checking, .dispatched],
                                   target: .inspectorDepartmentOrCenter, note: .reason)
        case .returnToDistrict: ActionSpec(roles: .dispatcher, from: [.filed, .dispatched], target: .optionalDistrictCenter,
                                           note: .instructions)
        case .prioritize, .deprioritize: ActionSpec(roles: .supervisor, from: nil)
        }
    }
}
