import Foundation
import Curses
import Workflow

/// The evaluation board: regions, departments or operators ranked by composite score for the heatmap's
/// window, with their indicators; sort by any column (`>`, `r`); the worst rows are highlighted.
enum EvaluationBoardView {
    static let worst = 3

    /// The table as shown: header and rows, sorted as the operator asked (by default: score, best first).
    static func table(_ s: ConsoleState) -> (header: [String], rows: [[String]], worstKeys: Set<String>) {
        guard let report = s.evaluation.report else { return ([], [], []) }
        let (fullHeader, fullRows) = EvaluationExport.table(report, full: false)
        guard !fullHeader.isEmpty else { return (fullHeader, fullRows, []) }
        // Key, name, then the composite score and band, then the indicators: a ranking reads left to right.
        let first = Array(fullHeader.indices.prefix(2))
        let scoring = fullHeader.indices.filter { fullHeader[$0].lowercased().contains("score") || fullHeader[$0].lowercased().contains("band") }
        let order = first + scoring + fullHeader.indices.filter { !first.contains($0) && !scoring.contains($0) }
        let header = order.map { fullHeader[$0] }
        let rows = fullRows.map { row in order.map { row.indices.contains($0) ? row[$0] : "" } }
        let column = s.evaluation.sortColumn % header.count
        let sorted = rows.sorted { a, b in
            let x = a.indices.contains(column) ? a[column] : "", y = b.indices.contains(column) ? b[column] : ""
            let order: Bool
            if let dx = Double(x.trimmingCharacters(in: CharacterSet(charactersIn: "%"))), let dy = Double(y.trimmingCharacters(in: CharacterSet(charactersIn: "%"))) {
                order = dx < dy
            } else {
                order = x < y
            }
            return s.evaluation.descending ? !order : order
        }
        // The worst by composite score, whatever the sort.
        let scored = report.rows.filter { $0.score != nil }.sorted { ($0.score?.total ?? 0) < ($1.score?.total ?? 0) }
        return (header, sorted, Set(scored.prefix(worst).map(\.key)))
    }

    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        let grouping = s.evaluation.grouping.rawValue
        let title = s.lang.t(" 考评排名 · \(grouping) · \(s.map.windowText) ", " Evaluation · \(grouping) · \(s.map.windowText) ")
        let inner = ConsoleRender.frame(&b, rect, title: title, focused: s.focus == .queue, theme: theme)
        guard inner.height > 1, inner.width > 4 else { return }
        let (header, rows, worst) = table(s)
        guard !header.isEmpty else {
            b.put(s.lang.t("正在计算…", "computing…"), x: inner.x, y: inner.y, style: theme["muted"], clipTo: inner)
            return
        }
        var widths = header.map { TerminalText.width($0) }
        for row in rows.prefix(200) { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = min(18, max(widths[i], TerminalText.width(cell))) } }
        let sortColumn = s.evaluation.sortColumn % header.count
        func drawRow(_ cells: [String], y: Int, style: Style) {
            var x = inner.x
            for (i, cell) in cells.enumerated() where i < widths.count {
                let text = i == sortColumn && y == inner.y ? cell + (s.evaluation.descending ? "↓" : "↑") : cell
                x += b.put(TerminalText.truncate(text, toWidth: widths[i] + 1), x: x, y: y, style: style, clipTo: inner)
                x = max(x, inner.x + widths.prefix(i + 1).reduce(0, +) + (i + 1) * 2)
            }
        }
        drawRow(header, y: inner.y, style: theme["header"])
        let keyColumn = 0
        for (i, row) in rows.prefix(inner.height - 1).enumerated() {
            let isWorst = row.indices.contains(keyColumn) && worst.contains(row[keyColumn])
            drawRow(row, y: inner.y + 1 + i, style: theme[isWorst ? "due.red" : "normal"])
        }
    }
}
