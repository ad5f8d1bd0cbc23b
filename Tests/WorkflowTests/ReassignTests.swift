import Foundation
import Testing
@testable import Workflow

/// Moving a case's current task: inspectors' tasks by the shift lead, dispatched cases by the dispatcher.
@Suite struct ReassignTests {
    let t0 = TestCity.monday9

    func verifying(_ city: TestCity) throws -> ServiceCase {
        let c = try city.report(by: "city-intake", source: .hotline, at: t0)
        return try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: t0.after(5))
    }

    @Test func overdueVerifyTaskCanBeReassignedByShiftLeadToAnotherInspectorOfThePatrolArea() throws {
        let city = try TestCity(model: .centralized)
        let c = try verifying(city)
        let later = t0.after(60)   // the 09:05 task was due 09:35
        let moved = try city.act(.reassign, c.id, as: "city-lead", to: "insp-a2", note: "insp-a is off sick", at: later)
        let a2 = try city.store.findOperator("insp-a2")
        #expect(moved.state == .verifying && moved.assigneeID == a2.id)
        #expect(moved.stageStartedAt == later && moved.deadline == later.after(30), "the new inspector gets a fresh clock")
        let row = try #require(try city.store.history(of: c.id).last)
        #expect(row.entry.action == "reassign" && row.entry.target == "insp-a2" && row.entry.note == "insp-a is off sick")
        #expect(row.actorLogin == "city-lead" && row.entry.late, "the lateness stays on record")
        // The old inspector can no longer answer; the new one can.
        #expect(throws: WorkflowError.self) { try city.act(.confirm, c.id, as: "insp-a", at: later.after(1)) }
        try city.act(.confirm, c.id, as: "insp-a2", at: later.after(2))
    }

    @Test func reassignNeedsAReasonAnInspectorOfTheAreaAndTheRightRole() throws {
        let city = try TestCity(model: .centralized)
        let c = try verifying(city)
        func attempt(_ actor: String, _ target: String, _ note: String?) -> WorkflowError? {
            do { try city.act(.reassign, c.id, as: actor, to: target, note: note, at: t0.after(10)); return nil } catch let e as WorkflowError { return e } catch { return nil }
        }
        #expect(attempt("city-lead", "insp-a2", nil) == .refusal(.missingNote(verb: "reassign", meaning: .reason)))
        #expect(attempt("city-lead", "insp-b", "why") == .refusal(.notInPatrolArea(login: "insp-b", cell: c.cellCode, patrolArea: "PA-A")))
        #expect(attempt("city-lead", "insp-a", "same").map { if case .invalidInput = $0 { true } else { false } } == true)
        #expect(attempt("city-dispatcher", "insp-a2", "why")?.description.contains("shift-lead") == true)
        #expect(attempt("city-intake", "insp-a2", "why")?.exitCode == 3)
        #expect(try city.historyCount() == 2)
        let actions = Lifecycle.availableActions(on: try city.store.serviceCase(c.id), by: try city.store.findOperator("city-lead"), rules: try city.store.settings().rules)
        #expect(actions.contains(.reassign))
        #expect(!Lifecycle.availableActions(on: try city.store.serviceCase(c.id), by: try city.store.findOperator("city-dispatcher"), rules: try city.store.settings().rules).contains(.reassign))
    }

    @Test func dispatcherReassignsADispatchedCaseToAnotherDepartmentRestartingTheHandlingClock() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        let moved = try city.act(.reassign, c.id, as: "city-dispatcher", to: "roads", note: "pothole, not rubbish", at: t0.after(120))
        #expect(moved.state == .dispatched && moved.departmentCode == "ROADS" && moved.stageStartedAt == t0.after(120))
        #expect(throws: WorkflowError.self, "SANIT no longer holds it") { try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(121)) }
        try city.act(.requestReturn, c.id, as: "roads-110101", note: "not ours either", at: t0.after(122))
        #expect(throws: WorkflowError.self, "a pending request is decided first") {
            try city.act(.reassign, c.id, as: "city-dispatcher", to: "STREET", note: "again", at: t0.after(123))
        }
        #expect(throws: WorkflowError.self, "a lead does not move a department's case") {
            try city.act(.reassign, c.id, as: "city-lead", to: "STREET", note: "x", at: t0.after(123))
        }
    }

    @Test func cityDispatcherReDispatchesToTheDistrictCommandCenter() throws {
        let city = try TestCity(model: .oneMonitorTwoCommand)
        let c = try city.report(at: t0)
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(2))
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t0.after(3))
        #expect(throws: WorkflowError.self) { try city.act(.reassign, c.id, as: "city-dispatcher", to: "110102-C", note: "x", at: t0.after(4)) }
        let moved = try city.act(.reassign, c.id, as: "city-dispatcher", to: "110101-C", note: "the district knows this street", at: t0.after(5))
        #expect(moved.state == .filed && moved.commandCenterID == "110101-C" && moved.departmentCode == nil)
        try city.act(.dispatch, c.id, as: "110101-dispatcher", to: "STREET", at: t0.after(6))
    }

    @Test func workloadShowsOpenTasksPerInspectorAndDepartmentForTheChooser() throws {
        let city = try TestCity(model: .centralized)
        let c = try verifying(city)
        _ = try verifying(city)
        _ = try city.dispatchedCase()
        let lead = try city.store.findOperator("city-lead")
        let forCase = try city.store.workload(for: lead, case: c.id, at: t0.after(120))
        #expect(forCase.inspectors.map(\.key) == ["insp-a2", "insp-a"], "least loaded first; only the cell's patrol area")
        #expect(forCase.inspectors.last?.open == 2 && forCase.inspectors.last?.overdue == 2 && forCase.departments.isEmpty)
        let dispatcher = try city.store.findOperator("city-dispatcher")
        let departments = try city.store.workload(for: dispatcher, at: t0.after(120)).departments
        #expect(departments.first { $0.key == "SANIT" }?.open == 1 && departments.first { $0.key == "ROADS" }?.open == 0)
    }
}
