import Foundation

// Not `Clock`: the standard library already owns that name.
/// Workflow never reads the time itself: "now" is passed in, so every rule can be tested at Friday 16:59.
public protocol WallClock: Sendable {
    func now() -> Date
}

public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}

public struct FixedClock: WallClock {
    public var instant: Date
    public init(_ instant: Date) { self.instant = instant }
    public func now() -> Date { instant }
}

/// Reads and writes the instants the CLI takes (`--at`, `CITYGRID_NOW`) and prints.
public struct InstantFormat: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) { self.timeZone = timeZone }

    /// Accepts ISO-8601 with an offset or `Z` (`2026-11-25T09:30:00+08:00`), and local forms in the
    /// site's time zone without one (`2026-11-25T09:30`, `2026-11-25 09:30:15`, `2026-11-25`); the grammar
    /// and what it refuses (2026-02-30, hour 24, second 60, offsets beyond ±14:00 …) are `InstantText`'s.
    public func parse(_ text: String) throws(WorkflowError) -> Date {
        var copy = text
        let scanned = copy.withUTF8 { InstantText.scan($0) }
        switch scanned {
        case .success(let fields):
            guard let date = fields.instant(in: timeZone) else {
                throw .invalidInput("'\(text)' does not exist in \(timeZone.identifier): the clocks skip that time")
            }
            return date
        case .failure(.range(let why)):
            throw .invalidInput("'\(text)' is not a valid time: \(why)")
        case .failure(.syntax):
            // Blanks other than space and tab (an ideographic space …) around a valid text.
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed != text, !trimmed.isEmpty { return try parse(trimmed) }
            throw .invalidInput("'\(text)' is not a time; use ISO-8601 such as 2026-11-25T09:30:00+08:00")
        }
    }

    /// `2026-11-25T09:30:00+08:00`: local time with its offset, readable and exact (`Z` at offset zero).
    /// Any instant prints, however absurd (a damaged database may hold one).
    public func string(_ date: Date) -> String {
        let seconds = date.saturatedSeconds
        return InstantText.string(seconds: seconds, offset: offset(at: date, seconds))
    }

    /// `11-25 09:30`, for tables.
    public func short(_ date: Date) -> String {
        let seconds = date.saturatedSeconds
        return InstantText.short(seconds: seconds, offset: offset(at: date, seconds))
    }

    /// The zone's offset, asked only for instants in years 1–9999 (UTC beyond: no zone rule reaches there).
    func offset(at date: Date, _ seconds: Int64) -> Int {
        (-62_135_596_800...253_402_300_799).contains(seconds) ? timeZone.secondsFromGMT(for: date) : 0
    }
}
