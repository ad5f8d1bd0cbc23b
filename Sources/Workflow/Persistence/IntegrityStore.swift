import Foundation

/// Integrity: verifying the history's hash chain and guards, restoring the guards, the chain's head, and `doctor`'s checks.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol IntegrityStore: Sendable {
    // CityStore+Integrity.swift
    func verifyHistory(anchor: ChainLink?) throws(WorkflowError) -> HistoryVerification
    func restoreHistoryGuards() throws(WorkflowError) -> HistoryVerification
    func chainHead(before instant: Date) throws(WorkflowError) -> ChainLink
    func chainHead() throws(WorkflowError) -> ChainLink
    func doctor() throws(WorkflowError) -> [DoctorCheck]
    /// Why writes are refused since a check found the history damaged, if they are.
    var writesRefused: Refusal? { get }
}

extension CityStore: IntegrityStore {}
