import Curses
import Foundation
import Workflow

/// The evaluation board as the operator sees it, worked out from the state alone (so update, render and `:export`
/// agree): localized headers, columns in screen order (key and name frozen, then the sort column, then the rest,
/// scrolled sideways), rows sorted as asked with the total last, and which of them fit the body.
struct EvaluationBoardLayout {
    struct Column {
        /// Index into the report's table (`EvaluationExport.table(full: false)`).
        var source: Int
        var header: String
        var width: Int
    }

    static let gap = 2
    static let maxWidth = 18

    var title: String
    /// The window and its dates, e.g. "近7天 2026-11-19 – 2026-11-25".
    var period: String
    /// Every column in screen order: frozen ones first, then the sort column, then the rest.
    var columns: [Column]
    var frozenCount: Int
    /// Position in `columns` of the sort column (always frozen or pinned beside the frozen ones).
    var sortPosition: Int
    /// Rows sorted as on screen (the total last), cells in `columns` order.
    var rows: [[String]]
    var worstKeys: Set<String>
    var descending: Bool
    /// Of the scrolled columns, the first shown and how many fit.
    var firstColumn: Int
    var shownColumns: Int
    /// The board's inner area.
    var inner: Rect

    var scrollable: Int { columns.count - frozenCount }
    var pageRows: Int { max(1, inner.height - 1) }

    /// The board's frame: the whole body (the queue, case and map panes give way while it is shown).
    static func rect(width: Int, height: Int) -> Rect { ConsoleLayout(width: width, height: height).body }

    init?(_ s: ConsoleState) {
        guard let report = s.evaluation.report else { return nil }
        let (header, raw) = EvaluationExport.table(report, full: false)
        guard header.count > 2 else { return nil }
        inner = Self.rect(width: s.width, height: s.height).inset(by: 1)
        descending = s.evaluation.descending
        title = Self.title(report, s)
        period = Self.period(report, s)
        // Key, name (and role), then the composite score and band, the source's headline rates (发现率、处置率、解决率),
        // then the counts and the other indicators.
        let frozen = Array(header.indices.prefix(report.grouping == .operator ? 3 : 2))
        let scoring = header.indices.filter { header[$0] == "score" || header[$0] == "band" }
        let headline = Indicator.headline.compactMap { header.firstIndex(of: $0.rawValue) }
        let first = frozen + scoring + headline
        let order = first + header.indices.filter { !first.contains($0) }
        let sort = order[s.evaluation.sortColumn % order.count]
        let screenOrder = frozen + (frozen.contains(sort) ? [] : [sort]) + order.filter { !frozen.contains($0) && $0 != sort }
        frozenCount = frozen.count + (frozen.contains(sort) ? 0 : 1)
        sortPosition = screenOrder.firstIndex(of: sort) ?? 0
        // Sorted by the sort column, numbers as numbers and "n/a" last either way; the total row stays at the bottom.
        let total = raw.last.flatMap { $0.first == "TOTAL" ? $0 : nil }
        let body = total == nil ? raw : Array(raw.dropLast())
        let descending = s.evaluation.descending
        func value(_ row: [String]) -> String { row.indices.contains(sort) ? row[sort] : "" }
        let sorted = body.enumerated().sorted { a, b in
            let x = value(a.element), y = value(b.element)
            switch (Double(x), Double(y)) {
            case let (dx?, dy?): if dx != dy { return descending ? dx > dy : dx < dy }
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): if x != y { return descending ? x > y : x < y }
            }
            return a.offset < b.offset
        }.map(\.element)
        rows = (sorted + (total.map { [$0] } ?? [])).map { row in screenOrder.map { row.indices.contains($0) ? row[$0] : "" } }
        let lang = s.lang
        columns = screenOrder.enumerated().map { position, source in
            let names = EvaluationHeaders.short(header[source])
            var text = lang.t(names.zh, names.en)
            if source == sort { text += descending ? "↓" : "↑" }
            return Column(source: source, header: text, width: TerminalText.width(text))
        }
        for row in rows.prefix(500) {
            for (i, cell) in row.enumerated() where i < columns.count {
                columns[i].width = max(columns[i].width, min(Self.maxWidth, TerminalText.width(cell)))
            }
        }
        let scored = report.rows.filter { $0.score != nil }.sorted { ($0.score?.total ?? 0) < ($1.score?.total ?? 0) }
        worstKeys = Set(scored.prefix(EvaluationBoardView.worst).map(\.key))
        firstColumn = 0
        shownColumns = 0
        firstColumn = min(max(0, s.evaluation.firstColumn), lastFirstColumn)
        shownColumns = fitting(from: firstColumn)
    }

    /// How many scrolled columns fit beside the frozen ones from `first` on.
    func fitting(from first: Int) -> Int {
        var room = inner.width - columns.prefix(frozenCount).reduce(0) { $0 + $1.width + Self.gap }
        var n = 0
        for column in columns.dropFirst(frozenCount + first) {
            guard room >= column.width else { break }
            room -= column.width + Self.gap
            n += 1
        }
        return n
    }

    /// The furthest the columns scroll: the last column just shown.
    var lastFirstColumn: Int {
        var first = max(0, scrollable - 1)
        while first > 0, fitting(from: first - 1) >= scrollable - (first - 1) { first -= 1 }
        return first
    }

    /// Columns on screen, in order: the frozen ones and the scrolled ones that fit.
    var visibleColumns: [Int] {
        Array(0..<frozenCount) + Array((frozenCount + firstColumn)..<(frozenCount + firstColumn + shownColumns))
    }

    // MARK: Wording

    static func grouping(_ g: EvaluationGrouping, _ lang: Language) -> String {
        switch g {
        case .city: lang.t("全市", "city")
        case .district: lang.t("按区", "by district")
        case .street: lang.t("按街道", "by street")
        case .community: lang.t("按社区", "by community")
        case .cell: lang.t("按网格", "by cell")
        case .patrolArea: lang.t("按巡查区域", "by patrol area")
        case .category: lang.t("按类别", "by category")
        case .department: lang.t("按部门", "by department")
        case .operator: lang.t("按人员", "by operator")
        case .center: lang.t("按中心", "by center")
        }
    }

    static func period(_ report: EvaluationReport, _ s: ConsoleState) -> String {
        MapPaneText.windowName(s.map.window, s.lang) + " " + WindowHeatmap.text(report.period)
    }

    static func title(_ report: EvaluationReport, _ s: ConsoleState) -> String {
        s.lang.t("考评排名 \(grouping(report.grouping, s.lang))", "Evaluation \(grouping(report.grouping, s.lang))")
    }
}
