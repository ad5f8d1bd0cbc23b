import Foundation
import Testing

/// The mouse in a real terminal (tmux): the console turns SGR reporting on, a click (written as the terminal would
/// send it: `tmux send-keys -M` needs an attached client) selects the row and the case pane shows it, and quitting
/// turns reporting off again.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct ConsoleMouseEndToEndTests {
    func flag(_ tmux: TmuxSession, _ name: String) throws -> String {
        var output = ""
        _ = try TmuxSession.spawn(["/usr/bin/tmux", "-S", tmux.socket, "display-message", "-p", "-t", tmux.name, "#{\(name)}"], output: &output)
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func send(_ tmux: TmuxSession, _ hex: [String]) throws {
        _ = try TmuxSession.spawn(["/usr/bin/tmux", "-S", tmux.socket, "send-keys", "-t", tmux.name, "-H"] + hex)
    }

    /// ESC [ < b ; x ; y M|m, 1-based, as hex for `send-keys -H`.
    func sgr(_ b: Int, x: Int, y: Int, release: Bool = false) -> [String] {
        Array("\u{1B}[<\(b);\(x + 1);\(y + 1)\(release ? "m" : "M")".utf8).map { String(format: "%02x", $0) }
    }

    @Test func aClickSelectsTheRowAndQuittingTurnsReportingOff() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-dispatcher-1"))
        let first = try tmux.waitFor("Queue: mine")
        #expect(try flag(tmux, "mouse_sgr_flag") == "1", "SGR mouse reporting is on")
        #expect(try flag(tmux, "mouse_standard_flag") == "1")
        // The fifth row of the queue: line 7 (header, pane top, column titles, rows 0-3 above it).
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let row = lines[7]
        // The row's id: its first whole number (after the marks and the urgent badge).
        let id = try #require(row.split(separator: " ").first { Int($0) != nil }.map(String.init), "row: \(row)")
        #expect(Int(id) != nil, "row: \(row)")
        try send(tmux, sgr(0, x: 20, y: 7))
        try send(tmux, sgr(0, x: 20, y: 7, release: true))
        let after = try tmux.waitFor("case \(id) in the case pane") { $0.contains("Case \(id)") }
        #expect(after.contains("Case \(id)"))
        // The wheel over the queue moves the selection on.
        try send(tmux, sgr(65, x: 20, y: 10))
        try tmux.waitFor("another case after the wheel") { !$0.contains("Case \(id) ") && $0.contains("Case ") }
        try tmux.send("q")
        let end = try tmux.waitFor("EXITED")
        #expect(end.contains("EXITED 0"))
        #expect(try flag(tmux, "mouse_sgr_flag") == "0", "reporting off after quitting")
        #expect(try flag(tmux, "mouse_standard_flag") == "0")
    }

    @Test func noMouseLeavesReportingOff() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-dispatcher-1", extra: "--no-mouse"))
        try tmux.waitFor("Queue: mine")
        #expect(try flag(tmux, "mouse_sgr_flag") == "0")
        #expect(try flag(tmux, "mouse_standard_flag") == "0")
        try tmux.send("q")
        try tmux.waitFor("EXITED")
    }
}
