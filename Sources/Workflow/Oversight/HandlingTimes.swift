import Foundation

/// One closed case's handling time: from dispatch to the department's (last) report, in the minutes of
/// its category's clock (working, or calendar for urgent categories).
public struct HandlingSample: Sendable, Equatable {
    public var department: String
    public var category: CategoryKey
    public var minutes: Int
    public init(department: String, category: CategoryKey, minutes: Int) {
        self.department = department; self.category = category; self.minutes = minutes
    }
}

/// Why a case is (or is not) at risk, with every input kept so a lead can check the estimate.
public struct RiskEstimate: Sendable, Equatable {
    public var department: String
    public var category: CategoryKey
    /// How far back closed cases were taken, in days, and how many were similar (same department and category).
    public var windowDays: Int
    public var sampleSize: Int
    /// Median handling time of all similar cases.
    public var medianMinutes: Int
    /// Of the similar cases that took at least as long as this one has so far, how many, and their median:
    /// the expected total handling time given the time already spent.
    public var conditionalSampleSize: Int
    public var expectedMinutes: Int
    public var elapsedMinutes: Int
    public var budgetMinutes: Int
    public var remainingMinutes: Int
    public var calendarTime: Bool
    /// Elapsed plus the expected remaining time exceeds the limit.
    public var atRisk: Bool

    /// "SANIT usually needs 6 h for 0102; 3 h left".
    public var reason: String {
        "\(department) usually needs \(Self.duration(expectedMinutes)) for \(category.code); \(Self.duration(max(0, remainingMinutes))) left"
    }

    static func duration(_ minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) min" }
        let hours = Double(minutes) / 60
        return hours >= 10 || hours == hours.rounded() ? "\(Int(hours.rounded())) h" : String(format: "%.1f h", hours)
    }
}

/// Handling times of recently closed cases, grouped by department and category and sorted once per
/// refresh, so assessing each open case is a binary search rather than a query.
public struct HandlingTimes: Sendable {
    public struct Key: Hashable, Sendable {
        public var department: String
        public var category: CategoryKey
    }
    public let windowDays: Int
    public let minSamples: Int
    let sorted: [Key: [Int]]

    public init(samples: [HandlingSample], windowDays: Int, minSamples: Int) {
        self.windowDays = windowDays
        self.minSamples = max(1, minSamples)
        var groups: [Key: [Int]] = [:]
        for s in samples { groups[Key(department: s.department, category: s.category), default: []].append(s.minutes) }
        sorted = groups.mapValues { $0.sorted() }
    }

    public var sampleCount: Int { sorted.values.reduce(0) { $0 + $1.count } }

    /// The estimate for an open case in the handling stage; nil for other stages, suspended cases,
    /// or too few similar cases to say anything.
    public func estimate(for c: ServiceCase, at now: Date, context: LifecycleContext) -> RiskEstimate? {
        guard c.state == .dispatched, c.deadline != nil, let department = c.departmentCode,
              let times = sorted[Key(department: department, category: c.categoryKey)], times.count >= minSamples,
              let reading = Lifecycle.reading(of: c, at: now, context: context) else { return nil }
        let elapsed = max(0, reading.elapsedMinutes)
        // Similar cases that ran at least this long: the first index whose time is >= elapsed.
        var low = 0, high = times.count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < elapsed { low = mid + 1 } else { high = mid }
        }
        let longer = times[low...]
        let expected = longer.isEmpty ? elapsed : Self.median(longer)
        let atRisk = reading.remainingMinutes > 0 && !longer.isEmpty && expected > reading.budgetMinutes
        return RiskEstimate(department: department, category: c.categoryKey, windowDays: windowDays, sampleSize: times.count,
                            medianMinutes: Self.median(times[...]), conditionalSampleSize: longer.count, expectedMinutes: expected,
                            elapsedMinutes: reading.elapsedMinutes, budgetMinutes: reading.budgetMinutes,
                            remainingMinutes: reading.remainingMinutes, calendarTime: reading.calendarTime, atRisk: atRisk)
    }

    static func median(_ values: ArraySlice<Int>) -> Int {
        let n = values.count
        guard n > 0 else { return 0 }
        let start = values.startIndex
        return n % 2 == 1 ? values[start + n / 2] : (values[start + n / 2 - 1] + values[start + n / 2]) / 2
    }
}
