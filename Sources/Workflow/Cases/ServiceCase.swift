import Foundation

/// A case: one problem at one place, holding one or more reports, travelling the closed loop.
/// `deadline`, `warnAt` and `budgetMinutes` belong to the current stage's clock.
public struct ServiceCase: Sendable, Equatable, Codable {
    public var id: Int64
    public var state: CaseState
    public var kind: CategoryKind
    public var categoryCode: String
    public var cellCode: String
    public var communityCode: String
    public var streetCode: String
    public var districtCode: String
    public var componentID: String?
    public var source: ReportSource
    public var description: String
    public var reportedAt: Date
    /// The monitoring center that accepts, verifies, files, checks and closes the case.
    public var monitorCenterID: String
    /// The command center that holds the case for dispatch (set at filing; moves on escalation).
    public var commandCenterID: String?
    public var departmentCode: String?
    /// The inspector holding the verify or check task.
    public var assigneeID: Int64?
    /// An inspector has confirmed the report (or the report came from an inspector).
    public var confirmed: Bool
    /// Urgent categories run on calendar time.
    public var urgent: Bool
    public var stageStartedAt: Date
    public var deadline: Date?
    public var warnAt: Date?
    public var budgetMinutes: Int
    /// Minutes left on the stage clock when it was stopped by a suspension.
    public var frozenRemainingMinutes: Int?
    /// The last handling report came after the handling deadline: the close will be `overdue`.
    public var handledLate: Bool
    public var filedAt: Date?
    public var dispatchedAt: Date?
    public var handledAt: Date?
    public var closedAt: Date?
    public var closeType: CloseType?
    public var reworkCount: Int
    public var returnCount: Int
    public var extensionCount: Int
    public var urgeCount: Int
    public var escalated: Bool
    public var pending: PendingRequest?
    public var lastEventAt: Date
    /// The hotline line a hotline report came in on (12319, 96150 or a line the site added); nil for any other source.
    public var line: String? = nil
    /// A supervisor marked the case to come first among equals in every queue (`prioritize`, `deprioritize`).
    public var priority = false

    /// The due state of the current stage at `now`; nil when no clock runs (closed, cancelled).
    public func dueState(at now: Date) -> DueState? {
        guard state.isOpen else { return nil }
        if state == .suspended {
            guard let remaining = frozenRemainingMinutes else { return nil }
            if remaining < 0 { return .red }
            return Double(budgetMinutes - remaining) >= 0.8 * Double(budgetMinutes) ? .yellow : .green
        }
        guard let deadline else { return nil }
        if now > deadline { return .red }
        if let warnAt, now >= warnAt { return .yellow }
        return .green
    }

    public func isOverdue(at now: Date) -> Bool {
        guard state.isOpen else { return false }
        if state == .suspended { return (frozenRemainingMinutes ?? 0) < 0 }
        return deadline.map { now > $0 } ?? false
    }

    public var categoryKey: CategoryKey { CategoryKey(kind: kind, code: categoryCode) }
}

/// A department's request waiting for the dispatcher's decision.
public struct PendingRequest: Sendable, Equatable, Codable {
    public var kind: RequestKind
    public var hours: Double?
    public var note: String
    public var requestedBy: Int64
    public var requestedAt: Date
    public init(kind: RequestKind, hours: Double?, note: String, requestedBy: Int64, requestedAt: Date) {
        self.kind = kind; self.hours = hours; self.note = note; self.requestedBy = requestedBy; self.requestedAt = requestedAt
    }
}

/// One report of a problem. Merging moves reports between cases; reporters are never dropped.
public struct Report: Sendable, Equatable, Codable {
    public var id: Int64
    public var caseID: Int64
    public var originalCaseID: Int64
    public var source: ReportSource
    public var reporterID: Int64?
    public var reporterName: String?
    public var reporterPhone: String?
    public var description: String
    public var reportedAt: Date
    public var cellCode: String
}

/// One row of a case's history. Appended for every transition; never edited.
public struct HistoryEntry: Sendable, Equatable, Codable {
    public var caseID: Int64
    public var at: Date
    public var actorID: Int64?
    public var role: Role?
    public var centerID: String?
    public var action: String
    public var from: CaseState?
    public var to: CaseState
    /// Department, center, inspector id, other case id: whatever the action pointed at.
    public var target: String?
    public var note: String?
    /// The stage this action ended was past its deadline.
    public var late: Bool
    /// How the actor was identified (`Via.text`: `demo`, `unix:NAME`, `password`, `ssh:FINGERPRINT`, `api-key:PREFIX`,
    /// `system`); set by the store as it appends the row, nil on rows written before sign-in existed.
    public var via: String?

    public init(caseID: Int64, at: Date, actorID: Int64?, role: Role?, centerID: String?, action: String,
                from: CaseState?, to: CaseState, target: String? = nil, note: String? = nil, late: Bool = false, via: String? = nil) {
        self.caseID = caseID; self.at = at; self.actorID = actorID; self.role = role; self.centerID = centerID
        self.action = action; self.from = from; self.to = to; self.target = target; self.note = note; self.late = late
        self.via = via
    }
}
