// A stage's time limit, in working or in calendar time.

import Foundation

/// A time limit: working minutes (by a ``WorkingCalendar``) or calendar minutes (24/7, for
/// urgent categories). `Codable` as `{"working":{"minutes":240}}` (Swift's synthesized form).
public enum TimeBudget: Hashable, Sendable, Codable, CustomStringConvertible {
    case working(minutes: Int)
    case calendar(minutes: Int)

    /// `days` working days of `schedule` (days × ``WeeklySchedule/standardDayMinutes``).
    public static func workingDays(_ days: Int, of schedule: WeeklySchedule = .standard) -> TimeBudget {
        .working(minutes: days * schedule.standardDayMinutes)
    }

    /// `hours` working hours.
    public static func workingHours(_ hours: Int) -> TimeBudget { .working(minutes: hours * 60) }

    /// `hours` hours of calendar time.
    public static func calendarHours(_ hours: Int) -> TimeBudget { .calendar(minutes: hours * 60) }

    public var minutes: Int {
        switch self {
        case .working(let m), .calendar(let m): return m
        }
    }

    /// The instant the budget runs out when its clock starts at `start`.
    /// Calendar time ignores the calendar (and never throws).
    public func deadline(from start: Date, calendar: WorkingCalendar) throws -> Date {
        switch self {
        case .working(let m): return try calendar.adding(workingMinutes: m, to: start)
        case .calendar(let m): return calendar.adding(calendarMinutes: m, to: start)
        }
    }

    /// Whole minutes of this budget's kind elapsed from `from` to `to` (0 when `to <= from`),
    /// rounded down.
    public func elapsed(from: Date, to: Date, calendar: WorkingCalendar) -> Int {
        switch self {
        case .working: return calendar.workingMinutes(from: from, to: to)
        case .calendar:
            guard to > from else { return 0 }
            return Int((to.timeIntervalSince(from) / 60).rounded(.down))
        }
    }

    public var description: String {
        switch self {
        case .working(let m): return "\(m) working min"
        case .calendar(let m): return "\(m) calendar min"
        }
    }
}
