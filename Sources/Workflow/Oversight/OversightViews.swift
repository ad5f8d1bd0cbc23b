import Foundation

/// A department's pending request as a dispatcher's or lead's inbox shows it, with the effect of approving
/// it previewed by the same rules `approve` runs.
public struct InboxItem: Sendable {
    public var serviceCase: ServiceCase
    public var request: PendingRequest
    public var requestedBy: String?
    /// The case as approving would leave it; nil when the preview was refused (`previewError` says why).
    public var approved: ServiceCase?
    public var previewError: String?
    /// Whether the viewer may approve or refuse it, and if not, why.
    public var canDecide: Bool
    public var refusal: String?
}

/// Open work per inspector, department or command center, for choosing where a task goes.
public struct Workload: Sendable, Equatable {
    public var key: String
    public var name: String
    public var open: Int
    public var overdue: Int
    public init(key: String, name: String, open: Int, overdue: Int) {
        self.key = key; self.name = name; self.open = open; self.overdue = overdue
    }
}

public struct WorkloadReport: Sendable, Equatable {
    public var inspectors: [Workload] = []
    public var departments: [Workload] = []
    public var centers: [Workload] = []
    public init() {}
}

/// One escalation or return between the tiers, from the case history.
public struct EscalationEvent: Sendable, Equatable {
    public var caseID: Int64
    public var at: Date
    /// `escalate` or `return-to-district`.
    public var action: String
    public var fromCenter: String?
    public var toCenter: String?
    /// Nil for an automatic escalation.
    public var actor: String?
    public var note: String?
    public var automatic: Bool { actor == nil }
}

/// A case the automatic escalation sent to the city.
public struct AutoEscalation: Sendable {
    public var serviceCase: ServiceCase
    public var fromCenter: String
    public var ratio: Double
}

/// What happened in the viewer's reach since the shift started.
public struct ShiftCounts: Sendable, Equatable {
    public var reported = 0
    public var filed = 0
    public var dispatched = 0
    public var handled = 0
    public var closed = 0
    public var cancelled = 0
    public var escalated = 0
    public var returnedToDistrict = 0
    public init() {}
}

/// What the next shift inherits.
public struct Handover: Sendable {
    public var viewer: Operator
    public var since: Date
    public var at: Date
    /// Open cases per state, in the order of the loop (states with none left out).
    public var openByStage: [(state: CaseState, count: Int)]
    public var open: Int
    public var dueSoon: Int
    /// Red entries of the overdue board, worst first.
    public var overdue: [BoardEntry]
    public var pending: [InboxItem]
    /// Open cases now escalated to the city that concern the viewer.
    public var escalated: [ServiceCase]
    public var escalations: [EscalationEvent]
    public var sinceShift: ShiftCounts
}
