import Foundation
import GRDB

/// What `roster import` did.
public struct RosterImportResult: Sendable, Equatable {
    /// Rows written.
    public var rows: Int
    /// The days the file held: each replaced as a whole.
    public var days: [LocalDate]
    /// Rows of those days that were there before and are gone now.
    public var replaced: Int
}

extension CityStore {

    // MARK: Settings

    public func patrolSettings() throws(WorkflowError) -> PatrolSettings {
        try read { db in try Self.patrolSettings(db) }
    }

    static func patrolSettings(_ db: Database) throws -> PatrolSettings {
        var values: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT key, value FROM site WHERE key IN (\(PatrolSettings.keys.map { "'\($0)'" }.joined(separator: ",")))") {
            values[row["key"]] = row["value"]
        }
        return try PatrolSettings(values: values)
    }

    /// Stores the settings (`roster.shifts`, `patrol.interval_hours`). A shift the roster still uses cannot be dropped.
    public func setPatrolSettings(_ settings: PatrolSettings) throws(WorkflowError) {
        _ = try PatrolSettings(values: settings.values)
        try write { db in
            let names = Set(settings.shifts.map(\.name))
            let used = try String.fetchAll(db, sql: "SELECT DISTINCT shift FROM roster_shift ORDER BY shift").filter { !names.contains($0) }
            guard used.isEmpty else {
                throw WorkflowError.invalidInput("the roster still has shifts \(used.joined(separator: ", ")); keep them or import those days again first")
            }
            for (key, value) in settings.values {
                try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
        }
    }

    // MARK: Import

    /// Writes a roster: every day named in `lines` is replaced as a whole by the lines of that day. Checked first, all of
    /// it: a shift the site does not name, an unknown patrol area, an inspector who is unknown, disabled, not an
    /// inspector or outside the area's district, the same area and shift twice on a day: the whole file is refused with
    /// every such line, and nothing is written.
    public func importRoster(_ lines: [RosterLine]) throws(WorkflowError) -> RosterImportResult {
        try write { db in
            let settings = try Self.patrolSettings(db)
            var areas: [String: String] = [:]   // id -> district
            for row in try Row.fetchAll(db, sql: "SELECT id, community_code FROM patrol_area") {
                areas[row["id"]] = String((row["community_code"] as String).prefix(6))
            }
            var operators: [String: Result<Operator, WorkflowError>] = [:]
            var problems: [(line: Int, problem: String)] = []
            var count = 0
            func refuse(_ line: Int, _ problem: String) {
                count += 1
                if problems.count < RosterRefusal.shown { problems.append((line, problem)) }
            }
            var seen: [String: Int] = [:]
            var entries: [RosterEntry] = []
            for line in lines {
                var bad = false
                if settings.shift(named: line.shift) == nil {
                    refuse(line.line, "no shift '\(line.shift)' (the site's shifts: \(settings.shifts.map(\.name).joined(separator: ", ")))")
                    bad = true
                }
                let district = areas[line.patrolArea]
                if district == nil { refuse(line.line, "no patrol area '\(line.patrolArea)'"); bad = true }
                let found = operators[line.inspector] ?? Result { () throws(WorkflowError) in
                    do { return try Self.findOperator(db, line.inspector) } catch let error as WorkflowError { throw error } catch {
                        throw WorkflowError.storage("\(error)")
                    }
                }
                operators[line.inspector] = found
                var inspector: Operator?
                switch found {
                case .failure(let error): refuse(line.line, error.message); bad = true
                case .success(let op):
                    if op.role != .inspector { refuse(line.line, "\(op.login) is \(op.role.rawValue), not an inspector"); bad = true }
                    else if let district, !op.canSee(district: district) {
                        refuse(line.line, "\(op.login) works in \(op.regionCode), not in district \(district) of patrol area \(line.patrolArea)"); bad = true
                    }
                    inspector = op
                }
                let key = "\(line.date) \(line.shift) \(line.patrolArea)"
                if let first = seen[key] {
                    refuse(line.line, "patrol area \(line.patrolArea) has shift \(line.shift) on \(line.date) already (line \(first))"); bad = true
                } else {
                    seen[key] = line.line
                }
                if !bad, let inspector {
                    entries.append(RosterEntry(date: line.date, shift: line.shift, patrolArea: line.patrolArea,
                                               inspectorID: inspector.id, inspectorLogin: inspector.login))
                }
            }
            if lines.isEmpty { refuse(1, "no rows") }
            guard count == 0 else { throw WorkflowError.invalidInput(RosterRefusal(problems: problems, count: count).message) }
            let days = Array(Set(entries.map(\.date))).sorted()
            var replaced = 0
            for day in days {
                try db.execute(sql: "DELETE FROM roster_shift WHERE date = ?", arguments: [day.description])
                replaced += db.changesCount
            }
            for e in entries {
                try db.execute(sql: "INSERT INTO roster_shift(date, shift, patrol_area, inspector_id) VALUES (?, ?, ?, ?)",
                               arguments: [e.date.description, e.shift, e.patrolArea, e.inspectorID])
            }
            return RosterImportResult(rows: entries.count, days: days, replaced: replaced)
        }
    }

    // MARK: Reading

    /// The roster rows of days `from ... to` (both included), by day, shift (in the settings' order), area.
    public func roster(from: LocalDate, to: LocalDate) throws(WorkflowError) -> [RosterEntry] {
        try read { db in
            let order = try Self.patrolSettings(db).shifts.map(\.name)
            return try Self.rosterEntries(db, from: from, to: to).sorted {
                ($0.date, order.firstIndex(of: $0.shift) ?? .max, $0.patrolArea) < ($1.date, order.firstIndex(of: $1.shift) ?? .max, $1.patrolArea)
            }
        }
    }

    static func rosterEntries(_ db: Database, from: LocalDate, to: LocalDate) throws -> [RosterEntry] {
        try Row.fetchAll(db, sql: """
            SELECT r.date, r.shift, r.patrol_area, r.inspector_id, o.login FROM roster_shift r JOIN operator o ON o.id = r.inspector_id
            WHERE r.date BETWEEN ? AND ?
            """, arguments: [from.description, to.description]).map { row in
            let text: String = row["date"]
            guard let date = LocalDate(string: text) else { throw WorkflowError.storage("roster row with date '\(text)'") }
            return RosterEntry(date: date, shift: row["shift"], patrolArea: row["patrol_area"], inspectorID: row["inspector_id"],
                               inspectorLogin: row["login"])
        }
    }

    /// Whether any roster has been imported: without one, tasks go only where the operator sends them.
    static func hasRoster(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM roster_shift)") ?? false
    }

    /// The roster rows on duty at `now`.
    public func onDuty(at now: Date) throws(WorkflowError) -> [RosterEntry] {
        try read { db in try Self.onDuty(db, context: try self.context(db), at: now) }
    }

    static func onDuty(_ db: Database, context: LifecycleContext, at now: Date) throws -> [RosterEntry] {
        let days = Roster.days(around: now, calendar: context.calendar)
        let entries = try rosterEntries(db, from: days[0], to: days[1])
        return Roster.onDuty(at: now, entries: entries, shifts: try patrolSettings(db).shifts, calendar: context.calendar)
    }

    /// Who takes an inspector's task in `cellCode` at `now` (`Roster.cover`); nil when the site has no roster.
    public func dutyCover(cell cellCode: String, at now: Date) throws(WorkflowError) -> Roster.Cover? {
        try read { db in try Self.dutyCover(db, cell: cellCode, context: try self.context(db), at: now) }
    }

    static func dutyCover(_ db: Database, cell cellCode: String, context: LifecycleContext, at now: Date) throws -> Roster.Cover? {
        guard try hasRoster(db) else { return nil }
        guard let cell = try Row.fetchOne(db, sql: "SELECT grid_row, grid_col, patrol_area FROM region WHERE code = ? AND level = 'cell'",
                                          arguments: [cellCode]) else { throw WorkflowError.notFound("no cell \(cellCode) in this city") }
        let onDuty = try onDuty(db, context: context, at: now)
        var areaCells: [String: [Roster.Place]] = [:]
        var areaDistrict: [String: String] = [:]
        let areas = Set(onDuty.map(\.patrolArea))
        if !areas.isEmpty {
            for row in try Row.fetchAll(db, sql: """
                SELECT patrol_area, grid_row, grid_col, code FROM region
                WHERE level = 'cell' AND patrol_area IN (SELECT DISTINCT patrol_area FROM roster_shift WHERE date BETWEEN ? AND ?)
                """, arguments: [Roster.days(around: now, calendar: context.calendar)[0].description,
                                 Roster.days(around: now, calendar: context.calendar)[1].description]) {
                let area: String = row["patrol_area"]
                guard areas.contains(area) else { continue }
                areaCells[area, default: []].append(Roster.Place(row: row["grid_row"], col: row["grid_col"]))
                areaDistrict[area] = String((row["code"] as String).prefix(6))
            }
        }
        return Roster.cover(cell: Roster.Place(row: cell["grid_row"], col: cell["grid_col"]), cellArea: cell["patrol_area"],
                            district: String(cellCode.prefix(6)), onDuty: onDuty, areaCells: areaCells, areaDistrict: areaDistrict)
    }
}

extension CityStore {
    /// A verify or check task, or an inspector's task moved (reassign), on a site with a roster: without a named
    /// inspector the task goes to the one on duty for the cell (`Roster.cover`), and whoever the roster puts on the cell
    /// now may take it though the cell is not in their own area. Without a roster the request is left as it is (a task
    /// then needs a named inspector of the cell's area, as before rosters).
    static func rosteredRequest(_ db: Database, _ request: ActionRequest, case current: ServiceCase, context: LifecycleContext,
                                at now: Date) throws -> (ActionRequest, Set<Int64>) {
        let inspectorTask = request.action.spec.target == .inspector
            || (request.action == .reassign && (current.state == .verifying || current.state == .checking))
        guard inspectorTask, let cover = try dutyCover(db, cell: current.cellCode, context: context, at: now) else { return (request, []) }
        var request = request
        let named = request.target?.trimmingCharacters(in: .whitespaces) ?? ""
        if named.isEmpty, request.action.spec.target == .inspector {
            guard let first = cover.inspectorIDs.first else {
                throw WorkflowError.notFound("nobody is on duty in the patrol area of cell \(current.cellCode) or a neighbouring one; name an inspector")
            }
            request.target = String(first)
        }
        return (request, Set(cover.inspectorIDs))
    }
}

extension CityStore {
    /// Open verify and check tasks in `reach` whose inspector the roster has off duty at `now`, oldest task first.
    static func offDutyTasks(_ db: Database, reach: (sql: String, arguments: StatementArguments), context: LifecycleContext,
                             at now: Date) throws -> [BoardEntry] {
        guard try hasRoster(db) else { return [] }
        let onDuty = Set(try onDuty(db, context: context, at: now).map(\.inspectorID))
        let logins = try inspectorLogins(db)
        let tasks = try Row.fetchAll(db, sql: """
            SELECT * FROM service_case WHERE is_open = 1 AND state IN ('verifying', 'checking') AND assignee IS NOT NULL AND \(reach.sql)
            ORDER BY last_event_at, id
            """, arguments: reach.arguments).map(CaseRows.serviceCase)
        return tasks.compactMap { c in
            guard let assignee = c.assigneeID, !onDuty.contains(assignee),
                  let reading = Lifecycle.reading(of: c, at: now, context: context) else { return nil }
            let who = OverdueBoard.responsible(for: c, logins: logins)
            return BoardEntry(serviceCase: c, reading: reading, dueState: c.dueState(at: now) ?? .green, responsible: who.0,
                              responsibleKind: who.1, risk: nil)
        }
    }
}
