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
    /// site's time zone without one (`2026-11-25T09:30`, `2026-11-25 09:30:15`, `2026-11-25`).
    public func parse(_ text: String) throws(WorkflowError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        // Every accepted form is printable ASCII of at most 35 bytes, and Foundation's formatters kill the process on
        // some other text: a combining mark after a digit (`2024-02-2\u{32B}23:59:59Z`, a trap) or 35 digits of
        // fractions of a second (ICU divides by zero). Found by fuzzing; either took down `serve` with one GET.
        guard trimmed.utf8.count <= 40, trimmed.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .invalidInput("'\(text)' is not a time; use ISO-8601 such as 2026-11-25T09:30:00+08:00")
        }
        let withOffset = ISO8601DateFormatter()
        withOffset.formatOptions = [.withInternetDateTime]
        if let date = withOffset.date(from: trimmed) { return date }
        withOffset.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withOffset.date(from: trimmed) { return date }
        for pattern in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = timeZone
            formatter.dateFormat = pattern
            formatter.isLenient = false
            if let date = formatter.date(from: trimmed), formatter.string(from: date) == trimmed { return date }
        }
        throw .invalidInput("'\(text)' is not a time; use ISO-8601 such as 2026-11-25T09:30:00+08:00")
    }

    /// `2026-11-25T09:30:00+08:00`: local time with its offset, readable and exact.
    public func string(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `11-25 09:30`, for tables.
    public func short(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
