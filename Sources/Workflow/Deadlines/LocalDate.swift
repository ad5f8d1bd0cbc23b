// A calendar date without a time or a time zone, in the proleptic Gregorian calendar.

/// A date as people write it on a calendar: year, month and day, with no time of day and no
/// time zone. Which instants a `LocalDate` covers depends on a time zone, see
/// ``WorkingCalendar/localDate(of:)`` and ``WorkingCalendar/date(of:minuteOfDay:)``.
///
/// - Text form: strictly `YYYY-MM-DD` (four-digit year 0001–9999, two-digit month and day).
///   `"2026-2-3"`, `"2026-02-30"`, `" 2026-02-03"` and `"2026/02/03"` are all rejected.
/// - `Codable` as that text form (a single JSON string such as `"2026-10-01"`).
/// - `dayNumber` counts days since 1970-01-01 (which is day 0, a Thursday); negative before.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    LosslessStringConvertible
{
    public let year: Int
    public let month: Int
    public let day: Int

    /// A validated date, or nil when the day does not exist (2026-02-30, month 13, day 0 …).
    /// Years are limited to 1...9999 so that every date has a `YYYY-MM-DD` text form.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            day >= 1, day <= LocalDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses the strict `YYYY-MM-DD` form; nil for anything else (see the type's documentation).
    public init?(string: String) {
        let u = Array(string.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let c = u[i]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
            }
            return value
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Same as `init?(string:)`, for `LosslessStringConvertible`.
    public init?(_ description: String) { self.init(string: description) }

    /// Day numbers of 0001-01-01 and 9999-12-31, the first and last dates a `LocalDate` holds.
    public static let dayNumberRange: ClosedRange<Int> = -719_162 ... 2_932_896

    /// The date `dayNumber` days after 1970-01-01 (negative: before). Outside years 1...9999 it saturates at
    /// 0001-01-01 or 9999-12-31, so that a time read from a damaged or hand-edited database (year −100000,
    /// `Int64.max`) never stops a view; `init?(exactDayNumber:)` says whether the day exists.
    public init(dayNumber: Int) {
        let n = min(max(dayNumber, LocalDate.dayNumberRange.lowerBound), LocalDate.dayNumberRange.upperBound)
        let (y, m, d) = LocalDate.civil(dayNumber: n)
        self.year = y
        self.month = m
        self.day = d
    }

    /// The date `dayNumber` days after 1970-01-01, or nil outside years 1...9999.
    public init?(exactDayNumber dayNumber: Int) {
        guard LocalDate.dayNumberRange.contains(dayNumber) else { return nil }
        self.init(dayNumber: dayNumber)
    }

    /// Year, month and day of a day number, for any day number (no range check; Howard Hinnant's civil_from_days).
    public static func civil(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 (that day is 0).
    public var dayNumber: Int { LocalDate.dayNumber(year: year, month: month, day: day) }

    /// Days since 1970-01-01 of any proleptic Gregorian date (no range check; Howard Hinnant's days_from_civil).
    public static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var weekday: Int { LocalDate.weekday(ofDayNumber: dayNumber) }

    /// ISO weekday (1 = Monday … 7 = Sunday) of a day number; 1970-01-01 was a Thursday.
    @inlinable
    public static func weekday(ofDayNumber n: Int) -> Int {
        let r = (n + 3) % 7
        return (r < 0 ? r + 7 : r) + 1
    }

    /// The date `days` later (earlier when negative), held within 0001-01-01 ... 9999-12-31.
    public func adding(days: Int) -> LocalDate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        return LocalDate(dayNumber: overflow ? (days < 0 ? .min : .max) : sum)
    }

    /// The same day `months` later (earlier when negative), the day held to the month's length (01-31 + 1 month is
    /// 02-28), and the date within 0001-01-01 ... 9999-12-31.
    public func adding(months: Int) -> LocalDate {
        let index = (year * 12 + month - 1).addingReportingOverflow(months)
        guard !index.overflow else { return months < 0 ? LocalDate(year: 1, month: 1, day: 1)! : LocalDate(year: 9999, month: 12, day: 31)! }
        let y = index.partialValue >= 0 ? index.partialValue / 12 : -1, m = index.partialValue >= 0 ? index.partialValue % 12 + 1 : 1
        if y < 1 { return LocalDate(year: 1, month: 1, day: 1)! }
        if y > 9999 { return LocalDate(year: 9999, month: 12, day: 31)! }
        return LocalDate(year: y, month: m, day: min(day, Self.daysInMonth(year: y, month: m)))!
    }

    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(String(zeroPadded: year, width: 4))-\(String(zeroPadded: month, width: 2))-\(String(zeroPadded: day, width: 2))"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(string: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a valid YYYY-MM-DD date")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
