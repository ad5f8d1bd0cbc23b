import Foundation
import Testing
@testable import Workflow

/// Issue 17 §1 in a real terminal: on a demo city where a hotline case has just closed, the intake operator opens the
/// follow-ups with `f`, records the call in the form, and the follow-up is stored (as `citygrid followups --json` and
/// `case show` read it).
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct ConsoleFollowUpEndToEndTests {
    @Test func theIntakeOperatorRecordsAFollowUpThroughTheForm() throws {
        let db = try CLI.demoCopy()
        let id = try FollowUpCLITests.closedHotlineCase(db, phone: "13900000077")
        let command = "env LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=2026-11-25T11:30:00+08:00 HOME=/tmp \(CLI.binary.path) console --db \(db) "
            + "--as city-intake-1 --lang en; echo EXITED $?; sleep 30"
        let tmux = try TmuxSession(command: command, width: 120, height: 30)
        try tmux.waitFor("Queue: mine")
        try tmux.send("f")
        let board = try tmux.waitFor("the follow-ups board") { $0.contains("Follow-ups: 1") && $0.contains("phone 13900000077") }
        #expect(board.contains("11-27 10:50") && board.contains("to call"), "\(board)")
        try tmux.send("Enter")
        try tmux.waitFor("the form") { $0.contains("record follow-up: case \(id)") }
        // Reached; satisfied; a note.
        try tmux.send("Down")
        try tmux.send("Tab")
        try tmux.send("Down")
        try tmux.send("Tab")
        try tmux.type("thanked us")
        try tmux.send("Enter")
        try tmux.waitFor("the recorded follow-up") { $0.contains("case \(id) follow-up recorded: reached, satisfied") && $0.contains("Follow-ups: 0") }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")

        let waiting = try CLI.run(["followups", "--as", "city-intake-1", "--json"], db: db)
        #expect(waiting.status == 0 && waiting.array.isEmpty, "\(waiting.stdout)")
        let lead = try CLI.run(["followups", "--as", "city-lead-1", "--json"], db: db)
        #expect(!lead.array.contains { $0["case_id"] as? Int == id }, "satisfied: nothing for the shift lead")
        let task = try #require(try CityStore.open(path: db).followUps(ofCase: Int64(id), viewer: "city-intake-1").first?.followUp)
        #expect(task.outcome == FollowUpOutcome(reached: true, satisfaction: .satisfied, note: "thanked us") && task.recordedAt != nil)
    }
}
