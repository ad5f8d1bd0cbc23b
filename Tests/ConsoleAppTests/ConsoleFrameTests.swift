import CityGridDemo
import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Exact frames of the console's key screens, as ratatui's `TestBackend` compares them: the whole screen, line by
/// line, at 100×30 and 80×24, in Chinese and English, over a small seeded city at a pinned time. A change to what an
/// operator sees shows here as a readable diff. The expected frames are in `ConsoleFrames.swift`.
@Suite struct ConsoleFrameTests {
    /// A small demo city, seeded once: the same options give the same city.
    static let smallStore: CityStore = {
        let store = try! CityStore.inMemory()
        _ = try! DemoCity.seed(into: store, options: DemoOptions(model: .oneMonitorTwoCommand, seed: 7, days: 2, cases: 120, now: ConsoleFixture.now))
        return store
    }()

    static func engine(width: Int, height: Int, lang: Language, as login: String = "city-dispatcher-1") throws -> ConsoleEngine {
        let copy = try CityStore.inMemory()
        try smallStore.writer.backup(to: copy.writer)
        return try ConsoleFixture.engine(as: login, width: width, height: height, lang: lang, store: copy)
    }

    /// The screens, each reached by keys from the opening screen.
    static let screens: [(name: String, keys: String)] = [
        ("queue", ""),
        ("case", "j j 3"),
        ("map", "2"),
        ("form", "D"),
        ("board", "e"),
    ]

    static let sizes: [(width: Int, height: Int)] = [(100, 30), (80, 24)]

    @Test(arguments: ["queue", "case", "map", "form", "board"], [Language.zh, .en])
    func screen(_ name: String, _ lang: Language) throws {
        let keys = try #require(Self.screens.first { $0.name == name }).keys
        for size in Self.sizes {
            let engine = try Self.engine(width: size.width, height: size.height, lang: lang)
            if !keys.isEmpty { engine.press(keys) }
            let key = "\(name)-\(lang.rawValue)-\(size.width)x\(size.height)"
            FrameAssert.equal(engine.render(), ConsoleFrames.expected[key], name: key)
        }
    }
}

/// Compares a frame with the expected text line by line (trailing blanks aside) and, when they differ, records an
/// issue showing only the lines that differ, and prints the whole actual frame between markers so it can be
/// pasted as the new expectation after a deliberate change.
enum FrameAssert {
    static func equal(_ buffer: ScreenBuffer, _ expected: String?, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = buffer.lines().map(trimmed)
        let wanted = (expected ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { trimmed(String($0)) }
        guard actual != wanted else { return }
        var diff: [String] = []
        for i in 0..<max(actual.count, wanted.count) {
            let a = i < actual.count ? actual[i] : "<none>", w = i < wanted.count ? wanted[i] : "<none>"
            if a != w { diff.append("line \(i) expected: \(w)\nline \(i) actual:   \(a)") }
        }
        // On standard error, unbuffered: a failing run's standard output may never be flushed.
        FileHandle.standardError.write(Data(("FRAME-BEGIN \(name)\n" + actual.joined(separator: "\n") + "\nFRAME-END \(name)\n").utf8))
        let message: String = "frame \(name) differs:\n" + diff.joined(separator: "\n")
        Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
    }

    static func trimmed(_ line: String) -> String {
        var s = Substring(line)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
