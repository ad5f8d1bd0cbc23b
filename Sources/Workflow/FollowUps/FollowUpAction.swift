/// The actions on a follow-up task, like `CaseAction` with its table (`spec`): who may take each and from which
/// stage of the task. The CLI (`followup record|reopen|keep-closed`) and the console's form ask `checkPreconditions`;
/// nothing else checks these rules.
public enum FollowUpAction: String, Sendable, Codable, CaseIterable {
    /// The intake operator records the call: reached or not, and how satisfied.
    case record
    /// The shift lead sends the case of a dissatisfied follow-up back for rework.
    case reopen
    /// The shift lead keeps the case of a dissatisfied follow-up closed, with the reason.
    case keepClosed = "keep-closed"

    public var spec: FollowUpActionSpec {
        switch self {
        case .record: FollowUpActionSpec(roles: .intake, from: .open, note: .optional)
        case .reopen: FollowUpActionSpec(roles: .shiftLead, from: .flagged, note: .reason)
        case .keepClosed: FollowUpActionSpec(roles: .shiftLead, from: .flagged, note: .reason)
        }
    }

    /// Whether `actor` may take the action on the task now: region, role, the task's stage and the case's monitoring
    /// center (a follow-up is the center's that took the report). The arguments (outcome, note) are checked on submit.
    public static func checkPreconditions(of action: FollowUpAction, on task: FollowUp, of c: ServiceCase,
                                          by actor: Operator) throws(WorkflowError) {
        guard actor.canSee(district: c.districtCode) else {
            throw .notFound("no case \(c.id) in \(actor.login)'s region \(actor.regionCode)")
        }
        let spec = action.spec
        guard spec.roles.contains(actor.role) else {
            let roles = spec.roles.roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw .forbidden("follow-up \(action.rawValue) is for the \(roles) role; \(actor.login) is \(actor.role.rawValue)")
        }
        guard task.stage == spec.from else {
            throw .wrongState("case \(c.id)'s follow-up \(task.id) is \(task.stage.rawValue); \(action.rawValue) needs a follow-up that is \(spec.from.rawValue)")
        }
        try Lifecycle.checkMonitoringCenter(of: c, actor: actor)
        if action == .reopen {
            try Lifecycle.checkReopenable(c)
        }
    }

    /// `checkPreconditions`' refusal, or nil when the action is open to `actor`.
    public static func refusal(of action: FollowUpAction, on task: FollowUp, of c: ServiceCase, by actor: Operator) -> WorkflowError? {
        do { try checkPreconditions(of: action, on: task, of: c, by: actor) } catch { return error }
        return nil
    }
}

/// One row of the follow-up action table.
public struct FollowUpActionSpec: Sendable, Equatable {
    public var roles: RoleSet
    public var from: FollowUpStage
    public var note: NoteRule
}

/// Where a follow-up task stands.
public enum FollowUpStage: String, Sendable, Codable, CaseIterable {
    /// Waiting for the call.
    case open
    /// Recorded; nothing left to decide.
    case recorded
    /// Recorded dissatisfied, waiting for the shift lead.
    case flagged
    /// Its case went back for rework.
    case reopened
    /// The shift lead kept its case closed.
    case kept
}

extension FollowUp {
    public var stage: FollowUpStage {
        guard outcome != nil else { return .open }
        switch flag {
        case nil: return .recorded
        case .flagged: return .flagged
        case .reopened: return .reopened
        case .kept: return .kept
        }
    }
}
