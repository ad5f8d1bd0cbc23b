import Foundation

/// How far a stage's clock has run, in the stage's own kind of time (working minutes, or calendar minutes
/// for urgent categories). The ratio makes stages of very different lengths comparable: a 30-minute verify
/// 30 minutes late (2.0) is worse than a 15-day job an hour late (about 1.01).
public struct StageReading: Sendable, Equatable {
    public var budgetMinutes: Int
    /// Negative once the deadline has passed.
    public var remainingMinutes: Int
    public var calendarTime: Bool

    public init(budgetMinutes: Int, remainingMinutes: Int, calendarTime: Bool) {
        self.budgetMinutes = budgetMinutes; self.remainingMinutes = remainingMinutes; self.calendarTime = calendarTime
    }

    public var elapsedMinutes: Int { budgetMinutes - remainingMinutes }
    public var overdueMinutes: Int { max(0, -remainingMinutes) }

    /// Elapsed over budget: 1.0 at the deadline. A zero budget counts as one minute, so the ratio stays finite.
    public var ratio: Double { Double(elapsedMinutes) / Double(max(1, budgetMinutes)) }

    public var ratioText: String { Self.format(ratio) }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }
}
