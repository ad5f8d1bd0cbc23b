/// Turns a value into a heat level 0…9. Level 0 is "nothing" (zero or less); the others
/// split the values above zero. Pure and separate from drawing so another method (a
/// quantile scale, say) is a new `Method` case, not a change to the renderer.
struct MapHeatScale: Sendable, Equatable {
    enum Method: Sendable, Equatable {
        /// Nine equal steps from the smallest value above zero to the largest.
        case linear
        /// Nine steps holding about the same number of cells each, so one extreme cell does not flatten the rest.
        case quantile
        /// Values are Getis-Ord Gi* z-scores: levels by confidence (90%, 95%, 99%); cold spots and
        /// insignificant cells are level 0.
        case hotspot
    }

    static let levels = 10

    let method: Method
    /// The smallest value above zero and the largest; nil when no value is above zero.
    let lowest: Double?
    let highest: Double?
    /// Every value is a whole number (counts), so the legend names whole numbers.
    let integral: Bool
    /// For `.quantile`: the smallest value of levels 2…9 (eight breaks over the values above zero).
    let breaks: [Double]

    /// z-scores at which the hotspot levels start, and the levels they give.
    static let hotspotBands: [(z: Double, level: Int, label: String)] = [(1.645, 5, "90%"), (1.96, 7, "95%"), (2.58, 9, "99%")]

    init(values: [Double], method: Method = .linear) {
        self.method = method
        var lo = Double.infinity, hi = -Double.infinity, whole = true
        var positive: [Double] = []
        for v in values where v > 0 && v.isFinite {
            lo = min(lo, v); hi = max(hi, v)
            if v != v.rounded() { whole = false }
            positive.append(v)
        }
        lowest = lo.isFinite ? lo : nil
        highest = hi.isFinite ? hi : nil
        integral = whole
        if method == .quantile, !positive.isEmpty {
            positive.sort()
            breaks = (1..<(Self.levels - 1)).map { k in positive[min(positive.count - 1, k * positive.count / (Self.levels - 1))] }
        } else {
            breaks = []
        }
    }

    func level(of value: Double) -> Int {
        if method == .hotspot {
            return Self.hotspotBands.last { value >= $0.z }?.level ?? 0
        }
        guard let lowest, let highest else { return value > 0 ? Self.levels - 1 : 0 }
        switch method {
        case .linear, .hotspot: return Self.linearLevel(value, lowest: lowest, highest: highest)
        case .quantile:
            guard value > 0 else { return 0 }
            return 1 + breaks.filter { value >= $0 && $0 > lowest }.count
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
        if method == .hotspot {
            return [(0, "<1.65")] + Self.hotspotBands.map { ($0.level, $0.label) }
        }
        if method == .quantile {
            var entries: [(level: Int, label: String)] = [(0, "0")]
            guard let lowest, let highest else { return entries }
            var seen = Set<Int>()
            var from = lowest
            for v in [lowest] + breaks where seen.insert(level(of: v)).inserted {
                entries.append((level(of: v), Self.format(v)))
                from = v
            }
            // The top level's range, unless it holds one value ("100", not "100-100").
            if let last = entries.last, highest > from { entries[entries.count - 1].label = last.label + "-" + Self.format(highest) }
            return entries
        }
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
