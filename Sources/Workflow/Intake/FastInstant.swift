import Foundation

/// ISO-8601 instants for bulk import and export: Foundation's formatters cost tens of microseconds a
/// call, a million-row file calls them a million times. Handles `YYYY-MM-DDTHH:MM:SS` with `Z` or `±HH:MM`
/// (what export writes); anything else falls back to `InstantFormat`.
public struct FastInstant: Sendable {
    public let timeZone: TimeZone
    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public func parse(_ text: String) throws(WorkflowError) -> Date {
        let bytes = Array(text.utf8)
        if let seconds = Self.parseFixed(bytes) { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        // The export form with an impossible date (Foundation's parser would roll 02-30 over to March).
        if (bytes.count == 20 || bytes.count == 25) && bytes.count > 10 && bytes[10] == UInt8(ascii: "T") {
            throw .invalidInput("'\(text)' is not a valid time")
        }
        return try InstantFormat(timeZone: timeZone).parse(text)
    }

    static func parseFixed(_ b: [UInt8]) -> Int64? {
        guard b.count == 20 || b.count == 25 else { return nil }
        func digits(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard (0...9).contains(d) else { return nil }
                v = v * 10 + d
            }
            return v
        }
        guard b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
              b[16] == UInt8(ascii: ":"),
              let y = digits(0, 4), let m = digits(5, 2), let d = digits(8, 2), let hh = digits(11, 2), let mm = digits(14, 2),
              let ss = digits(17, 2), (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 60,
              d <= daysIn(month: m, year: y) else { return nil }
        var offset = 0
        if b.count == 20 {
            guard b[19] == UInt8(ascii: "Z") else { return nil }
        } else {
            guard b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"), b[22] == UInt8(ascii: ":"),
                  let oh = digits(20, 2), let om = digits(23, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[19] == UInt8(ascii: "+") ? 1 : -1)
        }
        let days = daysFromCivil(y, m, d)
        return Int64(days) * 86_400 + Int64(hh * 3600 + mm * 60 + ss - offset)
    }

    /// `2026-11-25T10:30:00+08:00` in the site's zone.
    public func string(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let offset = timeZone.secondsFromGMT(for: date)
        let local = seconds + Int64(offset)
        var days = local / 86_400
        var rest = local % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = Self.civilFromDays(Int(days))
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset)
        let zone = offset == 0 && timeZone.identifier == "UTC" ? "Z" : "\(sign)\(two(o / 3600)):\(two(o % 3600 / 60))"
        let year = y >= 0 && y < 10_000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
        return "\(year)-\(two(m))-\(two(d))T\(two(Int(rest / 3600))):\(two(Int(rest % 3600 / 60))):\(two(Int(rest % 60)))\(zone)"
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// The cell whose centre is nearest a point, from cells held in memory in buckets of about 500 m.
struct CellLocator {
    private var buckets: [Int64: [(code: String, lat: Double, lon: Double)]] = [:]
    static let step = 0.005
    var maxMeters = 150.0

    init(_ cells: [(code: String, lat: Double, lon: Double)]) {
        for cell in cells { buckets[Self.key(cell.lat, cell.lon), default: []].append(cell) }
    }

    static func key(_ lat: Double, _ lon: Double) -> Int64 { key(Int64((lat / step).rounded(.down)), Int64((lon / step).rounded(.down))) }
    static func key(_ y: Int64, _ x: Int64) -> Int64 { y &* 1_000_003 &+ x }

    func nearest(lat: Double, lon: Double) -> String? {
        let y = Int64((lat / Self.step).rounded(.down)), x = Int64((lon / Self.step).rounded(.down))
        var best: (String, Double)?
        for dy in -1...1 {
            for dx in -1...1 {
                for cell in buckets[Self.key(y + Int64(dy), x + Int64(dx))] ?? [] {
                    let d = DuplicateRule.meters(from: (lat, lon), to: (cell.lat, cell.lon))
                    if d <= maxMeters, d < (best?.1 ?? .infinity) { best = (cell.code, d) }
                }
            }
        }
        return best?.0
    }
}
