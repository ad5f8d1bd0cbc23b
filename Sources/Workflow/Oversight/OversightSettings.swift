import Foundation

/// The shift leads' site settings (keys in the `site` table; defaults when a key is absent).
public struct OversightSettings: Sendable, Equatable {
    /// `escalation.threshold`: a district command center's case escalates to the city automatically once its
    /// stage clock has run this many times its budget (1.5 = half as long again as allowed).
    public var escalationThreshold: Double = 1.5
    /// `risk.window_days`: how far back closed cases count for the at-risk estimate.
    public var riskWindowDays: Int = 30
    /// `risk.min_samples`: fewer similar closed cases than this and no at-risk flag is raised.
    public var riskMinSamples: Int = 5
    /// `shift.starts`: when shifts begin, local time, as minutes of the day (`08:30,13:30`).
    public var shiftStarts: [Int] = [8 * 60 + 30, 13 * 60 + 30]

    public init() {}

    public static let keys = ["escalation.threshold", "risk.window_days", "risk.min_samples", "shift.starts"]

    /// Reads the settings from the site's key/value pairs; a malformed value is named, not ignored.
    public init(values: [String: String]) throws(WorkflowError) {
        if let text = values["escalation.threshold"] {
            guard let value = Double(text), value >= 1, value.isFinite else {
                throw .storage("site setting escalation.threshold is '\(text)'; it must be a ratio of 1 or more, such as 1.5")
            }
            escalationThreshold = value
        }
        if let text = values["risk.window_days"] {
            guard let value = Int(text), (1...365).contains(value) else {
                throw .storage("site setting risk.window_days is '\(text)'; it must be 1 to 365")
            }
            riskWindowDays = value
        }
        if let text = values["risk.min_samples"] {
            guard let value = Int(text), value >= 1 else {
                throw .storage("site setting risk.min_samples is '\(text)'; it must be 1 or more")
            }
            riskMinSamples = value
        }
        if let text = values["shift.starts"] {
            shiftStarts = try Self.parseShiftStarts(text)
        }
    }

    /// The pairs to store for these settings.
    public var values: [String: String] {
        ["escalation.threshold": String(escalationThreshold), "risk.window_days": String(riskWindowDays),
         "risk.min_samples": String(riskMinSamples),
         "shift.starts": shiftStarts.map { String(format: "%02d:%02d", $0 / 60, $0 % 60) }.joined(separator: ",")]
    }

    /// `08:30,13:30` → [510, 810].
    public static func parseShiftStarts(_ text: String) throws(WorkflowError) -> [Int] {
        var result: [Int] = []
        for part in text.split(separator: ",") {
            let pieces = part.trimmingCharacters(in: .whitespaces).split(separator: ":")
            guard pieces.count == 2, let h = Int(pieces[0]), let m = Int(pieces[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                throw .invalidInput("shift start '\(part)' is not HH:MM")
            }
            result.append(h * 60 + m)
        }
        guard !result.isEmpty else { throw .invalidInput("shift.starts needs at least one HH:MM") }
        return Array(Set(result)).sorted()
    }
}

/// When the current shift began: the last shift start at or before `now`, in the site's time zone.
public enum ShiftClock {
    public static func start(before now: Date, starts: [Int], timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let midnight = calendar.startOfDay(for: now)
        let sorted = starts.sorted()
        for dayOffset in [0, -1, -2] {
            guard let day = calendar.date(byAdding: .day, value: dayOffset, to: midnight) else { continue }
            for minute in sorted.reversed() {
                let components = DateComponents(hour: minute / 60, minute: minute % 60)
                if let instant = calendar.date(byAdding: components, to: day), instant <= now { return instant }
            }
        }
        return midnight
    }
}
