import Foundation

/// When a console on a signed site locks itself to its sign-in screen (`SignInState.locked`): after the site's
/// `session.idle_lock_minutes` without a key (0 turns the lock off). Times are the process's monotonic uptime, never
/// the wall clock, which `CITYGRID_NOW` may pin.
///
/// `CITYGRID_IDLE_LOCK_SECONDS` (for tests and for a stricter desk) sets a shorter idle time in seconds; it is used
/// only when shorter than the site's setting, so it can make the lock stricter but never looser or off.
struct IdleLock: Sendable, Equatable {
    /// Seconds without a key before the console locks; nil when it never does.
    var limit: TimeInterval?
    /// Uptime of the last key.
    var lastKey: TimeInterval

    static let environmentKey = "CITYGRID_IDLE_LOCK_SECONDS"

    /// The idle time for a site setting of `siteMinutes` and this environment.
    static func limit(siteMinutes: Int, environment: [String: String]) -> TimeInterval? {
        let site: TimeInterval? = siteMinutes > 0 ? TimeInterval(siteMinutes) * 60 : nil
        guard let text = environment[environmentKey], let seconds = Int(text.trimmingCharacters(in: .whitespaces)), seconds > 0 else {
            return site
        }
        return min(TimeInterval(seconds), site ?? .infinity)
    }

    /// True when the console has gone `limit` without a key at uptime `now`.
    func isDue(at now: TimeInterval) -> Bool {
        guard let limit else { return false }
        return now - lastKey >= limit
    }
}
