// The working hours of an ordinary week, and their editable text form.

/// Working hours for each weekday, as minutes of the local day (`510..<720` is 08:30–12:00).
///
/// Invariants (checked by every initializer): each day's intervals lie within `0...1440`, are
/// non-empty, sorted and do not overlap. Intervals that touch (`08:00-12:00,12:00-13:00`) are
/// merged into one, so `parse(description)` always gives back an equal schedule, although
/// `description` may not repeat the text it was parsed from character for character.
///
/// Text form, as people edit it:
///
///     mon-fri 08:30-12:00,13:30-17:30; sat 09:00-12:00
///
/// - Clauses are separated by `;`; empty clauses (a trailing `;`) are ignored.
/// - A clause is a day list, white space, then `off` or comma-separated `HH:MM-HH:MM` intervals.
/// - A day list is comma-separated days or ranges: `mon-fri`, `sat`, `mon,wed,fri`, `mon-wed,fri`.
///   Days are `mon tue wed thu fri sat sun` or the full English names, in any letter case.
///   Ranges run forwards within one week (`fri-mon` is an error).
/// - Hours have one or two digits, minutes two: `8:30` and `08:30` both work; `24:00` is allowed
///   as the end of an interval (midnight). An interval may not run past midnight; split it.
/// - Days not mentioned are days off. A day may appear in only one clause.
/// - The empty text (or only `off` clauses) is a schedule with no working time; its
///   `description` is the empty string.
public struct WeeklySchedule: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Seven lists of intervals, index 0 = Monday … 6 = Sunday.
    public let days: [[Range<Int>]]

    /// Validates and normalizes (sorts, merges touching intervals) seven interval lists,
    /// Monday first.
    public init(_ days: [[Range<Int>]]) throws {
        guard days.count == 7 else { throw WeeklyScheduleError.wrongDayCount(days.count) }
        var result: [[Range<Int>]] = []
        for (index, list) in days.enumerated() {
            result.append(try WeeklySchedule.normalize(list, day: WeeklySchedule.dayNames[index]))
        }
        self.days = result
    }

    /// The same schedule on each of `weekdays` (ISO numbers, 1 = Monday), nothing on the others.
    public init(weekdays: ClosedRange<Int>, intervals: [Range<Int>]) throws {
        try self.init((1...7).map { weekdays.contains($0) ? intervals : [] })
    }

    private init(unchecked days: [[Range<Int>]]) { self.days = days }

    /// Monday–Friday 08:30–12:00 and 13:30–17:30.
    public static let standard = WeeklySchedule(
        unchecked: (1...7).map { $0 <= 5 ? [510..<720, 810..<1050] : [] })

    /// Every day, all day: for calendars that run round the clock.
    public static let allDay = WeeklySchedule(unchecked: Array(repeating: [0..<1440], count: 7))

    /// No working time at all.
    public static let none = WeeklySchedule(unchecked: Array(repeating: [], count: 7))

    /// The intervals of ISO `weekday` (1 = Monday … 7 = Sunday).
    public func intervals(onWeekday weekday: Int) -> [Range<Int>] {
        precondition((1...7).contains(weekday), "weekday must be 1...7")
        return days[weekday - 1]
    }

    /// Working minutes on ISO `weekday`.
    public func minutes(onWeekday weekday: Int) -> Int {
        intervals(onWeekday: weekday).reduce(0) { $0 + $1.count }
    }

    /// The intervals of a make-up working day (调休, a day off declared a workday): Monday's if
    /// Monday has any, else those of the first weekday (Monday → Sunday) that has any, else none.
    public var makeUpDaySchedule: [Range<Int>] {
        days.first { !$0.isEmpty } ?? []
    }

    /// Working minutes of the longest weekday: one "working day" when a limit is given in days
    /// (480 for `standard`).
    public var standardDayMinutes: Int {
        days.map { $0.reduce(0) { $0 + $1.count } }.max() ?? 0
    }

    /// True when no weekday has any working time.
    public var isEmpty: Bool { days.allSatisfy(\.isEmpty) }

    // MARK: Text form

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let fullDayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Parses the text form described on the type. Throws a ``WeeklyScheduleError``.
    public init(parsing text: String) throws {
        var days: [[Range<Int>]?] = Array(repeating: nil, count: 7)
        for rawClause in text.split(separator: ";", omittingEmptySubsequences: false) {
            let words = rawClause.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if words.isEmpty { continue }
            let clause = words.joined(separator: " ")
            // Leading words that are neither times nor "off" form the day list ("mon - fri" works).
            var splitAt = 0
            while splitAt < words.count, !(words[splitAt].first?.isNumber ?? false),
                words[splitAt].lowercased() != "off"
            {
                splitAt += 1
            }
            let dayText = words[..<splitAt].joined()
            let timeText = words[splitAt...].joined()
            guard !dayText.isEmpty else { throw WeeklyScheduleError.missingDays(clause: clause) }
            guard !timeText.isEmpty else { throw WeeklyScheduleError.missingTimes(clause: clause) }
            let weekdays = try WeeklySchedule.parseDays(dayText)
            let intervals: [Range<Int>]
            if timeText.lowercased() == "off" {
                intervals = []
            } else {
                intervals = try timeText.split(separator: ",", omittingEmptySubsequences: false)
                    .map { try WeeklySchedule.parseInterval(String($0)) }
            }
            for weekday in weekdays {
                guard days[weekday - 1] == nil else {
                    throw WeeklyScheduleError.duplicateDay(WeeklySchedule.dayNames[weekday - 1])
                }
                days[weekday - 1] = try WeeklySchedule.normalize(intervals, day: WeeklySchedule.dayNames[weekday - 1])
            }
        }
        self.init(unchecked: days.map { $0 ?? [] })
    }

    /// The text form: consecutive days with equal hours are grouped (`mon-fri …`), days off
    /// are left out. `try WeeklySchedule(parsing: s.description) == s` always holds.
    public var description: String {
        var clauses: [String] = []
        var i = 0
        while i < 7 {
            guard !days[i].isEmpty else {
                i += 1
                continue
            }
            var j = i
            while j + 1 < 7, days[j + 1] == days[i] { j += 1 }
            let dayPart = i == j ? Self.dayNames[i] : "\(Self.dayNames[i])-\(Self.dayNames[j])"
            let times = days[i].map { "\(Self.formatMinute($0.lowerBound))-\(Self.formatMinute($0.upperBound))" }
            clauses.append("\(dayPart) \(times.joined(separator: ","))")
            i = j + 1
        }
        return clauses.joined(separator: "; ")
    }

    /// `HH:MM` for a minute of the day (0...1440).
    static func formatMinute(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }

    private static func parseDay(_ text: String) throws -> Int {
        let lower = text.lowercased()
        if let i = dayNames.firstIndex(of: lower) ?? fullDayNames.firstIndex(of: lower) { return i + 1 }
        throw WeeklyScheduleError.unknownDay(text)
    }

    private static func parseDays(_ text: String) throws -> [Int] {
        var result: [Int] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = item.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 1:
                result.append(try parseDay(parts[0]))
            case 2:
                let from = try parseDay(parts[0]), to = try parseDay(parts[1])
                guard from <= to else { throw WeeklyScheduleError.backwardsDayRange(String(item)) }
                result.append(contentsOf: from...to)
            default:
                throw WeeklyScheduleError.unknownDay(String(item))
            }
        }
        return result
    }

    /// `H:MM` or `HH:MM`, 00:00 ... 24:00.
    private static func parseTime(_ text: String) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
            parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let h = Int(parts[0]), let m = Int(parts[1]), m < 60, h < 24 || (h == 24 && m == 0)
        else { throw WeeklyScheduleError.badTime(text) }
        return h * 60 + m
    }

    private static func parseInterval(_ text: String) throws -> Range<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw WeeklyScheduleError.badInterval(text)
        }
        let start = try parseTime(parts[0]), end = try parseTime(parts[1])
        guard start < end else { throw WeeklyScheduleError.endNotAfterStart(text) }
        return start..<end
    }

    private static func normalize(_ list: [Range<Int>], day: String) throws -> [Range<Int>] {
        for r in list {
            guard r.lowerBound >= 0, r.upperBound <= 1440 else {
                throw WeeklyScheduleError.outsideDay(day: day, interval: format(r))
            }
            guard !r.isEmpty else { throw WeeklyScheduleError.endNotAfterStart(format(r)) }
        }
        let sorted = list.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for r in sorted {
            if let last = merged.last {
                if r.lowerBound < last.upperBound {
                    throw WeeklyScheduleError.overlap(day: day, first: format(last), second: format(r))
                }
                if r.lowerBound == last.upperBound {
                    merged[merged.count - 1] = last.lowerBound..<r.upperBound
                    continue
                }
            }
            merged.append(r)
        }
        return merged
    }

    private static func format(_ r: Range<Int>) -> String {
        guard r.lowerBound >= 0, r.upperBound <= 1440 else { return "\(r.lowerBound)..<\(r.upperBound) min" }
        return "\(formatMinute(r.lowerBound))-\(formatMinute(r.upperBound))"
    }

    // MARK: Codable as the text form

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Why a ``WeeklySchedule`` could not be parsed or built. `description` is a sentence to show
/// to the person who edited the schedule.
public enum WeeklyScheduleError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownDay(String)
    case backwardsDayRange(String)
    case missingDays(clause: String)
    case missingTimes(clause: String)
    case badTime(String)
    case badInterval(String)
    case endNotAfterStart(String)
    case overlap(day: String, first: String, second: String)
    case duplicateDay(String)
    case outsideDay(day: String, interval: String)
    case wrongDayCount(Int)

    public var description: String {
        switch self {
        case .unknownDay(let s):
            return "unknown day \"\(s)\" (use mon, tue, wed, thu, fri, sat, sun or ranges like mon-fri)"
        case .backwardsDayRange(let s):
            return "day range \"\(s)\" runs backwards (a range goes from Monday towards Sunday; split it)"
        case .missingDays(let c):
            return "clause \"\(c)\" does not start with days (write e.g. \"mon-fri 08:30-12:00\")"
        case .missingTimes(let c):
            return "clause \"\(c)\" has no working hours (write e.g. \"\(c) 08:30-12:00\" or \"\(c) off\")"
        case .badTime(let s):
            return "\"\(s)\" is not a time of day (use HH:MM from 00:00 to 24:00)"
        case .badInterval(let s):
            return "\"\(s)\" is not an interval (use HH:MM-HH:MM, e.g. 08:30-12:00)"
        case .endNotAfterStart(let s):
            return "interval \(s) ends before or when it starts (an interval cannot run past midnight; split it at 24:00)"
        case .overlap(let day, let a, let b):
            return "on \(day), \(a) overlaps \(b)"
        case .duplicateDay(let d):
            return "\(d) appears in more than one clause"
        case .outsideDay(let day, let r):
            return "on \(day), interval \(r) is outside the day (minutes 0 to 1440)"
        case .wrongDayCount(let n):
            return "a weekly schedule needs 7 days of intervals, got \(n)"
        }
    }
}
