import Workflow

extension Language {
    /// The shift handover as the console shows it, in its language: the same `Handover` the CLI prints
    /// (`HandoverCommand.lines`, English), with states, actions and requests named as the console names them.
    func handoverLines(_ h: Handover, format: InstantFormat) -> [String] {
        guard self == .zh else { return HandoverCommand.lines(h, format: format) }
        let c = h.sinceShift
        var out = ["\(h.viewer.login) 的交接班：本班自 \(format.string(h.since)) 起，交接于 \(format.string(h.at))",
                   "未结 \(h.open)：" + h.openByStage.map { "\(state($0.state.rawValue)) \($0.count)" }.joined(separator: "，"),
                   "超期 \(h.overdue.count)，将到期 \(h.dueSoon)，待审批申请 \(h.pending.count)，当前上报市级 \(h.escalated.count)",
                   "本班以来：上报 \(c.reported)，立案 \(c.filed)，派遣 \(c.dispatched)，处置 \(c.handled)，结案 \(c.closed)，作废 \(c.cancelled)，"
                       + "上报市级 \(c.escalated)，退回区级 \(c.returnedToDistrict)"]
        for e in h.overdue.prefix(20) {
            out.append("  超期 \(e.serviceCase.id) \(state(e.serviceCase.state.rawValue)) \(e.responsible) \(Span.text(e.reading.remainingMinutes))（已用 \(e.reading.ratioText)×）")
        }
        for p in h.pending {
            out.append("  待审批 \(p.serviceCase.id) \(action("request-" + p.request.kind.rawValue))，申请人 \(p.requestedBy ?? "?")：\(p.request.note)")
        }
        for e in h.escalations {
            let by = e.actor ?? "自动"
            out.append("  \(action(e.action)) \(e.caseID) \(e.fromCenter ?? "-") → \(e.toCenter ?? "-")，\(format.short(e.at))，\(by)\(e.note.map { "：\($0)" } ?? "")")
        }
        return out
    }
}
