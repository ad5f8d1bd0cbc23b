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
}
