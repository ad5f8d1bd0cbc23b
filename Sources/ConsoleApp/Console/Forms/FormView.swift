import Curses
import Workflow

/// An action form drawn over the panes: fields, the focused list, inline errors, and Workflow's preview.
enum FormView {
    /// The most lines a multi-line field grows to; longer text scrolls to its end, where typing goes on.
    static let longTextRows = 5

    static func draw(_ b: inout ScreenBuffer, _ form: FormState, _ s: ConsoleState, theme: Theme, area: Rect) {
        let width = min(area.width, max(40, min(72, area.width - 4)))
        // Labels get the room the longest one needs (a cut "Phone (priv" says nothing), within reason.
        let labelWidth = max(14, min(22, form.fields.map { TerminalText.width($0.label) + 2 }.max() ?? 14))
        let valueWidth = max(1, width - 2 - labelWidth - 1)
        let listRows = form.fields.contains { $0.kind == .choice } ? 8 : 0
        let extraRows = form.fields.filter { $0.kind == .longText }.map { wrapped($0.text, width: valueWidth - 1).count - 1 }
            .map { min(longTextRows - 1, max(0, $0)) }.reduce(0, +)
        let height = min(area.height, form.fields.count * 2 + listRows + extraRows + (form.isNewReport ? 8 : 5))
        let box = area.centered(width: width, height: height)
        b.fill(box, style: theme["overlay"])
        let actionTitle = form.isNewReport ? s.lang.t(" 新上报（热线受理） ", " New report (hotline intake) ") : form.bulkIDs.map { ids in s.lang.t(" 批量\(s.lang.action(form.action.rawValue)) \(ids.count) 件 ", " bulk \(form.action.rawValue): \(ids.count) cases ") }
            ?? s.lang.t(" \(s.lang.action(form.action.rawValue)) 案件 \(form.caseID) ", " \(form.action.rawValue) case \(form.caseID) ")
        let title = form.followUp.map { FollowUpForm.title(form, $0, s.lang) } ?? form.census.map { CensusForm.title($0, s.lang) } ?? actionTitle
        b.drawBox(box, style: theme["border.focus"], title: title, titleStyle: theme["title"])
        let inner = box.inset(by: 1)
        guard inner.height > 0 else { return }
        var y = inner.y
        let valueX = inner.x + labelWidth + 1
        for (i, field) in form.fields.enumerated() where y < inner.maxY {
            let focused = i == form.focus
            let label = (field.required ? "* " : "  ") + field.label
            b.put(TerminalText.truncate(label, toWidth: labelWidth), x: inner.x, y: y, style: theme[focused ? "title" : "normal"], clipTo: inner)
            let x = valueX
            let valueRect = Rect(x: x, y: y, width: max(0, inner.maxX - x), height: 1)
            let style = theme[focused ? "input.focus" : "input"]
            switch field.kind {
            case .choice:
                b.fill(valueRect, style: style)
                let current = field.hasChoice && field.visibleOptions.indices.contains(field.selected) ? field.visibleOptions[field.selected] : nil
                let choice = current.map { $0.showsValue && !$0.value.isEmpty ? "\($0.label) (\($0.value))" : $0.label }
                    ?? (field.needsChoice ? s.lang.t("— 请选择 —", "— choose —") : "—")
                var shown = field.text.isEmpty ? choice : "[\(field.text)] \(choice)"
                if let origin = field.origin { shown += s.lang.t("（\(origin)）", " (\(origin))") }
                b.put(shown, x: x, y: y, style: style, clipTo: valueRect)
                y += 1
            case .text, .number:
                b.fill(valueRect, style: style)
                b.put(field.text + (focused ? "▏" : ""), x: x, y: y, style: style, clipTo: valueRect)
                y += 1
            case .longText:
                let lines = wrapped(field.text + (focused ? "▏" : ""), width: max(1, valueRect.width - 1))
                for line in lines.suffix(longTextRows) where y < inner.maxY - 1 {
                    let row = Rect(x: x, y: y, width: valueRect.width, height: 1)
                    b.fill(row, style: style)
                    b.put(line, x: x, y: y, style: style, clipTo: row)
                    y += 1
                }
            }
            if let error = form.errors[field.key], y < inner.maxY {
                b.put("  ⚠ " + error, x: valueX, y: y, style: theme["error"], clipTo: inner)
                y += 1
            }
            if focused && field.kind == .choice {
                let options = field.visibleOptions
                let first = max(0, min(field.selected - listRows / 2, options.count - listRows))
                for (j, option) in options.dropFirst(first).prefix(listRows).enumerated() where y < inner.maxY - 2 {
                    let selected = field.hasChoice && first + j == field.selected
                    let code = option.showsValue ? "  \(option.value)" : ""
                    let line = "\(selected ? "›" : " ") \(option.label)\(code)" + (option.detail.isEmpty || option.detail.hasPrefix(option.value) ? "" : "  \(option.detail)")
                    b.put(line, x: valueX, y: y, style: theme[selected ? "selection" : "muted"],
                          clipTo: Rect(x: valueX, y: y, width: max(0, inner.maxX - valueX), height: 1))
                    y += 1
                }
            }
        }
        if let preview = form.preview, inner.height >= 2 {
            // The preview may run over several lines (a new report's possible duplicates).
            let lines = preview.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (i, line) in lines.suffix(max(1, min(lines.count, inner.height - 1))).enumerated() {
                let y = inner.maxY - 1 - min(lines.count, inner.height - 1) + i
                b.put(line, x: inner.x, y: y, style: theme[form.previewIsError ? "error" : i == 0 ? "warning" : "normal"], clipTo: inner)
            }
        }
        let onLongText = form.fields.indices.contains(form.focus) && form.fields[form.focus].kind == .longText
        let hint = onLongText
            ? s.lang.t("Enter 换行 · Tab 下一项 · Esc 取消", "Enter new line · Tab next field · Esc cancel")
            : s.lang.t("Enter 提交 · Tab 下一项 · Esc 取消（不保存）", "Enter submit · Tab next field · Esc cancel (nothing saved)")
        b.put(hint, x: inner.x, y: inner.maxY - 1, style: theme["hint"], clipTo: inner)
    }

    /// Text broken into lines at its line breaks and wherever it reaches `width` columns (wide characters count two):
    /// after the last space when the line has one (words stay whole), else between characters (Chinese has no spaces).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for c in paragraph {
                if TerminalText.width(line) + TerminalText.width(of: c) > width, !line.isEmpty {
                    if c == " " {
                        // The space the line breaks at is not carried to the next line.
                        lines.append(line)
                        line = ""
                        continue
                    }
                    if let space = line.lastIndex(of: " "), line.index(after: space) != line.endIndex {
                        lines.append(String(line[...space]))
                        line = String(line[line.index(after: space)...])
                    } else {
                        lines.append(line)
                        line = ""
                    }
                }
                line.append(c)
            }
            lines.append(line)
        }
        return lines
    }
}

/// Help, actions, role switcher and confirmations.
enum Overlays {
    static func draw(_ b: inout ScreenBuffer, _ overlay: Overlay, _ s: ConsoleState, theme: Theme, area: Rect) {
        switch overlay {
        case .help: help(&b, s, theme: theme, area: area)
        case .confirm(let text, _):
            let box = area.centered(width: min(area.width, TerminalText.width(text) + 4), height: min(area.height, 3))
            b.fill(box, style: theme["overlay"])
            b.drawBox(box, style: theme["border.focus"])
            b.put(text, x: box.x + 2, y: box.y + 1, style: theme["warning"], clipTo: box.inset(by: 1))
        case .roleSwitcher(let operators, let selected):
            list(&b, title: s.lang.t(" 以谁的视角查看 ", " See the city as "), rows: operators.map {
                "\($0.login)  \($0.name)  \(s.lang.role($0.role.rawValue))"
            }, selected: selected, theme: theme, area: area)
        case .inbox(let lines, let selected):
            list(&b, title: s.lang.t(" 待审批申请 · Enter 打开案件，O 批准 Z 驳回 ", " Approvals inbox · Enter opens the case; O approves, Z refuses "),
                 rows: lines.map(\.text), selected: selected, theme: theme, area: area)
        case .document(let title, let lines, let scroll):
            let box = area.inset(horizontal: min(3, area.width / 10), vertical: 0)
            b.fill(box, style: theme["overlay"])
            b.drawBox(box, style: theme["border.focus"], title: title, titleStyle: theme["title"])
            let inner = box.inset(by: 1)
            for (i, line) in lines.dropFirst(scroll).prefix(max(0, inner.height)).enumerated() {
                b.put(line, x: inner.x, y: inner.y + i, style: theme["overlay"], clipTo: inner)
            }
        case .actions(let id, let actions, let selected):
            list(&b, title: s.lang.t(" 案件 \(id) 可执行的操作 ", " Actions on case \(id) "), rows: actions.map { action in
                "\(Keymap.key(for: action).map(String.init) ?? " ")  \(s.lang.action(action.rawValue))  \(action.rawValue)"
            }, selected: selected, theme: theme, area: area)
        }
    }

    static func list(_ b: inout ScreenBuffer, title: String, rows: [String], selected: Int, theme: Theme, area: Rect) {
        let width = min(area.width, max(30, (rows.map(TerminalText.width).max() ?? 20) + 6))
        let box = area.centered(width: width, height: min(area.height, rows.count + 2))
        b.fill(box, style: theme["overlay"])
        b.drawBox(box, style: theme["border.focus"], title: title, titleStyle: theme["title"])
        let inner = box.inset(by: 1)
        let first = max(0, min(selected - inner.height / 2, rows.count - inner.height))
        for (i, row) in rows.enumerated().dropFirst(first).prefix(max(0, inner.height)) {
            let y = inner.y + i - first
            let rowRect = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            if i == selected { b.fill(rowRect, style: theme["selection"]) }
            b.put((i == selected ? "› " : "  ") + row, x: inner.x, y: y, style: theme[i == selected ? "selection" : "overlay"], clipTo: rowRect)
        }
    }

    /// Built from the live keymap and the command table for the viewer's role (`HelpContent`), scrolled by update.
    static func help(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, area: Rect) {
        let box = HelpContent.box(area)
        b.fill(box, style: theme["overlay"])
        b.drawBox(box, style: theme["border.focus"], title: s.lang.t(" 帮助 · Esc 关闭 ", " Help · Esc closes "), titleStyle: theme["title"])
        let inner = box.inset(by: 1)
        guard inner.width > 10, inner.height > 0 else { return }
        let lines = HelpContent.lines(s)
        let first = min(s.helpScroll, max(0, lines.count - inner.height))
        for (i, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            b.put(line.text, x: inner.x, y: inner.y + i, style: theme[line.heading ? "header" : "overlay"], clipTo: inner)
        }
        // Where the page is, on the bottom border: "21–37/80 · j/k PgUp/PgDn g/G".
        let last = min(lines.count, first + inner.height)
        let position = " \(first + 1)–\(last)/\(lines.count) · j/k PgUp/PgDn g/G "
        let bottom = Rect(x: box.x + 1, y: box.maxY - 1, width: max(0, box.width - 2), height: 1)
        b.put(position, x: max(bottom.x, bottom.maxX - TerminalText.width(position) - 1), y: bottom.y, style: theme["muted"], clipTo: bottom)
    }
}
