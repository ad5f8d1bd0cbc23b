import Foundation
import GRDB
import Testing
@testable import Workflow

/// Issue 13, defect 6: a batched import records, with each batch's rows, how far the file is imported, so whatever stops
/// it (a full disk here; kills and signals in the CLI tests) the record says exactly which lines are in.
@Suite struct ImportResumeTests {
    let t0 = TestCity.monday9

    static func csv(_ lines: Int) -> String {
        "kind,category,cell,description\n" + (1...lines).map { "event,0102,\(TestCity.cellA),line \($0 + 1)" }.joined(separator: "\n") + "\n"
    }

    func imported(_ store: CityStore) throws -> [String] {
        try store.read { db in try String.fetchAll(db, sql: "SELECT description FROM service_case WHERE description LIKE 'line %' ORDER BY id") }
    }

    @Test func theFileIdentityIsItsContentsHashAndSize() throws {
        let folder = TestFolder.root.appendingPathComponent("citygrid-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a.csv"), b = folder.appendingPathComponent("b.csv")
        try Data("abc".utf8).write(to: a)
        try Data("abc".utf8).write(to: b)
        let identity = try #require(try ImportFileIdentity.of(path: a.path))
        #expect(identity.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" && identity.size == 3)
        #expect(try ImportFileIdentity.of(path: b.path)?.sha256 == identity.sha256, "a copy is the same file")
        #expect(try ImportFileIdentity.of(path: "-") == nil)
    }

    @Test func eachCommittedBatchRecordsItsLastLineAndTheEndMarksTheFileDone() throws {
        let city = try TestCity(model: .centralized)
        let file = ImportFileIdentity(sha256: String(repeating: "a", count: 64), size: 1, path: "x.csv")
        var stopAfter = 0
        var options = ImportOptions(skipBad: true, batchSize: 10, batchPause: 0)
        options.recording = ImportRecording(kind: "reports", file: file)
        options.shouldStop = {
            stopAfter += 1
            return stopAfter > 35
        }
        var source = try CSVRecordSource(MemoryByteSource(Self.csv(100)))
        let first = try city.store.importReports(&source, reporter: "insp-a", channel: nil, at: t0, options: options)
        #expect(first.interrupted && first.throughLine == 31 && first.imported == 30)
        let progress = try #require(try city.store.importProgress(kind: "reports", file: file))
        #expect(progress.state == .running && progress.throughLine == 31 && progress.imported == 30 && progress.batches == 3)

        // Resumed: the rest after line 31, into the same record.
        options.shouldStop = nil
        options.fromLine = 32
        options.recording = ImportRecording(kind: "reports", file: file, resuming: progress.id)
        var rest = try CSVRecordSource(MemoryByteSource(Self.csv(100)))
        let second = try city.store.importReports(&rest, reporter: "insp-a", channel: nil, at: t0, options: options)
        #expect(second.imported == 70 && second.skipped == 30)
        let done = try #require(try city.store.importProgress(kind: "reports", file: file))
        #expect(done.id == progress.id && done.state == .done && done.throughLine == 101 && done.imported == 100 && done.batches == 10)
        #expect(try imported(city.store) == (1...100).map { "line \($0 + 1)" })
    }

    /// A full disk (SQLite's page limit) stops the import in a batch: that batch is rolled back with its record, and
    /// the record names the last committed line, from which the rest goes in once there is room.
    @Test func aFullDiskLeavesTheRecordAtTheLastCommittedBatch() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(model: .centralized, path: path)
        let file = ImportFileIdentity(sha256: String(repeating: "b", count: 64), size: 2, path: "y.csv")
        let text = Self.csv(3_000)
        let pages = try city.store.writer.writeWithoutTransaction { db -> Int in
            let count = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(count + 120)")
            return count
        }
        #expect(pages > 0)
        var options = ImportOptions(skipBad: true, batchSize: 100, batchPause: 0)
        options.recording = ImportRecording(kind: "reports", file: file)
        var source = try CSVRecordSource(MemoryByteSource(text))
        do {
            _ = try city.store.importReports(&source, reporter: "insp-a", channel: nil, at: t0, options: options)
            Issue.record("3,000 reports fitted in 120 pages")
        } catch {
            #expect(error.description.contains("full"), "\(error)")
        }
        let progress = try #require(try city.store.importProgress(kind: "reports", file: file))
        let committed = try imported(city.store)
        #expect(progress.state == .running && progress.throughLine > 1 && progress.throughLine % 100 == 1)
        #expect(committed == (1..<progress.throughLine).map { "line \($0 + 1)" }, "exactly the lines the record names")

        try city.store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        options.fromLine = progress.throughLine + 1
        options.recording = ImportRecording(kind: "reports", file: file, resuming: progress.id)
        var rest = try CSVRecordSource(MemoryByteSource(text))
        _ = try city.store.importReports(&rest, reporter: "insp-a", channel: nil, at: t0, options: options)
        #expect(try imported(city.store) == (1...3_000).map { "line \($0 + 1)" })
        #expect(try city.store.importProgress(kind: "reports", file: file)?.state == .done)
        #expect(try city.store.verifyHistory().ok)
    }
}
