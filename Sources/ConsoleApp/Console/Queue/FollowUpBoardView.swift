import Curses
import Foundation
import Workflow

/// The follow-ups board (回访): the follow-up tasks waiting on the viewer, earliest deadline first, as Workflow lists
/// them (`FollowUpStore.followUps(for:)`). It takes the whole body while shown, like the evaluation board: an intake
/// operator reads whom to call (the reporter's contact), by when (the deadline, overdue marked), and about what; a
/// shift lead also sees the dissatisfied ones flagged for a decision.
enum FollowUpBoardView {
    enum Column: CaseIterable {
        case flag, caseID, due, status, contact, reporter, category, description

        var width: Int {
            switch self {
            case .flag: 1
            case .caseID: 7
            case .due: 11
            case .status: 12
            case .contact: 22
            case .reporter: 10
            case .category: 14
            case .description: 0  // the rest
            }
        }

        func title(_ lang: Language) -> String {
            switch self {
            case .flag: " "
            case .caseID: lang.t("案件", "CASE")
            case .due: lang.t("回访期限", "DUE")
            case .status: lang.t("状态", "STATUS")
            case .contact: lang.t("联系方式", "CONTACT")
            case .reporter: lang.t("上报人", "REPORTER")
            case .category: lang.t("类别", "CATEGORY")
            case .description: lang.t("问题描述", "DESCRIPTION")
            }
        }
    }

    /// The board's frame, and the rows of tasks it shows below the column titles.
    static func inner(_ s: ConsoleState) -> Rect { ConsoleLayout(width: s.width, height: s.height).body.inset(by: 1) }
    static func pageRows(_ s: ConsoleState) -> Int { max(1, inner(s).height - 1) }

    /// Where a task stands, as the operator reads it: overdue, waiting for the call, or dissatisfied and waiting for
    /// the shift lead.
    static func status(_ f: FollowUp, _ s: ConsoleState) -> String {
        switch f.stage {
        case .open: f.isOverdue(at: s.now) ? s.lang.t("超期未回访", "overdue") : s.lang.t("待回访", "to call")
        case .flagged: s.lang.t("不满意待定", "dissatisfied")
        case .recorded: s.lang.t("已回访", "recorded")
        case .reopened: s.lang.t("已返工", "reopened")
        case .kept: s.lang.t("维持结案", "kept closed")
        }
    }

    /// The reporter's contact: the channel and the number, address or account.
    static func contact(_ c: ReporterContact, _ lang: Language) -> String {
        let channel = switch c.channel {
        case .phone: lang.t("电话", "phone")
        case .email: lang.t("邮件", "email")
        case .app: lang.t("应用", "app")
        }
        return "\(channel) \(c.address)"
    }

    static func text(_ column: Column, _ item: FollowUpItem, _ s: ConsoleState) -> String {
        let f = item.followUp
        switch column {
        case .flag: return f.isOverdue(at: s.now) ? DueText.overdueGlyph : f.stage == .flagged ? "?" : " "
        case .caseID: return String(f.caseID)
        case .due: return InstantFormat(timeZone: s.timeZone).short(f.dueAt)
        case .status: return status(f, s)
        case .contact: return contact(f.contact, s.lang)
        case .reporter: return f.reporterName ?? "-"
        case .category:
            return s.categories.first { $0.code == item.categoryCode }.map { s.lang.t($0.nameZh, $0.nameEn) } ?? item.categoryCode
        case .description: return item.caseDescription
        }
    }

    static func draw(_ b: inout ScreenBuffer, _ s: ConsoleState, theme: Theme, rect: Rect) {
        let board = s.followUps
        let count = board.items?.count ?? 0
        let title = s.lang.t(" 回访任务：\(count) 件 ", " Follow-ups: \(count) ")
        let inner = ConsoleRender.frame(&b, rect, title: title, focused: true, theme: theme)
        guard inner.height > 1, inner.width > 4 else { return }
        guard let items = board.items else {
            b.put(s.lang.t("正在读取…", "reading…"), x: inner.x, y: inner.y, style: theme["muted"], clipTo: inner)
            return
        }
        func drawRow(_ cells: (Column) -> String, y: Int, style: (Column) -> Style) {
            var x = inner.x
            for column in Column.allCases where x < inner.maxX {
                let width = column == .description ? max(0, inner.maxX - x) : column.width
                b.put(TerminalText.truncate(cells(column), toWidth: width), x: x, y: y, style: style(column),
                      clipTo: Rect(x: x, y: y, width: width, height: 1).intersection(inner))
                x += width + 1
            }
        }
        drawRow({ $0.title(s.lang) }, y: inner.y, style: { _ in theme["header"] })
        guard !items.isEmpty else {
            b.put(s.lang.t("没有待办的回访", "no follow-ups waiting"), x: inner.x, y: inner.y + 1, style: theme["muted"], clipTo: inner)
            return
        }
        let page = pageRows(s)
        for (i, item) in items.enumerated().dropFirst(board.scroll).prefix(page) {
            let y = inner.y + 1 + i - board.scroll
            let selected = i == board.selected
            let base = selected ? theme["selection"] : theme["normal"]
            if selected { b.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: base) }
            let overdue = item.followUp.isOverdue(at: s.now)
            drawRow({ text($0, item, s) }, y: y, style: { column in
                guard column == .due || column == .status || column == .flag, !selected else { return base }
                return overdue ? theme["due.red"] : item.followUp.stage == .flagged ? theme["warning"] : base
            })
        }
    }
}
