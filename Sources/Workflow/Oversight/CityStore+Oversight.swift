import Foundation
import GRDB

/// The shift leads' read models and automatic escalation: overdue board, at-risk estimates, approvals inbox,
/// workload, handover. Reads only the rows they show; the rules stay in Workflow's pure types.
extension CityStore {

    // MARK: Settings

    public func oversightSettings() throws(WorkflowError) -> OversightSettings {
        try read { db in try Self.oversightSettings(db) }
    }

    static func oversightSettings(_ db: Database) throws -> OversightSettings {
        var values: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM site WHERE key IN (\(OversightSettings.keys.map { "'\($0)'" }.joined(separator: ",")))") {
            values[row["key"]] = row["value"]
        }
        return try OversightSettings(values: values)
    }

    /// Stores the settings as site keys (`escalation.threshold`, `risk.window_days`, `risk.min_samples`, `shift.starts`).
    public func setOversightSettings(_ settings: OversightSettings) throws(WorkflowError) {
        _ = try OversightSettings(values: settings.values)
        try write { db in
            for (key, value) in settings.values {
                try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
        }
    }

    // MARK: Overdue board and risk

    /// Every open case in the viewer's reach past or near its deadline, ranked, grouped, with at-risk cases.
    /// `handlingTimes`, when given, are used instead of reading them again (a console keeps them for minutes:
    /// they describe days of closed cases).
    public func overdueBoard(for viewer: Operator, at now: Date, handlingTimes: HandlingTimes? = nil) throws(WorkflowError) -> OverdueBoard {
        try read { db in try Self.overdueBoard(db, for: viewer, context: try self.context(db), at: now, times: handlingTimes) }
    }

    static func overdueBoard(_ db: Database, for viewer: Operator, context: LifecycleContext, at now: Date,
                             times known: HandlingTimes? = nil) throws -> OverdueBoard {
        let reach = Self.reach(of: viewer)
        let t = now.storageSeconds
        var cases = try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE is_open = 1 AND warn_at <= ? AND \(reach.sql)",
                                     arguments: [t] + reach.arguments).map(CaseRows.serviceCase)
        let times = try known ?? handlingTimes(db, context: context, at: now)
        if times.sampleCount > 0 {
            cases += try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE is_open = 1 AND state = 'dispatched' AND warn_at > ? AND \(reach.sql)",
                                      arguments: [t] + reach.arguments).map(CaseRows.serviceCase)
        }
        var board = OverdueBoard.build(cases: cases, context: context, at: now, logins: try inspectorLogins(db), times: times)
        board.offDuty = try offDutyTasks(db, reach: reach, context: context, at: now)
        return board
    }

    static func inspectorLogins(_ db: Database) throws -> [Int64: String] {
        var logins: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, login FROM operator WHERE role = 'inspector'") { logins[row["id"]] = row["login"] }
        return logins
    }

    /// Handling times of cases closed in the settings' window, aggregated once. At most the 50,000 most
    /// recent closed cases count: enough for every department and category, and bounded on a city-year.
    public func handlingTimes(at now: Date) throws(WorkflowError) -> HandlingTimes {
        try read { db in try Self.handlingTimes(db, context: try self.context(db), at: now) }
    }

    static func handlingTimes(_ db: Database, context: LifecycleContext, at now: Date) throws -> HandlingTimes {
        let settings = try oversightSettings(db)
        let since = now.addingTimeInterval(-Double(settings.riskWindowDays) * 86_400)
        // Reported within twice the window: served by case_state_reported, and a case closed in the window
        // that was reported earlier than that is no guide to today's handling times anyway.
        let rows = try RawStatement(db, sql: """
            SELECT department, kind, category_code, urgent, dispatched_at, handled_at FROM service_case
            WHERE state = 'closed' AND reported_at >= ? AND closed_at >= ? AND closed_at <= ?
              AND department IS NOT NULL AND dispatched_at IS NOT NULL AND handled_at IS NOT NULL
            ORDER BY reported_at DESC LIMIT 50000
            """)
        try rows.bind([since.addingTimeInterval(-Double(settings.riskWindowDays) * 86_400).storageSeconds,
                       since.storageSeconds, now.storageSeconds])
        var samples: [HandlingSample] = []
        while try rows.step() {
            let from = Date(storageSeconds: rows.int64(4)), to = Date(storageSeconds: rows.int64(5))
            guard to >= from, let department = rows.text(0), let code = rows.text(2) else { continue }
            let kind: CategoryKind = try StoredValue.decode(rows.text(1), "kind", of: "a case of category \(code)")
            let minutes = rows.int64(3) != 0 ? Int(to.timeIntervalSince(from) / 60) : context.calendar.workingMinutes(from: from, to: to)
            samples.append(HandlingSample(department: department, category: CategoryKey(kind: kind, code: code), minutes: minutes))
        }
        return HandlingTimes(samples: samples, windowDays: settings.riskWindowDays, minSamples: settings.riskMinSamples)
    }

    // MARK: Approvals inbox

    /// Pending return, extension and suspension requests in the viewer's reach, oldest first, each with
    /// the effect of approving it previewed (as the viewer, or as a dispatcher of the holding center when
    /// the viewer is a lead who cannot decide).
    public func inbox(for viewer: Operator, at now: Date) throws(WorkflowError) -> [InboxItem] {
        try read { db in try Self.inbox(db, for: viewer, context: try self.context(db), at: now) }
    }

    static func inbox(_ db: Database, for viewer: Operator, context: LifecycleContext, at now: Date) throws -> [InboxItem] {
        let reach = Self.reach(of: viewer)
        let cases = try Row.fetchAll(db, sql: """
            SELECT * FROM service_case WHERE pending_kind IS NOT NULL AND is_open = 1 AND \(reach.sql) ORDER BY pending_at, id
            """, arguments: reach.arguments).map(CaseRows.serviceCase)
        var dispatchers: [String: Operator?] = [:]
        var logins: [Int64: String] = [:]
        let rules = try Self.settings(db).rules
        return try cases.compactMap { c -> InboxItem? in
            guard let pending = c.pending else { return nil }
            if logins[pending.requestedBy] == nil {
                logins[pending.requestedBy] = try String.fetchOne(db, sql: "SELECT login FROM operator WHERE id = ?", arguments: [pending.requestedBy])
            }
            let refusal = Lifecycle.refusal(of: .approve, on: c, by: viewer, rules: rules)
            var decider: Operator? = refusal == nil ? viewer : nil
            if decider == nil, let center = c.commandCenterID {
                if dispatchers[center] == nil {
                    let o = OperatorRecord.Columns.self
                    dispatchers[center] = try OperatorRecord.filter(o.role == Role.dispatcher.rawValue && o.centerID == center && o.active == true)
                        .order(o.id).fetchOne(db).map { r throws(WorkflowError) in try r.operatorValue() }
                }
                decider = dispatchers[center] ?? nil
            }
            var approved: ServiceCase?
            var previewError: String?
            if let decider {
                do {
                    approved = try preview(db, ActionRequest(action: .approve, caseID: c.id, actor: decider.login), actor: decider,
                                           context: context, at: max(now, c.lastEventAt))
                } catch let error as WorkflowError {
                    previewError = error.description
                }
            } else {
                previewError = "no dispatcher of \(c.commandCenterID ?? "the command center") to preview the decision as"
            }
            return InboxItem(serviceCase: c, request: pending, requestedBy: logins[pending.requestedBy] ?? nil, approved: approved,
                             previewError: previewError, canDecide: refusal == nil, refusal: refusal)
        }
    }

    // MARK: Workload

    /// Open work of the places a task could go. With a case: the inspectors of its cell's patrol area (a
    /// verify or check task), or the departments and district command centers (a dispatched or filed case),
    /// counted in the case's district. Without: what the viewer hands work to (a lead's inspectors, a
    /// dispatcher's departments and district centers).
    public func workload(for viewer: Operator, case caseID: Int64? = nil, at now: Date) throws(WorkflowError) -> WorkloadReport {
        try read { db in
            let context = try self.context(db)
            var report = WorkloadReport()
            let t = now.storageSeconds
            var inspectorSQL: (String, StatementArguments)?
            var district: String? = viewer.tier == .district ? viewer.regionCode : nil
            var wantsDepartments = viewer.role != .shiftLead && viewer.role != .intake && viewer.role != .inspector
            var cityHolder = viewer.role == .dispatcher && viewer.tier == .city
            if let caseID {
                let c = try Self.fetchCase(db, caseID)
                guard viewer.canSee(district: c.districtCode) else {
                    throw WorkflowError.notFound("no case \(caseID) in \(viewer.login)'s region \(viewer.regionCode)")
                }
                district = c.districtCode
                if c.state == .verifying || c.state == .checking || c.state.isBeforeFiling || c.state == .handled {
                    let area = try Self.cellPlace(db, c.cellCode).patrolAreaID ?? ""
                    inspectorSQL = ("role = 'inspector' AND active = 1 AND patrol_area = ?", [area])
                    wantsDepartments = false
                    cityHolder = false
                } else {
                    wantsDepartments = true
                    cityHolder = context.centers[c.commandCenterID ?? ""]?.tier == .city
                }
            } else if viewer.role == .shiftLead || viewer.role == .intake {
                inspectorSQL = ("role = 'inspector' AND active = 1 AND center_id = ?", [viewer.centerID ?? ""])
            }
            if let (sql, arguments) = inspectorSQL {
                let inspectors = try OperatorRecord.fetchAll(db, sql: "SELECT * FROM operator WHERE \(sql) ORDER BY login", arguments: arguments)
                    .map { r throws(WorkflowError) in try r.operatorValue() }
                var counts: [Int64: (Int, Int)] = [:]
                for row in try Row.fetchAll(db, sql: """
                    SELECT assignee, count(*) AS n, ifnull(sum(deadline < ?), 0) AS late FROM service_case
                    WHERE is_open = 1 AND assignee IN (SELECT id FROM operator WHERE \(sql)) GROUP BY assignee
                    """, arguments: [t] + arguments) {
                    counts[row["assignee"]] = (row["n"], row["late"])
                }
                report.inspectors = inspectors.map { Workload(key: $0.login, name: $0.name, open: counts[$0.id]?.0 ?? 0, overdue: counts[$0.id]?.1 ?? 0) }
                    .sorted { ($0.open, $0.key) < ($1.open, $1.key) }
            }
            if wantsDepartments {
                var sql = "SELECT department, count(*) AS n, ifnull(sum(deadline < ?), 0) AS late FROM service_case WHERE is_open = 1 AND state IN ('dispatched','suspended') AND department IS NOT NULL"
                var arguments: StatementArguments = [t]
                if let district { sql += " AND district_code = ?"; arguments += [district] }
                var counts: [String: (Int, Int)] = [:]
                for row in try Row.fetchAll(db, sql: sql + " GROUP BY department", arguments: arguments) { counts[row["department"]] = (row["n"], row["late"]) }
                report.departments = context.departments.values.map {
                    Workload(key: $0.code, name: $0.nameZh, open: counts[$0.code]?.0 ?? 0, overdue: counts[$0.code]?.1 ?? 0)
                }.sorted { ($0.open, $0.key) < ($1.open, $1.key) }
                if cityHolder, context.model.hasDistrictCommand {
                    let centers = context.centers.values.filter { $0.kind == .command && $0.tier == .district && (district == nil || $0.regionCode == district) }
                    for center in centers.sorted(by: { $0.id < $1.id }) {
                        let row = try Row.fetchOne(db, sql: "SELECT count(*) AS n, ifnull(sum(deadline < ?), 0) AS late FROM service_case WHERE is_open = 1 AND command_center = ?",
                                                   arguments: [t, center.id])
                        report.centers.append(Workload(key: center.id, name: center.nameZh, open: row?["n"] ?? 0, overdue: row?["late"] ?? 0))
                    }
                }
            }
            return report
        }
    }

    // MARK: Escalation

    /// Escalates every case a district command center holds whose stage clock has run past the site's
    /// `escalation.threshold` times its budget. Idempotent: an escalated case is the city's and is not
    /// picked again. Does nothing in models without both command tiers.
    public func autoEscalate(at now: Date) throws(WorkflowError) -> [AutoEscalation] {
        try write { db in
            let context = try self.context(db)
            guard context.model.hasDistrictCommand, context.model.hasCityCommand else { return [] }
            let threshold = try Self.oversightSettings(db).escalationThreshold
            let centers = context.centers.values.filter { $0.kind == .command && $0.tier == .district }.map(\.id)
            guard !centers.isEmpty else { return [] }
            let candidates = try Row.fetchAll(db, sql: """
                SELECT * FROM service_case WHERE is_open = 1 AND deadline < ? AND state IN ('filed','dispatched')
                AND command_center IN (\(centers.map { _ in "?" }.joined(separator: ","))) ORDER BY deadline, id
                """, arguments: [now.storageSeconds] + StatementArguments(centers)).map(CaseRows.serviceCase)
            var done: [AutoEscalation] = []
            for c in candidates {
                guard let reading = Lifecycle.reading(of: c, at: now, context: context),
                      let transition = try Lifecycle.autoEscalate(c, threshold: threshold, context: context, at: now) else { continue }
                try CaseRows.update(db, transition.after)
                try CaseRows.appendHistory(db, transition.entry)
                done.append(AutoEscalation(serviceCase: transition.after, fromCenter: c.commandCenterID ?? "", ratio: reading.ratio))
            }
            return done
        }
    }

    /// Escalations and returns since `since` that concern the viewer: made by or sent to the viewer's
    /// center, or on a case in the viewer's reach. Served by the partial index `history_escalation`.
    static func escalationEvents(_ db: Database, for viewer: Operator, since: Date) throws -> [EscalationEvent] {
        let reach = Self.reach(of: viewer)
        let center = viewer.centerID ?? ""
        let district = viewer.tier == .district ? viewer.regionCode : ""
        return try Row.fetchAll(db, sql: """
            SELECT h.case_id, h.at, h.action, h.center_id, h.target, h.note, o.login FROM history h
            JOIN service_case ON service_case.id = h.case_id LEFT JOIN operator o ON o.id = h.actor_id
            WHERE h.action IN ('escalate', 'return-to-district') AND h.at >= ?
              AND (h.center_id = ? OR h.target = ? OR district_code = ? OR (\(reach.sql)))
            ORDER BY h.at, h.case_id
            """, arguments: [since.storageSeconds, center, center, district] + reach.arguments).map { row in
            let action: String = row["action"]
            let center: String? = row["center_id"], target: String? = row["target"]
            return EscalationEvent(caseID: row["case_id"], at: Date(storageSeconds: row["at"]), action: action,
                                   fromCenter: center, toCenter: target, actor: row["login"], note: row["note"])
        }
    }

    // MARK: Handover

    /// What the next shift inherits: open cases by stage, overdue, pending requests, escalations, and
    /// counts since the shift started (`since`, default the last shift start of the site's `shift.starts`).
    public func handover(for viewer: Operator, since: Date? = nil, at now: Date) throws(WorkflowError) -> Handover {
        try read { db in
            let context = try self.context(db)
            let settings = try Self.oversightSettings(db)
            let start = since ?? ShiftClock.start(before: now, starts: settings.shiftStarts, timeZone: context.calendar.timeZone)
            let reach = Self.reach(of: viewer)
            let t = now.storageSeconds
            var byState: [CaseState: Int] = [:]
            var dueSoon = 0
            for row in try Row.fetchAll(db, sql: """
                SELECT state, count(*) AS n, ifnull(sum(deadline >= ? AND warn_at <= ?), 0) AS soon
                FROM service_case WHERE is_open = 1 AND \(reach.sql) GROUP BY state
                """, arguments: [t, t] + reach.arguments) {
                byState[try StoredValue.decode(row, "state", of: "a case of \(viewer.login)'s region")] = row["n"]
                dueSoon += row["soon"] as Int
            }
            let board = try Self.overdueBoard(db, for: viewer, context: context, at: now)
            let district = viewer.tier == .district ? viewer.regionCode : ""
            let escalated = try Row.fetchAll(db, sql: """
                SELECT * FROM service_case WHERE is_open = 1 AND escalated = 1 AND (district_code = ? OR (\(reach.sql))) ORDER BY deadline, id
                """, arguments: [district] + reach.arguments).map(CaseRows.serviceCase)
            let events = try Self.escalationEvents(db, for: viewer, since: start)
            var counts = ShiftCounts()
            let s = start.storageSeconds
            if let row = try Row.fetchOne(db, sql: """
                SELECT ifnull(sum(reported_at >= ?), 0) AS reported, ifnull(sum(filed_at >= ?), 0) AS filed,
                       ifnull(sum(dispatched_at >= ?), 0) AS dispatched, ifnull(sum(handled_at >= ?), 0) AS handled,
                       ifnull(sum(state = 'closed' AND closed_at >= ?), 0) AS closed,
                       ifnull(sum(state = 'cancelled' AND closed_at >= ?), 0) AS cancelled
                FROM service_case WHERE last_event_at >= ? AND \(reach.sql)
                """, arguments: [s, s, s, s, s, s, s] + reach.arguments) {
                counts.reported = row["reported"]; counts.filed = row["filed"]; counts.dispatched = row["dispatched"]
                counts.handled = row["handled"]; counts.closed = row["closed"]; counts.cancelled = row["cancelled"]
            }
            counts.escalated = events.filter { $0.action == CaseAction.escalate.rawValue }.count
            counts.returnedToDistrict = events.filter { $0.action == CaseAction.returnToDistrict.rawValue }.count
            return Handover(viewer: viewer, since: start, at: now,
                            openByStage: CaseState.open.compactMap { s in byState[s].map { (s, $0) } },
                            open: byState.values.reduce(0, +), dueSoon: dueSoon,
                            overdue: board.entries.filter { $0.dueState == .red },
                            pending: try Self.inbox(db, for: viewer, context: context, at: now),
                            escalated: escalated, escalations: events, sinceShift: counts)
        }
    }
}
