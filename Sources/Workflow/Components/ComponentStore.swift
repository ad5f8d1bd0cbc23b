import Foundation

/// Components (部件) as first-class objects: identity, owner, state through cases, history, censuses. `CityStore` is
/// its one backend; each method is documented where `CityStore` implements it.
public protocol ComponentStore: Sendable {
    // CityStore+Components.swift
    func component(_ id: String) throws(WorkflowError) -> ComponentDetail
    func routing(ofCase id: Int64) throws(WorkflowError) -> Routing?
    func suggestedRouting(ofCase id: Int64) throws(WorkflowError) -> Routing?
    func nearestComponents(cell: String, classCode: String, radius: Int, limit: Int) throws(WorkflowError) -> [Component]
    func componentCountsByCell(classCode: String?) throws(WorkflowError) -> [String: ComponentCellCounts]
    // CityStore+Census.swift
    func startCensus(classCode: String, region: String?, due: Date, by actorName: String, at now: Date) throws(WorkflowError) -> CensusReport
    func recordCensus(_ draft: CensusRecordDraft, by actorName: String, at now: Date) throws(WorkflowError) -> CensusRecord
    func censusReport(_ id: Int64) throws(WorkflowError) -> CensusReport
    func censuses() throws(WorkflowError) -> [Census]
    func openCensuses(within region: String?) throws(WorkflowError) -> [CensusReport]
    func closeCensus(_ id: Int64, by actorName: String, at now: Date) throws(WorkflowError) -> CensusReport
}

extension CityStore: ComponentStore {}
