import Foundation
import Testing
@testable import Workflow

/// Automatic escalation from a district command center to the city, under each management model.
@Suite struct EscalationTests {
    let t0 = TestCity.monday9

    /// A case SANIT handles for a district command center, dispatched at 09:20 with 240 working minutes;
    /// nil when the model has no district command center.
    func districtCase(_ city: TestCity) throws -> ServiceCase? {
        guard city.model.hasDistrictCommand else { return nil }
        let c = try city.report(at: t0)
        try city.act(.accept, c.id, as: city.intakeA, at: t0.after(5))
        let filed = try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(10))
        if filed.commandCenterID == "CITY-C" {
            try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110101-C", at: t0.after(15))
        }
        return try city.act(.dispatch, c.id, as: "110101-dispatcher", to: "SANIT", at: t0.after(20))
    }

    @Test(arguments: ManagementModel.allCases)
    func overdueCasesEscalateAtTheThresholdOnlyWhereBothCommandTiersExist(model: ManagementModel) throws {
        let city = try TestCity(model: model)
        // 1.5 × 240 = 360 working minutes: 09:20 → 12:00 is 160, so 16:50 is 360 and 16:40 only 350.
        let before = TestCity.at("2026-11-23T16:40:00+08:00"), at = TestCity.at("2026-11-23T16:50:00+08:00")
        guard let c = try districtCase(city) else {
            // Centralized: one command center, nothing to escalate to; the store does nothing.
            let other = try city.dispatchedCase()
            #expect(try city.store.autoEscalate(at: at.after(600)).isEmpty)
            #expect(try city.store.serviceCase(other.id).escalated == false)
            return
        }
        #expect(try city.store.autoEscalate(at: before).isEmpty, "overdue but under the threshold")
        let done = try city.store.autoEscalate(at: at)
        guard model.hasCityCommand else {
            #expect(done.isEmpty, "two-monitor-one-command has no city command center")
            #expect(try city.store.serviceCase(c.id).commandCenterID == "110101-C")
            return
        }
        #expect(done.map(\.serviceCase.id) == [c.id] && done.first?.fromCenter == "110101-C" && (done.first?.ratio ?? 0) >= 1.5)
        let escalated = try city.store.serviceCase(c.id)
        #expect(escalated.state == .filed && escalated.commandCenterID == "CITY-C" && escalated.escalated && escalated.departmentCode == nil)
        #expect(try city.store.autoEscalate(at: at.after(5)).isEmpty, "idempotent")
        let row = try #require(try city.store.history(of: c.id).last)
        #expect(row.entry.action == "escalate" && row.entry.actorID == nil && row.entry.centerID == "110101-C" && row.entry.target == "CITY-C")
        #expect(row.entry.note?.hasPrefix("automatic") == true && row.entry.late)
        // In the city's queue, marked escalated; in both tiers' handovers.
        let cityDispatcher = try city.store.findOperator("city-dispatcher")
        #expect(try city.store.needsAction(for: cityDispatcher, at: at.after(1)).contains { $0.id == c.id && $0.escalated })
        let district = try city.store.findOperator("110101-dispatcher")
        for viewer in [cityDispatcher, district] {
            let handover = try city.store.handover(for: viewer, at: at.after(1))
            #expect(handover.escalations.map(\.caseID) == [c.id] && handover.escalations.first?.automatic == true, "\(viewer.login)")
            #expect(handover.escalated.map(\.id) == [c.id] && handover.sinceShift.escalated == 1, "\(viewer.login)")
        }
        // The city sends it back down with instructions.
        #expect(throws: WorkflowError.self, "instructions are required") {
            try city.act(.returnToDistrict, c.id, as: "city-dispatcher", at: at.after(2))
        }
        let back = try city.act(.returnToDistrict, c.id, as: "city-dispatcher", note: "use the night crew", at: at.after(3))
        #expect(back.state == .filed && back.commandCenterID == "110101-C" && !back.escalated)
        let returned = try #require(try city.store.history(of: c.id).last)
        #expect(returned.entry.action == "return-to-district" && returned.entry.target == "110101-C" && returned.entry.note == "use the night crew")
        #expect(try city.store.handover(for: district, at: at.after(4)).sinceShift.returnedToDistrict == 1)
        try city.act(.dispatch, c.id, as: "110101-dispatcher", to: "SANIT", at: at.after(5))
    }

    @Test func thresholdIsASiteSetting() throws {
        let city = try TestCity(model: .oneMonitorTwoCommand)
        var settings = OversightSettings()
        settings.escalationThreshold = 2
        try city.store.setOversightSettings(settings)
        let c = try #require(try districtCase(city))
        #expect(try city.store.autoEscalate(at: TestCity.at("2026-11-23T16:50:00+08:00")).isEmpty)
        // 2 × 240 = 480 working minutes: 400 on Monday, 80 more by Tuesday 09:50.
        #expect(try city.store.autoEscalate(at: TestCity.at("2026-11-24T09:50:00+08:00")).map(\.serviceCase.id) == [c.id])
    }

    @Test func onlyEscalatedCasesGoBackDownAndOnlyFromTheCity() throws {
        let city = try TestCity(model: .oneMonitorTwoCommand)
        let c = try city.report(at: t0)
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(2))
        #expect(throws: WorkflowError.self) { try city.act(.returnToDistrict, c.id, as: "city-dispatcher", note: "x", at: t0.after(3)) }
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110101-C", at: t0.after(4))
        #expect(throws: WorkflowError.self) { try city.act(.returnToDistrict, c.id, as: "110101-dispatcher", note: "x", at: t0.after(5)) }
    }
}

/// The approvals inbox and the handover.
@Suite struct InboxAndHandoverTests {
    let t0 = TestCity.monday9

    @Test func inboxListsPendingRequestsWithTheDeadlineEffectPreviewed() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // due 14:50
        try city.act(.requestExtension, c.id, as: "sanit-110101", note: "need a truck", hours: 2, at: t0.after(30))
        let s = try city.dispatchedCase()
        try city.act(.requestSuspension, s.id, as: "sanit-110101", note: "needs budget", at: t0.after(40))
        let dispatcher = try city.store.findOperator("city-dispatcher")
        let items = try city.store.inbox(for: dispatcher, at: t0.after(60))
        #expect(items.map(\.serviceCase.id) == [c.id, s.id])
        let ext = items[0]
        #expect(ext.request.kind == .extension && ext.request.note == "need a truck" && ext.requestedBy == "sanit-110101" && ext.canDecide)
        #expect(ext.serviceCase.deadline == TestCity.at("2026-11-23T14:50:00+08:00"))
        #expect(ext.approved?.deadline == TestCity.at("2026-11-23T16:50:00+08:00"))
        #expect(items[1].approved?.state == .suspended && items[1].approved?.deadline == nil)
        let lead = try city.store.inbox(for: city.store.findOperator("city-lead"), at: t0.after(60))
        #expect(lead.count == 2 && !lead[0].canDecide && lead[0].approved?.deadline == ext.approved?.deadline, "a lead sees the effect too")
        #expect(try city.store.serviceCase(c.id).deadline == ext.serviceCase.deadline, "previews write nothing")
    }

    @Test func handoverCountsWhatHappenedSinceTheShiftStarted() throws {
        let city = try TestCity(model: .centralized)
        let early = try city.report(at: t0.after(-60))   // 08:00, before the 08:30 shift
        _ = early
        let c = try city.dispatchedCase()                 // reported 09:00, filed, dispatched
        try city.act(.requestReturn, c.id, as: "sanit-110101", note: "not ours", at: t0.after(30))
        let lead = try city.store.findOperator("city-lead")
        let h = try city.store.handover(for: lead, at: t0.after(60))
        #expect(h.since == TestCity.at("2026-11-23T08:30:00+08:00"))
        #expect(h.sinceShift.reported == 1 && h.sinceShift.filed == 1 && h.sinceShift.dispatched == 1)
        #expect(h.open == 2 && h.openByStage.map(\.state) == [.reported, .dispatched])
        #expect(h.overdue.map(\.serviceCase.id) == [early.id], "accept was due 08:30 + 30 working minutes")
        #expect(h.pending.map(\.serviceCase.id) == [c.id])
        let sinceEarlier = try city.store.handover(for: lead, since: t0.after(-120), at: t0.after(60))
        #expect(sinceEarlier.sinceShift.reported == 2)
    }
}
