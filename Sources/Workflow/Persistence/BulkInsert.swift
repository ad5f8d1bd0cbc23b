import GRDB
import GRDBSQLite

/// A prepared INSERT bound straight through SQLite's C API: the demo seeder writes tens of millions
/// of rows, and GRDB's argument boxing would double the time. Use only inside a write transaction.
struct BulkInsert {
    private let statement: Statement
    private var column: Int32 = 0

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    mutating func bind(_ value: Int64) {
        column += 1
        sqlite3_bind_int64(statement.sqliteStatement, column, value)
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    mutating func bind(_ value: Double) {
        column += 1
        sqlite3_bind_double(statement.sqliteStatement, column, value)
    }

    mutating func bind(_ value: String) {
        column += 1
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var text = value
        text.withUTF8 { buffer in
            _ = sqlite3_bind_text(statement.sqliteStatement, column, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(buffer.count), transient)
        }
    }

    mutating func bindNull() {
        column += 1
        sqlite3_bind_null(statement.sqliteStatement, column)
    }

    mutating func bind(_ value: String?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind(_ value: Int64?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind(_ value: Int?) { if let value { bind(value) } else { bindNull() } }
    mutating func bind(_ value: Double?) { if let value { bind(value) } else { bindNull() } }

    /// Runs the insert with the values bound since the last call, then clears them.
    mutating func step() throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        column = 0
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: statement.sql)
        }
    }
}

extension BulkInsert {
    mutating func bind(_ value: DatabaseValue) {
        switch value.storage {
        case .null: bindNull()
        case .int64(let v): bind(v)
        case .double(let v): bind(v)
        case .string(let v): bind(v)
        case .blob: bindNull()
        }
    }

    /// One case row, in `CaseRows.columns` order.
    mutating func insertCase(_ c: ServiceCase) throws {
        for value in CaseRows.values(c) { bind(value?.databaseValue ?? .null) }
        try step()
    }

    /// One history row, in `CaseRows.insertHistorySQL` order.
    mutating func insertHistory(_ e: HistoryEntry) throws {
        bind(e.caseID); bind(e.at.storageSeconds); bind(e.actorID); bind(e.role?.rawValue); bind(e.centerID)
        bind(e.action); bind(e.from?.rawValue); bind(e.to.rawValue); bind(e.target); bind(e.note); bind(e.late)
        try step()
    }
}
