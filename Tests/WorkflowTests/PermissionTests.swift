import Foundation
import Testing
@testable import Workflow

@Suite struct PermissionTests {
    let t0 = TestCity.monday9

    /// Every action refused for every role but its own, on a case in the right state.
    @Test(arguments: [
        (CaseAction.accept, "city-lead"), (.accept, "city-dispatcher"), (.accept, "sanit-110101"), (.accept, "insp-a"),
        (.file, "city-intake"), (.file, "city-dispatcher"), (.file, "city-supervisor"),
    ])
    func earlyStageActionsNeedTheirRole(action: CaseAction, actor: String) throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report()
        if action == .file { try city.act(.accept, c.id, as: "city-intake", at: t0.after(1)) }
        let before = try city.historyCount()
        #expect(throws: WorkflowError.self) { try city.act(action, c.id, as: actor, at: t0.after(2)) }
        #expect(try city.historyCount() == before, "a refusal writes nothing")
    }

    @Test(arguments: ["city-intake", "city-lead", "city-supervisor", "sanit-110101", "insp-a"])
    func onlyADispatcherDispatches(actor: String) throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report()
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(1))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(2))
        do {
            try city.act(.dispatch, c.id, as: actor, to: "SANIT", at: t0.after(3))
            Issue.record("\(actor) dispatched")
        } catch let error as WorkflowError {
            #expect(error.exitCode == 3 && error.message.contains("dispatcher"), "\(error)")
        }
    }

    /// 监管分离: the department that handles never checks, passes or closes.
    @Test func departmentHandlerCanNeverVerifyCheckOrClose() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(30))
        for action in [CaseAction.check, .pass, .fail, .close, .verify, .confirm] {
            #expect(throws: WorkflowError.self, "\(action)") {
                try city.act(action, c.id, as: "sanit-110101", to: "insp-a", at: t0.after(31))
            }
        }
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t0.after(32))
        #expect(throws: WorkflowError.self) { try city.act(.pass, c.id, as: "sanit-110101", at: t0.after(33)) }
    }

    @Test func onlyTheResponsibleDepartmentHandles() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        #expect(throws: WorkflowError.self) { try city.act(.handle, c.id, as: "street-110101", at: t0.after(30)) }
        // SANIT of the other district is the right department in the wrong district.
        #expect(throws: WorkflowError.self) { try city.act(.handle, c.id, as: "sanit-110102", at: t0.after(30)) }
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(30))
    }

    @Test func wrongStateNamesTheStateAndWhatTheActionNeeds() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report()
        #expect(throws: WorkflowError.refusal(.wrongState(caseID: c.id, state: .reported, action: .close))) {
            try city.act(.close, c.id, as: "city-lead", at: t0.after(1))
        }
    }

    @Test func districtOperatorNeverSeesAnotherDistrictsCase() throws {
        let city = try TestCity(model: .oneMonitorTwoCommand)
        let c = try city.dispatchedCase()   // in district 110101, held by 110101-C
        let other = try city.store.findOperator("110102-dispatcher")
        #expect(throws: WorkflowError.self) { try city.store.detail(c.id, viewer: other) }
        #expect(try city.store.cases(CaseQuery(viewer: other)).isEmpty)
        let own = try city.store.findOperator("110101-dispatcher")
        #expect(try city.store.cases(CaseQuery(viewer: own)).map(\.id) == [c.id])
        do {
            try city.act(.escalate, c.id, as: "110102-dispatcher", at: t0.after(30))
            Issue.record("another district acted")
        } catch let error as WorkflowError {
            guard case .notFound = error else { Issue.record("expected not found, got \(error)"); return }
        }
        // Nor does a department's unit in the other district.
        #expect(throws: WorkflowError.self) { try city.store.detail(c.id, viewer: try city.store.findOperator("sanit-110102")) }
    }

    @Test func onlyInspectorsAndIntakeReport() throws {
        let city = try TestCity(model: .centralized)
        for actor in ["city-dispatcher", "sanit-110101", "city-lead", "city-supervisor"] {
            #expect(throws: WorkflowError.self, "\(actor)") { try city.report(by: actor) }
        }
        #expect(throws: WorkflowError.self, "an inspector's report is an inspector's") { try city.report(by: "insp-a", source: .hotline) }
        #expect(throws: WorkflowError.self, "intake cannot pose as an inspector") { try city.report(by: "city-intake", source: .inspector) }
    }

    @Test func channelReportsNeedAChannelSource() throws {
        let city = try TestCity(model: .centralized)
        let draft = ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "web", source: .web)
        let c = try city.store.report(draft, by: nil, at: t0)
        #expect(c.source == .web && !c.confirmed)
        var noSource = draft
        noSource.source = nil
        #expect(throws: WorkflowError.self) { try city.store.report(noSource, by: nil, at: t0) }
    }

    @Test func badReportInputIsRefusedClearly() throws {
        let city = try TestCity(model: .centralized)
        func attempt(_ draft: ReportDraft) -> WorkflowError? {
            do { _ = try city.store.report(draft, by: "insp-a", at: t0); return nil } catch { return error }
        }
        let ok = ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "x")
        var d = ok; d.cellCode = "11010100100100"
        #expect(attempt(d)?.description.contains("14 digits") == true)
        d = ok; d.cellCode = "110101001001999"
        #expect(attempt(d) == .notFound("no cell 110101001001999 in this city"))
        d = ok; d.categoryCode = "9999"
        #expect(attempt(d) == .notFound("no event category 9999"))
        d = ok; d.description = String(repeating: "长", count: 30_000)
        #expect(attempt(d)?.description.contains("limit is 65536 bytes") == true)
        d = ok; d.description = "  \n "
        #expect(attempt(d) == .refusal(.descriptionEmpty))
        #expect(attempt(d)?.description == "invalid input: description is empty")
        #expect(try city.historyCount() == 0)
    }

    @Test func controlCharactersAreStoredAsGiven() throws {
        let city = try TestCity(model: .centralized)
        let hostile = "rubbish \u{1B}[2J\u{1B}]0;pwned\u{07} \u{9B}31m \u{202E}evil"
        let c = try city.report(text: hostile)
        #expect(try city.store.serviceCase(c.id).description == hostile)
    }
}

@Suite struct TransitionTableTests {
    /// `allows` and `starts(from:)` are the fast form of `roles` and `fromStates`: they must agree everywhere.
    @Test func fastChecksAgreeWithTheTable() {
        for action in CaseAction.allCases {
            for role in Role.allCases { #expect(action.allows(role) == action.roles.contains(role), "\(action) \(role)") }
            for state in CaseState.allCases {
                let table = state.isOpen && (action.fromStates?.contains(state) ?? true)
                #expect(action.starts(from: state) == table, "\(action) from \(state)")
            }
        }
    }
}

@Suite struct UrgencyTests {
    @Test func aReporterCanRaiseUrgencyButNotLowerIt() throws {
        let city = try TestCity(model: .centralized)
        let friday = TestCity.at("2026-11-27T20:00:00+08:00")
        let normal = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "x", source: .hotline),
                                           by: "city-intake", at: friday)
        #expect(!normal.urgent && normal.deadline! > friday.after(24 * 60), "working time: Monday morning")
        let raised = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "x", source: .hotline,
                                                       urgent: true), by: "city-intake", at: friday)
        #expect(raised.urgent && raised.deadline == friday.after(30))
        let gas = try city.store.report(ReportDraft(kind: .event, categoryCode: "0403", cellCode: TestCity.cellA, description: "x", source: .hotline,
                                                    urgent: false), by: "city-intake", at: friday)
        #expect(gas.urgent, "an urgent category stays urgent")
    }
}
