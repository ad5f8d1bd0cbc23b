import Foundation

/// One named shift of the roster: local start and end minute of the day. A shift whose end is at or before its
/// start crosses midnight and ends on the next day (`night=20:00-08:00`); `00:00-00:00` is a whole day.
public struct ShiftTime: Sendable, Equatable, Codable {
    public var name: String
    /// Minutes after local midnight, 0...1439.
    public var start: Int
    /// Minutes after local midnight, 0...1440 (24:00 is the next midnight).
    public var end: Int

    public init(name: String, start: Int, end: Int) { self.name = name; self.start = start; self.end = end }

    /// How long the shift lasts on the wall clock, in minutes (1...1440).
    public var minutes: Int { end > start ? end - start : end + 1440 - start }

    /// The instants the shift runs on `date` (its start day), in the calendar's zone: start included, end excluded.
    public func interval(on date: LocalDate, calendar: WorkingCalendar) -> Range<Date> {
        let from = calendar.date(of: date, minuteOfDay: start)
        let to = calendar.date(of: date, minuteOfDay: start + minutes)
        return from ..< max(from, to)
    }

    static func hhmm(_ minute: Int) -> String { String(format: "%02d:%02d", minute / 60, minute % 60) }
    public var description: String { "\(name)=\(Self.hhmm(start))-\(Self.hhmm(end))" }
}

/// The patrol settings of a site (keys in the `site` table; defaults when a key is absent).
public struct PatrolSettings: Sendable, Equatable {
    /// `roster.shifts`: the shift names a roster may use and their local times, `day=08:00-20:00,night=20:00-08:00`.
    public var shifts: [ShiftTime] = PatrolSettings.defaultShifts
    /// `patrol.interval_hours`: every cell should be visited this often; coverage counts visits in this many hours,
    /// and a cell not visited for longer is listed as neglected.
    public var intervalHours: Int = 24

    public static let defaultShifts = [ShiftTime(name: "day", start: 8 * 60, end: 20 * 60),
                                       ShiftTime(name: "night", start: 20 * 60, end: 8 * 60)]
    public static let keys = ["roster.shifts", "patrol.interval_hours"]
    public static let intervalRange = 1...24 * 366

    public init() {}

    /// Reads the settings from the site's key/value pairs; a malformed value is named, not ignored.
    public init(values: [String: String]) throws(WorkflowError) {
        if let text = values["roster.shifts"] {
            do { shifts = try Self.parseShifts(text) } catch {
                throw .storage("site setting roster.shifts is '\(text)': \(error.message)")
            }
        }
        if let text = values["patrol.interval_hours"] {
            guard let hours = Int(text), Self.intervalRange.contains(hours) else {
                throw .storage("site setting patrol.interval_hours is '\(text)'; it must be 1 to \(Self.intervalRange.upperBound)")
            }
            intervalHours = hours
        }
    }

    public var values: [String: String] {
        ["roster.shifts": shifts.map(\.description).joined(separator: ","), "patrol.interval_hours": String(intervalHours)]
    }

    public func shift(named name: String) -> ShiftTime? { shifts.first { $0.name == name } }

    /// `day=08:00-20:00,night=20:00-08:00`: names of letters, digits, `-` and `_`, each once; times HH:MM (24:00 as an end).
    public static func parseShifts(_ text: String) throws(WorkflowError) -> [ShiftTime] {
        var result: [ShiftTime] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            let pieces = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else { throw .invalidInput("shift '\(item)' is not NAME=HH:MM-HH:MM") }
            let name = pieces[0].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 32,
                  name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }) else {
                throw .invalidInput("shift name '\(name)' must be 1 to 32 letters, digits, - or _")
            }
            guard !result.contains(where: { $0.name == name }) else { throw .invalidInput("shift \(name) is named twice") }
            let times = pieces[1].split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard times.count == 2, let start = minute(times[0]), start < 1440, let end = minute(times[1]) else {
                throw .invalidInput("shift \(name)'s times '\(pieces[1])' are not HH:MM-HH:MM")
            }
            result.append(ShiftTime(name: name, start: start, end: end))
        }
        guard !result.isEmpty else { throw .invalidInput("at least one shift NAME=HH:MM-HH:MM is needed") }
        return result
    }

    /// `HH:MM`, 00:00 to 24:00.
    static func minute(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }
}
