import Curses
import Foundation
import Workflow

/// How the console words components (部件): their states, why a case goes to its department, and the case pane's
/// line about the component a case concerns.
enum ComponentWording {
    static func state(_ s: ComponentState, _ lang: Language) -> String {
        switch s {
        case .normal: lang.t("完好", "normal")
        case .damaged: lang.t("破损", "damaged")
        case .missing: lang.t("丢失", "missing")
        case .abandoned: lang.t("废弃", "abandoned")
        case .removed: lang.t("移除", "removed")
        }
    }

    /// Why the case goes to `routing.department`, for the dispatch and filing forms and the case pane.
    static func reason(_ routing: Routing, suggested: Routing? = nil, _ lang: Language) -> String {
        switch routing.reason {
        case .componentOwner:
            return lang.t("部件 \(routing.componentID ?? "") 的权属单位", "owner of component \(routing.componentID ?? "")")
        case .categoryDefault:
            return routing.componentID == nil ? lang.t("按类别默认", "the category's department")
                : lang.t("部件权属不明，按类别默认", "component owner unknown: the category's department")
        case .communityLevel:
            return lang.t("社区处置类别，派往网格所在社区", "a community-level category: the cell's community")
        case .chosen:
            guard let suggested, suggested.department != routing.department else { return lang.t("人工指定", "chosen") }
            return lang.t("人工指定；按规则应为 \(suggested.department)（\(reason(suggested, lang))）",
                          "chosen; the rule suggests \(suggested.department) (\(reason(suggested, lang)))")
        }
    }

    /// The case pane's lines about the case's component: id, name, state, owner; and where the case goes, and why.
    static func caseLines(_ d: CaseDetail, lang: Language, theme: Theme) -> [(String, Style)] {
        var out: [(String, Style)] = []
        if let component = d.component {
            let owner = component.department.map { code in "\(code) \(d.componentOwnerName.map { lang.t($0.zh, $0.en) } ?? "")" }
                ?? lang.t("权属不明", "owner unknown")
            out.append((lang.t("部件 ", "component ") + "\(component.id) \(component.name) · \(state(component.state, lang)) · "
                        + lang.t("权属 ", "owner ") + owner, theme[component.state == .normal ? "normal" : "warning"]))
        }
        if let routing = d.routing, d.component != nil || d.serviceCase.departmentCode == nil {
            out.append((lang.t("派往 ", "goes to ") + routing.department + lang.t("（", " (") + reason(routing, lang) + lang.t("）", ")"), theme["muted"]))
        }
        return out
    }
}

extension ComponentWording {
    /// The intake form's component choices: none, then the nearest components (those of the cell first), each with
    /// its state and owner.
    static func intakeOptions(_ components: [Component], cell: String, lang: Language) -> [FormOption] {
        [FormOption(value: "", label: lang.t("（不指定）", "(none)"), showsValue: false)] + components.map { c in
            let place = c.cellCode == cell ? lang.t("本网格", "this cell") : lang.t("相邻网格", "next cell")
            return FormOption(value: c.id, label: "\(c.name) · \(state(c.state, lang))",
                              detail: "\(place) · " + lang.t("权属 ", "owner ") + (c.department ?? lang.t("不明", "unknown")))
        }
    }
}
