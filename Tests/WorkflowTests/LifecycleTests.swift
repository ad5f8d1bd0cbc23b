import Foundation
import Testing
@testable import Workflow

@Suite struct ClosedLoopTests {
    let t0 = TestCity.monday9

    @Test func inspectorReportTravelsTheWholeLoopAndClosesNormal() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report()
        #expect(c.state == .reported)
        #expect(c.monitorCenterID == "CITY-M")
        #expect(c.confirmed, "inspector reports need no verification")
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        let filed = try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(10))
        #expect(filed.state == .filed && filed.commandCenterID == "CITY-C" && filed.departmentCode == "SANIT")
        let dispatched = try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t0.after(15))
        #expect(dispatched.state == .dispatched)
        // Exposed rubbish: 4 working hours from 09:15 Monday → 13:45 the same day, across lunch.
        #expect(dispatched.deadline == TestCity.at("2026-11-23T14:45:00+08:00"))
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t0.after(65))
        try city.act(.pass, c.id, as: "insp-a", at: t0.after(80))
        let closed = try city.act(.close, c.id, as: try city.lead(.close, c.id), at: t0.after(85))
        #expect(closed.state == .closed && closed.closeType == .normal && closed.deadline == nil)
        let history = try city.store.history(of: c.id)
        #expect(history.map(\.entry.action) == ["report", "accept", "file", "dispatch", "handle", "check", "pass", "close"])
        #expect(history.map(\.entry.to) == [.reported, .accepted, .filed, .dispatched, .handled, .checking, .checked, .closed])
        #expect(history[3].actorLogin == "city-dispatcher" && history[3].entry.role == .dispatcher && history[3].entry.centerID == "CITY-C")
    }

    @Test func publicReportMustBeConfirmedBeforeFiling() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(by: "city-intake", source: .hotline)
        #expect(c.source == .hotline && !c.confirmed)
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        #expect(throws: WorkflowError.self) { try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(6)) }
        let verifying = try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: t0.after(7))
        #expect(verifying.state == .verifying)
        let confirmed = try city.act(.confirm, c.id, as: "insp-a", at: t0.after(20))
        #expect(confirmed.state == .accepted && confirmed.confirmed)
        #expect(try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(25)).state == .filed)
    }

    @Test func inspectorFindingNothingCancelsTheReport() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(by: "city-intake", source: .web)
        try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: t0.after(5))
        let after = try city.act(.invalid, c.id, as: "insp-a", note: "nothing there", at: t0.after(30))
        #expect(after.state == .cancelled && !after.state.isOpen)
    }

    @Test func verifyGoesOnlyToAnInspectorOfTheCellsPatrolArea() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(by: "city-intake", source: .hotline)
        #expect(throws: WorkflowError.self) { try city.act(.verify, c.id, as: "city-intake", to: "insp-b", at: t0.after(5)) }
        #expect(throws: WorkflowError.self) { try city.act(.verify, c.id, as: "city-intake", to: "city-lead", at: t0.after(5)) }
        try city.act(.verify, c.id, as: "city-intake", to: "insp-a2", at: t0.after(5))
        // Only the assigned inspector may answer.
        #expect(throws: WorkflowError.self) { try city.act(.confirm, c.id, as: "insp-a", at: t0.after(6)) }
        try city.act(.confirm, c.id, as: "insp-a2", at: t0.after(6))
    }

    @Test func failedCheckSendsTheCaseBackToTheSameDepartmentAndCountsRework() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t0.after(65))
        let reworked = try city.act(.fail, c.id, as: "insp-a", note: "still there", at: t0.after(90))
        #expect(reworked.state == .dispatched && reworked.departmentCode == "SANIT" && reworked.reworkCount == 1)
        // The handling clock restarts: 4 working hours from 10:30 → 90 min to noon, 150 after 13:30.
        #expect(reworked.stageStartedAt == t0.after(90))
        #expect(reworked.deadline == TestCity.at("2026-11-23T16:00:00+08:00"))
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(120))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t0.after(125))
        let twice = try city.act(.fail, c.id, as: "insp-a", at: t0.after(130))
        #expect(twice.reworkCount == 2)
    }

    @Test func handlingAfterTheDeadlineClosesOverdue() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        let late = TestCity.at("2026-11-23T16:00:00+08:00")
        try city.act(.handle, c.id, as: "sanit-110101", at: late)
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: late.after(5))
        try city.act(.pass, c.id, as: "insp-a", at: late.after(10))
        let closed = try city.act(.close, c.id, as: try city.lead(.close, c.id), at: late.after(15))
        #expect(closed.closeType == .overdue)
        let handleRow = try city.store.history(of: c.id).first { $0.entry.action == "handle" }
        #expect(handleRow?.entry.late == true)
    }

    @Test func returnApprovedGoesBackToFiledWithoutADepartment() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        let requested = try city.act(.requestReturn, c.id, as: "sanit-110101", note: "not ours", at: t0.after(30))
        #expect(requested.state == .dispatched && requested.pending?.kind == .return && requested.pending?.note == "not ours")
        #expect(throws: WorkflowError.self) { try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(31)) }
        #expect(throws: WorkflowError.self) { try city.act(.requestExtension, c.id, as: "sanit-110101", hours: 2, at: t0.after(31)) }
        let approved = try city.act(.approve, c.id, as: "city-dispatcher", at: t0.after(40))
        #expect(approved.state == .filed && approved.departmentCode == nil && approved.returnCount == 1 && approved.pending == nil)
        let again = try city.act(.dispatch, c.id, as: "city-dispatcher", to: "STREET", at: t0.after(45))
        #expect(again.departmentCode == "STREET")
    }

    @Test func refusedRequestIsDroppedAndTheCaseStays() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        try city.act(.requestSuspension, c.id, as: "sanit-110101", note: "budget", at: t0.after(30))
        let refused = try city.act(.refuse, c.id, as: "city-dispatcher", note: "handle it", at: t0.after(35))
        #expect(refused.state == .dispatched && refused.pending == nil && refused.deadline == c.deadline)
        #expect(throws: WorkflowError.self) { try city.act(.approve, c.id, as: "city-dispatcher", at: t0.after(36)) }
    }

    @Test func approvedExtensionMovesTheDeadlineByWorkingHours() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // dispatched 09:20, due 14:50 Monday
        #expect(c.deadline == TestCity.at("2026-11-23T14:50:00+08:00"))
        try city.act(.requestExtension, c.id, as: "sanit-110101", note: "need a crew", hours: 4, at: t0.after(30))
        let extended = try city.act(.approve, c.id, as: "city-dispatcher", at: t0.after(40))
        // 14:50 + 4 working hours: 2h40 to 17:30, then 1h20 from 08:30 Tuesday.
        #expect(extended.deadline == TestCity.at("2026-11-24T09:50:00+08:00"))
        #expect(extended.budgetMinutes == 240 + 240 && extended.extensionCount == 1)
    }

    @Test func suspensionStopsTheClockAndResumeRestartsItWithWhatWasLeft() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // 09:20 → 14:50, 240 working minutes
        try city.act(.requestSuspension, c.id, as: "sanit-110101", note: "needs a project", at: t0.after(30))
        let suspended = try city.act(.approve, c.id, as: "city-dispatcher", at: t0.after(40)) // 09:40: 20 min used
        #expect(suspended.state == .suspended && suspended.deadline == nil && suspended.frozenRemainingMinutes == 220)
        #expect(suspended.dueState(at: t0.after(60 * 24 * 7)) == .green, "a stopped clock does not run out")
        #expect(!suspended.isOverdue(at: t0.after(60 * 24 * 7)))
        let resumeAt = TestCity.at("2026-11-30T08:30:00+08:00")
        let resumed = try city.act(.resume, c.id, as: "city-dispatcher", at: resumeAt)
        #expect(resumed.state == .dispatched)
        // 220 working minutes from 08:30: 210 until noon, 10 after lunch.
        #expect(resumed.deadline == TestCity.at("2026-11-30T13:40:00+08:00"))
    }

    @Test func rejectAndCancelNeedAReason() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report()
        #expect(throws: WorkflowError.refusal(.missingNote(verb: "reject", meaning: .reason))) {
            try city.act(.reject, c.id, as: "city-lead", at: t0.after(5))
        }
        #expect(throws: WorkflowError.self) { try city.act(.cancel, c.id, as: "city-lead", note: "   ", at: t0.after(5)) }
        let cancelled = try city.act(.cancel, c.id, as: "city-lead", note: "duplicate of a closed case", at: t0.after(5))
        #expect(cancelled.state == .cancelled)
        #expect(throws: WorkflowError.self) { try city.act(.urge, c.id, as: "city-lead", at: t0.after(6)) }
    }

    @Test func mergeMovesReportsAndRecordsItOnBothCases() throws {
        let city = try TestCity(model: .centralized)
        let survivor = try city.report()
        let duplicate = try city.report(by: "city-intake", source: .hotline, text: "同一处垃圾", at: t0.after(3))
        #expect(throws: WorkflowError.self) { try city.act(.merge, duplicate.id, as: "city-intake", to: String(duplicate.id), at: t0.after(4)) }
        let merged = try city.act(.merge, duplicate.id, as: "city-intake", to: String(survivor.id), at: t0.after(4))
        #expect(merged.state == .cancelled)
        let detail = try city.store.detail(survivor.id)
        #expect(detail.reports.count == 2)
        #expect(detail.reports.map(\.originalCaseID).sorted() == [survivor.id, duplicate.id])
        #expect(detail.history.last?.entry.action == "merge" && detail.history.last?.entry.target == String(duplicate.id))
        #expect(try city.store.history(of: duplicate.id).last?.entry.target == String(survivor.id))
        // Merging into a closed or cancelled case is refused.
        let third = try city.report(at: t0.after(5))
        #expect(throws: WorkflowError.self) { try city.act(.merge, third.id, as: "city-intake", to: String(duplicate.id), at: t0.after(6)) }
    }

    @Test func urgeLeavesTheStateAndCountsTheFlag() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        let urged = try city.act(.urge, c.id, as: "city-supervisor", note: "overdue soon", at: t0.after(30))
        #expect(urged.state == .dispatched && urged.urgeCount == 1)
        #expect(try city.store.history(of: c.id).last?.entry.from == .dispatched)
        #expect(throws: WorkflowError.self) { try city.act(.urge, c.id, as: "city-intake", at: t0.after(31)) }
    }

    @Test func anActionCannotBeDatedBeforeTheCasesLastEvent() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(at: t0.after(30))
        #expect(throws: WorkflowError.self) { try city.act(.accept, c.id, as: "city-intake", at: t0) }
    }

    @Test func dueStateTurnsYellowAtEightyPercentAndRedWhenOverdue() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // 09:20 → 14:50 (240 working minutes); 80% = 192 min → 14:02 (lunch skipped)
        #expect(c.dueState(at: TestCity.at("2026-11-23T12:30:00+08:00")) == .green)
        #expect(c.dueState(at: TestCity.at("2026-11-23T14:01:00+08:00")) == .green)
        #expect(c.dueState(at: TestCity.at("2026-11-23T14:02:00+08:00")) == .yellow)
        #expect(c.dueState(at: TestCity.at("2026-11-23T14:50:00+08:00")) == .yellow)
        #expect(c.dueState(at: TestCity.at("2026-11-23T14:51:00+08:00")) == .red)
        #expect(!c.isOverdue(at: TestCity.at("2026-11-23T14:50:00+08:00")))
        #expect(c.isOverdue(at: TestCity.at("2026-11-23T14:51:00+08:00")))
    }

    @Test func urgentCategoriesRunOnCalendarTime() throws {
        let city = try TestCity(model: .centralized)
        let friday = TestCity.at("2026-11-27T20:00:00+08:00")
        let c = try city.report(category: "0403", at: friday)   // gas pipe leak: urgent, 1 hour
        #expect(c.urgent)
        #expect(c.deadline == friday.after(30), "even intake runs round the clock for urgent cases")
        try city.act(.accept, c.id, as: "city-intake", at: friday.after(5))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: friday.after(10))
        let d = try city.act(.dispatch, c.id, as: "city-dispatcher", to: "ROADS", at: friday.after(15))
        #expect(d.deadline == friday.after(75))
    }
}
