import Foundation

/// Feedback to the public: follow-up tasks and the reporters' outbox. The CLI and the console use it; `CityStore` is its
/// backend. Each method is documented where `CityStore` implements it.
public protocol FollowUpStore: Sendable {
    // CityStore+FollowUps.swift
    func followUpSettings() throws(WorkflowError) -> FollowUpSettings
    func setFollowUpSettings(_ settings: FollowUpSettings) throws(WorkflowError)
    func followUps(for viewer: String) throws(WorkflowError) -> [FollowUpItem]
    func followUps(ofCase caseID: Int64, viewer: String) throws(WorkflowError) -> [FollowUpItem]
    func recordFollowUp(caseID: Int64, followUpID: Int64?, outcome: FollowUpOutcome, by actor: String,
                        at now: Date) throws(WorkflowError) -> FollowUpRecording
    func decideFollowUp(_ action: FollowUpAction, caseID: Int64, followUpID: Int64?, note: String?, by actor: String,
                        at now: Date) throws(WorkflowError) -> FollowUpRecording
    // CityStore+Outbox.swift
    func pendingNotices(since: Date?) throws(WorkflowError) -> [OutboxMessage]
    @discardableResult func markNoticesTaken(_ ids: [Int64], format: String, since: Date?, at now: Date) throws(WorkflowError) -> Int64
}

extension CityStore: FollowUpStore {}
