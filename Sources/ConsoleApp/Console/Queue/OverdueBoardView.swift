import Curses
import Foundation
import Workflow

/// The overdue board's columns, most needed first: what a shift lead reassigning overdue cases reads first is which
/// case, how late, who holds it and which department; then where and what; the share of the limit used and the
/// stage last. A narrow pane drops columns from the end of this list, never the sort column.
enum OverdueBoardColumn: String, CaseIterable, Sendable {
    case flag, id, left, holder, department, cell, category, ratio, state

    var width: Int {
        switch self {
        case .flag: 2
        case .id: 7
        case .left: 8
        case .holder: 14
        case .department: 8
        case .cell: 14
        case .category: 14
        case .ratio: 5
        case .state: 10
        }
    }

    func title(_ lang: Language) -> String {
        switch self {
        case .flag: " "
        case .id: lang.t("编号", "ID")
        case .left: lang.t("剩余", "LEFT")
        case .holder: lang.t("责任方", "HOLDER")
        case .department: lang.t("部门", "DEPT")
        case .cell: lang.t("社区/网格", "COMMUNITY/CELL")
        case .category: lang.t("类别", "CATEGORY")
        case .ratio: lang.t("比例", "RATIO")
        case .state: lang.t("状态", "STATE")
        }
    }
}

/// How the overdue board is sorted (`>` steps through these, `r` reverses): by default the share of the stage's
/// limit used, worst first.
enum OverdueBoardSort: String, CaseIterable, Sendable {
    case ratio, left, holder, department, cell, category, id, state

    var column: OverdueBoardColumn {
        switch self {
        case .ratio: .ratio
        case .left: .left
        case .holder: .holder
        case .department: .department
        case .cell: .cell
        case .category: .category
        case .id: .id
        case .state: .state
        }
    }
}

enum OverdueBoardView {
    /// The columns that fit `width`, dropped from the least needed; the sort column stays; spare room widens the category.
    static func columns(_ s: ConsoleState, width: Int) -> [QueueView.Column] {
        var kept = OverdueBoardColumn.allCases
        let sorted = s.queue.boardSort.column
        // The sort column has room for its arrow.
        func columnWidth(_ c: OverdueBoardColumn) -> Int { c.width + (c == sorted ? 1 : 0) }
        func used() -> Int { kept.reduce(0) { $0 + columnWidth($1) + 1 } }
        for drop in OverdueBoardColumn.allCases.reversed() where used() > width && drop != sorted && drop != .flag && drop != .id {
            kept.removeAll { $0 == drop }
        }
        var cols = kept.map { QueueView.Column(title: $0.title(s.lang), width: columnWidth($0), sort: nil, board: $0) }
        let spare = width - used()
        if spare > 0, let i = cols.firstIndex(where: { $0.board == .category }) ?? cols.firstIndex(where: { $0.board == .cell }) {
            cols[i].width += min(12, spare)
        }
        return cols
    }

    /// The remaining time in the stage's own time (what its deadline counts): the same text as the handover's.
    static func left(_ reading: StageReading?) -> String {
        reading.map(Span.left) ?? "-"
    }

    static func text(_ column: OverdueBoardColumn, _ c: ServiceCase, _ s: ConsoleState) -> String {
        switch column {
        case .flag: ""
        case .id: String(c.id)
        case .left: left(s.queue.boardReadings[c.id])
        case .holder: s.queue.boardInfo[c.id]?.responsible ?? "-"
        case .department: c.departmentCode ?? "-"
        case .cell: s.map.cellNames[c.communityCode] ?? c.cellCode
        case .category: s.categories.first { $0.key == c.categoryKey }.map { s.lang.t($0.nameZh, $0.nameEn) } ?? c.categoryCode
        case .ratio: s.queue.boardInfo[c.id]?.ratio ?? ""
        case .state: s.lang.state(c.state.rawValue)
        }
    }

    /// The board's rows in the chosen order; ties keep the board's own order (worst first).
    static func sorted(_ rows: [QueueEntry], _ s: ConsoleState) -> [QueueEntry] {
        let q = s.queue
        func less(_ a: ServiceCase, _ b: ServiceCase) -> Bool? {
            switch q.boardSort {
            case .ratio:
                let x = q.boardReadings[a.id]?.ratio ?? 0, y = q.boardReadings[b.id]?.ratio ?? 0
                return x == y ? nil : x < y
            case .left:
                let x = q.boardReadings[a.id]?.remainingMinutes ?? 0, y = q.boardReadings[b.id]?.remainingMinutes ?? 0
                return x == y ? nil : x < y
            case .id: return a.id == b.id ? nil : a.id < b.id
            default:
                let x = text(q.boardSort.column, a, s), y = text(q.boardSort.column, b, s)
                return x == y ? nil : x < y
            }
        }
        return rows.enumerated().sorted { a, b in
            if let order = less(a.element.serviceCase, b.element.serviceCase) { return q.boardAscending ? order : !order }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// `>` and `r` on the board: the next sort or the other direction; the rows are sorted again at once.
    static func sort(next: Bool, _ s: inout ConsoleState) {
        if next {
            let all = OverdueBoardSort.allCases
            s.queue.boardSort = all[((all.firstIndex(of: s.queue.boardSort) ?? 0) + 1) % all.count]
            // Worst first for the ratio and the time left; A to Z for the rest.
            s.queue.boardAscending = s.queue.boardSort != .ratio
        } else {
            s.queue.boardAscending.toggle()
        }
        s.queue.boardRows = sorted(s.queue.boardRows, s)
    }
}
