import Foundation
import GRDB

/// Which cases an export takes.
public struct CaseExportQuery: Sendable {
    /// Reported at or after.
    public var from: Date?
    /// Reported before.
    public var to: Date?
    public var states: [CaseState]?
    public var withHistory: Bool

    public init(from: Date? = nil, to: Date? = nil, states: [CaseState]? = nil, withHistory: Bool = false) {
        self.from = from; self.to = to; self.states = states; self.withHistory = withHistory
    }
}

/// Export column layouts. What export writes, import reads back: the report columns of `cases` are the
/// columns `import reports` takes, the grid's those of `import grid`, the components' those of `import components`.
/// Reporter phone numbers are never exported. Add columns, never rename them.
public enum ExportColumns {
    public static let cases = [
        "id", "state", "kind", "category", "cell", "district", "street", "community", "department", "source", "reporter",
        "reporter_name", "component", "description", "reported_at", "deadline", "filed_at", "dispatched_at", "handled_at",
        "closed_at", "close_type", "rework_count", "urgent", "reports_count", "lat", "lon",
    ]
    public static let grid = [
        "code", "name", "name_en", "row", "col", "lat", "lon", "patrol_area", "patrol_area_name", "district_name",
        "district_name_en", "street_name", "street_name_en", "community_name", "community_name_en",
        "street_kind",
    ]
    public static let components = ["id", "category", "name", "department", "cell", "state", "updated_at", "lat", "lon"]
}

extension CityStore {

    /// Streams cases in id order, each as a row of `ExportColumns.cases` (plus `history` and `reports` as JSON
    /// when asked), to `row`. Memory stays bounded: cases, history and reports are three cursors read in step.
    @discardableResult
    public func exportCases(_ query: CaseExportQuery, row: ([ExportValue], (lat: Double, lon: Double)?) throws(WorkflowError) -> Void) throws(WorkflowError) -> Int {
        try read { db in
            let zone = try Self.context(db).calendar.timeZone
            let times = FastInstant(timeZone: zone)
            func t(_ d: Date?) -> ExportValue { .text(d.map(times.string)) }
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let from = query.from { clauses.append("c.reported_at >= ?"); arguments += [from.storageSeconds] }
            if let to = query.to { clauses.append("c.reported_at < ?"); arguments += [to.storageSeconds] }
            if let states = query.states, !states.isEmpty {
                clauses.append("c.state IN (\(states.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(states.map(\.rawValue))
            }
            let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
            let points = try Self.cellPoints(db)
            let cases = try Row.fetchCursor(db, sql: """
                SELECT c.*, r.reporter_name AS first_reporter_name, o.login AS first_reporter_login,
                       (SELECT count(*) FROM report WHERE case_id = c.id) AS reports_count
                FROM service_case c
                LEFT JOIN report r ON r.id = (SELECT min(id) FROM report WHERE original_case_id = c.id)
                LEFT JOIN operator o ON o.id = r.reporter_id\(filter) ORDER BY c.id
                """, arguments: arguments)
            var history: RowCursor?
            var reports: RowCursor?
            if query.withHistory {
                let inFilter = clauses.isEmpty ? "" : " WHERE h.case_id IN (SELECT c.id FROM service_case c\(filter))"
                history = try Row.fetchCursor(db, sql: """
                    SELECT h.*, o.login AS actor_login FROM history h LEFT JOIN operator o ON o.id = h.actor_id\(inFilter)
                    ORDER BY h.case_id, h.seq
                    """, arguments: arguments)
                let reportFilter = clauses.isEmpty ? "" : " WHERE r.case_id IN (SELECT c.id FROM service_case c\(filter))"
                reports = try Row.fetchCursor(db, sql: """
                    SELECT r.id, r.case_id, r.original_case_id, r.source, r.reporter_name, r.description, r.reported_at, r.cell_code,
                           o.login AS reporter_login
                    FROM report r LEFT JOIN operator o ON o.id = r.reporter_id\(reportFilter) ORDER BY r.case_id, r.id
                    """, arguments: arguments)
            }
            var pendingHistory: (Int64, String)?
            var pendingReport: (Int64, String)?
            /// The JSON objects of one case from a cursor ordered by case id; rows of skipped cases pass by.
            func collect(_ cursor: RowCursor?, _ pending: inout (Int64, String)?, for id: Int64,
                         _ encode: (Row) -> String) throws -> String {
                guard let cursor else { return "[]" }
                var items: [String] = []
                if let p = pending {
                    if p.0 == id { items.append(p.1); pending = nil } else if p.0 > id { return "[]" } else { pending = nil }
                }
                while let r = try cursor.next() {
                    let caseID: Int64 = r["case_id"]
                    if caseID < id { continue }
                    let text = encode(r)
                    if caseID > id { pending = (caseID, text); break }
                    items.append(text)
                }
                return "[" + items.joined(separator: ",") + "]"
            }
            var count = 0
            while let r = try cases.next() {
                let c = try CaseRows.serviceCase(r)
                let point = points[c.cellCode]
                var values: [ExportValue] = [
                    .int(c.id), .text(c.state.rawValue), .text(c.kind.rawValue), .text(c.categoryCode), .text(c.cellCode),
                    .text(c.districtCode), .text(c.streetCode), .text(c.communityCode), .text(c.departmentCode),
                    .text(c.source.rawValue), .text(r["first_reporter_login"]), .text(r["first_reporter_name"]),
                    .text(c.componentID), .text(c.description), t(c.reportedAt), t(c.deadline), t(c.filedAt), t(c.dispatchedAt),
                    t(c.handledAt), t(c.closedAt), .text(c.closeType?.rawValue), .int(Int64(c.reworkCount)), .bool(c.urgent),
                    .int(r["reports_count"]), .number(point?.lat), .number(point?.lon),
                ]
                if query.withHistory {
                    values.append(.json(try collect(history, &pendingHistory, for: c.id) { h in
                        JSONText.object([
                            ("at", .text((h["at"] as Int64?).map { times.string(Date(storageSeconds: $0)) })), ("actor", .text(h["actor_login"])),
                            ("role", .text(h["role"])), ("center", .text(h["center_id"])), ("action", .text(h["action"])),
                            ("from", .text(h["from_state"])), ("to", .text(h["to_state"])), ("target", .text(h["target"])),
                            ("note", .text(h["note"])), ("late", .bool(h["late"])),
                        ])
                    }))
                    values.append(.json(try collect(reports, &pendingReport, for: c.id) { p in
                        JSONText.object([
                            ("id", .int(p["id"])), ("source", .text(p["source"])), ("reporter", .text(p["reporter_login"])),
                            ("reporter_name", .text(p["reporter_name"])), ("description", .text(p["description"])),
                            ("reported_at", .text((p["reported_at"] as Int64?).map { times.string(Date(storageSeconds: $0)) })),
                            ("cell", .text(p["cell_code"])), ("original_case", .int(p["original_case_id"])),
                        ])
                    }))
                }
                try row(values, point)
                count += 1
            }
            return count
        }
    }

    /// Every cell as a row of `ExportColumns.grid`, by code.
    @discardableResult
    public func exportGrid(row: ([ExportValue], (lat: Double, lon: Double)?) throws(WorkflowError) -> Void) throws(WorkflowError) -> Int {
        try read { db in
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT c.code, c.name_zh, c.name_en, c.grid_row, c.grid_col, c.lat, c.lon, c.patrol_area, p.name AS area_name,
                       d.name_zh AS d_zh, d.name_en AS d_en, s.name_zh AS s_zh, s.name_en AS s_en, s.town AS s_town, m.name_zh AS m_zh, m.name_en AS m_en
                FROM region c
                LEFT JOIN patrol_area p ON p.id = c.patrol_area
                LEFT JOIN region d ON d.code = substr(c.code, 1, 6)
                LEFT JOIN region s ON s.code = substr(c.code, 1, 9)
                LEFT JOIN region m ON m.code = substr(c.code, 1, 12)
                WHERE c.level = 'cell' ORDER BY c.code
                """)
            var count = 0
            while let r = try cursor.next() {
                let lat: Double? = r["lat"], lon: Double? = r["lon"]
                try row([.text(r["code"]), .text(r["name_zh"]), .text(r["name_en"]), .int(r["grid_row"]), .int(r["grid_col"]),
                         .number(lat), .number(lon), .text(r["patrol_area"]), .text(r["area_name"]), .text(r["d_zh"]), .text(r["d_en"]),
                         .text(r["s_zh"]), .text(r["s_en"]), .text(r["m_zh"]), .text(r["m_en"]),
                         .text(r["s_town"] == true ? RegionKind.town.rawValue : RegionKind.street.rawValue)],
                        lat.flatMap { la in lon.map { (la, $0) } })
                count += 1
            }
            return count
        }
    }

    /// Every component as a row of `ExportColumns.components`, by id, at its cell's centre.
    @discardableResult
    public func exportComponents(row: ([ExportValue], (lat: Double, lon: Double)?) throws(WorkflowError) -> Void) throws(WorkflowError) -> Int {
        try read { db in
            let zone = try Self.context(db).calendar.timeZone
            let times = FastInstant(timeZone: zone)
            let points = try Self.cellPoints(db)
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM component ORDER BY id")
            var count = 0
            while let r = try cursor.next() {
                let cell: String = r["cell_code"]
                let point = points[cell]
                try row([.text(r["id"]), .text(r["category_code"]), .text(r["name"]), .text(r["department"] as String?), .text(cell),
                         .text(ComponentState(stored: r["state"])?.rawValue ?? r["state"]), .text(times.string(Date(storageSeconds: r["updated_at"]))), .number(point?.lat),
                         .number(point?.lon)], point)
                count += 1
            }
            return count
        }
    }

    static func cellPoints(_ db: Database) throws -> [String: (lat: Double, lon: Double)] {
        var points: [String: (lat: Double, lon: Double)] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT code, lat, lon FROM region WHERE level = 'cell' AND lat IS NOT NULL AND lon IS NOT NULL") {
            points[r["code"]] = (r["lat"], r["lon"])
        }
        return points
    }
}
