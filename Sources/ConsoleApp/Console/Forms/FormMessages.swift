import Foundation
import Workflow

/// What a form's checks leave unsaid until the operator submits.
enum FormCheck {
    /// A refusal for an argument not filled in yet (a target, the hours, a required note): the form's own check says it,
    /// in the operator's words, when they submit; a preview must not show it before anything is typed.
    static func isMissingInput(_ error: WorkflowError) -> Bool {
        guard case .refusal(let refusal) = error else { return false }
        switch refusal {
        case .missingTarget, .missingHours, .missingNote: return true
        default: return false
        }
    }
}

/// Update's half of the forms that need more than the case: reassign (where each case may go), merge (the case's likely
/// duplicates), the bulk check before a submit, the inbox's decisions, a document's export. Pure, like the rest of update.
extension ConsoleUpdate {

    // MARK: Reassign

    /// The reassign form offers only where the rule lets the case go (never its current holder); a bulk reassign offers
    /// every place at least one marked case may go, with how many of them it fits, and names the cases nobody else can take.
    static func reassignForm(_ c: ServiceCase, _ choices: [ReassignChoices], bulk: [Int64]?, _ s: inout ConsoleState) -> [Effect] {
        let lang = s.lang
        if bulk == nil, let refusal = choices.first?.refusal {
            s.status = StatusMessage(text: "\(lang.action(CaseAction.reassign.rawValue)) \(c.id): \(lang.reason(refusal))", kind: .error)
            return []
        }
        var fits: [String: (load: Workload, cases: Int)] = [:]
        var order: [String] = []
        for choice in choices where choice.refusal == nil {
            for load in choice.alternatives {
                if fits[load.key] == nil { order.append(load.key) }
                fits[load.key, default: (load, 0)].cases += 1
            }
        }
        let stuck = choices.filter { $0.refusal == nil && $0.alternatives.isEmpty }.map(\.caseID)
        let refused = choices.filter { $0.refusal != nil }
        guard !order.isEmpty else {
            let ids = choices.map { "#\($0.caseID)" }.joined(separator: " ")
            s.status = StatusMessage(text: lang.t("没有可改派的对象：\(ids) 的任务没有其他监督员、部门或指挥中心可以接手",
                                                  "nowhere to reassign \(ids): no other inspector, department or command center may take it"),
                                     kind: .error)
            return []
        }
        let total = choices.count
        let options = order.compactMap { fits[$0] }.map { fit in
            let load = lang.t("未结 \(fit.load.open) · 超期 \(fit.load.overdue)", "open \(fit.load.open) · overdue \(fit.load.overdue)")
            let share = bulk == nil ? "" : lang.t(" · 适用 \(fit.cases)/\(total) 件", " · fits \(fit.cases) of \(total)")
            return FormOption(value: fit.load.key, label: fit.load.name, detail: load + share)
        }
        var form = FormBuilder.make(.reassign, for: c, state: s, inspectors: [], workload: nil)
        if let i = form.fields.firstIndex(where: { $0.key == "to" }) { form.fields[i].options = options }
        var notes: [String] = []
        if let bulk {
            form.bulkIDs = bulk
            notes.append(lang.t("批量：\(bulk.count) 件；提交前逐件检查", "bulk: \(bulk.count) cases, each checked before anything is written"))
        }
        for id in stuck {
            notes.append(lang.t("  #\(id)：没有其他可接手的对象", "  #\(id): nobody else may take it"))
        }
        for choice in refused {
            notes.append("  #\(choice.caseID): " + lang.reason(choice.refusal!))
        }
        form.preview = notes.isEmpty ? nil : notes.joined(separator: "\n")
        s.form = form
        return bulk == nil ? resolve([.preview], &s) : []
    }

    // MARK: Merge

    /// The merge form offers the case's likely duplicates, nearest and newest first as Workflow lists them: Enter merges
    /// into the highlighted one. Another case's id can still be typed.
    static func mergeForm(_ c: ServiceCase, _ candidates: [DuplicateCandidate], _ s: inout ConsoleState) -> [Effect] {
        if let refusal = Lifecycle.precondition(of: .merge, on: c, by: s.viewer, rules: s.siteRules) {
            s.status = StatusMessage(text: "\(s.lang.action(CaseAction.merge.rawValue)) \(c.id): \(s.lang.reason(refusal))", kind: .error)
            return []
        }
        var form = FormBuilder.make(.merge, for: c, state: s, inspectors: [], workload: nil)
        if !candidates.isEmpty, let i = form.fields.firstIndex(where: { $0.key == "to" }) {
            let options = candidates.map { d in
                let place = d.cellDistance == 0 ? s.lang.t("同一网格", "same cell") : s.lang.t("相邻网格", "next cell")
                return FormOption(value: String(d.serviceCase.id), label: "#\(d.serviceCase.id)",
                                  detail: "\(s.lang.state(d.serviceCase.state.rawValue)) · \(place) · \(DueText.age(d.serviceCase, now: s.now)) · \(d.serviceCase.description)",
                                  showsValue: false)
            }
            var field = FormField(key: "to", label: s.lang.t("并入（可能重复）", "Into duplicate"), kind: .choice, options: options, required: true)
            field.acceptsTyped = true
            form.fields[i] = field
        }
        s.form = form
        return resolve([.preview], &s)
    }

    // MARK: Bulk check

    /// Every marked case checked: none refuses, and the batch goes; some refuse, and all their reasons show, with the
    /// question whether to act on the others; all refuse, and nothing is written.
    static func bulkChecked(_ bulk: BulkRequest, action: CaseAction, refusals: [Int64: WorkflowError], _ s: inout ConsoleState) -> [Effect] {
        guard var form = s.form, let ids = form.bulkIDs else { return [] }
        if refusals.isEmpty { return [.performBulk(bulk, action: action)] }
        let lang = s.lang
        form.bulkRefusals = ids.compactMap { id in refusals[id].map { BulkCaseRefusal(caseID: id, reason: lang.reason($0)) } }
        let rest = ids.count - form.bulkRefusals.count
        form.preview = ([lang.t("\(ids.count) 件中 \(form.bulkRefusals.count) 件会被拒绝，尚未写入：", "\(form.bulkRefusals.count) of \(ids.count) cases would refuse; nothing written yet:")]
            + form.bulkRefusals.map { "  #\($0.caseID): \($0.reason)" }).joined(separator: "\n")
        form.previewIsError = true
        s.form = form
        if rest > 0 {
            s.overlay = .confirm(lang.t("只对其余 \(rest) 件\(lang.action(action.rawValue))？(y/n)", "\(action.rawValue) the other \(rest) only? (y/n)"), .bulkRest)
        }
        return []
    }

    /// The operator confirmed: the batch goes on the cases that did not refuse.
    static func bulkRest(_ s: inout ConsoleState) -> [Effect] {
        guard let form = s.form, let ids = form.bulkIDs else { return [] }
        let refused = Set(form.bulkRefusals.map(\.caseID))
        let rest = ids.filter { !refused.contains($0) }
        guard !rest.isEmpty else { return [] }
        let request = form.request(actor: s.viewer.login)
        return [.performBulk(BulkRequest(action: form.action, selection: .ids(rest), actor: s.viewer.login, target: request.target,
                                         note: request.note), action: form.action)]
    }

    // MARK: Inbox

    /// `O` and `Z` in the inbox: the approve or refuse form for the selected request, as on the case; a request this
    /// operator may not decide is refused here, saying who may.
    static func decide(_ action: CaseAction, _ lines: [InboxLine], selected: Int, _ s: inout ConsoleState) -> [Effect] {
        guard lines.indices.contains(selected) else { return [] }
        let line = lines[selected]
        if let decider = line.decider {
            s.status = StatusMessage(text: s.lang.t("您不能\(s.lang.action(action.rawValue))案件 \(line.caseID) 的申请：\(decider)",
                                                    "you cannot \(action.rawValue) case \(line.caseID)'s request: \(decider)"), kind: .error)
            return []
        }
        s.overlay = nil
        s.inboxReturn = selected
        return [.openForm(action, line.caseID)]
    }

    /// Who may decide a request this operator may not: a dispatcher of the command center holding the case.
    static func decider(of c: ServiceCase, _ s: ConsoleState) -> String {
        let center = s.centers.first { $0.id == c.commandCenterID }.map { s.lang.t($0.nameZh, $0.nameEn) } ?? c.commandCenterID ?? "?"
        return s.lang.t("须由\(center)的派遣员决定", "for a dispatcher of \(center)")
    }

    // MARK: Selecting a case

    /// A case found in the queue is selected (its row highlighted, its window and case loaded); one the queue does not
    /// hold (filtered out) is shown in the case pane, and the status line says why it is not highlighted.
    static func caseSelected(_ id: Int64, position: Int?, _ s: inout ConsoleState) -> [Effect] {
        guard let position else {
            s.focus = .detail
            s.status = StatusMessage(text: (s.status.map { $0.text + " · " } ?? "")
                + s.lang.t("当前筛选不含案件 \(id)", "case \(id) is not in the current filter"), kind: s.status?.kind ?? .info)
            return [.loadDetail(id)]
        }
        s.queue.selected = position
        s.queue.selectionID = id
        keepSelectionVisible(&s)
        return [.loadWindow(around: position, thenDetail: true)]
    }

    // MARK: Export of a document

    /// `:export FILE` while a document (the handover) is shown writes the document.
    static func exportDocument(path: String, _ s: inout ConsoleState) -> [Effect]? {
        guard case .document(_, let lines, _) = s.overlay else { return nil }
        return [.export(ExportRequest(path: path, document: lines), overwrite: false)]
    }
}
