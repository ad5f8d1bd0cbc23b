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
        s.evaluation = clamped(e, board)
        return []
    }

    /// The selection within the rows, and the rows scrolled so that it shows.
    static func clamped(_ e: EvaluationBoardState, _ board: EvaluationBoardLayout) -> EvaluationBoardState {
        var e = e
        let page = board.pageRows
        e.selected = min(max(0, e.selected), max(0, board.rows.count - 1))
        e.scroll = min(max(0, e.scroll), max(0, board.rows.count - page))
        if e.selected < e.scroll { e.scroll = e.selected }
        if e.selected >= e.scroll + page { e.scroll = e.selected - page + 1 }
        return e
    }

    /// The wheel: the rows scroll by `delta`, the selection kept on screen.
    static func scroll(by delta: Int, _ s: inout ConsoleState) {
        guard let board = EvaluationBoardLayout(s) else { return }
        var e = s.evaluation
        e.scroll = min(max(0, e.scroll + delta), max(0, board.rows.count - board.pageRows))
        e.selected = min(max(e.selected, e.scroll), e.scroll + board.pageRows - 1)
        s.evaluation = clamped(e, board)
    }

    /// A click at screen row `y`: the board's row drawn there is selected; the column titles and the frame do nothing.
    static func click(y: Int, _ s: inout ConsoleState) {
        guard let board = EvaluationBoardLayout(s), y > board.inner.y, y < board.inner.maxY else { return }
        let index = min(s.evaluation.scroll, max(0, board.rows.count - 1)) + (y - board.inner.y - 1)
        guard index < board.rows.count, y - board.inner.y - 1 < board.pageRows else { return }
        var e = s.evaluation
        e.selected = index
        s.evaluation = clamped(e, board)
    }
}
