import Foundation
import GRDB

extension CityStore {

    // MARK: Pings

    /// Imports pings from CSV `inspector,time,lat,lon` (header optional), read in chunks so a file of any size takes
    /// bounded memory, in one transaction: if any line is bad (malformed, an unknown or non-inspector login, a time
    /// outside the site's window) every such line is named (`PingRefusal`, as `invalidInput`) and nothing is written.
    /// Each ping is placed in the cell whose centre is nearest within `GridCell.reachMeters`, or in none.
    public func importPings<Source: ByteSource>(csv source: Source, at now: Date) throws(WorkflowError) -> PingImportResult {
        var reader = ByteLineReader(source, maxLineBytes: 4096)
        let zone = try timeWindow().timeZone
        return try writePings(at: now) { () throws(WorkflowError) -> Result<PingInput, PingProblem>?? in
            while let line = try reader.next() {
                if line.tooLong { return .some(.failure(PingProblem(line: line.number, text: "longer than 4096 bytes"))) }
                if let item = PingText.csvLine(line.bytes, line: line.number, zone: zone) { return .some(item) }
            }
            return .none
        }
    }

    /// Imports pings already read (a GPX track, a field app's one position), with the same checks as a CSV file.
    public func importPings(_ pings: [PingInput], at now: Date) throws(WorkflowError) -> PingImportResult {
        var iterator = pings.makeIterator()
        return try writePings(at: now) { () -> Result<PingInput, PingProblem>?? in iterator.next().map { .some(.success($0)) } ?? .none }
    }

    /// One position from a field app, now: the ping as stored, with its cell.
    public func ping(inspector: String, lat: Double, lon: Double, at now: Date) throws(WorkflowError) -> PatrolPing {
        guard PingText.validPosition(lat: lat, lon: lon) else { throw .invalidInput("(\(lat), \(lon)) is not a latitude and longitude") }
        _ = try importPings([PingInput(inspector: inspector, at: now, lat: lat, lon: lon, line: 0)], at: now)
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT p.*, o.login FROM patrol_ping p JOIN operator o ON o.id = p.inspector_id ORDER BY p.id DESC LIMIT 1
                """) else { throw WorkflowError.storage("the ping just written is not there") }
            return PatrolPing(inspectorID: row["inspector_id"], inspectorLogin: row["login"], at: Date(timeIntervalSince1970: Double(row["at"] as Int64)),
                              lat: row["lat"], lon: row["lon"], cellCode: row["cell_code"])
        }
    }

    /// The one writer of pings: `next` gives items until `.none`; a `.some(nil)` is a line to skip.
    private func writePings(at now: Date, _ next: () throws(WorkflowError) -> Result<PingInput, PingProblem>??) throws(WorkflowError) -> PingImportResult {
        try checkWritable()
        let window = try timeWindow()
        let earliest = window.earliest(now: now), latest = window.latest(now: now)
        var problems: [PingProblem] = []
        var count = 0
        func refuse(_ p: PingProblem) {
            count += 1
            if problems.count < PingRefusal.shown { problems.append(p) }
        }
        var result = PingImportResult()
        do {
            try writer.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    var inspectors: [String: Int64] = [:]
                    var others: [String: String] = [:]
                    for row in try Row.fetchAll(db, sql: "SELECT id, login, role, active FROM operator") {
                        let id: Int64 = row["id"], login: String = row["login"], role: String = row["role"], active: Bool = row["active"]
                        if role == "inspector" && active { inspectors[login] = id; inspectors[String(id)] = id } else {
                            let why = active ? "\(login) is \(role), not an inspector" : "operator \(login) is disabled"
                            others[login] = why; others[String(id)] = why
                        }
                    }
                    let locator = try Self.cellLocator(db)
                    var insert = try BulkInsert(db, sql: "INSERT INTO patrol_ping(inspector_id, at, lat, lon, cell_code) VALUES (?, ?, ?, ?, ?)")
                    var last: [String: (at: Int64, inspector: Int64)] = [:]
                    var seen = Set<Int64>()
                    while let item = try next() {
                        guard let item else { continue }
                        let ping: PingInput
                        switch item {
                        case .failure(let p): refuse(p); continue
                        case .success(let p): ping = p
                        }
                        guard let id = inspectors[ping.inspector] else {
                            refuse(PingProblem(line: ping.line, text: others[ping.inspector] ?? "no inspector '\(ping.inspector)'")); continue
                        }
                        guard ping.at >= earliest, ping.at <= latest else {
                            refuse(PingProblem(line: ping.line, text: "the time is outside the site's time window (\(InstantFormat(timeZone: window.timeZone).string(earliest)) to \(InstantFormat(timeZone: window.timeZone).string(latest)))"))
                            continue
                        }
                        guard count == 0 else { continue }   // only look for more problems once one is found
                        let at = ping.at.storageSeconds
                        let cell = locator.nearest(lat: ping.lat, lon: ping.lon)
                        insert.bind(id); insert.bind(at); insert.bind(ping.lat); insert.bind(ping.lon); insert.bind(cell)
                        try insert.step()
                        result.imported += 1
                        seen.insert(id)
                        if let cell {
                            if (last[cell]?.at ?? .min) < at { last[cell] = (at, id) }
                        } else {
                            result.outside += 1
                        }
                        if result.first.map({ ping.at < $0 }) ?? true { result.first = ping.at }
                        if result.last.map({ ping.at > $0 }) ?? true { result.last = ping.at }
                    }
                    guard count == 0 else { return .rollback }
                    if result.imported == 0 { refuse(PingProblem(line: 0, text: "no pings")); return .rollback }
                    var upsert = try BulkInsert(db, sql: """
                        INSERT INTO patrol_cell_last(cell_code, at, inspector_id) VALUES (?, ?, ?)
                        ON CONFLICT(cell_code) DO UPDATE SET at = excluded.at, inspector_id = excluded.inspector_id WHERE excluded.at > patrol_cell_last.at
                        """)
                    for (cell, v) in last {
                        upsert.bind(cell); upsert.bind(v.at); upsert.bind(v.inspector)
                        try upsert.step()
                    }
                    result.inspectors = seen.count
                    return .commit
                }
            }
        } catch let error as WorkflowError {
            throw error
        } catch {
            noteDamage(error)
            throw Self.translate(error, path: path ?? ":memory:")
        }
        guard count == 0 else { throw .invalidInput(PingRefusal(problems: problems, count: count).message()) }
        return result
    }

    /// The cell a position falls in (nearest centre within `GridCell.reachMeters`), nil outside every cell.
    public func patrolCell(lat: Double, lon: Double) throws(WorkflowError) -> String? {
        guard PingText.validPosition(lat: lat, lon: lon) else { throw .invalidInput("(\(lat), \(lon)) is not a latitude and longitude") }
        return try read { db in try Self.cellLocator(db).nearest(lat: lat, lon: lon) }
    }

    // MARK: Visits and coverage

    /// Each cell's latest visit in `(now − hours, now]`, and by whom. As of the present (no ping after `now`) it is read
    /// from `patrol_cell_last`, one row per cell; for a past instant, from the pings of the window.
    public func cellVisits(hours: Int, at now: Date) throws(WorkflowError) -> [String: CellVisit] {
        try read { db in try Self.cellVisits(db, hours: hours, at: now) }
    }

    static func cellVisits(_ db: Database, hours: Int, at now: Date) throws -> [String: CellVisit] {
        let t = now.storageSeconds, from = t - Int64(hours) * 3600
        var visits: [String: CellVisit] = [:]
        let latest = try Int64.fetchOne(db, sql: "SELECT max(at) FROM patrol_cell_last") ?? .min
        if latest <= t {
            for row in try Row.fetchAll(db, sql: "SELECT cell_code, at, inspector_id FROM patrol_cell_last WHERE at > ?", arguments: [from]) {
                visits[row["cell_code"]] = CellVisit(at: Date(timeIntervalSince1970: Double(row["at"] as Int64)), inspectorID: row["inspector_id"])
            }
            return visits
        }
        for row in try Row.fetchAll(db, sql: """
            SELECT cell_code, max(at) AS at, inspector_id FROM patrol_ping WHERE at > ? AND at <= ? AND cell_code IS NOT NULL GROUP BY cell_code
            """, arguments: [from, t]) {
            visits[row["cell_code"]] = CellVisit(at: Date(timeIntervalSince1970: Double(row["at"] as Int64)), inspectorID: row["inspector_id"])
        }
        return visits
    }

    /// Coverage (巡查覆盖率) over the `hours` before `now` (the site's interval when nil), grouped.
    public func patrolCoverage(by grouping: CoverageGrouping, hours: Int?, at now: Date) throws(WorkflowError) -> CoverageReport {
        try read { db in try Self.patrolCoverage(db, by: grouping, hours: hours, at: now) }
    }

    static func patrolCoverage(_ db: Database, by grouping: CoverageGrouping, hours: Int?, at now: Date) throws -> CoverageReport {
        do {
            let settings = try Self.patrolSettings(db)
            let hours = hours ?? settings.intervalHours
            let t = now.storageSeconds
            let cells = try Row.fetchAll(db, sql: "SELECT code, patrol_area FROM region WHERE level = 'cell' ORDER BY code").map {
                PatrolCoverage.Cell(code: $0["code"], patrolArea: $0["patrol_area"])
            }
            var visits: [PatrolCoverage.Visit] = []
            if grouping == .inspector {
                for row in try Row.fetchAll(db, sql: """
                    SELECT DISTINCT cell_code, inspector_id FROM patrol_ping WHERE at > ? AND at <= ? AND cell_code IS NOT NULL
                    """, arguments: [t - Int64(hours) * 3600, t]) {
                    visits.append(PatrolCoverage.Visit(cell: row["cell_code"], inspectorID: row["inspector_id"]))
                }
            } else {
                visits = try Self.cellVisits(db, hours: hours, at: now).map { PatrolCoverage.Visit(cell: $0.key, inspectorID: $0.value.inspectorID) }
            }
            let inspectors = try Row.fetchAll(db, sql: "SELECT id, login, patrol_area FROM operator WHERE role = 'inspector' AND active = 1 ORDER BY login")
                .map { PatrolCoverage.Inspector(id: $0["id"], login: $0["login"], patrolArea: $0["patrol_area"]) }
            let names = Dictionary(try Row.fetchAll(db, sql: "SELECT code, name_zh FROM region WHERE level IN ('district', 'street', 'community')")
                .map { ($0["code"] as String, $0["name_zh"] as String) }, uniquingKeysWith: { a, _ in a })
                .merging(try Row.fetchAll(db, sql: "SELECT id, name FROM patrol_area").map { ($0["id"] as String, $0["name"] as String) }, uniquingKeysWith: { a, _ in a })
            let rows = PatrolCoverage.rows(by: grouping, cells: cells, visits: visits, inspectors: inspectors, names: names)
            let total = PatrolCoverage.rows(by: .city, cells: cells, visits: visits, inspectors: [], names: [:]).first
                ?? CoverageRow(key: "TOTAL", name: nil, cells: 0, visited: 0)
            return CoverageReport(hours: hours, at: now, grouping: grouping, rows: rows, total: total)
        }
    }

    /// Patrol coverage as an indicator of `citygrid stats` (docs/evaluation.md): each evaluation row's coverage over the
    /// site's interval before `at`, by the row's key, where the grouping has one (a region or patrol area: its cells;
    /// an inspector: their own area's cells they visited); and the total's (the `within` region, else the city).
    static func evaluationCoverage(_ db: Database, grouping: EvaluationGrouping, within: String?, at: Date)
        throws -> (rows: [String: CoverageRow], total: CoverageRow, hours: Int) {
        let by: CoverageGrouping? = switch grouping {
        case .district: .district
        case .street: .street
        case .community: .community
        case .patrolArea: .patrolArea
        case .operator: .inspector
        case .city, .cell, .category, .department, .center: nil
        }
        let report = try patrolCoverage(db, by: by ?? .city, hours: nil, at: at)
        var total = report.total
        if let within {
            let level: CoverageGrouping? = switch within.count { case 6: .district; case 9: .street; case 12: .community; default: nil }
            if let level, let row = (level == by ? report : try patrolCoverage(db, by: level, hours: nil, at: at)).rows.first(where: { $0.key == within }) {
                total = row
            }
        }
        let rows = by == nil ? [:] : Dictionary(report.rows.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        return (rows, total, report.hours)
    }

    /// Cells not visited in the site's interval before `now` (or ever), longest unvisited first, with their last visit;
    /// within `region` (a code prefix) when given. At most `limit`.
    public func neglectedCells(within region: String?, at now: Date, limit: Int) throws(WorkflowError) -> NeglectedCells {
        try read { db in
            let hours = try Self.patrolSettings(db).intervalHours
            let t = now.storageSeconds
            var sql = "SELECT r.code, r.patrol_area, l.at FROM region r LEFT JOIN patrol_cell_last l ON l.cell_code = r.code WHERE r.level = 'cell'"
            var arguments: StatementArguments = []
            if let region, let range = Self.prefixRange(region) { sql += " AND r.code >= ? AND r.code < ?"; arguments = [range.0, range.1] }
            let latest = try Int64.fetchOne(db, sql: "SELECT max(at) FROM patrol_cell_last") ?? .min
            var last: [String: Int64] = [:]
            var areas: [String: String?] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                areas[row["code"]] = row["patrol_area"]
                if let at: Int64 = row["at"] { last[row["code"]] = at }
            }
            if latest > t {
                // Pinned in the past: the last visit at or before `now`, from the pings.
                last = [:]
                for row in try Row.fetchAll(db, sql: "SELECT cell_code, max(at) AS at FROM patrol_ping WHERE at <= ? AND cell_code IS NOT NULL GROUP BY cell_code",
                                            arguments: [t]) where areas[row["cell_code"]] != nil {
                    last[row["cell_code"]] = row["at"]
                }
            }
            let cutoff = t - Int64(hours) * 3600
            var cells = areas.compactMap { code, area -> NeglectedCell? in
                let at = last[code]
                guard (at ?? .min) <= cutoff else { return nil }
                return NeglectedCell(cellCode: code, patrolArea: area, lastVisit: at.map { Date(timeIntervalSince1970: Double($0)) })
            }
            let total = cells.count
            cells.sort { ($0.lastVisit ?? .distantPast, $0.cellCode) < ($1.lastVisit ?? .distantPast, $1.cellCode) }
            return NeglectedCells(hours: hours, cells: Array(cells.prefix(max(0, limit))), total: total)
        }
    }
}

/// A cell's latest visit in a window.
public struct CellVisit: Sendable, Equatable {
    public var at: Date
    public var inspectorID: Int64
}

/// Cells not visited for longer than the site's interval.
public struct NeglectedCells: Sendable, Equatable {
    public var hours: Int
    /// Longest unvisited first (never visited before all).
    public var cells: [NeglectedCell]
    /// All of them, `cells` may hold fewer.
    public var total: Int
}

public struct NeglectedCell: Sendable, Equatable {
    public var cellCode: String
    public var patrolArea: String?
    public var lastVisit: Date?
}

extension CityStore {
    /// The map's "patrolled" measure: each cell (within `region`, a code prefix) visited in the site's interval before `now`.
    static func addPatrolled(_ db: Database, into result: inout [String: CellMeasures], region: String?, at now: Date) throws {
        let hours = try patrolSettings(db).intervalHours
        let prefix = region.flatMap { $0.count >= 6 ? $0 : nil }
        for code in try cellVisits(db, hours: hours, at: now).keys where prefix.map({ code.hasPrefix($0) }) ?? true {
            result[code, default: CellMeasures()].patrolled = 1
        }
    }
}
