/// How one segment of a `Layout.split` is sized, after ratatui's constraints.
public enum Constraint: Hashable, Sendable {
    /// Exactly `n` cells when there is room.
    case length(Int)
    /// At least `n` cells; grows when there is no `fill`.
    case min(Int)
    /// Up to `n` cells; grows into leftover space after `fill`s.
    case max(Int)
    /// `p` percent of the space available.
    case percentage(Int)
    /// A share of the leftover space, in proportion to its weight.
    case fill(Int)
}

public enum Direction: Hashable, Sendable {
    /// Segments side by side, left to right.
    case horizontal
    /// Segments stacked, top to bottom.
    case vertical
}

public enum Layout {
    /// Splits `rect` into one rect per constraint. Never yields negative sizes, and the
    /// segments never extend past `rect`, however small it is. When the wanted sizes
    /// do not fit, they shrink in proportion; leftover space goes to `fill`s (by weight),
    /// then `max`es (up to their cap), then `min`s, then percentages that add up to 100.
    public static func split(
        _ rect: Rect, direction: Direction, constraints: [Constraint], spacing: Int = 0
    ) -> [Rect] {
        guard !constraints.isEmpty else { return [] }
        let total = direction == .horizontal ? rect.width : rect.height
        let n = constraints.count
        var gap = max(0, spacing)
        if gap * (n - 1) > total { gap = 0 }
        let available = total - gap * (n - 1)
        let sizes = segmentSizes(available: available, constraints: constraints)

        var result: [Rect] = []
        result.reserveCapacity(n)
        var offset = 0
        for size in sizes {
            switch direction {
            case .horizontal:
                result.append(Rect(x: rect.x + offset, y: rect.y, width: size, height: rect.height))
            case .vertical:
                result.append(Rect(x: rect.x, y: rect.y + offset, width: rect.width, height: size))
            }
            offset += size + gap
        }
        return result
    }

    static func segmentSizes(available: Int, constraints: [Constraint]) -> [Int] {
        let available = max(0, available)
        var sizes = constraints.map { constraint -> Int in
            switch constraint {
            case .length(let n), .min(let n): return max(0, n)
            case .percentage(let p): return available * Swift.min(max(0, p), 100) / 100
            case .max, .fill: return 0
            }
        }
        let wanted = sizes.reduce(0, +)
        if wanted > available {
            return distribute(available, weights: sizes)
        }
        var leftover = available - wanted

        let fillWeights = constraints.map { c -> Int in
            if case .fill(let w) = c { return max(0, w) } else { return 0 }
        }
        if fillWeights.contains(where: { $0 > 0 }) {
            for (i, extra) in distribute(leftover, weights: fillWeights).enumerated() { sizes[i] += extra }
            return sizes
        }

        // `max` segments grow towards their caps, a cell at a time in turn.
        var capped = constraints.indices.filter { i in
            if case .max(let cap) = constraints[i] { return cap > 0 } else { return false }
        }
        while leftover > 0 && !capped.isEmpty {
            capped = capped.filter { i in
                guard case .max(let cap) = constraints[i], sizes[i] < cap, leftover > 0 else { return false }
                sizes[i] += 1
                leftover -= 1
                return sizes[i] < cap
            }
        }
        guard leftover > 0 else { return sizes }

        let minWeights = constraints.map { c -> Int in
            if case .min = c { return 1 } else { return 0 }
        }
        if minWeights.contains(1) {
            for (i, extra) in distribute(leftover, weights: minWeights).enumerated() { sizes[i] += extra }
            return sizes
        }

        let percentWeights = constraints.map { c -> Int in
            if case .percentage(let p) = c { return max(0, p) } else { return 0 }
        }
        if percentWeights.reduce(0, +) >= 100 {
            for (i, extra) in distribute(leftover, weights: percentWeights).enumerated() { sizes[i] += extra }
        }
        return sizes
    }

    /// Splits `amount` in proportion to `weights` (largest remainder, ties to the
    /// earlier segment), so the parts always add up to `amount` when any weight is positive.
    static func distribute(_ amount: Int, weights: [Int]) -> [Int] {
        let totalWeight = weights.reduce(0) { $0 + max(0, $1) }
        guard amount > 0, totalWeight > 0 else { return weights.map { _ in 0 } }
        var parts = weights.map { amount * max(0, $0) / totalWeight }
        let remainders = weights.map { amount * max(0, $0) % totalWeight }
        var rest = amount - parts.reduce(0, +)
        let order = weights.indices
            .filter { weights[$0] > 0 }
            .sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 < $1 }
        var k = 0
        while rest > 0 && !order.isEmpty {
            parts[order[k % order.count]] += 1
            rest -= 1
            k += 1
        }
        return parts
    }
}
