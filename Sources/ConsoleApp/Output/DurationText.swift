import Foundation

/// A span of minutes as operators read it, on the command line and in the console alike: `45m`, `2h05`, `-35m`
/// (negative: overdue, or before). Under two days in hours and minutes; from two days on as `long` says.
enum DurationText {
    enum Long {
        /// `3d` (the console's due column: the width of a cell).
        case days
        /// `3d4h` (the lead's board and handover).
        case daysAndHours
        /// `76h05` (no day unit: duplicates' ages).
        case hours
    }

    static func minutes(_ minutes: Int, long: Long = .days) -> String {
        let sign = minutes < 0 ? "-" : ""
        let m = abs(minutes)
        if m < 60 { return "\(sign)\(m)m" }
        if m < 60 * 48 || long == .hours { return "\(sign)\(m / 60)h" + String(format: "%02d", m % 60) }
        return long == .days ? "\(sign)\(m / 1440)d" : "\(sign)\(m / 1440)d\(m % 1440 / 60)h"
    }

    /// Time left on a stage's clock (negative: overdue by), in the time its deadline counts: working time in hours and
    /// minutes (a working day is not 24 hours, so never in days), calendar time (urgent stages) in days and hours.
    /// The overdue board and the handover both word it so.
    static func stage(_ minutes: Int, calendarTime: Bool) -> String {
        Self.minutes(minutes, long: calendarTime ? .daysAndHours : .hours)
    }
}
