import Foundation
import Testing

/// Runs the built `citygrid` binary as an outside script would.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
}

enum CLI {
    /// The `citygrid` executable next to the test bundle (both are built into the same products folder).
    static let binary: URL = {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent().appendingPathComponent("citygrid")) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("citygrid"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/citygrid"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }()

    static let now = "2026-11-25T10:30:00+08:00"

    @discardableResult
    static func run(_ arguments: [String], db: String? = nil, stdin: Data? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let folder = TestFolder.root.appendingPathComponent("citygrid-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err"), input = folder.appendingPathComponent("in")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        _ = FileManager.default.createFile(atPath: input.path, contents: stdin ?? Data())
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + (db.map { ["--db", $0] } ?? [])
        var env = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder.path, "CITYGRID_NOW": now]
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = try FileHandle(forReadingFrom: input)
        try process.run()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    static func temporaryDatabase() -> String {
        let folder = TestFolder.root.appendingPathComponent("citygrid-db-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("site.sqlite").path
    }

    /// A small demo city seeded once per test run; each test gets its own copy.
    static func demoCopy() throws -> String {
        let template = try DemoTemplate.shared.path()
        let copy = temporaryDatabase()
        try FileManager.default.copyItem(atPath: template, toPath: copy)
        return copy
    }
}

final class DemoTemplate: @unchecked Sendable {
    static let shared = DemoTemplate()
    private let lock = NSLock()
    private var made: String?

    func path() throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let made { return made }
        let path = CLI.temporaryDatabase()
        let result = try CLI.run(["seed-demo", "--cases", "400", "--days", "3", "--seed", "7"], db: path)
        guard result.status == 0 else { throw CLIError(message: "seed-demo failed: \(result.stderr)") }
        // The last connection's clean close folds the WAL into the main file, so one file is the whole city.
        made = path
        return path
    }
}

struct CLIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
