import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 18, channels, in the console: the intake form's hotline line (starting on the last one used), the priority
/// badge and order in the queue, the case pane's line and priority, and the one key that sets and clears the mark.
@Suite struct ChannelsConsoleTests {
    @discardableResult
    func hotlineReport(_ store: CityStore, line: String?, at offset: Double) throws -> ServiceCase {
        try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: "来电反映垃圾",
                                     source: .hotline, line: line), by: "city-intake-1", at: ConsoleFixture.now.addingTimeInterval(offset))
    }

    @Test func theIntakeFormKeepsTheLastHotlineLineUsed() throws {
        let store = try ConsoleFixture.store()
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        engine.press("n")
        let form = try #require(engine.state.form)
        #expect(form.field("line")?.options.map(\.value) == ["12319", "96150", ""])
        #expect(form.field("line")?.value == "12319")
        // The operator takes a call on 96150: the line travels with the report, and the next form starts on it.
        engine.press("tab")
        engine.type("96150")
        engine.press("tab")
        engine.type("Exposed rubbish")
        engine.press("tab tab")
        engine.type("110101001001001")
        engine.press("tab tab tab")
        engine.type("rubbish again")
        engine.press("tab enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let made = try #require(try store.cases(CaseQuery()).first)
        #expect(made.line == "96150" && made.source == .hotline)
        #expect(engine.state.lastHotlineLine == "96150")
        engine.press("n")
        #expect(engine.state.form?.field("line")?.value == "96150")
        // Another source never takes the line.
        var other = try #require(engine.state.form)
        other.fields[0].selected = try #require(other.fields[0].options.firstIndex { $0.value == "web" })
        other.fields[other.fields.firstIndex { $0.key == "category" }!].picked = true
        other.fields[other.fields.firstIndex { $0.key == "cell" }!].picked = true
        #expect(other.draft()?.source == .web && other.draft()?.line == nil)
        // An inspector's form has no line.
        let inspector = try ConsoleFixture.engine(as: "110101-insp-001", store: store)
        inspector.press("n")
        #expect(inspector.state.form != nil && inspector.state.form?.field("line") == nil)
    }

    @Test func aPriorityCaseIsBadgedFirstAmongEqualsAndThePaneSaysSo() throws {
        let store = try ConsoleFixture.store()
        let first = try hotlineReport(store, line: "12319", at: -60)
        let second = try hotlineReport(store, line: nil, at: -30)
        try store.perform(ActionRequest(action: .prioritize, caseID: second.id, actor: "city-supervisor", note: "领导关注"),
                          at: ConsoleFixture.now)
        let engine = try ConsoleFixture.engine(as: "city-intake-1", width: 100, height: 30, lang: .zh, store: store)
        let ids = engine.state.queue.entries.filter(\.needsMyAction).map(\.serviceCase)
        let nonUrgent = ids.filter { !$0.urgent }
        #expect(nonUrgent.first?.id == second.id, "priority first after the urgent cases")
        #expect(nonUrgent.map(\.id).firstIndex(of: first.id).map { $0 > 0 } == true)
        let lines = engine.render().lines().map(FrameAssert.trimmed)
        let row = try #require(lines.first { $0.contains(" \(second.id) ") })
        #expect(row.contains("优 \(second.id)"), "\(row)")
        engine.execute(.openCase(second.id))
        #expect(engine.screen.contains("优 优先案件"))
        engine.execute(.openCase(first.id))
        #expect(engine.screen.contains("来源 热线电话 12319"))
        let english = try ConsoleFixture.engine(as: "city-intake-1", width: 100, height: 30, lang: .en, store: store)
        #expect(english.render().lines().contains { $0.contains("PRI \(second.id)") })
    }

    @Test func oneKeySetsAndClearsTheMarkForASupervisorOnly() throws {
        let store = try ConsoleFixture.store()
        let made = try hotlineReport(store, line: nil, at: -5)
        let supervisor = try ConsoleFixture.engine(as: "city-supervisor", store: store)
        supervisor.execute(.openCase(made.id))
        supervisor.press("I")
        #expect(supervisor.state.form?.action == .prioritize, "\(supervisor.state.status?.text ?? "")")
        supervisor.press("enter")
        #expect(try store.serviceCase(made.id).priority, "\(supervisor.state.status?.text ?? "")")
        supervisor.execute(.openCase(made.id))
        supervisor.press("I")
        #expect(supervisor.state.form?.action == .deprioritize)
        supervisor.press("enter")
        #expect(try !store.serviceCase(made.id).priority)
        // The : line takes it from the same table.
        guard case .success(.action(let request)) = ConsoleCommandParser.parse("prioritize \(made.id) 领导关注", actor: "city-supervisor") else {
            Issue.record("the : line does not know prioritize")
            return
        }
        #expect(request.action == .prioritize && request.caseID == made.id)
        // A dispatcher is told why not, in the operator's words.
        let dispatcher = try ConsoleFixture.engine(as: "city-dispatcher-1", lang: .zh, store: store)
        dispatcher.execute(.openCase(made.id))
        dispatcher.press("I")
        #expect(dispatcher.state.form == nil)
        #expect(dispatcher.state.status?.text.contains("设为优先仅限领导执行") == true, "\(dispatcher.state.status?.text ?? "")")
    }
}
