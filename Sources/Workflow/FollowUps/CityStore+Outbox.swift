import Foundation
import GRDB

/// The outbox: what each public or hotline reporter is told (received, dispatched, closed, follow-up), one row per
/// reporter in their own channel, written with the change that caused it; exported for an SMS or mail gateway, which
/// marks the rows taken so the next export without a start time takes only new ones.
extension CityStore {

    /// The reporters of a case who are told about it: public and hotline reports with a contact.
    static func noticeRecipients(_ db: Database, caseID: Int64) throws -> [(reportID: Int64, contact: ReporterContact)] {
        try followUpCandidates(db, caseID: caseID).compactMap { candidate in
            guard FollowUps.isFollowedUp(candidate.source), let contact = candidate.contact else { return nil }
            return (candidate.reportID, contact)
        }
    }

    static func queue(_ db: Database, _ notice: Notice, caseID: Int64, to recipients: [(reportID: Int64, contact: ReporterContact)],
                      at now: Date) throws {
        for recipient in recipients {
            try db.execute(sql: """
                INSERT INTO notification(case_id, report_id, event, channel, contact, text_zh, text_en, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [caseID, recipient.reportID, notice.event.rawValue, recipient.contact.channel.rawValue,
                                 recipient.contact.address, notice.zh, notice.en, now.storageSeconds])
        }
    }

    /// A new public report is told it was received (called once the report's contact details are stored).
    static func noticeReceived(_ db: Database, _ c: ServiceCase, context: LifecycleContext, at now: Date) throws {
        try queue(db, Notice.of(.received, case: c, context: context), caseID: c.id, to: try noticeRecipients(db, caseID: c.id), at: now)
    }

    /// The case's reporters are told when it is sent to a department (from filing, not a resume or a rework) and when
    /// it closes.
    static func noticeTransition(_ db: Database, from before: ServiceCase, to after: ServiceCase, context: LifecycleContext,
                                 at now: Date) throws {
        let event: NoticeEvent
        if after.state == .closed, before.state != .closed {
            event = .closed
        } else if after.state == .dispatched, before.state == .filed {
            event = .dispatched
        } else {
            return
        }
        let recipients = try noticeRecipients(db, caseID: after.id)
        guard !recipients.isEmpty else { return }
        try queue(db, Notice.of(event, case: after, context: context), caseID: after.id, to: recipients, at: now)
    }

    /// The reporter of a recorded follow-up (only that one) is thanked, told they could not be reached, or told the case
    /// went back for rework.
    static func noticeFollowUp(_ db: Database, _ result: FollowUpRecording, case c: ServiceCase, context: LifecycleContext,
                               at now: Date) throws {
        guard let notice = Notice.afterFollowUp(result.task, case: result.reopened ?? c, reopened: result.reopened != nil, context: context) else {
            return
        }
        try queue(db, notice, caseID: c.id, to: [(result.task.reportID, result.task.contact)], at: now)
    }

    // MARK: Export

    /// The messages an export takes: with `since`, every message from then on (taken before or not); without, only
    /// those no export has taken. In the site's language (`notify.lang`), oldest first. They hold reporters' contacts:
    /// an admin's on a signed site.
    public func pendingNotices(since: Date? = nil) throws(WorkflowError) -> [OutboxMessage] {
        try read { db in
            try self.requireAdminWhenSigned(db)
            let lang = try Self.followUpSettings(db).noticeLanguage
            let column = lang == .zh ? "text_zh" : "text_en"
            let (clause, arguments): (String, StatementArguments) = since.map { ("created_at >= ?", [$0.storageSeconds]) }
                ?? ("export_id IS NULL", [])
            return try Row.fetchAll(db, sql: """
                SELECT id, case_id, event, channel, contact, \(column) AS text, created_at FROM notification
                WHERE \(clause) ORDER BY id
                """, arguments: arguments).map { row in
                let owner = "notification \(row["id"] as Int64)"
                return OutboxMessage(id: row["id"], caseID: row["case_id"], event: try StoredValue.decode(row, "event", of: owner),
                                     channel: try StoredValue.decode(row, "channel", of: owner), contact: row["contact"], text: row["text"],
                                     createdAt: CaseRows.date(row, "created_at") ?? .distantPast)
            }
        }
    }

    /// Marks messages taken by an export (once the export's file is written: a failed write loses nothing, a failed
    /// mark only sends them again). Messages already taken keep their first export. Returns the export's id.
    @discardableResult
    public func markNoticesTaken(_ ids: [Int64], format: String, since: Date?, at now: Date) throws(WorkflowError) -> Int64 {
        try write { db in
            try self.requireAdminWhenSigned(db)
            try db.execute(sql: "INSERT INTO notify_export(at, format, since, count) VALUES (?, ?, ?, ?)",
                           arguments: [now.storageSeconds, format, since?.storageSeconds, ids.count])
            let export = db.lastInsertedRowID
            for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
                try db.execute(sql: "UPDATE notification SET export_id = ? WHERE export_id IS NULL AND id IN (\(chunk.map { _ in "?" }.joined(separator: ",")))",
                               arguments: StatementArguments([export] + chunk))
            }
            return export
        }
    }
}
