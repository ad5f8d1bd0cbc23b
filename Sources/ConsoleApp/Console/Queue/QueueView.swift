import Curses
import Foundation
import Workflow

/// The report queue: what waits on this operator first (marked ▸), then the rest of the center's open
/// cases. Only the rows in the fetched window are drawn; columns give way as the pane narrows.
enum QueueView {
    struct Column {
        var title: String
        var width: Int
        var sort: QueueSort?
        /// On the overdue board: which of its columns (`OverdueBoardView`).
        var board: OverdueBoardColumn? = nil
    }

    static func columns(_ s: ConsoleState, width: Int) -> [Column] {
        if s.queue.mode == .board { return OverdueBoardView.columns(s, width: width) }
        let lang = s.lang
        var cols = [
            // Waits on me, a flag, and the urgent badge.
            Column(title: " ", width: 2 + UrgentBadge.width(lang), sort: nil),
            Column(title: lang.t("编号", "ID"), width: 7, sort: .id),
            Column(title: s.queue.mode == .board ? lang.t("比例", "RATIO") : lang.t("时长", "AGE"), width: 5, sort: .age),
            Column(title: lang.t("类别", "CATEGORY"), width: 14, sort: .category),
            Column(title: lang.t("社区/网格", "COMMUNITY/CELL"), width: 14, sort: .cell),
            Column(title: lang.t("状态", "STATE"), width: 10, sort: .state),
            Column(title: s.queue.mode == .board ? lang.t("责任方", "HOLDER") : lang.t("部门", "DEPT"), width: s.queue.mode == .board ? 14 : 8, sort: .department),
            Column(title: lang.t("剩余", "DUE"), width: 6, sort: .due),
        ]
        // Narrow panes drop the least needed columns first.
        for drop in [6, 4, 2] where cols.reduce(0, { $0 + $1.width + 1 }) > width && cols.count > drop {
            cols.remove(at: drop)
        }
        // Still too wide: the category gives way, down to a few characters.
        if let i = cols.firstIndex(where: { $0.sort == .category }) {
            let over = cols.reduce(0, { $0 + $1.width + 1 }) - width
            if over > 0 { cols[i].width = max(6, cols[i].width - over) }
        }
        let used = cols.reduce(0) { $0 + $1.width + 1 }
        if used < width, let i = cols.firstIndex(where: { $0.sort == .category }) { cols[i].width += min(12, width - used) }
        return cols
    }

    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        let q = s.queue
        var title = q.mode == .board
            ? s.lang.t(" 超期看板 \(q.total) 件 · 按时限使用比例 ", " Overdue board: \(q.total) · by share of limit used ")
            : s.lang.t(" 队列 需我处理 \(q.counts.needsMyAction) · 其他 \(q.counts.others) ", " Queue: mine \(q.counts.needsMyAction) · other \(q.counts.others) ")
        if !q.marked.isEmpty { title += s.lang.t("[已标记 \(q.marked.count)] ", "[\(q.marked.count) marked] ") }
        title += q.filter.tags(s.lang)
        let inner = ConsoleRender.frame(&b, rect, title: title, focused: s.focus == .queue, theme: theme)
        guard inner.height >= 1, inner.width >= 4 else { return }
        // Cases just arrived for the operator: the count flashes for a moment.
        if q.mode == .queue, q.flashUntil != nil {
            let mine = s.lang.t("需我处理 \(q.counts.needsMyAction)", "mine \(q.counts.needsMyAction)")
            if let range = title.range(of: mine) {
                let x = rect.x + 2 + TerminalText.width(String(title[..<range.lowerBound]))
                b.put(mine, x: x, y: rect.y, style: theme["urgent"].adding(.reverse).adding(.bold), clipTo: rect)
            }
        }
        let cols = columns(s, width: inner.width)
        // Header row with the sort marker.
        var x = inner.x
        for col in cols {
            var text = col.title
            if let board = col.board, q.mode == .board {
                if board == q.boardSort.column { text += q.boardAscending ? "↑" : "↓" }
            } else if col.sort == q.sort { text += q.ascending ? "↑" : "↓" }
            b.put(TerminalText.truncate(text, toWidth: col.width), x: x, y: inner.y, style: theme["header"], clipTo: inner)
            x += col.width + 1
        }
        let listRows = max(0, inner.height - 1)
        if q.total == 0 {
            let text = q.filter.isEmpty ? s.lang.t("没有未结案件", "no open cases") : s.lang.t("没有符合筛选的案件（c 清除筛选）", "nothing matches the filter (c clears it)")
            b.put(text, x: inner.x + 1, y: inner.y + 1, style: theme["muted"], clipTo: inner)
            return
        }
        // Update keeps the selection inside the scrolled page (`ConsoleUpdate.settle`).
        let scroll = q.scroll
        for row in 0..<listRows {
            let index = scroll + row
            guard index < q.total else { break }
            let y = inner.y + 1 + row
            // A case opened by id that is not this row holds the pane: no row is highlighted then.
            let selected = index == q.selected && s.detail.pinnedID == nil
            let lineRect = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            let base = selected ? theme[s.focus == .queue ? "selection" : "selection.inactive"] : theme["normal"]
            if selected { b.fill(lineRect, style: base) }
            guard let entry = q.entry(at: index) else {
                b.put("…", x: inner.x + 2, y: y, style: theme["muted"], clipTo: lineRect)
                continue
            }
            drawRow(&b, entry, s, cols: cols, y: y, rect: lineRect, base: base, theme: theme, selected: selected)
        }
    }

    static func drawRow(_ b: inout ScreenBuffer, _ entry: QueueEntry, _ s: ConsoleState, cols: [Column], y: Int, rect: Rect,
                        base: Style, theme: Theme, selected: Bool) {
        let c = entry.serviceCase
        let category = s.categories.first { $0.key == c.categoryKey }
        var x = rect.x
        for col in cols {
            let cell = Rect(x: x, y: y, width: col.width, height: 1).intersection(rect)
            var style = base
            var text: String
            if let board = col.board, board != .flag {
                text = OverdueBoardView.text(board, c, s)
                if board == .left { if !selected { style = theme[DueText.style(c, now: s.now)] } else { style = base.adding(.bold) } }
                b.put(TerminalText.truncate(text, toWidth: col.width), x: x, y: y, style: style, clipTo: cell)
                x += col.width + 1
                continue
            }
            switch col.sort {
            case nil:
                let isNew = QueueArrivals.isNew(c, s)
                let marked = s.queue.marked.contains(c.id)
                let duplicate = (s.queue.duplicates[c.id] ?? 0) > 0
                let flag = marked ? "*" : isNew ? "●" : c.pending != nil ? "?" : duplicate ? "=" : s.queue.risks[c.id] != nil ? "~" : c.urgeCount > 0 ? "!" : c.escalated ? "^" : " "
                text = (entry.needsMyAction ? "▸" : " ") + flag
                if marked { style = theme["marked"] } else if isNew && !selected { style = theme["new"] }
                if c.urgent || c.priority {
                    b.put(TerminalText.truncate(text, toWidth: 2), x: x, y: y, style: style, clipTo: cell)
                    b.put(c.urgent ? UrgentBadge.text(s.lang) : PriorityBadge.text(s.lang), x: x + 2, y: y,
                          style: selected ? base.adding(.bold) : theme[c.urgent ? "urgent" : "warning"], clipTo: cell)
                    x += col.width + 1
                    continue
                }
            case .id: text = String(c.id)
            case .age:
                // On the board, the share of the stage's limit used (1.00 = at the deadline).
                text = s.queue.mode == .board ? (s.queue.boardInfo[c.id]?.ratio ?? "") : DueText.age(c, now: s.now)
            case .category: text = category.map { s.lang.t($0.nameZh, $0.nameEn) } ?? c.categoryCode
            case .cell: text = s.map.cellNames[c.communityCode] ?? c.cellCode
            case .state: text = s.lang.state(c.state.rawValue)
            case .department: text = s.queue.mode == .board ? (s.queue.boardInfo[c.id]?.responsible ?? "-") : c.departmentCode ?? "-"
            case .due:
                text = DueText.remaining(c, now: s.now, lang: s.lang)
                if !selected { style = theme[DueText.style(c, now: s.now)] } else { style = base.adding(.bold) }
                // Overdue is marked by a glyph too, in the gap before the column: colour and reverse are lost on the
                // highlighted row, and without colour (mono, NO_COLOR) due.red looks like the selection.
                if c.dueState(at: s.now) == .red, x > rect.x {
                    b.put(DueText.overdueGlyph, x: x - 1, y: y, style: style, clipTo: rect)
                }
            }
            b.put(TerminalText.truncate(text, toWidth: col.width), x: x, y: y, style: style, clipTo: cell)
            x += col.width + 1
        }
    }
}
