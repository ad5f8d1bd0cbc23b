@testable import CityGridDemo
import Curses
import Foundation
import GRDB
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Update handles every answer of the effect runner as a message, with no store: each test starts from a console's
/// state, hands `ConsoleUpdate.receive` a message, and reads the state and the requests that come back.
@Suite struct ConsoleUpdateMessageTests {
    /// A console's state after it opened on the small city (the engine is used only to get there).
    static func opened(focus: Pane = .queue) throws -> ConsoleState {
        var s = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en).state
        s.focus = focus
        return s
    }

    /// Every message kind, named; the switch has no default, so a new kind does not compile until it is named here
    /// and given a test below.
    static func kind(_ m: ConsoleMessage) -> String {
        switch m {
        case .reloaded: "reloaded"
        case .windowLoaded: "windowLoaded"
        case .detailLoaded: "detailLoaded"
        case .heatLoaded: "heatLoaded"
        case .referenceLoaded: "referenceLoaded"
        case .operatorFound: "operatorFound"
        case .formData: "formData"
        case .reportFormAllowed: "reportFormAllowed"
        case .previewed: "previewed"
        case .duplicates: "duplicates"
        case .acted: "acted"
        case .reported: "reported"
        case .bulkDone: "bulkDone"
        case .undone: "undone"
        case .inboxLoaded: "inboxLoaded"
        case .handoverLoaded: "handoverLoaded"
        case .themeLoaded: "themeLoaded"
        case .unlocked: "unlocked"
        case .unlockRefused: "unlockRefused"
        case .status: "status"
        case .exportAsks: "exportAsks"
        case .failed: "failed"
        case .bulkRefused: "bulkRefused"
        case .locked: "locked"
        case .operatorDisabled: "operatorDisabled"
        case .fileProblem: "fileProblem"
        case .simulatorNote: "simulatorNote"
        case .clock: "clock"
        case .caseSelected: "caseSelected"
        case .bulkChecked: "bulkChecked"
        case .reassignForm: "reassignForm"
        case .mergeForm: "mergeForm"
        case .routedForm: "routedForm"
        case .componentsLoaded: "componentsLoaded"
        case .nearbyComponents: "nearbyComponents"
        // Tested in ConsoleFollowUpTests (theBoardsMessagesSetTheListOpenTheFormAndReadAgain).
        case .followUpsLoaded: "followUpsLoaded"
        case .followUpFormData: "followUpFormData"
        case .followUpDone: "followUpDone"
        // Tested in PatrolBoardConsoleTests (theBoardsRowsMoveAndEnterNamesTheHighlightedCensus and the form's tests).
        case .patrolBoardLoaded: "patrolBoardLoaded"
        case .censusFormData: "censusFormData"
        case .censusRecorded: "censusRecorded"
        }
    }

    static func names(_ effects: [Effect]) -> [String] {
        effects.map { effect in
            switch effect {
            case .reload(let live, let follow): "reload(live: \(live), follow: \(follow))"
            case .loadWindow(let i, let then): "loadWindow(\(i), thenDetail: \(then))"
            case .loadDetail(let id, _): "loadDetail(\(id.map(String.init) ?? "nil"))"
            case .loadHeat(let live): "loadHeat(live: \(live))"
            case .previewAction(let r): "previewAction(\(r.action.rawValue) \(r.caseID))"
            case .previewReport: "previewReport"
            case .loadReference: "loadReference"
            default: "\(effect)"
            }
        }
    }

    @Test func aRefreshSetsTheCountsAndAsksForTheWindowThenTheCase() throws {
        var s = try Self.opened()
        let reading = QueueReading(counts: QueueCounts(needsMyAction: 2, others: 3), board: nil, reach: ReachCounts(), measures: [:],
                                   at: ConsoleFixture.now)
        s.queue.selected = 40
        let effects = ConsoleUpdate.receive(.reloaded(reading, live: true, followSelection: false), &s)
        #expect(s.queue.total == 5 && s.queue.selected == 4, "the selection stays inside the list")
        #expect(s.lastRefresh == ConsoleFixture.now)
        #expect(Self.names(effects) == ["loadWindow(4, thenDetail: true)"])
        s.map.measure = .filed
        #expect(Self.names(ConsoleUpdate.receive(.reloaded(reading, live: true, followSelection: false), &s)).first == "loadHeat(live: true)")
    }

    @Test func aWindowKeepsTheSelectedCaseSelectedAndAsksForItsCase() throws {
        var s = try Self.opened()
        let entries = s.queue.entries
        try #require(entries.count >= 3)
        s.queue.selected = 0
        s.queue.selectionID = entries[2].serviceCase.id
        let effects = ConsoleUpdate.receive(.windowLoaded(QueueWindow(start: 0, entries: entries, risks: [:], duplicates: [:]), thenDetail: true), &s)
        #expect(s.queue.selected == 2, "the selection followed its case")
        #expect(Self.names(effects) == ["loadDetail(\(entries[2].serviceCase.id))"])
        #expect(ConsoleUpdate.receive(.windowLoaded(QueueWindow(start: 0, entries: entries, risks: nil, duplicates: [:]), thenDetail: false), &s).isEmpty)
    }

    /// Issue 15: after an action the case pane shows the highlighted row's case, even with the focus on the case pane
    /// and the acted-on case gone from the queue.
    @Test func afterAnActionTheCasePaneShowsTheHighlightedRow() throws {
        var s = try Self.opened(focus: .detail)
        let entries = s.queue.entries
        try #require(entries.count >= 3)
        let acted = entries[0].serviceCase
        s.queue.selected = 0
        s.queue.selectionID = acted.id
        s.detail.caseID = acted.id
        var after = acted
        after.state = .closed
        let reload = ConsoleUpdate.receive(.acted(after, .close, fromForm: false), &s)
        #expect(Self.names(reload) == ["reload(live: false, follow: true)"])
        let reading = QueueReading(counts: QueueCounts(needsMyAction: 0, others: entries.count - 1), board: nil, reach: ReachCounts(),
                                   measures: s.map.measures, at: ConsoleFixture.now)
        _ = ConsoleUpdate.receive(.reloaded(reading, live: false, followSelection: true), &s)
        let remaining = Array(entries.dropFirst())
        let detail = ConsoleUpdate.receive(.windowLoaded(QueueWindow(start: 0, entries: remaining, risks: nil, duplicates: [:]), thenDetail: true), &s)
        #expect(s.queue.selectedEntry?.serviceCase.id == remaining[0].serviceCase.id)
        #expect(Self.names(detail) == ["loadDetail(\(remaining[0].serviceCase.id))"], "the highlighted row's case, not the one acted on")
        // Issue 16: without an action too, the case pane (focused or not) is the highlighted row's, never the one shown before.
        s.detail.caseID = acted.id
        let kept = ConsoleUpdate.receive(.windowLoaded(QueueWindow(start: 0, entries: remaining, risks: nil, duplicates: [:]), thenDetail: true), &s)
        #expect(Self.names(kept) == ["loadDetail(\(remaining[0].serviceCase.id))"])
        // A late answer for a case the cursor has left is dropped.
        let stale = ConsoleUpdate.receive(.detailLoaded(id: acted.id, .failure(.notFound("late")), announce: true), &s)
        #expect(stale.isEmpty && s.detail.error == nil && s.status?.text != "not found: late")
    }

    @Test func aCaseArrivesOrFails() throws {
        var s = try Self.opened()
        let shown = try #require(s.detail.detail)
        s.detail = DetailState()
        _ = ConsoleUpdate.receive(.detailLoaded(id: shown.serviceCase.id, .success(shown), announce: false), &s)
        #expect(s.detail.caseID == shown.serviceCase.id && s.detail.detail != nil && s.map.view.highlighted == shown.serviceCase.cellCode)
        s.detail.pinnedID = 999_999   // `:case 999999`
        _ = ConsoleUpdate.receive(.detailLoaded(id: 999_999, .failure(.notFound("case 999999 not found")), announce: true), &s)
        #expect(s.detail.detail == nil && s.detail.error == "not found: case 999999 not found")
        #expect(s.status?.kind == .error)
        _ = ConsoleUpdate.receive(.detailLoaded(id: nil, .failure(.notFound("")), announce: false), &s)
        #expect(s.detail.caseID == nil)
    }

    @Test func heatFiguresRebuildTheMapAndTheBoard() throws {
        var s = try Self.opened()
        let code = try #require(s.map.gridCells.first?.code)
        s.map.measure = .filed
        _ = ConsoleUpdate.receive(.heatLoaded(HeatReading(windowText: "2026-11-19 – 2026-11-25", values: [code: 7], report: nil)), &s)
        #expect(s.map.windowText == "2026-11-19 – 2026-11-25")
        #expect(s.map.model.cell(code: code)?.value == 7)
        s.map.hotspot = true
        _ = ConsoleUpdate.receive(.heatLoaded(nil), &s)
        #expect(s.map.zScores.count == s.map.gridCells.count, "kept figures still give the hotspot scores")
    }

    @Test func referenceDataSetsTheSiteZoneAndTheRoleChoices() throws {
        var s = try Self.opened()
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en)
        let operators = try engine.store.operators()
        let reference = ConsoleReference(categories: s.categories, departments: s.departments, centers: s.centers, siteRules: s.siteRules,
                                         timeZone: TimeZone(identifier: "America/New_York")!, operators: operators, gridCells: s.map.gridCells,
                                         cellNames: s.map.cellNames, busyInspector: nil, readOnly: nil, fileProblem: nil, access: .signed)
        _ = ConsoleUpdate.receive(.referenceLoaded(reference), &s)
        #expect(s.timeZone.identifier == "America/New_York")
        #expect(s.access == .signed, "the access mode arrives with the reference, not written by the runner")
        #expect(s.roleChoices.map(\.login).first == "city-dispatcher-1")
        let lead = try #require(operators.first { $0.login == "city-lead-1" })
        let effects = ConsoleUpdate.receive(.operatorFound(lead), &s)
        #expect(s.viewer.login == "city-lead-1" && s.status?.kind == .ok)
        #expect(Self.names(effects) == ["loadReference", "reload(live: false, follow: false)"])
    }

    @Test func theClockAndRepaintRequestsGoThroughUpdate() throws {
        var s = try Self.opened()
        let later = s.now.addingTimeInterval(3600)
        #expect(ConsoleUpdate.receive(.clock(later, uptime: 0), &s).isEmpty && s.now == later)
        let before = s.redrawRequested
        #expect(ConsoleUpdate.handle(.ctrl("l"), &s).isEmpty, "a repaint is the run loop's, not an effect on the store")
        #expect(s.redrawRequested == before + 1)
    }

    @Test func formsOpenPreviewAndClose() throws {
        var s = try Self.opened()
        let c = try #require(s.queue.entries.first { $0.serviceCase.state == .filed }?.serviceCase)
        let effects = ConsoleUpdate.receive(.formData(.dispatch, c, patrolArea: "", workload: nil, bulk: nil), &s)
        #expect(s.form?.action == .dispatch)
        #expect(Self.names(effects) == ["previewAction(dispatch \(c.id))"])
        var after = c
        after.state = .dispatched
        after.deadline = ConsoleFixture.now.addingTimeInterval(3600)
        _ = ConsoleUpdate.receive(.previewed(.success(after)), &s)
        #expect(s.form?.preview?.hasPrefix("→ dispatched, due") == true && s.form?.previewIsError == false)
        _ = ConsoleUpdate.receive(.previewed(.failure(.wrongState("refused"))), &s)
        #expect(s.form?.preview == "refused: refused" && s.form?.previewIsError == true)
        _ = ConsoleUpdate.receive(.acted(after, .dispatch, fromForm: true), &s)
        #expect(s.form == nil && s.status?.text == "case \(c.id): dispatch → dispatched")
        _ = ConsoleUpdate.receive(.formData(.reassign, c, patrolArea: "", workload: nil, bulk: [c.id, c.id + 1]), &s)
        #expect(s.form?.bulkIDs == [c.id, c.id + 1] && s.form?.preview?.contains("all or none") == true)
        _ = ConsoleUpdate.receive(.bulkDone(.reassign, count: 2, undoable: true), &s)
        #expect(s.form == nil && s.status?.text == "bulk reassign: 2 cases (u undoes)")
        _ = ConsoleUpdate.receive(.undone(.reassign, count: 2), &s)
        #expect(s.status?.text == "undid bulk reassign: 2 cases")
    }

    @Test func theHotlineFormShowsDuplicatesAndReports() throws {
        var s = try Self.opened()
        _ = ConsoleUpdate.receive(.reportFormAllowed, &s)
        #expect(s.form?.isNewReport == true)
        _ = ConsoleUpdate.receive(.duplicates(.success([])), &s)
        #expect(s.form?.preview == "no open case of this category nearby")
        _ = ConsoleUpdate.receive(.duplicates(.failure(.invalidInput("bad cell"))), &s)
        #expect(s.form?.previewIsError == true)
        let made = try #require(s.queue.entries.first?.serviceCase)
        #expect(Self.names(ConsoleUpdate.receive(.reported(made), &s)) == ["reload(live: false, follow: false)", "selectCase(\(made.id))"])
        #expect(s.form == nil && s.status?.text == "reported as case \(made.id)")
    }

    @Test func overlaysThemesTheLockAndTheStatusLine() throws {
        var s = try Self.opened()
        _ = ConsoleUpdate.receive(.inboxLoaded([]), &s)
        #expect(s.status?.text == "no pending requests" && s.overlay == nil)
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en)
        let handover = try engine.store.handover(for: s.viewer, since: nil, at: ConsoleFixture.now)
        _ = ConsoleUpdate.receive(.handoverLoaded(handover), &s)
        guard case .document(let title, _, _) = s.overlay else { Issue.record("no handover"); return }
        #expect(title == " Shift handover ")
        _ = ConsoleUpdate.receive(.themeLoaded(name: "light", problem: nil), &s)
        #expect(s.themeName == "light" && s.redrawRequested == 1 && s.status?.text == "theme: light")
        s.lock = SignInState.locked(login: s.viewer.login, hasPassword: true)
        _ = ConsoleUpdate.receive(.unlockRefused(.notAccepted), &s)
        #expect(s.lock?.failures == 1)
        #expect(Self.names(ConsoleUpdate.receive(.unlocked, &s)) == ["reload(live: false, follow: false)"])
        #expect(s.lock == nil)
        _ = ConsoleUpdate.receive(.status(StatusMessage(text: "read-only", kind: .error)), &s)
        #expect(s.status?.text == "read-only")
        _ = ConsoleUpdate.receive(.failed(.storage("disk full")), &s)
        #expect(s.status == StatusMessage(text: "database: disk full", kind: .error))
        _ = ConsoleUpdate.receive(.bulkRefused(BulkRefusal(caseID: 7, error: .refusal(.missingNote(verb: "cancel", meaning: .reason)))), &s)
        #expect(s.status == StatusMessage(text: "case 7 refused, nothing was written: cancel needs a reason", kind: .error))
    }

    /// Issue 15: the idle lock comes back as a message; update locks the screen for the operator at it and keeps the rest.
    @Test func theIdleLockLocksTheScreenForTheOperatorAtIt() throws {
        var s = try Self.opened()
        let selected = s.queue.selected
        #expect(ConsoleUpdate.receive(.locked(hasPassword: true), &s).isEmpty)
        #expect(s.lock == SignInState.locked(login: s.viewer.login, hasPassword: true))
        #expect(s.queue.selected == selected && s.detail.detail != nil, "everything behind the lock is kept")
        _ = ConsoleUpdate.receive(.locked(hasPassword: false), &s)
        #expect(s.lock?.mode == .locked, "a second lock changes nothing")
        s.lock = nil
        _ = ConsoleUpdate.receive(.locked(hasPassword: false), &s)
        #expect(s.lock?.mode == .lockedNoPassword)
    }

    /// Issue 15: an operator disabled by an administrator closes the console, dropping an open form, in update.
    @Test func aDisabledOperatorClosesTheConsole() throws {
        var s = try Self.opened()
        let c = try #require(s.queue.entries.first { $0.serviceCase.state == .filed }?.serviceCase)
        _ = ConsoleUpdate.receive(.formData(.dispatch, c, patrolArea: "", workload: nil, bulk: nil), &s)
        try #require(s.form != nil)
        #expect(ConsoleUpdate.receive(.operatorDisabled, &s).isEmpty)
        #expect(s.closing == .operatorDisabled && s.shouldQuit && s.form == nil)
    }

    /// Issue 15: a file problem found on a poll is kept (the first one stays); found as a write starts, it also refuses it.
    @Test func aFileProblemIsKeptAndRefusesAWrite() throws {
        var s = try Self.opened()
        let status = s.status
        #expect(ConsoleUpdate.receive(.fileProblem(.removed("/x/city.db"), refusingWrite: false), &s).isEmpty)
        #expect(s.fileProblem == .removed("/x/city.db") && s.status == status, "a poll only records it")
        _ = ConsoleUpdate.receive(.fileProblem(.replaced("/x/city.db"), refusingWrite: true), &s)
        #expect(s.fileProblem == .removed("/x/city.db"), "the first problem found stays")
        #expect(s.status == StatusMessage(text: StoreNotice.refusal(.removed("/x/city.db"), .en), kind: .error))
        #expect(s.status?.text.hasPrefix("not done: city.db was removed") == true)
    }

    /// Issue 15: the live simulator's last step reaches the status line as a message.
    @Test func theSimulatorsLastStepIsNoted() throws {
        var s = try Self.opened()
        let event = SimulatorEvent(caseID: 12, change: .advanced(action: .dispatch, from: .filed, to: .dispatched), actor: "city-dispatcher-2",
                                   summary: "#12 dispatch filed → dispatched (city-dispatcher-2)")
        #expect(ConsoleUpdate.receive(.simulatorNote(.event(event)), &s).isEmpty)
        #expect(s.simulatorNote == .event(event))
        #expect(Language.en.note(.event(event)) == "sim: #12 dispatch filed → dispatched (city-dispatcher-2)")
        #expect(Language.zh.note(.event(event)) == "模拟：#12 派遣 已立案 → 已派遣（city-dispatcher-2）")
    }

    /// `:sort`, `:filter` and the like change the state in update; the runner only reloads.
    @Test func typedCommandsChangeFiltersAndSortingInUpdate() throws {
        var s = try Self.opened()
        #expect(Self.names(ConsoleUpdate.command(.sort(.id, ascending: false), &s)) == ["reload(live: false, follow: false)"])
        #expect(s.queue.sort == .id && !s.queue.ascending)
        _ = ConsoleUpdate.command(.filterCategory("event:0102"), &s)
        #expect(s.queue.filter.category == CategoryKey(kind: .event, code: "0102"))
        _ = ConsoleUpdate.command(.filterState(.filed), &s)
        #expect(s.queue.filter.states == [.filed])
        _ = ConsoleUpdate.command(.clearFilter, &s)
        #expect(s.queue.filter.isEmpty)
    }

    /// Update and the views never see the store: no file of theirs names it.
    @Test func updateAndTheViewsDoNotReferenceTheStore() throws {
        let console = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ConsoleApp/Console")
        let files = ["App/ConsoleUpdate.swift", "App/ConsoleUpdate+Messages.swift", "App/ConsoleRender.swift", "App/ConsoleLayout.swift",
                     "App/ConsoleState.swift", "Map/MapData.swift", "Queue/QueueView.swift", "Detail/DetailView.swift",
                     "Evaluation/EvaluationBoardView.swift", "Map/MapRenderer.swift"]
        for file in files {
            let text = try String(contentsOf: console.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("CityStore"), "\(file) names the store")
            #expect(!text.contains("Asia/Shanghai"), "\(file) names a time zone")
        }
    }

    /// Layout facts come from the size, in update: rows per page and the map's fit, before anything is drawn.
    @Test func theLayoutIsSettledFromTheSize() throws {
        var s = try Self.opened()
        _ = ConsoleUpdate.resized(width: 80, height: 24, &s)
        let small = s.queue.pageRows
        let effects = ConsoleUpdate.resized(width: 120, height: 50, &s)
        #expect(s.queue.pageRows > small)
        #expect(s.map.fitted)
        #expect(Self.names(effects) == ["loadWindow(\(s.queue.selected), thenDetail: false)"], "a taller pane gets a bigger window")
    }
}

/// The console shows times in the site's time zone, not a fixed one.
@Suite struct ConsoleTimeZoneTests {
    @Test(arguments: [Language.en, .zh])
    func aLondonSiteSeesLondonTime(_ lang: Language) throws {
        let store = try CityStore.inMemory()
        try ConsoleFrameTests.smallStore.writer.backup(to: store.writer)
        try store.writer.write { db in try db.execute(sql: "UPDATE site SET value = 'Europe/London' WHERE key = 'timezone'") }
        let engine = try ConsoleFixture.engine(width: 100, height: 30, lang: lang, store: store)
        #expect(engine.state.timeZone.identifier == "Europe/London")
        let lines = engine.render().lines()
        // 10:30 in Beijing is 02:30 in London in November.
        #expect(lines[0].hasSuffix("11-25 02:30:00 "), "\(lines[0])")
        #expect(lines[29].hasSuffix(lang.t("刷新 02:30:00 ", "refreshed 02:30:00 ")), "\(lines[29])")
        let c = try #require(engine.state.detail.detail?.serviceCase)
        let london = DateFormatter()
        london.locale = Locale(identifier: "en_US_POSIX")
        london.timeZone = TimeZone(identifier: "Europe/London")
        london.dateFormat = "MM-dd HH:mm"
        #expect(lines.contains { $0.contains(lang.t("上报 ", "reported ") + london.string(from: c.reportedAt)) })
    }
}
