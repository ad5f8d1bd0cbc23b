import Foundation

/// Patrols: rosters, who is on duty, inspectors' positions and the coverage they give.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol PatrolStore: Sendable {
    // CityStore+Roster.swift
    func patrolSettings() throws(WorkflowError) -> PatrolSettings
    func setPatrolSettings(_ settings: PatrolSettings) throws(WorkflowError)
    func importRoster(_ lines: [RosterLine]) throws(WorkflowError) -> RosterImportResult
    func roster(from: LocalDate, to: LocalDate) throws(WorkflowError) -> [RosterEntry]
    func onDuty(at now: Date) throws(WorkflowError) -> [RosterEntry]
    func dutyCover(cell cellCode: String, at now: Date) throws(WorkflowError) -> Roster.Cover?
    // CityStore+Patrol.swift
    func importPings<Source: ByteSource>(csv source: Source, at now: Date) throws(WorkflowError) -> PingImportResult
    func importPings(_ pings: [PingInput], at now: Date) throws(WorkflowError) -> PingImportResult
    func ping(inspector: String, lat: Double, lon: Double, at now: Date) throws(WorkflowError) -> PatrolPing
    func patrolCell(lat: Double, lon: Double) throws(WorkflowError) -> String?
    func cellVisits(hours: Int, at now: Date) throws(WorkflowError) -> [String: CellVisit]
    func patrolCoverage(by grouping: CoverageGrouping, hours: Int?, at now: Date) throws(WorkflowError) -> CoverageReport
    func neglectedCells(within region: String?, at now: Date, limit: Int) throws(WorkflowError) -> NeglectedCells
}

extension CityStore: PatrolStore {}
