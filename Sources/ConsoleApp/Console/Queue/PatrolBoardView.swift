import Curses
import Foundation
import Workflow

/// The patrol board (巡查看板), in the queue's place like the other boards: each open census (专项普查) over the
/// viewer's region with its progress by patrol area (what `citygrid census report` shows), then the cells no
/// inspector visited within the site's patrol interval (漏巡网格, `citygrid patrol neglected`), longest first. The
/// supervisor and the shift lead read it from the overdue board (`t`) or `:patrol`; an inspector records a finding
/// in the highlighted census (Enter).
enum PatrolBoardView {
    /// The most neglected cells read for the board; the title says how many there are in all.
    static let neglectedLimit = 200

    /// One line of the board.
    enum Row: Equatable {
        case census(CensusReport)
        case areaHeader(censusID: Int64)
        case area(censusID: Int64, CensusAreaProgress)
        case noCensus
        case neglectedTitle(total: Int, hours: Int)
        case neglected(NeglectedCell)
        case more(Int)

        /// The census a line belongs to: Enter records in it.
        var censusID: Int64? {
            switch self {
            case .census(let r): r.census.id
            case .areaHeader(let id), .area(let id, _): id
            default: nil
            }
        }
    }

    static func rows(_ reading: PatrolBoardReading) -> [Row] {
        var rows: [Row] = []
        for report in reading.censuses {
            rows.append(.census(report))
            rows.append(.areaHeader(censusID: report.census.id))
            rows += report.areas.map { .area(censusID: report.census.id, $0) }
        }
        if reading.censuses.isEmpty { rows.append(.noCensus) }
        rows.append(.neglectedTitle(total: reading.neglected.total, hours: reading.neglected.hours))
        rows += reading.neglected.cells.map(Row.neglected)
        if reading.neglected.total > reading.neglected.cells.count { rows.append(.more(reading.neglected.total - reading.neglected.cells.count)) }
        return rows
    }

    static func inner(_ s: ConsoleState) -> Rect { ConsoleLayout(width: s.width, height: s.height).body.inset(by: 1) }
    static func pageRows(_ s: ConsoleState) -> Int { max(1, inner(s).height) }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f%%", $0) } ?? "-" }

    static func kindName(_ kind: CensusRecordKind, _ lang: Language) -> String {
        switch kind {
        case .confirm: lang.t("确认", "confirm")
        case .correct: lang.t("更正", "correct")
        case .add: lang.t("新增", "add")
        case .retire: lang.t("注销", "retire")
        }
    }

    /// Columns of an area line: patrol area, expected, surveyed, %, confirmed, corrected, retired, added.
    static let areaWidths = [20, 6, 6, 7, 6, 6, 6, 6]

    static func columns(_ cells: [String]) -> String {
        zip(cells, areaWidths).map { cell($0, $1) }.joined(separator: " ")
    }

    /// `text` cut to `width` columns, blanks after it to fill them.
    static func cell(_ text: String, _ width: Int) -> String {
        let cut = TerminalText.truncate(text, toWidth: width)
        return cut + String(repeating: " ", count: max(0, width - TerminalText.width(cut)))
    }

    static func text(_ row: Row, _ s: ConsoleState) -> String {
        let lang = s.lang
        let format = InstantFormat(timeZone: s.timeZone)
        switch row {
        case .census(let r):
            let c = r.census
            let className = s.categories.first { $0.kind == .component && $0.code == c.classCode }.map { lang.t($0.nameZh, $0.nameEn) } ?? ""
            let overall = r.expected == 0 ? "-" : percent(Double(r.surveyed) * 100 / Double(r.expected))
            return lang.t("普查 \(c.id) · \(c.classCode) \(className) · \(MapPaneText.name(c.regionCode, s)) · 截止 \(format.short(c.dueAt)) · 已查 \(r.surveyed)/\(r.expected)（\(overall)）",
                          "census \(c.id) · \(c.classCode) \(className) · \(MapPaneText.name(c.regionCode, s)) · due \(format.short(c.dueAt)) · surveyed \(r.surveyed)/\(r.expected) (\(overall))")
        case .areaHeader:
            return "  " + columns(lang == .zh ? ["巡查区", "应查", "已查", "完成", "确认", "更正", "注销", "新增"]
                                  : ["PATROL AREA", "EXPECT", "DONE", "%", "CONF", "CORR", "RETIR", "ADDED"])
        case .area(_, let a):
            return "  " + columns([a.patrolArea, String(a.expected), String(a.surveyed), percent(a.percent), String(a.confirmed),
                                   String(a.corrected), String(a.retired), String(a.added)])
        case .noCensus:
            return lang.t("没有进行中的部件普查", "no census open")
        case .neglectedTitle(let total, let hours):
            return lang.t("漏巡网格：\(total) 个（超过 \(hours) 小时未巡查）", "Neglected cells: \(total) (not patrolled in \(hours) h)")
        case .neglected(let cell):
            let last = cell.lastVisit.map { lang.t("最近巡查 ", "last patrolled ") + format.short($0) } ?? lang.t("从未巡查", "never patrolled")
            return "  " + [Self.cell(cell.cellCode, 15), Self.cell(MapPaneText.cellName(cell.cellCode, s), 16),
                           Self.cell(cell.patrolArea ?? "-", 10), last].joined(separator: " ")
        case .more(let n):
            return lang.t("  …另有 \(n) 个", "  … \(n) more")
        }
    }

    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        let board = s.patrol
        let title = board.reading.map { r in
            s.lang.t(" 巡查看板：普查 \(r.censuses.count) 项 · 漏巡网格 \(r.neglected.total) 个 ",
                     " Patrol: \(r.censuses.count) census\(r.censuses.count == 1 ? "" : "es") · \(r.neglected.total) neglected cells ")
        } ?? s.lang.t(" 巡查看板 ", " Patrol ")
        let inner = ConsoleRender.frame(&b, rect, title: title, focused: true, theme: theme)
        guard inner.height > 0, inner.width > 4 else { return }
        guard let reading = board.reading else {
            b.put(s.lang.t("正在读取…", "reading…"), x: inner.x, y: inner.y, style: theme["muted"], clipTo: inner)
            return
        }
        let rows = rows(reading)
        for (i, row) in rows.enumerated().dropFirst(board.scroll).prefix(pageRows(s)) {
            let y = inner.y + i - board.scroll
            let selected = i == board.selected
            let style: Style
            switch row {
            case .census, .neglectedTitle: style = theme["title"]
            case .areaHeader: style = theme["header"]
            case .noCensus, .more: style = theme["muted"]
            case .neglected(let cell): style = cell.lastVisit == nil ? theme["warning"] : theme["normal"]
            case .area(_, let a): style = a.expected > 0 && a.surveyed >= a.expected ? theme["ok"] : theme["normal"]
            }
            let line = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            if selected { b.fill(line, style: theme["selection"]) }
            b.put(TerminalText.truncate(text(row, s), toWidth: inner.width), x: inner.x, y: y, style: selected ? theme["selection"] : style, clipTo: line)
        }
    }
}
