import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 16: urgent cases are marked and first, arrivals in "needs me" ring the bell once, the case pane is always
/// the highlighted row's, and messages sit beside the live counters, fade, and stay in a log.
@Suite struct QueueUrgencyTests {
    /// An intake operator's console on the small city, with an urgent hotline report filed from elsewhere after it opened.
    static func withUrgentArrival(lang: Language, width: Int = 100, height: Int = 30, bell: Bool = true) throws -> (ConsoleEngine, ServiceCase) {
        let engine = try ConsoleFrameTests.engine(width: width, height: height, lang: lang, as: "city-intake-1")
        engine.state.bellEnabled = bell
        #expect(!engine.takeBell(), "the first refresh rings nothing")
        let made = try engine.store.report(ReportDraft(kind: .event, categoryCode: "0406", cellCode: "110101001001001",
                                                       description: "路面积水很深", source: .web, urgent: true),
                                           by: nil, at: ConsoleFixture.now.addingTimeInterval(5))
        engine.refresh(changed: true)
        return (engine, made)
    }

    static func line(_ engine: ConsoleEngine, containing text: String) -> String? {
        engine.render().lines().map(FrameAssert.trimmed).first { $0.contains(text) }
    }

    @Test func anUrgentArrivalIsBadgedFirstRingsOnceAndSaysSoBesideTheCounters() throws {
        let (engine, made) = try Self.withUrgentArrival(lang: .zh)
        #expect(engine.takeBell() && !engine.takeBell(), "one bell")
        #expect(engine.state.queue.entries.first?.serviceCase.id == made.id, "urgent first among the cases that wait on me")
        let frame = engine.render()
        let lines = frame.lines().map(FrameAssert.trimmed)
        let row = try #require(lines.firstIndex { $0.contains(" \(made.id) ") })
        #expect(lines[row].hasPrefix("│▸●急 \(made.id)"), "\(lines[row])")
        #expect(frame[3, row].style == engine.theme["urgent"], "the badge has the urgent style")
        #expect(lines[1].contains("需我处理 "), "\(lines[1])")
        #expect(lines.last == "新 7 · 将到期 2 · 超期 3 · 未结 55 │ 新到 1 件待您处理，其中紧急 1 件", "\(lines.last ?? "")")
        // ● until the operator moves the cursor onto it (the frame's other rows, days old, have none).
        #expect(lines.filter { $0.contains("●") }.count == 1)
        engine.press("k j")
        #expect(Self.line(engine, containing: " \(made.id) ")?.hasPrefix("│▸ 急 \(made.id)") == true)
        // The case pane says it too.
        engine.execute(.openCase(made.id))
        #expect(Self.line(engine, containing: "急 紧急案件") != nil)
    }

    @Test func inEnglishTheBadgeIsURGAndMonoKeepsIt() throws {
        let (engine, made) = try Self.withUrgentArrival(lang: .en, width: 80, height: 24)
        let row = try #require(Self.line(engine, containing: " \(made.id) "))
        #expect(row.hasPrefix("│▸●URG \(made.id)"), "\(row)")
        #expect(Self.line(engine, containing: "new 7 · due soon") == "new 7 · due soon 2 · overdue 3 · open 55 │ 1 new case for you (1 urgent)")
        for name in Theme.builtinNames { #expect(Theme.builtin(named: name)?.missingStyleNames.contains("urgent") == false, "\(name)") }
    }

    @Test func noBellWhenItIsOffOrForTheOperatorsOwnWrites() throws {
        let (quiet, _) = try Self.withUrgentArrival(lang: .en, bell: false)
        #expect(!quiet.takeBell())
        #expect(quiet.state.status?.text == "1 new case for you (1 urgent)", "still said")
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "city-intake-1")
        let made = try engine.store.report(ReportDraft(kind: .event, categoryCode: "0406", cellCode: "110101001001001",
                                                       description: "我自己受理的", source: .hotline, urgent: true),
                                           by: "city-intake-1", at: ConsoleFixture.now)
        engine.run(ConsoleUpdate.receive(.reported(made), &engine.state))
        #expect(!engine.takeBell(), "the operator's own report is not an arrival")
    }

    @Test func theBellSettingsAreTheSitesUnlessTheOperatorChose() throws {
        let store = try ConsoleFixture.store()
        let op = try store.findOperator("city-dispatcher-1")
        #expect(try store.bellSettings(operatorID: op.id).rings)
        try store.setSiteBell(false, by: "admin", at: ConsoleFixture.now)
        #expect(try !store.bellSettings(operatorID: op.id).rings)
        try store.setOperatorBell("city-dispatcher-1", true, by: "city-dispatcher-1", at: ConsoleFixture.now)
        #expect(try store.bellSettings(operatorID: op.id).rings)
        #expect(throws: WorkflowError.self) { try store.setOperatorBell("city-dispatcher-1", false, by: "city-intake-1", at: ConsoleFixture.now) }
        try store.setOperatorBell("city-dispatcher-1", nil, by: "city-dispatcher-1", at: ConsoleFixture.now)
        #expect(try !store.bellSettings(operatorID: op.id).rings)
        let engine = try ConsoleFixture.engine(store: store)
        #expect(!engine.state.bellEnabled)
    }

    @Test func messagesFadeIntoTheLogShownOnAKey() throws {
        let (engine, _) = try Self.withUrgentArrival(lang: .en)
        var clock: TimeInterval = engine.state.uptime
        engine.uptime = { clock }
        clock += 4
        engine.refresh(changed: false)
        #expect(engine.state.status != nil, "an urgent note stays a while")
        clock += 7
        engine.refresh(changed: false)
        #expect(engine.state.status == nil, "then fades")
        #expect(Self.line(engine, containing: "new 7 · due soon")?.contains("│") == false)
        engine.press("p")
        guard case .document(_, let lines, _) = engine.state.overlay else { Issue.record("no log"); return }
        #expect(lines.first?.hasSuffix("✗ 1 new case for you (1 urgent)") == true, "\(lines)")
    }

    /// The case pane is the highlighted row's case after every kind of action (the refresh after it is the same
    /// for all), after a real dispatch, and after clearing a filter.
    @Test func theCasePaneFollowsTheCursorAfterEveryActionAndAfterClearingAFilter() throws {
        func check(_ engine: ConsoleEngine, _ what: String) {
            let row = engine.state.queue.selectedEntry?.serviceCase.id
            #expect(row != nil, "\(what): a row is highlighted")
            #expect(CasePane.caseID(engine.state) == row && engine.state.detail.detail?.serviceCase.id == row, "\(what)")
            #expect(Self.line(engine, containing: "Case \(row ?? 0) ") != nil, "\(what): the pane's title")
        }
        for action in CaseAction.allCases {
            let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en)
            engine.press("j j 3")
            engine.execute(.openCase(try #require(engine.state.queue.entries.last?.serviceCase.id)))
            let c = try #require(engine.state.detail.detail?.serviceCase)
            engine.run(ConsoleUpdate.receive(.acted(c, action, fromForm: false), &engine.state))
            check(engine, action.rawValue)
        }
        // A real dispatch from the case pane: the case leaves "needs me", the cursor lands on the next row that does.
        let engine = try ConsoleFixture.engine()
        let needs = engine.state.queue.counts.needsMyAction
        try #require(needs >= 2)
        engine.press("j enter")
        let acted = try #require(engine.state.queue.selectedEntry?.serviceCase.id)
        engine.press("D")
        try #require(engine.state.form != nil)
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        #expect(engine.state.queue.selected == 1 && engine.state.queue.selectedEntry?.needsMyAction == true)
        #expect(engine.state.queue.selectedEntry?.serviceCase.id != acted)
        check(engine, "dispatch")
        // Clearing a filter.
        engine.press("/")
        engine.type("垃圾")
        engine.press("enter j j c")
        check(engine, "clear filter")
        engine.press("esc")
        check(engine, "back")
    }
}
