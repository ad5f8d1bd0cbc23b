/// The raw counts every indicator is computed from. Each is a column of `eval_rollup` (same name), counted
/// per local day and per group; an indicator is a ratio of sums of these over the days of a period.
///
/// Each count says which event it counts, which day it is counted on, and whom it is counted for
/// (operator, department). Cell and category are always the case's. The replay that produces them is
/// `CaseReplay`; docs/evaluation.md has the same table.
public enum EvaluationCounter: String, Sendable, Codable, CaseIterable {
    // Reports. Day: the report's. Operator: the reporter (none for channels). Department: none.
    /// Every report (a case as reported; a duplicate later merged away is still a report).
    case reports
    /// Reports from outside the inspectors: hotline, web, app, leader, sensor.
    case reportsPublic = "reports_public"
    /// Reports that became cases: the case was filed (counted when it is filed, on the report's day).
    case reportsValid = "reports_valid"
    /// Reports cancelled before filing: the inspector found nothing (`invalid`), or `reject` / `cancel`.
    case reportsInvalid = "reports_invalid"
    /// Reports merged into another case as duplicates before filing.
    case reportsMerged = "reports_merged"

    // Verification. Event: `confirm` or `invalid` (the inspector's answer). Operator: the inspector.
    case verified
    /// … answered after the verify deadline (the history row's `late` flag).
    case verifiedLate = "verified_late"

    // Filing. Event: `file`. Operator: the shift lead who filed.
    case filed
    /// … filed after the filing deadline.
    case filedLate = "filed_late"
    /// … whose report did not come from an inspector (found by others: the missed-report numerator).
    case filedByOthers = "filed_by_others"
    /// … later cancelled, or closed as `error`: wrongly filed. Counted on the filing's day, for the filer.
    case filedVoid = "filed_void"

    // Dispatch. Event: `dispatch` (to a department, or city → district command center).
    // Operator: the dispatcher. Department: the target department, when the target is one.
    case dispatched
    case dispatchedLate = "dispatched_late"
    /// Dispatches to a department (the accurate-dispatch denominator).
    case dispatchedToDepartment = "dispatched_to_department"
    /// … that the department sent back and the dispatcher approved (`approve` of a return).
    /// Counted on the dispatch's day, for its dispatcher and department.
    case dispatchReturned = "dispatch_returned"

    // Handling. Event: `handle` (one per round: a reworked case is handled again). Operator: the handler.
    // Department: the department the case is assigned to.
    case handled
    /// … reported after the handling deadline (extensions move it; a suspension stops the clock).
    case handledLate = "handled_late"

    // Checks. Event: `pass` or `fail`. Operator: the inspector. Department: the assigned department.
    case checked
    case checkedLate = "checked_late"
    /// Failed checks: each is one rework round.
    case checkFailed = "check_failed"

    // Closing. Event: `close`. Operator: the shift lead. Department: the assigned department.
    case closed
    /// … closed `normal` (the last handling report came by the handling deadline).
    case closedOnTime = "closed_on_time"
    /// … whose close action itself came after the close deadline (the shift lead's clock).
    case closeLate = "close_late"

    // The assignment cohort: the cases that "should be closed". Event: a dispatch to a department that
    // is still standing (not returned, not escalated back). Day: that dispatch's. Department: its target.
    /// +1 at the dispatch, −1 if the assignment is withdrawn (return approved, escalated from `dispatched`).
    case assigned
    /// … since closed.
    case assignedClosed = "assigned_closed"
    /// … since cancelled (wrongly filed: no longer owed).
    case assignedCancelled = "assigned_cancelled"
    /// … suspended right now (+1 when a suspension is approved, −1 on resume or cancel).
    case assignedSuspended = "assigned_suspended"
    /// … sent back for rework at least once (a case reworked twice counts once here).
    case assignedReworked = "assigned_reworked"

    // Other events, for bulletins. Day: the event's.
    /// `urge` rows. Operator: who urged. Department: the assigned department.
    case urged
    /// Approved extensions. Department: the assigned department.
    case extended
    /// Approved suspensions. Department: the assigned department.
    case suspensions
    /// Escalations to the city command center. Operator: the district dispatcher.
    case escalated

    // Follow-ups (回访) of public and hotline reporters. Day: the follow-up's, which is the day its case closed (so a
    // period's follow-ups are those of the cases it closed, and an outcome recorded days later still counts there).
    // Department: the case's. Operator: the intake operator who recorded it (none for `followups`).
    /// Follow-up tasks opened (one per reporter with a contact, at each close).
    case followups
    /// … recorded, reached or not.
    case followupsDone = "followups_done"
    /// … recorded as reached.
    case followupsReached = "followups_reached"
    /// … reached and satisfied or basically satisfied.
    case followupsSatisfied = "followups_satisfied"

    // Handling below the district (三级处置, issue 18). Event: `close`. Day, operator and department as `closed`.
    /// … closed while a community's unit (社区工作站) held the case: the unit's code is the case's community.
    case closedCommunity = "closed_community"
    /// … closed while a street's or a town's unit (街道办事处, 镇) held the case: the unit's code is the case's street.
    case closedStreet = "closed_street"
    // The headline rates' cohorts (docs/evaluation.md "Headline rates"), added after the others so that the
    // rollup's columns keep their order ("v22 headline indicators").
    /// Filed cases since closed (not as `error`), and not reopened: the resolution rate's numerator. Day: the
    /// filing's. Operator: the filer (−1 when a reopen takes the close back).
    case filedClosed = "filed_closed"
    /// Standing assignments whose department has reported them handled, the report standing (处置完毕): +1 at
    /// `handle` (or at a close without one), −1 when a failed check or a reopen sends the case back for rework, or
    /// when it is cancelled or withdrawn (a suspension is asked before handling, so a suspended case is never in it).
    /// Day: the assignment's. Department: its target. The handling rate's numerator.
    case assignedHandled = "assigned_handled"

    public var column: String { rawValue }
    /// Position in `allCases` (a switch: this runs for every count the replay emits).
    var index: Int {
        switch self {
        case .reports: 0
        case .reportsPublic: 1
        case .reportsValid: 2
        case .reportsInvalid: 3
        case .reportsMerged: 4
        case .verified: 5
        case .verifiedLate: 6
        case .filed: 7
        case .filedLate: 8
        case .filedByOthers: 9
        case .filedVoid: 10
        case .dispatched: 11
        case .dispatchedLate: 12
        case .dispatchedToDepartment: 13
        case .dispatchReturned: 14
        case .handled: 15
        case .handledLate: 16
        case .checked: 17
        case .checkedLate: 18
        case .checkFailed: 19
        case .closed: 20
        case .closedOnTime: 21
        case .closeLate: 22
        case .assigned: 23
        case .assignedClosed: 24
        case .assignedCancelled: 25
        case .assignedSuspended: 26
        case .assignedReworked: 27
        case .urged: 28
        case .extended: 29
        case .suspensions: 30
        case .escalated: 31
        case .followups: 32
        case .followupsDone: 33
        case .followupsReached: 34
        case .followupsSatisfied: 35
        case .closedCommunity: 36
        case .closedStreet: 37
        case .filedClosed: 38
        case .assignedHandled: 39
        }
    }
}

/// A stage of the closed loop, for time-per-stage figures. Durations are wall-clock (calendar) time
/// from the action that starts the stage to the action that ends it, counted on the end's day.
public enum EvaluationStage: String, Sendable, Codable, CaseIterable {
    /// `report` → `accept` or `verify` (the monitoring center takes the report up).
    case intake
    /// `verify` → `confirm` or `invalid`.
    case verify
    /// `accept` or `confirm` → `file`.
    case filing
    /// `file`, an approved return, an escalation or a city-to-district dispatch → `dispatch`.
    case dispatch
    /// `dispatch` to a department or a failed check (`fail`) → `handle`, less any time suspended.
    case handling
    /// `handle` → `check` (the monitoring center sends an inspector).
    case sendCheck = "send_check"
    /// `check` → `pass` or `fail`.
    case check
    /// `pass` → `close`.
    case closing
    /// An approved suspension → `resume` (or a cancel while suspended).
    case suspension
    /// `report` → `close`, for closed cases: the whole loop.
    case total

    /// Position in `allCases` (a switch: this runs for every count the replay emits).
    var index: Int {
        switch self {
        case .intake: 0
        case .verify: 1
        case .filing: 2
        case .dispatch: 3
        case .handling: 4
        case .sendCheck: 5
        case .check: 6
        case .closing: 7
        case .suspension: 8
        case .total: 9
        }
    }
    public var countColumn: String { "t_\(rawValue)_n" }
    public var secondsColumn: String { "t_\(rawValue)_s" }
}

/// Sums of the counters and stage times over some days and some group.
public struct EvaluationCounts: Sendable, Equatable {
    /// Indexed by `EvaluationCounter` order, then for each stage its count and seconds.
    var values: [Int64]
    /// Stage-time histograms (see `StageHistogram`).
    public var histogram: StageHistogram

    static let counterCount = EvaluationCounter.allCases.count
    static let width = counterCount + 2 * EvaluationStage.allCases.count

    public init() {
        values = Array(repeating: 0, count: Self.width)
        histogram = StageHistogram()
    }

    public subscript(_ counter: EvaluationCounter) -> Int64 {
        get { values[counter.index] }
        set { values[counter.index] = newValue }
    }

    /// Number of durations measured for a stage.
    public func stageCount(_ stage: EvaluationStage) -> Int64 { values[Self.counterCount + 2 * stage.index] }
    /// Their total, in seconds.
    public func stageSeconds(_ stage: EvaluationStage) -> Int64 { values[Self.counterCount + 2 * stage.index + 1] }

    /// One measured duration: its count, its seconds and its histogram bucket.
    mutating func addStage(_ stage: EvaluationStage, seconds: Int64) {
        values[Self.counterCount + 2 * stage.index] += 1
        values[Self.counterCount + 2 * stage.index + 1] += seconds
        histogram.add(stage, seconds: seconds)
    }

    public mutating func add(_ other: EvaluationCounts) {
        for i in 0..<Self.width { values[i] &+= other.values[i] }
        histogram.add(other.histogram)
    }

    public var isZero: Bool { values.allSatisfy { $0 == 0 } }

    /// The rollup columns, in `values` order.
    static let columns: [String] = EvaluationCounter.allCases.map(\.column)
        + EvaluationStage.allCases.flatMap { [$0.countColumn, $0.secondsColumn] }
}
