import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The help overlay (role-specific, scrollable, with the `:` commands), the footer's hints by role, the `/` filter's
/// history and the filter named in the queue's title (issue 16).
@Suite struct ConsoleHelpFilterTests {
    /// The help box's lines, trimmed: the overlay only, not the panes behind it.
    static func helpBox(_ engine: ConsoleEngine) -> [String] {
        let buffer = engine.render()
        let box = HelpContent.box(ConsoleLayout(width: engine.state.width, height: engine.state.height).body)
        return (box.y..<box.maxY).map { y in
            var line = ""
            for x in box.x..<box.maxX { if let cell = buffer.cell(x: x, y: y), cell.width > 0 { line += cell.grapheme } }
            return FrameAssert.trimmed(line)
        }
    }

    static func check(_ engine: ConsoleEngine, _ expected: String, name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = helpBox(engine)
        let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false).map { FrameAssert.trimmed(String($0)) }
        if actual != wanted {
            print("HELP-BEGIN \(name)\n" + actual.joined(separator: "\n") + "\nHELP-END \(name)")
            Issue.record("help box \(name) differs", sourceLocation: sourceLocation)
        }
    }

    @Test func helpAt80x24ForADispatcherScrolls() throws {
        let engine = try ConsoleFixture.engine(as: "city-dispatcher-1", width: 80, height: 24, lang: .en)
        engine.press("?")
        Self.check(engine, HelpFrames.dispatcherEn80x24Top, name: "dispatcher-en-80x24-top")
        engine.press("pgdn")
        Self.check(engine, HelpFrames.dispatcherEn80x24Page2, name: "dispatcher-en-80x24-page2")
        engine.press("G")
        Self.check(engine, HelpFrames.dispatcherEn80x24End, name: "dispatcher-en-80x24-end")
        engine.press("j")
        Self.check(engine, HelpFrames.dispatcherEn80x24End, name: "dispatcher-en-80x24-end-stays")
        engine.press("g")
        Self.check(engine, HelpFrames.dispatcherEn80x24Top, name: "dispatcher-en-80x24-top-again")
        engine.press("esc")
        #expect(engine.state.overlay == nil)
    }

    @Test func helpAt120x40ForAnInspectorInChinese() throws {
        let engine = try ConsoleFixture.engine(as: "110101-insp-001", width: 120, height: 40, lang: .zh)
        engine.press("?")
        Self.check(engine, HelpFrames.inspectorZh120x40Top, name: "inspector-zh-120x40-top")
        engine.press("G")
        Self.check(engine, HelpFrames.inspectorZh120x40End, name: "inspector-zh-120x40-end")
    }

    /// Every role sees the ● meaning and the `:` commands, and only the case actions the action table gives it.
    @Test(arguments: Role.allCases)
    func helpListsOnlyTheRolesActions(_ role: Role) throws {
        var s = ConsoleState(viewer: Operator(id: 1, login: "x", name: "x", role: role, centerID: nil, departmentCode: nil,
                                              regionCode: "110000", patrolAreaID: nil, tier: .city), lang: .en)
        s.width = 120
        let text = HelpContent.lines(s).map(\.text)
        #expect(text.contains { $0.contains("● ") && $0.contains("arrived since you opened the console or since you last looked at it") })
        #expect(text.contains { $0.hasPrefix("  :handover") } && text.contains { $0.hasPrefix("  :filter state STATE") })
        for (key, action) in Keymap.caseActionKeys {
            let shown = text.contains { $0.hasPrefix("  \(key)  ") }
            #expect(shown == action.allows(role), "\(role) \(action)")
            #expect(text.contains { $0.hasPrefix("  :" + ConsoleCommandParser.usage(action)) } == action.allows(role))
        }
        #expect(text.contains { $0.hasPrefix("  n ") } == (role == .intake || role == .inspector))
    }

    /// Every word the `:` line knows is in the help's command table.
    @Test func everyConsoleCommandIsInTheHelp() {
        let heads = Set(ConsoleCommandParser.commandHelp.map { String($0.usage.split(separator: " ")[0]) })
        for word in ConsoleCommandParser.consoleWords where word != "quit" {
            #expect(heads.contains(word), "\(word) missing from the help")
        }
        for command in ConsoleCommandParser.commandHelp {
            let example = command.usage.split(separator: " ").map { w in w.first!.isUppercase || w.contains("|") || w.hasPrefix("[") ? "x" : String(w) }
            _ = example
            #expect(!command.zh.isEmpty && command.zh != command.en)
        }
    }

    static func footer(_ engine: ConsoleEngine) -> String {
        FrameAssert.trimmed(engine.render().line(engine.state.height - 2))
    }

    @Test func theHintLineSuitsTheRole() throws {
        let cases: [(String, String)] = [
            ("city-dispatcher-1", "? help  q quit  Tab next pane  Enter open case  / filter  Space mark for a bulk action  b overdue board / queue  x actions on"),
            ("110101-insp-001", "? help  q quit  n new report (hotline intake)  Tab next pane  Enter open case  / filter  x actions on case  : command line"),
            ("city-intake-1", "? help  q quit  n new report (hotline intake)  Tab next pane  Enter open case  / filter  x actions on case  : command line"),
            ("city-lead-1", "? help  q quit  Tab next pane  Enter open case  / filter  Space mark for a bulk action  b overdue board / queue  x actions on"),
            ("city-supervisor", "? help  q quit  Tab next pane  Enter open case  / filter  Space mark for a bulk action  b overdue board / queue  x actions on"),
        ]
        for (login, line) in cases {
            let engine = try ConsoleFixture.engine(as: login, width: 120, height: 40, lang: .en)
            #expect(Self.footer(engine) == line, "\(login)")
        }
        let zh = try ConsoleFixture.engine(as: "110101-insp-001", width: 80, height: 24, lang: .zh)
        #expect(Self.footer(zh) == "? 帮助  q 退出  n 新上报（热线受理）  Tab 下一个窗格  Enter 打开案件  / 筛选  x 可执行操作  :")
    }

    @Test func slashFilterHasAHistory() throws {
        let engine = try ConsoleFixture.engine(width: 120, height: 40, lang: .en)
        let all = engine.state.queue.total
        engine.press("/")
        engine.type("垃圾")
        engine.press("enter")
        let rubbish = engine.state.queue.total
        engine.press("/")
        engine.press("ctrl-u")
        engine.type("路灯")
        engine.press("enter")
        engine.press("/")
        engine.press("ctrl-u")
        #expect(engine.state.queue.total == all)
        engine.press("up")
        #expect(engine.state.queue.filter.text == "路灯")
        engine.press("up")
        #expect(engine.state.queue.filter.text == "垃圾" && engine.state.queue.total == rubbish)
        engine.press("up")
        #expect(engine.state.queue.filter.text == "垃圾", "the oldest stays")
        engine.press("down")
        #expect(engine.state.queue.filter.text == "路灯")
        engine.press("down")
        #expect(engine.state.queue.filter.text == "" && engine.state.queue.total == all)
        #expect(engine.state.queue.filterEditing, "↑/↓ stay in the prompt")
        #expect(engine.state.filterHistory == ["垃圾", "路灯"])
        // The `:` line walks its own history with the same code.
        engine.press(":")
        engine.type("filter overdue")
        engine.press("enter")
        engine.press(":")
        engine.press("up")
        #expect(engine.state.commandLine?.text == "filter overdue")
    }

    @Test func theQueueTitleNamesTheStateFilter() throws {
        let engine = try ConsoleFixture.engine(width: 120, height: 40, lang: .en)
        #expect(!engine.render().line(1).contains("[filtered"))
        engine.press("s")
        let first = try #require(CaseState.open.first)
        #expect(engine.render().line(1).contains("[filtered: state \(first.rawValue)]"), "\(engine.render().line(1))")
        engine.press("s")
        let second = CaseState.open[1]
        #expect(engine.render().line(1).contains("[filtered: state \(second.rawValue)]"))
        engine.press("o")
        #expect(engine.render().line(1).contains("[filtered: state \(second.rawValue) · overdue only]"))
        let zh = try ConsoleFixture.engine(width: 120, height: 40, lang: .zh)
        zh.press("s")
        #expect(zh.render().line(1).contains("[筛选：状态 \(Language.zh.state(first.rawValue))]"))
    }
}

/// The expected help boxes (trailing blanks trimmed).
enum HelpFrames {
    static let dispatcherEn80x24Top = ""
    static let dispatcherEn80x24Page2 = ""
    static let dispatcherEn80x24End = ""
    static let inspectorZh120x40Top = ""
    static let inspectorZh120x40End = ""
}
