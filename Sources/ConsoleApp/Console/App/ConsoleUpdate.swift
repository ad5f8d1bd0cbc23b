import Curses
import Foundation
import Workflow

/// Keys to state. Pure: no terminal, no database; what needs either comes back as effects.
enum ConsoleUpdate {

    /// A key: the state changes, and what needs the store comes back as requests (intents resolved).
    static func handle(_ key: Key, _ s: inout ConsoleState) -> [Effect] {
        resolve(handleKey(key, &s), &s)
    }

    static func handleKey(_ key: Key, _ s: inout ConsoleState) -> [Effect] {
        if key == .resize { return [] }
        if case .mouse(let event) = key { return MouseUpdate.handle(event, &s) }
        if var lock = s.lock {
            // Locked: every key goes to the lock screen; nothing behind it moves.
            let outcome = SignInUpdate.handle(key, &lock)
            s.lock = lock
            switch outcome {
            case .none: return []
            case .quit:
                s.shouldQuit = true
                return []
            case .submit(_, let password): return [.unlock(password)]
            }
        }
        // Ctrl-C quits as `q` does, wherever the keyboard is (asking first when a form has input).
        if key == .ctrl("c"), s.form == nil || s.overlay != nil { return perform(.quit, &s) }
        // The command line may be opened over a document (the handover), which stays while it is typed.
        if s.commandLine != nil { return CommandLineUpdate.handle(key, &s) }
        if case .some(let overlay) = s.overlay { return handleOverlay(overlay, key, &s) }
        if s.form != nil { return FormUpdate.handle(key, &s) }
        if s.focus == .queue, key == .character("/") || s.queue.filterEditing {
            if let effects = handleFilterTyping(key, &s) { return effects }
        }
        if s.focus == .queue, let effects = EvaluationBoardUpdate.handleKey(key, &s) { return effects }
        if s.focus == .queue, let effects = FollowUpBoardUpdate.handleKey(key, &s) { return effects }
        if s.focus == .queue, let effects = PatrolBoardUpdate.handleKey(key, &s) { return effects }
        // The overdue board's own keys beyond the queue's (the patrol board, for whoever oversees).
        if s.focus == .queue, s.queue.mode == .board,
           let binding = Keymap.bindings.first(where: { $0.context == .overdue && $0.action == .togglePatrol && $0.keys.contains(key) }) {
            return perform(binding.action, &s)
        }
        guard let action = Keymap.action(for: key, in: s.focus) else {
            if case .character(let c) = key, !c.isWhitespace {
                s.status = StatusMessage(text: s.lang.t("按键 \(c) 未定义，按 ? 查看帮助", "no action on \(c); press ? for help"), kind: .info)
            }
            return []
        }
        return perform(action, &s)
    }

    static func perform(_ action: UIAction, _ s: inout ConsoleState) -> [Effect] {
        switch action {
        case .moveDown: return move(by: 1, &s)
        case .moveUp: return move(by: -1, &s)
        case .moveLeft, .moveRight:
            guard s.focus == .map else { return [] }
            s.map.view = s.map.view.moved(action == .moveLeft ? .left : .right, in: s.map.model)
            return []
        case .top: return move(to: 0, &s)
        case .bottom: return move(to: Int.max, &s)
        case .pageDown: return move(by: max(1, s.queueRows - 1), &s)
        case .pageUp: return move(by: -max(1, s.queueRows - 1), &s)
        case .nextPane, .previousPane:
            let panes = Pane.allCases
            let i = panes.firstIndex(of: s.focus) ?? 0
            s.focus = panes[(i + (action == .nextPane ? 1 : panes.count - 1)) % panes.count]
            return []
        case .focus(let pane):
            s.focus = pane
            return []
        case .open:
            guard let entry = s.queue.selectedEntry else { return [] }
            QueueArrivals.looked(entry.serviceCase, &s)
            s.detail.pinnedID = nil
            s.focus = .detail
            return [.loadDetail(entry.serviceCase.id)]
        case .back:
            if s.focus == .detail {
                s.focus = .queue
                // Back from a case opened by id: the pane shows the highlighted row's case again.
                if s.detail.pinnedID != nil {
                    s.detail.pinnedID = nil
                    s.status = nil
                    return [.loadDetail(CasePane.caseID(s))]
                }
            } else if s.queue.filter.region != nil {
                return MapDrill.up(&s)  // one level up the drill-down, not the whole city at once
            }
            s.status = nil
            return []
        case .help:
            s.overlay = .help
            return []
        case .commandLine:
            s.commandLine = CommandLineState()
            return []
        case .quit:
            if case .confirm(_, .quit) = s.overlay {
                // Asked already: a second Ctrl-C means it.
                s.shouldQuit = true
            } else if s.form?.isDirty == true {
                s.overlay = .confirm(s.lang.t("表单有未提交的内容，确定退出？(y/n)", "The form has input. Quit anyway? (y/n)"), .quit)
            } else {
                s.shouldQuit = true
            }
            return []
        case .redraw:
            s.redrawRequested += 1
            return []
        case .filter:
            s.focus = .queue
            s.queue.filterEditing = true
            return []
        case .cycleStateFilter:
            let order: [CaseState?] = [nil] + CaseState.open.map { $0 }
            let current = s.queue.filter.states.count == 1 ? s.queue.filter.states.first : nil
            let i = order.firstIndex { $0 == current } ?? 0
            let next = order[(i + 1) % order.count]
            s.queue.filter.states = next.map { [$0] } ?? []
            return resetAndReload(&s)
        case .toggleOverdue:
            s.queue.filter.overdueOnly.toggle()
            return resetAndReload(&s)
        case .clearFilters:
            s.queue.filter = QueueFilter()
            s.queue.marked = []
            s.map.view.highlighted = nil
            return resetAndReload(&s)
        case .sortNext where s.queue.mode == .evaluation:
            s.evaluation.sortColumn += 1
            return []
        case .sortReverse where s.queue.mode == .evaluation:
            s.evaluation.descending.toggle()
            return []
        case .sortNext where s.queue.mode == .board, .sortReverse where s.queue.mode == .board:
            OverdueBoardView.sort(next: action == .sortNext, &s)
            return window(thenDetail: true, &s)
        case .sortNext:
            let all = QueueSort.allCases
            s.queue.sort = all[((all.firstIndex(of: s.queue.sort) ?? 0) + 1) % all.count]
            return resetAndReload(&s)
        case .sortReverse:
            s.queue.ascending.toggle()
            return resetAndReload(&s)
        case .caseAction(let caseAction) where s.focus == .queue && !s.queue.marked.isEmpty:
            return [.openBulkForm(caseAction, s.queue.marked.sorted())]
        case .caseAction(var caseAction):
            guard let c = selectedCase(s) else {
                s.status = StatusMessage(text: s.lang.t("未选择案件", "no case selected"), kind: .error)
                return []
            }
            if caseAction == .prioritize, c.priority { caseAction = .deprioritize }
            if let refusal = Lifecycle.precondition(of: caseAction, on: c, by: s.viewer, rules: s.siteRules) {
                s.status = StatusMessage(text: "\(s.lang.action(caseAction.rawValue)): \(s.lang.reason(refusal))", kind: .error)
                return []
            }
            return [.openForm(caseAction, c.id)]
        case .actionsMenu:
            guard let c = selectedCase(s) else { return [] }
            let actions = Lifecycle.availableActions(on: c, by: s.viewer, rules: s.siteRules)
            if actions.isEmpty {
                s.status = StatusMessage(text: s.lang.t("您对案件 \(c.id) 暂无可执行操作", "nothing for you to do on case \(c.id) now"), kind: .info)
                return []
            }
            s.overlay = .actions(caseID: c.id, actions, selected: 0)
            return []
        case .nextMeasure:
            // Category needs a category: `:measure category CODE`; the m key cycles the others.
            let all = MapMeasure.allCases.filter { $0 != .category }
            s.map.measure = all[((all.firstIndex(of: s.map.measure) ?? -1) + 1) % all.count]
            MapData.rebuildModel(&s)
            return s.map.measure.usesWindow || s.map.hotspot ? [.loadHeat()] : []
        case .nextWindow:
            let all = HeatWindow.allCases
            s.map.window = all[((all.firstIndex(of: s.map.window) ?? 0) + 1) % all.count]
            s.map.windowOffset = 0
            return [.loadHeat()]
        case .windowBack:
            s.map.windowOffset += 1
            return [.loadHeat()]
        case .windowForward:
            guard s.map.windowOffset > 0 else { return [] }
            s.map.windowOffset -= 1
            return [.loadHeat()]
        case .toggleScale:
            s.map.quantile.toggle()
            MapData.rebuildModel(&s)
            return []
        case .toggleHotspot:
            s.map.hotspot.toggle()
            return [.loadHeat()]
        case .cycleComponents:
            // Off → the components needing work → all in place → off; the class stays as `:components` chose it.
            switch s.map.components?.show {
            case nil: s.map.components = ComponentLayer(show: .faulty, classCode: s.map.componentClass)
            case .faulty: s.map.components?.show = .present
            case .present: s.map.components = nil
            }
            MapData.rebuildModel(&s)
            return s.map.components.map { [.loadComponents(classCode: $0.classCode)] } ?? []
        case .toggleEvaluation:
            s.queue.mode = s.queue.mode == .evaluation ? .queue : .evaluation
            s.focus = .queue
            return s.queue.mode == .evaluation ? [.loadHeat()] : resetAndReload(&s)
        case .zoomIn:
            s.map.view = s.map.view.zoomedIn()
            return []
        case .zoomOut:
            s.map.view = s.map.view.zoomedOut(in: s.map.model)
            return []
        case .selectCell:
            // Drill down: a street block narrows the queue to the street and zooms in, then the community,
            // then the cell and its cases.
            guard let cell = s.map.view.cellUnderCursor(s.map.model) ?? s.map.model.cells.min(by: {
                abs($0.row - s.map.view.cursorRow) + abs($0.col - s.map.view.cursorCol) < abs($1.row - s.map.view.cursorRow) + abs($1.col - s.map.view.cursorCol)
            }) else { return [] }
            let target = s.map.view.zoom == 1 ? cell.code : s.map.view.zoom == 2 ? CellCode.community(of: cell.code) : CellCode.street(of: cell.code)
            if target != s.queue.filter.region { MapDrill.record(to: target, &s) }
            switch s.map.view.zoom {
            case 1:
                s.queue.filter.region = cell.code
                s.map.view.highlighted = cell.code
                s.focus = .queue
            case 2:
                s.queue.filter.region = CellCode.community(of: cell.code)
                s.map.view = s.map.view.zoomedIn()
            default:
                s.queue.filter.region = CellCode.street(of: cell.code)
                s.map.view = s.map.view.zoomedIn()
            }
            if s.queue.mode != .queue { s.queue.mode = .queue }
            return resetAndReload(&s)
        case .switchRole:
            if let refusal = operatorSwitchRefusal(s) {
                s.status = StatusMessage(text: refusal, kind: .error)
                return []
            }
            return [.runCommand("roles")]
        case .toggleLanguage:
            s.lang = s.lang == .zh ? .en : .zh
            MapData.rebuildModel(&s)
            return []
        case .toggleMark:
            guard let id = s.queue.selectedEntry?.serviceCase.id else { return [] }
            if s.queue.marked.remove(id) == nil { s.queue.marked.insert(id) }
            s.status = StatusMessage(text: s.lang.t("已标记 \(s.queue.marked.count) 件；按操作键批量处理，c 清除", "\(s.queue.marked.count) marked; an action key acts on all, c clears"), kind: .info)
            return move(by: 1, &s)
        case .toggleBoard:
            s.queue.mode = s.queue.mode == .queue ? .board : .queue
            s.focus = .queue
            return resetAndReload(&s)
        case .inbox:
            return [.runCommand("inbox")]
        case .newReport:
            guard s.viewer.role == .intake || s.viewer.role == .inspector else {
                s.status = StatusMessage(text: s.lang.t("上报需要受理员或监督员角色", "reporting is for intake operators and inspectors"), kind: .error)
                return []
            }
            return [.openReportForm]
        case .undoBulk:
            s.overlay = .confirm(s.lang.t("撤销您上一次的批量操作？(y/n)", "Undo your last bulk action? (y/n)"), .undoBulk)
            return []
        case .messageLog:
            MessageLog.open(&s)
            return []
        case .toggleFollowUps: return FollowUpBoardUpdate.toggle(&s)
        case .followUpAction(let a): return FollowUpBoardUpdate.act(a, &s)
        case .togglePatrol: return PatrolBoardUpdate.toggle(&s)
        case .censusForm: return PatrolBoardUpdate.openForm(nil, &s)
        }
    }

    /// The detail pane follows the queue's selection; the map pane moves its cursor.
    static func move(by delta: Int, _ s: inout ConsoleState) -> [Effect] {
        switch s.focus {
        case .map:
            for _ in 0..<(abs(delta) > 1 ? 5 : 1) { s.map.view.move(delta > 0 ? .down : .up, in: s.map.model) }
            return []
        case .detail:
            s.detail.scroll = max(0, s.detail.scroll + delta)
            return []
        case .queue:
            return move(to: s.queue.selected + delta, &s)
        }
    }

    static func move(to index: Int, _ s: inout ConsoleState) -> [Effect] {
        if s.focus == .detail {
            s.detail.scroll = index == 0 ? 0 : max(0, s.detail.scroll + 1000)
            return []
        }
        if s.focus == .map { return [] }
        let total = s.queue.total
        guard total > 0 else { return [] }
        let target = min(max(0, index), total - 1)
        // A case opened by id gives way to the row the cursor is on, even if it does not move.
        let pinned = s.detail.pinnedID != nil
        s.detail.pinnedID = nil
        guard target != s.queue.selected || pinned else { return [] }
        s.queue.selected = target
        keepSelectionVisible(&s)
        // A row outside the fetched window: the window around it first, then its case.
        guard let row = s.queue.entry(at: target)?.serviceCase else {
            s.queue.selectionID = nil
            return [.loadWindow(around: target, thenDetail: true)]
        }
        let id = row.id
        s.queue.selectionID = id
        QueueArrivals.looked(row, &s)
        return [.loadDetail(id)]
    }

    /// Why the console may not show the city as another operator, or nil when it may (the demo on an open site).
    /// On a signed site the console is the signed-in operator's, and the store refuses acting as anyone else.
    static func operatorSwitchRefusal(_ s: ConsoleState) -> String? {
        if s.access == .signed {
            return s.lang.t("已以 \(s.viewer.login) 登录：本站不能切换操作员，请退出后以其他操作员登录",
                            "signed in as \(s.viewer.login): this site does not switch operators; quit and sign in as the other one")
        }
        if !s.demo { return s.lang.t("角色切换仅在演示中可用", "switching roles is for the demo only") }
        return nil
    }

    static func resetAndReload(_ s: inout ConsoleState) -> [Effect] {
        s.queue.selected = 0
        s.queue.scroll = 0
        s.queue.selectionID = nil
        return [.reload()]
    }

    /// The case action keys act on: the one the case pane shows (`CasePane`), which is the highlighted row's.
    static func selectedCase(_ s: ConsoleState) -> ServiceCase? {
        guard let id = CasePane.caseID(s) else { return nil }
        if let c = s.detail.detail?.serviceCase, c.id == id { return c }
        return s.queue.selectedEntry.map(\.serviceCase).flatMap { $0.id == id ? $0 : nil }
    }

    /// `/` edits the live filter: every key narrows the queue at once; Enter keeps it, Esc clears it.
    static func handleFilterTyping(_ key: Key, _ s: inout ConsoleState) -> [Effect]? {
        if !s.queue.filterEditing {
            s.queue.filterEditing = true
            s.queue.filterHistoryIndex = nil
            return []
        }
        switch key {
        case .enter:
            s.queue.filterEditing = false
            InputHistory.record(s.queue.filter.text.trimmingCharacters(in: .whitespaces), in: &s.filterHistory)
            return []
        case .up, .down:
            // Earlier filters, as on the `:` line.
            guard let step = InputHistory.step(s.filterHistory, from: s.queue.filterHistoryIndex, older: key == .up) else { return [] }
            s.queue.filterHistoryIndex = step.index
            s.queue.filter.text = step.text
            return resetAndReload(&s)
        case .escape:
            s.queue.filterEditing = false
            s.queue.filter.text = ""
            return resetAndReload(&s)
        case .backspace:
            guard !s.queue.filter.text.isEmpty else { return [] }
            s.queue.filter.text.removeLast()
            return resetAndReload(&s)
        case .ctrl("u"):
            s.queue.filter.text = ""
            return resetAndReload(&s)
        case .character(let c):
            guard s.queue.filter.text.count < 60 else { return [] }
            s.queue.filter.text.append(c)
            return resetAndReload(&s)
        case .pageDown, .pageUp:
            s.queue.filterEditing = false
            return nil
        default:
            return []
        }
    }

    static func handleOverlay(_ overlay: Overlay, _ key: Key, _ s: inout ConsoleState) -> [Effect] {
        switch overlay {
        case .help:
            return HelpUpdate.handle(key, &s)
        case .confirm(_, let then):
            if key == .character("y") || key == .character("Y") {
                s.overlay = nil
                switch then {
                case .quit: s.shouldQuit = true
                case .undoBulk: return [.undoBulk]
                case .discardForm: return FormUpdate.discard(&s)
                case .bulkRest: return bulkRest(&s)
                case .export(let request, let back): return exportAnswered(request, yes: true, back: back, &s)
                }
            } else if key == .character("n") || key == .character("N") || key == .escape {
                s.overlay = nil
                if case .export(let request, let back) = then { return exportAnswered(request, yes: false, back: back, &s) }
            }
            return []
        case .roleSwitcher(let operators, let selected):
            switch key {
            case .down, .character("j"): s.overlay = .roleSwitcher(operators, selected: min(operators.count - 1, selected + 1))
            case .up, .character("k"): s.overlay = .roleSwitcher(operators, selected: max(0, selected - 1))
            case .escape: s.overlay = nil
            case .enter:
                s.overlay = nil
                guard operators.indices.contains(selected) else { return [] }
                return [.switchOperator(operators[selected].login)]
            default: break
            }
            return []
        case .inbox(let lines, let selected):
            switch key {
            case .down, .character("j"): s.overlay = .inbox(lines, selected: min(max(0, lines.count - 1), selected + 1))
            case .up, .character("k"): s.overlay = .inbox(lines, selected: max(0, selected - 1))
            case .escape, .character("i"), .character("q"): s.overlay = nil
            case .character("O"): return decide(.approve, lines, selected: selected, &s)
            case .character("Z"): return decide(.refuse, lines, selected: selected, &s)
            case .enter:
                s.overlay = nil
                guard lines.indices.contains(selected) else { return [] }
                return CasePane.open(lines[selected].caseID, &s)
            default: break
            }
            return []
        case .document(let title, let lines, let scroll):
            switch key {
            case .down, .character("j"): s.overlay = .document(title: title, lines: lines, scroll: min(max(0, lines.count - 1), scroll + 1))
            case .up, .character("k"): s.overlay = .document(title: title, lines: lines, scroll: max(0, scroll - 1))
            case .pageDown: s.overlay = .document(title: title, lines: lines, scroll: min(max(0, lines.count - 1), scroll + 10))
            case .pageUp: s.overlay = .document(title: title, lines: lines, scroll: max(0, scroll - 10))
            case .escape, .character("q"), .enter: s.overlay = nil
            case .character(":"):
                // The command line opens over the document; `:export FILE` writes it.
                s.commandLine = CommandLineState()
            case .character("e"):
                let date = InstantFormat(timeZone: s.timeZone).string(s.now).prefix(10)
                let text = "export handover-\(date).md"
                s.commandLine = CommandLineState(text: text, cursor: text.count)
            default: break
            }
            return []
        case .actions(let caseID, let actions, let selected):
            switch key {
            case .down, .character("j"): s.overlay = .actions(caseID: caseID, actions, selected: min(actions.count - 1, selected + 1))
            case .up, .character("k"): s.overlay = .actions(caseID: caseID, actions, selected: max(0, selected - 1))
            case .escape, .character("x"): s.overlay = nil
            case .enter:
                s.overlay = nil
                guard actions.indices.contains(selected) else { return [] }
                return [.openForm(actions[selected], caseID)]
            case .character(let c):
                if let action = Keymap.caseActionKeys.first(where: { $0.0 == c })?.1, actions.contains(action) {
                    s.overlay = nil
                    return [.openForm(action, caseID)]
                }
            default: break
            }
            return []
        }
    }
}
