import Foundation
import Workflow

extension Language {
    /// Why a case is at risk, from Workflow's estimate: "SANIT usually needs 6 h for 0102; 3 h left" in English (as
    /// the CLI says it), its Chinese in Chinese.
    func risk(_ e: RiskEstimate) -> String {
        guard self == .zh else { return e.reason }
        return "\(e.department) 处理类别 \(e.category.code) 通常需要 \(hours(e.expectedMinutes))；剩余 \(hours(max(0, e.remainingMinutes)))"
    }

    /// A handling time as the risk line says it: "45 分钟", "6 小时", "2.5 小时".
    func hours(_ minutes: Int) -> String {
        if minutes < 60 { return t("\(minutes) 分钟", "\(minutes) min") }
        let h = Double(minutes) / 60
        let text = h >= 10 || h == h.rounded() ? "\(Int(h.rounded()))" : String(format: "%.1f", h)
        return t("\(text) 小时", "\(text) h")
    }
}
