/// Turns a value into a heat level 0…9. Level 0 is "nothing" (zero or less); the others
/// split the values above zero. Pure and separate from drawing so another method (a
/// quantile scale, say) is a new `Method` case, not a change to the renderer.
struct MapHeatScale: Sendable, Equatable {
    enum Method: Sendable, Equatable {
        /// Nine equal steps from the smallest value above zero to the largest.
        case linear
    }

    static let levels = 10

    let method: Method
    /// The smallest value above zero and the largest; nil when no value is above zero.
    let lowest: Double?
    let highest: Double?
    /// Every value is a whole number (counts), so the legend names whole numbers.
    let integral: Bool

    init(values: [Double], method: Method = .linear) {
        self.method = method
        var lo = Double.infinity, hi = -Double.infinity, whole = true
        for v in values where v > 0 && v.isFinite {
            lo = min(lo, v); hi = max(hi, v)
            if v != v.rounded() { whole = false }
        }
        lowest = lo.isFinite ? lo : nil
        highest = hi.isFinite ? hi : nil
        integral = whole
    }

    func level(of value: Double) -> Int {
        guard let lowest, let highest else { return value > 0 ? Self.levels - 1 : 0 }
        switch method {
        case .linear: return Self.linearLevel(value, lowest: lowest, highest: highest)
        }
    }

    /// 0 for zero, negative or NaN; 1 at `lowest` up to 9 at `highest`, in equal steps.
    /// When all values above zero are equal they are all 9.
    static func linearLevel(_ value: Double, lowest: Double, highest: Double) -> Int {
        guard value > 0 else { return 0 }
        guard highest > lowest, value.isFinite else { return levels - 1 }
        let t = (value - lowest) / (highest - lowest)
        return min(levels - 1, max(1, 1 + Int(t * Double(levels - 1))))
    }

    /// One entry per level that values can reach, with the smallest value it shows:
    /// `0`, `1`, `3`, … and, on the top level, the range up to the largest value.
    func legendEntries() -> [(level: Int, label: String)] {
        var entries: [(level: Int, label: String)] = [(0, "0")]
        guard let lowest, let highest else { return entries }
        guard highest > lowest else { return entries + [(level(of: highest), Self.format(highest))] }
        let step = (highest - lowest) / Double(Self.levels - 1)
        for level in 1..<Self.levels {
            var from = lowest + Double(level - 1) * step
            if integral {
                // The smallest whole number on this level; none → the level never shows.
                var n = (from - 1e-9 * max(1, abs(from))).rounded(.up)
                while self.level(of: n) < level { n += 1 }
                guard self.level(of: n) == level, n <= highest else { continue }
                from = n
            }
            let isTop = level == Self.levels - 1
            let label = isTop && highest > from ? Self.format(from) + "-" + Self.format(highest) : Self.format(from)
            entries.append((level, label))
        }
        return entries
    }

    /// Whole numbers as such, others to one decimal (two below 1).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        let places = abs(value) < 1 ? 100.0 : 10.0
        let rounded = (value * places).rounded() / places
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}
