import Curses
import Foundation
import Workflow

/// The follow-up a form acts on: the action (record, reopen, keep closed) and its task.
struct FollowUpFormTarget: Sendable, Equatable {
    var action: FollowUpAction
    var taskID: Int64
}

/// The follow-up forms (回访): the intake operator's record (reached or not, satisfaction, note) and the shift lead's
/// decision on a dissatisfied one (reopen or keep closed, with the reason). The form checks nothing of the follow-up
/// rules: the submit goes to `FollowUpStore.recordFollowUp` / `decideFollowUp`, as the CLI's does, and a refusal shows
/// in the operator's language.
enum FollowUpForm {
    static func actionName(_ action: FollowUpAction, _ lang: Language) -> String {
        switch action {
        case .record: lang.t("记录回访", "record follow-up")
        case .reopen: lang.t("返工", "reopen for rework")
        case .keepClosed: lang.t("维持结案", "keep closed")
        }
    }

    static func satisfaction(_ value: Satisfaction, _ lang: Language) -> String {
        switch value {
        case .satisfied: lang.t("满意", "satisfied")
        case .basicallySatisfied: lang.t("基本满意", "basically satisfied")
        case .dissatisfied: lang.t("不满意", "dissatisfied")
        }
    }

    static func outcomeText(_ outcome: FollowUpOutcome, _ lang: Language) -> String {
        guard outcome.reached else { return lang.t("未联系上", "not reached") }
        return lang.t("已联系上", "reached") + (outcome.satisfaction.map { lang.t("，", ", ") + satisfaction($0, lang) } ?? "")
    }

    static func make(_ action: FollowUpAction, _ item: FollowUpItem, _ s: ConsoleState) -> FormState {
        let lang = s.lang
        let f = item.followUp
        var fields: [FormField] = []
        if action == .record {
            fields.append(FormField(key: "reached", label: lang.t("是否联系上", "Reached"), kind: .choice,
                                    options: [FormOption(value: "reached", label: lang.t("已联系上", "reached"), showsValue: false),
                                              FormOption(value: "not-reached", label: lang.t("未联系上", "not reached"), showsValue: false)],
                                    required: true, needsChoice: true))
            // Chosen only for a reached reporter; whether it is needed is Workflow's rule, said on submit.
            fields.append(FormField(key: "satisfaction", label: lang.t("满意度", "Satisfaction"), kind: .choice,
                                    options: Satisfaction.allCases.map { FormOption(value: $0.rawValue, label: satisfaction($0, lang), showsValue: false) },
                                    needsChoice: true))
        }
        fields.append(FormField(key: "note", label: lang.noteLabel(action.spec.note), kind: .text, required: action.spec.note.required))
        var form = FormState(action: .accept, caseID: f.caseID, caseChangedAt: .distantPast, fields: fields)
        form.followUp = FollowUpFormTarget(action: action, taskID: f.id)
        // Whom to call and by when, and for a decision what they said.
        let due = InstantFormat(timeZone: s.timeZone).short(f.dueAt)
        var lines = [[f.reporterName, FollowUpBoardView.contact(f.contact, lang)].compactMap { $0 }.joined(separator: " · ")
                        + " · " + lang.t("期限 \(due)", "due \(due)") + (f.isOverdue(at: s.now) ? lang.t("（已超期）", " (overdue)") : "")]
        if let outcome = f.outcome {
            lines.append(outcomeText(outcome, lang) + (outcome.note.map { " · \($0)" } ?? ""))
        }
        lines.append(item.caseDescription)
        // Report text is the public's: each line made safe, and kept on its own line.
        form.preview = lines.map(TerminalText.sanitize).joined(separator: "\n")
        return form
    }

    static func title(_ form: FormState, _ target: FollowUpFormTarget, _ lang: Language) -> String {
        lang.t(" \(actionName(target.action, lang)) 案件 \(form.caseID) ", " \(actionName(target.action, lang)): case \(form.caseID) ")
    }

    /// A choice changed: "not reached" takes no satisfaction, so one chosen before is put back to none.
    static func changed(_ form: inout FormState, field key: String) {
        guard form.followUp != nil, key == "reached", form.field("reached")?.value == "not-reached",
              let i = form.fields.firstIndex(where: { $0.key == "satisfaction" }) else { return }
        form.fields[i].picked = false
        form.fields[i].selected = 0
        form.fields[i].text = ""
    }

    /// The submit: the store's own call, with what the form holds.
    static func submit(_ form: FormState, _ target: FollowUpFormTarget) -> Effect {
        let note = form.field("note")?.value
        switch target.action {
        case .record:
            let outcome = FollowUpOutcome(reached: form.field("reached")?.value == "reached",
                                          satisfaction: form.field("satisfaction")?.value.flatMap(Satisfaction.init(rawValue:)), note: note)
            return .recordFollowUp(caseID: form.caseID, taskID: target.taskID, outcome)
        case .reopen, .keepClosed:
            return .decideFollowUp(target.action, caseID: form.caseID, taskID: target.taskID, note: note)
        }
    }
}
