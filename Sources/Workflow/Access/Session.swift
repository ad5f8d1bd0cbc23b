import Foundation

/// Who a front end acts for, and when, resolved once when it opens the store (issue 15): the operator the program
/// signed in and how it was identified, the site's time zone, and the clock. The CLI's commands, the console and the
/// demo's simulator take it instead of working any of it out again.
///
/// Workflow never reads the environment: the front end that opens the store builds the clock (the system's, or one
/// pinned for demos and tests) and hands it in.
public struct Session: Sendable {
    /// The operator this process acts as, and how it was identified; nil when nobody is signed in (an open site,
    /// where each command names its operator, or a signed one before its sign-in screen).
    public var signedIn: SignedIn?
    /// The site's time zone: a time typed without an offset is read in it, and every time shown is written in it.
    public var timeZone: TimeZone
    /// "Now".
    public var clock: any WallClock

    public init(signedIn: SignedIn?, timeZone: TimeZone, clock: any WallClock) {
        self.signedIn = signedIn
        self.timeZone = timeZone
        self.clock = clock
    }

    /// How the acting operator is identified, once one is signed in.
    public var via: Via? { signedIn?.via }

    /// Reads and writes times in the site's zone.
    public var format: InstantFormat { InstantFormat(timeZone: timeZone) }

    public func now() -> Date { clock.now() }

    /// The same session once `who` has signed in (the console's sign-in screen).
    public func signedIn(as who: SignedIn) -> Session {
        var copy = self
        copy.signedIn = who
        return copy
    }
}

extension SiteSettings {
    /// The time zone a site gets unless `init --timezone` chooses another, and the one used before a site exists.
    public static let defaultTimeZoneName = "Asia/Shanghai"
    public static let defaultTimeZone = TimeZone(identifier: defaultTimeZoneName)!
}
