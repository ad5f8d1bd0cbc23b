/// The states of a case in the closed loop. The raw values are the words the CLI and JSON use.
public enum CaseState: String, Sendable, Codable, CaseIterable {
    case reported, verifying, accepted, filed, dispatched, handled, checking, checked, closed, cancelled, suspended

    /// Closed and cancelled cases are finished; every other state still has work owed on it.
    public var isOpen: Bool { self != .closed && self != .cancelled }

    /// The states in which a report may still be merged into another case or accepted: nothing is filed yet.
    public var isBeforeFiling: Bool { self == .reported || self == .verifying || self == .accepted }

    public static let open: [CaseState] = allCases.filter(\.isOpen)
}

/// How a closed case ended.
public enum CloseType: String, Sendable, Codable, CaseIterable {
    case normal, overdue, error, special
}

/// Where a report came from.
public enum ReportSource: String, Sendable, Codable, CaseIterable {
    case inspector, hotline, web, app, leader, sensor

    /// Whether a report from this source is filed only once an inspector confirmed it (verify, confirm). Public reports
    /// are (hotline, web, app, sensor); an inspector's own report is not, nor a leader's instruction (领导批示), which
    /// the center takes as an instruction to act, not as a public report to be checked on site.
    public var needsConfirmation: Bool { self != .inspector && self != .leader }
}

/// Due state of the current stage's clock.
public enum DueState: String, Sendable, Codable, CaseIterable {
    case green, yellow, red
}
