import Foundation
import GRDB

/// Mapping between `ServiceCase` and its row. One column list, used for inserts and updates alike.
enum CaseRows {
    static let columns = [
        "id", "state", "is_open", "kind", "category_code", "cell_code", "community_code", "street_code", "district_code",
        "component_id", "source", "description", "reported_at", "monitor_center", "command_center", "department",
        "assignee", "confirmed", "urgent", "stage_started_at", "deadline", "warn_at", "budget_minutes", "frozen_remaining",
        "handled_late", "filed_at", "dispatched_at", "handled_at", "closed_at", "close_type", "rework_count",
        "return_count", "extension_count", "urge_count", "escalated", "pending_kind", "pending_hours", "pending_note",
        "pending_by", "pending_at", "last_event_at",
    ]

    static let insertSQL = "INSERT INTO service_case(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    static let updateSQL = "UPDATE service_case SET \(columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    static func values(_ c: ServiceCase) -> [(any DatabaseValueConvertible)?] {
        [c.id, c.state.rawValue, c.state.isOpen, c.kind.rawValue, c.categoryCode, c.cellCode, c.communityCode, c.streetCode,
         c.districtCode, c.componentID, c.source.rawValue, c.description, c.reportedAt.storageSeconds, c.monitorCenterID,
         c.commandCenterID, c.departmentCode, c.assigneeID, c.confirmed, c.urgent, c.stageStartedAt.storageSeconds,
         c.deadline?.storageSeconds, c.warnAt?.storageSeconds, c.budgetMinutes, c.frozenRemainingMinutes, c.handledLate,
         c.filedAt?.storageSeconds, c.dispatchedAt?.storageSeconds, c.handledAt?.storageSeconds, c.closedAt?.storageSeconds,
         c.closeType?.rawValue, c.reworkCount, c.returnCount, c.extensionCount, c.urgeCount, c.escalated,
         c.pending?.kind.rawValue, c.pending?.hours, c.pending?.note, c.pending?.requestedBy,
         c.pending?.requestedAt.storageSeconds, c.lastEventAt.storageSeconds]
    }

    static func insert(_ db: Database, _ c: ServiceCase, assigningID: Bool) throws -> Int64 {
        var values = values(c)
        if assigningID { values[0] = nil }
        try db.execute(sql: insertSQL, arguments: StatementArguments(values))
        return db.lastInsertedRowID
    }

    static func update(_ db: Database, _ c: ServiceCase) throws {
        var values = Array(values(c).dropFirst())
        values.append(c.id)
        try db.execute(sql: updateSQL, arguments: StatementArguments(values))
    }

    static func date(_ row: Row, _ column: String) -> Date? {
        (row[column] as Int64?).map(Date.init(storageSeconds:))
    }

    static func serviceCase(_ row: Row) -> ServiceCase {
        var pending: PendingRequest?
        if let kindText: String = row["pending_kind"], let kind = RequestKind(rawValue: kindText) {
            pending = PendingRequest(kind: kind, hours: row["pending_hours"], note: row["pending_note"] ?? "",
                                     requestedBy: row["pending_by"] ?? 0, requestedAt: date(row, "pending_at") ?? .distantPast)
        }
        return ServiceCase(
            id: row["id"], state: CaseState(rawValue: row["state"]) ?? .reported,
            kind: CategoryKind(rawValue: row["kind"]) ?? .event, categoryCode: row["category_code"],
            cellCode: row["cell_code"], communityCode: row["community_code"], streetCode: row["street_code"],
            districtCode: row["district_code"], componentID: row["component_id"],
            source: ReportSource(rawValue: row["source"]) ?? .hotline, description: row["description"],
            reportedAt: date(row, "reported_at") ?? .distantPast, monitorCenterID: row["monitor_center"],
            commandCenterID: row["command_center"], departmentCode: row["department"], assigneeID: row["assignee"],
            confirmed: row["confirmed"], urgent: row["urgent"], stageStartedAt: date(row, "stage_started_at") ?? .distantPast,
            deadline: date(row, "deadline"), warnAt: date(row, "warn_at"), budgetMinutes: row["budget_minutes"],
            frozenRemainingMinutes: row["frozen_remaining"], handledLate: row["handled_late"],
            filedAt: date(row, "filed_at"), dispatchedAt: date(row, "dispatched_at"), handledAt: date(row, "handled_at"),
            closedAt: date(row, "closed_at"), closeType: (row["close_type"] as String?).flatMap(CloseType.init(rawValue:)),
            reworkCount: row["rework_count"], returnCount: row["return_count"], extensionCount: row["extension_count"],
            urgeCount: row["urge_count"], escalated: row["escalated"], pending: pending,
            lastEventAt: date(row, "last_event_at") ?? .distantPast)
    }

    static let insertHistorySQL = """
        INSERT INTO history(case_id, at, actor_id, role, center_id, action, from_state, to_state, target, note, late)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func historyValues(_ e: HistoryEntry) -> [(any DatabaseValueConvertible)?] {
        [e.caseID, e.at.storageSeconds, e.actorID, e.role?.rawValue, e.centerID, e.action, e.from?.rawValue,
         e.to.rawValue, e.target, e.note, e.late]
    }

    static func appendHistory(_ db: Database, _ e: HistoryEntry) throws {
        try db.execute(sql: insertHistorySQL, arguments: StatementArguments(historyValues(e)))
    }
}
