import Foundation
import Workflow

// JSON of the shift leads' commands (overdue, inbox, bulk, handover, workload, escalate-overdue).
// Field names are a contract: add, never rename; every field is always present (null when empty).

struct RiskJSON: ExplicitNullEncodable {
    var department: String
    var category: String
    var window_days: Int
    var sample_size: Int
    var median_minutes: Int
    var conditional_sample_size: Int
    var expected_minutes: Int
    var elapsed_minutes: Int
    var budget_minutes: Int
    var remaining_minutes: Int
    var time_kind: String
    var at_risk: Bool
    var reason: String

    init(_ r: RiskEstimate) {
        department = r.department; category = r.category.code; window_days = r.windowDays; sample_size = r.sampleSize
        median_minutes = r.medianMinutes; conditional_sample_size = r.conditionalSampleSize; expected_minutes = r.expectedMinutes
        elapsed_minutes = r.elapsedMinutes; budget_minutes = r.budgetMinutes; remaining_minutes = r.remainingMinutes
        time_kind = r.calendarTime ? "calendar" : "working"; at_risk = r.atRisk; reason = r.reason
    }
}

struct BoardEntryJSON: ExplicitNullEncodable {
    var id: Int64
    var state: String
    var kind: String
    var category: String
    var category_name: String?
    var district: String
    var cell: String
    var department: String?
    var command_center: String?
    var responsible: String
    var responsible_kind: String
    var due_state: String
    var deadline: String?
    var budget_minutes: Int
    var elapsed_minutes: Int
    var remaining_minutes: Int
    var overdue_minutes: Int
    var ratio: Double
    var time_kind: String
    var pending: PendingJSON?
    var urge_count: Int
    var escalated: Bool
    var at_risk: Bool
    var risk: RiskJSON?

    init(_ e: BoardEntry, categories: [CategoryKey: Category], format: InstantFormat) {
        let c = e.serviceCase
        id = c.id; state = c.state.rawValue; kind = c.kind.rawValue; category = c.categoryCode
        category_name = categories[c.categoryKey]?.nameZh; district = c.districtCode; cell = c.cellCode
        department = c.departmentCode; command_center = c.commandCenterID; responsible = e.responsible
        responsible_kind = e.responsibleKind.rawValue; due_state = e.dueState.rawValue; deadline = c.deadline.map(format.string)
        budget_minutes = e.reading.budgetMinutes; elapsed_minutes = e.reading.elapsedMinutes
        remaining_minutes = e.reading.remainingMinutes; overdue_minutes = e.reading.overdueMinutes
        ratio = (e.reading.ratio * 1000).rounded() / 1000; time_kind = e.reading.calendarTime ? "calendar" : "working"
        pending = c.pending.map { PendingJSON(kind: $0.kind.rawValue, hours: $0.hours, note: $0.note, requested_by: $0.requestedBy,
                                              requested_at: format.string($0.requestedAt)) }
        urge_count = c.urgeCount; escalated = c.escalated; at_risk = e.risk?.atRisk ?? false; risk = e.risk.map(RiskJSON.init)
    }
}

struct BoardGroupJSON: ExplicitNullEncodable {
    var key: String
    var count: Int
    var red: Int
    var yellow: Int
    var cases: [Int64]
    init(_ g: BoardGroup) { key = g.key; count = g.count; red = g.red; yellow = g.yellow; cases = g.caseIDs }
}

struct OverdueJSON: ExplicitNullEncodable {
    var `as`: String
    var at: String
    var count: Int
    var red: Int
    var yellow: Int
    var cases: [BoardEntryJSON]
    var by_stage: [BoardGroupJSON]
    var by_department: [BoardGroupJSON]
    var at_risk: [BoardEntryJSON]
    /// Verify and check tasks whose inspector is off duty by the roster (issue 17).
    var off_duty: [BoardEntryJSON] = []
}

struct InboxItemJSON: ExplicitNullEncodable {
    var id: Int64
    var kind: String
    var hours: Double?
    var note: String
    var requested_by: String?
    var requested_at: String
    var state: String
    var category: String
    var district: String
    var department: String?
    var command_center: String?
    var deadline: String?
    var due_state: String?
    var approved_state: String?
    var approved_deadline: String?
    /// Wall-clock minutes the deadline moves if approved (null when it stops or starts over).
    var deadline_change_minutes: Int?
    /// Working (or calendar) minutes kept when a suspension stops the clock.
    var frozen_remaining_minutes: Int?
    var can_decide: Bool
    var refusal: String?
    var preview_error: String?

    init(_ item: InboxItem, format: InstantFormat, now: Date) {
        let c = item.serviceCase, p = item.request
        id = c.id; kind = p.kind.rawValue; hours = p.hours; note = p.note; requested_by = item.requestedBy
        requested_at = format.string(p.requestedAt); state = c.state.rawValue; category = c.categoryCode; district = c.districtCode
        department = c.departmentCode; command_center = c.commandCenterID; deadline = c.deadline.map(format.string)
        due_state = c.dueState(at: now)?.rawValue
        approved_state = item.approved?.state.rawValue; approved_deadline = item.approved?.deadline.map(format.string)
        if p.kind == .extension, let old = c.deadline, let new = item.approved?.deadline {
            deadline_change_minutes = Int(new.timeIntervalSince(old) / 60)
        }
        frozen_remaining_minutes = item.approved?.state == .suspended ? item.approved?.frozenRemainingMinutes : nil
        can_decide = item.canDecide; refusal = item.refusal; preview_error = item.previewError
    }
}

struct BulkCaseJSON: ExplicitNullEncodable {
    var id: Int64
    var from: String
    var to: String
    var department: String?
    var command_center: String?
    var assignee: String?
    var deadline: String?
    var urge_count: Int
    var escalated: Bool
}

struct BulkJSON: ExplicitNullEncodable {
    var batch: Int64?
    var action: String
    var done: Bool
    var undo: Bool
    var undoable: Bool
    var count: Int
    var cases: [BulkCaseJSON]
    var refused_case: Int64?
    var reason: String?
    var exit_code: Int
}

struct WorkloadJSON: ExplicitNullEncodable {
    var key: String
    var name: String
    var open: Int
    var overdue: Int
    init(_ w: Workload) { key = w.key; name = w.name; open = w.open; overdue = w.overdue }
}

struct WorkloadReportJSON: ExplicitNullEncodable {
    var `as`: String
    var `case`: Int64?
    var inspectors: [WorkloadJSON]
    var departments: [WorkloadJSON]
    var centers: [WorkloadJSON]
}

struct EscalationJSON: ExplicitNullEncodable {
    var `case`: Int64
    var at: String
    var action: String
    var from_center: String?
    var to_center: String?
    var actor: String?
    var automatic: Bool
    var note: String?
}

struct EscalatedCaseJSON: ExplicitNullEncodable {
    var id: Int64
    var state: String
    var district: String
    var command_center: String?
    var deadline: String?
    var due_state: String?
}

struct ShiftCountsJSON: ExplicitNullEncodable {
    var reported: Int
    var filed: Int
    var dispatched: Int
    var handled: Int
    var closed: Int
    var cancelled: Int
    var escalated: Int
    var returned_to_district: Int
}

struct HandoverJSON: ExplicitNullEncodable {
    var `as`: String
    var since: String
    var at: String
    var open: Int
    var due_soon: Int
    var open_by_stage: [String: Int]
    var overdue_count: Int
    var overdue: [BoardEntryJSON]
    var pending_count: Int
    var pending: [InboxItemJSON]
    var escalated: [EscalatedCaseJSON]
    var escalations: [EscalationJSON]
    var since_shift: ShiftCountsJSON
}

struct AutoEscalationJSON: ExplicitNullEncodable {
    var id: Int64
    var district: String
    var from_center: String
    var to_center: String
    var ratio: Double
    var state: String
}

struct EscalateOverdueJSON: ExplicitNullEncodable {
    var at: String
    var model: String
    var threshold: Double
    var count: Int
    var cases: [AutoEscalationJSON]
}
