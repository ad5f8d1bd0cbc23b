import Curses
import Foundation
import Workflow

/// The census a form records in: its id and class, and the recorder's patrol area.
struct CensusFormTarget: Sendable, Equatable {
    var censusID: Int64
    var classCode: String
}

/// The census form (专项普查): an inspector records what they found of a component, as `citygrid census record` does:
/// confirmed, corrected, added or retired, with the cell, name, owner and state found and a note. The form checks
/// nothing of the census rules: the submit hands a `CensusRecordDraft` to `ComponentStore.recordCensus`, the CLI's own
/// call, and a refusal shows in the operator's language with the form still open.
enum CensusForm {
    /// The owner and state fields' first option: leave it as recorded.
    static let unchanged = "unchanged"

    static func make(_ report: CensusReport, _ s: ConsoleState) -> FormState {
        let lang = s.lang
        let c = report.census
        var fields = [FormField(key: "kind", label: lang.t("普查结果", "Finding"), kind: .choice,
                                options: CensusRecordKind.allCases.map { FormOption(value: $0.rawValue, label: PatrolBoardView.kindName($0, lang), showsValue: false) },
                                required: true, needsChoice: true)]
        fields.append(FormField(key: "component", label: lang.t("部件编号", "Component id"), kind: .text))
        fields.append(FormField(key: "cell", label: lang.t("所在网格", "Cell"), kind: .text))
        fields.append(FormField(key: "name", label: lang.t("名称", "Name"), kind: .text))
        let owners = [FormOption(value: unchanged, label: lang.t("（不变）", "(as recorded)"), showsValue: false),
                      FormOption(value: "", label: lang.t("按类别默认", "the class's department"), showsValue: false)]
            + s.departments.map { FormOption(value: $0.code, label: lang.t($0.nameZh, $0.nameEn), detail: $0.code) }
        fields.append(FormField(key: "owner", label: lang.t("权属单位", "Owner"), kind: .choice, options: owners))
        let states = [FormOption(value: unchanged, label: lang.t("（不变）", "(as recorded)"), showsValue: false)]
            + [ComponentState.normal, .damaged, .missing, .abandoned].map { FormOption(value: $0.rawValue, label: ComponentWording.state($0, lang), showsValue: false) }
        fields.append(FormField(key: "state", label: lang.t("现状", "State found"), kind: .choice, options: states))
        fields.append(FormField(key: "note", label: lang.t("备注", "Note"), kind: .text))
        var form = FormState(action: .accept, caseID: 0, caseChangedAt: .distantPast, fields: fields)
        form.census = CensusFormTarget(censusID: c.id, classCode: c.classCode)
        let format = InstantFormat(timeZone: s.timeZone)
        var lines = [lang.t("\(MapPaneText.name(c.regionCode, s)) · 截止 \(format.short(c.dueAt))",
                            "\(MapPaneText.name(c.regionCode, s)) · due \(format.short(c.dueAt))")]
        if let mine = report.areas.first(where: { $0.patrolArea == s.viewer.patrolAreaID }) {
            lines.append(lang.t("巡查区 \(mine.patrolArea)：已查 \(mine.surveyed)/\(mine.expected)，新增 \(mine.added)",
                                "patrol area \(mine.patrolArea): surveyed \(mine.surveyed)/\(mine.expected), added \(mine.added)"))
        }
        lines.append(lang.t("确认、更正、注销填部件编号；新增填所在网格", "confirm, correct, retire: the component id; add: its cell"))
        form.preview = lines.joined(separator: "\n")
        return form
    }

    static func title(_ target: CensusFormTarget, _ lang: Language) -> String {
        lang.t(" 部件普查 \(target.censusID) · 类别 \(target.classCode) ", " Census \(target.censusID): class \(target.classCode) ")
    }

    /// What the form holds, as the CLI's flags would give it.
    static func draft(_ form: FormState, _ target: CensusFormTarget) -> CensusRecordDraft? {
        guard let kind = form.field("kind")?.value.flatMap(CensusRecordKind.init(rawValue:)) else { return nil }
        let owner = form.field("owner")?.value
        let state = form.field("state")?.value
        return CensusRecordDraft(censusID: target.censusID, kind: kind, componentID: form.field("component")?.value,
                                 cellCode: form.field("cell")?.value, name: form.field("name")?.value,
                                 department: owner == unchanged ? nil : owner,
                                 state: state == unchanged ? nil : state.flatMap(ComponentState.init(rawValue:)), note: form.field("note")?.value)
    }
}
