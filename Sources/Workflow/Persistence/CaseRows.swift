import Foundation
import GRDB

/// Mapping between `ServiceCase` and its row. One column list, used for inserts and updates alike.
package enum CaseRows {
    package static let columns = [
        "id", "state", "is_open", "kind", "category_code", "cell_code", "community_code", "street_code", "district_code",
        "component_id", "source", "description", "reported_at", "monitor_center", "command_center", "department",
        "assignee", "confirmed", "urgent", "stage_started_at", "deadline", "warn_at", "budget_minutes", "frozen_remaining",
        "handled_late", "filed_at", "dispatched_at", "handled_at", "closed_at", "close_type", "rework_count",
        "return_count", "extension_count", "urge_count", "escalated", "pending_kind", "pending_hours", "pending_note",
        "pending_by", "pending_at", "last_event_at", "hotline_line", "priority",
    ]

    static let insertSQL = "INSERT INTO service_case(\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    static let updateSQL = "UPDATE service_case SET \(columns.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"

    /// Writes a case's columns, in `columns` order, into any sink: statement arguments for ordinary
    /// writes, direct binds for the bulk loader. One list, so the two can never disagree.
    package static func write(_ c: ServiceCase, into sink: inout some ColumnSink) {
        sink.int(c.id); sink.text(c.state.rawValue); sink.bool(c.state.isOpen); sink.text(c.kind.rawValue)
        sink.text(c.categoryCode); sink.text(c.cellCode); sink.text(c.communityCode); sink.text(c.streetCode)
        sink.text(c.districtCode); sink.text(c.componentID); sink.text(c.source.rawValue); sink.text(c.description)
        sink.int(c.reportedAt.storageSeconds); sink.text(c.monitorCenterID); sink.text(c.commandCenterID)
        sink.text(c.departmentCode); sink.int(c.assigneeID); sink.bool(c.confirmed); sink.bool(c.urgent)
        sink.int(c.stageStartedAt.storageSeconds); sink.int(c.deadline?.storageSeconds); sink.int(c.warnAt?.storageSeconds)
        sink.int(Int64(c.budgetMinutes)); sink.int(c.frozenRemainingMinutes.map(Int64.init)); sink.bool(c.handledLate)
        sink.int(c.filedAt?.storageSeconds); sink.int(c.dispatchedAt?.storageSeconds); sink.int(c.handledAt?.storageSeconds)
        sink.int(c.closedAt?.storageSeconds); sink.text(c.closeType?.rawValue); sink.int(Int64(c.reworkCount))
        sink.int(Int64(c.returnCount)); sink.int(Int64(c.extensionCount)); sink.int(Int64(c.urgeCount)); sink.bool(c.escalated)
        sink.text(c.pending?.kind.rawValue); sink.double(c.pending?.hours); sink.text(c.pending?.note)
        sink.int(c.pending?.requestedBy); sink.int(c.pending?.requestedAt.storageSeconds); sink.int(c.lastEventAt.storageSeconds)
        sink.text(c.line); sink.bool(c.priority)
    }

    static func arguments(_ c: ServiceCase) -> [DatabaseValue] {
        var sink = ArgumentSink()
        write(c, into: &sink)
        return sink.values
    }

    static func insert(_ db: Database, _ c: ServiceCase, assigningID: Bool) throws -> Int64 {
        var values = arguments(c)
        if assigningID { values[0] = .null }
        try db.execute(sql: insertSQL, arguments: StatementArguments(values))
        return db.lastInsertedRowID
    }

    static func update(_ db: Database, _ c: ServiceCase) throws {
        var values = Array(arguments(c).dropFirst())
        values.append(c.id.databaseValue)
        try db.execute(sql: updateSQL, arguments: StatementArguments(values))
    }

    static func date(_ row: Row, _ column: String) -> Date? {
        (row[column] as Int64?).map(Date.init(storageSeconds:))
    }

    /// The case of a `service_case` row. A state, kind, source, close type or pending request this version does not
    /// know is an error naming the case (`StoredValue`), never a default.
    package static func serviceCase(_ row: Row) throws(WorkflowError) -> ServiceCase {
        let id: Int64 = row["id"]
        let owner = "case \(id)"
        var pending: PendingRequest?
        if let kind: RequestKind = try StoredValue.decodeIfPresent(row, "pending_kind", "pending request", of: owner) {
            pending = PendingRequest(kind: kind, hours: row["pending_hours"], note: row["pending_note"] ?? "",
                                     requestedBy: row["pending_by"] ?? 0, requestedAt: date(row, "pending_at") ?? .distantPast)
        }
        return ServiceCase(
            id: id, state: try StoredValue.decode(row, "state", of: owner),
            kind: try StoredValue.decode(row, "kind", of: owner), categoryCode: row["category_code"],
            cellCode: row["cell_code"], communityCode: row["community_code"], streetCode: row["street_code"],
            districtCode: row["district_code"], componentID: row["component_id"],
            source: try StoredValue.decode(row, "source", of: owner), description: row["description"],
            reportedAt: date(row, "reported_at") ?? .distantPast, monitorCenterID: row["monitor_center"],
            commandCenterID: row["command_center"], departmentCode: row["department"], assigneeID: row["assignee"],
            confirmed: row["confirmed"], urgent: row["urgent"], stageStartedAt: date(row, "stage_started_at") ?? .distantPast,
            deadline: date(row, "deadline"), warnAt: date(row, "warn_at"), budgetMinutes: row["budget_minutes"],
            frozenRemainingMinutes: row["frozen_remaining"], handledLate: row["handled_late"],
            filedAt: date(row, "filed_at"), dispatchedAt: date(row, "dispatched_at"), handledAt: date(row, "handled_at"),
            closedAt: date(row, "closed_at"), closeType: try StoredValue.decodeIfPresent(row, "close_type", of: owner),
            reworkCount: row["rework_count"], returnCount: row["return_count"], extensionCount: row["extension_count"],
            urgeCount: row["urge_count"], escalated: row["escalated"], pending: pending,
            lastEventAt: date(row, "last_event_at") ?? .distantPast,
            line: row["hotline_line"], priority: row["priority"] ?? false)
    }

    static let historyColumns = ["case_id", "seq", "at", "actor_id", "role", "center_id", "action", "from_state", "to_state", "target", "note", "late"]
    /// The history row as written: its columns, how its actor was identified (`via`, NULL on rows written before
    /// sign-in existed), then its place in the hash chain (`HistoryChain`).
    package static let chainedHistoryColumns = historyColumns + ["via", "chain_seq", "chain_hash"]
    static let insertHistorySQL =
        "INSERT INTO history(\(chainedHistoryColumns.joined(separator: ", "))) VALUES (\(chainedHistoryColumns.map { _ in "?" }.joined(separator: ", ")))"

    /// `seq` numbers a case's history rows 0, 1, 2… in the order they happened.
    static func write(_ e: HistoryEntry, seq: Int, into sink: inout some ColumnSink) {
        sink.int(e.caseID); sink.int(Int64(seq)); sink.int(e.at.storageSeconds); sink.int(e.actorID); sink.text(e.role?.rawValue); sink.text(e.centerID)
        sink.text(e.action); sink.text(e.from?.rawValue); sink.text(e.to.rawValue); sink.text(e.target); sink.text(e.note)
        sink.bool(e.late)
    }

    /// A history row with its chain columns (`link`, from `ChainAppender.next`).
    package static func write(_ e: HistoryEntry, seq: Int, link: ChainLink, into sink: inout some ColumnSink) {
        write(e, seq: seq, into: &sink)
        sink.text(e.via)
        sink.int(link.seq)
        link.hash.withUnsafeBytes { sink.blob(bytes: $0) }
    }

    /// Appends `e` as its case's next history row, at the end of the hash chain.
    static func appendHistory(_ db: Database, _ e: HistoryEntry) throws {
        let seq = try Int.fetchOne(db, sql: "SELECT ifnull(max(seq) + 1, 0) FROM history WHERE case_id = ?", arguments: [e.caseID]) ?? 0
        var chain = try ChainAppender(db)
        let link = chain.next(e, seq: seq)
        var sink = ArgumentSink()
        write(e, seq: seq, link: link, into: &sink)
        try db.execute(sql: insertHistorySQL, arguments: StatementArguments(sink.values))
    }
}

/// Where a row's column values go, in order.
package protocol ColumnSink {
    mutating func int(_ value: Int64?)
    mutating func double(_ value: Double?)
    mutating func text(_ value: String?)
    mutating func blob(bytes: UnsafeRawBufferPointer)
}

extension ColumnSink {
    package mutating func bool(_ value: Bool) { int(value ? 1 : 0) }
}

/// Collects values for GRDB's statement arguments.
struct ArgumentSink: ColumnSink {
    var values: [DatabaseValue] = []
    mutating func int(_ value: Int64?) { values.append(value?.databaseValue ?? .null) }
    mutating func double(_ value: Double?) { values.append(value?.databaseValue ?? .null) }
    mutating func text(_ value: String?) { values.append(value?.databaseValue ?? .null) }
    mutating func blob(bytes: UnsafeRawBufferPointer) { values.append(Data(bytes).databaseValue) }
}
