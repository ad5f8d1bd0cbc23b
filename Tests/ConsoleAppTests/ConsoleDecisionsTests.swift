import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 16: the inbox's O and Z, reassign's alternatives, the bulk check before a submit, merge into a listed duplicate,
/// and the handover's command line and export.
@Suite struct ConsoleDecisionsTests {

    // MARK: Inbox

    /// A second request for this dispatcher: a department asks for more time on a dispatched case the center holds.
    static func addRequest(_ engine: ConsoleEngine) throws {
        let viewer = engine.state.viewer
        let c = try #require(engine.state.queue.entries.map(\.serviceCase).first {
            $0.state == .dispatched && $0.pending == nil && $0.commandCenterID == viewer.centerID && !$0.isOverdue(at: ConsoleFixture.now)
        }, "a dispatched case of the center")
        let handler = try #require(try engine.store.operators().first {
            $0.role == .department && $0.departmentCode == c.departmentCode && $0.canSee(district: c.districtCode)
        })
        _ = try engine.store.perform(ActionRequest(action: .requestExtension, caseID: c.id, actor: handler.login, note: "need a truck", hours: 2),
                                     at: max(ConsoleFixture.now, c.lastEventAt))
    }

    @Test func oInTheInboxApprovesTheSelectedRequest() throws {
        let engine = try ConsoleFixture.engine()
        try Self.addRequest(engine)
        engine.press("i")
        guard case .inbox(let lines, _) = engine.state.overlay else { Issue.record("no inbox: \(engine.state.status?.text ?? "")"); return }
        let index = try #require(lines.firstIndex { $0.decider == nil }, "a request this dispatcher decides")
        for _ in 0..<index { engine.press("j") }
        engine.press("O")
        #expect(engine.state.overlay == nil)
        #expect(engine.state.form?.action == .approve && engine.state.form?.caseID == lines[index].caseID)
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        #expect(try engine.store.serviceCase(lines[index].caseID).pending == nil, "approved")
        #expect(try engine.store.history(of: lines[index].caseID).last?.entry.action == "approve")
        // The inbox is open again, on the request that came next.
        guard case .inbox(let after, let selected) = engine.state.overlay else { Issue.record("the inbox closed: \(String(describing: engine.state.overlay)) \(engine.state.status?.text ?? "")"); return }
        #expect(after.map(\.caseID) == lines.map(\.caseID).filter { $0 != lines[index].caseID })
        #expect(selected == min(index, after.count - 1))
    }

    /// The last request decided: the inbox says there is none left; a cancelled decision goes back to the inbox.
    @Test func theInboxSaysWhenTheLastRequestIsDecided() throws {
        let engine = try ConsoleFixture.engine()
        engine.press("i")
        guard case .inbox(let lines, _) = engine.state.overlay else { Issue.record("no inbox"); return }
        engine.press("O")
        engine.press("esc")
        guard case .inbox(let again, 0) = engine.state.overlay else { Issue.record("not back in the inbox"); return }
        #expect(again == lines && engine.state.form == nil)
        var s = engine.state
        s.overlay = nil
        s.inboxReturn = 0
        s.status = StatusMessage(text: "case 7: approve → dispatched", kind: .ok)
        _ = ConsoleUpdate.receive(.inboxLoaded([]), &s)
        #expect(s.overlay == nil && s.inboxReturn == nil)
        #expect(s.status == StatusMessage(text: "case 7: approve → dispatched · no pending requests", kind: .ok))
    }

    @Test func zInTheInboxRefusesTheSelectedRequest() throws {
        let engine = try ConsoleFixture.engine()
        engine.press("i")
        guard case .inbox(let lines, _) = engine.state.overlay else { Issue.record("no inbox"); return }
        let index = try #require(lines.firstIndex { $0.decider == nil })
        for _ in 0..<index { engine.press("j") }
        engine.press("Z")
        #expect(engine.state.form?.action == .refuse && engine.state.form?.caseID == lines[index].caseID)
        engine.type("not justified")
        engine.press("enter")
        #expect(try engine.store.history(of: lines[index].caseID).last?.entry.action == "refuse")
        if case .inbox = engine.state.overlay {} else { #expect(lines.count == 1, "the inbox stays open on the next request") }
    }

    /// A request another center must decide is marked with who can, and O and Z on it say so, in the operator's language.
    @Test(arguments: [Language.en, .zh])
    func aRequestThisRoleCannotDecideSaysWhoCan(_ lang: Language) throws {
        var s = try ConsoleFrameTests.engine(width: 100, height: 30, lang: lang).state
        let c = try #require(s.queue.entries.first { $0.serviceCase.commandCenterID != nil }?.serviceCase)
        let center = try #require(s.centers.first { $0.id == c.commandCenterID })
        let who = ConsoleUpdate.decider(of: c, s)
        #expect(who == lang.t("须由\(center.nameZh)的派遣员决定", "for a dispatcher of \(center.nameEn)"))
        s.overlay = .inbox([InboxLine(caseID: c.id, text: "#\(c.id) · [\(who)]", decider: who)], selected: 0)
        #expect(ConsoleUpdate.handle(.character("O"), &s).isEmpty)
        #expect(s.status == StatusMessage(text: lang.t("您不能批准案件 \(c.id) 的申请：\(who)", "you cannot approve case \(c.id)'s request: \(who)"),
                                          kind: .error))
        if case .inbox = s.overlay {} else { Issue.record("the inbox stays open") }
        _ = ConsoleUpdate.handle(.character("Z"), &s)
        #expect(s.status?.text.hasPrefix(lang.t("您不能驳回", "you cannot refuse")) == true)
        #expect(s.form == nil)
    }

    // MARK: Reassign

    static func load(_ key: String) -> Workload { Workload(key: key, name: key, open: 1, overdue: 0) }

    @Test func bulkReassignOffersEveryValidAlternativeWithHowManyCasesItFits() throws {
        var s = try ConsoleUpdateMessageTests.opened()
        let cases = s.queue.entries.prefix(3).map(\.serviceCase)
        let choices = [ReassignChoices(caseID: cases[0].id, alternatives: [Self.load("SANIT"), Self.load("ENFORCE")], refusal: nil),
                       ReassignChoices(caseID: cases[1].id, alternatives: [Self.load("SANIT")], refusal: nil),
                       ReassignChoices(caseID: cases[2].id, alternatives: [], refusal: nil)]
        _ = ConsoleUpdate.receive(.reassignForm(cases[0], choices, bulk: cases.map(\.id)), &s)
        let to = try #require(s.form?.field("to"))
        #expect(to.options.map(\.value) == ["SANIT", "ENFORCE"])
        #expect(to.options.map(\.detail) == ["open 1 · overdue 0 · fits 2 of 3", "open 1 · overdue 0 · fits 1 of 3"])
        #expect(s.form?.preview?.contains("#\(cases[2].id): nobody else may take it") == true, "\(s.form?.preview ?? "")")
    }

    @Test func reassignWithNowhereToGoSaysSoAndOpensNoForm() throws {
        var s = try ConsoleUpdateMessageTests.opened()
        let c = try #require(s.queue.entries.first?.serviceCase)
        _ = ConsoleUpdate.receive(.reassignForm(c, [ReassignChoices(caseID: c.id, alternatives: [], refusal: nil)], bulk: nil), &s)
        #expect(s.form == nil)
        #expect(s.status == StatusMessage(text: "nowhere to reassign #\(c.id): no other inspector, department or command center may take it", kind: .error))
    }

    /// The demo has one inspector per patrol area: a verify task has nobody else to go to, and the lead is told so.
    @Test func theOnlyInspectorOfAnAreaIsNotOfferedTheTaskHeHolds() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1")
        let task = try #require(try engine.store.cases(CaseQuery(states: [.verifying], limit: 50)).first {
            engine.state.viewer.centerID == $0.monitorCenterID
        })
        let choices = try engine.store.reassignChoices(for: engine.state.viewer, cases: [task.id], at: ConsoleFixture.now)
        #expect(choices.first?.refusal == nil)
        let holder = try #require(try engine.store.operators().first { $0.id == task.assigneeID })
        let keys = choices.first?.alternatives.map(\.key) ?? []
        #expect(!keys.contains(holder.login), "never the one who holds it")
        engine.execute(.openCase(task.id))
        engine.press("R")
        #expect(engine.state.form == nil)
        #expect(engine.state.status?.text.hasPrefix("nowhere to reassign #\(task.id)") == true, "\(engine.state.status?.text ?? "")")
    }

    @Test func aDispatchedCaseIsNotOfferedItsOwnDepartment() throws {
        let engine = try ConsoleFixture.engine()
        let c = try #require(engine.state.queue.entries.first { $0.serviceCase.state == .dispatched && $0.serviceCase.pending == nil
            && $0.serviceCase.commandCenterID == "CITY-C" }?.serviceCase)
        let choices = try engine.store.reassignChoices(for: engine.state.viewer, cases: [c.id], at: ConsoleFixture.now)
        let keys = try #require(choices.first?.alternatives.map(\.key))
        #expect(!keys.isEmpty && !keys.contains(c.departmentCode ?? ""))
    }

    // MARK: The bulk check

    @Test func aBulkActionSomeCasesRefuseAsksBeforeDoingTheRest() throws {
        var s = try ConsoleUpdateMessageTests.opened()
        let cases = s.queue.entries.prefix(3).map(\.serviceCase)
        let ids = cases.map(\.id)
        _ = ConsoleUpdate.receive(.formData(.urge, cases[0], patrolArea: "", workload: nil, bulk: ids), &s)
        let submitted = ConsoleUpdate.handle(.enter, &s)
        guard case .checkBulk(let bulk, .urge)? = submitted.first else { Issue.record("not checked first: \(submitted)"); return }
        #expect(bulk.selection == .ids(ids))
        _ = ConsoleUpdate.receive(.bulkChecked(bulk, action: .urge, refusals: [ids[1]: .wrongState("case \(ids[1]) is closed")]), &s)
        #expect(s.form?.preview == "1 of 3 cases would refuse; nothing written yet:\n  #\(ids[1]): case \(ids[1]) is closed")
        guard case .confirm(_, .bulkRest) = s.overlay else { Issue.record("no question"); return }
        let effects = ConsoleUpdate.handle(.character("y"), &s)
        guard case .performBulk(let rest, .urge)? = effects.first else { Issue.record("nothing done: \(effects)"); return }
        #expect(rest.selection == .ids([ids[0], ids[2]]), "the others only")
        // With no refusal the batch goes at once.
        #expect(ConsoleUpdate.receive(.bulkChecked(bulk, action: .urge, refusals: [:]), &s).count == 1)
    }

    @Test func theOtherMarkedCasesAreReassignedWhenTheOperatorSaysSo() throws {
        let engine = try ConsoleFixture.engine()
        let ids = try ConsoleBulkTests.markThree(engine)
        try engine.store.perform(ActionRequest(action: .reassign, caseID: ids[1], actor: "city-dispatcher-2", target: "SANIT", note: "meanwhile"),
                                 at: ConsoleFixture.now.addingTimeInterval(1))
        let refused = try engine.store.serviceCase(ids[1])
        engine.press("R")
        engine.type("SANIT")
        engine.press("tab")
        engine.type("again")
        engine.press("enter y")
        #expect(try engine.store.serviceCase(ids[0]).departmentCode == "SANIT" && engine.store.serviceCase(ids[2]).departmentCode == "SANIT")
        #expect(try engine.store.serviceCase(ids[1]) == refused, "the refusing case is left alone")
    }

    // MARK: Merge

    @Test func mergeOffersTheListedDuplicatesAndEnterMergesIntoTheSelectedOne() throws {
        let engine = try ConsoleFixture.engine(as: "city-intake-1")
        var s = engine.state
        let report = try #require(try engine.store.cases(CaseQuery(states: [.reported], limit: 50)).first {
            engine.state.viewer.centerID == $0.monitorCenterID
        })
        let others = try engine.store.cases(CaseQuery(openOnly: true, limit: 3)).filter { $0.id != report.id }.prefix(2)
        let candidates = others.map { DuplicateCandidate(serviceCase: $0, cellDistance: 0, meters: nil, age: 600) }
        let effects = ConsoleUpdate.receive(.mergeForm(report, Array(candidates)), &s)
        let to = try #require(s.form?.field("to"))
        #expect(to.kind == .choice && to.options.map(\.value) == others.map { String($0.id) })
        #expect(to.value == String(others[others.startIndex].id), "the first listed duplicate is selected")
        #expect(effects.count == 1, "previewed")
        _ = ConsoleUpdate.handle(.down, &s)
        let submit = ConsoleUpdate.handle(.enter, &s)
        guard case .perform(let request, true)? = submit.first else { Issue.record("not submitted: \(submit)"); return }
        #expect(request.action == .merge && request.caseID == report.id && request.target == String(others[others.startIndex + 1].id))
    }

    @Test func mergeFromTheConsoleMergesIntoALikelyDuplicate() throws {
        let store = try ConsoleFixture.store()
        let first = try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: "rubbish one",
                                                 source: .hotline), by: "city-intake-1", at: ConsoleFixture.now.addingTimeInterval(-120))
        let second = try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: "rubbish two",
                                                  source: .hotline), by: "city-intake-1", at: ConsoleFixture.now.addingTimeInterval(-60))
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        engine.execute(.openCase(second.id))
        engine.press("W")
        let to = try #require(engine.state.form?.field("to"))
        #expect(to.options.contains { $0.value == String(first.id) }, "\(to.options.map(\.value))")
        while engine.state.form?.field("to")?.value != String(first.id) { engine.press("down") }
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        #expect(try store.serviceCase(second.id).state == .cancelled)
        #expect(try store.history(of: second.id).last?.entry.action == "merge")
        #expect(try store.history(of: second.id).last?.entry.target == String(first.id))
    }

    // MARK: Handover

    @Test func colonOverTheHandoverOpensTheCommandLineAndExportWritesItAskingBeforeReplacing() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1")
        engine.runCommand("handover")
        guard case .document(_, let lines, _) = engine.state.overlay else { Issue.record("no handover"); return }
        engine.press(":")
        #expect(engine.state.commandLine != nil, "the command line opens")
        if case .document = engine.state.overlay {} else { Issue.record("the handover stays while the command is typed") }
        let file = TestFolder.root.appendingPathComponent("handover-\(UUID().uuidString).md").path
        engine.type("export \(file)")
        engine.press("enter")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
        #expect(engine.state.status?.text == "exported \(lines.count) rows to \(file)")
        if case .document = engine.state.overlay {} else { Issue.record("the handover is still shown") }
        // Again: the file exists, and is replaced only when the operator says so.
        try "keep me\n".write(toFile: file, atomically: true, encoding: .utf8)
        engine.runCommand("export \(file)")
        guard case .confirm(let question, .export(_, back: .document?)) = engine.state.overlay else { Issue.record("no question"); return }
        #expect(question == "\(file) exists. Replace it? (y/n)")
        engine.press("n")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me\n")
        #expect(engine.state.status?.text == "not exported; \(file) was left as it was")
        if case .document = engine.state.overlay {} else { Issue.record("back to the handover") }
        // The overlay's own key: e offers the export line, with a file name to edit.
        engine.press("e")
        #expect(engine.state.commandLine?.text.hasPrefix("export handover-") == true)
        engine.press("esc")
        engine.runCommand("export \(file)")
        engine.press("y")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == lines.joined(separator: "\n") + "\n")
        // Any other command closes the handover first.
        engine.runCommand("filter overdue")
        #expect(engine.state.overlay == nil)
    }
}
