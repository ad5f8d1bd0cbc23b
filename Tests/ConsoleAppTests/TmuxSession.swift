import Foundation
import Testing

/// A console running in tmux on a private socket, never the user's own tmux server. Commands are
/// spawned with posix_spawn and a cleared signal mask (test threads may block SIGWINCH, and tmux would
/// inherit that); the screen is read by polling capture-pane until the expected text shows.
final class TmuxSession {
    let socket: String
    let name = "cg"

    static var available: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") }

    init(command: String, width: Int = 100, height: Int = 30) throws {
        socket = TestFolder.root.appendingPathComponent("cg-tmux-\(UUID().uuidString.prefix(8)).sock").path
        let status = try Self.spawn(["/usr/bin/tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-s", name,
                                     "-x", String(width), "-y", String(height), command])
        guard status == 0 else { throw CLIError(message: "tmux new-session failed (\(status))") }
    }

    deinit {
        _ = try? Self.spawn(["/usr/bin/tmux", "-S", socket, "kill-server"])
        try? FileManager.default.removeItem(atPath: socket)
    }

    func send(_ keys: String...) throws {
        _ = try Self.spawn(["/usr/bin/tmux", "-S", socket, "send-keys", "-t", name] + keys)
    }

    /// Types text literally (no key-name interpretation).
    func type(_ text: String) throws {
        _ = try Self.spawn(["/usr/bin/tmux", "-S", socket, "send-keys", "-t", name, "-l", text])
    }

    func resize(width: Int, height: Int) throws {
        _ = try Self.spawn(["/usr/bin/tmux", "-S", socket, "resize-window", "-t", name, "-x", String(width), "-y", String(height)])
    }

    func screen() throws -> String {
        var output = ""
        _ = try Self.spawn(["/usr/bin/tmux", "-S", socket, "capture-pane", "-p", "-t", name], output: &output)
        return output
    }

    /// Polls the screen until `predicate` holds or `seconds` pass; returns the last screen.
    @discardableResult
    func waitFor(_ what: String, seconds: Double = 15, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        var last = ""
        while Date() < deadline {
            last = (try? screen()) ?? ""
            if predicate(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)")
        return last
    }

    /// Opens case `id` with the console's `:case` command and waits for its pane.
    func openCase(_ id: Int) throws {
        try send(":")
        try type("case \(id)")
        try send("Enter")
        try waitFor("Case \(id)")
    }

    @discardableResult
    func waitFor(_ text: String, seconds: Double = 15) throws -> String {
        try waitFor("\"\(text)\"", seconds: seconds) { $0.contains(text) }
    }

    // MARK: Spawning

    @discardableResult
    static func spawn(_ arguments: [String]) throws -> Int32 {
        var ignored = ""
        return try spawn(arguments, output: &ignored)
    }

    /// The command's standard output, or nil when it failed.
    static func spawnOutput(_ arguments: [String]) throws -> String? {
        var output = ""
        return try spawn(arguments, output: &output) == 0 ? output : nil
    }

    static func spawn(_ arguments: [String], output: inout String) throws -> Int32 {
        let outPath = TestFolder.root.appendingPathComponent("cg-spawn-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let status = try Spawned(arguments, stdout: outPath).wait()
        output = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        return status
    }
}
