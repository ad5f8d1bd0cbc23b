import Curses
import Foundation

/// Keys on the evaluation board: rows with j/k, ↑/↓, PgUp/PgDn, g/G; the scrolled columns with h/l or ←/→ (key and
/// name stay, and so does the sort column). Pure, like the rest of update; nil: the key is not the board's.
enum EvaluationBoardUpdate {
    static func handleKey(_ key: Key, _ s: inout ConsoleState) -> [Effect]? {
        guard s.queue.mode == .evaluation, let board = EvaluationBoardLayout(s) else { return nil }
        let last = max(0, board.rows.count - 1), page = board.pageRows
        var e = s.evaluation
        switch key {
        case .down, .character("j"): e.selected += 1
        case .up, .character("k"): e.selected -= 1
        case .pageDown, .ctrl("f"): e.selected += page - 1; e.scroll += page - 1
        case .pageUp, .ctrl("b"): e.selected -= page - 1; e.scroll -= page - 1
        case .home, .character("g"): e.selected = 0
        case .end, .character("G"): e.selected = last
        case .right, .character("l"): e.firstColumn = min(board.lastFirstColumn, board.firstColumn + 1)
        case .left, .character("h"): e.firstColumn = max(0, board.firstColumn - 1)
        // The other panes give way to the board: there is no pane to move to.
        case .tab, .backTab: return []
        default: return nil
        }
        e.selected = min(max(0, e.selected), last)
        e.scroll = min(max(0, e.scroll), max(0, board.rows.count - page))
        if e.selected < e.scroll { e.scroll = e.selected }
        if e.selected >= e.scroll + page { e.scroll = e.selected - page + 1 }
        s.evaluation = e
        return []
    }
}
