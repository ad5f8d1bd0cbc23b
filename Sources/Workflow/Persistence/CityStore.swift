import Foundation
import GRDB
import Synchronization

/// The site's database: one SQLite file in WAL mode, shared by consoles, the CLI, importers and the
/// simulator. Every write is one immediate transaction that changes the case and appends its history
/// rows together, so no change is ever unexplained and a refused action writes nothing.
public final class CityStore: Sendable {
    public let writer: any DatabaseWriter
    public let path: String?
    /// The lifecycle context, rebuilt only when the site's configuration changes (see `context(_:)`).
    let contextCache = Mutex<(fingerprint: String, context: LifecycleContext)?>(nil)
    /// Set on open when the history's guards are missing: why every write is refused (CityStore+Integrity.swift).
    let integrityRefusal = Mutex<String?>(nil)

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 5

    init(writer: any DatabaseWriter, path: String?) {
        self.writer = writer
        self.path = path
    }

    /// Opens (and migrates) the database at `path`. With `create: false` a missing file is an error
    /// rather than a silently created empty site.
    public static func open(path: String, create: Bool = false, busyTimeout: TimeInterval = busyTimeout) throws(WorkflowError) -> CityStore {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create {
            throw .storage("no database at \(path); create one with `citygrid init` or `citygrid seed-demo`")
        }
        if !exists { try makeFolder(for: path) }
        return try migrated(path: path) {
            try DatabasePool(path: path, configuration: configuration(busyTimeout: busyTimeout))
        }
    }

    static func makeFolder(for path: String) throws(WorkflowError) {
        let folder = (path as NSString).deletingLastPathComponent
        guard !folder.isEmpty else { return }
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw .storage("cannot create folder \(folder): \(error.localizedDescription)")
        }
    }

    /// Opens a connection with `connect`, migrates it, and names any failure in an operator's words.
    static func migrated(path: String?, _ connect: () throws -> any DatabaseWriter) throws(WorkflowError) -> CityStore {
        do {
            let store = CityStore(writer: try connect(), path: path)
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
        return try migrated(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: configuration(busyTimeout: busyTimeout))
            try queue.writeWithoutTransaction { db in
                // The page size is set before the first table, once and for good: see `BulkLoad.pageSize`.
                try db.execute(sql: "PRAGMA page_size = \(BulkLoad.pageSize); PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF")
            }
            return queue
        }
    }

    /// Ends a bulk load: the file goes to WAL mode with normal durability.
    public func finishBulkLoad() throws(WorkflowError) {
        do {
            try writer.writeWithoutTransaction { db in
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
            try migrator.migrate(writer)
        } catch let error as WorkflowError {
            throw error
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// Turns SQLite's codes into messages an operator can act on.
    static func translate(_ error: any Error, path: String) -> WorkflowError {
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

    /// Runs `body` in one IMMEDIATE transaction: the write lock is taken up front, so two processes
    /// never both read a case and then race to change it.
    public func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(WorkflowError) -> T {
        try refuseWritesIfGuardsMissing()
        do {
            return try writer.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot). The body may stream rows to a caller's callback.
    public func read<T>(_ body: (Database) throws -> T) throws(WorkflowError) -> T {
        do {
            return try writer.read(body)
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }
}

extension Date {
    /// Instants are stored as whole Unix seconds: compact, indexable, and exact enough for clocks in minutes.
    var storageSeconds: Int64 { Int64(timeIntervalSince1970.rounded(.down)) }
    init(storageSeconds: Int64) { self.init(timeIntervalSince1970: TimeInterval(storageSeconds)) }
}
