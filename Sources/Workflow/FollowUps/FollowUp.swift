import Foundation

/// How satisfied a reached reporter said they were (满意 / 基本满意 / 不满意).
public enum Satisfaction: String, Sendable, Codable, CaseIterable {
    case satisfied
    case basicallySatisfied = "basically-satisfied"
    case dissatisfied

    /// Counts toward the satisfaction rate's numerator (满意率 = satisfied + basically satisfied over reached).
    public var isSatisfied: Bool { self != .dissatisfied }
}

/// Where a reporter is reached: the phone they gave (the report's, or the Open311 request's), else the Open311
/// request's email, else its app account or device.
public enum ContactChannel: String, Sendable, Codable, CaseIterable {
    case phone, email, app
}

/// A reporter's own contact: the one place a follow-up and a notification go.
public struct ReporterContact: Sendable, Equatable {
    public var channel: ContactChannel
    /// The number, address or account.
    public var address: String
    public init(channel: ContactChannel, address: String) { self.channel = channel; self.address = address }

    /// The contact a report gives: a phone first (the report's, else the Open311 request's), then the request's email,
    /// then its app account or device. Blank values count as none.
    public static func of(reportPhone: String?, open311Phone: String? = nil, email: String? = nil, account: String? = nil,
                          device: String? = nil) -> ReporterContact? {
        func given(_ text: String?) -> String? {
            guard let text = text?.trimmedWhitespace, !text.isBlank else { return nil }
            return text
        }
        if let phone = given(reportPhone) ?? given(open311Phone) { return ReporterContact(channel: .phone, address: phone) }
        if let email = given(email) { return ReporterContact(channel: .email, address: email) }
        if let app = given(account) ?? given(device) { return ReporterContact(channel: .app, address: app) }
        return nil
    }
}

/// What the operator recorded of a follow-up call (回访).
public struct FollowUpOutcome: Sendable, Equatable, Codable {
    public var reached: Bool
    /// Only for a reached reporter; nil when not asked or not reached.
    public var satisfaction: Satisfaction?
    public var note: String?
    public init(reached: Bool, satisfaction: Satisfaction? = nil, note: String? = nil) {
        self.reached = reached; self.satisfaction = satisfaction; self.note = note
    }

    /// As the history row's target says it: `reached satisfied`, `reached`, `not-reached`.
    public var label: String {
        reached ? (["reached"] + [satisfaction?.rawValue].compactMap { $0 }).joined(separator: " ") : "not-reached"
    }
}

/// Where a dissatisfied follow-up stands with the shift lead.
public enum FollowUpFlag: String, Sendable, Codable, CaseIterable {
    /// Waiting for the shift lead to reopen the case or keep it closed.
    case flagged
    /// The case went back for rework.
    case reopened
    /// The shift lead kept it closed.
    case kept
}

/// A follow-up task: one reporter of a closed case, to be called back (or written to) by the case's monitoring center.
public struct FollowUp: Sendable, Equatable {
    public var id: Int64
    public var caseID: Int64
    public var reportID: Int64
    public var contact: ReporterContact
    public var reporterName: String?
    public var createdAt: Date
    public var dueAt: Date
    /// Nil while open.
    public var outcome: FollowUpOutcome?
    public var recordedBy: Int64?
    public var recordedAt: Date?
    public var flag: FollowUpFlag?
    public var decidedBy: Int64?
    public var decidedAt: Date?
    public var decisionNote: String?

    public var isOpen: Bool { outcome == nil }

    public init(id: Int64, caseID: Int64, reportID: Int64, contact: ReporterContact, reporterName: String?, createdAt: Date, dueAt: Date,
                outcome: FollowUpOutcome? = nil, recordedBy: Int64? = nil, recordedAt: Date? = nil, flag: FollowUpFlag? = nil,
                decidedBy: Int64? = nil, decidedAt: Date? = nil, decisionNote: String? = nil) {
        self.id = id; self.caseID = caseID; self.reportID = reportID; self.contact = contact; self.reporterName = reporterName
        self.createdAt = createdAt; self.dueAt = dueAt; self.outcome = outcome; self.recordedBy = recordedBy; self.recordedAt = recordedAt
        self.flag = flag; self.decidedBy = decidedBy; self.decidedAt = decidedAt; self.decisionNote = decisionNote
    }

    /// Open and past its deadline.
    public func isOverdue(at now: Date) -> Bool { isOpen && now > dueAt }
}

/// A report of a closed case that may be followed up: the report, its source and the reporter's contact.
public struct FollowUpCandidate: Sendable, Equatable {
    public var reportID: Int64
    public var source: ReportSource
    public var reporterName: String?
    public var contact: ReporterContact?
    public init(reportID: Int64, source: ReportSource, reporterName: String?, contact: ReporterContact?) {
        self.reportID = reportID; self.source = source; self.reporterName = reporterName; self.contact = contact
    }
}

/// A follow-up task with what a list shows of its case.
public struct FollowUpItem: Sendable, Equatable {
    public var followUp: FollowUp
    public var caseDescription: String
    public var categoryCode: String
    public var cellCode: String
    public var caseState: CaseState
    public var recordedByLogin: String?
}
