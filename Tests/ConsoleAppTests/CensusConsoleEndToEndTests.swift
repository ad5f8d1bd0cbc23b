import Foundation
import Testing

/// Issue 17 §3 in a real terminal (tmux): a census of litter bins started by the shift lead; the shift lead reads its
/// progress on the patrol board (from the overdue board with `t`); an inspector records a finding through the census
/// form (`:census`), and `citygrid census report` reads it back; the board then shows it surveyed.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct CensusConsoleEndToEndTests {
    @Test func anInspectorRecordsACensusFindingThroughTheFormAndTheLeadSeesIt() throws {
        let db = try CLI.demoCopy()
        let bin = try ComponentCLITests.ownedBin(db)
        let started = try CLI.run(["census", "start", "--class", "0305", "--region", String(bin.cell.prefix(12)),
                                   "--due", "2026-12-01T18:00:00+08:00", "--as", "city-lead-1", "--json"], db: db)
        #expect(started.status == 0, "\(started.stderr)")
        let id = try #require((started.object["census"] as? [String: Any])?["id"] as? Int)
        let expected = try #require(started.object["expected"] as? Int)

        let inspector = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: bin.inspector), width: 120, height: 36)
        try inspector.waitFor("Queue: mine")
        try inspector.send(":")
        try inspector.type("census")
        try inspector.send("Enter")
        try inspector.waitFor("Census \(id): class 0305")
        // Confirm, without the component's id first: the census rule refuses, the form stays.
        try inspector.send("Down")
        try inspector.send("Enter")
        try inspector.waitFor("names the component")
        try inspector.send("Tab")
        try inspector.type(bin.id)
        try inspector.send("Tab")
        try inspector.send("Tab")
        try inspector.send("Tab")
        try inspector.send("Tab")
        try inspector.send("Down")
        try inspector.send("Down")
        try inspector.send("Tab")
        try inspector.type("lid cracked")
        try inspector.send("Enter")
        try inspector.waitFor("census \(id): confirm of component \(bin.id) recorded")
        try inspector.send("q")
        try inspector.waitFor("EXITED 0")

        let report = try CLI.run(["census", "report", String(id), "--json"], db: db)
        #expect(report.object["surveyed"] as? Int == 1, "\(report.stdout)")
        let areas = try #require(report.object["areas"] as? [[String: Any]])
        #expect(areas.reduce(0) { $0 + ($1["confirmed"] as? Int ?? 0) } == 1)

        let lead = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-lead-1"), width: 120, height: 36)
        try lead.waitFor("Queue")
        try lead.send("b")
        try lead.waitFor("t patrol board")
        try lead.send("t")
        let board = try lead.waitFor("the patrol board") { $0.contains("census \(id) · 0305") && $0.contains("Neglected cells:") }
        #expect(board.contains("surveyed 1/\(expected)"), "\(board)")
        try lead.send("t")
        try lead.waitFor("the queue again") { !$0.contains("Neglected cells:") }
        try lead.send("q")
        try lead.waitFor("EXITED 0")
    }
}
