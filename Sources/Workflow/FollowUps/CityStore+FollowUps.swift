import Foundation
import GRDB

/// Follow-up tasks (回访): opened as a case closes, listed for the monitoring center, recorded by its intake operators,
/// decided by its shift lead when dissatisfied. The rules are `FollowUps` and `FollowUpAction`; this reads and writes.
extension CityStore {

    // MARK: Settings

    public func followUpSettings() throws(WorkflowError) -> FollowUpSettings {
        try read { db in try Self.followUpSettings(db) }
    }

    static func followUpSettings(_ db: Database) throws -> FollowUpSettings {
        var values: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM site WHERE key IN (\(FollowUpSettings.keys.map { "'\($0)'" }.joined(separator: ",")))") {
            values[row["key"]] = row["value"]
        }
        do { return try FollowUpSettings(values: values) } catch {
            throw WorkflowError.storage(error.message)
        }
    }

    /// Stores the settings as site keys (`followup.working_days`, `followup.reopen`); an admin's on a signed site.
    public func setFollowUpSettings(_ settings: FollowUpSettings) throws(WorkflowError) {
        _ = try FollowUpSettings(values: settings.values)
        try requireAdminWhenSigned()
        try write { db in
            for (key, value) in settings.values {
                try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
        }
    }

    // MARK: Opening tasks at a close

    /// What a case action sets off for the public: follow-ups when the case closes, messages to its reporters.
    static func afterTransition(_ db: Database, from before: ServiceCase, to after: ServiceCase, context: LifecycleContext, at now: Date) throws {
        if after.state == .closed, before.state != .closed {
            try openFollowUps(db, closed: after, context: context, at: now)
        }
        try noticeTransition(db, from: before, to: after, context: context, at: now)
    }

    /// The reports of a case that may be followed up, with each reporter's contact (the report's phone, else the
    /// Open311 request's contact details, kept with the case the report was first filed as).
    static func followUpCandidates(_ db: Database, caseID: Int64) throws -> [FollowUpCandidate] {
        try Row.fetchAll(db, sql: """
            SELECT r.id, r.source, r.reporter_name, r.reporter_phone, o.phone AS o_phone, o.email AS o_email,
                   o.account_id AS o_account, o.device_id AS o_device
            FROM report r LEFT JOIN open311_request o ON o.case_id = r.original_case_id
            WHERE r.case_id = ? ORDER BY r.id
            """, arguments: [caseID]).map { row in
            FollowUpCandidate(reportID: row["id"], source: try StoredValue.decode(row, "source", of: "report \(row["id"] as Int64)"),
                              reporterName: row["reporter_name"],
                              contact: ReporterContact.of(reportPhone: row["reporter_phone"], open311Phone: row["o_phone"], email: row["o_email"],
                                                          account: row["o_account"], device: row["o_device"]))
        }
    }

    /// Opens the follow-up tasks of a case that has just closed, with a history row each (its target the task's id).
    static func openFollowUps(_ db: Database, closed c: ServiceCase, context: LifecycleContext, at now: Date) throws {
        let candidates = try followUpCandidates(db, caseID: c.id)
        guard candidates.contains(where: { FollowUps.isFollowedUp($0.source) }) else { return }
        let open = Set(try Int64.fetchAll(db, sql: "SELECT report_id FROM followup WHERE case_id = ? AND recorded_at IS NULL", arguments: [c.id]))
        let tasks = try FollowUps.tasks(forClosed: c, candidates: candidates, alreadyOpen: open, settings: try followUpSettings(db),
                                        context: context, at: now)
        for task in tasks {
            try db.execute(sql: """
                INSERT INTO followup(case_id, report_id, channel, contact, reporter_name, created_at, due_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.id, task.reportID, task.contact.channel.rawValue, task.contact.address, task.reporterName,
                                 now.storageSeconds, task.dueAt.storageSeconds])
            var entry = task.entry
            entry.target = String(db.lastInsertedRowID)
            try CaseRows.appendHistory(db, entry)
        }
    }

    /// Opens the follow-ups that closing would have opened, for the cases closed at or after `since` that have none: a
    /// history written in bulk (the demo's) was replayed without the store's follow-up rule. Each case's tasks open at
    /// its close, by the same rule (`openFollowUps`), newest closes first, at most `limit` cases. Returns the tasks opened,
    /// oldest first.
    public func openMissedFollowUps(closedSince since: Date, limit: Int) throws(WorkflowError) -> [FollowUp] {
        try write { db in
            let context = try Self.context(db)
            let ids = try Int64.fetchAll(db, sql: """
                SELECT c.id FROM service_case c
                WHERE c.state = 'closed' AND c.closed_at >= ? AND NOT EXISTS (SELECT 1 FROM followup f WHERE f.case_id = c.id)
                  AND EXISTS (SELECT 1 FROM report r WHERE r.case_id = c.id AND r.reporter_phone IS NOT NULL)
                ORDER BY c.closed_at DESC, c.id DESC LIMIT ?
                """, arguments: [since.storageSeconds, max(0, limit)])
            let first = try Int64.fetchOne(db, sql: "SELECT ifnull(max(id), 0) FROM followup") ?? 0
            for id in ids {
                let c = try Self.fetchCase(db, id)
                guard let closedAt = c.closedAt else { continue }
                try Self.openFollowUps(db, closed: c, context: context, at: closedAt)
            }
            return try Row.fetchAll(db, sql: Self.followUpSelect + " WHERE f.id > ? ORDER BY f.created_at, f.id", arguments: [first])
                .map { row throws in try Self.followUp(row) }
        }
    }

    // MARK: Reading

    static let followUpSelect = """
        SELECT f.*, c.description AS case_description, c.category_code AS case_category, c.cell_code AS case_cell,
               c.state AS case_state, o.login AS recorded_login
        FROM followup f JOIN service_case c ON c.id = f.case_id LEFT JOIN operator o ON o.id = f.recorded_by
        """

    static func followUp(_ row: Row) throws(WorkflowError) -> FollowUp {
        let owner = "follow-up \(row["id"] as Int64)"
        let reached: Bool? = row["reached"]
        let outcome = try reached.map { reached throws(WorkflowError) in
            FollowUpOutcome(reached: reached, satisfaction: try StoredValue.decodeIfPresent(row, "satisfaction", of: owner), note: row["note"])
        }
        return FollowUp(id: row["id"], caseID: row["case_id"], reportID: row["report_id"],
                        contact: ReporterContact(channel: try StoredValue.decode(row, "channel", of: owner), address: row["contact"]),
                        reporterName: row["reporter_name"], createdAt: CaseRows.date(row, "created_at") ?? .distantPast,
                        dueAt: CaseRows.date(row, "due_at") ?? .distantPast, outcome: outcome, recordedBy: row["recorded_by"],
                        recordedAt: CaseRows.date(row, "recorded_at"), flag: try StoredValue.decodeIfPresent(row, "flag", of: owner),
                        decidedBy: row["decided_by"], decidedAt: CaseRows.date(row, "decided_at"), decisionNote: row["decision_note"])
    }

    static func followUpItem(_ row: Row) throws(WorkflowError) -> FollowUpItem {
        FollowUpItem(followUp: try followUp(row), caseDescription: row["case_description"], categoryCode: row["case_category"],
                     cellCode: row["case_cell"],
                     caseState: try StoredValue.decode(row, "case_state", "state", of: "case \(row["case_id"] as Int64)"),
                     recordedByLogin: row["recorded_login"])
    }

    /// The follow-ups waiting in `viewer`'s reach, earliest deadline first: open tasks of the monitoring center (intake
    /// operators, shift leads), and for shift leads also the dissatisfied ones flagged for their decision. Supervisors
    /// and admins read those of their region. Other roles have no follow-ups.
    public func followUps(for viewer: String) throws(WorkflowError) -> [FollowUpItem] {
        try read { db in
            let op = try self.actingOperator(db, viewer)
            return try Self.followUps(db, for: op)
        }
    }

    static func followUps(_ db: Database, for op: Operator) throws -> [FollowUpItem] {
        let waiting: String
        switch op.role {
        case .intake: waiting = "f.recorded_at IS NULL"
        case .shiftLead, .supervisor, .admin: waiting = "(f.recorded_at IS NULL OR f.flag = 'flagged')"
        case .inspector, .dispatcher, .department:
            throw WorkflowError.forbidden("follow-ups are the monitoring center's (intake operators and shift leads); \(op.login) is \(op.role.rawValue)")
        }
        let reach = reach(of: op)
        let reachSQL = reach.sql.replacingOccurrences(of: "monitor_center", with: "c.monitor_center")
            .replacingOccurrences(of: "district_code", with: "c.district_code")
        return try Row.fetchAll(db, sql: followUpSelect + " WHERE \(waiting) AND \(reachSQL) ORDER BY f.due_at, f.id",
                                arguments: reach.arguments).map(followUpItem)
    }

    /// Every follow-up of a case (open and recorded), oldest first, for whoever may see the case.
    public func followUps(ofCase caseID: Int64, viewer: String) throws(WorkflowError) -> [FollowUpItem] {
        try read { db in
            let op = try self.actingOperator(db, viewer)
            let c = try Self.fetchCase(db, caseID)
            guard op.canSee(district: c.districtCode) else {
                throw WorkflowError.notFound("no case \(caseID) in \(op.login)'s region \(op.regionCode)")
            }
            return try Row.fetchAll(db, sql: Self.followUpSelect + " WHERE f.case_id = ? ORDER BY f.id", arguments: [caseID]).map(Self.followUpItem)
        }
    }

    // MARK: Acting

    /// The one task of a case an action is for: the named one, else the only one in the action's stage. Several
    /// waiting and none named is a refusal listing them.
    static func followUpTask(_ db: Database, caseID: Int64, id: Int64?, for action: FollowUpAction) throws -> FollowUp {
        if let id {
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM followup WHERE id = ? AND case_id = ?", arguments: [id, caseID]) else {
                throw WorkflowError.notFound("no follow-up \(id) of case \(caseID)")
            }
            return try followUp(row)
        }
        let all = try Row.fetchAll(db, sql: "SELECT * FROM followup WHERE case_id = ? ORDER BY id", arguments: [caseID]).map(followUp)
        guard !all.isEmpty else { throw WorkflowError.notFound("case \(caseID) has no follow-up") }
        let waiting = all.filter { $0.stage == action.spec.from }
        switch waiting.count {
        case 1: return waiting[0]
        case 0: throw WorkflowError.wrongState("case \(caseID) has no follow-up that is \(action.spec.from.rawValue) (\(all.map { "\($0.id) \($0.stage.rawValue)" }.joined(separator: ", ")))")
        default: throw WorkflowError.invalidInput("case \(caseID) has \(waiting.count) follow-ups that are \(action.spec.from.rawValue) (\(waiting.map { String($0.id) }.joined(separator: ", "))); name one")
        }
    }

    /// Records a follow-up of a case: the task, its history row, and when the site's rule reopens the case, the case and
    /// its row, in one transaction. `followUpID` names the task when the case has several open ones.
    @discardableResult
    public func recordFollowUp(caseID: Int64, followUpID: Int64? = nil, outcome: FollowUpOutcome, by actor: String,
                               at now: Date) throws(WorkflowError) -> FollowUpRecording {
        try write { db in
            let context = try self.context(db)
            let op = try self.actingOperator(db, actor)
            let c = try Self.fetchCase(db, caseID)
            guard op.canSee(district: c.districtCode) else {
                throw WorkflowError.notFound("no case \(caseID) in \(op.login)'s region \(op.regionCode)")
            }
            let task = try Self.followUpTask(db, caseID: caseID, id: followUpID, for: .record)
            let result = try FollowUps.record(outcome, on: task, of: c, by: op, settings: try Self.followUpSettings(db), context: context, at: now)
            try Self.store(db, result)
            try Self.noticeFollowUp(db, result, case: c, context: context, at: now)
            return result
        }
    }

    /// The shift lead's decision on a flagged follow-up: `reopen` sends the case back for rework, `keep-closed` keeps it.
    @discardableResult
    public func decideFollowUp(_ action: FollowUpAction, caseID: Int64, followUpID: Int64? = nil, note: String?, by actor: String,
                               at now: Date) throws(WorkflowError) -> FollowUpRecording {
        try write { db in
            let context = try self.context(db)
            let op = try self.actingOperator(db, actor)
            let c = try Self.fetchCase(db, caseID)
            guard op.canSee(district: c.districtCode) else {
                throw WorkflowError.notFound("no case \(caseID) in \(op.login)'s region \(op.regionCode)")
            }
            let task = try Self.followUpTask(db, caseID: caseID, id: followUpID, for: action)
            let result = try FollowUps.decide(action, on: task, of: c, note: note, by: op, context: context, at: now)
            try Self.store(db, result)
            if result.reopened != nil { try Self.noticeFollowUp(db, result, case: c, context: context, at: now) }
            return result
        }
    }

    static func store(_ db: Database, _ result: FollowUpRecording) throws {
        let t = result.task
        try db.execute(sql: """
            UPDATE followup SET reached = ?, satisfaction = ?, note = ?, recorded_by = ?, recorded_at = ?, flag = ?, decided_by = ?,
                                decided_at = ?, decision_note = ? WHERE id = ?
            """, arguments: [t.outcome?.reached, t.outcome?.satisfaction?.rawValue, t.outcome?.note, t.recordedBy, t.recordedAt?.storageSeconds,
                             t.flag?.rawValue, t.decidedBy, t.decidedAt?.storageSeconds, t.decisionNote, t.id])
        if let reopened = result.reopened {
            try CaseRows.update(db, reopened)
            // A reopened component case damages its component again, as any case about it does while open.
            if let id = reopened.componentID, let component = try fetchComponent(db, id) {
                try componentCaseOpened(db, component, caseID: reopened.id, actorID: result.entries.last?.actorID, action: "case-reopened",
                                        at: reopened.lastEventAt)
            }
        }
        for entry in result.entries { try CaseRows.appendHistory(db, entry) }
    }
}
