import Curses
import Foundation
import Workflow

/// The selected case: what, where, who holds it, its clock, pending requests, reports and the full
/// history timeline. Report text is untrusted; the buffer sanitizes everything it is given.
enum DetailView {
    /// While the map has the keyboard, the pane shows the cell under the map's cursor and its numbers.
    static func cellLines(_ s: ConsoleState, theme: Theme) -> [(String, Style)] {
        guard let cell = s.map.view.cellUnderCursor(s.map.model) else {
            return [(s.lang.t("光标处没有网格", "no cell under the cursor"), theme["muted"])]
        }
        let lang = s.lang
        let m = s.map.measures[cell.code] ?? CellMeasures()
        var out: [(String, Style)] = [
            (lang.t("网格 ", "cell ") + cell.code, theme["title"]),
            ("\(s.map.cellNames[CellCode.street(of: cell.code)] ?? "") \(s.map.cellNames[CellCode.community(of: cell.code)] ?? "")", theme["normal"]),
            (lang.t("未结 \(m.open) · 超期 \(m.overdue) · 今日新增 \(m.newToday)", "open \(m.open) · overdue \(m.overdue) · new today \(m.newToday)"), theme["normal"]),
        ]
        if s.map.measure.usesWindow {
            out.append(("\(s.map.measure.label(lang)) \(MapHeatScale.format(s.map.windowValues[cell.code] ?? 0)) · \(s.map.windowText)", theme["normal"]))
        }
        if s.map.components != nil, let counts = s.map.componentCounts[cell.code] {
            let states = ComponentState.allCases.compactMap { state in
                counts.byState[state].map { "\(ComponentWording.state(state, lang)) \($0)" }
            }
            out.append((lang.t("部件 ", "components ") + states.joined(separator: " · "), theme["normal"]))
        }
        if s.map.hotspot, let z = s.map.zScores[cell.code] {
            let band = Hotspot.band(z)
            let meaning = band >= 2 ? lang.t("热点", "hotspot") : band <= -2 ? lang.t("冷点", "cold spot") : lang.t("不显著", "not significant")
            out.append(("Gi* z = \(String(format: "%.2f", z)) (\(meaning))", theme[band >= 2 ? "due.red" : "normal"]))
        }
        out.append((lang.t("Enter 下钻：街道 → 社区 → 网格案件", "Enter drills down: street → community → the cell's cases"), theme["hint"]))
        return out
    }

    static func lines(_ s: ConsoleState, theme: Theme) -> [(String, Style)] {
        if s.focus == .map { return cellLines(s, theme: theme) }
        // Only the case the pane is for (the highlighted row's), never the one shown before it.
        guard let shown = CasePane.caseID(s) else {
            return [(s.lang.t("选择一个案件查看详情", "select a case to see it here"), theme["muted"])]
        }
        guard s.detail.caseID == shown, let d = s.detail.detail, d.serviceCase.id == shown else {
            if s.detail.caseID == shown, let error = s.detail.error { return [(error, theme["error"])] }
            return [("…", theme["muted"])]
        }
        let c = d.serviceCase
        let lang = s.lang
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = s.timeZone
        f.dateFormat = "MM-dd HH:mm"
        var out: [(String, Style)] = []
        let category = d.category.map { lang.t($0.nameZh, $0.nameEn) } ?? ""
        out.append(("#\(c.id) \(lang.state(c.state.rawValue)) · \(lang.kind(c.kind)) \(c.categoryCode) \(category)", theme["title"]))
        if c.urgent {
            out.append((UrgentBadge.text(lang) + lang.t(" 紧急案件：全天候计时", " urgent: its clock runs round the clock"), theme["urgent"]))
        }
        if c.priority {
            out.append((PriorityBadge.text(lang) + lang.t(" 优先案件：领导标记，同等案件中排在前面", " priority: marked by a supervisor, first among equals"),
                        theme["warning"]))
        }
        out.append((lang.t("位置 ", "where ") + "\(d.districtName ?? "") \(d.streetName ?? "") \(d.communityName ?? "") \(c.cellCode)", theme["normal"]))
        out.append((lang.t("来源 ", "source ") + lang.source(c.source) + (c.line.map { " " + $0 } ?? "") + " · " + lang.t("上报 ", "reported ")
                    + f.string(from: c.reportedAt), theme["normal"]))
        out.append((lang.t("部门 ", "dept ") + (c.departmentCode ?? "-") + " · " + lang.t("指挥 ", "command ") + (c.commandCenterID ?? "-")
                    + (d.assignee.map { " · " + lang.t("任务 ", "task ") + $0.login } ?? ""), theme["normal"]))
        out += ComponentWording.caseLines(d, lang: lang, theme: theme)
        if let deadline = c.deadline {
            out.append((lang.t("期限 ", "due ") + f.string(from: deadline) + " (" + DueText.remaining(c, now: s.now, lang: lang) + ")",
                        theme[DueText.style(c, now: s.now)]))
        } else if c.state == .suspended {
            out.append((lang.t("挂账中，计时暂停，剩余 \(c.frozenRemainingMinutes ?? 0) 分钟", "suspended: clock stopped, \(c.frozenRemainingMinutes ?? 0) min left"), theme["warning"]))
        }
        var flags: [String] = []
        if c.reworkCount > 0 { flags.append(lang.t("返工 \(c.reworkCount)", "rework \(c.reworkCount)")) }
        if c.returnCount > 0 { flags.append(lang.t("回退 \(c.returnCount)", "returned \(c.returnCount)")) }
        if c.urgeCount > 0 { flags.append(lang.t("督办 \(c.urgeCount)", "urged \(c.urgeCount)")) }
        if c.escalated { flags.append(lang.t("已上报市级", "escalated")) }
        if let close = c.closeType { flags.append(lang.t("结案 ", "closed ") + close.rawValue) }
        if !flags.isEmpty { out.append((flags.joined(separator: " · "), theme["warning"])) }
        if let risk = s.queue.risks[c.id] {
            out.append((lang.t("有超期风险：", "at risk: ") + lang.risk(risk), theme["due.yellow"]))
        }
        if let p = c.pending {
            out.append((lang.t("待审批：", "PENDING: ") + lang.action("request-" + p.kind.rawValue) + (p.hours.map { " \($0)h" } ?? "") + " " + p.note,
                        theme["warning"].adding(.bold)))
        }
        out.append((c.description, theme["normal"]))
        if let request = d.publicRequest {
            out.append((lang.t("公众上报：", "Open311 request: ") + (request.address ?? lang.t("（未填地址）", "(no address)")), theme["muted"]))
            if let media = request.mediaURL { out.append((lang.t("  照片 ", "  picture ") + media, theme["muted"])) }
        }
        out.append(("", theme["normal"]))
        out.append((lang.t("上报记录 \(d.reports.count)", "reports \(d.reports.count)"), theme["header"]))
        for r in d.reports {
            out.append(("  \(f.string(from: r.reportedAt)) \(lang.source(r.source)) \(r.reporterName ?? ""): \(r.description)", theme["muted"]))
        }
        out.append((lang.t("处理过程 \(d.history.count)", "history \(d.history.count)"), theme["header"]))
        if !d.historyVerified {
            out.append((lang.t("  标有“未验证”的记录不符合哈希链：可能被篡改", "  rows marked “unverified” fail the hash chain: possibly tampered with"), theme["due.red"]))
        }
        for h in d.history {
            let e = h.entry
            var line = "  \(f.string(from: e.at)) \(lang.action(e.action)) \(e.from.map { lang.state($0.rawValue) } ?? "")→\(lang.state(e.to.rawValue)) \(h.actorLogin ?? lang.t("渠道", "channel"))"
            if let target = e.target { line += " → \(target)" }
            if let note = e.note { line += " “\(Self.historyNote(note, action: e.action, lang))”" }
            if !h.verified { line += lang.t(" [未验证]", " [unverified]") }
            out.append((line, e.late || !h.verified ? theme["due.red"] : theme["normal"]))
        }
        return out
    }

    /// A history row's note as the operator reads it: a report's row keeps its source (and line) in Workflow's words,
    /// "source hotline line 12319", which the pane names in the console's language; any other note is the operator's.
    static func historyNote(_ note: String, action: String, _ lang: Language) -> String {
        guard action == "report", note.hasPrefix("source ") else { return note }
        let words = note.split(separator: " ").map(String.init)
        guard words.count >= 2, let source = ReportSource(rawValue: words[1]) else { return note }
        var text = lang.t("来源 ", "source ") + lang.source(source)
        if words.count == 4, words[2] == "line" { text += lang.t(" 热线 ", " line ") + words[3] } else if words.count != 2 { return note }
        return text
    }

    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        let title = s.focus == .map ? s.lang.t(" 网格 ", " Cell ")
            : CasePane.caseID(s).map { s.lang.t(" 案件 \($0) ", " Case \($0) ") } ?? s.lang.t(" 案件 ", " Case ")
        let inner = ConsoleRender.frame(&b, rect, title: title, focused: s.focus == .detail, theme: theme)
        guard inner.height > 0 else { return }
        let all = lines(s, theme: theme)
        let scroll = min(s.detail.scroll, max(0, all.count - inner.height))
        for (i, line) in all.dropFirst(scroll).prefix(inner.height).enumerated() {
            b.put(line.0, x: inner.x, y: inner.y + i, style: line.1, clipTo: inner)
        }
    }
}

/// The grid map pane, around the map widget.
enum MapPane {
    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        // The method, the measure and the window, named and dated in the form that fits (MapPaneText).
        var inner = ConsoleRender.frame(&b, rect, title: MapPaneText.title(s, width: rect.width), focused: s.focus == .map, theme: theme)
        guard inner.width > 0, inner.height > 0 else { return }
        // Drilled down: the path, by name, on the first row.
        if inner.height > 4, let path = MapPaneText.breadcrumb(s, width: inner.width) {
            b.put(path, x: inner.x, y: inner.y, style: theme["header"], clipTo: Rect(x: inner.x, y: inner.y, width: inner.width, height: 1))
            inner = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: inner.height - 1)
        }
        // Update fitted the map to this pane (`ConsoleUpdate.settle`).
        renderMap(s.map.model, state: s.map.view, into: &b, rect: inner, theme: theme, depth: s.colorDepth)
    }
}
