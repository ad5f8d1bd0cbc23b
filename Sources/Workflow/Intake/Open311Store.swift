import Foundation

/// Open311 (GeoReport v2): api keys, public requests and their tokens, and the cases they became.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol Open311Store: Sendable {
    // CityStore+Open311.swift
    func addAPIKey(name: String, at now: Date) throws(WorkflowError) -> (APIKey, String)
    func apiKeys() throws(WorkflowError) -> [APIKey]
    @discardableResult
    func revokeAPIKey(id: Int64, at now: Date) throws(WorkflowError) -> APIKey
    func apiKey(matching presented: String) throws(WorkflowError) -> APIKey?
    func fileOpen311Request(_ draft: ReportDraft, requester: Open311Requester, mediaURL: String?, apiKey: APIKey, at now: Date) throws(WorkflowError) -> (ServiceCase, String)
    func caseID(forToken token: String) throws(WorkflowError) -> Int64?
    func open311Cases(_ filter: Open311Filter) throws(WorkflowError) -> [Open311Case]
}

extension CityStore: Open311Store {}
