import Foundation
import Testing
@testable import Workflow

/// Bulk actions: one transaction, all or none, with the refusing case named; undo by compensating rows.
@Suite struct BulkActionTests {
    let t0 = TestCity.monday9

    /// Three hotline reports sent to insp-a to verify at 09:05; all overdue from 09:35.
    func threeVerifyTasks(_ city: TestCity) throws -> [Int64] {
        try (0..<3).map { i in
            let c = try city.report(by: "city-intake", source: .hotline, text: "report \(i)", at: t0)
            return try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: t0.after(5)).id
        }
    }

    func batchCount(_ city: TestCity) throws -> Int {
        try city.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM bulk_batch") ?? 0 }
    }

    @Test func bulkUrgeUrgesEveryCaseInOneBatchAndUndoAppendsUnurgeRows() throws {
        let city = try TestCity(model: .centralized)
        let ids = try threeVerifyTasks(city)
        let result = try city.store.performBulk(BulkRequest(action: .urge, selection: .ids(ids), actor: "city-lead", note: "move it"), at: t0.after(60))
        #expect(result.after.map(\.urgeCount) == [1, 1, 1] && result.undoable)
        let row = try #require(try city.store.history(of: ids[0]).last)
        #expect(row.entry.action == "urge" && row.entry.note == "move it (bulk #\(result.batchID))" && row.actorLogin == "city-lead")
        let undone = try city.store.undoLastBulk(by: "city-lead", at: t0.after(61))
        #expect(undone.batchID == result.batchID && undone.after.map(\.urgeCount) == [0, 0, 0])
        for id in ids {
            let history = try city.store.history(of: id).map(\.entry.action)
            #expect(history == ["report", "verify", "urge", "unurge"], "history is appended to, never rewritten")
        }
        // Only the last batch, once.
        #expect(throws: BulkRefusal.self) { try city.store.undoLastBulk(by: "city-lead", at: t0.after(62)) }
    }

    @Test func oneRefusingCaseRollsBackTheWholeBatchAndIsNamed() throws {
        let city = try TestCity(model: .centralized)
        let ids = try threeVerifyTasks(city)
        let accepted = try city.report(at: t0)   // an inspector's own report: nothing to reassign
        let before = try city.historyCount()
        do {
            _ = try city.store.performBulk(BulkRequest(action: .reassign, selection: .ids(ids + [accepted.id]), actor: "city-lead",
                                                       target: "insp-a2", note: "rebalance"), at: t0.after(60))
            Issue.record("the batch should have been refused")
        } catch {
            #expect(error.caseID == accepted.id)
            #expect(error.exitCode == 4 && error.description.contains("case \(accepted.id) refused, nothing was written"))
        }
        let batches = try batchCount(city)
        let inspector = try city.store.findOperator("insp-a")
        #expect(try city.historyCount() == before && batches == 0)
        for id in ids { #expect(try city.store.serviceCase(id).assigneeID == inspector.id) }
    }

    @Test func bulkReassignIsUndoneByReassigningBackWithTheOldClock() throws {
        let city = try TestCity(model: .centralized)
        let ids = try threeVerifyTasks(city)
        let original = try city.store.serviceCase(ids[0])
        let result = try city.store.performBulk(BulkRequest(action: .reassign, selection: .filter([.overdue, .state(.verifying)]),
                                                            actor: "city-lead", target: "insp-a2", note: "insp-a off sick"), at: t0.after(60))
        #expect(result.after.map(\.id) == ids)
        let leadBoard = try city.store.overdueBoard(for: city.store.findOperator("city-lead"), at: t0.after(61))
        #expect(leadBoard.entries.isEmpty, "reassigned tasks leave the board with a fresh clock")
        _ = try city.store.undoLastBulk(by: "city-lead", at: t0.after(62))
        let back = try city.store.serviceCase(ids[0])
        #expect(back.assigneeID == original.assigneeID && back.deadline == original.deadline && back.lastEventAt == t0.after(62))
        let last = try #require(try city.store.history(of: ids[0]).last)
        #expect(last.entry.action == "reassign" && last.entry.target == "insp-a" && last.entry.note?.contains("undo of bulk #\(result.batchID)") == true)
    }

    @Test func undoIsRefusedWhenACaseChangedSinceOrTheActionCannotBeUndone() throws {
        let city = try TestCity(model: .centralized)
        let ids = try threeVerifyTasks(city)
        _ = try city.store.performBulk(BulkRequest(action: .urge, selection: .ids(ids), actor: "city-lead"), at: t0.after(60))
        try city.act(.confirm, ids[1], as: "insp-a", at: t0.after(61))
        let before = try city.historyCount()
        do {
            _ = try city.store.undoLastBulk(by: "city-lead", at: t0.after(62))
            Issue.record("undo should be refused")
        } catch {
            #expect(error.caseID == ids[1] && error.description.contains("changed after bulk"))
        }
        #expect(try city.historyCount() == before)
        // Escalations and approvals cannot be undone at all.
        let d = try city.dispatchedCase()
        try city.act(.requestExtension, d.id, as: "sanit-110101", note: "crew", hours: 2, at: t0.after(70))
        _ = try city.store.performBulk(BulkRequest(action: .approve, selection: .filter([.pending(.extension)]), actor: "city-dispatcher"), at: t0.after(80))
        do {
            _ = try city.store.undoLastBulk(by: "city-dispatcher", at: t0.after(81))
            Issue.record("approve undone")
        } catch {
            #expect(error.caseID == nil && error.exitCode == 4 && error.description.contains("cannot be undone"))
        }
    }

    @Test func filtersStayInsideTheActorsReachAndAnEmptySelectionIsRefused() throws {
        let city = try TestCity(model: .twoMonitorOneCommand)
        let a = try city.report(at: t0)
        try city.act(.accept, a.id, as: "110101-intake", at: t0.after(1))
        let b = try city.report(by: "insp-b", cell: TestCity.cellB, at: t0)
        try city.act(.accept, b.id, as: "110102-intake", at: t0.after(1))
        let result = try city.store.performBulk(BulkRequest(action: .urge, selection: .filter([.overdue]), actor: "110101-lead"), at: t0.after(120))
        #expect(result.after.map(\.id) == [a.id])
        #expect(throws: BulkRefusal.self) {
            _ = try city.store.performBulk(BulkRequest(action: .urge, selection: .filter([.region("110102")]), actor: "110101-lead"), at: t0.after(121))
        }
        // A case outside the district is "not found", and stops the batch.
        do {
            _ = try city.store.performBulk(BulkRequest(action: .urge, selection: .ids([a.id, b.id]), actor: "110101-lead"), at: t0.after(122))
        } catch {
            #expect(error.caseID == b.id && error.exitCode == 5)
        }
        #expect(try city.store.serviceCase(a.id).urgeCount == 1)
        #expect(throws: WorkflowError.self) { try BulkFilter.parse("colour=red") }
        #expect(try BulkFilter.parse("state=Dispatched") == .state(.dispatched))
    }
}
