import Foundation
import GRDB

/// What identifies an import file: the SHA-256 of its content and its size (the path is only told).
public struct ImportFileIdentity: Sendable, Equatable {
    public var sha256: String
    public var size: Int64
    public var path: String

    public init(sha256: String, size: Int64, path: String) { self.sha256 = sha256; self.size = size; self.path = path }

    /// Reads the file once to hash it. Nil for what is not a regular file (standard input, a pipe): it cannot be read twice.
    public static func of(path: String) throws(WorkflowError) -> ImportFileIdentity? {
        guard path != "-" else { return nil }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .notFound("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var hasher = Hashing.Incremental()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var size: Int64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .storage("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            size += Int64(n)
        }
        return ImportFileIdentity(sha256: hasher.finalizeHex(), size: size, path: path)
    }
}

/// A batched import of one file as the database records it, batch by batch in the same transaction as the batch's rows.
public struct ImportProgress: Sendable, Equatable {
    public enum State: String, Sendable { case running, done, abandoned }

    public var id: Int64
    /// reports, grid or components.
    public var kind: String
    public var file: ImportFileIdentity
    public var batchSize: Int
    /// The last line of the last committed batch (0: none): everything up to it is in the database.
    public var throughLine: Int
    public var records: Int
    public var imported: Int
    public var rejected: Int
    public var batches: Int
    /// `running` also after a death: the import did not reach the end of the file.
    public var state: State
    public var startedAt: Date
    public var updatedAt: Date
}

/// How a batched import records its progress (`ImportOptions.recording`).
public struct ImportRecording: Sendable {
    public var kind: String
    public var file: ImportFileIdentity
    /// The record an import resumes (nil: a new one is made with the first batch).
    public var resuming: Int64?

    public init(kind: String, file: ImportFileIdentity, resuming: Int64? = nil) {
        self.kind = kind; self.file = file; self.resuming = resuming
    }
}

extension CityStore {
    static let importKinds: Set<String> = ["reports", "grid", "components"]

    /// The latest batched import of this file as this kind (interrupted or complete; abandoned ones aside).
    public func importProgress(kind: String, file: ImportFileIdentity) throws(WorkflowError) -> ImportProgress? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM import_progress WHERE file_sha256 = ? AND file_size = ? AND kind = ? AND state <> 'abandoned'
                ORDER BY id DESC LIMIT 1
                """, arguments: [file.sha256, file.size, kind]).map(Self.importProgress)
        }
    }

    /// Marks an interrupted import as abandoned: the file is imported again from its start (`--again`).
    public func abandonImport(_ id: Int64) throws(WorkflowError) {
        try write { db in
            try db.execute(sql: "UPDATE import_progress SET state = 'abandoned', updated_at = ? WHERE id = ? AND state = 'running'",
                           arguments: [Date().storageSeconds, id])
        }
    }

    static func importProgress(_ row: Row) throws(WorkflowError) -> ImportProgress {
        ImportProgress(id: row["id"], kind: row["kind"],
                       file: ImportFileIdentity(sha256: row["file_sha256"], size: row["file_size"], path: row["path"]),
                       batchSize: row["batch_size"], throughLine: row["through_line"], records: row["records"], imported: row["imported"],
                       rejected: row["rejected"], batches: row["batches"], state: try StoredValue.decode(row, "state", of: "import \(row["id"] as Int64)"),
                       startedAt: CaseRows.date(row, "started_at") ?? .distantPast, updatedAt: CaseRows.date(row, "updated_at") ?? .distantPast)
    }

    /// Records a batch inside its own transaction: the file's progress moves with its rows, or not at all. Returns the
    /// record's id (made with the first batch of a new import).
    static func recordBatch(_ db: Database, _ recording: ImportRecording, id: Int64?, batchSize: Int, throughLine: Int?,
                            records: Int, imported: Int, rejected: Int, finished: Bool) throws -> Int64 {
        let now = Date().storageSeconds
        let state = finished ? "done" : "running"
        if let id {
            try db.execute(sql: """
                UPDATE import_progress SET through_line = max(through_line, ?), records = records + ?, imported = imported + ?,
                    rejected = rejected + ?, batches = batches + ?, state = ?, updated_at = ?, path = ?
                WHERE id = ?
                """, arguments: [throughLine ?? 0, records, imported, rejected, throughLine == nil ? 0 : 1, state, now,
                                 recording.file.path, id])
            return id
        }
        try db.execute(sql: """
            INSERT INTO import_progress(kind, file_sha256, file_size, path, batch_size, through_line, records, imported, rejected,
                batches, state, started_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [recording.kind, recording.file.sha256, recording.file.size, recording.file.path, batchSize,
                             throughLine ?? 0, records, imported, rejected, throughLine == nil ? 0 : 1, state, now, now])
        return db.lastInsertedRowID
    }
}
