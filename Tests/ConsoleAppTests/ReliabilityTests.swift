import Foundation
import Testing

/// The quick part of the reliability suite: the scripts of scripts/reliability run small (docs/reliability.md has
/// the long runs and their figures). Each script runs on its own private demo city in a private temp folder, with
/// this build's citygrid; a script's exit status is its verdict, its output explains a failure.
@Suite(.serialized)
struct ReliabilityTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var toolsAvailable: Bool {
        ["/usr/bin/python3", "/usr/bin/sqlite3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }
    static var tmuxAvailable: Bool { toolsAvailable && TmuxSession.available }

    /// Runs scripts/reliability/NAME with ARGUMENTS; its output (stdout and stderr) and exit status. The wait (up to a
    /// minute) is on a thread of its own, not one of the 2 that every async test of the suite shares.
    static func script(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try runScript(name, arguments) }) }.start()
        }
    }

    static func runScript(_ name: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let folder = TestFolder.root.appendingPathComponent("rel-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = folder.appendingPathComponent("log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.root.appendingPathComponent("scripts/reliability/\(name)").path] + arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder.path, "TMPDIR": folder.path,
                               "CITYGRID_BIN": CLI.binary.path, "CITYGRID_NOW": CLI.now]
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        let empty = folder.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: empty.path, contents: Data())
        process.standardInput = try FileHandle(forReadingFrom: empty)
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    /// 800 random keys (Esc sequences, F-keys, `:` commands, forms, invalid UTF-8) and 10 resizes from 10x3 to
    /// 250x80 in a pty: no crash, no hang, the terminal restored at every exit, the database intact. (The 2 s stall
    /// limit is the long run's; here only a 30 s hang fails, the machine being shared.)
    @Test(.enabled(if: ReliabilityTests.toolsAvailable, "needs python3 and sqlite3"))
    func monkeyKeysAndResizesNeverCrashTheConsole() async throws {
        let run = try await Self.script("monkey.sh", ["--keys", "800", "--resizes", "10", "--cases", "100", "--batch", "40",
                                                "--stall-seconds", "30", "--seed", "5"])
        #expect(run.status == 0, "monkey.sh failed:\n\(run.output)")
        #expect(run.output.contains("crashes 0, terminal not restored 0"), "\(run.output)")
        #expect(run.output.contains("integrity: ok"))
    }

    /// 4 writer processes x 25 transitions (a shared case, their own cases, accepts racing on fresh cases) with a
    /// live console: every success wrote exactly one history row, no refusal wrote one, each race had one winner,
    /// every refusal is exit 4, the console survives and quits with 0, integrity_check ok.
    @Test(.enabled(if: ReliabilityTests.tmuxAvailable, "needs python3, sqlite3 and tmux"))
    func concurrentWritersLoseAndDoubleNothing() async throws {
        let run = try await Self.script("concurrency.sh", ["--writers", "4", "--transitions", "25", "--cases", "200", "--seed", "3"])
        #expect(run.status == 0, "concurrency.sh failed:\n\(run.output)")
        #expect(run.output.contains("lost 0, doubled 0, written though refused 0, undocumented exit codes 0"), "\(run.output)")
    }

    /// kill -9 at random points of a one-transaction import, a --batch import (then resumed), a bulk action,
    /// `seed-demo --force` and single transitions: integrity_check ok after every kill, all or nothing, only whole
    /// batches, each line once after the resume, the previous city whole or the new one complete.
    @Test(.enabled(if: ReliabilityTests.toolsAvailable, "needs python3 and sqlite3"))
    func killedWritesAreAllOrNothing() async throws {
        let run = try await Self.script("crash.sh", ["--kills", "3", "--modes", "import,batch,bulk,seed,single", "--lines", "1000",
                                               "--batch", "50", "--cases", "200", "--seed", "4"])
        #expect(run.status == 0, "crash.sh failed:\n\(run.output)")
        #expect(run.output.contains("failures 0"), "\(run.output)")
    }
}
