import Foundation
import GRDB

/// Columns the console's queue sorts by.
public enum QueueSort: String, Sendable, CaseIterable {
    case id, age, category, cell, state, department, due

    var orderSQL: String {
        switch self {
        case .id: "id"
        case .age: "reported_at"
        case .category: "kind, category_code"
        case .cell: "cell_code"
        case .state: "CASE state \(CaseState.allCases.enumerated().map { "WHEN '\($1.rawValue)' THEN \($0)" }.joined(separator: " ")) END"
        case .department: "ifnull(department, '')"
        case .due: "deadline IS NULL, deadline"
        }
    }
}

/// The queue's filters: live text, quick filters and the map's selected cell.
public struct QueueFilter: Sendable, Equatable {
    public var text = ""
    public var states: Set<CaseState> = []
    public var overdueOnly = false
    public var category: CategoryKey?
    /// A region code: district, street, community or cell.
    public var region: String?
    public init(text: String = "", states: Set<CaseState> = [], overdueOnly: Bool = false, category: CategoryKey? = nil, region: String? = nil) {
        self.text = text; self.states = states; self.overdueOnly = overdueOnly; self.category = category; self.region = region
    }
    public var isEmpty: Bool { text.isBlank && states.isEmpty && !overdueOnly && category == nil && region == nil }
}

/// One row of the queue: the case and whether it waits on the viewer.
public struct QueueEntry: Sendable, Equatable {
    public var serviceCase: ServiceCase
    public var needsMyAction: Bool
    public init(serviceCase: ServiceCase, needsMyAction: Bool) { self.serviceCase = serviceCase; self.needsMyAction = needsMyAction }
}

public struct QueueCounts: Sendable, Equatable {
    public var needsMyAction = 0
    public var others = 0
    public init(needsMyAction: Int = 0, others: Int = 0) { self.needsMyAction = needsMyAction; self.others = others }
    public var total: Int { needsMyAction + others }
}

/// What the status bar counts over the viewer's reach.
public struct ReachCounts: Sendable, Equatable {
    public init() {}
    public var open = 0
    public var new = 0
    public var dueSoon = 0
    public var overdue = 0
}

public struct CellMeasures: Sendable, Equatable {
    public init() {}
    public var open = 0
    public var overdue = 0
    public var newToday = 0
    /// 1 when an inspector's ping fell in the cell within the site's patrol interval (`patrol.interval_hours`).
    public var patrolled = 0
}

extension CityStore {

    /// The viewer's reach: the open cases their center (or department, or patrol area) holds.
    static func reach(of op: Operator) -> (sql: String, arguments: StatementArguments) {
        let center = op.centerID ?? ""
        switch op.role {
        case .intake: return ("monitor_center = ?", [center])
        // A command center's shift lead (who files or closes there, `CaseRules`) sees what the center holds.
        case .shiftLead: return Center.kind(ofID: center) == .command ? ("command_center = ?", [center]) : ("monitor_center = ?", [center])
        case .dispatcher: return ("command_center = ?", [center])
        case .department:
            return op.tier == .district ? ("department = ? AND district_code = ?", [op.departmentCode ?? "", op.regionCode])
                                        : ("department = ?", [op.departmentCode ?? ""])
        case .inspector:
            return ("(assignee = ? OR cell_code IN (SELECT code FROM region WHERE patrol_area = ?))", [op.id, op.patrolAreaID ?? ""])
        case .supervisor, .admin:
            return op.tier == .district ? ("district_code = ?", [op.regionCode]) : ("1", [])
        }
    }

    func filterClause(_ db: Database, _ filter: QueueFilter, at now: Date) throws -> (sql: String, arguments: StatementArguments) {
        var parts: [String] = []
        var arguments = StatementArguments()
        if !filter.states.isEmpty {
            parts.append("state IN (\(filter.states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ",")))")
        }
        if filter.overdueOnly { parts.append("deadline < ?"); arguments += [now.storageSeconds] }
        if let category = filter.category {
            parts.append("kind = ? AND category_code = ?"); arguments += [category.kind.rawValue, category.code]
        }
        if let region = filter.region, !region.isEmpty {
            let column = switch region.count {
            case 6: "district_code"
            case 9: "street_code"
            case 12: "community_code"
            default: "cell_code"
            }
            parts.append("\(column) = ?"); arguments += [region]
        }
        // Live text: every word must match something about the case (id, codes, names, state, department, text).
        let context = try self.context(db)
        for word in filter.text.split(whereSeparator: \.isWhitespace).map(String.init).prefix(6) {
            let lower = word.lowercased()
            let categoryCodes = context.categories.values.filter {
                $0.nameZh.contains(word) || $0.nameEn.lowercased().contains(lower) || $0.code == word
            }.map { "'\($0.code)'" }
            let communities = try String.fetchAll(db, sql: "SELECT code FROM region WHERE level IN ('community','street') AND (name_zh LIKE ? OR name_en LIKE ?) LIMIT 200",
                                                  arguments: ["%\(word)%", "%\(word)%"])
            var options = ["CAST(id AS TEXT) LIKE ?", "cell_code LIKE ?", "state = ?", "department = ?", "description LIKE ?"]
            arguments += ["\(word)%", "\(word)%", lower, word.uppercased(), "%\(word)%"]
            if !categoryCodes.isEmpty { options.append("category_code IN (\(categoryCodes.joined(separator: ",")))") }
            for code in communities {
                options.append(code.count == 12 ? "community_code = ?" : "street_code = ?")
                arguments += [code]
            }
            parts.append("(" + options.joined(separator: " OR ") + ")")
        }
        return (parts.isEmpty ? "1" : parts.joined(separator: " AND "), arguments)
    }

    func sections(_ db: Database, for op: Operator, filter: QueueFilter, at now: Date)
        throws -> (needs: (String, StatementArguments), others: (String, StatementArguments)) {
        let branches = Self.needsActionBranches(for: op, rules: try Self.settings(db).rules, at: now)
        // A shift lead whose center neither files nor closes (`CaseRules`) may have nothing waiting.
        let needsSQL = branches.isEmpty ? "0" : "(" + branches.map { "(\($0.sql))" }.joined(separator: " OR ") + ")"
        var needsArgs = StatementArguments()
        for branch in branches { needsArgs += branch.arguments }
        let reach = Self.reach(of: op)
        let filterPart = try filterClause(db, filter, at: now)
        let needs = ("is_open = 1 AND \(needsSQL) AND \(filterPart.sql)", needsArgs + filterPart.arguments)
        let others = ("is_open = 1 AND \(reach.sql) AND NOT \(needsSQL) AND \(filterPart.sql)", reach.arguments + needsArgs + filterPart.arguments)
        return (needs, others)
    }

    /// How many cases the queue holds, in each section.
    public func queueCounts(for op: Operator, filter: QueueFilter, at now: Date) throws(WorkflowError) -> QueueCounts {
        try read { db in
            let s = try self.sections(db, for: op, filter: filter, at: now)
            return QueueCounts(
                needsMyAction: try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE \(s.needs.0)", arguments: s.needs.1) ?? 0,
                others: try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE \(s.others.0)", arguments: s.others.1) ?? 0)
        }
    }

    /// One window of the queue: the needs-my-action section first, then the rest, each with its urgent cases first,
    /// then sorted.
    /// Only the rows asked for are read, so the queue costs the same on a million cases as on a hundred.
    public func queueWindow(for op: Operator, filter: QueueFilter, sort: QueueSort, ascending: Bool, offset: Int, limit: Int,
                            needsTotal: Int, at now: Date) throws(WorkflowError) -> [QueueEntry] {
        try read { db in
            let s = try self.sections(db, for: op, filter: filter, at: now)
            let order = QueueSort.urgentFirst + ", "
                + sort.orderSQL.split(separator: ",").map { "\($0) \(ascending ? "ASC" : "DESC")" }.joined(separator: ",")
                + ", id \(ascending ? "ASC" : "DESC")"
            var entries: [QueueEntry] = []
            if offset < needsTotal {
                entries += try Self.window(db, where: s.needs, order: order, limit: limit, offset: offset)
                    .map { QueueEntry(serviceCase: $0, needsMyAction: true) }
            }
            if entries.count < limit {
                entries += try Self.window(db, where: s.others, order: order, limit: limit - entries.count, offset: max(0, offset - needsTotal))
                    .map { QueueEntry(serviceCase: $0, needsMyAction: false) }
            }
            return entries
        }
    }

    /// The cases of one sorted window. The sort carries only the sort keys and ids (a whole row would
    /// make every sorted entry forty columns wide); the window's rows are then read by id.
    private static func window(_ db: Database, where clause: (String, StatementArguments), order: String, limit: Int,
                               offset: Int) throws -> [ServiceCase] {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM service_case WHERE \(clause.0) ORDER BY \(order) LIMIT ? OFFSET ?",
                                     arguments: clause.1 + [limit, offset])
        guard !ids.isEmpty else { return [] }
        var byID: [Int64: ServiceCase] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE id IN (\(ids.map(String.init).joined(separator: ",")))") {
            let c = try CaseRows.serviceCase(row)
            byID[c.id] = c
        }
        return ids.compactMap { byID[$0] }
    }

    /// New (reported in the last hour), due soon (yellow) and overdue (red) open cases in the viewer's reach.
    public func reachCounts(for op: Operator, at now: Date) throws(WorkflowError) -> ReachCounts {
        try read { db in
            let reach = Self.reach(of: op)
            let t = now.storageSeconds
            let row = try Row.fetchOne(db, sql: """
                SELECT count(*) AS open, ifnull(sum(reported_at >= ?), 0) AS new,
                       ifnull(sum(deadline >= ? AND warn_at <= ?), 0) AS soon, ifnull(sum(deadline < ?), 0) AS overdue
                FROM service_case WHERE is_open = 1 AND \(reach.sql)
                """, arguments: [t - 3600, t, t, t] + reach.arguments)
            var counts = ReachCounts()
            counts.open = row?["open"] ?? 0
            counts.new = row?["new"] ?? 0
            counts.dueSoon = row?["soon"] ?? 0
            counts.overdue = row?["overdue"] ?? 0
            return counts
        }
    }

    /// Per-cell measures for the grid map over a region (nil: the whole city).
    public func cellMeasures(region: String?, at now: Date, dayStart: Date) throws(WorkflowError) -> [String: CellMeasures] {
        try read { db in
            var result: [String: CellMeasures] = [:]
            var range = ""
            var arguments: StatementArguments = [now.storageSeconds]
            if let region, let bounds = Self.prefixRange(region), region.count >= 6, region != (try Self.settings(db).cityCode) {
                range = " AND cell_code >= ? AND cell_code < ?"
                arguments += [bounds.0, bounds.1]
            }
            for row in try Row.fetchAll(db, sql: "SELECT cell_code, count(*) AS open, sum(deadline < ?) AS overdue FROM service_case WHERE is_open = 1\(range) GROUP BY cell_code",
                                        arguments: arguments) {
                result[row["cell_code"], default: CellMeasures()].open = row["open"]
                result[row["cell_code"], default: CellMeasures()].overdue = row["overdue"] ?? 0
            }
            var todayArguments: StatementArguments = [dayStart.storageSeconds]
            if !range.isEmpty, let region, let bounds = Self.prefixRange(region) { todayArguments += [bounds.0, bounds.1] }
            for row in try Row.fetchAll(db, sql: "SELECT cell_code, count(*) AS n FROM service_case WHERE reported_at >= ?\(range) GROUP BY cell_code",
                                        arguments: todayArguments) {
                result[row["cell_code"], default: CellMeasures()].newToday = row["n"]
            }
            try Self.addPatrolled(db, into: &result, region: range.isEmpty ? nil : region, at: now)
            return result
        }
    }
}

extension CityStore {
    /// Reports of one category per cell in [from, to), for the heatmap's category measure.
    public func categoryCounts(_ category: CategoryKey, from: Date, to: Date, region: String?) throws(WorkflowError) -> [String: Int] {
        try read { db in
            let (sql, arguments) = try Self.categoryCountsQuery(db, category, from: from, to: to, region: region)
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) { result[row["cell_code"]] = row["n"] }
            return result
        }
    }

    /// The query of `categoryCounts`: a range of the covering index `case_category_reported` ("v18 category window
    /// index"), never the table (a test reads its plan).
    static func categoryCountsQuery(_ db: Database, _ category: CategoryKey, from: Date, to: Date, region: String?) throws -> (String, StatementArguments) {
        var sql = "SELECT cell_code, count(*) AS n FROM service_case WHERE kind = ? AND category_code = ? AND reported_at >= ? AND reported_at < ?"
        var arguments: StatementArguments = [category.kind.rawValue, category.code, from.storageSeconds, to.storageSeconds]
        let cityCode = try Self.settings(db).cityCode
        if let region, let bounds = Self.prefixRange(region), region != cityCode {
            sql += " AND cell_code >= ? AND cell_code < ?"
            arguments += [bounds.0, bounds.1]
        }
        return (sql + " GROUP BY cell_code", arguments)
    }
}
