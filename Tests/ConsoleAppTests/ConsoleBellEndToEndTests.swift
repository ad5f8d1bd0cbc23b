import Foundation
import Testing

/// Issue 16, in a real terminal: an urgent case filed from another process rings the console's bell (tmux's bell flag
/// on its window) and shows with its badge, the count of cases waiting on the operator flashing.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct ConsoleBellEndToEndTests {
    static func bellFlag(_ tmux: TmuxSession) throws -> String {
        (try TmuxSession.spawnOutput(["/usr/bin/tmux", "-S", tmux.socket, "display-message", "-p", "-t", tmux.name, "#{window_bell_flag}"]) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func anUrgentReportFromAnotherProcessRingsTheBellAndShowsTheBadge() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-intake-1"), width: 120, height: 40)
        try tmux.waitFor("Queue: mine")
        Thread.sleep(forTimeInterval: 1)
        #expect(try Self.bellFlag(tmux) == "0", "opening the console rings nothing")
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                                "--source", "hotline", "--description", "urgent e2e", "--urgent", "--json"], db: db)
        #expect(made.status == 0, "\(made.stderr)")
        let id = try #require(made.object["id"] as? Int)
        try tmux.waitFor("the arrival") { $0.contains("1 new case for you (1 urgent)") }
        try tmux.waitFor("the bell flag", seconds: 5) { _ in (try? Self.bellFlag(tmux)) == "1" }
        // Its row, badged (the live filter finds it among the other urgent ones).
        try tmux.send("/")
        try tmux.type("e2e")
        try tmux.send("Enter")
        try tmux.waitFor("the badged row") { $0.split(separator: "\n").contains { $0.contains("URG \(id) ") } }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}
