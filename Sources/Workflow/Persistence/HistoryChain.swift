import Foundation
import GRDB
import GRDBSQLite

/// A SHA-256 value of the history's hash chain: 32 bytes held inline (no allocation per row).
public struct ChainHash: Sendable, Hashable, CustomStringConvertible {
    var words: (UInt64, UInt64, UInt64, UInt64)

    /// The hash before the first row: 32 zero bytes.
    public static let genesis = ChainHash(words: (0, 0, 0, 0))

    init(words: (UInt64, UInt64, UInt64, UInt64)) { self.words = words }

    /// Exactly 32 bytes, else nil.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard bytes.count == 32 else { return nil }
        var value = ChainHash.genesis
        withUnsafeMutableBytes(of: &value.words) { target in
            for (i, byte) in bytes.enumerated() { target[i] = byte }
        }
        self = value
    }

    /// 64 hex digits, else nil.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// The SHA-256 of `input`.
    init(hashing input: UnsafeRawBufferPointer) {
        var value = ChainHash.genesis
        withUnsafeMutableBytes(of: &value.words) { target in
            Hashing.sha256(input) { digest in target.copyMemory(from: digest) }
        }
        self = value
    }

    public var bytes: [UInt8] { Swift.withUnsafeBytes(of: words) { Array($0) } }
    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public func withUnsafeBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try Swift.withUnsafeBytes(of: words, body)
    }

    public static func == (a: ChainHash, b: ChainHash) -> Bool { a.words == b.words }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0); hasher.combine(words.1); hasher.combine(words.2); hasher.combine(words.3)
    }
}

/// A position of the history's hash chain: the `chain_seq` of a row (0 before the first) and its hash.
public struct ChainLink: Sendable, Equatable {
    public var seq: Int64
    public var hash: ChainHash
    public static let start = ChainLink(seq: 0, hash: .genesis)
    public init(seq: Int64, hash: ChainHash) { self.seq = seq; self.hash = hash }

    /// `SEQ:HEX`, the form bulletins print and `verify --anchor` takes.
    public var anchor: String { "\(seq):\(hash.hex)" }

    /// Parses `SEQ:HEX`.
    public init(anchor text: String) throws(WorkflowError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let seq = Int64(parts[0]), seq >= 0, let hash = ChainHash(hex: String(parts[1])) else {
            throw .invalidInput("an anchor is SEQ:HASH (a row count and 64 hex digits, as the daily bulletin prints it)")
        }
        self.init(seq: seq, hash: hash)
    }
}

/// The history's hash chain (docs/integrity.md). Every history row, in the order rows were appended, gets the next
/// `chain_seq` (1, 2, 3…) and `chain_hash = SHA-256(previous row's chain_hash ‖ canonical encoding)`, where the
/// canonical encoding is the row's `chain_seq` as 8 big-endian bytes followed by its 12 columns (`CaseRows.historyColumns`)
/// and then, only when it is not NULL, its `via` column (so rows written before `via` existed keep their hashes),
/// each as a tag byte and its value: 0 NULL; 1 and an integer as 8 big-endian bytes; 2 and a double's bits likewise;
/// 3, the length as 4 big-endian bytes and the text's UTF-8 bytes; 4, the length and the bytes of a blob. The hash before
/// the first row is 32 zero bytes. The last row's hash (the head) commits to every row before it.
public enum HistoryChain {
    /// Where a row's own columns end and its chain columns start.
    static let fieldCount = CaseRows.historyColumns.count

    /// The chain's last position, from the unique index on `chain_seq` (rows without one are not part of the chain).
    package static func head(_ db: Database) throws -> ChainLink {
        guard let row = try Row.fetchOne(db, sql: "SELECT chain_seq, chain_hash FROM history WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1")
        else { return .start }
        let data: Data? = row[1]
        return ChainLink(seq: row[0], hash: data.flatMap { ChainHash(bytes: $0) } ?? .genesis)
    }

    /// The row at `seq` of the chain, if there is one.
    static func link(_ db: Database, at seq: Int64) throws -> ChainLink? {
        guard seq > 0 else { return .start }
        guard let data = try Data.fetchOne(db, sql: "SELECT chain_hash FROM history WHERE chain_seq = ?", arguments: [seq]) else { return nil }
        return ChainHash(bytes: data).map { ChainLink(seq: seq, hash: $0) }
    }
}

/// Builds a row's canonical encoding (see `HistoryChain`) into a reused buffer and hashes it with the previous hash.
struct ChainEncoder: ColumnSink {
    private(set) var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(512) }

    /// Starts a row: the previous hash and the row's chain position.
    mutating func start(previous: ChainHash, seq: Int64) {
        bytes.removeAll(keepingCapacity: true)
        previous.withUnsafeBytes { bytes.append(contentsOf: $0) }
        append(bigEndian: UInt64(bitPattern: seq))
    }

    mutating func append(bigEndian value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int64?) {
        guard let value else { return bytes.append(0) }
        bytes.append(1)
        append(bigEndian: UInt64(bitPattern: value))
    }

    mutating func double(_ value: Double?) {
        guard let value else { return bytes.append(0) }
        bytes.append(2)
        append(bigEndian: value.bitPattern)
    }

    mutating func text(_ value: String?) {
        guard var value else { return bytes.append(0) }
        value.withUTF8 { text(bytes: $0) }
    }

    mutating func text(bytes utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(3)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }

    mutating func blob(_ value: [UInt8]?) {
        guard let value else { return bytes.append(0) }
        value.withUnsafeBufferPointer { blob(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func blob(bytes raw: UnsafeRawBufferPointer) {
        bytes.append(4)
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: raw.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: raw)
    }

    mutating func null() { bytes.append(0) }

    /// The hash of what was encoded since `start`.
    var digest: ChainHash {
        bytes.withUnsafeBytes { ChainHash(hashing: $0) }
    }
}

/// Appends rows to the chain inside one write transaction: reads the head once, then hands out the next
/// position and hash for each row it is given, in order. A write that appends history rows must append them all
/// through one appender per transaction (or read the head again), so the rows follow each other in the chain.
struct ChainAppender {
    private(set) var head: ChainLink
    private var encoder = ChainEncoder()

    init(_ db: Database) throws { head = try HistoryChain.head(db) }
    init(head: ChainLink) { self.head = head }

    /// The chain columns of the next row: `e` as the history row at `seq` of its case.
    mutating func next(_ e: HistoryEntry, seq: Int) -> ChainLink {
        encoder.start(previous: head.hash, seq: head.seq + 1)
        CaseRows.write(e, seq: seq, into: &encoder)
        if let via = e.via { encoder.text(via) }
        head = ChainLink(seq: head.seq + 1, hash: encoder.digest)
        return head
    }
}

/// Something `verify` found wrong with the history or its guards. `kind` values are a contract (`verify --json`):
/// `unchained_row`, `changed_row`, `broken_link`, `missing_trigger`, `altered_trigger`, `missing_index`, `anchor_mismatch`.
public struct IntegrityFinding: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A history row with no place in the chain: written by something other than citygrid.
        case unchainedRow = "unchained_row"
        /// A row whose hash does not follow from its content and the row before: changed or forged there, or the row
        /// before was rewritten with a new hash.
        case changedRow = "changed_row"
        /// Chain positions missing (rows deleted) or repeated.
        case brokenLink = "broken_link"
        case missingTrigger = "missing_trigger"
        /// A guard trigger or index exists but is not the one citygrid made.
        case alteredTrigger = "altered_trigger"
        case missingIndex = "missing_index"
        /// The chain does not have the anchor's hash at the anchor's position.
        case anchorMismatch = "anchor_mismatch"
    }

    public var kind: Kind
    public var caseID: Int64?
    public var seq: Int?
    /// The row's place in the chain, when it has one.
    public var chainSeq: Int64?
    public var detail: String

    public init(kind: Kind, caseID: Int64? = nil, seq: Int? = nil, chainSeq: Int64? = nil, detail: String) {
        self.kind = kind; self.caseID = caseID; self.seq = seq; self.chainSeq = chainSeq; self.detail = detail
    }
}

extension HistoryChain {
    static let walkColumns = "chain_seq, chain_hash, " + CaseRows.historyColumns.joined(separator: ", ") + ", via"

    /// Chains the rows of a database made before the chain existed, in (case, seq) order (migration v7). Reads and
    /// writes in slices, so the read never runs over rows being updated.
    static func chainExistingRows(_ db: Database) throws {
        var head = ChainLink.start
        var encoder = ChainEncoder()
        let read = try RawStatement(db, sql: """
            SELECT \(CaseRows.historyColumns.joined(separator: ", ")) FROM history
            WHERE case_id > ?1 OR (case_id = ?1 AND seq > ?2) ORDER BY case_id, seq LIMIT 10000
            """)
        let update = try db.makeStatement(sql: "UPDATE history SET chain_seq = ?, chain_hash = ? WHERE case_id = ? AND seq = ?")
        var after: (caseID: Int64, seq: Int64) = (Int64.min, Int64.min)
        while true {
            read.reset()
            read.bind(1, after.caseID)
            read.bind(2, after.seq)
            var slice: [(caseID: Int64, seq: Int64, link: ChainLink)] = []
            while try read.step() {
                let seq = head.seq + 1
                encoder.start(previous: head.hash, seq: seq)
                for column in 0..<Int32(fieldCount) { read.encode(column, into: &encoder) }
                head = ChainLink(seq: seq, hash: encoder.digest)
                slice.append((read.int64(0), read.int64(1), head))
            }
            guard let last = slice.last else { break }
            for row in slice {
                try update.execute(arguments: [row.link.seq, Data(row.link.hash.bytes), row.caseID, row.seq])
            }
            after = (last.caseID, last.seq)
        }
    }

    /// The outcome of walking the whole chain.
    struct Walk {
        var rows: Int64 = 0
        var head = ChainLink.start
        /// The hash found at the anchor's position (nil: the chain does not reach it).
        var atAnchor: ChainHash?
    }

    /// Walks every history row in chain order, recomputing each hash from the row and the one before; reports each
    /// finding to `found`. Rows without a chain position are reported first.
    static func walk(_ db: Database, anchor: Int64?, found: (IntegrityFinding) -> Void) throws -> Walk {
        var walk = Walk()
        for row in try Row.fetchAll(db, sql: "SELECT case_id, seq FROM history WHERE chain_seq IS NULL ORDER BY case_id, seq") {
            walk.rows += 1
            found(IntegrityFinding(kind: .unchainedRow, caseID: row[0], seq: row[1],
                                   detail: "a row with no place in the hash chain: written outside citygrid"))
        }
        if anchor == 0 { walk.atAnchor = ChainHash.genesis }
        let rows = try RawStatement(db, sql: "SELECT \(walkColumns) FROM history WHERE chain_seq IS NOT NULL ORDER BY chain_seq")
        var encoder = ChainEncoder()
        var previous = ChainLink.start
        while try rows.step() {
            walk.rows += 1
            let chainSeq = rows.int64(0)
            let caseID = rows.int64(2), seq = Int(rows.int64(3))
            let stored = rows.chainHash(1)
            var current = stored ?? .genesis
            if chainSeq <= previous.seq {
                found(IntegrityFinding(kind: .brokenLink, caseID: caseID, seq: seq, chainSeq: chainSeq,
                                       detail: "chain position \(chainSeq) is held by more than one row (after \(previous.seq))"))
            } else if chainSeq > previous.seq + 1 {
                let missing = previous.seq + 1 == chainSeq - 1 ? "position \(chainSeq - 1) is" : "positions \(previous.seq + 1)–\(chainSeq - 1) are"
                found(IntegrityFinding(kind: .brokenLink, caseID: caseID, seq: seq, chainSeq: chainSeq,
                                       detail: "chain \(missing) missing before this row: rows were deleted"))
            } else {
                encoder.start(previous: previous.hash, seq: chainSeq)
                for column in 2..<Int32(2 + fieldCount) { rows.encode(column, into: &encoder) }
                rows.encodeVia(Int32(2 + fieldCount), into: &encoder)
                let computed = encoder.digest
                if stored == nil {
                    found(IntegrityFinding(kind: .changedRow, caseID: caseID, seq: seq, chainSeq: chainSeq,
                                           detail: "its chain hash is missing or not 32 bytes"))
                    current = computed
                } else if stored != computed {
                    found(IntegrityFinding(kind: .changedRow, caseID: caseID, seq: seq, chainSeq: chainSeq,
                                           detail: "its hash does not follow from its content and the row before: changed or forged here, or the row before was rewritten"))
                }
            }
            if chainSeq == anchor { walk.atAnchor = current }
            previous = ChainLink(seq: max(chainSeq, previous.seq), hash: current)
        }
        walk.head = previous
        return walk
    }

    /// Whether each of a case's rows (by seq) follows from its content and the chain row before it: what `case show`
    /// can say without walking the whole chain. A row with no chain position, or whose predecessor is gone, is false.
    static func verifyCase(_ db: Database, _ caseID: Int64) throws -> [Int: Bool] {
        let rows = try RawStatement(db, sql: "SELECT \(walkColumns) FROM history WHERE case_id = ? ORDER BY seq")
        rows.bind(1, caseID)
        let previousHash = try db.makeStatement(sql: "SELECT chain_hash FROM history WHERE chain_seq = ?")
        var encoder = ChainEncoder()
        var result: [Int: Bool] = [:]
        while try rows.step() {
            let seq = Int(rows.int64(3))
            guard rows.type(0) == SQLITE_INTEGER, let stored = rows.chainHash(1) else {
                result[seq] = false
                continue
            }
            let chainSeq = rows.int64(0)
            let previous: ChainHash?
            if chainSeq == 1 {
                previous = .genesis
            } else {
                previous = try Data.fetchOne(previousHash, arguments: [chainSeq - 1]).flatMap { ChainHash(bytes: $0) }
            }
            guard let previous, chainSeq >= 1 else {
                result[seq] = false
                continue
            }
            encoder.start(previous: previous, seq: chainSeq)
            for column in 2..<Int32(2 + fieldCount) { rows.encode(column, into: &encoder) }
            rows.encodeVia(Int32(2 + fieldCount), into: &encoder)
            result[seq] = encoder.digest == stored
        }
        return result
    }

    /// The chain's position and hash as of `instant`: the last row appended before it, taken as the row with the
    /// highest chain position dated before it (rows are appended as they happen; an import may append rows dated
    /// earlier, which then count from the day they are dated). Walks back from the head, so a recent instant is quick.
    static func head(_ db: Database, before instant: Int64) throws -> ChainLink {
        let rows = try RawStatement(db, sql: "SELECT chain_seq, chain_hash, at FROM history WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC")
        while try rows.step() {
            guard rows.int64(2) < instant else { continue }
            return ChainLink(seq: rows.int64(0), hash: rows.chainHash(1) ?? .genesis)
        }
        return .start
    }
}
