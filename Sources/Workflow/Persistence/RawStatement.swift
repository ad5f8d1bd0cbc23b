import Foundation
import GRDB
import GRDBSQLite

/// A prepared statement stepped through SQLite's C API, for reads of many rows (the rollup build reads
/// every history row; at-risk estimates tens of thousands of cases), where GRDB's row decoding by
/// column name would dominate. Use only inside one database access.
final class RawStatement {
    private let statement: Statement
    private let handle: OpaquePointer

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        handle = statement.sqliteStatement
    }

    func bind(_ arguments: StatementArguments) throws {
        try statement.setArguments(arguments)
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    func bind(_ index: Int32, _ value: String) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var text = value
        text.withUTF8 { buffer in
            _ = sqlite3_bind_text(handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(buffer.count), transient)
        }
    }

    func bind(_ index: Int32, _ value: Data) {
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        value.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count), transient)
        }
    }

    /// True while there is a row.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw DatabaseError(stepping: statement, code: code)
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column's storage class: SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
    func type(_ column: Int32) -> Int32 { sqlite3_column_type(handle, column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func optionalInt64(_ column: Int32) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return String(cString: pointer)
    }

    /// The column's text as bytes, valid only inside `body` (empty for NULL).
    func bytes<T>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let pointer = sqlite3_column_text(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        return body(UnsafeBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    func blob(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let pointer = sqlite3_column_blob(handle, column) else { return }
        body(UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// The column as a value of the history's hash chain (`ChainEncoder`), by its storage class.
    func encode(_ column: Int32, into encoder: inout ChainEncoder) {
        switch type(column) {
        case SQLITE_INTEGER: encoder.int(int64(column))
        case SQLITE_FLOAT: encoder.double(double(column))
        case SQLITE_TEXT: bytes(column) { encoder.text(bytes: $0) }
        case SQLITE_BLOB:
            let pointer = sqlite3_column_blob(handle, column)
            encoder.blob(bytes: UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : Int(sqlite3_column_bytes(handle, column))))
        default: encoder.null()
        }
    }

    /// The `via` column as the chain encodes it: nothing when NULL (rows from before it existed), else its value.
    func encodeVia(_ column: Int32, into encoder: inout ChainEncoder) {
        if type(column) != SQLITE_NULL { encode(column, into: &encoder) }
    }

    /// A 32-byte blob column as a chain hash; nil for anything else.
    func chainHash(_ column: Int32) -> ChainHash? {
        guard type(column) == SQLITE_BLOB, sqlite3_column_bytes(handle, column) == 32, let pointer = sqlite3_column_blob(handle, column) else { return nil }
        return ChainHash(bytes: UnsafeRawBufferPointer(start: pointer, count: 32))
    }

    deinit { sqlite3_reset(handle) }
}

extension DatabaseError {
    /// The error of a statement stepped through the C API, with SQLite's own message.
    init(stepping statement: Statement, code: Int32) {
        self.init(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement.sqliteStatement))),
                  sql: statement.sql)
    }
}
