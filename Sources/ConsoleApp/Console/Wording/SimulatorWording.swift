import CityGridDemo
import Workflow

extension Language {
    /// The live simulator's last step on the status line: `sim: #12 dispatch filed → dispatched (city-dispatcher-2)`,
    /// `模拟：#12 派遣 已立案 → 已派遣（city-dispatcher-2）`.
    func note(_ note: SimulatorNote) -> String {
        switch note {
        case .unavailable:
            return t("模拟器无法启动", "simulator unavailable")
        case .autoEscalated(let n):
            return t("自动上报市级 \(n) 件", "auto-escalated \(n)")
        case .event(let e):
            // Worded from the typed change, not the simulator's summary (which names the category in Chinese).
            switch e.change {
            case .reported(let source, let category, let cell):
                return t("模拟：#\(e.caseID) 新上报 \(category.code)（\(self.source(source))，\(cell)）",
                         "sim: #\(e.caseID) new: \(category.code) (\(self.source(source)), \(cell))")
            case .advanced(let a, let from, let to):
                let who = e.actor.map { t("（\($0)）", " (\($0))") } ?? ""
                let step = from == to ? "" : " " + t("\(state(from.rawValue)) → \(state(to.rawValue))", "\(from.rawValue) → \(to.rawValue)")
                return t("模拟：", "sim: ") + "#\(e.caseID) " + t(action(a.rawValue), a.rawValue) + step + who
            }
        }
    }
}
