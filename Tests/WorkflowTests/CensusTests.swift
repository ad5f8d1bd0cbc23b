import Foundation
import Testing
@testable import Workflow

/// Census campaigns (专项普查, issue 17 part 3): tasks per patrol area, who may record what, progress, and a census
/// applied at its close.
@Suite struct CensusTests {
    let t0 = TestCity.monday9
    var due: Date { t0.addingTimeInterval(7 * 86_400) }

    @Test func aCensusHasATaskPerPatrolAreaWithItsComponentsToSurvey() throws {
        let city = try ComponentTests.city()
        let report = try city.store.startCensus(classCode: "0305", region: nil, due: due, by: "city-lead", at: t0)
        #expect(report.census.state == .open && report.census.regionCode == "110000" && report.census.startedBy == "city-lead")
        // PA-A holds three bins in place (the removed one is not surveyed); PA-B none.
        #expect(report.areas.map(\.patrolArea) == ["PA-A", "PA-B"])
        #expect(report.areas.map(\.expected) == [3, 0] && report.surveyed == 0)
        // One open census per class and region; only supervisors and shift leads start them; a due date after now.
        #expect(throws: WorkflowError.self) { try city.store.startCensus(classCode: "0305", region: "110101", due: due, by: "city-lead", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.startCensus(classCode: "0101", region: nil, due: due, by: "insp-a", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.startCensus(classCode: "0101", region: nil, due: t0, by: "city-supervisor", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.startCensus(classCode: "0999", region: nil, due: due, by: "city-supervisor", at: t0) }
        #expect(try city.store.startCensus(classCode: "0101", region: "110102", due: due, by: "city-supervisor", at: t0).areas.map(\.patrolArea) == ["PA-B"])
    }

    @Test func recordsAreTheInspectorsOfTheAreaAndSayWhatTheyMust() throws {
        let city = try ComponentTests.city()
        let id = try city.store.startCensus(classCode: "0305", region: nil, due: due, by: "city-lead", at: t0).census.id
        func record(_ d: CensusRecordDraft, _ who: String = "insp-a") throws -> CensusRecord { try city.store.recordCensus(d, by: who, at: t0.after(5)) }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .confirm, componentID: ComponentTests.bin), "insp-b") }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .confirm, componentID: ComponentTests.bin), "city-intake") }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .correct, componentID: ComponentTests.bin)) }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .confirm, componentID: ComponentTests.removedBin)) }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .add)) }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .add, cellCode: TestCity.cellB)) }
        #expect(throws: WorkflowError.self) { try record(CensusRecordDraft(censusID: id, kind: .retire, componentID: ComponentTests.bin, state: .damaged)) }
        let added = try record(CensusRecordDraft(censusID: id, kind: .add, cellCode: TestCity.cellA2, name: "新垃圾箱"))
        #expect(added.componentID == "1101010305000005", "numbered after the largest serial of the class in the district")
        #expect(added.patrolArea == "PA-A")
        #expect(try city.store.censusReport(id).areas.first?.added == 1)
    }

    @Test func closingACensusAppliesItsRecordsAndSaysWhatChanged() throws {
        let city = try ComponentTests.city()
        let id = try city.store.startCensus(classCode: "0305", region: "110101", due: due, by: "city-lead", at: t0).census.id
        func record(_ d: CensusRecordDraft) throws { _ = try city.store.recordCensus(d, by: "insp-a", at: t0.after(5)) }
        try record(CensusRecordDraft(censusID: id, kind: .confirm, componentID: ComponentTests.bin))
        // A later record of the same component wins.
        try record(CensusRecordDraft(censusID: id, kind: .confirm, componentID: ComponentTests.bin, state: .damaged))
        try record(CensusRecordDraft(censusID: id, kind: .correct, componentID: ComponentTests.orphanBin, name: "东门垃圾箱", department: "STREET"))
        try record(CensusRecordDraft(censusID: id, kind: .retire, componentID: ComponentTests.nearBin, note: "拆除"))
        try record(CensusRecordDraft(censusID: id, kind: .add, cellCode: TestCity.cellA2))
        let open = try city.store.censusReport(id)
        #expect(open.areas == [CensusAreaProgress(patrolArea: "PA-A", expected: 3, surveyed: 3, confirmed: 1, corrected: 1, retired: 1, added: 1)])
        #expect(open.areas.first?.percent == 100 && open.changes.isEmpty)
        #expect(try city.store.component(ComponentTests.bin).component.state == .normal, "nothing changes before the close")
        #expect(throws: WorkflowError.self) { try city.store.closeCensus(id, by: "insp-a", at: t0.after(60)) }
        let closed = try city.store.closeCensus(id, by: "city-lead", at: t0.after(60))
        #expect(closed.census.state == .closed && closed.census.closedBy == "city-lead")
        #expect(closed.changes == [
            CensusChange(componentID: ComponentTests.bin, kind: .confirm, changes: ["state normal → damaged"]),
            CensusChange(componentID: ComponentTests.orphanBin, kind: .correct, changes: ["name 垃圾箱 2 → 东门垃圾箱", "owner SANIT → STREET"]),
            CensusChange(componentID: ComponentTests.nearBin, kind: .retire, changes: ["state normal → removed"]),
            CensusChange(componentID: "1101010305000005", kind: .add, changes: ["added in cell \(TestCity.cellA2)"]),
        ])
        #expect(try city.store.component(ComponentTests.bin).component.state == .damaged)
        let orphan = try city.store.component(ComponentTests.orphanBin)
        #expect(orphan.component.department == "STREET" && orphan.component.name == "东门垃圾箱")
        #expect(orphan.history.map(\.action) == ["census-correct"] && orphan.history.first?.censusID == id)
        #expect(try city.store.component(ComponentTests.nearBin).component.state == .removed)
        let new = try city.store.component("1101010305000005")
        #expect(new.component.cellCode == TestCity.cellA2 && new.component.state == .normal && new.component.department == "SANIT",
                "an owner not given is the class's department")
        #expect(new.component.name == "垃圾箱 000005")
        // Closed is closed.
        #expect(throws: WorkflowError.self) { try city.store.closeCensus(id, by: "city-lead", at: t0.after(61)) }
        #expect(throws: WorkflowError.self) {
            try city.store.recordCensus(CensusRecordDraft(censusID: id, kind: .confirm, componentID: ComponentTests.bin), by: "insp-a", at: t0.after(62))
        }
    }
}
