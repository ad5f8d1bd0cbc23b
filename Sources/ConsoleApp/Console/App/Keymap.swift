import Curses
import Workflow

/// What a key does in the console, before any database work.
enum UIAction: Sendable, Equatable {
    case moveDown, moveUp, moveLeft, moveRight, top, bottom, pageDown, pageUp
    case nextPane, previousPane, focus(Pane)
    case open, back, help, commandLine, quit, redraw
    case filter, cycleStateFilter, toggleOverdue, clearFilters, sortNext, sortReverse
    case caseAction(CaseAction), actionsMenu
    case nextMeasure, zoomIn, zoomOut, selectCell
    case switchRole, toggleLanguage
    case toggleMark, toggleBoard, undoBulk, inbox
    case nextWindow, windowBack, windowForward, toggleScale, toggleHotspot, toggleEvaluation
    case newReport
    case messageLog
    case cycleComponents
    /// The follow-ups board (回访) in the queue's place, and a follow-up action on its highlighted task.
    case toggleFollowUps, followUpAction(FollowUpAction)
    /// The patrol board (censuses' progress by patrol area, neglected cells) in the queue's place, and the census form.
    case togglePatrol, censusForm
}

/// Where a binding applies; the focused pane's bindings win over the global ones. The two boards that take the queue
/// pane's place have their own: the evaluation board's keys are its own (`EvaluationBoardUpdate`), the overdue board's
/// are the queue's; the follow-ups board's are its own (`FollowUpBoardUpdate`); their bindings name them for the help
/// and the footer.
enum KeyContext: String, Sendable, CaseIterable {
    case global, queue, map, detail, evaluation, overdue, followUps, patrol

    /// Where the keyboard is: the focused pane, or the board shown in the queue pane's place.
    init(_ s: ConsoleState) {
        switch (s.focus, s.queue.mode) {
        case (.queue, .evaluation): self = .evaluation
        case (.queue, .board): self = .overdue
        case (.queue, .followUps): self = .followUps
        case (.queue, .patrol): self = .patrol
        default: self = KeyContext(rawValue: s.focus.rawValue) ?? .global
        }
    }

    /// A board's footer offers, besides its own keys, only these of the global ones: the rest act on the queue.
    static let boardGlobals: [UIAction] = [.help, .quit, .commandLine]

    /// The contexts of the boards shown in the queue pane's place.
    var isBoard: Bool { self == .evaluation || self == .overdue || self == .followUps || self == .patrol }
}

/// A key binding with its help text, so the help overlay and the footer are built from the live keymap
/// and can never go stale.
struct Binding: Sendable {
    var keys: [Key]
    var action: UIAction
    var zh: String
    var en: String
    var context: KeyContext
    /// Shown in the footer's short list of hints.
    var hint = false

    func help(_ lang: Language) -> String { lang.t(zh, en) }
    var keyNames: String { keys.map(Keymap.display).joined(separator: "/") }
}

enum Keymap {
    static let caseActionKeys: [(Character, CaseAction)] = [
        ("A", .accept), ("V", .verify), ("Y", .confirm), ("N", .invalid), ("F", .file), ("J", .reject), ("D", .dispatch),
        ("E", .escalate), ("H", .handle), ("T", .requestReturn), ("X", .requestExtension), ("S", .requestSuspension),
        ("O", .approve), ("Z", .refuse), ("M", .resume), ("C", .check), ("P", .pass), ("B", .fail), ("L", .close),
        ("K", .cancel), ("W", .merge), ("U", .urge), ("R", .reassign), ("Q", .returnToDistrict),
        // One key sets and clears a supervisor's priority mark (`ConsoleUpdate` takes I on a priority case as deprioritize).
        ("I", .prioritize),
    ]

    static let bindings: [Binding] = {
        var list: [Binding] = [
            Binding(keys: [.down, .character("j")], action: .moveDown, zh: "下移", en: "down", context: .global),
            Binding(keys: [.up, .character("k")], action: .moveUp, zh: "上移", en: "up", context: .global),
            Binding(keys: [.left, .character("h")], action: .moveLeft, zh: "左移（地图）", en: "left (map)", context: .map),
            Binding(keys: [.right, .character("l")], action: .moveRight, zh: "右移（地图）", en: "right (map)", context: .map),
            Binding(keys: [.character("g"), .home], action: .top, zh: "到顶部", en: "first", context: .global),
            Binding(keys: [.character("G"), .end], action: .bottom, zh: "到底部", en: "last", context: .global),
            Binding(keys: [.pageDown, .ctrl("f")], action: .pageDown, zh: "下一页", en: "page down", context: .global),
            Binding(keys: [.pageUp, .ctrl("b")], action: .pageUp, zh: "上一页", en: "page up", context: .global),
            Binding(keys: [.tab], action: .nextPane, zh: "下一个窗格", en: "next pane", context: .global, hint: true),
            Binding(keys: [.backTab], action: .previousPane, zh: "上一个窗格", en: "previous pane", context: .global),
            Binding(keys: [.character("1")], action: .focus(.queue), zh: "队列", en: "queue pane", context: .global),
            Binding(keys: [.character("2")], action: .focus(.map), zh: "地图", en: "map pane", context: .global),
            Binding(keys: [.character("3")], action: .focus(.detail), zh: "案件详情", en: "case pane", context: .global),
            Binding(keys: [.enter], action: .open, zh: "打开案件", en: "open case", context: .queue, hint: true),
            Binding(keys: [.enter, .character(" ")], action: .selectCell, zh: "按网格筛选队列", en: "filter queue to cell", context: .map, hint: true),
            Binding(keys: [.escape], action: .back, zh: "返回 / 取消", en: "back / cancel", context: .global),
            Binding(keys: [.character("/")], action: .filter, zh: "筛选", en: "filter", context: .global, hint: true),
            Binding(keys: [.character("s")], action: .cycleStateFilter, zh: "按状态筛选", en: "state filter", context: .queue),
            Binding(keys: [.character("o")], action: .toggleOverdue, zh: "只看超期", en: "overdue only", context: .queue),
            Binding(keys: [.character("c")], action: .clearFilters, zh: "清除筛选", en: "clear filters", context: .global),
            Binding(keys: [.character(">")], action: .sortNext, zh: "下一排序列", en: "sort by next column", context: .queue),
            Binding(keys: [.character("r")], action: .sortReverse, zh: "反向排序", en: "reverse sort", context: .queue),
            Binding(keys: [.character(" ")], action: .toggleMark, zh: "标记（批量操作）", en: "mark for a bulk action", context: .queue, hint: true),
            Binding(keys: [.character("b")], action: .toggleBoard, zh: "超期看板 / 队列", en: "overdue board / queue", context: .global, hint: true),
            Binding(keys: [.character("n")], action: .newReport, zh: "新上报（热线受理）", en: "new report (hotline intake)", context: .global, hint: true),
            Binding(keys: [.character("i")], action: .inbox, zh: "待审批申请", en: "approvals inbox", context: .global),
            Binding(keys: [.character("u")], action: .undoBulk, zh: "撤销上一次批量操作", en: "undo last bulk action", context: .global),
            Binding(keys: [.character("x")], action: .actionsMenu, zh: "可执行操作", en: "actions on case", context: .global, hint: true),
            Binding(keys: [.character("m")], action: .nextMeasure, zh: "切换地图指标", en: "map measure", context: .global),
            Binding(keys: [.character("w")], action: .nextWindow, zh: "时间窗口（日/7天/30天/月）", en: "time window (day/7d/30d/month)", context: .global),
            Binding(keys: [.character("[")], action: .windowBack, zh: "上一时间窗口", en: "previous window", context: .global),
            Binding(keys: [.character("]")], action: .windowForward, zh: "下一时间窗口", en: "next window", context: .global),
            Binding(keys: [.character("v")], action: .toggleScale, zh: "线性 / 分位数色阶", en: "linear / quantile scale", context: .global),
            Binding(keys: [.character("*")], action: .toggleHotspot, zh: "热点分析（Gi*）", en: "hotspots (Getis-Ord Gi*)", context: .global),
            Binding(keys: [.character("a")], action: .cycleComponents, zh: "部件图层：破损 / 在册 / 关闭", en: "component layer: faulty / all / off",
                    context: .global),
            Binding(keys: [.character("e")], action: .toggleEvaluation, zh: "考评排名 / 队列", en: "evaluation board / queue", context: .global),
            Binding(keys: [.character("f")], action: .toggleFollowUps, zh: "回访任务 / 队列", en: "follow-ups / queue", context: .global, hint: true),
            Binding(keys: [.character("+"), .character("=")], action: .zoomIn, zh: "放大", en: "zoom in", context: .map),
            Binding(keys: [.character("-")], action: .zoomOut, zh: "缩小", en: "zoom out", context: .map),
            Binding(keys: [.character(":")], action: .commandLine, zh: "命令行", en: "command line", context: .global, hint: true),
            Binding(keys: [.character("p")], action: .messageLog, zh: "消息记录", en: "past messages", context: .global, hint: true),
            Binding(keys: [.character("?")], action: .help, zh: "帮助", en: "help", context: .global, hint: true),
            Binding(keys: [.ctrl("l")], action: .redraw, zh: "重绘屏幕", en: "redraw", context: .global),
            Binding(keys: [.function(2)], action: .switchRole, zh: "切换角色（演示）", en: "switch role (demo)", context: .global),
            Binding(keys: [.function(3)], action: .toggleLanguage, zh: "中文 / English", en: "中文 / English", context: .global),
            Binding(keys: [.character("q")], action: .quit, zh: "退出", en: "quit", context: .global, hint: true),
            // The evaluation board (EvaluationBoardUpdate), in the queue pane's place; the way back first.
            Binding(keys: [.character("e")], action: .toggleEvaluation, zh: "返回队列", en: "back to queue", context: .evaluation, hint: true),
            Binding(keys: [.character("j"), .character("k")], action: .moveDown, zh: "上下移动", en: "rows", context: .evaluation, hint: true),
            Binding(keys: [.character("h"), .character("l")], action: .moveRight, zh: "左右滚动列", en: "columns", context: .evaluation, hint: true),
            Binding(keys: [.pageDown, .pageUp], action: .pageDown, zh: "翻页", en: "page", context: .evaluation),
            Binding(keys: [.character("g"), .character("G")], action: .top, zh: "首行 / 末行", en: "first / last", context: .evaluation),
            Binding(keys: [.character(">")], action: .sortNext, zh: "下一排序列", en: "sort", context: .evaluation, hint: true),
            Binding(keys: [.character("r")], action: .sortReverse, zh: "反向排序", en: "reverse", context: .evaluation, hint: true),
            // The overdue board: the queue's keys on the late cases.
            Binding(keys: [.character("b")], action: .toggleBoard, zh: "返回队列", en: "back to queue", context: .overdue, hint: true),
            Binding(keys: [.character("t")], action: .togglePatrol, zh: "巡查看板", en: "patrol board", context: .overdue, hint: true),
            Binding(keys: [.enter], action: .open, zh: "打开案件", en: "open case", context: .overdue, hint: true),
            Binding(keys: [.character(" ")], action: .toggleMark, zh: "标记", en: "mark", context: .overdue, hint: true),
            Binding(keys: [.character("U")], action: .caseAction(.urge), zh: "督办", en: "urge", context: .overdue, hint: true),
            Binding(keys: [.character("R")], action: .caseAction(.reassign), zh: "改派", en: "reassign", context: .overdue, hint: true),
            Binding(keys: [.character(">")], action: .sortNext, zh: "下一排序列", en: "sort", context: .overdue, hint: true),
            Binding(keys: [.character("r")], action: .sortReverse, zh: "反向排序", en: "reverse", context: .overdue, hint: true),
            // The patrol board (PatrolBoardUpdate): census progress by patrol area, neglected cells; inspectors record.
            Binding(keys: [.character("t")], action: .togglePatrol, zh: "返回队列", en: "back to queue", context: .patrol, hint: true),
            Binding(keys: [.enter], action: .censusForm, zh: "记录普查结果", en: "record a census finding", context: .patrol, hint: true),
            Binding(keys: [.character("j"), .character("k")], action: .moveDown, zh: "上下移动", en: "rows", context: .patrol, hint: true),
            Binding(keys: [.character("g"), .character("G")], action: .top, zh: "首行 / 末行", en: "first / last", context: .patrol),
            // The follow-ups board (FollowUpBoardUpdate): the intake operator records, the shift lead decides.
            Binding(keys: [.character("f")], action: .toggleFollowUps, zh: "返回队列", en: "back to queue", context: .followUps, hint: true),
            Binding(keys: [.enter], action: .followUpAction(.record), zh: "记录回访结果", en: "record the follow-up", context: .followUps, hint: true),
            Binding(keys: [.character("r")], action: .followUpAction(.reopen), zh: "不满意：返工", en: "dissatisfied: reopen for rework", context: .followUps, hint: true),
            Binding(keys: [.character("c")], action: .followUpAction(.keepClosed), zh: "不满意：维持结案", en: "dissatisfied: keep closed", context: .followUps, hint: true),
            Binding(keys: [.character("j"), .character("k")], action: .moveDown, zh: "上下移动", en: "rows", context: .followUps, hint: true),
            Binding(keys: [.character("g"), .character("G")], action: .top, zh: "首行 / 末行", en: "first / last", context: .followUps),
        ]
        for (key, action) in caseActionKeys {
            list.append(Binding(keys: [.character(key)], action: .caseAction(action), zh: Language.zh.action(action.rawValue),
                                en: action.rawValue, context: .global))
        }
        return list
    }()

    /// The action a key does in a pane: the pane's own binding first, then the global one.
    static func action(for key: Key, in pane: Pane) -> UIAction? {
        let context = KeyContext(rawValue: pane.rawValue) ?? .global
        if let b = bindings.first(where: { $0.context == context && $0.keys.contains(key) }) { return b.action }
        return bindings.first { $0.context == .global && $0.keys.contains(key) }?.action
    }

    /// The footer's hints where the keyboard is: the context's own and the global ones (on a board only
    /// `KeyContext.boardGlobals`), each only if it suits the role (`RoleKeys`).
    static func hints(in context: KeyContext, _ s: ConsoleState) -> [Binding] {
        let board = context.isBoard
        return bindings.filter { b in
            guard b.hint, RoleKeys.allows(b.action, s) else { return false }
            if b.context == context { return true }
            return b.context == .global && (!board || KeyContext.boardGlobals.contains(b.action))
        }
    }

    static func key(for action: CaseAction) -> Character? { caseActionKeys.first { $0.1 == action }?.0 }

    static func display(_ key: Key) -> String {
        switch key {
        case .character(" "): "Space"
        case .character(let c): String(c)
        case .ctrl(let c): "^" + String(c).uppercased()
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "S-Tab"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .function(let n): "F\(n)"
        default: key.description
        }
    }
}
