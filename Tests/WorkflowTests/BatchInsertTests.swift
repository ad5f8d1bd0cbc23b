@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

/// The bulk loader's multi-row insert: every value comes back as it went in, whatever the row count
/// against the statement's batch size.
@Suite struct BatchInsertTests {
    static func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE t(n INTEGER, x REAL, s TEXT, o TEXT)") }
        return queue
    }

    static func row(_ i: Int) -> (Int64?, Double?, String?, String?) {
        let n: Int64? = i % 5 == 0 ? nil : Int64(i) * 1_000_003 - 7
        let x: Double? = i % 7 == 0 ? nil : Double(i) / 3
        let texts = ["", "ascii", "井盖缺失 🚧", "line\nbreak\u{1B}[31m", String(repeating: "长", count: 300)]
        let s: String? = texts[i % texts.count]
        let o: String? = i % 3 == 0 ? nil : "o\(i)"
        return (n, x, s, o)
    }

    @Test(arguments: [0, 1, 7, 8, 9, 31, 100])
    func rowsRoundTrip(count: Int) throws {
        let queue = try Self.table()
        var buffer = ColumnBuffer(width: 4)
        for i in 0..<count {
            let r = Self.row(i)
            buffer.int(r.0); buffer.double(r.1); buffer.text(r.2); buffer.text(r.3)
        }
        #expect(buffer.rowCount == count)
        try queue.write { db in try BatchInsert(db, table: "t", columns: ["n", "x", "s", "o"], rowsPerStatement: 8).insert(buffer) }
        let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT n, x, s, o FROM t ORDER BY rowid") }
        #expect(rows.count == count)
        for (i, row) in rows.enumerated() {
            let r = Self.row(i)
            #expect(row["n"] as Int64? == r.0)
            #expect(row["x"] as Double? == r.1)
            #expect(row["s"] as String? == r.2, "an empty text stays a text, not NULL")
            #expect(row["o"] as String? == r.3)
        }
    }

    @Test func aRefusedRowNamesTheRule() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in try db.execute(sql: "CREATE TABLE u(k INTEGER PRIMARY KEY, v TEXT NOT NULL)") }
        var buffer = ColumnBuffer(width: 2)
        buffer.int(1); buffer.text("a")
        buffer.int(1); buffer.text("b")
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try BatchInsert(db, table: "u", columns: ["k", "v"], rowsPerStatement: 4).insert(buffer) }
        }
        #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM u") } == 0)
    }
}

/// The seeder's bulk load: chunk order, its figures and its file settings.
@Suite struct BulkLoadTests {
    /// The bench splits the writer's CPU into its own code and the kernel's: work in user code shows up
    /// as user time of this thread, and neither figure goes backwards.
    @Test func threadCPUTimesCountThisThreadsWork() {
        let before = threadCPUTimes()
        var x: UInt64 = 1
        for i in 0..<60_000_000 { x = x &* 6_364_136_223_846_793_005 &+ UInt64(i) }
        let after = threadCPUTimes()
        #expect(x != 0)
        #expect(after.user > before.user)
        #expect(after.system >= before.system)
        let total = threadCPUSeconds()
        #expect(total + 0.05 >= after.user + after.system)
    }

    /// Two generator threads make chunks in whatever order the machine runs them; the writer takes them in
    /// order, so a city of several chunks comes out the same, row for row, every time.
    @Test func aCityOfSeveralChunksIsTheSameEveryTime() throws {
        let folder = TestFolder.root.appendingPathComponent("citygrid-chunks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var digests: [[String]] = []
        for run in 0..<2 {
            let store = try CityStore.createForBulkLoad(path: folder + "/city-\(run).sqlite")
            let summary = try DemoCity.seed(into: store, options: DemoOptions(seed: 5, days: 3, cases: DemoHistory.chunkSize + 900,
                                                                               now: DemoCityTests.now))
            try store.finishBulkLoad()
            #expect(summary.cases == DemoHistory.chunkSize + 900)
            #expect(summary.generateSeconds > 0 && summary.writerCPUSeconds > 0 && summary.writeSeconds > 0)
            #expect(summary.writerSystemSeconds >= 0 && summary.writerSystemSeconds < summary.writerCPUSeconds)
            #expect(summary.indexSeconds > 0 && summary.indexSeconds < summary.writeSeconds)
            // The generators chain each chunk's history after the one before: the whole chain verifies, the same each time.
            let verified = try store.verifyHistory()
            #expect(verified.ok && verified.rows == Int64(summary.historyRows), "\(verified.findings.prefix(3))")
            digests.append([verified.head.anchor] + (try store.read { db in
                try String.fetchAll(db, sql: """
                    SELECT count(*) || ' ' || sum(at) || ' ' || sum(length(action)) || ' ' || total(length(note)) || ' ' || total(length(target))
                        || ' ' || sum(late) || ' ' || sum(case_id * seq) FROM history
                    UNION ALL SELECT state || ' ' || count(*) || ' ' || total(deadline) || ' ' || sum(length(description)) || ' ' || sum(rework_count)
                        || ' ' || sum(id * reported_at) FROM service_case GROUP BY state
                    UNION ALL SELECT count(*) || ' ' || sum(reported_at) || ' ' || total(length(reporter_name)) FROM report
                    UNION ALL SELECT count(*) || ' ' || sum(length(id)) || ' ' || sum(state = 'intact') FROM component
                    """)
            }))
        }
        #expect(digests[0] == digests[1])
        #expect(digests[0].count > 4)
    }

    /// The seeder's page size is the console's: larger pages seed a little faster but slow every scattered read.
    @Test func aBulkLoadedDatabaseKeepsConsolePagesAndEndsInWALMode() throws {
        let folder = TestFolder.root.appendingPathComponent("citygrid-pages-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try CityStore.createForBulkLoad(path: folder + "/city.sqlite")
        _ = try DemoCity.seed(into: store, options: DemoOptions(seed: 5, days: 2, cases: 50, now: DemoCityTests.now))
        try store.finishBulkLoad()
        let reopened = try CityStore.open(path: folder + "/city.sqlite")
        #expect(try reopened.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } == 4_096)
        #expect(try reopened.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
    }
}
