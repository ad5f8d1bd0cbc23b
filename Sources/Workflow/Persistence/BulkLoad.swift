import Foundation
import GRDB

/// Settings of a bulk load into a new database file (the demo seeder), and the measure of what such a
/// load costs SQLite alone.
enum BulkLoad {
    /// The page size of a database created for a bulk load: SQLite's default, chosen for the console, not the
    /// seeder. Measured on a million cases (README, Benchmarks): 16 KiB pages seed 3–5% faster (15.4–15.7 s
    /// instead of 16.2 s) but every console query that fetches scattered rows reads four times the bytes per
    /// row: the mid-list queue window went from 32 to 41–44 ms and the live filter from 39 to 45–49 ms
    /// (p99 over the 50 ms target); 8 KiB pages split the difference. The console is used all day, seeding once.
    static let pageSize = 4_096

    /// No fsync, a large page cache, checkpoint once at the end, no per-row foreign key lookups or CHECK
    /// evaluation: every row comes from the lifecycle's own rules and references rows already in the
    /// file. The demo tests run `PRAGMA foreign_key_check` and `PRAGMA integrity_check` (which evaluates
    /// every CHECK again) on a seeded city. The CHECKs alone cost the case rows more than half their time.
    static let begin = "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA wal_autocheckpoint = 0; "
        + "PRAGMA foreign_keys = OFF; PRAGMA ignore_check_constraints = ON"
    static let end = "PRAGMA ignore_check_constraints = OFF; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000; "
        + "PRAGMA cache_size = -2000; PRAGMA synchronous = NORMAL"

    /// The two whole-table indexes whose keys arrive out of order: built once after the load. The partial
    /// ones over open cases stay during it (they take a few percent of the rows, and building each
    /// afterwards would scan the whole table again).
    static let deferredIndexes = Schema.caseIndexes.filter { ["case_state_reported", "case_cell_reported"].contains($0.name) }
}

/// What storing a seeded city costs SQLite itself, with nothing generated: its cases, reports and history
/// are copied row by row into a new file under the seeder's settings, and the deferred indexes built.
public struct StorageFloor: Sendable {
    public var cases = 0
    public var historyRows = 0
    public var seconds = 0.0

    /// Copies the city at `source` into a new file at `scratch` (removed afterwards) and times it.
    public static func measure(source: String, scratch: String) throws(WorkflowError) -> StorageFloor {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch + suffix) }
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } }
        let store = try CityStore.createForBulkLoad(path: scratch)
        do {
            return try store.writer.writeWithoutTransaction { db in
                try db.execute(sql: BulkLoad.begin)
                for index in BulkLoad.deferredIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
                try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
                defer { try? db.execute(sql: "DETACH DATABASE source") }
                var floor = StorageFloor()
                let started = DispatchTime.now().uptimeNanoseconds
                try db.inTransaction(.immediate) {
                    // `WHERE 1` keeps SQLite from copying pages whole: every row is decoded and inserted, as
                    // rows bound one by one would be.
                    for table in ["service_case", "report", "history"] {
                        try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM source.\(table) WHERE 1")
                    }
                    for index in BulkLoad.deferredIndexes { try db.execute(sql: index.sql) }
                    return .commit
                }
                floor.seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                floor.cases = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.service_case") ?? 0
                floor.historyRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.history") ?? 0
                return floor
            }
        } catch {
            throw CityStore.translate(error, path: scratch)
        }
    }
}
