import Foundation
import Testing
@testable import Workflow

/// The four management models: which centers exist and how a case travels between tiers.
@Suite struct ModelRoutingTests {
    let t0 = TestCity.monday9

    @Test func centralizedModelHasOnlyCityCentersAndNoEscalation() throws {
        let city = try TestCity(model: .centralized)
        #expect(Set(try city.store.centers().map(\.id)) == ["CITY-M", "CITY-C"])
        let c = try city.report()
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))
        // The centralized model has the command center file (集中指挥), unless the site says otherwise.
        #expect(throws: WorkflowError.self) { try city.act(.file, c.id, as: "city-lead", at: t0.after(2)) }
        try city.act(.file, c.id, as: "city-command-lead", at: t0.after(2))
        #expect(throws: WorkflowError.self) { try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110101-C", at: t0.after(3)) }
        #expect(throws: WorkflowError.self) { try city.act(.escalate, c.id, as: "city-dispatcher", at: t0.after(3)) }
    }

    @Test func oneMonitorTwoCommandRoutesCityToDistrictAndEscalatesBack() throws {
        let city = try TestCity(model: .oneMonitorTwoCommand)
        #expect(Set(try city.store.centers().map(\.id)) == ["CITY-M", "CITY-C", "110101-C", "110102-C"])
        let c = try city.report()
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))
        let filed = try city.act(.file, c.id, as: "city-lead", at: t0.after(2))
        #expect(filed.commandCenterID == "CITY-C")
        // The city cannot route a case to another district's command center.
        #expect(throws: WorkflowError.self) { try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110102-C", at: t0.after(3)) }
        let routed = try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110101-C", at: t0.after(3))
        #expect(routed.state == .filed && routed.commandCenterID == "110101-C")
        // Now the city dispatcher no longer holds it; the district's does.
        #expect(throws: WorkflowError.self) { try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t0.after(4)) }
        try city.act(.dispatch, c.id, as: "110101-dispatcher", to: "SANIT", at: t0.after(4))
        let escalated = try city.act(.escalate, c.id, as: "110101-dispatcher", note: "needs the city", at: t0.after(30))
        #expect(escalated.state == .filed && escalated.commandCenterID == "CITY-C" && escalated.escalated && escalated.departmentCode == nil)
        let row = try city.store.history(of: c.id).last!
        #expect(row.entry.action == "escalate" && row.entry.centerID == "110101-C" && row.entry.target == "CITY-C")
        // The city escalates no further.
        #expect(throws: WorkflowError.self) { try city.act(.escalate, c.id, as: "city-dispatcher", at: t0.after(31)) }
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "ROADS", at: t0.after(35))
    }

    @Test func twoMonitorOneCommandKeepsCasesInTheDistrict() throws {
        let city = try TestCity(model: .twoMonitorOneCommand)
        #expect(Set(try city.store.centers().map(\.id)) == ["CITY-M", "110101-M", "110101-C", "110102-M", "110102-C"])
        let c = try city.report()   // a district inspector's report
        #expect(c.monitorCenterID == "110101-M")
        #expect(throws: WorkflowError.self, "the city's intake does not hold a district-monitored case") {
            try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))
        }
        try city.act(.accept, c.id, as: "110101-intake", at: t0.after(1))
        let filed = try city.act(.file, c.id, as: "110101-lead", at: t0.after(2))
        #expect(filed.commandCenterID == "110101-C")
        // A city-found case in the district is dispatched by the district command center too.
        let cityFound = try city.report(by: "city-intake", source: .hotline, at: t0.after(3))
        #expect(cityFound.monitorCenterID == "CITY-M")
        try city.act(.verify, cityFound.id, as: "city-intake", to: "insp-a", at: t0.after(4))
        try city.act(.confirm, cityFound.id, as: "insp-a", at: t0.after(5))
        #expect(try city.act(.file, cityFound.id, as: "city-lead", at: t0.after(6)).commandCenterID == "110101-C")
        try city.act(.dispatch, c.id, as: "110101-dispatcher", to: "SANIT", at: t0.after(7))
        do {
            try city.act(.escalate, c.id, as: "110101-dispatcher", at: t0.after(8))
            Issue.record("escalated without a city command center")
        } catch let error as WorkflowError {
            #expect(error.description.contains("no city command center"))
        }
    }

    @Test func twoMonitorTwoCommandRoutesByWhoFoundTheCase() throws {
        let city = try TestCity(model: .twoMonitorTwoCommand)
        #expect(try city.store.centers().count == 6)
        let districtFound = try city.report()
        try city.act(.accept, districtFound.id, as: "110101-intake", at: t0.after(1))
        #expect(try city.act(.file, districtFound.id, as: "110101-lead", at: t0.after(2)).commandCenterID == "110101-C")
        let cityFound = try city.report(by: "city-intake", source: .leader, at: t0.after(3))
        try city.act(.verify, cityFound.id, as: "city-intake", to: "insp-a", at: t0.after(4))
        try city.act(.confirm, cityFound.id, as: "insp-a", at: t0.after(5))
        #expect(try city.act(.file, cityFound.id, as: "city-lead", at: t0.after(6)).commandCenterID == "CITY-C")
        let routed = try city.act(.dispatch, cityFound.id, as: "city-dispatcher", to: "110101-C", at: t0.after(7))
        #expect(routed.commandCenterID == "110101-C")
        let escalated = try city.act(.escalate, districtFound.id, as: "110101-dispatcher", at: t0.after(8))
        #expect(escalated.commandCenterID == "CITY-C")
    }
}
