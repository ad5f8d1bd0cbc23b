import Foundation

/// When a time may lie (issue 13): every time that comes in (a `--at`, the clock or `CITYGRID_NOW`, an imported
/// `reported_at` or `updated_at`, the console's clock) must fall inside the site's window before anything is
/// written with it, so that a typo such as 9999-12-31 or 0001-01-01 can never freeze a case or poison the figures.
///
/// - Not before the **anchor** minus `pastYears` years (default 10). The anchor is the first day of the first
///   year the working calendar holds (`calendar import`), else the day the site was created, else (a site made
///   before the window existed, with no calendar) the clock itself.
/// - Not more than `futureMinutes` (default 5) after the clock: the real time, or `CITYGRID_NOW` when set.
/// - And never outside ``limits`` (1900 to 2199), whatever the setting: the span the working calendar can
///   compute with quickly and every view can show.
///
/// The site's admin changes the two numbers with `citygrid site set-time-window`; they are kept in the
/// `time_window` table (migration "v9 time window").
public struct TimeWindow: Sendable, Equatable {
    /// Every time CityGrid accepts lies in 1900-01-01T00:00:00Z ..< 2200-01-01T00:00:00Z (Unix seconds).
    public static let limits: Range<Int64> = -2_208_988_800 ..< 7_258_118_400
    public static let defaultPastYears = 10
    public static let defaultFutureMinutes = 5
    public static let pastYearsRange = 0...100
    public static let futureMinutesRange = 0...1440

    /// Where the lower bound counts back from.
    public enum Anchor: Sendable, Equatable {
        /// The first day of the first year in the working calendar.
        case calendar(LocalDate)
        /// The day the site was created.
        case siteCreated(LocalDate)
    }

    public var pastYears: Int
    public var futureMinutes: Int
    public var anchor: Anchor?
    public var timeZone: TimeZone

    public init(pastYears: Int = defaultPastYears, futureMinutes: Int = defaultFutureMinutes, anchor: Anchor? = nil,
                timeZone: TimeZone) {
        self.pastYears = pastYears
        self.futureMinutes = futureMinutes
        self.anchor = anchor
        self.timeZone = timeZone
    }

    /// The earliest time accepted when the clock reads `now`.
    public func earliest(now: Date) -> Date {
        let floor = Date(timeIntervalSince1970: Double(Self.limits.lowerBound))
        let day: LocalDate
        switch anchor {
        case .calendar(let d)?, .siteCreated(let d)?: day = d
        case nil:
            let s = Self.clamped(now)
            let (y, m, d, _) = InstantText.civil(s, offset: timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s))))
            guard let today = LocalDate(year: y, month: m, day: d) else { return floor }
            day = today
        }
        let year = day.year - pastYears
        guard year >= 1, let back = LocalDate(year: year, month: day.month, day: min(day.day, LocalDate.daysInMonth(year: year, month: day.month)))
        else { return floor }
        let local = Int64(back.dayNumber) * 86_400
        let start = InstantText.firstInstant(ofLocal: local, in: timeZone) ?? local - Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local))))
        return Date(timeIntervalSince1970: Double(max(start, Self.limits.lowerBound)))
    }

    /// The latest time accepted when the clock reads `now`.
    public func latest(now: Date) -> Date {
        let end = Date(timeIntervalSince1970: Double(Self.limits.upperBound - 1))
        return min(now.addingTimeInterval(Double(futureMinutes) * 60), end)
    }

    /// Whether `instant` may be used when the clock reads `now`.
    public func contains(_ instant: Date, now: Date) -> Bool {
        instant >= earliest(now: now) && instant <= latest(now: now)
    }

    /// Refuses (invalid input, exit 2) a time outside the window, naming it. `what` says which time it is:
    /// "--at", "reported_at", "the clock"; `typed`, the text it was read from (else it is printed in the site's zone).
    public func check(_ instant: Date, now: Date, what: String, typed: String? = nil) throws(WorkflowError) {
        guard !contains(instant, now: now) else { return }
        let format = InstantFormat(timeZone: timeZone)
        let shown = typed.map { $0.trimmingCharacters(in: .whitespaces) } ?? format.string(instant)
        throw .invalidInput("\(what) \(shown) is outside the site's time window: from \(format.string(earliest(now: now))) "
                            + "to \(format.string(latest(now: now))) (\(rule))")
    }

    /// How the window is made, in words: `calendar start 2026-01-01 minus 10 years, now plus 5 minutes`.
    public var rule: String {
        let from = switch anchor {
        case .calendar(let d)?: "calendar start \(d)"
        case .siteCreated(let d)?: "site created \(d)"
        case nil: "now"
        }
        return "\(from) minus \(pastYears) year\(pastYears == 1 ? "" : "s"), now plus \(futureMinutes) minute\(futureMinutes == 1 ? "" : "s")"
    }

    /// Unix seconds of `date`, held within ``limits``.
    public static func clamped(_ date: Date) -> Int64 {
        min(max(date.saturatedSeconds, limits.lowerBound), limits.upperBound - 1)
    }

    /// Whether a stored instant (Unix seconds) is one CityGrid could have written.
    public static func isPlausible(_ seconds: Int64) -> Bool { limits.contains(seconds) }

    /// Whether an instant lies within ``limits``.
    public static func isPlausible(_ date: Date) -> Bool { limits.contains(date.saturatedSeconds) }
}
