import GRDB
import GRDBSQLite

/// A prepared INSERT bound straight through SQLite's C API: the demo seeder writes tens of millions
/// of rows, and GRDB's argument boxing would double the time. Use only inside a write transaction.
package struct BulkInsert: ColumnSink {
    private let statement: Statement
    private var column: Int32 = 0

    package init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    package mutating func bind(_ value: Int64) {
        column += 1
        sqlite3_bind_int64(statement.sqliteStatement, column, value)
    }

    package mutating func bind(_ value: Int) { bind(Int64(value)) }

    package mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    package mutating func bind(_ value: Double) {
        column += 1
        sqlite3_bind_double(statement.sqliteStatement, column, value)
    }

    package mutating func bind(_ value: String) {
        column += 1
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var text = value
        text.withUTF8 { buffer in
            _ = sqlite3_bind_text(statement.sqliteStatement, column, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                  Int32(buffer.count), transient)
        }
    }

    package mutating func bind(blob: UnsafeRawBufferPointer) {
        column += 1
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        // A blob of no bytes still needs a non-null pointer, or SQLite stores NULL.
        _ = sqlite3_bind_blob(statement.sqliteStatement, column, blob.baseAddress ?? UnsafeRawPointer(BatchInsert.empty), Int32(blob.count), transient)
    }

    package mutating func bindNull() {
        column += 1
        sqlite3_bind_null(statement.sqliteStatement, column)
    }

    package mutating func bind(_ value: String?) { if let value { bind(value) } else { bindNull() } }
    package mutating func bind(_ value: Int64?) { if let value { bind(value) } else { bindNull() } }
    package mutating func bind(_ value: Int?) { if let value { bind(value) } else { bindNull() } }
    package mutating func bind(_ value: Double?) { if let value { bind(value) } else { bindNull() } }

    // ColumnSink, so row layouts written once (CaseRows) bind straight to the statement.
    package mutating func int(_ value: Int64?) { bind(value) }
    package mutating func double(_ value: Double?) { bind(value) }
    package mutating func text(_ value: String?) { bind(value) }
    package mutating func blob(bytes: UnsafeRawBufferPointer) { bind(blob: bytes) }

    /// Runs the insert with the values bound since the last call, then clears them.
    package mutating func step() throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        column = 0
        guard code == SQLITE_DONE else {
            throw DatabaseError(stepping: statement, code: code)
        }
    }
}

extension BulkInsert {
    mutating func insertCase(_ c: ServiceCase) throws {
        CaseRows.write(c, into: &self)
        try step()
    }

    /// A history row with its place in the hash chain (`ChainAppender.next`).
    mutating func insertHistory(_ e: HistoryEntry, seq: Int, link: ChainLink) throws {
        CaseRows.write(e, seq: seq, link: link, into: &self)
        try step()
    }
}

/// Rows encoded away from the writer's thread for a bulk load: each value tagged, every text's bytes in
/// one arena, so the writer binds them in place (no copy, no allocation per value) and the threads that
/// build rows carry the encoding work.
package struct ColumnBuffer: ColumnSink, Sendable {
    enum Tag: UInt8 { case null, int, double, text, blob }

    let width: Int
    private(set) var tags: [Tag] = []
    /// An integer, a double's bit pattern, or a text's or blob's offset in `bytes`.
    private(set) var values: [Int64] = []
    /// Each text's or blob's length in bytes, in the order they were written.
    private(set) var lengths: [Int32] = []
    private(set) var bytes: [UInt8] = []

    package init(width: Int) { self.width = width }

    package var rowCount: Int { tags.count / width }

    package mutating func reserve(rows: Int, textBytes: Int) {
        tags.reserveCapacity(rows * width)
        values.reserveCapacity(rows * width)
        lengths.reserveCapacity(rows * width / 2)
        bytes.reserveCapacity(textBytes)
    }

    /// Empties the buffer, keeping its storage for the next rows.
    package mutating func removeAll() {
        tags.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }

    package mutating func int(_ value: Int64?) {
        guard let value else { return null() }
        tags.append(.int); values.append(value)
    }

    package mutating func double(_ value: Double?) {
        guard let value else { return null() }
        tags.append(.double); values.append(Int64(bitPattern: value.bitPattern))
    }

    package mutating func text(_ value: String?) {
        guard var value else { return null() }
        tags.append(.text); values.append(Int64(bytes.count))
        value.withUTF8 { utf8 in
            precondition(utf8.count < Int32.max, "a text of 2 GB cannot be bound")
            lengths.append(Int32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    package mutating func blob(bytes raw: UnsafeRawBufferPointer) {
        tags.append(.blob); values.append(Int64(bytes.count))
        precondition(raw.count < Int32.max, "a blob of 2 GB cannot be bound")
        lengths.append(Int32(raw.count))
        bytes.append(contentsOf: raw)
    }

    package mutating func null() { tags.append(.null); values.append(0) }

    /// Fills the chain columns of every row, in order, after `head`: rows whose first `HistoryChain.fieldCount`
    /// columns are a history row, then its `via` (text or NULL), and whose last two are placeholders written by `CaseRows.write(_:seq:link:into:)`
    /// (any position, a 32-byte hash). `head` ends as the last row's link.
    package mutating func chainHistory(after head: inout ChainLink) {
        precondition(width == HistoryChain.fieldCount + 3, "not a chained history buffer")
        var encoder = ChainEncoder()
        var value = 0
        var text = 0
        let rows = rowCount
        for _ in 0..<rows {
            let seq = head.seq + 1
            encoder.start(previous: head.hash, seq: seq)
            for _ in 0..<HistoryChain.fieldCount {
                switch tags[value] {
                case .null: encoder.null()
                case .int: encoder.int(values[value])
                case .double: encoder.double(Double(bitPattern: UInt64(bitPattern: values[value])))
                case .text, .blob:
                    let start = Int(values[value]), count = Int(lengths[text])
                    bytes.withUnsafeBufferPointer { all in
                        let slice = UnsafeBufferPointer(rebasing: all[start..<start + count])
                        if tags[value] == .text { encoder.text(bytes: slice) } else { encoder.blob(bytes: UnsafeRawBufferPointer(slice)) }
                    }
                    text += 1
                }
                value += 1
            }
            // `via`: part of the chain only when not NULL (see `HistoryChain`).
            if tags[value] == .text {
                let start = Int(values[value]), count = Int(lengths[text])
                bytes.withUnsafeBufferPointer { all in encoder.text(bytes: UnsafeBufferPointer(rebasing: all[start..<start + count])) }
                text += 1
            }
            value += 1
            head = ChainLink(seq: seq, hash: encoder.digest)
            precondition(tags[value] == .int && tags[value + 1] == .blob && lengths[text] == 32, "chain placeholders missing")
            values[value] = seq
            let offset = Int(values[value + 1])
            head.hash.withUnsafeBytes { hash in
                bytes.withUnsafeMutableBufferPointer { all in
                    for i in 0..<32 { all[offset + i] = hash[i] }
                }
            }
            text += 1
            value += 2
        }
    }
}

/// A multi-row INSERT for bulk loads: rows go in `rowsPerStatement` at a time (one statement step for
/// many rows), the rest one by one. Values bind straight from a `ColumnBuffer`, text without copying.
package struct BatchInsert {
    private let batch: Statement
    private let single: Statement
    private let width: Int
    private let rowsPerStatement: Int

    package init(_ db: Database, table: String, columns: [String], rowsPerStatement: Int = 32) throws {
        precondition(rowsPerStatement >= 1 && columns.count * rowsPerStatement <= 32_766, "too many variables for one statement")
        width = columns.count
        self.rowsPerStatement = rowsPerStatement
        let row = "(" + Array(repeating: "?", count: width).joined(separator: ",") + ")"
        let head = "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES "
        batch = try db.makeStatement(sql: head + Array(repeating: row, count: rowsPerStatement).joined(separator: ","))
        single = try db.makeStatement(sql: head + row)
    }

    /// Inserts every row of `buffer` (whose width must match the column list). Use inside a write transaction.
    package func insert(_ buffer: ColumnBuffer) throws {
        precondition(buffer.width == width, "a buffer of \(buffer.width) columns for an insert of \(width)")
        let rows = buffer.rowCount
        try buffer.tags.withUnsafeBufferPointer { tags in
            try buffer.values.withUnsafeBufferPointer { values in
                try buffer.lengths.withUnsafeBufferPointer { lengths in
                    try buffer.bytes.withUnsafeBufferPointer { bytes in
                        var cursor = Cursor(tags: tags, values: values, lengths: lengths, bytes: bytes)
                        var row = 0
                        while row + rowsPerStatement <= rows {
                            try cursor.run(batch, values: width * rowsPerStatement)
                            row += rowsPerStatement
                        }
                        while row < rows {
                            try cursor.run(single, values: width)
                            row += 1
                        }
                    }
                }
            }
        }
        // The bound texts pointed into the buffer; leave nothing that outlives it.
        sqlite3_clear_bindings(batch.sqliteStatement)
        sqlite3_clear_bindings(single.sqliteStatement)
    }

    private struct Cursor {
        let tags: UnsafeBufferPointer<ColumnBuffer.Tag>
        let values: UnsafeBufferPointer<Int64>
        let lengths: UnsafeBufferPointer<Int32>
        let bytes: UnsafeBufferPointer<UInt8>
        var next = 0
        var nextText = 0

        init(tags: UnsafeBufferPointer<ColumnBuffer.Tag>, values: UnsafeBufferPointer<Int64>, lengths: UnsafeBufferPointer<Int32>,
             bytes: UnsafeBufferPointer<UInt8>) {
            self.tags = tags
            self.values = values
            self.lengths = lengths
            self.bytes = bytes
        }

        /// Binds the next `count` values to `statement` and runs it.
        mutating func run(_ statement: Statement, values count: Int) throws {
            let handle = statement.sqliteStatement
            for column in 1...Int32(count) {
                let value = values[next]
                switch tags[next] {
                case .null: sqlite3_bind_null(handle, column)
                case .int: sqlite3_bind_int64(handle, column, value)
                case .double: sqlite3_bind_double(handle, column, Double(bitPattern: UInt64(bitPattern: value)))
                case .text:
                    let length = lengths[nextText]
                    nextText += 1
                    // An empty text still needs a non-null pointer, or SQLite stores NULL.
                    let start = length == 0 ? BatchInsert.empty : UnsafeRawPointer(bytes.baseAddress! + Int(value))
                    sqlite3_bind_text(handle, column, start.assumingMemoryBound(to: CChar.self), length, nil)
                case .blob:
                    let length = lengths[nextText]
                    nextText += 1
                    let start = length == 0 ? BatchInsert.empty : UnsafeRawPointer(bytes.baseAddress! + Int(value))
                    sqlite3_bind_blob(handle, column, start, length, nil)
                }
                next += 1
            }
            let code = sqlite3_step(handle)
            sqlite3_reset(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(stepping: statement, code: code)
            }
        }
    }

    nonisolated(unsafe) static let empty: UnsafeRawPointer = {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        pointer.initialize(to: 0)
        return UnsafeRawPointer(pointer)
    }()
}
