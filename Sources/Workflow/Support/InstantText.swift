import Foundation

/// The one grammar of the instants CityGrid reads (`--at`, `CITYGRID_NOW`, import columns, Open311 dates) and
/// the arithmetic that turns them into seconds and back. `InstantFormat` and the import's `FastInstant` both
/// parse through `scan`, so the two can never disagree.
///
/// Strict on purpose, where Foundation's parsers are not: they roll 2026-02-30 over to March 2, take a UTC
/// offset of any size, and read dates before 1582 in the Julian calendar while `LocalDate` and the database
/// count days in the proleptic Gregorian one.
///
///     instant = date [ ("T" / " ") time [ zone ] ]          surrounding blanks are ignored
///     date    = 4DIGIT "-" 2DIGIT "-" 2DIGIT                0001-01-01 … 9999-12-31, a day that exists
///     time    = 2DIGIT ":" 2DIGIT [ ":" 2DIGIT [ "." 1*9DIGIT ] ]    00:00:00 … 23:59:59
///     zone    = "Z" / ( "+" / "-" ) 2DIGIT ":" 2DIGIT       at most 14:00 either way
///
/// Digits are ASCII only. Second 60 is refused: leap seconds do not exist in Unix time, which is what the
/// database stores. Without a zone the time is the wall clock of the site's time zone (`local(…)`).
public struct InstantText: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour = 0
    public var minute = 0
    public var second = 0
    public var nanosecond = 0
    /// Seconds east of UTC; nil for a wall-clock time in the site's zone.
    public var offset: Int?

    /// The largest UTC offset in use anywhere (Kiribati, +14:00) and the smallest (−12:00) fit inside ±14:00.
    public static let maxOffsetSeconds = 14 * 3600

    /// Why a text is not an instant.
    public enum Problem: Error, Equatable, Sendable {
        /// Not the grammar at all.
        case syntax
        /// The grammar, with a value out of range (a 30th of February, minute 60, offset +15:00 …).
        case range(String)
    }

    /// Reads `bytes`; blanks (space, tab) around the text are ignored.
    public static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<InstantText, Problem> {
        var lo = 0, hi = bytes.count
        while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 { lo += 1 }
        while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 { hi -= 1 }
        var i = lo
        func digits(_ count: Int) -> Int? {
            guard hi - i >= count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                let d = Int(bytes[k]) &- 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            i += count
            return value
        }
        func take(_ c: UInt8) -> Bool {
            guard i < hi, bytes[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2) else { return .failure(.syntax) }
        var result = InstantText(year: year, month: month, day: day)
        if i < hi {
            guard take(0x54) || take(0x20), let hour = digits(2), take(0x3A), let minute = digits(2) else { return .failure(.syntax) }
            result.hour = hour
            result.minute = minute
            if take(0x3A) {
                guard let second = digits(2) else { return .failure(.syntax) }
                result.second = second
                if take(0x2E) {
                    var count = 0, nanos = 0
                    while i < hi, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                        count += 1
                        guard count <= 9 else { return .failure(.syntax) }
                        nanos = nanos * 10 + Int(bytes[i] - 0x30)
                        i += 1
                    }
                    guard count > 0 else { return .failure(.syntax) }
                    for _ in count..<9 { nanos *= 10 }
                    result.nanosecond = nanos
                }
            }
            if take(0x5A) {
                result.offset = 0
            } else if i < hi, bytes[i] == 0x2B || bytes[i] == 0x2D {
                let sign = bytes[i] == 0x2B ? 1 : -1
                i += 1
                guard let oh = digits(2), take(0x3A), let om = digits(2) else { return .failure(.syntax) }
                guard om < 60, oh * 3600 + om * 60 <= maxOffsetSeconds else {
                    return .failure(.range("the UTC offset \(sign > 0 ? "+" : "-")\(String(zeroPadded: oh, width: 2)):\(String(zeroPadded: om, width: 2)) is beyond ±14:00"))
                }
                result.offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == hi else { return .failure(.syntax) }
        guard (1...9999).contains(year) else { return .failure(.range("year \(String(zeroPadded: year, width: 4)) is outside 0001–9999")) }
        guard (1...12).contains(month) else { return .failure(.range("there is no month \(month)")) }
        let length = LocalDate.daysInMonth(year: year, month: month)
        guard (1...length).contains(day) else {
            return .failure(.range(day == 0 ? "there is no day 0" : "\(monthNames[month - 1]) \(year) has \(length) days"))
        }
        guard result.hour < 24 else { return .failure(.range("hour \(result.hour) does not exist; the day ends at 23:59:59")) }
        guard result.minute < 60 else { return .failure(.range("minute \(result.minute) does not exist")) }
        guard result.second < 60 else {
            return .failure(.range(result.second == 60 ? "second 60 (a leap second) is not counted: times are Unix seconds" : "second \(result.second) does not exist"))
        }
        return .success(result)
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                             "November", "December"]

    /// Seconds since 1970-01-01T00:00:00 of the wall-clock reading (no zone applied).
    public var localSeconds: Int64 {
        Int64(LocalDate.dayNumber(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The instant, with the offset written in the text or, without one, in `zone` (nil when that wall-clock
    /// time does not exist there: the clocks skip it; a time that occurs twice gives its first occurrence).
    public func instant(in zone: TimeZone) -> Date? {
        let local = localSeconds
        let seconds: Int64
        if let offset {
            seconds = local - Int64(offset)
        } else {
            guard let found = Self.firstInstant(ofLocal: local, in: zone) else { return nil }
            seconds = found
        }
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanosecond) / 1e9)
    }

    /// The earliest instant at which `zone`'s wall clock reads `local`, nil in a gap.
    static func firstInstant(ofLocal local: Int64, in zone: TimeZone) -> Int64? {
        func offset(_ t: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t)))) }
        let candidates = Set([offset(local - 86_400), offset(local), offset(local + 86_400)]).sorted(by: >)
        for o in candidates where offset(local - o) == o { return local - o }
        return nil
    }

    // MARK: Writing

    /// `2026-11-25T09:30:00+08:00` (`Z` for a zero offset, `+05:43:08` for an offset with seconds), for any
    /// instant: beyond years 1–9999 the year is written as it is (`-100000-…`, `12000-…`), never a crash.
    public static func string(seconds: Int64, offset: Int) -> String {
        let (y, m, d, rest) = civil(seconds, offset: offset)
        var text = yearText(y) + "-" + two(m) + "-" + two(d) + "T" + two(rest / 3600) + ":" + two(rest % 3600 / 60) + ":" + two(rest % 60)
        if offset == 0 { return text + "Z" }
        let o = abs(offset)
        text += (offset < 0 ? "-" : "+") + two(o / 3600) + ":" + two(o % 3600 / 60)
        if o % 60 != 0 { text += ":" + two(o % 60) }
        return text
    }

    /// `11-25 09:30`.
    public static func short(seconds: Int64, offset: Int) -> String {
        let (_, m, d, rest) = civil(seconds, offset: offset)
        return two(m) + "-" + two(d) + " " + two(rest / 3600) + ":" + two(rest % 3600 / 60)
    }

    /// Year, month, day and second of the day of `seconds` read at `offset` (overflow saturates).
    static func civil(_ seconds: Int64, offset: Int) -> (Int, Int, Int, Int) {
        let local = seconds.addingReportingOverflow(Int64(offset))
        let value = local.overflow ? (offset > 0 ? Int64.max : Int64.min) : local.partialValue
        var days = value / 86_400
        var rest = value % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = LocalDate.civil(dayNumber: Int(days))
        return (y, m, d, Int(rest))
    }

    static func two(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }

    static func yearText(_ y: Int) -> String { (0..<10_000).contains(y) ? String(zeroPadded: y, width: 4) : String(y) }
}

extension Date {
    /// Whole Unix seconds, rounded down; saturates instead of trapping for instants beyond Int64 (a damaged
    /// database can hold any 64-bit number, and `Date(storageSeconds: .max)` rounds up past it).
    var saturatedSeconds: Int64 {
        let t = timeIntervalSince1970.rounded(.down)
        if t.isNaN { return 0 }
        if t >= 9_223_372_036_854_775_808.0 { return .max }
        if t < -9_223_372_036_854_775_808.0 { return .min }
        return Int64(t)
    }
}
