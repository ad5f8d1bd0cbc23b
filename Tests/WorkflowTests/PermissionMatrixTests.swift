import Foundation
import GRDB
import Testing
@testable import Workflow

/// Issue 14: the permission matrix, role × action × tier × model, generated from the transition table
/// (`CaseAction.roles`, `CaseAction.fromStates`). Every cell is either allowed or refused with its documented exit code
/// (5 outside the operator's region, 3 wrong role or not the stage's holder, 4 wrong state or a pending request), and
/// the console's action list (`Lifecycle.availableActions`) gives the same answer as the action itself (`preview`,
/// which runs every rule `perform` does). The CLI and SSH exec paths are compared with this one in ConsoleAppTests.
@Suite struct PermissionMatrixTests {
    let t0 = TestCity.monday9

    struct Cell: CustomStringConvertible {
        var model: ManagementModel, state: String, login: String, role: Role, tier: Tier, action: CaseAction
        var description: String { "\(model.rawValue) \(state) \(login) (\(role.rawValue), \(tier.rawValue)) \(action.rawValue)" }
    }

    /// One case of district A in each state the loop reaches, named by state (and how it got there).
    func cases(_ city: TestCity) throws -> [(String, Int64)] {
        let s = city.store
        func at(_ m: Int) -> Date { t0.after(m) }
        var out: [(String, Int64)] = []
        let reported = try city.report(at: at(0)); out.append(("reported", reported.id))
        let accepted = try city.report(at: at(0)); try city.act(.accept, accepted.id, as: city.intakeA, at: at(1)); out.append(("accepted", accepted.id))
        let verifying = try city.report(by: city.intakeA, source: .hotline, at: at(0))
        try city.act(.verify, verifying.id, as: city.intakeA, to: "insp-a", at: at(1)); out.append(("verifying", verifying.id))
        let filed = try city.report(at: at(0)); try city.act(.accept, filed.id, as: city.intakeA, at: at(1))
        try city.act(.file, filed.id, as: try city.lead(.file, filed.id), at: at(2)); out.append(("filed", filed.id))
        let dispatched = try city.dispatchedCase(at: at(0)); out.append(("dispatched", dispatched.id))
        // A supervisor's priority mark, so that deprioritize has a case to clear.
        let priority = try city.dispatchedCase(at: at(0))
        try city.act(.prioritize, priority.id, as: "city-supervisor", at: at(30)); out.append(("dispatched+priority", priority.id))
        let pending = try city.dispatchedCase(at: at(0))
        try city.act(.requestExtension, pending.id, as: "sanit-110101", hours: 4, at: at(30)); out.append(("dispatched+pending", pending.id))
        let suspended = try city.dispatchedCase(at: at(0))
        try city.act(.requestSuspension, suspended.id, as: "sanit-110101", note: "n", at: at(30))
        try city.act(.approve, suspended.id, as: city.dispatcher(for: try s.serviceCase(suspended.id)), at: at(31)); out.append(("suspended", suspended.id))
        let handled = try city.dispatchedCase(at: at(0)); try city.act(.handle, handled.id, as: "sanit-110101", at: at(30)); out.append(("handled", handled.id))
        let checking = try city.dispatchedCase(at: at(0)); try city.act(.handle, checking.id, as: "sanit-110101", at: at(30))
        try city.act(.check, checking.id, as: city.intakeA, to: "insp-a", at: at(31)); out.append(("checking", checking.id))
        let checked = try city.dispatchedCase(at: at(0)); try city.act(.handle, checked.id, as: "sanit-110101", at: at(30))
        try city.act(.check, checked.id, as: city.intakeA, to: "insp-a", at: at(31)); try city.act(.pass, checked.id, as: "insp-a", at: at(32))
        out.append(("checked", checked.id))
        let closed = try city.dispatchedCase(at: at(0)); try city.act(.handle, closed.id, as: "sanit-110101", at: at(30))
        try city.act(.check, closed.id, as: city.intakeA, to: "insp-a", at: at(31)); try city.act(.pass, closed.id, as: "insp-a", at: at(32))
        try city.act(.close, closed.id, as: try city.lead(.close, closed.id), at: at(33)); out.append(("closed", closed.id))
        if city.model.hasCityCommand && city.model.hasDistrictCommand {
            let escalated = try city.report(at: at(0)); try city.act(.accept, escalated.id, as: city.intakeA, at: at(1))
            var c = try city.act(.file, escalated.id, as: try city.lead(.file, escalated.id), at: at(2))
            if c.commandCenterID == "CITY-C" { c = try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110101-C", at: at(3)) }
            try city.act(.escalate, c.id, as: "110101-dispatcher", note: "n", at: at(4)); out.append(("escalated", c.id))
        }
        return out
    }

    /// A valid argument for each action on the case, so a refusal is about who and when, never about a typo.
    func request(_ action: CaseAction, _ c: ServiceCase, actor: String, mergeInto: Int64, model: ManagementModel) -> ActionRequest {
        var target: String?
        switch action {
        case .verify, .check: target = "insp-a"
        case .dispatch: target = "SANIT"
        case .merge: target = String(mergeInto)
        case .reassign: target = c.state == .dispatched ? (c.commandCenterID == "CITY-C" && model.hasDistrictCommand ? "110101-C" : "STREET") : "insp-a2"
        case .returnToDistrict: target = "110101-C"
        default: break
        }
        return ActionRequest(action: action, caseID: c.id, actor: actor, target: target, note: "n",
                             hours: action == .requestExtension ? 4 : nil)
    }

    /// Who files and closes: the model's default, and each mixed setting (so each center kind files in one run and
    /// closes in another).
    static let centerSettings: [(filing: CenterKind?, closing: CenterKind?)] = [(nil, nil), (.monitoring, .command), (.command, .monitoring)]

    @Test(arguments: ManagementModel.allCases, centerSettings.indices)
    func everyCellIsAllowedOrRefusedWithItsDocumentedCodeAndTheConsoleAgrees(model: ManagementModel, setting: Int) throws {
        let (filing, closing) = Self.centerSettings[setting]
        let city = try TestCity(model: model, filing: filing, closing: closing)
        let rules = try city.store.settings().rules
        try city.store.writer.write { db in
            try db.execute(sql: "INSERT INTO operator(login, name, role, region_code, tier) VALUES ('admin', 'Admin', 'admin', '110000', 'city')")
            try db.execute(sql: "INSERT INTO operator(login, name, role, department_code, region_code, tier) VALUES ('sanit-city', 'City sanitation', 'department', 'SANIT', '110000', 'city')")
            if let districtCenter = model.hasDistrictMonitoring ? "110101-M" : model.hasDistrictCommand ? "110101-C" : nil {
                try db.execute(sql: "INSERT INTO operator(login, name, role, center_id, region_code, tier) VALUES ('110101-supervisor', 'District lead', 'supervisor', ?, '110101', 'district')",
                               arguments: [districtCenter])
            }
            try db.execute(sql: "INSERT INTO operator(login, name, role, center_id, region_code, tier) VALUES ('110102-dispatcher-x', 'Other district', 'dispatcher', ?, '110102', 'district')",
                           arguments: [model.hasDistrictCommand ? "110102-C" : model.hasCityCommand ? "CITY-C" : "110102-C"])
        }
        let operators = try city.store.operators()
        let bothCommandTiers = model.hasCityCommand && model.hasDistrictCommand
        let states = try cases(city)
        let mergeInto = try city.report(at: t0).id
        var allowed: [CaseAction: Int] = [:]
        var codes: [Int32: Int] = [:]
        var cells = 0
        for (state, id) in states {
            let c = try city.store.serviceCase(id)
            for op in operators {
                let offered = Set(Lifecycle.availableActions(on: c, by: op, rules: rules))
                for action in CaseAction.allCases {
                    let cell = Cell(model: model, state: state, login: op.login, role: op.role, tier: op.tier, action: action)
                    cells += 1
                    let outcome: Int32
                    do {
                        _ = try city.store.preview(request(action, c, actor: op.login, mergeInto: mergeInto, model: model), at: t0.after(60))
                        outcome = 0
                    } catch {
                        outcome = error.exitCode
                    }
                    codes[outcome, default: 0] += 1
                    // The model decides first (an action it does not have is refused to all), then the table: region,
                    // then role, then state.
                    if action == .returnToDistrict && !bothCommandTiers {
                        #expect(outcome == 3, "\(cell)")
                    } else if !op.canSee(district: c.districtCode) {
                        #expect(outcome == 5, "\(cell)")
                    } else if !action.roles.contains(op.role) {
                        #expect(outcome == 3, "\(cell)")
                    } else if !(action.fromStates.map { $0.contains(c.state) } ?? c.state.isOpen) {
                        #expect(outcome == 4, "\(cell)")
                    } else {
                        // Role and state fit: allowed, or refused as not the stage's holder (3) or blocked by a pending
                        // request or a rule of the state (4).
                        #expect([0, 3, 4].contains(outcome), "\(cell): \(outcome)")
                        // Filing and closing are the shift leads' of the center the site's settings name, and theirs only.
                        if let holder = rules.shiftLeadCenter(for: action, of: c) {
                            #expect((outcome == 0) == (op.centerID == holder), "\(cell) under \(rules): holder \(holder), \(outcome)")
                        }
                    }
                    // The console offers exactly what the action itself allows.
                    #expect(offered.contains(action) == (outcome == 0), "\(cell): console \(offered.contains(action)), action \(outcome)")
                    if outcome == 0 { allowed[action, default: 0] += 1 }
                }
            }
        }
        // Not vacuous: every action the model has is allowed somewhere, and every documented refusal occurs.
        // Without both command tiers nothing escalates to the city or returns from it.
        let absent: Set<CaseAction> = bothCommandTiers ? [] : [.returnToDistrict, .escalate]
        for action in CaseAction.allCases where !absent.contains(action) {
            #expect(allowed[action, default: 0] > 0, "\(model.rawValue): \(action.rawValue) allowed nowhere")
        }
        #expect(codes[3, default: 0] > 0 && codes[4, default: 0] > 0 && codes[5, default: 0] > 0 && cells > 1000, "\(codes)")
    }
}
