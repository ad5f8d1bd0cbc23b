import GRDB
import GRDBSQLite

/// A prepared INSERT bound straight through SQLite's C API: the demo seeder writes tens of millions
/// of rows, and GRDB's argument boxing would double the time. Use only inside a write transaction.
struct BulkInsert: ColumnSink {
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

    // ColumnSink, so row layouts written once (CaseRows) bind straight to the statement.
    mutating func int(_ value: Int64?) { bind(value) }
    mutating func double(_ value: Double?) { bind(value) }
    mutating func text(_ value: String?) { bind(value) }

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
    mutating func insertCase(_ c: ServiceCase) throws {
        CaseRows.write(c, into: &self)
        try step()
    }

    mutating func insertHistory(_ e: HistoryEntry, seq: Int) throws {
        CaseRows.write(e, seq: seq, into: &self)
        try step()
    }
}
