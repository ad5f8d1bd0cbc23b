import Foundation

/// Cases: reporting, reading a case with its reports and history, queues and the console's queue windows, likely duplicates and unmerge.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol CaseStore: Sendable {
    // CityStore+Cases.swift
    func report(_ draft: ReportDraft, by reporter: String?, at now: Date) throws(WorkflowError) -> ServiceCase
    @discardableResult
    func perform(_ request: ActionRequest, at now: Date) throws(WorkflowError) -> ServiceCase
    func preview(_ request: ActionRequest, at now: Date) throws(WorkflowError) -> ServiceCase
    func serviceCase(_ id: Int64) throws(WorkflowError) -> ServiceCase
    func detail(_ id: Int64, viewer: Operator?) throws(WorkflowError) -> CaseDetail
    func history(of id: Int64) throws(WorkflowError) -> [HistoryRecord]
    func cases(_ query: CaseQuery) throws(WorkflowError) -> [ServiceCase]
    // CityStore+Queues.swift
    func needsAction(for op: Operator, at now: Date, limit: Int, offset: Int) throws(WorkflowError) -> [ServiceCase]
    func needsActionCount(for op: Operator, at now: Date) throws(WorkflowError) -> Int
    // CityStore+NeedsArrivals.swift
    func needsActionIDs(for op: Operator, at now: Date) throws(WorkflowError) -> NeedsMeSet
    func openCountsByCell(at now: Date, district: String?) throws(WorkflowError) -> [String: (open: Int, overdue: Int)]
    // CityStore+ConsoleQueue.swift
    func queueCounts(for op: Operator, filter: QueueFilter, at now: Date) throws(WorkflowError) -> QueueCounts
    func queueWindow(for op: Operator, filter: QueueFilter, sort: QueueSort, ascending: Bool, offset: Int, limit: Int, needsTotal: Int, at now: Date) throws(WorkflowError) -> [QueueEntry]
    func reachCounts(for op: Operator, at now: Date) throws(WorkflowError) -> ReachCounts
    func cellMeasures(region: String?, at now: Date, dayStart: Date) throws(WorkflowError) -> [String: CellMeasures]
    func categoryCounts(_ category: CategoryKey, from: Date, to: Date, region: String?) throws(WorkflowError) -> [String: Int]
    // CityStore+Duplicates.swift
    func duplicateRule() throws(WorkflowError) -> DuplicateRule
    func setDuplicateWindow(hours: Double) throws(WorkflowError)
    func likelyDuplicates(of draft: ReportDraft, at now: Date, viewer: Operator?, rule: DuplicateRule?) throws(WorkflowError) -> [DuplicateCandidate]
    func likelyDuplicates(ofCase id: Int64, at now: Date, viewer: Operator?, rule: DuplicateRule?) throws(WorkflowError) -> [DuplicateCandidate]
    func likelyDuplicateCounts(ofCases ids: [Int64], at now: Date, viewer: Operator?) throws(WorkflowError) -> [Int64: Int]
    @discardableResult
    func unmerge(_ id: Int64, by actor: String, note: String?, at now: Date) throws(WorkflowError) -> UnmergeResult
}

extension CityStore: CaseStore {}
