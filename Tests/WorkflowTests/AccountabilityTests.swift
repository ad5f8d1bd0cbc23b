import Foundation
import GRDB
import Testing
@testable import Workflow

/// The accountability register (问责): a supervisor's, for cases in their region, naming a known unit; append-only in
/// the database itself; listed in the monthly bulletin of the month it was recorded in.
@Suite struct AccountabilityTests {
    let t0 = TestCity.monday9

    @Test func aSupervisorRecordsAndTheDatabaseRefusesChangeAndDeletion() throws {
        let city = try TestCity()
        let c = try city.dispatchedCase()
        let entry = try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "  约谈部门负责人  ", by: "city-supervisor", at: t0.after(60))
        #expect(entry.caseID == c.id && entry.unit == "SANIT" && entry.measure == "约谈部门负责人" && entry.recordedBy == "city-supervisor")
        #expect(!entry.unitName.isEmpty && entry.unitName != "SANIT", "the department's name is kept with the entry")
        // A street or a center is a unit too; a cell or an unknown code is not.
        try city.store.addAccountability(caseID: c.id, unit: "110101001", measure: "通报批评", by: "city-supervisor", at: t0.after(61))
        try city.store.addAccountability(caseID: c.id, unit: "CITY-M", measure: "通报批评", by: "city-supervisor", at: t0.after(62))
        #expect(throws: WorkflowError.notFound("no department, center or region has the code '110101001001001'")) {
            try city.store.addAccountability(caseID: c.id, unit: TestCity.cellA, measure: "x", by: "city-supervisor", at: t0.after(63))
        }
        #expect(throws: WorkflowError.self) { try city.store.addAccountability(caseID: 999_999, unit: "SANIT", measure: "x", by: "city-supervisor", at: t0) }
        // The database itself refuses changes and deletions, whatever the program does.
        try city.store.write { db in
            #expect(throws: DatabaseError.self) { try db.execute(sql: "UPDATE accountability SET measure = 'nothing' WHERE id = ?", arguments: [entry.id]) }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "DELETE FROM accountability WHERE id = ?", arguments: [entry.id]) }
        }
        let listed = try city.store.accountability()
        #expect(listed.map(\.measure) == ["约谈部门负责人", "通报批评", "通报批评"] && listed.map(\.unit) == ["SANIT", "110101001", "CITY-M"])
    }

    @Test func onlyASupervisorInWhoseRegionTheCaseLiesRecordsWithAVisibleMeasure() throws {
        let city = try TestCity()
        let c = try city.dispatchedCase()   // district 110101
        try city.store.addOperator(login: "d2-supervisor", name: "区领导", role: .supervisor, centerID: nil, regionCode: "110102")
        let wrongRegion = try city.store.addOperator(login: "d1-supervisor", name: "区领导", role: .supervisor, centerID: nil, regionCode: "110101")
        #expect(wrongRegion.regionCode == "110101")
        #expect(throws: WorkflowError.forbidden("case \(c.id) is in district 110101, outside d2-supervisor's region 110102")) {
            try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "约谈", by: "d2-supervisor", at: t0.after(60))
        }
        try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "约谈", by: "d1-supervisor", at: t0.after(60))
        #expect(throws: WorkflowError.forbidden("recording accountability is for the supervisor role; city-lead is shift-lead")) {
            try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "约谈", by: "city-lead", at: t0.after(60))
        }
        for blank in ["", "   ", "\u{200B}\n"] {
            #expect(throws: WorkflowError.invalidInput("the measure is empty: say what was done")) {
                try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: blank, by: "city-supervisor", at: t0.after(60))
            }
        }
        #expect(throws: WorkflowError.self) { try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "a\u{0}b", by: "city-supervisor", at: t0) }
        #expect(throws: WorkflowError.self) {
            try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: String(repeating: "长", count: 2_000), by: "city-supervisor", at: t0)
        }
        // A district supervisor sees only their district's entries.
        let other = try city.store.findOperator("d2-supervisor")
        #expect(try city.store.accountability(viewer: other).isEmpty)
        #expect(try city.store.accountability(viewer: wrongRegion).count == 1)
    }

    @Test func theMonthlyBulletinListsTheMonthsEntriesOnly() throws {
        let city = try TestCity()
        let c = try city.dispatchedCase()
        try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "约谈部门负责人", by: "city-supervisor", at: t0.after(60))
        let december = TestCity.at("2026-12-01T00:30:00+08:00")
        try city.store.addAccountability(caseID: c.id, unit: "SANIT", measure: "十二月的通报", by: "city-supervisor", at: december)
        let november = try city.store.monthlyBulletin(period: EvaluationPeriod.month(parsing: "2026-11"), at: december.after(60))
        #expect(november.accountability.map(\.measure) == ["约谈部门负责人"])
        let lines = november.markdown(format: InstantFormat(timeZone: TestCity.zone))
        let heading = try #require(lines.firstIndex(of: "## Accountability (问责)"))
        #expect(lines[heading + 2] == "| case | unit | name | measure | recorded by | at |")
        #expect(lines[heading + 4].hasPrefix("| \(c.id) | SANIT | ") && lines[heading + 4].contains("| 约谈部门负责人 | city-supervisor | 2026-11-23"))
        #expect(!lines.contains { $0.contains("十二月") })
        let empty = try city.store.monthlyBulletin(period: EvaluationPeriod.month(parsing: "2026-10"), at: december)
        #expect(empty.markdown(format: InstantFormat(timeZone: TestCity.zone)).contains("No one was held accountable this period."))
    }
}
