import Foundation

/// Counts of stage durations by bucket, so that percentiles can be summed over days and groups.
///
/// Percentiles from buckets: the reported 90th percentile is the upper bound of the bucket holding the
/// ⌈0.9·n⌉-th shortest duration, so "p90 = 240 min" reads "90% of them took at most 240 minutes", exactly,
/// at the bucket's resolution. Bounds (minutes) follow the stage limits people talk about: 1, 2, 3, 5,
/// 10, 15, 20, 30, 45 min, 1, 1.5, 2, 3, 4, 5, 6, 8, 10, 12, 16 h, 1, 1.5, 2, 3, 4, 5, 7, 10, 14, 21,
/// 30, 45, 60, 90, 180, 365 days. Durations beyond a year fall in the last bucket and report as a year.
///
/// Stored sparse: a sorted list of (stage, bucket, count) entries; `encoded` is 6 bytes an entry.
public struct StageHistogram: Sendable, Equatable {
    /// Upper bounds of the buckets, in minutes; a duration of exactly a bound falls in that bucket.
    public static let boundsMinutes: [Int] = [
        1, 2, 3, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 300, 360, 480, 600, 720, 960,
        1440, 2160, 2880, 4320, 5760, 7200, 10080, 14400, 20160, 30240, 43200, 64800, 86400, 129600, 259200, 525600,
    ]

    /// (stage index << 8 | bucket) and count, sorted by key.
    private(set) var keys: [UInt16] = []
    private(set) var counts: [UInt32] = []

    public init() {}

    public static func bucket(seconds: Int64) -> Int {
        let s = max(0, seconds)
        var low = 0, high = boundsMinutes.count   // answer in 0...count (count = beyond a year)
        while low < high {
            let mid = (low + high) / 2
            if s <= Int64(boundsMinutes[mid]) * 60 { high = mid } else { low = mid + 1 }
        }
        return min(low, boundsMinutes.count - 1)
    }

    mutating func add(_ stage: EvaluationStage, seconds: Int64) {
        add(key: UInt16(stage.index) << 8 | UInt16(Self.bucket(seconds: seconds)), count: 1)
    }

    mutating func add(key: UInt16, count: UInt32) {
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        if low < keys.count, keys[low] == key {
            counts[low] &+= count
        } else {
            keys.insert(key, at: low)
            counts.insert(count, at: low)
        }
    }

    public mutating func add(_ other: StageHistogram) {
        if other.keys.isEmpty { return }
        if keys.isEmpty { self = other; return }
        var mergedKeys: [UInt16] = [], mergedCounts: [UInt32] = []
        mergedKeys.reserveCapacity(keys.count + other.keys.count)
        mergedCounts.reserveCapacity(keys.count + other.keys.count)
        var i = 0, j = 0
        while i < keys.count || j < other.keys.count {
            if j == other.keys.count || (i < keys.count && keys[i] < other.keys[j]) {
                mergedKeys.append(keys[i]); mergedCounts.append(counts[i]); i += 1
            } else if i == keys.count || other.keys[j] < keys[i] {
                mergedKeys.append(other.keys[j]); mergedCounts.append(other.counts[j]); j += 1
            } else {
                mergedKeys.append(keys[i]); mergedCounts.append(counts[i] &+ other.counts[j]); i += 1; j += 1
            }
        }
        keys = mergedKeys
        counts = mergedCounts
    }

    public var isEmpty: Bool { keys.isEmpty }

    /// How many durations of `stage` fall in each bucket.
    public func buckets(of stage: EvaluationStage) -> [Int] {
        var result = Array(repeating: 0, count: Self.boundsMinutes.count)
        let s = UInt16(stage.index)
        for (key, count) in zip(keys, counts) where key >> 8 == s { result[Int(key & 0xFF)] += Int(count) }
        return result
    }

    /// The upper bound (minutes) of the bucket holding the ⌈q·n⌉-th shortest duration; nil with none.
    public func quantileMinutes(_ stage: EvaluationStage, _ q: Double) -> Int? {
        let buckets = buckets(of: stage)
        let n = buckets.reduce(0, +)
        guard n > 0 else { return nil }
        let rank = max(1, Int((q * Double(n)).rounded(.up)))
        var seen = 0
        for (i, count) in buckets.enumerated() {
            seen += count
            if seen >= rank { return Self.boundsMinutes[i] }
        }
        return Self.boundsMinutes.last
    }

    // MARK: Dense sums

    /// A histogram as one count per (stage, bucket), for summing many stored ones quickly.
    static let denseWidth = EvaluationStage.allCases.count * boundsMinutes.count
    static var emptyDense: [UInt32] { Array(repeating: 0, count: denseWidth) }

    static func add(encoded bytes: UnsafeRawBufferPointer, into dense: inout [UInt32]) {
        var i = 0
        let stages = EvaluationStage.allCases.count, bucketCount = boundsMinutes.count
        while i + 6 <= bytes.count {
            let stage = Int(bytes[i]), bucket = Int(bytes[i + 1])
            let count = UInt32(bytes[i + 2]) | UInt32(bytes[i + 3]) << 8 | UInt32(bytes[i + 4]) << 16 | UInt32(bytes[i + 5]) << 24
            i += 6
            if stage < stages, bucket < bucketCount { dense[stage * bucketCount + bucket] &+= count }
        }
    }

    init(dense: [UInt32]) {
        let bucketCount = Self.boundsMinutes.count
        for (i, count) in dense.enumerated() where count > 0 {
            keys.append(UInt16(i / bucketCount) << 8 | UInt16(i % bucketCount))
            counts.append(count)
        }
    }

    // MARK: Storage

    /// 6 bytes an entry: stage, bucket, count (UInt32 little-endian). Empty histograms store NULL.
    public var encoded: Data {
        var data = Data(capacity: keys.count * 6)
        for (key, count) in zip(keys, counts) {
            data.append(UInt8(key >> 8)); data.append(UInt8(key & 0xFF))
            data.append(UInt8(count & 0xFF)); data.append(UInt8((count >> 8) & 0xFF))
            data.append(UInt8((count >> 16) & 0xFF)); data.append(UInt8(count >> 24))
        }
        return data
    }

    /// Adds the entries of an encoded histogram (as stored) to this one.
    mutating func add(encoded bytes: UnsafeRawBufferPointer) {
        var other = StageHistogram()
        var i = 0
        let stages = UInt8(EvaluationStage.allCases.count), bucketCount = UInt8(Self.boundsMinutes.count)
        while i + 6 <= bytes.count {
            let stage = bytes[i], bucket = bytes[i + 1]
            let count = UInt32(bytes[i + 2]) | UInt32(bytes[i + 3]) << 8 | UInt32(bytes[i + 4]) << 16 | UInt32(bytes[i + 5]) << 24
            i += 6
            guard stage < stages, bucket < bucketCount else { continue }
            let key = UInt16(stage) << 8 | UInt16(bucket)
            // Stored entries are sorted and unique, so appending keeps `other` sorted.
            if let last = other.keys.last, last >= key { other.add(key: key, count: count) } else {
                other.keys.append(key); other.counts.append(count)
            }
        }
        add(other)
    }

    mutating func add(encoded data: Data) {
        data.withUnsafeBytes { add(encoded: $0) }
    }
}
