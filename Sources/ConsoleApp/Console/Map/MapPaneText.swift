import Curses
import Workflow

/// The words the console puts around the map widget: the pane's title, which names the heatmap's window and its
/// dates at every width, the drill-down path, and names (not codes) for places.
enum MapPaneText {
    /// The window by name: day, 7 days, 30 days, month.
    static func windowName(_ window: HeatWindow, _ lang: Language) -> String {
        switch window {
        case .today: lang.t("当日", "day")
        case .days7: lang.t("7天", "7 days")
        case .days30: lang.t("30天", "30 days")
        case .month: lang.t("自然月", "month")
        }
    }

    /// The window's dates, from the longest form to the shortest: "2026-11-19 – 2026-11-25", "11-19–11-25",
    /// "11-19–25"; a day is "11-25", a calendar month "2026-11".
    static func dates(_ period: EvaluationPeriod, window: HeatWindow) -> [String] {
        let first = period.from, last = period.to.adding(days: -1)
        func md(_ d: LocalDate) -> String { pad(d.month) + "-" + pad(d.day) }
        switch window {
        case .today: return ["\(first)", md(first)]
        case .month: return [pad(first.year, 4) + "-" + pad(first.month)]
        case .days7, .days30:
            var forms = ["\(first) – \(last)", md(first) + "–" + md(last)]
            if first.month == last.month { forms.append(md(first) + "–" + pad(last.day)) }
            return forms
        }
    }

    private static func pad(_ n: Int, _ width: Int = 2) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// The pane's title: the first of these that fits `width` columns of frame, from the method, measure and
    /// window with dates in full, down to the measure and the window's name with its shortest dates.
    static func title(_ s: ConsoleState, width: Int) -> String {
        let lang = s.lang
        if let layer = s.map.components {
            // The component layer names itself: what it counts, of which class.
            let room = width - 6
            let forms = [layer.label(lang, className: layer.classCode.flatMap { code in
                s.categories.first { $0.kind == .component && $0.code == code }.map { lang.t($0.nameZh, $0.nameEn) } }),
                layer.label(lang, className: nil), lang.t("部件", "components")]
            return " \(forms.first { TerminalText.width($0) <= room } ?? forms.last!) "
        }
        let hotspot = s.map.hotspot
        let methods: [String?] = hotspot ? [lang.t("Getis-Ord Gi* 热点", "Getis-Ord Gi* hotspots"), lang.t("Gi* 热点", "Gi* hotspots"), "Gi*"]
            : [lang.t("网格地图", "Grid map"), nil]
        let measure = s.map.measure.label(lang)
        let quantile = s.map.quantile && !hotspot ? lang.t("分位数", "quantile") : nil
        var windows: [String?] = [nil]
        if s.map.measure.usesWindow || hotspot {
            let name = windowName(s.map.window, lang)
            let forms = s.map.windowPeriod.map { dates($0, window: s.map.window) } ?? (s.map.windowText.isEmpty ? [] : [s.map.windowText])
            windows = forms.map { name + " " + $0 } + [name]
        }
        var candidates: [[String?]] = []
        for window in windows {
            for method in methods { candidates.append([method, measure, quantile, window]) }
            candidates.append([methods.last!, measure, nil, window])
        }
        let room = width - 6   // the frame's corners and the spaces around the title
        let texts = candidates.map { $0.compactMap { $0 }.joined(separator: " · ") }
        let title = texts.first { TerminalText.width($0) <= room } ?? texts.last ?? measure
        return " \(title) "
    }

    // MARK: Names

    /// A region's name in the console's language, its code when it has none.
    static func name(_ code: String, _ s: ConsoleState) -> String {
        if s.lang == .en, let en = s.map.regionNamesEn[code], !en.isEmpty { return en }
        return s.map.cellNames[code] ?? code
    }

    /// A cell as an operator names it: its community and its number there ("仁巷社区 007").
    static func cellName(_ code: String, _ s: ConsoleState) -> String {
        let community = CellCode.community(of: code)
        let serial = CellCode.serial(of: code)
        guard s.map.cellNames[community] != nil else { return code }
        return name(community, s) + " " + serial
    }

    // MARK: Drill-down path

    /// "北京市 › 东城区 › 和平里街道 › 仁巷社区 › 007", the region the queue and map are narrowed to, from the viewer's
    /// own region down, by name; nil when not narrowed. Shortened from the top when it does not fit `width`.
    static func breadcrumb(_ s: ConsoleState, width: Int) -> String? {
        guard let region = s.queue.filter.region, !region.isEmpty else { return nil }
        var parts: [String] = []
        let root = s.viewer.regionCode
        if s.map.cellNames[root] != nil || s.map.regionNamesEn[root] != nil { parts.append(name(root, s)) }
        var levels: [RegionLevel] = []
        for level in [RegionLevel.district, .street, .community, .cell] where region.count >= level.codeLength {
            let code = String(region.prefix(level.codeLength))
            if code == root { continue }
            levels.append(level)
            switch level {
            case .cell: parts.append(CellCode.serial(of: code))
            default: parts.append(name(code, s))
            }
        }
        // The hint goes first when space is short, then the top of the path.
        let hint = "  " + s.lang.t("Esc 上一级", "Esc up one level")
        let full = parts.joined(separator: " › ")
        if TerminalText.width(full + hint) <= width { return full + hint }
        var shown = parts
        while shown.count > 1, TerminalText.width((shown.count < parts.count ? "… › " : "") + shown.joined(separator: " › ")) > width {
            shown.removeFirst()
        }
        return (shown.count < parts.count ? "… › " : "") + shown.joined(separator: " › ")
    }
}
