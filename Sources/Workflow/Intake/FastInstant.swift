import Foundation

/// ISO-8601 instants for bulk import and export: Foundation's formatters cost tens of microseconds a
/// call, a million-row file calls them a million times. Parsing is `InstantFormat`'s, which reads the
/// `InstantText` grammar byte by byte (no formatter; the zone is asked only for a time without an offset),
/// so an import and `--at` accept and refuse exactly the same texts.
public struct FastInstant: Sendable {
    public let timeZone: TimeZone
    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    public func parse(_ text: String) throws(WorkflowError) -> Date {
        try InstantFormat(timeZone: timeZone).parse(text)
    }

    /// `2026-11-25T10:30:00+08:00` in the site's zone (`Z` only for the zone named UTC).
    public func string(_ date: Date) -> String {
        let seconds = date.saturatedSeconds
        let offset = InstantFormat(timeZone: timeZone).offset(at: date, seconds)
        var text = InstantText.string(seconds: seconds, offset: offset)
        if offset == 0, timeZone.identifier != "UTC" { text.removeLast(); text += "+00:00" }
        return text
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
