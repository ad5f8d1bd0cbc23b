import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 13, defect 2 in the console: a clock outside the site's time window saves nothing and says so in the
/// console's language, with no CLI flag in the message.
@Suite struct ConsoleTimeWindowTests {
    static func historyCount(_ store: CityStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? 0 }
    }

    @Test(arguments: [Language.en, .zh], ["1990-01-01T00:00:00+08:00", "9999-12-31T23:59:59Z"])
    func aClockOutsideTheWindowSavesNothing(_ lang: Language, _ text: String) throws {
        let store = try ConsoleFixture.store()
        let clock = try InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(text)
        let viewer = try store.findOperator("city-lead-1")
        let engine = ConsoleEngine(store: store, viewer: viewer, lang: lang, theme: .default, themeName: "default", clock: { clock })
        engine.state.width = 120
        engine.state.height = 40
        try engine.start()
        _ = engine.render()
        engine.reload()
        let id = try #require(try store.cases(CaseQuery(states: [.reported])).first?.id)
        let before = try Self.historyCount(store)
        engine.execute(.action(ActionRequest(action: .urge, caseID: id, actor: "city-lead-1", note: "催办")))
        let status = try #require(engine.state.status)
        #expect(status.kind == .error)
        #expect(status.text.contains(lang == .zh ? "超出本站时间窗口" : "is outside the site's time window"), "\(status.text)")
        #expect(status.text.contains(lang == .zh ? "未保存" : "nothing saved"), "\(status.text)")
        #expect(!status.text.contains("--") && !status.text.contains("invalid input"), "\(status.text)")
        #expect(try Self.historyCount(store) == before)
        _ = engine.screen
    }

    @Test func aSaneClockStillSaves() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1")
        let id = try #require(try engine.store.cases(CaseQuery(states: [.reported])).first?.id)
        engine.execute(.action(ActionRequest(action: .urge, caseID: id, actor: "city-lead-1", note: "催办")))
        #expect(engine.state.status?.kind == .ok, "\(engine.state.status?.text ?? "")")
    }
}
