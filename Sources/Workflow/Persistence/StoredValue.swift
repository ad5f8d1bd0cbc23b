import GRDB

/// Reading a value stored as text into one of the domain's enums. A value this version of citygrid does not know
/// (damage, a hand edit, or a newer writer) is an error that names the row, the column and the value; it is never
/// read as a default, which would hide the damage and act on a case as if it were in another state.
enum StoredValue {
    /// `raw` as a `T`; NULL or an unknown value is an error naming `owner` (e.g. "case 12") and `field` ("state").
    static func decode<T: RawRepresentable>(_ raw: String?, _ field: String, of owner: @autoclosure () -> String) throws(WorkflowError) -> T
        where T.RawValue == String {
        guard let raw else { throw .storage("\(owner()) has no \(field)") }
        guard let value = T(rawValue: raw) else { throw .storage("\(owner()) has unknown \(field) '\(raw)'") }
        return value
    }

    /// `raw` as a `T`, nil when NULL; an unknown value is an error as in `decode`.
    static func decodeIfPresent<T: RawRepresentable>(_ raw: String?, _ field: String, of owner: @autoclosure () -> String) throws(WorkflowError) -> T?
        where T.RawValue == String {
        guard let raw else { return nil }
        guard let value = T(rawValue: raw) else { throw .storage("\(owner()) has unknown \(field) '\(raw)'") }
        return value
    }

    /// The column `column` of `row` as a `T` (see `decode`).
    static func decode<T: RawRepresentable>(_ row: Row, _ column: String, _ field: String? = nil, of owner: @autoclosure () -> String) throws(WorkflowError) -> T
        where T.RawValue == String {
        try decode(row[column] as String?, field ?? column.replacingOccurrences(of: "_", with: " "), of: owner())
    }

    /// The column `column` of `row` as a `T`, nil when NULL (see `decodeIfPresent`).
    static func decodeIfPresent<T: RawRepresentable>(_ row: Row, _ column: String, _ field: String? = nil, of owner: @autoclosure () -> String) throws(WorkflowError) -> T?
        where T.RawValue == String {
        try decodeIfPresent(row[column] as String?, field ?? column.replacingOccurrences(of: "_", with: " "), of: owner())
    }
}

extension StoredValue {
    /// A text column read into an enum: its table, its name, how a row is named in a finding, and the values it may hold.
    struct Column: Sendable {
        let table: String, column: String, owner: String, known: [String]
        init<T: RawRepresentable & CaseIterable>(_ table: String, _ column: String, owner: String, _ type: T.Type) where T.RawValue == String {
            self.table = table
            self.column = column
            self.owner = owner
            known = T.allCases.map(\.rawValue)
        }
    }

    /// Every column the store reads into an enum (what `doctor` checks, `stored_values`).
    static let columns: [Column] = [
        Column("service_case", "state", owner: "'case ' || id", CaseState.self),
        Column("service_case", "kind", owner: "'case ' || id", CategoryKind.self),
        Column("service_case", "source", owner: "'case ' || id", ReportSource.self),
        Column("service_case", "close_type", owner: "'case ' || id", CloseType.self),
        Column("service_case", "pending_kind", owner: "'case ' || id", RequestKind.self),
        Column("report", "source", owner: "'report ' || id", ReportSource.self),
        Column("history", "role", owner: "'the history row ' || seq || ' of case ' || case_id", Role.self),
        Column("history", "from_state", owner: "'the history row ' || seq || ' of case ' || case_id", CaseState.self),
        Column("history", "to_state", owner: "'the history row ' || seq || ' of case ' || case_id", CaseState.self),
        Column("operator", "role", owner: "'operator ' || login", Role.self),
        Column("operator", "tier", owner: "'operator ' || login", Tier.self),
        Column("center", "kind", owner: "'center ' || id", CenterKind.self),
        Column("center", "tier", owner: "'center ' || id", Tier.self),
        Column("category", "kind", owner: "'category ' || kind || ':' || code", CategoryKind.self),
        Column("category", "limit_unit", owner: "'category ' || kind || ':' || code", LimitUnit.self),
        Column("region", "level", owner: "'region ' || code", RegionLevel.self),
        Column("audit", "event", owner: "'audit row ' || id", AuditEvent.Kind.self),
        Column("component_history", "from_state", owner: "'the history row ' || seq || ' of component ' || component_id", ComponentState.self),
        Column("component_history", "to_state", owner: "'the history row ' || seq || ' of component ' || component_id", ComponentState.self),
    ]

    /// One finding per stored value this version does not know, at most `limit`: "case 12 has unknown state 'x'".
    /// One scan per table (the history is the largest table of a site).
    static func findings(_ db: Database, limit: Int = 100) throws -> [String] {
        var findings: [String] = []
        var tables: [String] = []
        for c in columns where !tables.contains(c.table) { tables.append(c.table) }
        for table in tables where findings.count < limit {
            let checked = columns.filter { $0.table == table }
            let unknown = checked.map { c in
                "(\(c.column) IS NOT NULL AND \(c.column) NOT IN (\(c.known.map { "'\($0)'" }.joined(separator: ", "))))"
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT \(checked[0].owner) AS owner, \(checked.map(\.column).joined(separator: ", ")) FROM \(table)
                WHERE \(unknown.joined(separator: " OR ")) LIMIT \(limit - findings.count)
                """)
            for row in rows {
                for c in checked {
                    let value: DatabaseValue = row[c.column]
                    guard !value.isNull else { continue }
                    let text = String.fromDatabaseValue(value) ?? value.description
                    if !c.known.contains(text) || String.fromDatabaseValue(value) == nil {
                        findings.append("\(row["owner"] as String? ?? table) has unknown \(c.column.replacingOccurrences(of: "_", with: " ")) '\(text)'")
                    }
                }
            }
        }
        return Array(findings.prefix(limit))
    }
}
