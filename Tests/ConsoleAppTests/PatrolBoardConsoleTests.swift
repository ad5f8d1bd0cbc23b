import Curses
import Foundation
import GRDB
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 17 in the console: the patrol board (census progress by patrol area, neglected cells) the shift lead reaches
/// from the overdue board (`t`) or `:patrol`, and the census form an inspector opens with `:census` or Enter on the
/// board, whose submit is `census record`'s own call. On the small demo city in memory.
@Suite struct PatrolBoardConsoleTests {
    /// A litter bin of district 110101 with no case, its cell, and an inspector of the cell's patrol area.
    static func bin(_ store: CityStore) throws -> (id: String, cell: String, inspector: String) {
        let row = try #require(try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.id, c.cell_code, (SELECT login FROM operator o WHERE o.role = 'inspector' AND o.patrol_area = r.patrol_area
                                           ORDER BY login LIMIT 1) AS inspector
                FROM component c JOIN region r ON r.code = c.cell_code
                WHERE c.category_code = '0305' AND c.state = 'intact' AND c.cell_code LIKE '110101%'
                  AND NOT EXISTS (SELECT 1 FROM service_case s WHERE s.component_id = c.id)
                ORDER BY c.id LIMIT 1
                """)
        })
        return (row["id"], row["cell_code"], row["inspector"])
    }

    /// A census of litter bins over the bin's community, started by the shift lead an hour ago.
    static func census(_ store: CityStore, over cell: String) throws -> CensusReport {
        try store.startCensus(classCode: "0305", region: String(cell.prefix(12)), due: ConsoleFixture.now.addingTimeInterval(6 * 86_400),
                              by: "city-lead-1", at: ConsoleFixture.now.addingTimeInterval(-3600))
    }

    static func lines(_ engine: ConsoleEngine) -> [String] { engine.render().lines().map(FrameAssert.trimmed) }

    @Test(arguments: [Language.en, .zh])
    func theShiftLeadReadsCensusProgressAndNeglectedCellsFromTheOverdueBoard(_ lang: Language) throws {
        let store = try ConsoleFixture.store()
        let bin = try Self.bin(store)
        let report = try Self.census(store, over: bin.cell)
        let engine = try ConsoleFixture.engine(as: "city-lead-1", width: 120, height: 40, lang: lang, store: store)
        engine.press("b")
        #expect(engine.state.queue.mode == .board)
        let boardHints = try #require(Self.lines(engine).dropLast().last)
        #expect(boardHints.contains(lang.t("t 巡查看板", "t patrol board")), "\(boardHints)")
        engine.press("t")
        #expect(engine.state.queue.mode == .patrol)
        let screen = Self.lines(engine)
        let all = screen.joined(separator: "\n")
        let id = report.census.id
        #expect(all.contains(lang.t("普查 \(id) · 0305", "census \(id) · 0305")), "\(all)")
        #expect(all.contains(lang.t("已查 0/\(report.expected)", "surveyed 0/\(report.expected)")), "\(all)")
        for area in report.areas {
            let row = try #require(screen.first { $0.contains(" \(area.patrolArea) ") }, "a row for patrol area \(area.patrolArea)")
            #expect(row.contains(" \(area.expected) ") && row.contains(" 0 "), "\(row)")
        }
        // The neglected cells are Workflow's (`patrol neglected`): as many, longest unvisited first.
        let neglected = try store.neglectedCells(within: nil, at: ConsoleFixture.now, limit: 3)
        #expect(neglected.total > 0, "the demo walks a few areas rarely")
        #expect(all.contains(lang.t("漏巡网格：\(neglected.total) 个（超过 \(neglected.hours) 小时未巡查）",
                                    "Neglected cells: \(neglected.total) (not patrolled in \(neglected.hours) h)")), "\(all)")
        let first = try #require(neglected.cells.first)
        #expect(all.contains(first.cellCode), "the longest neglected cell is listed")
        let hints = try #require(screen.dropLast().last)
        #expect(hints.contains(lang.t("t 返回队列", "t back to queue")), "\(hints)")
        #expect(!hints.contains("Enter"), "recording a finding is an inspector's: \(hints)")
        // Enter is still answered: the census rule refuses the shift lead, and nothing opens.
        engine.press("enter")
        #expect(engine.state.form == nil)
        #expect(engine.state.status?.text.contains(lang == .en ? "census records are for inspectors" : "普查记录只能由监督员填写") == true,
                "\(engine.state.status?.text ?? "")")
        engine.press("t")
        #expect(engine.state.queue.mode == .queue)
    }

    @Test func theBoardsRowsMoveAndEnterNamesTheHighlightedCensus() throws {
        let store = try ConsoleFixture.store()
        let bin = try Self.bin(store)
        let report = try Self.census(store, over: bin.cell)
        let engine = try ConsoleFixture.engine(as: "city-lead-1", store: store)
        var s = engine.state
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.perform(.togglePatrol, &s)) == ["loadPatrolBoard"])
        let reading = PatrolBoardReading(censuses: [report], neglected: try store.neglectedCells(within: nil, at: ConsoleFixture.now, limit: 50))
        s.patrol.selected = 10_000
        #expect(ConsoleUpdate.receive(.patrolBoardLoaded(.success(reading)), &s).isEmpty)
        let rows = PatrolBoardView.rows(reading)
        #expect(s.patrol.selected == rows.count - 1, "the cursor stays inside the rows")
        #expect(rows.first == .census(report) && rows[1] == .areaHeader(censusID: report.census.id))
        #expect(rows.count == 2 + report.areas.count + 1 + reading.neglected.cells.count + (reading.neglected.total > 50 ? 1 : 0))
        // `:export` writes the board: the census's areas, then the neglected cells.
        s.queue.mode = .patrol
        let table = ConsoleUpdate.exportTable(s)
        #expect(table.header.first == "section" && table.header.contains("surveyed") && table.header.last == "last_visit")
        #expect(table.rows.filter { $0.first == "census" }.count == report.areas.count)
        #expect(table.rows.filter { $0.first == "neglected" }.map { $0[4] } == reading.neglected.cells.map(\.cellCode))
        s.patrol.selected = 2
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.perform(.censusForm, &s)) == ["openCensusForm(Optional(\(report.census.id)))"])
        // On a neglected cell's line no census is named: the inspector's own is looked for.
        s.patrol.selected = rows.count - 1
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.perform(.censusForm, &s)) == ["openCensusForm(nil)"])
        // A refresh on the board reads it again; a failed reading goes back to the queue and says why.
        let queue = QueueReading(counts: s.queue.counts, board: nil, reach: ReachCounts(), measures: [:], at: ConsoleFixture.now)
        #expect(ConsoleUpdateMessageTests.names(ConsoleUpdate.receive(.reloaded(queue, live: true, followSelection: false), &s)).contains("loadPatrolBoard"))
        _ = ConsoleUpdate.receive(.patrolBoardLoaded(.failure(.storage("disk gone"))), &s)
        #expect(s.queue.mode == .queue && s.status?.kind == .error)
    }

    @Test(arguments: [Language.en, .zh])
    func anInspectorRecordsAFindingThroughTheCensusRule(_ lang: Language) throws {
        let store = try ConsoleFixture.store()
        let bin = try Self.bin(store)
        let id = try Self.census(store, over: bin.cell).census.id
        let engine = try ConsoleFixture.engine(as: bin.inspector, lang: lang, store: store)
        engine.press(":")
        engine.type("census")
        engine.press("enter")
        let form = try #require(engine.state.form, "\(engine.state.status?.text ?? "")")
        #expect(form.census == CensusFormTarget(censusID: id, classCode: "0305"))
        #expect(engine.screen.contains(lang.t("部件普查 \(id) · 类别 0305", "Census \(id): class 0305")))
        // A confirmation without the component's id: Workflow's rule (the CLI's) refuses; the form stays, nothing is stored.
        engine.press("down")
        engine.press("enter")
        #expect(engine.state.form != nil)
        #expect(engine.state.status?.text.contains(lang.t("须填写部件编号", "names the component")) == true, "\(engine.state.status?.text ?? "")")
        #expect(try store.censusReport(id).surveyed == 0)
        engine.press("tab")
        engine.type(bin.id)
        engine.press("tab tab tab tab")   // cell, name, owner, then the state found
        engine.press("down down")         // (as recorded) → normal → damaged
        engine.press("enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        #expect(engine.state.status?.kind == .ok)
        #expect(engine.state.status?.text.contains(lang.t("普查 \(id)：已记录确认 部件 \(bin.id)", "census \(id): confirm of component \(bin.id) recorded")) == true,
                "\(engine.state.status?.text ?? "")")
        let report = try store.censusReport(id)
        #expect(report.surveyed == 1 && report.areas.reduce(0) { $0 + $1.confirmed } == 1)
        // The state found is the record's: closing the census applies it.
        let closed = try store.closeCensus(id, by: "city-lead-1", at: ConsoleFixture.now)
        #expect(closed.changes.first { $0.componentID == bin.id }?.changes == ["state normal → damaged"])
    }

    @Test(arguments: [Language.en, .zh])
    func theCensusFormIsRefusedByTheCensusRuleOrWhenNoneIsOpen(_ lang: Language) throws {
        let store = try ConsoleFixture.store()
        let bin = try Self.bin(store)
        let inspector = try ConsoleFixture.engine(as: bin.inspector, lang: lang, store: store)
        inspector.press(":")
        inspector.type("census")
        inspector.press("enter")
        #expect(inspector.state.form == nil)
        #expect(inspector.state.status?.text == lang.t("没有进行中的部件普查", "no census is open"))
        let id = try Self.census(store, over: bin.cell).census.id
        let dispatcher = try ConsoleFixture.engine(as: "city-dispatcher-1", lang: lang, store: store)
        dispatcher.press(":")
        dispatcher.type("census \(id)")
        dispatcher.press("enter")
        #expect(dispatcher.state.form == nil)
        let text = dispatcher.state.status?.text ?? ""
        #expect(text.hasPrefix(lang.t("普查 \(id)：", "census \(id): ")) && text.contains(lang.t("普查记录只能由监督员填写", "census records are for inspectors")), "\(text)")
        // The help offers the form only where the rule would take it.
        #expect(!RoleKeys.allows(.censusForm, dispatcher.state) && RoleKeys.allows(.censusForm, inspector.state))
    }

    @Test func theCommandLineParsesPatrolAndCensus() throws {
        #expect(try ConsoleCommandParser.parse("patrol", actor: "x").get() == .patrol)
        #expect(try ConsoleCommandParser.parse("census", actor: "x").get() == .census(nil))
        #expect(try ConsoleCommandParser.parse("census 12", actor: "x").get() == .census(12))
        #expect((try? ConsoleCommandParser.parse("census twelve", actor: "x").get()) == nil)
    }

    /// The mouse on the board, as on the follow-ups board: a click selects the line clicked, the wheel moves the highlight.
    @Test func theMouseSelectsAndScrollsTheBoard() throws {
        let store = try ConsoleFixture.store()
        let bin = try Self.bin(store)
        _ = try Self.census(store, over: bin.cell)
        let engine = try ConsoleFixture.engine(as: "city-lead-1", width: 120, height: 40, store: store)
        engine.press(":")
        engine.type("patrol")
        engine.press("enter")
        #expect(engine.state.queue.mode == .patrol && engine.state.patrol.selected == 0)
        let inner = PatrolBoardView.inner(engine.state)
        engine.handle(.mouse(MouseEvent(button: .left, action: .press, x: inner.x + 3, y: inner.y + 2)))
        #expect(engine.state.patrol.selected == 2 && engine.state.queue.mode == .patrol)
        engine.handle(.mouse(MouseEvent(button: .wheelDown, action: .wheel, x: inner.x + 3, y: inner.y + 2)))
        #expect(engine.state.patrol.selected == 2 + MouseUpdate.wheelStep)
        engine.handle(.mouse(MouseEvent(button: .wheelUp, action: .wheel, x: inner.x + 3, y: inner.y + 2)))
        #expect(engine.state.patrol.selected == 2)
        // Below the last line, a click selects nothing new.
        let rows = try #require(engine.state.patrol.reading.map(PatrolBoardView.rows))
        if rows.count < PatrolBoardView.pageRows(engine.state) {
            engine.handle(.mouse(MouseEvent(button: .left, action: .press, x: inner.x + 3, y: inner.y + rows.count + 1)))
            #expect(engine.state.patrol.selected == 2)
        }
    }
}
