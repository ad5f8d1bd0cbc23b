import Foundation
import GRDB

extension CityStore {

    /// The cases waiting on this operator's own action, urgent cases first, then by deadline: what the console's
    /// queue shows on top. Each branch is served by one partial index (see `Schema.caseIndexes`).
    public func needsAction(for op: Operator, at now: Date, limit: Int = 100, offset: Int = 0) throws(WorkflowError) -> [ServiceCase] {
        try read { db in
            try Self.needsAction(db, for: op, at: now, limit: limit, offset: offset)
        }
    }

    package static func needsActionBranches(for op: Operator, rules: CaseRules, at now: Date) -> [(sql: String, arguments: StatementArguments)] {
        let center = op.centerID ?? ""
        switch op.role {
        case .intake:
            return [
                ("monitor_center = ? AND state IN ('reported','handled')", [center]),
                ("monitor_center = ? AND state = 'accepted' AND confirmed = 0", [center]),
            ]
        case .shiftLead:
            // Filing and closing wait on the shift leads of the center the site's rules name (`CaseRules`).
            let inCommand = op.centerID.flatMap(Center.kind(ofID:)) == .command
            var branches: [(sql: String, arguments: StatementArguments)] = []
            if rules.closingCenter == .command {
                if inCommand { branches.append(("command_center = ? AND state = 'checked'", [center])) }
            } else if !inCommand {
                branches.append(("monitor_center = ? AND state = 'checked'", [center]))
            }
            if rules.filingCenter == .command {
                // The cases that go to this command center when filed (`ManagementModel.commandCenterAtFiling`).
                if inCommand {
                    let city = Center.id(kind: .command, tier: .city, district: nil)
                    let filing = "state = 'accepted' AND confirmed = 1"
                    switch rules.model {
                    case .centralized, .oneMonitorTwoCommand:
                        if center == city { branches.append((filing, [])) }
                    case .twoMonitorOneCommand:
                        branches.append(("district_code = ? AND " + filing, [op.regionCode]))
                    case .twoMonitorTwoCommand:
                        let monitor = center == city ? Center.id(kind: .monitoring, tier: .city, district: nil)
                                                     : Center.id(kind: .monitoring, tier: .district, district: op.regionCode)
                        branches.append(("monitor_center = ? AND " + filing, [monitor]))
                    }
                }
            } else if !inCommand {
                branches.append(("monitor_center = ? AND state = 'accepted' AND confirmed = 1", [center]))
            }
            return branches
        case .inspector:
            return [("assignee = ? AND state IN ('verifying','checking')", [op.id])]
        case .dispatcher:
            return [
                ("command_center = ? AND state = 'filed'", [center]),
                // Pending requests are few among thousands of dispatched cases: the partial index case_pending finds them.
                ("command_center = ? AND state = 'dispatched' AND pending_kind IS NOT NULL", [center]),
            ]
        case .department:
            let district = op.tier == .district ? " AND district_code = ?" : ""
            var args: StatementArguments = [op.departmentCode ?? ""]
            if op.tier == .district { args += [op.regionCode] }
            return [("department = ? AND state = 'dispatched' AND pending_kind IS NULL" + district, args)]
        case .supervisor, .admin:
            let district = op.tier == .district ? " AND district_code = ?" : ""
            var args: StatementArguments = [now.storageSeconds]
            if op.tier == .district { args += [op.regionCode] }
            return [("deadline < ?" + district, args)]
        }
    }

    static func needsAction(_ db: Database, for op: Operator, at now: Date, limit: Int, offset: Int) throws -> [ServiceCase] {
        let branches = needsActionBranches(for: op, rules: try settings(db).rules, at: now)
        guard !branches.isEmpty else { return [] }
        // Each branch orders by its own index; UNION ALL of small ordered sets, then one sort.
        let union = branches.map { "SELECT * FROM (SELECT * FROM service_case WHERE is_open = 1 AND \($0.sql) ORDER BY \(QueueSort.urgentFirst), deadline LIMIT \(limit + offset))" }
            .joined(separator: " UNION ALL ")
        let sql = "SELECT * FROM (\(union)) ORDER BY \(QueueSort.urgentFirst), deadline IS NULL, deadline, id LIMIT \(limit) OFFSET \(offset)"
        var arguments = StatementArguments()
        for branch in branches { arguments += branch.arguments }
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(CaseRows.serviceCase)
    }

    /// How many cases wait on this operator: the number beside the queue's title.
    public func needsActionCount(for op: Operator, at now: Date) throws(WorkflowError) -> Int {
        try read { db in
            var total = 0
            for branch in Self.needsActionBranches(for: op, rules: try Self.settings(db).rules, at: now) {
                total += try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE is_open = 1 AND \(branch.sql)",
                                          arguments: branch.arguments) ?? 0
            }
            return total
        }
    }

    /// Open cases per cell (and how many are overdue), for the grid map. Served by a covering index.
    public func openCountsByCell(at now: Date, district: String? = nil) throws(WorkflowError) -> [String: (open: Int, overdue: Int)] {
        try read { db in
            var sql = "SELECT cell_code, count(*) AS open, sum(deadline < ?) AS overdue FROM service_case WHERE is_open = 1"
            var arguments: StatementArguments = [now.storageSeconds]
            if let district {
                sql += " AND cell_code >= ? AND cell_code < ?"
                arguments += [district, district + ":"]
            }
            var result: [String: (open: Int, overdue: Int)] = [:]
            for row in try Row.fetchAll(db, sql: sql + " GROUP BY cell_code", arguments: arguments) {
                result[row["cell_code"]] = (row["open"], row["overdue"] ?? 0)
            }
            return result
        }
    }
}
