import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The console without a terminal: keys go in, state and frames come out.
@Suite struct ConsoleStateTests {

    @Test func queueShowsMyWorkFirstAndMovesWithTheKeys() throws {
        let engine = try ConsoleFixture.engine()
        let q = engine.state.queue
        #expect(q.counts.needsMyAction > 0 && q.counts.others > 0)
        #expect(q.entries.first?.needsMyAction == true)
        #expect(q.entries.prefix(q.counts.needsMyAction).allSatisfy { $0.serviceCase.state == .filed || $0.serviceCase.pending != nil })
        engine.press("j j")
        #expect(engine.state.queue.selected == 2)
        #expect(engine.state.detail.caseID == engine.state.queue.selectedEntry?.serviceCase.id, "the case pane follows the selection")
        engine.press("G")
        #expect(engine.state.queue.selected == q.total - 1)
        #expect(engine.state.queue.selectedEntry != nil, "a far jump fetches the window it lands in")
        engine.press("g")
        #expect(engine.state.queue.selected == 0)
        engine.press("tab")
        #expect(engine.state.focus == .map)
        engine.press("3")
        #expect(engine.state.focus == .detail)
    }

    @Test func liveFilterNarrowsTheQueueAndEscClearsIt() throws {
        let engine = try ConsoleFixture.engine()
        let all = engine.state.queue.total
        engine.press("/")
        engine.type("垃圾")
        let filtered = engine.state.queue.total
        #expect(filtered > 0 && filtered < all)
        #expect(engine.screen.contains("/垃圾"))
        engine.press("esc")
        #expect(engine.state.queue.total == all)
        engine.press("o")
        #expect(engine.state.queue.entries.allSatisfy { $0.serviceCase.isOverdue(at: ConsoleFixture.now) })
        engine.press("c")
        #expect(engine.state.queue.total == all)
    }

    @Test func sortingByAColumnReordersTheQueue() throws {
        let engine = try ConsoleFixture.engine()
        engine.execute(.sort(.id, ascending: false))
        let needs = engine.state.queue.counts.needsMyAction
        let ids = engine.state.queue.entries.prefix(needs).map(\.serviceCase.id)
        #expect(ids == ids.sorted(by: >))
    }

    @Test func dispatchingThroughTheFormWritesOnlyOnSubmit() throws {
        let engine = try ConsoleFixture.engine()
        let target = try #require(engine.state.queue.entries.first { $0.serviceCase.state == .filed && $0.serviceCase.commandCenterID == "CITY-C" })
        let index = engine.state.queue.windowStart + engine.state.queue.entries.firstIndex(of: target)!
        _ = ConsoleUpdate.move(to: index, &engine.state)
        engine.press("D")
        let form = try #require(engine.state.form)
        #expect(form.action == .dispatch)
        let category = engine.state.categories.first { $0.key == target.serviceCase.categoryKey }
        #expect(form.field("to")?.value == (target.serviceCase.departmentCode ?? category?.department), "the category's department is preselected")
        #expect(form.preview?.contains("due") == true, "Workflow previews the deadline")
        #expect(engine.screen.contains("dispatch case \(target.serviceCase.id)"))
        engine.press("esc")
        #expect(try engine.store.serviceCase(target.serviceCase.id).state == .filed, "cancel writes nothing")
        engine.press("D enter")
        #expect(engine.state.form == nil)
        let after = try engine.store.serviceCase(target.serviceCase.id)
        #expect(after.state == .dispatched)
        #expect(engine.state.status?.kind == .ok)
    }

    @Test func aRefusalFromWorkflowShowsInTheStatusLine() throws {
        let engine = try ConsoleFixture.engine(as: "city-intake-1")
        engine.press("D")
        #expect(engine.state.form == nil)
        #expect(engine.state.status?.kind == .error)
        #expect(engine.state.status?.text.contains("dispatcher") == true)
        // The command line goes through the same Workflow call and is refused the same way.
        let id = try #require(engine.state.queue.selectedEntry?.serviceCase.id)
        engine.press(":")
        engine.type("dispatch \(id) SANIT")
        engine.press("enter")
        #expect(engine.state.status?.kind == .error)
        #expect(engine.state.status?.text.contains("dispatch is for the dispatcher role; city-intake-1 is intake") == true, "\(engine.state.status?.text ?? "")")
    }

    @Test func aCaseChangedUnderAnOpenFormIsNotOverwritten() throws {
        let engine = try ConsoleFixture.engine()
        let target = try #require(engine.state.queue.entries.first { $0.serviceCase.state == .filed && $0.serviceCase.commandCenterID == "CITY-C" })
        _ = ConsoleUpdate.move(to: engine.state.queue.windowStart + engine.state.queue.entries.firstIndex(of: target)!, &engine.state)
        engine.press("D")
        #expect(engine.state.form != nil)
        // Meanwhile another dispatcher routes it to the district.
        try engine.store.perform(ActionRequest(action: .dispatch, caseID: target.serviceCase.id, actor: "city-dispatcher-2", target: "110101-C"),
                                 at: ConsoleFixture.now.addingTimeInterval(1))
        engine.press("enter")
        #expect(engine.state.status?.text.contains("changed since you opened it") == true)
        #expect(engine.state.form != nil, "the form keeps its input")
        #expect(try engine.store.serviceCase(target.serviceCase.id).commandCenterID == "110101-C")
    }

    @Test func commandLineRunsActionsCompletesAndRemembers() throws {
        let engine = try ConsoleFixture.engine()
        let target = try #require(engine.state.queue.entries.first { $0.serviceCase.state == .filed && $0.serviceCase.commandCenterID == "CITY-C" })
        let id = target.serviceCase.id
        engine.press(":")
        engine.type("dispa")
        engine.press("tab")
        #expect(engine.state.commandLine?.text == "dispatch ")
        engine.type("\(id) SAN")
        engine.press("tab")
        #expect(engine.state.commandLine?.text == "dispatch \(id) SANIT ")
        engine.press("enter")
        #expect(try engine.store.serviceCase(id).state == .dispatched)
        engine.press(": up")
        #expect(engine.state.commandLine?.text == "dispatch \(id) SANIT")
        engine.press("esc")
        engine.press(":")
        engine.type("case \(id)")
        engine.press("enter")
        #expect(engine.state.focus == .detail && engine.state.detail.caseID == id)
    }

    /// Found by the monkey (scripts/reliability/monkey.sh): a combining mark typed after its letter joins it, so the
    /// line has fewer characters than keys typed; the cursor ran past the end and the next key trapped
    /// ("String index is out of bounds").
    @Test func commandLineTakesACombiningMarkTypedAsItsOwnKey() throws {
        let engine = try ConsoleFixture.engine()
        var s = engine.state
        s.commandLine = CommandLineState()
        for key in [Key.character("e"), .character("\u{301}"), .character("x"), .left, .character("\u{301}"),
                    .character("y"), .end, .backspace, .backspace, .character("z")] {
            _ = CommandLineUpdate.handle(key, &s)
        }
        let line = try #require(s.commandLine)
        #expect(line.cursor <= line.text.count)
        #expect(line.text == "e\u{301}\u{301}z")
    }

    @Test func commandParserReadsWhatADispatcherTypes() {
        #expect(ConsoleCommandParser.parse("dispatch 1234 SANIT", actor: "me") ==
            .success(.action(ActionRequest(action: .dispatch, caseID: 1234, actor: "me", target: "SANIT"))))
        #expect(ConsoleCommandParser.parse("file 1234 event 0102", actor: "me") ==
            .success(.action(ActionRequest(action: .file, caseID: 1234, actor: "me", category: "event:0102"))))
        #expect(ConsoleCommandParser.parse("request-extension 9 4 需要协调", actor: "me") ==
            .success(.action(ActionRequest(action: .requestExtension, caseID: 9, actor: "me", note: "需要协调", hours: 4))))
        #expect(ConsoleCommandParser.parse("cancel 9 重复 上报", actor: "me") ==
            .success(.action(ActionRequest(action: .cancel, caseID: 9, actor: "me", note: "重复 上报"))))
        #expect(ConsoleCommandParser.parse("filter state filed", actor: "me") == .success(.filterState(.filed)))
        #expect(ConsoleCommandParser.parse("theme light", actor: "me") == .success(.theme("light")))
        #expect(ConsoleCommandParser.parse("q", actor: "me") == .success(.quit))
        if case .success = ConsoleCommandParser.parse("dispatch abc", actor: "me") { Issue.record("accepted a bad id") }
        if case .success = ConsoleCommandParser.parse("fly 1", actor: "me") { Issue.record("accepted an unknown command") }
    }

    @Test func helpIsBuiltFromTheKeymap() throws {
        let engine = try ConsoleFixture.engine()
        engine.press("?")
        #expect(engine.state.overlay == .help)
        // The help scrolls (issue 16): every page down the whole of it, together, shows each of the role's queue keys.
        var screens = engine.screen
        for _ in 0..<10 {
            engine.press("pgdn")
            screens += engine.screen
        }
        for binding in Keymap.bindings.filter({ $0.context == .queue && RoleKeys.allows($0.action, engine.state) }) {
            #expect(screens.contains(binding.help(.en)), "help lacks \(binding.en)")
        }
        engine.press("esc")
        #expect(engine.state.overlay == nil)
    }

    @Test func theActionsMenuOffersOnlyWhatWorkflowAllows() throws {
        let engine = try ConsoleFixture.engine()
        let c = try #require(engine.state.queue.selectedEntry?.serviceCase)
        engine.press("x")
        guard case .actions(let id, let actions, _) = engine.state.overlay else { Issue.record("no actions menu"); return }
        #expect(id == c.id)
        #expect(actions == Lifecycle.availableActions(on: c, by: engine.state.viewer, rules: engine.state.siteRules))
        #expect(!actions.contains(.close) && !actions.contains(.handle))
    }

    @Test func newArrivalsAppearOnRefreshMarkedAndTheSelectionStays() throws {
        let engine = try ConsoleFixture.engine(as: "city-intake-1")
        engine.press("j j j")
        let selected = engine.state.queue.selectedEntry?.serviceCase.id
        let made = try engine.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001",
                                                       description: "新的暴露垃圾", source: .web), by: nil,
                                           at: ConsoleFixture.now.addingTimeInterval(5))
        engine.refresh(changed: true)
        #expect(engine.state.queue.selectedEntry?.serviceCase.id == selected, "the selection follows its case")
        engine.execute(.sort(.id, ascending: false))
        let row = try #require(engine.state.queue.entries.first { $0.serviceCase.id == made.id })
        #expect(QueueArrivals.isNew(row.serviceCase, engine.state))
        #expect(engine.state.queue.entries.first?.serviceCase.id == made.id)
        #expect(engine.screen.contains("●"))
    }

    @Test func quittingWithInputInAFormAsksFirst() throws {
        let engine = try ConsoleFixture.engine()
        engine.press("D")
        engine.press("tab")
        engine.type("备注")
        engine.handle(.character("q"))
        // In a form, q is text; Esc then q quits only after a yes.
        #expect(!engine.state.shouldQuit)
        if var form = engine.state.form {
            form.fields[form.focus].text = "x"
            engine.state.form = form
        }
        _ = ConsoleUpdate.perform(.quit, &engine.state)
        #expect(engine.state.overlay != nil && !engine.state.shouldQuit)
        engine.press("n")
        #expect(!engine.state.shouldQuit)
        _ = ConsoleUpdate.perform(.quit, &engine.state)
        engine.press("y")
        #expect(engine.state.shouldQuit)
    }

    @Test func theDemoRoleSwitcherShowsTheCityThroughOtherEyes() throws {
        let engine = try ConsoleFixture.engine()
        engine.state.demo = true
        engine.press("f2")
        guard case .roleSwitcher(let operators, _) = engine.state.overlay else { Issue.record("no role switcher"); return }
        #expect(Set(operators.map(\.role)).count >= 5)
        let index = try #require(operators.firstIndex { $0.login == "sanit-110101" })
        engine.state.overlay = .roleSwitcher(operators, selected: index)
        engine.press("enter")
        #expect(engine.state.viewer.login == "sanit-110101")
        #expect(engine.state.queue.entries.allSatisfy { $0.serviceCase.departmentCode == "SANIT" && $0.serviceCase.districtCode == "110101" })
        // Outside the demo there is no switching identities.
        let plain = try ConsoleFixture.engine()
        plain.press("f2")
        #expect(plain.state.overlay == nil && plain.state.status?.kind == .error)
    }

    @Test func selectingACellOnTheMapFiltersTheQueueToIt() throws {
        let engine = try ConsoleFixture.engine(as: "city-supervisor")
        let busiest = try #require(engine.state.map.measures.max { $0.value.open < $1.value.open })
        let cell = try #require(engine.state.map.model.cell(code: busiest.key))
        engine.press("2")
        engine.state.map.view.cursorRow = cell.row
        engine.state.map.view.cursorCol = cell.col
        engine.state.map.view.zoom = 1   // at the finest zoom Enter means this cell (coarser zooms drill down first)
        engine.press("enter")
        #expect(engine.state.focus == .queue)
        #expect(engine.state.queue.filter.region == busiest.key)
        #expect(engine.state.queue.total == busiest.value.open)
        #expect(engine.state.queue.entries.allSatisfy { $0.serviceCase.cellCode == busiest.key })
    }
}

@Suite struct ConsoleRenderTests {
    @Test(arguments: [(120, 40), (80, 24)])
    func fullLayoutShowsQueueCaseAndMap(width: Int, height: Int) throws {
        let engine = try ConsoleFixture.engine(width: width, height: height)
        let frame = engine.render()
        #expect(frame.width == width && frame.height == height)
        let text = ConsoleFixture.text(frame)
        #expect(text.contains("Queue: mine"))
        #expect(text.contains("Case "))
        #expect(text.contains("Grid map"))
        #expect(text.contains("city-dispatcher-1"))
        #expect(frame.line(height - 1).contains("overdue"))
        #expect(frame.line(height - 2).contains("help"))
    }

    @Test func smallTerminalsShowTheFocusedPaneAndTinyOnesSaySo() throws {
        let engine = try ConsoleFixture.engine(width: 20, height: 5)
        let small = engine.screen
        #expect(small.contains("Queue") || small.contains("Que"))
        engine.state.width = 60
        engine.state.height = 20
        engine.press("2")
        #expect(engine.screen.contains("Grid map"))
        #expect(!engine.screen.contains("Queue: mine"))
        engine.state.width = 19
        engine.state.height = 4
        #expect(engine.screen.contains("too small"))
        for (w, h) in [(0, 0), (1, 1), (20, 5), (30, 10), (200, 60)] {
            engine.state.width = w
            engine.state.height = h
            engine.press("D")
            _ = engine.render()
            engine.press("esc ?")
            _ = engine.render()
            engine.press("esc")
        }
    }

    @Test func chineseTextStaysInItsColumns() throws {
        let engine = try ConsoleFixture.engine(width: 120, height: 40, lang: .zh)
        let frame = engine.render()
        let cols = QueueView.columns(engine.state, width: 120 * 60 / 100 - 2)
        // The state column starts at the same screen column on every row, whatever the category names' widths.
        let stateX = 1 + cols.prefix { $0.sort != .state }.reduce(0) { $0 + $1.width + 1 }
        for (i, entry) in engine.state.queue.entries.prefix(10).enumerated() {
            let expected = Language.zh.state(entry.serviceCase.state.rawValue)
            var shown = ""
            var x = stateX
            while shown.count < expected.count && x < frame.width {
                let cell = frame[x, 3 + i]
                if cell.width > 0 { shown += cell.grapheme }
                x += 1
            }
            #expect(shown == expected, "row \(i)")
        }
    }

    /// A case filed through Open311 shows the requester's address and picture link in the case pane, made safe.
    @Test func anOpen311CaseShowsItsAddressAndPicture() throws {
        let store = try ConsoleFixture.store()
        let (key, _) = try store.addAPIKey(name: "partner", at: ConsoleFixture.now)
        let (made, _) = try store.fileOpen311Request(
            ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: "门口垃圾", source: .web),
            requester: Open311Requester(address: "东四北大街\u{1B}[2J 12 号", email: "citizen@example.org"),
            mediaURL: "https://img.example.org/gate.jpg", apiKey: key, at: ConsoleFixture.now)
        #expect(try store.detail(made.id).publicRequest == PublicRequest(address: "东四北大街\u{1B}[2J 12 号", mediaURL: "https://img.example.org/gate.jpg"))
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        engine.execute(.openCase(made.id))
        let frame = engine.render()
        let text = ConsoleFixture.text(frame)
        #expect(text.contains("Open311 request: 东四北大街"), "\(text)")
        #expect(text.contains("picture https://img.example.org/gate.jpg"))
        #expect(!text.contains("citizen@example.org"), "the requester's contact details stay out")
        for y in 0..<frame.height {
            for x in 0..<frame.width { #expect(frame[x, y].grapheme.unicodeScalars.allSatisfy(TerminalText.isSafe)) }
        }
        let other = try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: "电话", source: .hotline),
                                     by: "city-intake-1", at: ConsoleFixture.now)
        #expect(try store.detail(other.id).publicRequest == nil)
    }

    @Test func hostileReportTextNeverReachesTheScreenRaw() throws {
        let store = try ConsoleFixture.store()
        let hostile = "垃圾\u{1B}[2J\u{1B}]0;owned\u{07}\u{9B}31m\u{202E}evil\nnext"
        let made = try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: hostile,
                                                source: .web), by: nil, at: ConsoleFixture.now)
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        engine.execute(.openCase(made.id))
        let frame = engine.render()
        #expect(ConsoleFixture.text(frame).contains("evil"))
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                #expect(frame[x, y].grapheme.unicodeScalars.allSatisfy(TerminalText.isSafe), "unsafe cell at \(x),\(y)")
            }
        }
    }

    @Test func withoutColourDueStatesStillDiffer() {
        let theme = Theme.default
        let styles = ["due.green", "due.yellow", "due.red"].map { theme[$0].adapted(to: .none) }
        #expect(Set(styles.map(\.attributes.rawValue)).count == 3)
    }

    @Test func identicalFramesDiffToNothing() throws {
        let engine = try ConsoleFixture.engine()
        let a = engine.render(), b = engine.render()
        #expect(b.changes(since: a).isEmpty)
        engine.press("j")
        #expect(!engine.render().changes(since: b).isEmpty)
    }
}

@Suite struct ConsoleLaunchTests {
    @Test func aBrokenThemeFileIsNamedAndTheDefaultIsUsed() throws {
        let file = TestFolder.root.appendingPathComponent("broken-\(UUID().uuidString).yaml")
        try "name: broken\nstyles:\n  normal: { fg: \"#zzzzzz\" }\n".write(to: file, atomically: true, encoding: .utf8)
        var options = try ConsoleOptions.parse(["--theme", file.path, "--lang", "en"])
        options.theme = file.path
        let engine = try ConsoleLauncher.prepare(store: try ConsoleFixture.store(), as: "city-dispatcher-1", options: options, demo: false)
        let status = try #require(engine.state.status)
        #expect(status.kind == .error)
        #expect(status.text.contains(file.lastPathComponent) && status.text.contains("3"), "names the file and the line: \(status.text)")
        #expect(status.text.contains("default theme"))
        #expect(engine.theme["normal"] == Theme.default["normal"])
        _ = engine.render()
    }

    @Test func anUnknownOperatorIsRefusedBeforeTheScreenIsTaken() throws {
        #expect(throws: WorkflowError.self) {
            try ConsoleLauncher.prepare(store: try ConsoleFixture.store(), as: "nobody", options: try ConsoleOptions.parse([]), demo: false)
        }
    }
}

@Suite struct ConsoleReassignTests {
    @Test func aDispatcherReassignsWithWorkloadShownAndAReasonRequired() throws {
        let engine = try ConsoleFixture.engine()
        engine.execute(.filterState(.dispatched))
        let entry = try #require(engine.state.queue.entries.first { $0.serviceCase.pending == nil })
        _ = ConsoleUpdate.move(to: engine.state.queue.windowStart + engine.state.queue.entries.firstIndex(of: entry)!, &engine.state)
        let target = entry.serviceCase
        engine.press("R")
        let form = try #require(engine.state.form, "\(engine.state.status?.text ?? "no status")")
        #expect(form.action == .reassign)
        let options = form.field("to")?.options ?? []
        #expect(!options.isEmpty && options.allSatisfy { $0.detail.contains("open") })
        #expect(!options.contains { $0.value == target.departmentCode }, "not back to the same department")
        engine.press("enter")
        #expect(engine.state.form?.errors["note"] != nil, "a reason is required")
        #expect(engine.state.form?.fields[engine.state.form!.focus].key == "note", "focus goes to the field in error")
        engine.type("wrong department")
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "no status")")
        let after = try engine.store.serviceCase(target.id)
        #expect(after.departmentCode != target.departmentCode || after.commandCenterID != target.commandCenterID)
        #expect(try engine.store.history(of: target.id).last?.entry.action == "reassign")
    }

    @Test func ctrlCInAFormAsksBeforeQuitting() throws {
        let engine = try ConsoleFixture.engine()
        engine.press("D")
        engine.press("tab")
        engine.type("x")
        engine.handle(.ctrl("c"))
        #expect(!engine.state.shouldQuit)
        engine.press("y")
        #expect(engine.state.shouldQuit)
    }
}

@Suite struct ConsoleBulkTests {
    /// Three dispatched cases not with SANIT and with no pending request, selected on screen.
    static func markThree(_ engine: ConsoleEngine) throws -> [Int64] {
        engine.execute(.filterState(.dispatched))
        let picks = engine.state.queue.entries.filter { $0.serviceCase.pending == nil && $0.serviceCase.departmentCode != "SANIT" }.prefix(3)
        #expect(picks.count == 3)
        for entry in picks {
            _ = ConsoleUpdate.move(to: engine.state.queue.windowStart + engine.state.queue.entries.firstIndex(of: entry)!, &engine.state)
            engine.press("space")
        }
        return picks.map(\.serviceCase.id)
    }

    @Test func markedCasesAreReassignedInOneStepAndTheStepCanBeUndone() throws {
        let engine = try ConsoleFixture.engine()
        let ids = try Self.markThree(engine)
        #expect(engine.state.queue.marked == Set(ids))
        #expect(engine.screen.contains("3 marked"))
        engine.press("R")
        #expect(engine.state.form?.bulkIDs == ids.sorted())
        #expect(engine.screen.contains("bulk reassign: 3 cases"))
        engine.type("SANIT")
        engine.press("tab")
        engine.type("rebalancing the load")
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        for id in ids { #expect(try engine.store.serviceCase(id).departmentCode == "SANIT") }
        #expect(engine.state.queue.marked.isEmpty)
        engine.press("u y")
        #expect(engine.state.status?.kind == .ok, "\(engine.state.status?.text ?? "")")
        for id in ids { #expect(try engine.store.serviceCase(id).departmentCode != "SANIT") }
        #expect(try engine.store.history(of: ids[0]).suffix(2).map(\.entry.action) == ["reassign", "reassign"], "undo adds rows; history is not rewritten")
    }

    @Test func oneRefusalLeavesEveryMarkedCaseAsItWas() throws {
        let engine = try ConsoleFixture.engine()
        let ids = try Self.markThree(engine)
        // One of them is already with ENFORCE-free… make one already with SANIT: the batch must refuse whole.
        try engine.store.perform(ActionRequest(action: .reassign, caseID: ids[1], actor: "city-dispatcher-2", target: "SANIT", note: "meanwhile"),
                                 at: ConsoleFixture.now.addingTimeInterval(1))
        let before = try ids.map { try engine.store.serviceCase($0) }
        engine.press("R")
        engine.type("SANIT")
        engine.press("tab")
        engine.type("again")
        engine.press("enter")
        // Issue 16: every marked case is checked before anything is written; the refusing one is named, and the others
        // go only if the operator says so.
        #expect(engine.state.form?.preview?.contains("#\(ids[1])") == true, "names the refusing case: \(engine.state.form?.preview ?? "")")
        guard case .confirm(let question, .bulkRest) = engine.state.overlay else { Issue.record("no question"); return }
        #expect(question == "reassign the other 2 only? (y/n)")
        #expect(try ids.map { try engine.store.serviceCase($0) } == before, "nothing written before the answer")
        engine.press("n")
        #expect(try ids.map { try engine.store.serviceCase($0) } == before, "all or none unless the operator confirms the rest")
    }

    @Test func theBoardRanksByTheShareOfTheLimitUsed() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1")
        engine.press("b")
        #expect(engine.state.queue.mode == .board)
        #expect(engine.screen.contains("Overdue board"))
        let ratios = engine.state.queue.entries.compactMap { engine.state.queue.boardInfo[$0.serviceCase.id].flatMap { Double($0.ratio) } }
        #expect(ratios.count > 3)
        #expect(ratios == ratios.sorted(by: >))
        engine.press("b")
        #expect(engine.state.queue.mode == .queue)
    }
}

@Suite struct ConsoleInboxAndHandoverTests {
    @Test func theInboxListsPendingRequestsWithTheirEffectAndOpensTheCase() throws {
        let engine = try ConsoleFixture.engine()
        engine.press("i")
        guard case .inbox(let lines, _) = engine.state.overlay else { Issue.record("no inbox: \(engine.state.status?.text ?? "")"); return }
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.text.contains("if approved") || $0.text.contains("refused") })
        #expect(engine.screen.contains("Approvals inbox"))
        engine.press("enter")
        #expect(engine.state.focus == .detail && engine.state.detail.caseID == lines[0].caseID)
        #expect(engine.state.detail.detail?.serviceCase.pending != nil)
        engine.press("O")
        #expect(engine.state.form?.action == .approve)
    }

    @Test func theHandoverShowsWhatTheNextShiftInherits() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1")
        engine.press(":")
        engine.type("handover")
        engine.press("enter")
        guard case .document(_, let lines, _) = engine.state.overlay else { Issue.record("no handover"); return }
        #expect(lines.first?.contains("handover for city-lead-1") == true)
        #expect(lines.contains { $0.hasPrefix("open ") } && lines.contains { $0.hasPrefix("overdue ") })
        #expect(engine.screen.contains("Shift handover"))
        engine.press("esc")
        #expect(engine.state.overlay == nil)
    }
}

@Suite struct ConsoleSupervisorTests {
    @Test func measuresAndWindowsRecolourTheMapAndTheWindowSteps() throws {
        let engine = try ConsoleFixture.engine(as: "city-supervisor")
        engine.execute(.measure(.filed))
        #expect(engine.state.map.measure == .filed)
        let week = engine.state.map.windowText
        #expect(!engine.state.map.windowValues.isEmpty)
        let filedSum = engine.state.map.windowValues.values.reduce(0, +)
        engine.press("[")
        #expect(engine.state.map.windowText != week, "stepped back a window")
        #expect(engine.state.map.windowValues.values.reduce(0, +) < filedSum, "the demo history is 3 days: the week before holds less")
        engine.press("]")
        #expect(engine.state.map.windowText == week)
        engine.press("w")
        #expect(engine.state.map.window == .days30)
        #expect(engine.screen.contains("cases filed"))
        engine.press("v")
        #expect(engine.state.map.model.scale == .quantile)
        engine.execute(.measureCategory("event 0102"))
        #expect(engine.state.map.measure == .category && engine.state.map.category == CategoryKey(kind: .event, code: "0102"))
        let rubbish = try engine.store.cases(CaseQuery()).filter { $0.categoryKey == CategoryKey(kind: .event, code: "0102") }.count
        #expect(Int(engine.state.map.windowValues.values.reduce(0, +)) == rubbish)
    }

    @Test func hotspotModeNamesTheMethodAndScoresClusters() throws {
        let engine = try ConsoleFixture.engine(as: "city-supervisor")
        engine.press("*")
        #expect(engine.state.map.hotspot && engine.state.map.model.scale == .hotspot)
        #expect(engine.state.map.model.title.contains("Getis-Ord Gi*"))
        #expect(engine.state.map.zScores.values.contains { $0 > 1.96 }, "the demo's hotspots stand out")
        #expect(engine.screen.contains("Gi* z"))
    }

    @Test func drillingDownNarrowsTheQueueStepByStep() throws {
        let engine = try ConsoleFixture.engine(as: "city-supervisor")
        engine.press("2")
        let busiest = try #require(engine.state.map.measures.max { $0.value.open < $1.value.open })
        let cell = try #require(engine.state.map.model.cell(code: busiest.key))
        engine.state.map.view.cursorRow = cell.row
        engine.state.map.view.cursorCol = cell.col
        engine.state.map.view.zoom = 3
        engine.press("enter")
        #expect(engine.state.queue.filter.region == String(busiest.key.prefix(9)), "a street first")
        engine.press("enter")
        #expect(engine.state.queue.filter.region == String(busiest.key.prefix(12)), "then its community")
        engine.state.map.view.cursorRow = cell.row
        engine.state.map.view.cursorCol = cell.col
        engine.press("enter")
        #expect(engine.state.queue.filter.region == busiest.key, "then the cell")
        #expect(engine.state.focus == .queue)
        #expect(engine.state.queue.entries.allSatisfy { $0.serviceCase.cellCode == busiest.key })
    }

    @Test func theEvaluationBoardRanksAndHighlightsTheWorst() throws {
        let engine = try ConsoleFixture.engine(as: "city-supervisor")
        engine.press("e")
        #expect(engine.state.queue.mode == .evaluation)
        let (header, rows, worst) = EvaluationBoardView.table(engine.state)
        #expect(header.count > 4 && header[2].lowercased().contains("score"))
        #expect(rows.count >= 3)
        let scores = rows.compactMap { Double($0[2]) }
        #expect(scores == scores.sorted(by: >), "best first")
        #expect(!worst.isEmpty)
        engine.execute(.board(.department))
        #expect(engine.state.evaluation.report?.grouping == .department)
        engine.press(">")
        #expect(engine.state.evaluation.sortColumn == 3)
        let file = TestFolder.root.appendingPathComponent("board-\(UUID().uuidString).md").path
        engine.execute(.export(file))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("|") && text.contains("SANIT"))
    }
}

@Suite struct ConsoleIntakeFormTests {
    @Test func aHotlineCallBecomesAReportAfterDuplicatesAreShown() throws {
        let store = try ConsoleFixture.store()
        // An open exposed-rubbish case the caller may be describing again.
        let existing = try #require(try store.cases(CaseQuery(openOnly: true)).first { $0.categoryKey == CategoryKey(kind: .event, code: "0102") && $0.state.isOpen })
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        engine.press("n")
        let form = try #require(engine.state.form)
        #expect(form.isNewReport && form.field("source")?.value == "hotline")
        #expect(form.field("line")?.value == "12319", "the hotline's line, 12319 until another is used")
        engine.press("tab tab")
        engine.type("Exposed rubbish")
        #expect(engine.state.form?.field("category")?.value == "event:0102")
        engine.press("tab tab")
        engine.type(existing.cellCode)
        #expect(engine.state.form?.field("cell")?.value == existing.cellCode)
        let preview = try #require(engine.state.form?.preview)
        #expect(preview.contains("possible duplicates") && preview.contains("#\(existing.id)"), "\(preview)")
        #expect(engine.screen.contains("New report"))
        engine.press("tab")
        engine.type("school gate")
        engine.press("tab")
        engine.type("urgent")
        engine.press("tab")
        engine.type("rubbish by the school gate")
        engine.press("tab")
        engine.type("Mr Zhang")
        engine.press("tab")
        engine.type("13800000000")
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let made = try #require(try store.cases(CaseQuery()).first)
        #expect(made.description == "rubbish by the school gate （school gate）" && made.source == .hotline && made.cellCode == existing.cellCode)
        #expect(made.line == "12319")
        #expect(made.urgent, "marked urgent by the operator: calendar-time clocks")
        #expect(made.deadline == made.reportedAt.addingTimeInterval(30 * 60))
        let detail = try store.detail(made.id)
        #expect(detail.reports.first?.reporterName == "Mr Zhang" && detail.reports.first?.reporterPhone == "13800000000")
        #expect(!engine.screen.contains("13800000000"), "the caller's phone stays off the screen")
        #expect(engine.state.queue.selectedEntry?.serviceCase.id == made.id && engine.state.detail.caseID == made.id,
                "issue 16: after saving, the new case is selected")
        // The queue marks it as a likely duplicate.
        engine.execute(.sort(.id, ascending: false))
        #expect((engine.state.queue.duplicates[made.id] ?? 0) > 0)
    }

    @Test func onlyIntakeAndInspectorsOpenTheIntakeForm() throws {
        let engine = try ConsoleFixture.engine(as: "city-dispatcher-1")
        engine.press("n")
        #expect(engine.state.form == nil && engine.state.status?.kind == .error)
        let inspector = try ConsoleFixture.engine(as: "110101-insp-001")
        inspector.press("n")
        #expect(inspector.state.form?.field("source")?.value == "inspector")
        #expect(inspector.state.form?.field("phone") == nil)
    }

    @Test func theMapCursorPrefillsThePlace() throws {
        let engine = try ConsoleFixture.engine(as: "city-intake-1")
        engine.press("2")
        let cell = try #require(engine.state.map.model.cells.first)
        engine.state.map.view.cursorRow = cell.row
        engine.state.map.view.cursorCol = cell.col
        engine.press("n")
        #expect(engine.state.form?.field("cell")?.value == cell.code)
    }
}

/// At-risk flags (`~`): dispatched cases whose department usually takes longer than the time left. They
/// need a scan of the recent closed cases, so they come with the first idle moment, not the first frame.
@Suite struct ConsoleRiskFlagTests {
    @Test func flagsArriveAfterTheFirstFrameAndMatchWorkflowsEstimates() throws {
        let store = try ConsoleFixture.store()
        var settings = try store.oversightSettings()
        settings.riskMinSamples = 1
        try store.setOversightSettings(settings)
        // A department's queue is its dispatched work.
        let engine = try ConsoleFixture.engine(as: "enforce-110101", store: store)
        #expect(engine.state.queue.risks.isEmpty, "the first frame does not wait for handling times")

        #expect(engine.refresh(changed: false), "the first idle moment reloads with the flags")
        let times = try store.handlingTimes(at: ConsoleFixture.now)
        let context = try store.context()
        let expected = Set(engine.state.queue.entries.compactMap { e -> Int64? in
            guard let estimate = times.estimate(for: e.serviceCase, at: ConsoleFixture.now, context: context), estimate.atRisk else { return nil }
            return e.serviceCase.id
        })
        #expect(!expected.isEmpty, "the fixture has dispatched cases at risk")
        #expect(Set(engine.state.queue.risks.keys) == expected)
        // A flagged row without a stronger marker shows `~`.
        engine.state.queue.filter = QueueFilter()
        let screen = engine.screen
        #expect(screen.contains("~"))
        #expect(!engine.refresh(changed: false), "later idle moments reload only when data changed")
    }
}

/// A supervisor's window heatmap follows live reloads (other people's writes): indicator figures from the day cache, a
/// category's reports from its covering index; the viewer's own keys read them at once.
@Suite struct ConsoleHeatRefreshTests {
    final class Clock: @unchecked Sendable { var now = ConsoleFixture.now }

    @Test func aCategorysReportsFollowEveryLiveReload() throws {
        let store = try ConsoleFixture.store()
        let clock = Clock()
        let engine = ConsoleEngine(store: store, viewer: try store.findOperator("city-supervisor"), lang: .en, theme: .default,
                                   themeName: "default", clock: { clock.now })
        engine.state.width = 120
        engine.state.height = 40
        try engine.start()
        _ = engine.render()
        engine.refresh(changed: false)  // the first idle moment
        engine.execute(.measureCategory("event 0102"))
        func shown() -> Int { Int(engine.state.map.windowValues.values.reduce(0, +)) }
        let before = shown()
        func report(_ seconds: Double) throws {
            _ = try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: "110101001001001", description: "暴露垃圾",
                                             source: .web), by: nil, at: clock.now.addingTimeInterval(seconds))
        }
        let open = engine.state.reach.open

        try report(1)
        clock.now += 5
        engine.refresh(changed: true)
        #expect(engine.state.reach.open == open + 1, "the live reload itself happened")
        #expect(shown() == before + 1, "a category's reports are read on every live reload (its covering index is fast)")

        clock.now += 1
        engine.refresh(changed: true)
        #expect(shown() == before + 1, "nothing new, nothing counted twice")

        try report(1)
        engine.execute(.measureCategory("event 0102"))
        #expect(shown() == before + 2, "the viewer's own command reads at once")
    }

    @Test func indicatorFiguresFollowEveryLiveReload() throws {
        let store = try ConsoleFixture.store()
        let clock = Clock()
        let engine = ConsoleEngine(store: store, viewer: try store.findOperator("city-supervisor"), lang: .en, theme: .default,
                                   themeName: "default", clock: { clock.now })
        engine.state.width = 120
        engine.state.height = 40
        try engine.start()
        _ = engine.render()
        engine.refresh(changed: false)
        engine.execute(.measure(.filed))
        func shown() -> Int { Int(engine.state.map.windowValues.values.reduce(0, +)) }
        let before = shown()
        let waiting = try #require(try store.cases(CaseQuery(states: [.accepted], limit: 1)).first)
        try store.perform(ActionRequest(action: .file, caseID: waiting.id, actor: "city-lead-1"), at: max(clock.now, waiting.lastEventAt).addingTimeInterval(1))
        clock.now = max(clock.now, waiting.lastEventAt).addingTimeInterval(5)
        engine.refresh(changed: true)
        #expect(shown() == before + 1, "a case filed by someone else is on the map at the next live reload")
    }
}
