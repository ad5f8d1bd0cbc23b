import Foundation
import GRDB
import Testing
@testable import Workflow

/// A database file removed or replaced under a running process: nothing more is written into the old one,
/// and the refusal says why (issue 13, defect 4).
@Suite struct StoreFileTests {

    static func removeWithSideFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// The WorkflowError a refused write throws, or nil when it went through.
    static func refusal(_ body: () throws -> Void) -> WorkflowError? {
        do { try body() } catch let error as WorkflowError { return error } catch {
            Issue.record("not a WorkflowError: \(error)")
        }
        return nil
    }

    static func caseCount(_ store: CityStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }
    }

    @Test func aRemovedFileRefusesEveryWriteAndSaysSo() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(path: path)
        _ = try city.report()
        #expect(city.store.fileProblem() == nil)
        Self.removeWithSideFiles(path)
        let error = try #require(Self.refusal { _ = try city.report() }, "a write into a removed file was reported done")
        #expect(error.exitCode == 6)
        #expect(error.description.contains("was removed since this citygrid process opened it"))
        #expect(error.description.contains("nothing was written"))
        #expect(city.store.fileProblem() == .removed(path))
        #expect(try Self.caseCount(city.store) == 1, "the old file, still readable through the open descriptor, got nothing")
        #expect(!FileManager.default.fileExists(atPath: path), "nothing was recreated at the path")
    }

    @Test func aRemovedWALIsARemovedDatabase() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(path: path)
        try FileManager.default.removeItem(atPath: path + "-wal")
        #expect(throws: WorkflowError.self) { try city.report() }
        #expect(city.store.fileProblem() == .removed(path + "-wal"))
    }

    @Test func aFileMovedOverThePathIsNotWrittenThrough() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(path: path)
        _ = try city.report()
        // Another site, cleanly closed (one file), is moved over the open one.
        let otherPath = StoreTests.temporaryPath()
        do {
            let other = try TestCity(path: otherPath)
            _ = try other.report()
            _ = try other.report()
        }
        // The open site's -wal stays at the path's side (SQLite names it after the path, not the file), and
        // SQLite would apply its frames to whatever file is there next: empty it first, as an operator must
        // (docs/sharing.md), so the moved-in file reads as itself.
        try city.store.writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        #expect(rename(otherPath, path) == 0)
        let error = try #require(Self.refusal { _ = try city.report() }, "a write went into the replaced file")
        #expect(error.description.contains("was replaced by another file"))
        #expect(city.store.fileProblem() == .replaced(path))
        let reopened = try CityStore.open(path: path)
        #expect(try Self.caseCount(reopened) == 2, "the file now at the path is untouched")
        #expect(try Self.caseCount(city.store) == 1)
        // The new file, opened anew, is a good file.
        #expect(reopened.fileProblem() == nil)
    }

    @Test func aFileRemovedDuringATransactionIsRolledBackAtCommit() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(path: path)
        do {
            try city.store.write { db in
                try db.execute(sql: "CREATE TABLE scratch(x)")
                Self.removeWithSideFiles(path)
            }
            Issue.record("the commit went into a removed file")
        } catch {
            #expect(error.description.contains("was removed"))
        }
        #expect(try city.store.read { db in try db.tableExists("scratch") } == false)
    }

    @Test func onceFoundTheProblemStaysForEveryStoreOfTheProcess() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(path: path)
        let second = try CityStore.open(path: path)
        // Moved away and back: the same file again, but this process has already said it was gone.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".aside")
        #expect(city.store.fileProblem() == .removed(path))
        try FileManager.default.moveItem(atPath: path + ".aside", toPath: path)
        #expect(city.store.fileProblem() == .removed(path))
        #expect(throws: WorkflowError.self) { try city.report() }
        #expect(second.fileProblem() == .removed(path), "another store of the same file in this process refuses too")
        #expect(throws: WorkflowError.self) {
            try second.write { db in try db.execute(sql: "CREATE TABLE scratch(x)") }
        }
    }

    @Test func aCheckElsewhereCanStopWrites() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(path: path)
        city.store.refuseWrites("a history trigger is missing")
        let error = try #require(Self.refusal { _ = try city.report() }, "wrote after writes were stopped")
        #expect(error.description.contains("a history trigger is missing"))
    }

    @Test func bulkActionsAndImportsAreRefusedToo() throws {
        let path = StoreTests.temporaryPath()
        let city = try TestCity(model: .centralized, path: path)
        let t0 = TestCity.monday9
        let ids = try (0..<2).map { i in
            let c = try city.report(by: "city-intake", source: .hotline, text: "report \(i)", at: t0)
            return try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: t0.after(5)).id
        }
        Self.removeWithSideFiles(path)
        do {
            _ = try city.store.performBulk(BulkRequest(action: .urge, selection: .ids(ids), actor: "city-lead"), at: t0.after(60))
            Issue.record("a bulk action into a removed file was reported done")
        } catch {
            #expect(error.error.description.contains("was removed"))
        }
        var source = try CSVRecordSource(MemoryByteSource("""
            kind,category,cell,description
            event,0102,\(TestCity.cellA),垃圾堆
            """))
        let error = try #require(Self.refusal {
            _ = try city.store.importReports(&source, reporter: "city-intake", channel: nil, at: t0.after(60), options: ImportOptions())
        }, "an import into a removed file was reported done")
        #expect(error.description.contains("was removed"))
        #expect(try city.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM history WHERE action = 'urge'") } == 0)
    }

    @Test func inMemoryStoresHaveNoFileToLose() throws {
        let city = try TestCity()
        #expect(city.store.fileProblem() == nil)
        #expect(city.store.access == .readWrite)
        _ = try city.report()
    }

    @Test func readOnlyOpensNameTheFileAsAURIThatCreatesNothing() {
        #expect(StoreFile.uri("/tmp/a b/x?y#z%.sqlite", query: "mode=ro&immutable=1") == "file:/tmp/a%20b/x%3Fy%23z%25.sqlite?mode=ro&immutable=1")
        #expect(StoreFile.sqliteReadsURIs)
    }
}
