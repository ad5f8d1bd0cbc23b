import Foundation
import Testing
import Workflow

/// The database file under a running process (issue 13, defects 4 and 5): removed or replaced under a
/// console, and opened by a user who may not write it.
@Suite(.serialized)
struct LiveFileTests {

    // MARK: Defect 4: a file removed under a running console

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func aConsoleWhoseFileIsRemovedSaysSoAndReportsNothingDone() throws {
        let db = try CLI.demoCopy()
        let id = try ConsoleEndToEndTests.confirmedCase(db, description: "live file")
        let lead = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-lead-1"))
        try lead.waitFor("Queue: mine")
        try lead.openCase(id)
        try lead.send("F")
        try lead.waitFor("file case \(id)")
        // The form is open; the file goes, with its side files.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        try lead.waitFor("was removed since this console opened it")
        try lead.send("Enter")
        let submitted = try lead.waitFor("not done:")
        #expect(!submitted.contains("file → filed"), "a write into the removed file was reported done")
        try lead.send("Escape")
        try lead.send("F")
        let again = try lead.waitFor("a refused action key") { $0.contains("not done:") && !$0.contains("file case \(id)") }
        #expect(again.contains("WRITES STOPPED"))
        #expect(!again.contains("file → filed"))
        #expect(!FileManager.default.fileExists(atPath: db), "nothing was recreated at the path")
        try lead.send("q")
        let after = try lead.waitFor("EXITED")
        #expect(after.contains("EXITED 6"), "the console exits with the database's code once its writes were stopped")
    }

    @Test(.enabled(if: TmuxSession.available, "needs tmux"))
    func aConsoleNoticesAFileMovedOverItsDatabaseInChinese() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-dispatcher-1").replacingOccurrences(of: "--lang en", with: "--lang zh"))
        try tmux.waitFor("city-dispatcher-1")
        let other = CLI.temporaryDatabase()
        try FileManager.default.copyItem(atPath: db, toPath: other)
        #expect(rename(other, db) == 0)
        let screen = try tmux.waitFor("已被替换")
        #expect(screen.contains("已停止写入"))
        let banner = screen.split(separator: "\n").first { $0.contains("已被替换") } ?? ""
        #expect(!banner.contains("--"), "no CLI flag in a console message")
        try tmux.send("q")
    }

    // MARK: Defect 5: a reader without write permission

    static let nobody: UInt32 = 65534
    static var canDropPrivileges: Bool { getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") }

    /// The binary where user 65534 can run it: linked (or copied) into the database's folder, which the tests open to
    /// everyone. The build folder itself may sit in a checkout only its owner can enter (a clone in `mktemp -d`).
    static func binaryForNobody(besides db: String) throws -> String {
        let path = ((db as NSString).deletingLastPathComponent as NSString).appendingPathComponent("citygrid")
        if !FileManager.default.fileExists(atPath: path), link(CLI.binary.path, path) != 0 {
            try FileManager.default.copyItem(atPath: CLI.binary.path, toPath: path)
        }
        #expect(chmod(path, 0o755) == 0)
        return path
    }

    /// Runs the binary as user and group 65534 with no supplementary groups.
    static func runAsNobody(_ arguments: [String], db: String) throws -> CLIResult {
        let folder = TestFolder.root.appendingPathComponent("citygrid-nobody-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid", String(nobody), "--regid", String(nobody), "--clear-groups", try binaryForNobody(besides: db)] + arguments + ["--db", db]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder.path, "CITYGRID_NOW": CLI.now]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle(forReadingAtPath: out.path)
        try process.run()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// The files in the database's folder that the given user owns.
    static func filesOwned(by uid: UInt32, besides db: String) throws -> [String] {
        let folder = (db as NSString).deletingLastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { name in
            var st = stat()
            return stat((folder as NSString).appendingPathComponent(name), &st) == 0 && st.st_uid == uid
        }
    }

    static let report = ["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                         "--source", "hotline", "--description", "shared site"]

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv"))
    func aReaderWhoMayNotWriteReadsCreatesNoSideFilesAndTheOwnerStillWrites() throws {
        let db = try CLI.demoCopy()
        // The folder is open to everyone (so SQLite could create side files there), the file is the owner's.
        let folder = (db as NSString).deletingLastPathComponent
        #expect(chmod(folder, 0o1777) == 0 && chmod(db, 0o644) == 0)
        let before = try CLI.run(["cases", "--json"], db: db).array.count

        let read = try Self.runAsNobody(["cases", "--json"], db: db)
        #expect(read.status == 0, "the reader reads: \(read.stderr)")
        #expect(read.array.count == before)
        #expect(read.stderr.contains("is open read-only (the file is not writable by this user)"), "says so: \(read.stderr)")
        #expect(try Self.filesOwned(by: Self.nobody, besides: db).isEmpty, "the reader left files of its own")

        let write = try Self.runAsNobody(Self.report, db: db)
        #expect(write.status == 3, "a write by the reader is refused with exit 3: \(write.stderr)")
        #expect(write.stderr.contains("is open read-only") && write.stderr.contains("nothing was written"))
        #expect(try Self.filesOwned(by: Self.nobody, besides: db).isEmpty)

        let owner = try CLI.run(Self.report, db: db)
        #expect(owner.status == 0, "the owner still writes: \(owner.stderr)")
        #expect(try CLI.run(["cases", "--json"], db: db).array.count == before + 1)
    }

    @Test(.enabled(if: canDropPrivileges, "needs root and setpriv"))
    func aReaderSharesTheOwnersSideFilesWhileTheOwnerHasTheSiteOpen() throws {
        let db = try CLI.demoCopy()
        let folder = (db as NSString).deletingLastPathComponent
        #expect(chmod(folder, 0o1777) == 0 && chmod(db, 0o644) == 0)
        // The owner keeps the site open, as a running console does: -wal and -shm exist and are the owner's.
        let owner = try CityStore.open(path: db)
        #expect(FileManager.default.fileExists(atPath: db + "-wal") && FileManager.default.fileExists(atPath: db + "-shm"))
        let before = try CLI.run(["cases", "--json"], db: db).array.count
        #expect(try CLI.run(Self.report, db: db).status == 0)

        let read = try Self.runAsNobody(["cases", "--json"], db: db)
        #expect(read.status == 0, "the reader reads through the owner's side files: \(read.stderr)")
        #expect(read.array.count == before + 1, "the reader sees the commit still in the -wal")
        #expect(try Self.filesOwned(by: Self.nobody, besides: db).isEmpty, "the reader left files of its own")
        #expect(Self.runAsNobodyWrites(db) == 3)

        // The owner, still open, writes on.
        #expect(try CLI.run(Self.report, db: db).status == 0)
        _ = owner
    }

    static func runAsNobodyWrites(_ db: String) -> Int32 {
        (try? runAsNobody(report, db: db).status) ?? -1
    }

    @Test(.enabled(if: canDropPrivileges && TmuxSession.available, "needs root, setpriv and tmux"))
    func aReadOnlyConsoleShowsItAndRefusesActions() throws {
        let db = try CLI.demoCopy()
        let folder = (db as NSString).deletingLastPathComponent
        #expect(chmod(folder, 0o1777) == 0 && chmod(db, 0o644) == 0)
        let id = try ConsoleEndToEndTests.confirmedCase(db, description: "live file")
        let stateBefore = try CLI.run(["case", "show", String(id), "--json"], db: db).object["state"] as? String
        let command = "setpriv --reuid \(Self.nobody) --regid \(Self.nobody) --clear-groups "
            + ConsoleEndToEndTests.consoleCommand(db, as: "city-lead-1")
                .replacingOccurrences(of: CLI.binary.path, with: try Self.binaryForNobody(besides: db))
        let lead = try TmuxSession(command: command)
        let first = try lead.waitFor("Queue: mine")
        #expect(first.contains("READ-ONLY"))
        try lead.openCase(id)
        try lead.send("F")
        let refused = try lead.waitFor("read-only, actions are refused")
        #expect(!refused.contains("file case \(id)"), "no form opens")
        try lead.send("q")
        try lead.waitFor("EXITED 0")
        #expect(try Self.filesOwned(by: Self.nobody, besides: db).isEmpty, "the console left files of its own")
        #expect(try CLI.run(["case", "show", String(id), "--json"], db: db).object["state"] as? String == stateBefore)
    }
}
