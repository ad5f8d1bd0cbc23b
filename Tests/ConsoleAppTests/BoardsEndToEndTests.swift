import Foundation
import Testing

/// Issue 16, in a real terminal at 120×40: the evaluation board and the overdue board of a demo city open over the
/// queue's place, name their columns in the operator's language, put the period in the board's title, scroll, and
/// offer their own keys in the hint line.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct BoardsEndToEndTests {
    static func command(_ db: String, lang: String) -> String {
        "env LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=\(CLI.now) HOME=/tmp \(CLI.binary.path) console --db \(db) --as city-lead-1 --lang \(lang); "
            + "echo EXITED $?; sleep 30"
    }

    /// The screen's lines.
    static func lines(_ screen: String) -> [String] { screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    /// The first row under the line holding `header`: the top row of a scrolled table.
    static func firstRow(_ screen: String, under header: String) -> String? {
        let lines = lines(screen)
        guard let i = lines.firstIndex(where: { $0.contains(header) }), i + 1 < lines.count else { return nil }
        return lines[i + 1]
    }

    @Test func bothBoardsInEnglishScrollAndNameTheirColumnsAndPeriod() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: Self.command(db, lang: "en"), width: 120, height: 40)
        try tmux.waitFor("Queue: mine")
        // The evaluation board by operator: many rows, more columns than fit.
        try tmux.send(":")
        try tmux.type("board operator")
        try tmux.send("Enter")
        let board = try tmux.waitFor("the evaluation board") { $0.contains("Evaluation by operator") && $0.contains("SCORE") }
        let title = try #require(Self.lines(board).first { $0.contains("Evaluation by operator") })
        #expect(title.contains("· 7 days 2026-11-"), "the period in the title: \(title)")
        #expect(title.contains("cols 1–"), "\(title)")
        #expect(board.contains("KEY") && board.contains("NAME") && board.contains("REPORTS") && !board.contains("overdue_n"))
        let hints = Self.lines(board)[38]
        #expect(hints.contains("j/k rows") && hints.contains("h/l columns") && hints.contains("e back to queue"), "\(hints)")
        #expect(!hints.contains("Enter open case"), "the queue's keys are not the board's: \(hints)")
        let top = try #require(Self.firstRow(board, under: "SCORE"))
        try tmux.send("PageDown")
        try tmux.waitFor("the rows to scroll") { Self.firstRow($0, under: "SCORE").map { $0 != top } ?? false }
        try tmux.send("l")
        try tmux.waitFor("the columns to scroll") { $0.contains("cols 2–") }
        // Back to the queue, then the overdue board.
        try tmux.send("e")
        try tmux.waitFor("Queue: mine")
        try tmux.send("b")
        let overdue = try tmux.waitFor("the overdue board") { $0.contains("Overdue board:") && $0.contains("HOLDER") }
        #expect(overdue.contains("LEFT") && overdue.contains("RATIO↓"), "the sort column is marked")
        let boardHints = Self.lines(overdue)[38]
        #expect(boardHints.contains("U urge") && boardHints.contains("b back to queue"), "\(boardHints)")
        let first = try #require(Self.firstRow(overdue, under: "HOLDER"))
        try tmux.send("PageDown")
        try tmux.send("PageDown")
        try tmux.waitFor("the board to scroll") { Self.firstRow($0, under: "HOLDER").map { $0 != first } ?? false }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    @Test func bothBoardsInChinese() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: Self.command(db, lang: "zh"), width: 120, height: 40)
        try tmux.waitFor("队列")
        try tmux.send("e")
        let board = try tmux.waitFor("the evaluation board") { $0.contains("考评排名") && $0.contains("综合分") }
        let title = try #require(Self.lines(board).first { $0.contains("考评排名") })
        #expect(title.contains("7天 2026-11-"), "the period in the title: \(title)")
        #expect(board.contains("名称") && board.contains("上报") && !board.contains("REPORTS"))
        #expect(Self.lines(board)[38].contains("左右滚动列"))
        try tmux.send("l")
        try tmux.waitFor("the columns to scroll") { $0.contains("列 2–") }
        try tmux.send("e")
        try tmux.send("b")
        // Waited for whole: on a loaded machine the board's rows can be on screen a refresh before its key hints.
        let overdue = try tmux.waitFor("the overdue board with its hints") {
            $0.contains("超期看板") && $0.contains("责任方") && Self.lines($0).count > 38 && Self.lines($0)[38].contains("返回队列")
        }
        #expect(overdue.contains("剩余") && !overdue.contains("HOLDER"))
        #expect(Self.lines(overdue)[38].contains("返回队列"))
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}
