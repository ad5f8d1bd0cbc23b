import Foundation
import Workflow

extension QueueFilter {
    /// What the queue is narrowed to, as its title says it: `[筛选：状态 已派遣 · 只看超期 · /垃圾] `, or "" with no
    /// filter. Every part of the filter is named, so the operator sees which state `s` has reached.
    func tags(_ lang: Language) -> String {
        var parts: [String] = []
        if !states.isEmpty {
            let names = CaseState.allCases.filter(states.contains).map { lang.state($0.rawValue) }
            parts.append(lang.t("状态 ", "state ") + names.joined(separator: "/"))
        }
        if overdueOnly { parts.append(lang.t("只看超期", "overdue only")) }
        if let category { parts.append(lang.t("类别 ", "category ") + category.code) }
        if let region { parts.append(lang.t("区域 ", "area ") + region) }
        if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { parts.append("/" + text) }
        guard !parts.isEmpty else { return "" }
        return lang.t("[筛选：", "[filtered: ") + parts.joined(separator: " · ") + "] "
    }
}
