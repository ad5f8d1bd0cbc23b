import Foundation
import GRDB
import Testing

/// `seed-demo` (and `init`, `demo --fresh`) build beside the target and rename when complete: kill -9 at any
/// moment leaves the target missing or the complete previous city; `--force` replaces it only when whole.
@Suite struct SeedAtomicCLITests {
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "CITYGRID_NOW": CLI.now]

    /// Case count and integrity of a site file, read directly.
    func inspect(_ path: String) throws -> (cases: Int, integrity: [String]) {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? -1, try String.fetchAll(db, sql: "PRAGMA integrity_check"))
        }
    }

    /// A seed large enough (several seconds in a debug build) that a kill lands in the middle of the build.
    static let largeSeed = ["--cases", "6000", "--days", "2", "--seed", "3"]

    func seeding(_ db: String, _ extra: [String]) throws -> Process {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["seed-demo"] + Self.largeSeed + ["--db", db] + extra
        process.environment = Self.environment.merging(["HOME": (db as NSString).deletingLastPathComponent]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func temporary(of db: String, pid: Int32) -> String {
        ((db as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("." + (db as NSString).lastPathComponent + ".seeding-\(pid)")
    }

    /// Starts a seed, waits until its temporary file shows (the build is under way), waits `delay` more and
    /// kills it with SIGKILL. Whether it died by the kill with its temporary file still there, i.e. before the
    /// rename (a temporary file is only ever renamed away, never removed, on the way to success).
    func killSeed(_ db: String, force: Bool, after delay: useconds_t) throws -> Bool {
        let process = try seeding(db, force ? ["--force"] : [])
        let temporary = temporary(of: db, pid: process.processIdentifier)
        for _ in 0..<6000 where process.isRunning {
            if FileManager.default.fileExists(atPath: temporary) { break }
            usleep(5_000)
        }
        usleep(delay)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && FileManager.default.fileExists(atPath: temporary)
    }

    @Test func killedSeedsNeverLeaveHalfACityAndForceReplacesOnlyWhenComplete() throws {
        let db = try CLI.demoCopy()
        let folder = (db as NSString).deletingLastPathComponent
        #expect(try inspect(db).cases == 400)
        var killedMidBuild = 0
        for delay: useconds_t in [0, 200_000, 700_000, 1_500_000] {
            let midBuild = try killSeed(db, force: true, after: delay)
            let now = try inspect(db)
            #expect(now.integrity == ["ok"], "after a kill \(delay) µs into the build")
            if midBuild {
                killedMidBuild += 1
                #expect(now.cases == 400, "killed before the rename: the previous city, whole (\(now.cases) cases)")
            } else {
                // The kill came after the rename: the complete new city.
                #expect(now.cases == 6000, "after a kill \(delay) µs into the build: \(now.cases) cases")
            }
            #expect(SpecialFiles.names(folder).filter { $0.contains(".seeding-") }.count <= 1,
                    "each build removes the temporary files of earlier killed builds")
        }
        #expect(killedMidBuild >= 1, "at least the kill right at the start hits a build under way")

        let done = try seeding(db, ["--force"])
        done.waitUntilExit()
        #expect(done.terminationStatus == 0)
        let now = try inspect(db)
        #expect(now.cases == 6000 && now.integrity == ["ok"])
        #expect(SpecialFiles.names(folder) == ["site.sqlite"], "stale temporary files of killed seeds removed; no -wal/-shm")
    }

    @Test func aSeedKilledOnANewPathLeavesNoSite() throws {
        let db = CLI.temporaryDatabase()
        #expect(try killSeed(db, force: false, after: 200_000), "killed mid-build")
        #expect(!FileManager.default.fileExists(atPath: db))
        let opened = try CLI.run(["cases"], db: db)
        #expect(opened.status == 6 && opened.stderr.contains("no database at"), "the temporary file is not taken for a site")
        // The next seed (no --force needed: there is no site yet) builds the city and removes the dead one's file.
        let next = try CLI.run(["seed-demo", "--cases", "10", "--days", "1"], db: db)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(SpecialFiles.names((db as NSString).deletingLastPathComponent) == ["site.sqlite"])
        #expect(try inspect(db).cases == 10)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3"), "needs sqlite3"))
    func forceRefusesACityOpenInAnotherProcess() throws {
        let db = try CLI.demoCopy()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        holder.arguments = [db]
        let input = Pipe(), output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        input.fileHandleForWriting.write(Data("PRAGMA journal_mode;\n".utf8))
        let answer = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        #expect(answer.hasPrefix("wal"), "the other process has the city open")
        let refused = try CLI.run(["seed-demo", "--cases", "10", "--days", "1", "--force"], db: db)
        try input.fileHandleForWriting.close()
        holder.waitUntilExit()
        #expect(refused.status == 6)
        #expect(refused.stderr.contains("is open in another process"), "\(refused.stderr)")
        #expect(try inspect(db).cases == 400)
    }

    @Test(.enabled(if: SpecialFiles.isRoot, "mknod needs root"))
    func aSpecialFileOrFolderIsNeverASiteTarget() throws {
        let folder = SpecialFiles.folder()
        let null = try SpecialFiles.nullDevice(in: folder), fifo = try SpecialFiles.fifo(in: folder)
        for target in [null, fifo] {
            for command in [["seed-demo", "--cases", "10", "--days", "1", "--force"], ["init", "--force"], ["init"]] {
                let result = try CLI.run(command, db: target)
                #expect(result.status == 2 && result.stderr.contains("a device, FIFO or socket, not a database file"), "\(command): \(result.stderr)")
            }
            let demo = try CLI.run(["demo", "--fresh", "--db", target])
            #expect(demo.status == 2 && demo.stderr.contains("not a database file"), "\(demo.stderr)")
        }
        let result = try CLI.run(["seed-demo", "--force"], db: folder)
        #expect(result.status == 2 && result.stderr.contains("is a folder, not a database file"))
        #expect(SpecialFiles.kind(null) == S_IFCHR && SpecialFiles.kind(fifo) == S_IFIFO)
        #expect(SpecialFiles.names(folder) == ["fifo", "null"])
    }
}
