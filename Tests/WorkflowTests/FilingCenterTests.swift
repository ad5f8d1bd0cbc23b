import Foundation
import Testing
@testable import Workflow

/// Issue 18: who files (立案) and closes (结案). The site settings `filing.center` and `closing.center` name the monitoring
/// or the command center; the shift leads of that center, and only they, file and close, in every model. Unset, the
/// centralized model has the command center do both, the other models the monitoring center.
@Suite struct FilingCenterTests {
    let t0 = TestCity.monday9

    static let settings: [(filing: CenterKind, closing: CenterKind)] = [
        (.monitoring, .monitoring), (.monitoring, .command), (.command, .monitoring), (.command, .command),
    ]

    /// A center's kind is read back from the id `Center.id` gives it, at both tiers; no other id has one.
    @Test func aCentersKindComesBackFromItsID() {
        for kind in [CenterKind.monitoring, .command] {
            #expect(Center.kind(ofID: Center.id(kind: kind, tier: .city, district: nil)) == kind)
            #expect(Center.kind(ofID: Center.id(kind: kind, tier: .district, district: "110101")) == kind)
        }
        #expect(Center.kind(ofID: "SANIT") == nil && Center.kind(ofID: "") == nil)
    }

    @Test func theModelDecidesWhenTheSiteDoesNot() {
        for model in ManagementModel.allCases {
            let rules = CaseRules(model: model)
            let expected: CenterKind = model == .centralized ? .command : .monitoring
            #expect(rules.filingCenter == expected && rules.closingCenter == expected, "\(model)")
            #expect(CaseRules(model: model, filingCenter: .command).closingCenter == expected)
        }
    }

    /// District A's inspector reports; by hand, per model: the monitoring center that takes it in, the command center
    /// it is filed to, and the command center that holds it when it is closed (after the district dispatched it).
    func expected(_ model: ManagementModel) -> (monitor: String, filedTo: String, closedAt: String) {
        switch model {
        case .centralized: ("CITY-M", "CITY-C", "CITY-C")
        case .oneMonitorTwoCommand: ("CITY-M", "CITY-C", "110101-C")
        case .twoMonitorOneCommand: ("110101-M", "110101-C", "110101-C")
        case .twoMonitorTwoCommand: ("110101-M", "110101-C", "110101-C")
        }
    }

    /// The shift lead of each center of the test city.
    func lead(of center: String) -> String {
        ["CITY-M": "city-lead", "110101-M": "110101-lead", "CITY-C": "city-command-lead", "110101-C": "110101-command-lead"][center]!
    }

    @Test(arguments: ManagementModel.allCases, settings.indices)
    func filingAndClosingAreTheNamedCentersShiftLeads(model: ManagementModel, setting: Int) throws {
        let (filing, closing) = Self.settings[setting]
        let city = try TestCity(model: model, filing: filing, closing: closing)
        let rules = try city.store.settings().rules
        #expect(rules == CaseRules(model: model, filingCenter: filing, closingCenter: closing))
        let centers = expected(model)
        let filer = lead(of: filing == .monitoring ? centers.monitor : centers.filedTo)
        let notFiler = lead(of: filing == .monitoring ? centers.filedTo : centers.monitor)

        let c = try city.report()
        #expect(c.monitorCenterID == centers.monitor)
        try city.act(.accept, c.id, as: city.intakeA, at: t0.after(1))
        // The console's list and the action agree: the other center's shift lead is refused, as not the stage's holder.
        let accepted = try city.store.serviceCase(c.id)
        #expect(Lifecycle.availableActions(on: accepted, by: try city.store.findOperator(filer), rules: rules).contains(.file))
        #expect(!Lifecycle.availableActions(on: accepted, by: try city.store.findOperator(notFiler), rules: rules).contains(.file))
        do {
            try city.act(.file, c.id, as: notFiler, at: t0.after(2))
            Issue.record("\(notFiler) filed under filing.center \(filing)")
        } catch let error as WorkflowError {
            guard case .refusal(.siteCenterStage(.file, c.id, filing, _, notFiler, _)) = error else {
                Issue.record("\(error)"); return
            }
            #expect(error.exitCode == 3)
        }
        let filed = try city.act(.file, c.id, as: filer, at: t0.after(2))
        #expect(filed.state == .filed && filed.commandCenterID == centers.filedTo)
        #expect(try city.store.history(of: c.id).last?.entry.centerID == (filing == .monitoring ? centers.monitor : centers.filedTo))

        // Dispatch (through the district where the city routes), handle, check.
        if filed.commandCenterID == "CITY-C" && model.hasDistrictCommand {
            try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110101-C", at: t0.after(3))
        }
        try city.act(.dispatch, c.id, as: city.dispatcher(for: try city.store.serviceCase(c.id)), to: "SANIT", at: t0.after(4))
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(30))
        try city.act(.check, c.id, as: city.intakeA, to: "insp-a", at: t0.after(31))
        let checked = try city.act(.pass, c.id, as: "insp-a", at: t0.after(32))
        #expect(checked.state == .checked && checked.commandCenterID == centers.closedAt)

        let closer = lead(of: closing == .monitoring ? centers.monitor : centers.closedAt)
        let notCloser = lead(of: closing == .monitoring ? centers.closedAt : centers.monitor)
        #expect(Lifecycle.availableActions(on: checked, by: try city.store.findOperator(closer), rules: rules).contains(.close))
        #expect(!Lifecycle.availableActions(on: checked, by: try city.store.findOperator(notCloser), rules: rules).contains(.close))
        #expect(throws: WorkflowError.refusal(.siteCenterStage(action: .close, caseID: c.id, kind: closing, center: closing == .monitoring ? centers.monitor : centers.closedAt,
                                                                login: notCloser, actorCenter: try city.store.findOperator(notCloser).centerID))) {
            try city.act(.close, c.id, as: notCloser, at: t0.after(33))
        }
        let closed = try city.act(.close, c.id, as: closer, at: t0.after(33))
        #expect(closed.state == .closed && closed.closeType == .normal)
        #expect(try city.store.history(of: c.id).last?.entry.role == .shiftLead)
    }

    /// What `act` was refused with, or nil where it went ahead (or failed otherwise).
    func refusal(_ city: TestCity, _ action: CaseAction, _ id: Int64, as login: String, at time: Date) -> Refusal? {
        do { try city.act(action, id, as: login, at: time) } catch WorkflowError.refusal(let refusal) { return refusal } catch { return nil }
        return nil
    }

    /// With two tiers of monitoring the city monitoring center has its own inspectors and its own intake: a case its
    /// inspector reports is the city center's, accepted by its intake (the district's is refused), filed to the city
    /// command center with two tiers of command and the district's with one (by hand), and filed and closed by the
    /// shift leads of the center each setting names; the other center's shift lead, the district monitoring center's,
    /// and a dispatcher are refused, each with its typed refusal.
    @Test(arguments: [ManagementModel.twoMonitorOneCommand, .twoMonitorTwoCommand], settings.indices)
    func theCityMonitoringCentersOwnCasesFollowTheSettings(model: ManagementModel, setting: Int) throws {
        let (filing, closing) = Self.settings[setting]
        let city = try TestCity(model: model, filing: filing, closing: closing)
        try city.store.addOperator(login: "city-insp", name: "孙监督", role: .inspector, centerID: "CITY-M", patrolAreaID: "PA-A")
        let commandCenter = model == .twoMonitorTwoCommand ? "CITY-C" : "110101-C"
        let commandLead = lead(of: commandCenter)
        let dispatcher = model == .twoMonitorTwoCommand ? "city-dispatcher" : "110101-dispatcher"

        let c = try city.report(by: "city-insp")
        #expect(c.monitorCenterID == "CITY-M")
        #expect(refusal(city, .accept, c.id, as: "110101-intake", at: t0.after(1))
                == .otherMonitoringCenter(caseID: c.id, center: "CITY-M", login: "110101-intake", actorCenter: "110101-M"))
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))

        let filer = filing == .monitoring ? "city-lead" : commandLead
        let filingCenter = filing == .monitoring ? "CITY-M" : commandCenter
        for (login, center) in [("110101-lead", "110101-M"), (filing == .monitoring ? commandLead : "city-lead", filing == .monitoring ? commandCenter : "CITY-M")] {
            #expect(refusal(city, .file, c.id, as: login, at: t0.after(2))
                    == .siteCenterStage(action: .file, caseID: c.id, kind: filing, center: filingCenter, login: login, actorCenter: center))
        }
        guard case .wrongRole(_, _, dispatcher, .dispatcher)? = refusal(city, .file, c.id, as: dispatcher, at: t0.after(2)) else {
            Issue.record("a dispatcher filed"); return
        }
        let filed = try city.act(.file, c.id, as: filer, at: t0.after(2))
        #expect(filed.commandCenterID == commandCenter)
        #expect(try city.store.history(of: c.id).last?.entry.centerID == filingCenter)

        try city.act(.dispatch, c.id, as: dispatcher, to: "SANIT", at: t0.after(3))
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(30))
        // The city's intake sends its own inspector to check.
        try city.act(.check, c.id, as: "city-intake", to: "city-insp", at: t0.after(31))
        let checked = try city.act(.pass, c.id, as: "city-insp", at: t0.after(32))
        #expect(checked.state == .checked && checked.commandCenterID == commandCenter)

        let closer = closing == .monitoring ? "city-lead" : commandLead
        let closingCenter = closing == .monitoring ? "CITY-M" : commandCenter
        for (login, center) in [("110101-lead", "110101-M"), (closing == .monitoring ? commandLead : "city-lead", closing == .monitoring ? commandCenter : "CITY-M")] {
            #expect(refusal(city, .close, c.id, as: login, at: t0.after(33))
                    == .siteCenterStage(action: .close, caseID: c.id, kind: closing, center: closingCenter, login: login, actorCenter: center))
        }
        guard case .wrongRole(_, _, dispatcher, .dispatcher)? = refusal(city, .close, c.id, as: dispatcher, at: t0.after(33)) else {
            Issue.record("a dispatcher closed"); return
        }
        let closed = try city.act(.close, c.id, as: closer, at: t0.after(33))
        #expect(closed.state == .closed)
        #expect(try city.store.history(of: c.id).last?.entry.centerID == closingCenter)
    }

    /// Which kind of center's shift leads take each action: the settings' for filing and closing, the monitoring
    /// center's for the rest (what the console offers a shift lead).
    @Test func theShiftLeadsActionsByKindOfCenter() {
        let rules = CaseRules(model: .twoMonitorTwoCommand, filingCenter: .command, closingCenter: .monitoring)
        #expect(rules.shiftLeadCenterKind(for: .file) == .command && rules.shiftLeadCenterKind(for: .close) == .monitoring)
        #expect(rules.shiftLeadCenterKind(for: .reject) == .monitoring && rules.shiftLeadCenterKind(for: .urge) == .monitoring)
        #expect(CaseRules(model: .centralized).shiftLeadCenterKind(for: .close) == .command)
    }

    /// Only filing and closing move: rejecting, cancelling and moving an inspector's task stay with the monitoring
    /// center's shift leads, and a command center's shift lead takes none of them.
    @Test(arguments: ManagementModel.allCases)
    func theOtherShiftLeadActionsStayWithTheMonitoringCenter(model: ManagementModel) throws {
        let city = try TestCity(model: model, filing: .command, closing: .command)
        let rules = try city.store.settings().rules
        let c = try city.report()
        try city.act(.accept, c.id, as: city.intakeA, at: t0.after(1))
        let accepted = try city.store.serviceCase(c.id)
        let commandLead = lead(of: expected(model).filedTo)
        #expect(Lifecycle.availableActions(on: accepted, by: try city.store.findOperator(commandLead), rules: rules) == [.file])
        #expect(!Lifecycle.availableActions(on: accepted, by: try city.store.findOperator(city.leadA), rules: rules).contains(.file))
        #expect(throws: WorkflowError.self) { try city.act(.reject, c.id, as: commandLead, note: "not ours", at: t0.after(2)) }
        #expect(try city.act(.reject, c.id, as: city.leadA, note: "not ours", at: t0.after(2)).state == .cancelled)
    }

    @Test func aShiftLeadWorksInEitherKindOfCenterAndOtherRolesKeepTheirs() throws {
        let city = try TestCity(model: .oneMonitorTwoCommand)
        #expect(try city.store.addOperator(login: "lead-c2", name: "值班", role: .shiftLead, centerID: "110102-C").centerID == "110102-C")
        #expect(throws: WorkflowError.self) { try city.store.addOperator(login: "intake-c", name: "受理", role: .intake, centerID: "CITY-C") }
        #expect(throws: WorkflowError.self) { try city.store.addOperator(login: "disp-m", name: "派遣", role: .dispatcher, centerID: "CITY-M") }
        #expect(throws: WorkflowError.self) { try city.store.addOperator(login: "lead-none", name: "值班", role: .shiftLead, centerID: nil) }
    }

    /// The settings are stored as site rows, change the store's rules at once, and an unknown stored value is a storage error.
    @Test func theSettingIsStoredAndReadBack() throws {
        let city = try TestCity(model: .twoMonitorOneCommand)
        #expect(try city.store.settings().filingCenter == nil && city.store.context().rules.filingCenter == .monitoring)
        try city.store.addOperator(login: "admin", name: "Admin", role: .admin, centerID: nil)
        #expect(throws: WorkflowError.self, "an admin's") { try city.store.setCaseRules(filing: .command, closing: nil, by: "110101-lead", at: t0) }
        let rules = try city.store.setCaseRules(filing: .command, closing: nil, by: "admin", at: t0)
        #expect(rules.filingCenter == .command && rules.closingCenter == .monitoring)
        #expect(try city.store.context().rules == rules)
        #expect(throws: WorkflowError.self) { try city.store.setCaseRules(filing: nil, closing: nil, by: "admin", at: t0) }
        try city.store.writer.write { db in try db.execute(sql: "UPDATE site SET value = 'both' WHERE key = 'filing.center'") }
        #expect(throws: WorkflowError.self) { try city.store.settings() }
    }
}
