import Foundation
import GRDB
import Testing
@testable import Workflow

/// A site file is built beside its target and renamed into place only when complete: a failure at any point
/// before leaves the target missing or the whole previous city.
@Suite struct SiteBuildTests {
    struct Injected: Error {}

    func folder() -> String {
        let url = TestFolder.root.appendingPathComponent("citygrid-sitebuild-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func names(_ folder: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    /// A small site: the reference data and `cases` rows in a scratch table standing in for the city's content.
    func makeSite(_ path: String, marker: Int) throws(WorkflowError) -> CityStore {
        let store = try CityStore.open(path: path, create: true)
        try store.createSite(SiteSettings(model: .oneMonitorTwoCommand, cityCode: "110000", cityNameZh: "示范市", cityNameEn: "Demo"),
                             categories: try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV),
                             departments: try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV))
        try store.write { db in
            try db.execute(sql: "CREATE TABLE scratch_marker(value INTEGER)")
            try db.execute(sql: "INSERT INTO scratch_marker VALUES (?)", arguments: [marker])
        }
        return store
    }

    func marker(_ path: String) throws -> Int? {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            #expect(check == ["ok"])
            return try Int.fetchOne(db, sql: "SELECT value FROM scratch_marker")
        }
    }

    @Test func aFailedBuildLeavesNoTargetAndNoTemporaryFile() throws {
        let dir = folder(), path = dir + "/site.sqlite"
        #expect(throws: WorkflowError.storage("injected")) {
            _ = try SiteBuild.build(at: path, replace: false) { temporary throws(WorkflowError) -> (CityStore, Void) in
                #expect(temporary == dir + "/.site.sqlite.seeding-\(getpid())")
                _ = try makeSite(temporary, marker: 1)
                #expect(!FileManager.default.fileExists(atPath: path), "nothing at the target while building")
                throw .storage("injected")
            }
        }
        #expect(names(dir).isEmpty)
    }

    @Test func replacingKeepsTheOldCityWholeUntilTheNewOneIsComplete() throws {
        let dir = folder(), path = dir + "/site.sqlite", crashed = dir + "/crashed.sqlite"
        try SiteBuild.build(at: path, replace: false) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 1), ()) }
        #expect(names(dir) == ["site.sqlite"], "finished: no -wal or -shm of the build left")
        #expect(try marker(path) == 1)
        // A city whose last write is still in its WAL: the files of a city as a crash (or a running console) leaves them.
        let open = try CityStore.open(path: path)
        try open.write { db in try db.execute(sql: "UPDATE scratch_marker SET value = 2") }
        try FileManager.default.copyItem(atPath: path, toPath: crashed)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: crashed + "-wal")
        try open.writer.close()
        let before = try [crashed, crashed + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(before[1].count > 0)

        #expect(throws: WorkflowError.refusal(.targetExists(path: crashed))) {
            try SiteBuild.build(at: crashed, replace: false) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 9), ()) }
        }
        #expect(throws: WorkflowError.storage("injected")) {
            try SiteBuild.build(at: crashed, replace: true) { temporary throws(WorkflowError) -> (CityStore, Void) in
                _ = try makeSite(temporary, marker: 3)
                throw .storage("injected")
            }
        }
        let after = try [crashed, crashed + "-wal"].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(after == before, "the old city and its WAL, byte for byte")
        #expect(!names(dir).contains { $0.contains(SiteBuild.marker) })

        // Complete: renamed over it; the old WAL was folded into the old file first, then removed with it. The
        // replaced file's mode is kept.
        #expect(chmod(crashed, 0o640) == 0)
        try SiteBuild.build(at: crashed, replace: true) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 3), ()) }
        // (`site.sqlite` may keep side files: a GRDB pool closes its writer before its read-only readers.)
        #expect(names(dir).filter { !$0.hasPrefix("site.sqlite") } == ["crashed.sqlite"], "no -wal/-shm of the old city, no temporary file")
        #expect(try marker(crashed) == 3)
        var info = stat()
        #expect(stat(crashed, &info) == 0 && info.st_mode & 0o7777 == 0o640)
        let mode = try DatabaseQueue(path: crashed).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        #expect(try marker(path) == 2)
    }

    @Test func staleTemporaryFilesOfDeadProcessesGoAndOthersStay() throws {
        let dir = folder(), path = dir + "/site.sqlite"
        // A process that has ended: its pid is free (until reused, which `kill(pid, 0)` would show as alive).
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = SiteBuild.temporaryPath(for: path, pid: ended.processIdentifier)
        let alive = SiteBuild.temporaryPath(for: path, pid: 1)
        for file in [dead, dead + "-wal", alive, dir + "/.other.sqlite.seeding-\(ended.processIdentifier)"] {
            #expect(FileManager.default.createFile(atPath: file, contents: Data("half".utf8)))
        }
        try SiteBuild.build(at: path, replace: false) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 1), ()) }
        #expect(names(dir) == [".other.sqlite.seeding-\(ended.processIdentifier)", ".site.sqlite.seeding-1", "site.sqlite"])
    }

    @Test func specialFilesAndFoldersAreNeverReplacedAndLinksAreFollowed() throws {
        let dir = folder()
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        for replace in [false, true] {
            #expect(throws: WorkflowError.self) {
                try SiteBuild.build(at: dir + "/fifo", replace: replace) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 1), ()) }
            }
            #expect(throws: WorkflowError.invalidInput("\(dir) is a folder, not a database file")) {
                try SiteBuild.build(at: dir, replace: replace) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 1), ()) }
            }
        }
        var info = stat()
        #expect(lstat(dir + "/fifo", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(names(dir) == ["fifo"])

        try FileManager.default.createSymbolicLink(atPath: dir + "/link.sqlite", withDestinationPath: "real.sqlite")
        try SiteBuild.build(at: dir + "/link.sqlite", replace: false) { temporary throws(WorkflowError) in (try makeSite(temporary, marker: 4), ()) }
        #expect(lstat(dir + "/link.sqlite", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try marker(dir + "/real.sqlite") == 4)
    }
}
