import Foundation

/// Which cases a bulk action takes: a list of ids, or every open case in the actor's reach that matches
/// all the filters.
public enum BulkSelection: Sendable, Equatable, CustomStringConvertible {
    case ids([Int64])
    case filter([BulkFilter])

    public var description: String {
        switch self {
        case .ids(let ids): "ids " + ids.map(String.init).joined(separator: ",")
        case .filter(let filters): "filter " + filters.map(\.description).joined(separator: " ")
        }
    }
}

/// `overdue`, `state=S`, `department=D`, `region=CODE`, `pending` or `pending=KIND`.
public enum BulkFilter: Sendable, Equatable, CustomStringConvertible {
    case overdue
    case state(CaseState)
    case department(String)
    case region(String)
    case pending(RequestKind?)

    public static func parse(_ text: String) throws(WorkflowError) -> BulkFilter {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        let name = parts.first?.lowercased() ?? ""
        let value = parts.count == 2 ? parts[1] : nil
        switch (name, value) {
        case ("overdue", nil): return .overdue
        case ("pending", nil): return .pending(nil)
        case ("pending", let v?):
            guard let kind = RequestKind(rawValue: v.lowercased()) else {
                throw .invalidInput("filter pending=\(v): the kinds are return, extension, suspension")
            }
            return .pending(kind)
        case ("state", let v?):
            guard let state = CaseState(rawValue: v.lowercased()), state.isOpen else {
                throw .invalidInput("filter state=\(v): use an open state (\(CaseState.open.map(\.rawValue).joined(separator: ", ")))")
            }
            return .state(state)
        case ("department", let v?) where !v.isEmpty: return .department(v.uppercased())
        case ("region", let v?):
            guard [6, 9, 12, 15].contains(v.count), v.allSatisfy(\.isASCII), v.allSatisfy(\.isNumber) else {
                throw .invalidInput("filter region=\(v): a region is a 6, 9, 12 or 15 digit code")
            }
            return .region(v)
        default:
            throw .invalidInput("unknown filter '\(trimmed)'; use overdue, pending[=KIND], state=S, department=D or region=CODE")
        }
    }

    public var description: String {
        switch self {
        case .overdue: "overdue"
        case .state(let s): "state=\(s.rawValue)"
        case .department(let d): "department=\(d)"
        case .region(let r): "region=\(r)"
        case .pending(let k): k.map { "pending=\($0.rawValue)" } ?? "pending"
        }
    }
}

/// A bulk action as the CLI or the console asks for it.
public struct BulkRequest: Sendable {
    public var action: CaseAction
    public var selection: BulkSelection
    public var actor: String
    public var target: String?
    public var note: String?
    public init(action: CaseAction, selection: BulkSelection, actor: String, target: String? = nil, note: String? = nil) {
        self.action = action; self.selection = selection; self.actor = actor; self.target = target; self.note = note
    }

    /// The most cases one bulk action may take: a lead's batch, not a migration.
    public static let maxCases = 1000
}

/// A bulk action refused: nothing was written. `caseID` is the case that refused (nil when the batch was
/// refused as a whole: bad filter, nothing to undo, database).
public struct BulkRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var caseID: Int64?
    public var error: WorkflowError
    public init(caseID: Int64?, error: WorkflowError) { self.caseID = caseID; self.error = error }

    public var description: String { description(wording: \.text) }

    /// The refusal with a front end's wording of the typed refusals (`Refusal`).
    public func description(wording: (Refusal) -> String) -> String {
        guard let caseID else { return error.description(wording: wording) }
        let (prefix, message) = Self.split(error)
        return "\(prefix): case \(caseID) refused, nothing was written: \(Self.message(error, wording: wording) ?? message)"
    }

    static func message(_ error: WorkflowError, wording: (Refusal) -> String) -> String? {
        if case .refusal(let r) = error { return wording(r) }
        return nil
    }

    public var exitCode: Int32 { error.exitCode }

    static func split(_ error: WorkflowError) -> (String, String) {
        switch error {
        case .forbidden(let m), .wrongState(let m): ("refused", m)
        case .notFound(let m): ("not found", m)
        case .invalidInput(let m): ("invalid input", m)
        case .storage(let m): ("database", m)
        case .refusal(let r): (r.kind.prefix, r.text)
        }
    }
}

/// What a bulk action did.
public struct BulkResult: Sendable {
    public var batchID: Int64
    public var action: CaseAction
    public var before: [ServiceCase]
    public var after: [ServiceCase]
    public var undoable: Bool { BulkUndo.undoable(action) }
}

/// What `bulk undo` can reverse, and how. Undo appends compensating history rows; it never edits history.
/// - `urge` → an `unurge` row per case: the urge count and flag go back down.
/// - `reassign` → a `reassign` row per case back to the previous inspector, department or center, with the
///   stage clock the case had before.
/// Nothing else: an escalation belongs to the city once sent (the city returns it with `return-to-district`);
/// an approval has moved a deadline, suspended a case or returned it, which the department has seen; a
/// close, cancel or state change is a decision that needs its own action. An undo is also refused when any
/// case of the batch changed after it (its last history row is no longer the batch's).
public enum BulkUndo {
    public static let undoableActions: Set<CaseAction> = [.urge, .reassign]

    public static func undoable(_ action: CaseAction) -> Bool { undoableActions.contains(action) }

    public static func whyNot(_ action: CaseAction) -> String {
        switch action {
        case .escalate: "an escalation now belongs to the city command center, which sends it back with return-to-district"
        case .approve, .refuse: "the decision on the department's request has taken effect; the department must ask again"
        case .returnToDistrict: "the district now holds the case; it can escalate again"
        default: "only urge and reassign batches can be undone; \(action.rawValue) needs its own action"
        }
    }
}

extension Lifecycle {
    /// The compensating transition that undoes one case of a bulk batch: `before` is the case as the batch
    /// found it, `current` as it is now. `unchangedSince` says the batch's history row is still the case's
    /// last. Only the operator who ran the batch undoes it, and only while they may still act on the case.
    public static func undo(_ action: CaseAction, batch: Int64, before: ServiceCase, current: ServiceCase, unchangedSince: Bool,
                            by actor: Operator, previousHolder: String?, rules: CaseRules, at now: Date) throws(WorkflowError) -> Transition {
        guard BulkUndo.undoable(action) else {
            throw .refusal(.bulkNotUndoable(batchID: batch, action: action))
        }
        guard actor.canSee(district: current.districtCode) else {
            throw .notFound("no case \(current.id) in \(actor.login)'s region \(actor.regionCode)")
        }
        guard action.allows(actor.role) else {
            throw .forbidden("undoing \(action.rawValue) is for the \(action.roles.map(\.rawValue).sorted().joined(separator: " or ")) role; \(actor.login) is \(actor.role.rawValue)")
        }
        guard unchangedSince, current.state.isOpen else {
            throw .wrongState("case \(current.id) changed after bulk #\(batch) (it is now \(current.state.rawValue)); undo it by hand")
        }
        guard now >= current.lastEventAt else {
            throw .invalidInput("case \(current.id) last changed at \(current.lastEventAt); an undo cannot be dated before it")
        }
        // The batch's actor held the stage when it ran; they answer for it against the case as it was then.
        try checkHolder(of: action, case: before, actor: actor, rules: rules)
        var after: ServiceCase
        let entry: HistoryEntry
        switch action {
        case .urge:
            after = current
            after.urgeCount = max(0, current.urgeCount - 1)
            after.lastEventAt = now
            entry = HistoryEntry(caseID: current.id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                 action: "unurge", from: current.state, to: current.state, target: nil,
                                 note: "undo of bulk #\(batch)", via: actor.identifiedBy?.text)
        default:
            after = before
            after.urgeCount = current.urgeCount
            after.lastEventAt = now
            entry = HistoryEntry(caseID: current.id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                 action: CaseAction.reassign.rawValue, from: current.state, to: before.state,
                                 target: previousHolder, note: "undo of bulk #\(batch): back to \(previousHolder ?? "the previous holder")",
                                 via: actor.identifiedBy?.text)
        }
        return Transition(after: after, entry: entry, mergedInto: nil)
    }
}
