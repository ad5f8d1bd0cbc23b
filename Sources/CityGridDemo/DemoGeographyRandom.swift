// A small deterministic random number generator for demo data.
//
// xoshiro256** seeded through SplitMix64. Every helper is written out here
// (no `Int.random(in:using:)`, whose algorithm the standard library may change),
// so one seed gives the same stream on every platform and Swift version.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Deterministic pseudo-random numbers (xoshiro256**, seeded by SplitMix64).
///
/// Same seed, same sequence, on every platform. A value type: copying it forks
/// the stream, so pass it `inout` to keep one sequence.
public struct DemoRandom: RandomNumberGenerator, Sendable, Hashable, Codable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// A generator seeded with `seed`. Any seed is fine, including 0.
    public init(seed: UInt64) {
        var sm = seed
        s0 = DemoRandom.splitMix(&sm)
        s1 = DemoRandom.splitMix(&sm)
        s2 = DemoRandom.splitMix(&sm)
        s3 = DemoRandom.splitMix(&sm)
    }

    /// An independent stream for a sub-task: the same `(seed, stream)` always
    /// gives the same generator, and different streams do not overlap in practice.
    public init(seed: UInt64, stream: UInt64) {
        var sm = seed
        let mixedSeed = DemoRandom.splitMix(&sm)
        var st = stream &* 0xD1B5_4A32_D192_ED03 ^ 0x8CB9_2BA7_2F3D_8DD7
        self.init(seed: mixedSeed ^ DemoRandom.splitMix(&st))
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = DemoRandom.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = DemoRandom.rotl(s3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-and-reject, unbiased).
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "DemoRandom.below: bound must be positive")
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold {
                m = next().multipliedFullWidth(by: bound)
            }
        }
        return m.high
    }

    /// A uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(bitPattern: Int64(range.upperBound &- range.lowerBound))
        if width == UInt64.max { return Int(truncatingIfNeeded: next()) }
        return range.lowerBound &+ Int(truncatingIfNeeded: below(width &+ 1))
    }

    /// A uniform integer in the half-open range (which must not be empty).
    public mutating func int(in range: Range<Int>) -> Int {
        precondition(!range.isEmpty, "DemoRandom.int(in:): empty range")
        return int(in: range.lowerBound...(range.upperBound - 1))
    }

    /// A uniform double in `0..<1` (53 random bits).
    public mutating func double() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform double in `range.lowerBound..<range.upperBound`.
    public mutating func double(in range: Range<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * double()
    }

    /// `true` with probability `p` (clamped to 0...1).
    public mutating func chance(_ p: Double) -> Bool {
        if p <= 0 { return false }
        if p >= 1 { return true }
        return double() < p
    }

    /// A uniformly chosen element. The array must not be empty.
    public mutating func pick<T>(_ array: [T]) -> T {
        precondition(!array.isEmpty, "DemoRandom.pick: empty array")
        return array[Int(below(UInt64(array.count)))]
    }

    /// An index chosen with probability proportional to its weight. Negative
    /// and non-finite weights count as 0; if all are 0 the choice is uniform.
    public mutating func weightedIndex(_ weights: [Double]) -> Int {
        precondition(!weights.isEmpty, "DemoRandom.weightedIndex: no weights")
        var total = 0.0
        for w in weights where w.isFinite && w > 0 { total += w }
        if total <= 0 { return Int(below(UInt64(weights.count))) }
        var target = double() * total
        var last = 0
        for (i, w) in weights.enumerated() where w.isFinite && w > 0 {
            if target < w { return i }
            target -= w
            last = i
        }
        return last  // rounding at the very top end
    }

    /// A normally distributed value (Box–Muller).
    public mutating func normal(mean: Double = 0, sd: Double = 1) -> Double {
        let u1 = 1.0 - double()  // (0, 1], so log is finite
        let u2 = double()
        return mean + sd * (-2.0 * log(u1)).squareRoot() * cos(2.0 * Double.pi * u2)
    }

    /// An exponentially distributed value with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1.0 - double())
    }

    /// Fisher–Yates shuffle in place.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(below(UInt64(i + 1)))
            if i != j { array.swapAt(i, j) }
        }
    }

    /// A shuffled copy.
    public mutating func shuffled<T>(_ array: [T]) -> [T] {
        var copy = array
        shuffle(&copy)
        return copy
    }

    /// `count` distinct indices from `0..<n`, in the order drawn.
    public mutating func sampleIndices(_ count: Int, from n: Int) -> [Int] {
        precondition(count >= 0 && count <= n, "DemoRandom.sampleIndices: count out of range")
        var pool = Array(0..<n)
        for i in 0..<count {
            let j = i + Int(below(UInt64(n - i)))
            pool.swapAt(i, j)
        }
        return Array(pool.prefix(count))
    }
}
