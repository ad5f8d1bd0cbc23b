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
            // On standard error, unbuffered: a failing run's standard output may never be flushed.
            FileHandle.standardError.write(Data(("HELP-BEGIN \(name)\n" + actual.joined(separator: "\n") + "\nHELP-END \(name)\n").utf8))
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
        #expect(text.joined(separator: " ").replacingOccurrences(of: #" +"#, with: " ", options: .regularExpression)
            .contains("● new: arrived since you opened the console or last looked at it (highlighted it)"))
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
            ("city-dispatcher-1", "? help  q quit  Tab next pane  Enter open case  / filter  Space mark for a bulk action  b overdue board / queue"),
            ("110101-insp-001", "? help  q quit  n new report (hotline intake)  Tab next pane  Enter open case  / filter  x actions on case"),
            // The intake operator's call-backs (issue 17) come right after new calls.
            ("city-intake-1", "? help  q quit  n new report (hotline intake)  f follow-ups / queue  Tab next pane  Enter open case  / filter"),
            ("city-lead-1", "? help  q quit  Tab next pane  Enter open case  / filter  Space mark for a bulk action  b overdue board / queue"),
            ("city-supervisor", "? help  q quit  Tab next pane  Enter open case  / filter  Space mark for a bulk action  b overdue board / queue"),
        ]
        for (login, line) in cases {
            let engine = try ConsoleFixture.engine(as: login, width: 120, height: 40, lang: .en)
            #expect(Self.footer(engine) == line, "\(login)")
        }
        let zh = try ConsoleFixture.engine(as: "110101-insp-001", width: 80, height: 24, lang: .zh)
        #expect(Self.footer(zh) == "? 帮助  q 退出  n 新上报（热线受理）  Tab 下一个窗格  Enter 打开案件  / 筛选", "whole hints only")
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
        engine.press("esc")
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
    static let dispatcherEn80x24Top = #"""
        ┌  Help · Esc closes  ─────────────────────────────────────────────────┐
        │Marks                                                                 │
        │  ▸            waits on you (listed first)                            │
        │  URG          urgent: clock runs round the clock; first in its       │
        │               section                                                │
        │  PRI          priority: set by a supervisor; first after the urgent  │
        │               cases                                                  │
        │  ●            new: arrived since you opened the console or last      │
        │               looked at it (highlighted it)                          │
        │  *            marked  ? pending request  = likely duplicate  ~ at    │
        │               risk  ! urged  ^ escalated                             │
        │Everywhere                                                            │
        │  ↓/j          down                                                   │
        │  ↑/k          up                                                     │
        │  g/Home       first                                                  │
        │  G/End        last                                                   │
        │  PgDn/^F      page down                                              │
        │  PgUp/^B      page up                                                │
        └─────────────────────────────────────── 1–17/116 · j/k PgUp/PgDn g/G ─┘
        """#
    static let dispatcherEn80x24Page2 = #"""
        ┌  Help · Esc closes  ─────────────────────────────────────────────────┐
        │  PgUp/^B      page up                                                │
        │  Tab          next pane                                              │
        │  S-Tab        previous pane                                          │
        │  1            queue pane                                             │
        │  2            map pane                                               │
        │  3            case pane                                              │
        │  Esc          back / cancel                                          │
        │  /            filter                                                 │
        │  c            clear filters                                          │
        │  b            overdue board / queue                                  │
        │  i            approvals inbox                                        │
        │  u            undo last bulk action                                  │
        │  x            actions on case                                        │
        │  m            map measure                                            │
        │  w            time window (day/7d/30d/month)                         │
        │  [            previous window                                        │
        │  ]            next window                                            │
        └────────────────────────────────────── 17–33/116 · j/k PgUp/PgDn g/G ─┘
        """#
    static let dispatcherEn80x24End = #"""
        ┌  Help · Esc closes  ─────────────────────────────────────────────────┐
        │  :export FILE.csv|FILE.md  export the table on screen                │
        │  :inbox                    approvals inbox                           │
        │  :handover                 shift handover                            │
        │  :patrol                   patrol board: census progress, neglected  │
        │                            cells                                     │
        │  :undo                     undo the last bulk action                 │
        │  :theme NAME|FILE          colour theme                              │
        │  :lang zh|en               interface language                        │
        │  :help                     this help                                 │
        │  :q                        quit                                      │
        │  :dispatch ID DEPT|CENTER [note]  dispatch                           │
        │  :escalate ID [note]       escalate                                  │
        │  :approve ID [note]        approve                                   │
        │  :refuse ID [note]         refuse                                    │
        │  :resume ID [note]         resume                                    │
        │  :reassign ID INSPECTOR|DEPT|CENTER REASON  reassign                 │
        │  :return-to-district ID [CENTER] INSTRUCTIONS  return-to-district    │
        └──────────────────────────────────── 100–116/116 · j/k PgUp/PgDn g/G ─┘
        """#
    static let inspectorZh120x40Top = #"""
        ┌  帮助 · Esc 关闭  ───────────────────────────────────────────────────────────────────────────────────────────┐
        │标记                                                                                                          │
        │  ▸            等待您处理（排在最前）                                                                         │
        │  急           紧急：全天候计时，在各部分中排在最前                                                           │
        │  优           优先：领导标记，紧急案件之后排在前面                                                           │
        │  ●            新：打开控制台后或您上次查看（光标停留）后到达                                                 │
        │  *            已标记  ? 待审批  = 可能重复  ~ 有超期风险  ! 已督办  ^ 已上报市级                             │
        │全局                                                                                                          │
        │  ↓/j          下移                                                                                           │
        │  ↑/k          上移                                                                                           │
        │  g/Home       到顶部                                                                                         │
        │  G/End        到底部                                                                                         │
        │  PgDn/^F      下一页                                                                                         │
        │  PgUp/^B      上一页                                                                                         │
        │  Tab          下一个窗格                                                                                     │
        │  S-Tab        上一个窗格                                                                                     │
        │  1            队列                                                                                           │
        │  2            地图                                                                                           │
        │  3            案件详情                                                                                       │
        │  Esc          返回 / 取消                                                                                    │
        │  /            筛选                                                                                           │
        │  c            清除筛选                                                                                       │
        │  n            新上报（热线受理）                                                                             │
        │  x            可执行操作                                                                                     │
        │  m            切换地图指标                                                                                   │
        │  w            时间窗口（日/7天/30天/月）                                                                     │
        │  [            上一时间窗口                                                                                   │
        │  ]            下一时间窗口                                                                                   │
        │  v            线性 / 分位数色阶                                                                              │
        │  *            热点分析（Gi*）                                                                                │
        │  a            部件图层：破损 / 在册 / 关闭                                                                   │
        │  e            考评排名 / 队列                                                                                │
        │  :            命令行                                                                                         │
        │  p            消息记录                                                                                       │
        └──────────────────────────────────────────────────────────────────────────────── 1–33/92 · j/k PgUp/PgDn g/G ─┘
        """#
    static let inspectorZh120x40End = #"""
        ┌  帮助 · Esc 关闭  ───────────────────────────────────────────────────────────────────────────────────────────┐
        │  Enter        记录普查结果                                                                                   │
        │  j/k          上下移动                                                                                       │
        │  g/G          首行 / 末行                                                                                    │
        │案件操作（作用于所选案件或已标记的案件）                                                                      │
        │  Y            确认                                                                                           │
        │  N            不属实                                                                                         │
        │  P            核查通过                                                                                       │
        │  B            核查不通过                                                                                     │
        │命令行（按 : 后输入，Tab 补全，↑↓ 历史）                                                                      │
        │  :case ID                  打开案件                                                                          │
        │  :filter TEXT              按文字筛选队列                                                                    │
        │  :filter state STATE       按状态筛选                                                                        │
        │  :filter overdue           只看超期                                                                          │
        │  :filter district CODE     按区域筛选（区、街道、社区或网格）                                                │
        │  :filter category CODE     按类别筛选                                                                        │
        │  :filter clear             清除筛选                                                                          │
        │  :sort COLUMN [asc|desc]   队列排序                                                                          │
        │  :measure MEASURE          地图指标                                                                          │
        │  :measure category CODE    地图显示某类别的上报数                                                            │
        │  :components CODE|all|off  地图部件图层（某类别、全部或关闭）                                                │
        │  :board GROUPING           考评排名（按区、部门、人员或中心）                                                │
        │  :export FILE.csv|FILE.md  导出屏幕上的表格                                                                  │
        │  :handover                 交接班                                                                            │
        │  :patrol                   巡查看板：普查进度、漏巡网格                                                      │
        │  :census [ID]              记录部件普查结果                                                                  │
        │  :theme NAME|FILE          配色主题                                                                          │
        │  :lang zh|en               界面语言                                                                          │
        │  :help                     本帮助                                                                            │
        │  :q                        退出                                                                              │
        │  :confirm ID [note]        确认                                                                              │
        │  :invalid ID [note]        不属实                                                                            │
        │  :pass ID [note]           核查通过                                                                          │
        │  :fail ID [note]           核查不通过                                                                        │
        └─────────────────────────────────────────────────────────────────────────────── 60–92/92 · j/k PgUp/PgDn g/G ─┘
        """#
}
