import Foundation

extension HandlingTimes {
    /// The at-risk estimates of the cases in hand: those in the handling stage that similar recent cases say will miss
    /// their limit, by case id. Typed, so each front end words the reason in its language.
    public func atRisk(_ cases: [ServiceCase], at now: Date, context: LifecycleContext) -> [Int64: RiskEstimate] {
        var risks: [Int64: RiskEstimate] = [:]
        for c in cases where c.state == .dispatched {
            if let estimate = estimate(for: c, at: now, context: context), estimate.atRisk { risks[c.id] = estimate }
        }
        return risks
    }
}

extension OverdueBoard {
    /// The rows a text filter keeps: every word must start the case id, appear in its description, start its cell
    /// code, or be its department's code.
    public static func matching(_ entries: [BoardEntry], text: String) -> [BoardEntry] {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return entries }
        return entries.filter { e in
            let c = e.serviceCase
            return words.allSatisfy { w in
                String(c.id).hasPrefix(w) || c.description.contains(w) || c.cellCode.hasPrefix(w) || c.departmentCode == w.uppercased()
            }
        }
    }
}
