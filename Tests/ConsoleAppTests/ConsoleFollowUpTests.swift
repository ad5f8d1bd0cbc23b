import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 17 §1 in the console: the follow-ups board (回访) an intake operator switches to with `f`, its form (reached or
/// not, satisfaction, note) checked by Workflow's own rule on submit, and the shift lead's decision on a dissatisfied
/// one. Each test starts from the demo city with hotline cases just closed through the CLI.
@Suite(.serialized) struct ConsoleFollowUpTests {
    /// Wednesday 11:30, forty minutes after the cases closed; their follow-ups are due Friday 10:50.
    static let clock = try! InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-11-25T11:30:00+08:00")

    /// The demo city with `count` hotline cases closed (their reporters' phones 1390000001N), and their ids.
    static func city(closed count: Int) throws -> (db: String, cases: [Int64]) {
        let db = try CLI.demoCopy()
        let cases = try (0..<count).map { Int64(try FollowUpCLITests.closedHotlineCase(db, phone: "1390000001\($0)")) }
        return (db, cases)
    }

    static func engine(_ db: String, as login: String, lang: Language, at now: Date = clock, width: Int = 120, height: Int = 30) throws -> ConsoleEngine {
        let store = try CityStore.open(path: db)
        let engine = ConsoleEngine(store: store, viewer: try store.findOperator(login), lang: lang, theme: .default, themeName: "default",
                                   clock: { now })
        engine.state.width = width
        engine.state.height = height
        try engine.start()
        _ = engine.render()
        engine.reload()
        return engine
    }

    static func lines(_ engine: ConsoleEngine) -> [String] { engine.render().lines().map(FrameAssert.trimmed) }

    /// The row of the board whose case is `id`, selected.
    static func select(_ id: Int64, _ engine: ConsoleEngine) throws {
        let index = try #require(engine.state.followUps.items?.firstIndex { $0.followUp.caseID == id })
        FollowUpBoardUpdate.move(to: index, &engine.state)
    }

    // MARK: The board

    @Test(arguments: [Language.en, .zh])
    func theIntakeOperatorSwitchesToTheFollowUpsAndReadsWhomToCallByWhen(_ lang: Language) throws {
        let (db, cases) = try Self.city(closed: 1)
        let engine = try Self.engine(db, as: "city-intake-1", lang: lang)
        let queueHints = try #require(Self.lines(engine).dropLast().last)
        #expect(queueHints.contains(lang.t("f 回访任务 / 队列", "f follow-ups / queue")), "offered in the hint line: \(queueHints)")
        engine.press("f")
        #expect(engine.state.queue.mode == .followUps)
        let screen = Self.lines(engine)
        let all = screen.joined(separator: "\n")
        #expect(all.contains(lang.t("回访任务：1 件", "Follow-ups: 1")), "\(all)")
        for title in FollowUpBoardView.Column.allCases.dropFirst() { #expect(all.contains(title.title(lang)), "\(title)") }
        let row = try #require(screen.first { $0.contains(String(cases[0])) })
        #expect(row.contains(lang.t("电话 13900000010", "phone 13900000010")) && row.contains("11-27 10:50") && row.contains(lang.t("待回访", "to call")),
                "\(row)")
        #expect(!row.hasPrefix("│!"), "not overdue: \(row)")
        let hints = try #require(screen.dropLast().last)
        #expect(hints.contains(lang.t("f 返回队列", "f back to queue")) && hints.contains(lang.t("Enter 记录回访结果", "Enter record the follow-up")),
                "\(hints)")
        #expect(!hints.contains("  r ") && !hints.contains("  c "), "the shift lead's keys are not the intake operator's: \(hints)")
        // Back to the queue with the same key.
        engine.press("f")
        #expect(engine.state.queue.mode == .queue)
    }

    @Test(arguments: [Language.en, .zh])
    func aTaskPastItsDeadlineIsMarkedOverdue(_ lang: Language) throws {
        let (db, cases) = try Self.city(closed: 1)
        let monday = try InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-11-30T09:00:00+08:00")
        let engine = try Self.engine(db, as: "city-intake-1", lang: lang, at: monday)
        engine.press("f")
        let row = try #require(Self.lines(engine).first { $0.contains(String(cases[0])) })
        #expect(row.hasPrefix("│!") && row.contains(lang.t("超期未回访", "overdue")), "\(row)")
    }

    @Test func theFollowUpsKeyAndCommandAreTheMonitoringCentersOnly() throws {
        let (db, _) = try Self.city(closed: 1)
        let dispatcher = try Self.engine(db, as: "city-dispatcher-1", lang: .en)
        #expect(!RoleKeys.allows(.toggleFollowUps, dispatcher.state))
        #expect(!Keymap.hints(in: .queue, dispatcher.state).contains { $0.action == .toggleFollowUps })
        #expect(!HelpContent.entries(dispatcher.state).contains { $0.text.contains("Follow-ups (f)") || $0.text.contains(":followups") })
        // Pressed anyway, the board says the store's refusal.
        dispatcher.press("f")
        #expect(dispatcher.state.status?.kind == .error && dispatcher.state.status?.text.contains("monitoring center") == true)
        #expect(dispatcher.state.queue.mode == .queue, "back to the queue")
        let intake = try Self.engine(db, as: "city-intake-1", lang: .en)
        let help = HelpContent.entries(intake.state).map(\.text)
        #expect(help.contains("Follow-ups (f)") && help.contains { $0.contains(":followups") })
        #expect(help.contains { $0.contains("record the follow-up") } && !help.contains { $0.contains("keep closed") })
        let lead = try Self.engine(db, as: "city-lead-1", lang: .en)
        let leadHelp = HelpContent.entries(lead.state).map(\.text)
        #expect(leadHelp.contains { $0.contains("keep closed") } && !leadHelp.contains { $0.contains("record the follow-up") })
        // The command line opens it as the key does.
        intake.runCommand("followups")
        #expect(intake.state.queue.mode == .followUps && intake.state.followUps.items?.count == 1)
    }

    // MARK: The form

    @Test(arguments: [Language.en, .zh])
    func theFormShowsWorkflowsRefusalInTheOperatorsLanguageAndKeepsTheInput(_ lang: Language) throws {
        let (db, cases) = try Self.city(closed: 1)
        let engine = try Self.engine(db, as: "city-intake-1", lang: lang)
        engine.press("f")
        try Self.select(cases[0], engine)
        engine.press("Enter")
        let form = try #require(engine.state.form)
        #expect(form.followUp?.action == .record && form.caseID == cases[0])
        let text = ConsoleFormsTests.formLines(engine).joined(separator: "\n")
        #expect(text.contains(lang.t("记录回访 案件 \(cases[0])", "record follow-up: case \(cases[0])")), "\(text)")
        #expect(text.contains(lang.t("电话 13900000010", "phone 13900000010")) && text.contains("11-27 10:50"), "\(text)")
        #expect(text.contains(lang.t("满意度", "Satisfaction")), "\(text)")
        // Reached, no satisfaction: Workflow's rule refuses, in the operator's words; the form stays with its input.
        engine.press("Down Enter")
        #expect(engine.state.form != nil)
        let refusal = try #require(engine.state.status)
        #expect(refusal.kind == .error && refusal.text == lang.refusal(.satisfactionMissing), "\(refusal.text)")
        if lang == .zh { #expect(refusal.text.range(of: "[A-Za-z]", options: .regularExpression) == nil, "\(refusal.text)") }
        #expect(try CityStore.open(path: db).followUps(ofCase: cases[0], viewer: "city-intake-1").allSatisfy { $0.followUp.isOpen })
    }

    @Test func notReachedTakesNoSatisfaction() throws {
        let (db, cases) = try Self.city(closed: 1)
        let engine = try Self.engine(db, as: "city-intake-1", lang: .en)
        engine.press("f")
        try Self.select(cases[0], engine)
        engine.press("Enter Down Tab Down")
        #expect(engine.state.form?.field("satisfaction")?.value == Satisfaction.satisfied.rawValue)
        engine.press("S-Tab Down")
        #expect(engine.state.form?.field("reached")?.value == "not-reached")
        #expect(engine.state.form?.field("satisfaction")?.value == nil, "a satisfaction chosen before is dropped")
        engine.press("Enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let task = try #require(try CityStore.open(path: db).followUps(ofCase: cases[0], viewer: "city-intake-1").first?.followUp)
        #expect(task.outcome == FollowUpOutcome(reached: false))
    }

    @Test(arguments: [Language.en, .zh])
    func aRecordedFollowUpLeavesTheListAndTheCursorStandsOnTheNextTask(_ lang: Language) throws {
        let (db, cases) = try Self.city(closed: 3)
        let engine = try Self.engine(db, as: "city-intake-1", lang: lang)
        engine.press("f")
        let before = try #require(engine.state.followUps.items)
        #expect(before.count == 3)
        FollowUpBoardUpdate.move(to: 1, &engine.state)
        let recorded = before[1].followUp
        engine.press("Enter Down Tab Down Down Tab")
        engine.type("市民满意 ok")
        engine.press("Enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let status = try #require(engine.state.status)
        #expect(status.kind == .ok && status.text.contains(lang.t("基本满意", "basically satisfied")) && status.text.contains(String(recorded.caseID)),
                "\(status.text)")
        let after = try #require(engine.state.followUps.items)
        #expect(after.map(\.followUp.id) == before.map(\.followUp.id).filter { $0 != recorded.id })
        #expect(engine.state.followUps.selectedItem?.followUp.id == before[2].followUp.id, "the cursor on the next task")
        let stored = try #require(try CityStore.open(path: db).followUps(ofCase: recorded.caseID, viewer: "city-intake-1").first?.followUp)
        #expect(stored.outcome == FollowUpOutcome(reached: true, satisfaction: .basicallySatisfied, note: "市民满意 ok") && stored.stage == .recorded)
        #expect(cases.contains(recorded.caseID))
    }

    // MARK: The shift lead's decision

    /// A dissatisfied follow-up, recorded through the store as the intake operator.
    static func dissatisfied(_ db: String, _ id: Int64) throws {
        try CityStore.open(path: db).recordFollowUp(caseID: id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied, note: "仍有垃圾"),
                                                    by: "city-intake-1", at: clock)
    }

    @Test(arguments: [Language.en, .zh])
    func theShiftLeadKeepsADissatisfiedFollowUpClosedWithAReason(_ lang: Language) throws {
        let (db, cases) = try Self.city(closed: 1)
        try Self.dissatisfied(db, cases[0])
        let engine = try Self.engine(db, as: "city-lead-1", lang: lang)
        engine.press("f")
        let screen = Self.lines(engine)
        let row = try #require(screen.first { $0.contains(String(cases[0])) })
        #expect(row.hasPrefix("│?") && row.contains(lang.t("不满意待定", "dissatisfied")), "\(row)")
        let hints = try #require(screen.dropLast().last)
        #expect(hints.contains(lang.t("r 不满意：返工", "r dissatisfied: reopen for rework")) && hints.contains("  c "), "\(hints)")
        try Self.select(cases[0], engine)
        engine.press("c")
        let form = try #require(engine.state.form)
        #expect(form.followUp?.action == .keepClosed && form.field("note")?.required == true)
        #expect(ConsoleFormsTests.formLines(engine).joined(separator: "\n").contains(lang.t("不满意", "dissatisfied")))
        engine.press("Enter")
        #expect(engine.state.form?.errors["note"] != nil, "a reason is needed")
        engine.type("已现场复核，问题已解决")
        engine.press("Enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        #expect(engine.state.followUps.items?.contains { $0.followUp.caseID == cases[0] } == false)
        let task = try #require(try CityStore.open(path: db).followUps(ofCase: cases[0], viewer: "city-lead-1").first?.followUp)
        #expect(task.stage == .kept && task.decisionNote == "已现场复核，问题已解决")
    }

    @Test func theShiftLeadReopensADissatisfiedFollowUpsCaseForRework() throws {
        let (db, cases) = try Self.city(closed: 1)
        try Self.dissatisfied(db, cases[0])
        let engine = try Self.engine(db, as: "city-lead-1", lang: .en)
        engine.press("f")
        try Self.select(cases[0], engine)
        engine.press("r")
        engine.type("citizen still sees rubbish")
        engine.press("Enter")
        let status = try #require(engine.state.status)
        #expect(status.kind == .ok && status.text.contains("→ dispatched"), "\(status.text)")
        let store = try CityStore.open(path: db)
        #expect(try store.serviceCase(cases[0]).state == .dispatched)
        #expect(try store.followUps(ofCase: cases[0], viewer: "city-lead-1").first?.followUp.stage == .reopened)
    }

    /// The intake operator's Enter on a task is theirs; the shift lead's decision keys are refused to them by the
    /// action's own rule, on the status line, and no form opens.
    @Test func aDecisionKeyIsRefusedToTheIntakeOperatorByTheActionsRule() throws {
        let (db, cases) = try Self.city(closed: 1)
        let engine = try Self.engine(db, as: "city-intake-1", lang: .en)
        engine.press("f")
        try Self.select(cases[0], engine)
        engine.press("c")
        #expect(engine.state.form == nil)
        #expect(engine.state.status?.kind == .error && engine.state.status?.text.contains("shift-lead") == true, "\(engine.state.status?.text ?? "")")
    }

    // MARK: Messages

    @Test func theBoardsMessagesSetTheListOpenTheFormAndReadAgain() throws {
        let (db, cases) = try Self.city(closed: 2)
        let engine = try Self.engine(db, as: "city-intake-1", lang: .en)
        var s = engine.state
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.perform(.toggleFollowUps, &s)) == ["loadFollowUps"])
        let items = try CityStore.open(path: db).followUps(for: "city-intake-1")
        s.followUps.selected = 5
        #expect(ConsoleUpdate.receive(.followUpsLoaded(.success(items)), &s).isEmpty)
        #expect(s.followUps.items?.count == 2 && s.followUps.selected == 1, "the cursor stays inside the list")
        let c = try CityStore.open(path: db).serviceCase(items[1].followUp.caseID)
        #expect(ConsoleUpdate.receive(.followUpFormData(.record, items[1], c), &s).isEmpty)
        #expect(s.form?.followUp == FollowUpFormTarget(action: .record, taskID: items[1].followUp.id))
        let result = try CityStore.open(path: db).recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: false), by: "city-intake-1", at: Self.clock)
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.receive(.followUpDone(.record, result), &s)) == ["reload(live: false, follow: true)"])
        #expect(s.form == nil && s.status?.kind == .ok)
        // A refresh on the board reads the tasks again.
        let reading = QueueReading(counts: s.queue.counts, board: nil, reach: ReachCounts(), measures: [:], at: Self.clock)
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.receive(.reloaded(reading, live: true, followSelection: false), &s)).contains("loadFollowUps"))
        #expect(cases.contains(c.id))
    }

    /// The wheel moves the board's highlight; a click selects the row clicked.
    @Test func theMouseMovesAndSelectsOnTheBoard() throws {
        let (db, _) = try Self.city(closed: 2)
        let engine = try Self.engine(db, as: "city-intake-1", lang: .en)
        engine.press("f")
        let inner = FollowUpBoardView.inner(engine.state)
        engine.handle(.mouse(MouseEvent(button: .left, action: .press, x: inner.x + 3, y: inner.y + 2)))
        #expect(engine.state.followUps.selected == 1 && engine.state.queue.mode == .followUps)
        engine.handle(.mouse(MouseEvent(button: .wheelUp, action: .wheel, x: inner.x + 3, y: inner.y + 2)))
        #expect(engine.state.followUps.selected == 0)
    }

    /// `:export` on the board writes its tasks, with the field names of `citygrid followups --json`.
    @Test func exportOnTheBoardWritesTheTasks() throws {
        let (db, cases) = try Self.city(closed: 1)
        let engine = try Self.engine(db, as: "city-intake-1", lang: .en)
        engine.press("f")
        let folder = TestFolder.root.appendingPathComponent("followups-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("calls.csv").path
        engine.execute(.export(path))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.first == "case_id,id,stage,due_at,overdue,channel,contact,reporter_name,category_code,description", "\(lines)")
        #expect(lines.count == 2 && lines[1].hasPrefix("\(cases[0]),") && lines[1].contains(",open,2026-11-27T10:50:00+08:00,false,phone,13900000010,"),
                "\(lines)")
    }
}
