import Foundation

/// Oversight: the overdue board, handling times, the approvals inbox, workload, automatic escalation and the shift handover.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol OversightStore: Sendable {
    // CityStore+Oversight.swift
    func oversightSettings() throws(WorkflowError) -> OversightSettings
    func setOversightSettings(_ settings: OversightSettings) throws(WorkflowError)
    func overdueBoard(for viewer: Operator, at now: Date, handlingTimes: HandlingTimes?) throws(WorkflowError) -> OverdueBoard
    func handlingTimes(at now: Date) throws(WorkflowError) -> HandlingTimes
    func inbox(for viewer: Operator, at now: Date) throws(WorkflowError) -> [InboxItem]
    func workload(for viewer: Operator, case caseID: Int64?, at now: Date) throws(WorkflowError) -> WorkloadReport
    func autoEscalate(at now: Date) throws(WorkflowError) -> [AutoEscalation]
    func handover(for viewer: Operator, since: Date?, at now: Date) throws(WorkflowError) -> Handover
    // CityStore+Bulk.swift
    func performBulk(_ request: BulkRequest, at now: Date) throws(BulkRefusal) -> BulkResult
    func undoLastBulk(by actorLogin: String, at now: Date) throws(BulkRefusal) -> BulkResult
    // CityStore+ReassignChoices.swift
    func reassignChoices(for viewer: Operator, cases ids: [Int64], at now: Date) throws(WorkflowError) -> [ReassignChoices]
    // CityStore+Accountability.swift
    func addAccountability(caseID: Int64, unit: String, measure: String, by requested: String?, at now: Date) throws(WorkflowError) -> AccountabilityEntry
    func accountability(from: Date?, to: Date?, viewer: Operator?) throws(WorkflowError) -> [AccountabilityEntry]
    func queuePosition(of id: Int64, for op: Operator, filter: QueueFilter, sort: QueueSort, ascending: Bool, at now: Date) throws(WorkflowError) -> Int?
}

extension CityStore: OversightStore {}
