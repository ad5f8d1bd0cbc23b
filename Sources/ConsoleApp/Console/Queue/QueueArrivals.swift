import Foundation
import Workflow

/// Which case the case pane shows: the highlighted row's, always, except a case opened by id (`:case`, the inbox)
/// that is not a row of the queue, until the cursor moves.
enum CasePane {
    static func caseID(_ s: ConsoleState) -> Int64? {
        s.detail.pinnedID ?? s.queue.selectedEntry?.serviceCase.id
    }

    /// Opens a case by id: the cursor goes to its row when the queue shows it, else the pane holds it until the cursor moves.
    static func open(_ id: Int64, _ s: inout ConsoleState) -> [Effect] {
        s.focus = .detail
        if let i = s.queue.entries.firstIndex(where: { $0.serviceCase.id == id }) {
            s.queue.selected = s.queue.windowStart + i
            s.queue.selectionID = id
            s.detail.pinnedID = nil
            ConsoleUpdate.keepSelectionVisible(&s)
            QueueArrivals.looked(s.queue.entries[i].serviceCase, &s)
        } else {
            s.detail.pinnedID = id
        }
        return [.loadDetail(id, announce: true)]
    }
}

/// What the ● "new" mark means, and what happens when cases newly wait on the operator.
enum QueueArrivals {
    /// ● : the case arrived (reached its current stage, or newly waits on the operator) after the console opened, and
    /// the operator has not moved the cursor onto it since.
    static func isNew(_ c: ServiceCase, _ s: ConsoleState) -> Bool {
        if s.queue.arrived.contains(c.id) { return true }
        if let looked = s.queue.lookedAt[c.id], c.stageStartedAt <= looked { return false }
        guard let opened = s.queue.openedAt else { return false }
        return c.stageStartedAt > opened
    }

    /// The operator highlighted the case (moved the cursor onto it, or opened it): looked at.
    static func looked(_ c: ServiceCase, _ s: inout ConsoleState) {
        s.queue.lookedAt[c.id] = max(s.now, c.stageStartedAt)
        s.queue.arrived.remove(c.id)
    }

    /// The help's words for the marks of the queue's first column and the urgent badge.
    static func legend(_ lang: Language) -> [String] {
        [
            lang.t("▸  等待您处理（排在最前）", "▸  waits on you (listed first)"),
            lang.t("\(UrgentBadge.text(lang)) 紧急：全天候计时，在各部分中排在最前", "\(UrgentBadge.text(lang)) urgent: clock runs round the clock; first in its section"),
            lang.t("\(PriorityBadge.text(lang)) 优先：领导标记，紧急案件之后排在前面", "\(PriorityBadge.text(lang)) priority: set by a supervisor; first after the urgent cases"),
            lang.t("●  新：打开控制台后或您上次查看（光标停留）后到达", "●  new: arrived since you opened the console or last looked at it (highlighted it)"),
            lang.t("*  已标记  ? 待审批  = 可能重复  ~ 有超期风险  ! 已督办  ^ 已上报市级", "*  marked  ? pending request  = likely duplicate  ~ at risk  ! urged  ^ escalated"),
        ]
    }

    /// A refresh read who waits on the operator: cases that were not there before (and were not moved by the
    /// operator's own writes) ring the bell once, flash the count and are said on the status line.
    static func received(_ needs: NeedsMeSet?, _ s: inout ConsoleState) -> [Effect] {
        guard let needs else { return [] }
        defer {
            s.queue.needsSet = needs
            s.queue.ownWrites = []
        }
        if s.queue.openedAt == nil { s.queue.openedAt = s.now }
        guard let earlier = s.queue.needsSet else { return [] }
        let arrived = needs.arrivals(since: earlier, excluding: s.queue.ownWrites)
        guard !arrived.ids.isEmpty else { return [] }
        s.queue.flashUntil = s.uptime + 3
        s.queue.arrived.formUnion(arrived.ids)
        let n = arrived.ids.count, u = arrived.urgent.count
        let urgent = u > 0 ? s.lang.t("，其中紧急 \(u) 件", " (\(u) urgent)") : ""
        s.status = StatusMessage(text: s.lang.t("新到 \(n) 件待您处理\(urgent)", "\(n) new case\(n == 1 ? "" : "s") for you\(urgent)"),
                                 kind: u > 0 ? .error : .info)
        return s.bellEnabled ? [.bell] : []
    }
}

/// The urgent badge: 急 in Chinese, URG in English, in the `urgent` style (the text itself stays in mono).
enum UrgentBadge {
    static func text(_ lang: Language) -> String { lang.t("急", "URG") }
    static func width(_ lang: Language) -> Int { lang == .zh ? 2 : 3 }
}

/// The priority badge a supervisor's mark shows: 优 in Chinese, PRI in English, in the urgent badge's place (as wide), in
/// the `warning` style. An urgent case shows the urgent badge; the case pane says it is priority too.
enum PriorityBadge {
    static func text(_ lang: Language) -> String { lang.t("优", "PRI") }
}
