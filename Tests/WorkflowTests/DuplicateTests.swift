import Foundation
import GRDB
import Testing
@testable import Workflow

/// TestCity's district A cells sit at rows 1–4 of column 0; district B's at rows 1–4 of column 10.
@Suite struct DuplicateTests {
    let t0 = TestCity.monday9

    func draft(_ cell: String = TestCity.cellA, category: String = "0102") -> ReportDraft {
        ReportDraft(kind: .event, categoryCode: category, cellCode: cell, description: "垃圾", source: .hotline)
    }

    @Test func openCaseOfTheSameCategoryInTheSameOrNeighbouringCellIsOffered() throws {
        let city = try TestCity(model: .centralized)
        let same = try city.report(cell: TestCity.cellA, at: t0)
        let neighbour = try city.report(cell: "110101001001002", at: t0.after(10))   // row 2: one step away
        try city.report(cell: "110101001001003", at: t0.after(20))                 // row 3: two steps away
        try city.report(category: "0103", cell: TestCity.cellA, at: t0.after(30))  // another category
        let found = try city.store.likelyDuplicates(of: draft(), at: t0.after(60))
        #expect(found.map(\.serviceCase.id) == [same.id, neighbour.id])
        #expect(found.map(\.cellDistance) == [0, 1])
        #expect(found[0].age == 3600)
        #expect(found[0].meters == 0)
    }

    @Test func casesOutsideTheWindowOrClosedAreNotOffered() throws {
        let city = try TestCity(model: .centralized)
        let old = try city.report(at: t0)
        let cancelled = try city.report(at: t0.after(60 * 20))
        try city.act(.cancel, cancelled.id, as: "city-lead", note: "wrong", at: t0.after(60 * 20 + 1))
        #expect(try city.store.likelyDuplicates(of: draft(), at: t0.after(60 * 25)).isEmpty, "24 h window by default; cancelled is not open")
        #expect(try city.store.likelyDuplicates(of: draft(), at: t0.after(60 * 23)).map(\.serviceCase.id) == [old.id])
        try city.store.setDuplicateWindow(hours: 48)
        #expect(try city.store.likelyDuplicates(of: draft(), at: t0.after(60 * 25)).map(\.serviceCase.id) == [old.id])
        #expect(throws: WorkflowError.self) { try city.store.setDuplicateWindow(hours: 0) }
    }

    @Test func aCaseIsNotItsOwnDuplicateAndLaterReportsCountToo() throws {
        let city = try TestCity(model: .centralized)
        let first = try city.report(at: t0)
        let second = try city.report(cell: "110101001001002", at: t0.after(90))
        #expect(try city.store.likelyDuplicates(ofCase: first.id, at: t0.after(120)).map(\.serviceCase.id) == [second.id])
        #expect(try city.store.likelyDuplicates(ofCase: second.id, at: t0.after(120)).map(\.serviceCase.id) == [first.id])
        let counts = try city.store.likelyDuplicateCounts(ofCases: [first.id, second.id], at: t0.after(120))
        #expect(counts == [first.id: 1, second.id: 1])
    }

    @Test func aDistrictOperatorIsOfferedOnlyCasesOfTheirDistrict() throws {
        let city = try TestCity(model: .twoMonitorTwoCommand)
        // Put a district B cell next to cell A on the grid.
        try city.store.addCell(GridCell(code: "110102001001009", nameZh: "邻格", row: 1, col: 1, lat: 39.9, lon: 116.4, patrolAreaID: "PA-B"))
        try city.report(by: "insp-b", cell: "110102001001009", at: t0)
        let mine = try city.report(at: t0.after(5))
        let viewer = try city.store.findOperator("110101-intake")
        #expect(try city.store.likelyDuplicates(of: draft(), at: t0.after(10)).count == 2)
        #expect(try city.store.likelyDuplicates(of: draft(), at: t0.after(10), viewer: viewer).map(\.serviceCase.id) == [mine.id])
    }

    @Test func theRuleRanksNearestThenClosestInTime() {
        func c(_ id: Int64, _ minutes: Int) -> ServiceCase {
            var s = ServiceCase.sample
            s.id = id
            s.reportedAt = TestCity.monday9.after(minutes)
            return s
        }
        let ranked = DuplicateRule.ranked([
            DuplicateCandidate(serviceCase: c(1, 0), cellDistance: 1, meters: 100, age: 0),
            DuplicateCandidate(serviceCase: c(2, 50), cellDistance: 0, meters: 0, age: 0),
            DuplicateCandidate(serviceCase: c(3, 55), cellDistance: 0, meters: 0, age: 0),
        ], reference: TestCity.monday9.after(60))
        #expect(ranked.map(\.serviceCase.id) == [3, 2, 1])
        #expect(DuplicateRule.gridDistance((1, 1), (2, 2)) == 1)
        #expect(DuplicateRule.gridDistance((1, 1), (1, 3)) == 2)
    }

    @Test func theLookupUsesIndexesNotTableScans() throws {
        let city = try TestCity(model: .centralized)
        let plans = try city.store.read { db in
            try Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT * FROM service_case
                WHERE cell_code = ? AND reported_at BETWEEN ? AND ? AND is_open = 1 AND kind = ? AND category_code = ?
                """, arguments: ["x", 0, 1, "event", "0102"]).map { $0["detail"] as String } +
            Row.fetchAll(db, sql: """
                EXPLAIN QUERY PLAN SELECT code, grid_row, grid_col, lat, lon FROM region
                WHERE level = 'cell' AND grid_row BETWEEN ? AND ? AND grid_col BETWEEN ? AND ?
                """, arguments: [0, 2, 0, 2]).map { $0["detail"] as String }
        }
        #expect(plans.allSatisfy { $0.contains("INDEX") }, "\(plans)")
    }
}

extension ServiceCase {
    static var sample: ServiceCase {
        ServiceCase(id: 1, state: .reported, kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, communityCode: "110101001001",
                    streetCode: "110101001", districtCode: "110101", componentID: nil, source: .hotline, description: "x",
                    reportedAt: TestCity.monday9, monitorCenterID: "CITY-M", commandCenterID: nil, departmentCode: nil, assigneeID: nil,
                    confirmed: false, urgent: false, stageStartedAt: TestCity.monday9, deadline: nil, warnAt: nil, budgetMinutes: 0,
                    frozenRemainingMinutes: nil, handledLate: false, filedAt: nil, dispatchedAt: nil, handledAt: nil, closedAt: nil,
                    closeType: nil, reworkCount: 0, returnCount: 0, extensionCount: 0, urgeCount: 0, escalated: false, pending: nil,
                    lastEventAt: TestCity.monday9)
    }
}

@Suite struct UnmergeTests {
    let t0 = TestCity.monday9

    func reports(of id: Int64, _ city: TestCity) throws -> [Int64] {
        try city.store.detail(id).reports.map(\.originalCaseID)
    }

    @Test func unmergeMovesTheReportsBackAndReopensTheDuplicateAsItWas() throws {
        let city = try TestCity(model: .centralized)
        let survivor = try city.report(by: "city-intake", source: .hotline, at: t0)
        let duplicate = try city.report(by: "city-intake", source: .web, at: t0.after(5))
        let before = try city.act(.verify, duplicate.id, as: "city-intake", to: "insp-a", at: t0.after(6))
        try city.act(.merge, duplicate.id, as: "city-intake", to: String(survivor.id), at: t0.after(10))
        #expect(try reports(of: survivor.id, city) == [survivor.id, duplicate.id])

        let result = try city.store.unmerge(duplicate.id, by: "city-intake", note: "different bins", at: t0.after(20))
        #expect(result.movedReports == 1)
        #expect(result.duplicate.state == .verifying)
        #expect(result.duplicate.assigneeID == before.assigneeID, "the inspector keeps the verify task")
        #expect(result.duplicate.deadline == before.deadline, "the stage clock is as it was before the merge")
        #expect(result.duplicate.closedAt == nil)
        #expect(try reports(of: survivor.id, city) == [survivor.id])
        #expect(try reports(of: duplicate.id, city) == [duplicate.id])
        let dupHistory = try city.store.history(of: duplicate.id).map(\.entry)
        #expect(dupHistory.map(\.action) == ["report", "verify", "merge", "unmerge"])
        #expect(dupHistory.last?.from == .cancelled && dupHistory.last?.to == .verifying && dupHistory.last?.note == "different bins")
        let survivorHistory = try city.store.history(of: survivor.id).map(\.entry)
        #expect(survivorHistory.map(\.action) == ["report", "merge", "unmerge"])
        #expect(survivorHistory.last?.target == String(duplicate.id))
        // The inspector can answer the verify task again.
        #expect(try city.act(.confirm, duplicate.id, as: "insp-a", at: t0.after(25)).state == .accepted)
    }

    @Test func unmergeTakesBackReportsThatWereMergedIntoTheDuplicateBefore() throws {
        let city = try TestCity(model: .centralized)
        let a = try city.report(at: t0), b = try city.report(at: t0.after(1)), c = try city.report(at: t0.after(2))
        try city.act(.merge, c.id, as: "city-intake", to: String(b.id), at: t0.after(3))
        try city.act(.merge, b.id, as: "city-intake", to: String(a.id), at: t0.after(4))
        #expect(try reports(of: a.id, city).sorted() == [a.id, b.id, c.id])
        let result = try city.store.unmerge(b.id, by: "city-intake", note: "not the same", at: t0.after(5))
        #expect(result.movedReports == 2)
        #expect(try reports(of: b.id, city).sorted() == [b.id, c.id])
        #expect(try city.store.serviceCase(c.id).state == .cancelled, "c stays merged, now into b again")
    }

    @Test func unmergeIsRefusedOnceTheSurvivorIsFiledAndForOtherCancellations() throws {
        let city = try TestCity(model: .centralized)
        let survivor = try city.report(at: t0)
        let duplicate = try city.report(at: t0.after(1))
        try city.act(.merge, duplicate.id, as: "city-intake", to: String(survivor.id), at: t0.after(2))
        try city.act(.accept, survivor.id, as: "city-intake", at: t0.after(3))
        try city.act(.file, survivor.id, as: try city.lead(.file, survivor.id), at: t0.after(4))
        let historyRows = try city.historyCount()
        #expect(throws: WorkflowError.refusal(.unmergeAfterFiling(caseID: survivor.id, state: .filed))) {
            try city.store.unmerge(duplicate.id, by: "city-intake", note: "oops", at: t0.after(5))
        }
        let rejected = try city.report(at: t0.after(6))
        try city.act(.reject, rejected.id, as: "city-lead", note: "no", at: t0.after(7))
        #expect(throws: WorkflowError.refusal(.nothingToUnmerge(caseID: rejected.id, state: .cancelled))) {
            try city.store.unmerge(rejected.id, by: "city-intake", note: "x", at: t0.after(8))
        }
        #expect(try city.historyCount() == historyRows + 2, "refusals wrote nothing (the two rows are the new report and its rejection)")
    }

    @Test func unmergeNeedsTheIntakeRoleAndAReason() throws {
        let city = try TestCity(model: .centralized)
        let survivor = try city.report(at: t0)
        let duplicate = try city.report(at: t0.after(1))
        try city.act(.merge, duplicate.id, as: "city-intake", to: String(survivor.id), at: t0.after(2))
        #expect(throws: WorkflowError.refusal(.wrongRole(verb: "unmerge", roles: [.intake], login: "city-lead", role: .shiftLead))) {
            try city.store.unmerge(duplicate.id, by: "city-lead", note: "x", at: t0.after(3))
        }
        #expect(throws: WorkflowError.refusal(.missingNote(verb: "unmerge", meaning: .reason))) {
            try city.store.unmerge(duplicate.id, by: "city-intake", note: "  ", at: t0.after(3))
        }
        #expect(try city.store.serviceCase(duplicate.id).state == .cancelled)
    }
}
