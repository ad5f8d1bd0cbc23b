import Curses
import Foundation
import Workflow

/// Keys and readings of the follow-ups board (`FollowUpBoardView`): rows with j/k, ↑/↓, PgUp/PgDn, g/G; the board's own
/// keys from the keymap (Enter records, r reopens, c keeps closed); f goes back to the queue. Pure, like the rest of
/// update; nil: the key is not the board's.
enum FollowUpBoardUpdate {
    static func handleKey(_ key: Key, _ s: inout ConsoleState) -> [Effect]? {
        guard s.queue.mode == .followUps else { return nil }
        let page = FollowUpBoardView.pageRows(s)
        switch key {
        case .down, .character("j"): move(to: s.followUps.selected + 1, &s)
        case .up, .character("k"): move(to: s.followUps.selected - 1, &s)
        case .pageDown, .ctrl("f"): move(to: s.followUps.selected + page - 1, &s)
        case .pageUp, .ctrl("b"): move(to: s.followUps.selected - page + 1, &s)
        case .home, .character("g"): move(to: 0, &s)
        case .end, .character("G"): move(to: Int.max, &s)
        // The other panes give way to the board: there is no pane to move to.
        case .tab, .backTab: return []
        default:
            guard let binding = Keymap.bindings.first(where: { $0.context == .followUps && $0.keys.contains(key) }) else { return nil }
            return ConsoleUpdate.perform(binding.action, &s)
        }
        return []
    }

    /// The selection within the rows, the rows scrolled so that it shows.
    static func move(to index: Int, _ s: inout ConsoleState) {
        let count = s.followUps.items?.count ?? 0
        let page = FollowUpBoardView.pageRows(s)
        var f = s.followUps
        f.selected = min(max(0, index), max(0, count - 1))
        f.scroll = min(max(0, f.scroll), max(0, count - page))
        if f.selected < f.scroll { f.scroll = f.selected }
        if f.selected >= f.scroll + page { f.scroll = f.selected - page + 1 }
        s.followUps = f
    }

    /// `f` and `:followups`: the board in the queue's place, or back to the queue.
    static func toggle(_ s: inout ConsoleState) -> [Effect] {
        s.focus = .queue
        if s.queue.mode == .followUps {
            s.queue.mode = .queue
            return ConsoleUpdate.resetAndReload(&s)
        }
        return show(&s)
    }

    static func show(_ s: inout ConsoleState) -> [Effect] {
        s.focus = .queue
        s.queue.mode = .followUps
        return [.loadFollowUps]
    }

    /// A reading of the tasks: the cursor keeps its row, so after a task is recorded (and leaves the list) it stands on
    /// the next one. A refusal (a role without follow-ups) goes back to the queue and says why.
    static func loaded(_ result: Result<[FollowUpItem], WorkflowError>, _ s: inout ConsoleState) -> [Effect] {
        switch result {
        case .success(let items):
            s.followUps.items = items
            move(to: s.followUps.selected, &s)
            return []
        case .failure(let error):
            s.status = StatusMessage(text: s.lang.describe(error), kind: .error)
            guard s.queue.mode == .followUps else { return [] }
            s.queue.mode = .queue
            return ConsoleUpdate.resetAndReload(&s)
        }
    }

    /// Enter, r or c on the board: the task's case is read, then the action's own rule says whether the form opens.
    static func act(_ action: FollowUpAction, _ s: inout ConsoleState) -> [Effect] {
        guard s.queue.mode == .followUps, let item = s.followUps.selectedItem else { return [] }
        return [.openFollowUpForm(action, item)]
    }

    /// The case read: the action's preconditions (`FollowUpAction.refusal`, the one rule) refuse on the status line,
    /// or the form opens.
    static func formData(_ action: FollowUpAction, _ item: FollowUpItem, _ c: ServiceCase, _ s: inout ConsoleState) -> [Effect] {
        if let refusal = FollowUpAction.refusal(of: action, on: item.followUp, of: c, by: s.viewer) {
            s.status = StatusMessage(text: "\(FollowUpForm.actionName(action, s.lang)) \(c.id): \(s.lang.reason(refusal))", kind: .error)
            return []
        }
        s.form = FollowUpForm.make(action, item, s)
        return []
    }

    /// Recorded or decided: the form closes, the status line says what was stored, the board and the counts are read again.
    static func done(_ action: FollowUpAction, _ result: FollowUpRecording, _ s: inout ConsoleState) -> [Effect] {
        s.form = nil
        let lang = s.lang
        let task = result.task
        var text: String
        switch action {
        case .record:
            let outcome = task.outcome.map { FollowUpForm.outcomeText($0, lang) } ?? ""
            text = lang.t("案件 \(task.caseID) 回访已记录：\(outcome)", "case \(task.caseID) follow-up recorded: \(outcome)")
            if task.flag == .flagged { text += lang.t("（已提交值班长决定）", " (flagged for the shift lead)") }
        case .reopen, .keepClosed:
            text = lang.t("案件 \(task.caseID)：\(FollowUpForm.actionName(action, lang))", "case \(task.caseID): \(FollowUpForm.actionName(action, lang))")
        }
        if let reopened = result.reopened {
            s.queue.ownWrites.insert(reopened.id)
            text += lang.t(" → \(lang.state(reopened.state.rawValue))", " → \(reopened.state.rawValue)")
        }
        s.status = StatusMessage(text: text, kind: .ok)
        return [.reload(followSelection: true)]
    }
}
