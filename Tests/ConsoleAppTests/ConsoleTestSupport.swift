@testable import CityGridDemo
import Curses
import Foundation
@testable import ConsoleApp
@testable import Workflow

/// A console engine over a small seeded demo city in memory, at a pinned time, for tests without a terminal.
enum ConsoleFixture {
    static let now = try! InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-11-25T10:30:00+08:00")

    static let seededStore: CityStore = {
        let store = try! CityStore.inMemory()
        _ = try! DemoCity.seed(into: store, options: DemoOptions(model: .oneMonitorTwoCommand, seed: 5, days: 3, cases: 800, now: now))
        return store
    }()

    /// A fresh in-memory copy per test, so tests that write do not disturb each other.
    static func store() throws -> CityStore {
        let copy = try CityStore.inMemory()
        try seededStore.writer.backup(to: copy.writer)
        return copy
    }

    static func engine(as login: String = "city-dispatcher-1", width: Int = 120, height: Int = 40, lang: Language = .en,
                       store: CityStore? = nil) throws -> ConsoleEngine {
        let store = try store ?? Self.store()
        let viewer = try store.findOperator(login)
        let engine = ConsoleEngine(store: store, viewer: viewer, lang: lang, theme: .default, themeName: "default", clock: { now })
        engine.state.width = width
        engine.state.height = height
        try engine.start()
        _ = engine.render()       // the layout tells the queue how many rows it shows
        engine.reload()
        return engine
    }

    static func text(_ buffer: ScreenBuffer) -> String { buffer.lines().joined(separator: "\n") }
}

extension ConsoleEngine {
    /// Types keys by name, as a test reads: "j j enter".
    func press(_ names: String) {
        for name in names.split(separator: " ") {
            guard let key = Key(String(name)) else { fatalError("no key named \(name)") }
            handle(key)
        }
    }

    func type(_ text: String) {
        for c in text { handle(.character(c)) }
    }

    var screen: String { ConsoleFixture.text(render()) }
}
