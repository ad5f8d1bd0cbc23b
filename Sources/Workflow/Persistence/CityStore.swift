import Foundation
import GRDB
import Synchronization

/// The site's database: one SQLite file in WAL mode, shared by consoles, the CLI, importers and the
/// simulator. Every write is one immediate transaction that changes the case and appends its history
/// rows together, so no change is ever unexplained and a refused action writes nothing.
public final class CityStore: Sendable {
    public let writer: any DatabaseWriter
    public let path: String?
    /// The file as opened, watched for removal and replacement; nil in memory and during a bulk load.
    let file: StoreFile?
    /// The lifecycle context, rebuilt only when the site's configuration changes (see `context(_:)`).
    let contextCache = Mutex<(fingerprint: String, context: LifecycleContext)?>(nil)
    /// Set on open when the history's guards are missing: why every write is refused (CityStore+Integrity.swift).
    let integrityRefusal = Mutex<Refusal?>(nil)
    /// Who this process acts as on a `signed` site (CityStore+Access.swift); nil until someone signs in.
    let signedInState = Mutex<SignedIn?>(nil)

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 5

    init(writer: any DatabaseWriter, path: String?, file: StoreFile? = nil) {
        self.writer = writer
        self.path = path
        self.file = file
    }

    /// Opens (and migrates) the database at `path`. With `create: false` a missing file is an error
    /// rather than a silently created empty site. A file this user may not write opens read-only, without
    /// creating side files another user could not share (`StoreAccess`, docs/sharing.md).
    public static func open(path: String, create: Bool = false, busyTimeout: TimeInterval = busyTimeout) throws(WorkflowError) -> CityStore {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create {
            throw .storage("no database at \(path); create one with `citygrid init` or `citygrid seed-demo`")
        }
        if !exists { try makeFolder(for: path) }
        let file = StoreFile(path: path, access: exists ? StoreFile.access(path: path) : .readWrite)
        if file.access != .readWrite && !StoreFile.sqliteReadsURIs {
            throw .storage("\(path) can only be read by this user, and this build of SQLite cannot open a file read-only without creating side files; ask its owner for write access")
        }
        let store = try migrated(path: path, file: file) {
            if file.access == .readWrite {
                return try DatabasePool(path: path, configuration: configuration(busyTimeout: busyTimeout))
            }
            return try DatabaseQueue(path: file.location, configuration: readOnlyConfiguration(busyTimeout: busyTimeout))
        }
        try store.watch()
        return store
    }

    static func makeFolder(for path: String) throws(WorkflowError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .storage("cannot create folder \(folder): \(error.localizedDescription)")
        }
    }

    /// Opens a connection with `connect`, migrates it, and names any failure in an operator's words.
    static func migrated(path: String?, file: StoreFile? = nil, _ connect: () throws -> any DatabaseWriter) throws(WorkflowError) -> CityStore {
        do {
            let store = CityStore(writer: try connect(), path: path, file: file)
            try store.migrate()
            try store.checkHistoryGuards()
            return store
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw translate(error, path: path ?? ":memory:")
        }
    }

    /// Creates a new database file for a bulk load (the demo seeder): one connection, no rollback journal and
    /// no fsync while loading, since a failed load leaves a file nobody wants. `finishBulkLoad()` switches the
    /// file to WAL for everyday use; until then no other process should open it.
    public static func createForBulkLoad(path: String) throws(WorkflowError) -> CityStore {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw .storage("\(path) already exists; a bulk load needs a new file")
        }
        try makeFolder(for: path)
        let store = try migrated(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: configuration(busyTimeout: busyTimeout))
            try queue.writeWithoutTransaction { db in
                // The page size is set before the first table, once and for good: see `BulkLoad.pageSize`.
                try db.execute(sql: "PRAGMA page_size = \(BulkLoad.pageSize); PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            }
            return queue
        }
        // The evaluation queue's trigger would be run (and find nothing to do) for every history row of the load:
        // it is dropped until the rollups are built or the load ends (`finishBulkLoad`).
        do {
            try store.writer.writeWithoutTransaction { db in try db.execute(sql: "DROP TRIGGER IF EXISTS \(Schema.evaluationQueue.name)") }
        } catch {
            throw translate(error, path: path)
        }
        return store
    }

    /// Ends a bulk load: the evaluation queue's trigger is back, and the file goes to WAL mode with normal durability.
    public func finishBulkLoad() throws(WorkflowError) {
        do {
            try writer.writeWithoutTransaction { db in
                try EvaluationRollups.restoreQueueTrigger(db)
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws(WorkflowError) -> CityStore {
        try migrated(path: nil) { try DatabaseQueue(configuration: configuration(busyTimeout: busyTimeout)) }
    }

    static func readOnlyConfiguration(busyTimeout: TimeInterval) -> Configuration {
        var config = configuration(busyTimeout: busyTimeout)
        config.readonly = true
        return config
    }

    static func configuration(busyTimeout: TimeInterval) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .callback(busyWait(timeout: busyTimeout))
        config.label = "citygrid"
        return config
    }

    /// How a connection waits for another's write lock: it tries again every 2 ms until `timeout`. SQLite's own
    /// timeout backs off to one try every 100 ms, so a console waiting behind a batched import (which frees the
    /// lock for 10 ms between batches) could miss gap after gap; polling this often, it takes the first one.
    static func busyWait(timeout: TimeInterval, every interval: TimeInterval = 0.002) -> Database.BusyCallback {
        let tries = max(0, Int((timeout / interval).rounded(.up)))
        let micros = useconds_t(interval * 1_000_000)
        return { count in
            guard count < tries else { return false }
            usleep(micros)
            return true
        }
    }

    func migrate() throws(WorkflowError) {
        let migrator = Schema.migrator
        do {
            let superseded = try writer.read { db in
                try db.tableExists("grdb_migrations") ? try migrator.hasBeenSuperseded(db) : false
            }
            if superseded {
                throw WorkflowError.storage("\(path ?? "the database") was written by a newer version of citygrid (unknown schema migrations); upgrade citygrid to use it")
            }
            let foreign = try writer.read { db in
                try !db.tableExists("grdb_migrations") && (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0) > 0
            }
            if foreign {
                throw WorkflowError.storage("\(path ?? "the database") is an SQLite database but not a CityGrid one")
            }
            if let reason = access.readOnlyReason {
                guard try writer.read({ db in try migrator.hasCompletedMigrations(db) }) else {
                    throw WorkflowError.storage("\(path ?? "the database") needs upgrading to this version of citygrid, and \(reason.description); ask its owner to run citygrid on it once")
                }
                return
            }
            try migrator.migrate(writer)
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// Turns SQLite's codes into messages an operator can act on.
    package static func translate(_ error: any Error, path: String) -> WorkflowError {
        if let error = error as? WorkflowError { return error }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return .storage("\(path) is locked by another process (gave up after waiting); try again")
            case .SQLITE_NOTADB:
                return .storage("\(path) is not a SQLite database")
            case .SQLITE_CORRUPT:
                return .storage("\(path) is damaged (SQLite reports corruption)")
            case .SQLITE_READONLY:
                return .storage("\(path) is read-only")
            case .SQLITE_CANTOPEN:
                return .storage("cannot open \(path)")
            case .SQLITE_FULL:
                return .storage("the disk holding \(path) is full")
            case .SQLITE_CONSTRAINT:
                return .invalidInput("the database refused the change: \(error.message ?? "constraint failed")")
            default:
                return .storage("\(path): \(error.message ?? "\(error.resultCode)")")
            }
        }
        return .storage("\(path): \(error)")
    }

    // MARK: The file under a running process

    /// How this process may use the database; `.readWrite` in memory.
    public var access: StoreAccess { file?.access ?? .readWrite }

    /// One line for the CLI when the database is open read-only, else nil.
    public var readOnlyNotice: String? {
        guard let reason = access.readOnlyReason, let path else { return nil }
        let how = if case .snapshot = access { "; reading it as it is now (nobody has it open for writing)" } else { "" }
        return "note: \(path) is open read-only (\(reason.description))\(how); changes will be refused"
    }

    /// Whether the file was removed, replaced or found damaged since the store opened it: checked now, before
    /// every write and on every console refresh. Once found it stays, for every store of this process.
    public func fileProblem() -> FileProblem? { file?.problem() }

    /// Stops every write to this file from this process, for a reason found elsewhere (a failed check).
    public func refuseWrites(_ reason: String) { file?.refuse(.damaged(reason)) }

    /// Records where the file is, and guards every commit against its removal or replacement.
    func watch() throws(WorkflowError) {
        guard let file else { return }
        try file.opened(by: writer)
        if file.access == .readWrite {
            writer.add(transactionObserver: CommitGuard(file: file), extent: .databaseLifetime)
        }
    }

    /// Refuses a write before it starts: the history's guards are missing, the database is read-only, or the file
    /// is no longer the one opened.
    func checkWritable() throws(WorkflowError) {
        try refuseWritesIfGuardsMissing()
        guard let file, let path else { return }
        if let reason = file.access.readOnlyReason {
            // A permission, like a role: refused (exit 3), not a broken database. No path in it: an Open311
            // client gets this text (the CLI named the file when it opened it, `readOnlyNotice`).
            throw .forbidden("the database is open read-only (\(reason.summary)); nothing was written (see docs/sharing.md)")
        }
        if let problem = file.problem() { throw problem.error(database: path) }
    }

    /// A database error that means the file is damaged stops writes to it for good.
    func noteDamage(_ error: any Error) {
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            file?.refuse(.damaged("SQLite reports the file damaged"))
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: the write lock is taken up front, so two processes
    /// never both read a case and then race to change it.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(WorkflowError) -> T {
        try checkWritable()
        do {
            return try immediateTransaction(body)
        } catch {
            noteDamage(error)
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// The one shape of a write: `body` in an IMMEDIATE transaction, committed when it returns. Callers word the errors.
    func immediateTransaction<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot). The body may stream rows to a caller's callback.
    /// A read-only snapshot (`StoreAccess.snapshot`) written by its owner meanwhile is refused rather than trusted.
    public func read<T>(_ body: (Database) throws -> T) throws(WorkflowError) -> T {
        do {
            let result = try writer.read(body)
            if case .snapshot = access, let path, let problem = fileProblem() { throw problem.error(database: path) }
            return result
        } catch {
            noteDamage(error)
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }
}

extension Date {
    /// Instants are stored as whole Unix seconds: compact, indexable, and exact enough for clocks in minutes.
    package var storageSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    init(storageSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(storageSeconds)) }
}
