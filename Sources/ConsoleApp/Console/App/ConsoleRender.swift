import Curses
import Foundation
import Workflow

/// Draws the whole console into a fresh buffer. Layout: a header line, the panes, a line of key hints
/// (or the command line / filter input), and the status line. At 80×24 and above the queue, case and map
/// panes show together; below that only the focused pane; below 20×5 a single line says so.
enum ConsoleRender {
    static let minimumFull = ConsoleLayout.minimumFull

    /// Pure: the state and its frame size in, a screen out. Layout facts (rows per page, scroll, the map's fit) were
    /// worked out by update; nothing here writes back.
    static func render(_ s: ConsoleState, theme: Theme) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: max(0, s.width), height: max(0, s.height), style: theme["normal"])
        let w = s.width, h = s.height
        if let lock = s.lock { return SignInView.screen(lock, lang: s.lang, theme: theme, width: w, height: h) }
        guard w >= 20, h >= 5 else {
            buffer.put(s.lang.t("窗口太小", "too small"), x: 0, y: 0, style: theme["warning"], clipTo: buffer.bounds)
            if h > 1 { buffer.put("\(w)×\(h)", x: 0, y: 1, style: theme["muted"], clipTo: buffer.bounds) }
            return buffer
        }
        let layout = ConsoleLayout(width: w, height: h)
        Chrome.header(&buffer, s, theme: theme, rect: layout.header)
        let body = layout.body
        let queue = layout.queuePane(focus: s.focus), detail = layout.detailPane(focus: s.focus), map = layout.mapPane(focus: s.focus)
        if s.queue.mode == .evaluation && (layout.full || s.focus == .queue) {
            // The evaluation board takes the whole body: the other panes give way while it is shown.
            EvaluationBoardView.draw(&buffer, s, theme: theme, rect: body)
        } else if s.queue.mode == .followUps && (layout.full || s.focus == .queue) {
            // So does the follow-ups board.
            FollowUpBoardView.draw(&buffer, s, theme: theme, rect: body)
        } else if s.queue.mode == .patrol && (layout.full || s.focus == .queue) {
            PatrolBoardView.draw(&buffer, s, theme: theme, rect: body)
        } else if layout.full {
            QueueView.draw(&buffer, s, theme: theme, rect: queue)
            DetailView.draw(&buffer, s, theme: theme, rect: detail)
            MapPane.draw(&buffer, s, theme: theme, rect: map)
        } else {
            switch s.focus {
            case .queue: QueueView.draw(&buffer, s, theme: theme, rect: queue)
            case .detail: DetailView.draw(&buffer, s, theme: theme, rect: detail)
            case .map: MapPane.draw(&buffer, s, theme: theme, rect: map)
            }
        }
        Chrome.footer(&buffer, s, theme: theme, rect: layout.footer)
        Chrome.statusLine(&buffer, s, theme: theme, rect: layout.statusLine)
        if let form = s.form { FormView.draw(&buffer, form, s, theme: theme, area: body) }
        if let overlay = s.overlay { Overlays.draw(&buffer, overlay, s, theme: theme, area: body) }
        return buffer
    }

    /// A pane's frame; the focused one stands out.
    static func frame(_ buffer: inout ScreenBuffer, _ rect: Rect, title: String, focused: Bool, theme: Theme) -> Rect {
        buffer.drawBox(rect, style: theme[focused ? "border.focus" : "border"], title: title, titleStyle: theme[focused ? "title" : "muted"])
        return rect.inset(by: 1)
    }
}

/// Header, footer and status line.
enum Chrome {
    static func header(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        b.fill(rect, style: theme["header"])
        let clock = clockText(s)
        var x = rect.x + 1
        x += b.put("CityGrid " + s.lang.t("数字城管", "city grid"), x: x, y: rect.y, style: theme["header"].adding(.bold), clipTo: rect)
        // The tags are never clipped away: the operator's name gives way to them.
        let fileTag: (text: String, style: String)? = s.fileProblem != nil ? ("  [\(StoreNotice.stoppedTag(s.lang))]", "error")
            : s.readOnly != nil ? ("  [\(StoreNotice.readOnlyTag(s.lang))]", "warning") : nil
        // An open site is a demo: anyone may act as anyone, and nobody should take it for a live city.
        let demoTag = s.access == .open ? "  [\(s.lang.t("演示", "DEMO"))]" : ""
        let reserved = clock.count + 2 + TerminalText.width(demoTag) + TerminalText.width(fileTag?.text ?? "")
        x += b.put("  \(s.viewer.name) \(s.viewer.login) · \(s.lang.role(s.viewer.role.rawValue)) · \(s.centerName)",
                   x: x, y: rect.y, style: theme["header"], clipTo: Rect(x: rect.x, y: rect.y, width: max(0, rect.width - reserved), height: 1))
        x = min(x, rect.x + max(0, rect.width - reserved))
        if !demoTag.isEmpty { x += b.put(demoTag, x: x, y: rect.y, style: theme["header"].adding(.bold), clipTo: rect) }
        if let fileTag { x += b.put(fileTag.text, x: x, y: rect.y, style: theme[fileTag.style].adding(.bold), clipTo: rect) }
        _ = b.put(clock, x: rect.maxX - clock.count - 1, y: rect.y, style: theme["header"], clipTo: rect)
    }

    static func clockText(_ s: ConsoleState) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = s.timeZone
        f.dateFormat = "MM-dd HH:mm:ss"
        return f.string(from: s.now)
    }

    /// The key hints of the focused pane, or the command line / live filter being typed.
    static func footer(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        b.fill(rect, style: theme["status"])
        if let line = s.commandLine {
            let text = ":" + line.text
            b.put(text, x: rect.x, y: rect.y, style: theme["input.focus"], clipTo: rect)
            let before = TerminalText.width(":" + String(line.text.prefix(line.cursor)))
            if before < rect.width {
                let cursorChar = line.cursor < line.text.count ? String(Array(line.text)[line.cursor]) : " "
                b.put(cursorChar, x: rect.x + before, y: rect.y, style: theme["input.focus"].adding(.reverse), clipTo: rect)
            }
            if !line.completions.isEmpty {
                let list = line.completions.prefix(8).joined(separator: " ")
                b.put("  " + list, x: rect.x + TerminalText.width(text) + 2, y: rect.y, style: theme["hint"], clipTo: rect)
            }
            return
        }
        if s.queue.filterEditing {
            let text = "/" + s.queue.filter.text
            let x = b.put(text, x: rect.x, y: rect.y, style: theme["input.focus"], clipTo: rect)
            b.put(" ", x: rect.x + x, y: rect.y, style: theme["input.focus"].adding(.reverse), clipTo: rect)
            b.put("  " + s.lang.t("Enter 保留 · Esc 清除", "Enter keep · Esc clear"), x: rect.x + x + 2, y: rect.y, style: theme["hint"], clipTo: rect)
            return
        }
        let context = KeyContext(s)
        if s.form != nil {
            hintLine(&b, [("Enter", s.lang.t("提交", "submit")), ("Tab", s.lang.t("下一项", "next field")),
                          ("↑↓", s.lang.t("选择", "choose")), ("Esc", s.lang.t("取消", "cancel"))], theme: theme, rect: rect)
            return
        }
        // Only what suits the role (`RoleKeys`). Help, quit and a new report first: on a narrow terminal they are the hints
        // that must not be cut off; for whoever records follow-ups, the follow-ups too (the intake operator's two desks:
        // new calls and call-backs).
        let hints = Keymap.hints(in: context, s)
        let first: [UIAction] = [.help, .quit, .newReport] + (FollowUpAction.record.spec.roles.contains(s.viewer.role) ? [.toggleFollowUps] : [])
        let ordered = first.flatMap { a in hints.filter { $0.action == a } } + hints.filter { !first.contains($0.action) }
        hintLine(&b, ordered.map { ($0.keyNames, $0.help(s.lang)) }, theme: theme, rect: rect)
    }

    /// Key hints in order, each whole or not at all: the first that does not fit ends the line, so no hint is cut
    /// mid-word ("p 消息记" for "p 消息记录").
    static func hintLine(_ b: inout ScreenBuffer, _ hints: [(key: String, text: String)], theme: Theme, rect: Rect) {
        var x = rect.x
        for (key, text) in hints {
            let label = " \(text)"
            guard x + TerminalText.width(key) + TerminalText.width(label) <= rect.maxX else { break }
            x += b.put(key, x: x, y: rect.y, style: theme["status.key"], clipTo: rect)
            x += b.put(label + "  ", x: x, y: rect.y, style: theme["status"], clipTo: rect)
        }
    }

    /// The live counts, always; then the message if there is one (it fades, `MessageLog`), else the simulator's note
    /// and the last refresh. A file removed or replaced under the console keeps its banner here (an error message may
    /// cover it until it fades).
    static func statusLine(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        if let problem = s.fileProblem, s.status?.kind != .error {
            b.fill(rect, style: theme["error"])
            b.put(StoreNotice.banner(problem, s.lang), x: rect.x, y: rect.y, style: theme["error"].adding(.bold), clipTo: rect)
            return
        }
        var x = rect.x
        if s.readOnly != nil {
            x += b.put(StoreNotice.readOnlyTag(s.lang), x: x, y: rect.y, style: theme["warning"], clipTo: rect)
            x += b.put(" · ", x: x, y: rect.y, style: theme["muted"], clipTo: rect)
        }
        let r = s.reach
        x += b.put(s.lang.t("新 \(r.new)", "new \(r.new)"), x: x, y: rect.y, style: theme["new"], clipTo: rect)
        x += b.put(" · ", x: x, y: rect.y, style: theme["muted"], clipTo: rect)
        x += b.put(s.lang.t("将到期 \(r.dueSoon)", "due soon \(r.dueSoon)"), x: x, y: rect.y, style: theme["due.yellow"], clipTo: rect)
        x += b.put(" · ", x: x, y: rect.y, style: theme["muted"], clipTo: rect)
        x += b.put(s.lang.t("超期 \(r.overdue)", "overdue \(r.overdue)"), x: x, y: rect.y, style: theme["due.red"], clipTo: rect)
        x += b.put(" · " + s.lang.t("未结 \(r.open)", "open \(r.open)"), x: x, y: rect.y, style: theme["muted"], clipTo: rect)
        if let message = s.status {
            let style = message.kind == .error ? theme["error"] : message.kind == .ok ? theme["ok"] : theme["normal"]
            x += b.put(" │ ", x: x, y: rect.y, style: theme["muted"], clipTo: rect)
            b.put(TerminalText.truncate(message.text, toWidth: max(0, rect.maxX - x)), x: x, y: rect.y, style: style, clipTo: rect)
            return
        }
        if let note = s.simulatorNote { x += b.put(" · " + s.lang.note(note), x: x, y: rect.y, style: theme["muted"], clipTo: rect) }
        if let refreshed = s.lastRefresh {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = s.timeZone
            f.dateFormat = "HH:mm:ss"
            let text = s.lang.t("刷新 ", "refreshed ") + f.string(from: refreshed)
            if x + TerminalText.width(text) + 2 < rect.maxX {
                b.put(text, x: rect.maxX - TerminalText.width(text) - 1, y: rect.y, style: theme["muted"], clipTo: rect)
            }
        }
    }
}

/// How long until (or since) a deadline, as an operator reads it: `2h05`, `-35m`, `3d`.
enum DueText {
    /// Before an overdue case's due text wherever colour alone would carry it (the queue and the boards).
    static let overdueGlyph = "!"

    static func remaining(_ c: ServiceCase, now: Date, lang: Language) -> String {
        if c.state == .suspended { return lang.t("挂账", "susp") }
        guard let deadline = c.deadline else { return "-" }
        let minutes = Int((deadline.timeIntervalSince(now) / 60).rounded(.down))
        return (minutes < 0 ? "-" : "") + span(abs(minutes))
    }

    static func span(_ minutes: Int) -> String { DurationText.minutes(minutes) }

    static func age(_ c: ServiceCase, now: Date) -> String {
        span(max(0, Int(now.timeIntervalSince(c.reportedAt) / 60)))
    }

    static func style(_ c: ServiceCase, now: Date) -> String {
        switch c.dueState(at: now) {
        case .red: "due.red"
        case .yellow: "due.yellow"
        case .green: "due.green"
        case nil: "muted"
        }
    }
}
