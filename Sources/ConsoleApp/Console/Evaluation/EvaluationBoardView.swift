import Foundation
import Curses
import Workflow

/// The evaluation board: regions, departments or operators ranked by composite score for the heatmap's
/// window, with their indicators; sort by any column (`>`, `r`); the worst rows are highlighted. It takes the whole
/// body while shown; rows scroll with j/k, PgUp/PgDn, g/G, the columns after the frozen key and name with h/l.
enum EvaluationBoardView {
    static let worst = 3

    /// The table as shown: header and rows, sorted as the operator asked (by default: score, best first), the total
    /// last; columns in screen order (key, name, the sort column, the rest).
    static func table(_ s: ConsoleState) -> (header: [String], rows: [[String]], worstKeys: Set<String>) {
        guard let board = EvaluationBoardLayout(s) else { return ([], [], []) }
        return (board.columns.map(\.header), board.rows, board.worstKeys)
    }

    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        guard let board = EvaluationBoardLayout(s) else {
            let inner = ConsoleRender.frame(&b, rect, title: s.lang.t(" 考评排名 ", " Evaluation "), focused: true, theme: theme)
            b.put(s.lang.t("正在计算…", "computing…"), x: inner.x, y: inner.y, style: theme["muted"], clipTo: inner)
            return
        }
        var title = " \(board.title) · \(board.period) "
        if board.scrollable > board.shownColumns {
            title += s.lang.t("列 \(board.firstColumn + 1)–\(board.firstColumn + board.shownColumns)/\(board.scrollable) ",
                              "cols \(board.firstColumn + 1)–\(board.firstColumn + board.shownColumns)/\(board.scrollable) ")
        }
        let inner = ConsoleRender.frame(&b, rect, title: title, focused: true, theme: theme)
        guard inner.height > 1, inner.width > 4 else { return }
        let visible = board.visibleColumns
        func drawRow(_ cells: [String], y: Int, style: Style, sortStyle: Style) {
            var x = inner.x
            for i in visible {
                let column = board.columns[i]
                let text = cells.indices.contains(i) ? cells[i] : ""
                b.put(TerminalText.truncate(text, toWidth: column.width), x: x, y: y, style: i == board.sortPosition ? sortStyle : style, clipTo: inner)
                x += column.width + EvaluationBoardLayout.gap
            }
        }
        drawRow(board.columns.map(\.header), y: inner.y, style: theme["header"], sortStyle: theme["header"].adding(.bold))
        let selected = min(s.evaluation.selected, max(0, board.rows.count - 1))
        let scroll = min(s.evaluation.scroll, max(0, board.rows.count - 1))
        for (i, row) in board.rows.dropFirst(scroll).prefix(board.pageRows).enumerated() {
            let y = inner.y + 1 + i
            let isWorst = row.first.map { board.worstKeys.contains($0) } ?? false
            var style = theme[isWorst ? "due.red" : "normal"]
            if scroll + i == selected {
                style = theme["selection"]
                b.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: style)
            }
            drawRow(row, y: y, style: style, sortStyle: style.adding(.bold))
        }
    }
}
