import Curses
import Workflow

/// One line of the help overlay: a heading or an entry.
struct HelpLine: Sendable, Equatable {
    var text: String
    var heading = false
}

/// The help overlay's text, for the viewer's role: what the ● mark means, the keys of each pane (from the live
/// keymap, filtered by `RoleKeys`), the case actions the role may take, and the `:` commands (from the command
/// table, `ConsoleCommandParser.commandHelp`, and the action table's usages). One column, scrolled with j/k,
/// PgUp/PgDn and g/G, so nothing is cut off at any size.
enum HelpContent {
    static let keyColumn = 13
    static let commandColumn = 26

    /// The help's lines for the viewer, each wrapped to the overlay's width (continuations indented under the text).
    static func lines(_ s: ConsoleState) -> [HelpLine] {
        let width = box(ConsoleLayout(width: s.width, height: s.height).body).width - 2
        return entries(s).flatMap { line in
            wrap(line.text, width: width, indent: line.text.hasPrefix("  :") ? commandColumn + 2 : keyColumn + 2).map { HelpLine(text: $0, heading: line.heading) }
        }
    }

    /// `text` in pieces of at most `width` columns, broken at a blank where there is one; every piece after the first
    /// starts with `indent` blanks.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        guard width > indent + 8, TerminalText.width(text) > width else { return [text] }
        var out: [String] = []
        var rest = Substring(text)
        var prefix = ""
        while TerminalText.width(prefix + rest) > width {
            var piece = "", used = TerminalText.width(prefix)
            var cut = rest.startIndex
            for i in rest.indices {
                let w = TerminalText.width(String(rest[i]))
                if used + w > width { break }
                used += w
                cut = rest.index(after: i)
            }
            piece = String(rest[..<cut])
            // Break at the last blank of the piece when it has one past the indent.
            if cut < rest.endIndex, rest[cut] != " ", let blank = piece.lastIndex(of: " "), piece.distance(from: piece.startIndex, to: blank) > 0 {
                piece = String(piece[..<blank])
                cut = rest.index(rest.startIndex, offsetBy: piece.count)
            }
            out.append(prefix + piece)
            rest = rest[cut...].drop { $0 == " " }
            prefix = String(repeating: " ", count: indent)
        }
        if !rest.isEmpty { out.append(prefix + rest) }
        return out
    }

    static func entries(_ s: ConsoleState) -> [HelpLine] {
        let lang = s.lang
        var out: [HelpLine] = [
            HelpLine(text: lang.t("标记", "Marks"), heading: true),
        ]
        // The queue's marks as the queue itself states them (QueueArrivals.legend): glyph, then what it means.
        for mark in QueueArrivals.legend(lang) {
            let glyph = mark.prefix { $0 != " " }
            let meaning = mark.dropFirst(glyph.count).drop { $0 == " " }
            out.append(HelpLine(text: "  " + pad(String(glyph), keyColumn) + meaning))
        }
        // The overdue board is only for the roles that may open it.
        for context in KeyContext.allCases where (context != .overdue || RoleKeys.allows(.toggleBoard, s))
            && (context != .followUps || RoleKeys.allows(.toggleFollowUps, s)) {
            let bindings = Keymap.bindings.filter {
                if case .caseAction = $0.action { return false }
                return $0.context == context && RoleKeys.allows($0.action, s)
            }
            guard !bindings.isEmpty else { continue }
            out.append(HelpLine(text: heading(context, lang), heading: true))
            out += bindings.map { HelpLine(text: "  " + pad($0.keyNames, keyColumn) + $0.help(lang)) }
        }
        let actions = Keymap.caseActionKeys.filter { RoleKeys.allows(.caseAction($0.1), s) }
        if !actions.isEmpty {
            out.append(HelpLine(text: lang.t("案件操作（作用于所选案件或已标记的案件）", "Case actions (on the selected case, or the marked ones)"), heading: true))
            out += actions.map { HelpLine(text: "  " + pad(String($0.0), keyColumn) + lang.action($0.1.rawValue)) }
        }
        out.append(HelpLine(text: lang.t("命令行（按 : 后输入，Tab 补全，↑↓ 历史）", "Command line (type after :, Tab completes, ↑↓ history)"), heading: true))
        for command in ConsoleCommandParser.commandHelp where command.action.map({ RoleKeys.allows($0, s) }) ?? true {
            out.append(HelpLine(text: "  " + pad(":" + command.usage, commandColumn) + lang.t(command.zh, command.en)))
        }
        for (_, action) in actions {
            out.append(HelpLine(text: "  " + pad(":" + ConsoleCommandParser.usage(action), commandColumn) + lang.action(action.rawValue)))
        }
        return out
    }

    static func heading(_ context: KeyContext, _ lang: Language) -> String {
        switch context {
        case .global: lang.t("全局", "Everywhere")
        case .queue: lang.t("队列", "Queue")
        case .map: lang.t("地图", "Map")
        case .detail: lang.t("案件", "Case")
        case .evaluation: lang.t("考评排名（e）", "Evaluation board (e)")
        case .overdue: lang.t("超期看板（b）", "Overdue board (b)")
        case .followUps: lang.t("回访任务（f）", "Follow-ups (f)")
        case .patrol: lang.t("巡查看板（:patrol）", "Patrol board (:patrol)")
        }
    }

    /// `text` and at least two blanks, to `width` columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(2, width - TerminalText.width(text)))
    }

    /// The overlay's box in the panes' area, and the rows of text it shows.
    static func box(_ area: Rect) -> Rect { area.inset(horizontal: min(4, area.width / 10), vertical: min(1, area.height / 10)) }

    static func visibleRows(width: Int, height: Int) -> Int {
        max(1, box(ConsoleLayout(width: width, height: height).body).height - 2)
    }

    /// The first line shown can go no further than a last page that is full.
    static func maxScroll(_ s: ConsoleState) -> Int {
        max(0, lines(s).count - visibleRows(width: s.width, height: s.height))
    }
}
