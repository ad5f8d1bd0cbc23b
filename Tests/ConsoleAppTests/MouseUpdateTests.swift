import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The mouse through the pure update, placed by the layout render draws with (issue 16).
@Suite struct MouseUpdateTests {
    static func click(_ x: Int, _ y: Int) -> Key { .mouse(MouseEvent(button: .left, action: .press, x: x, y: y)) }
    static func wheel(_ down: Bool, _ x: Int, _ y: Int) -> Key {
        .mouse(MouseEvent(button: down ? .wheelDown : .wheelUp, action: .wheel, x: x, y: y))
    }

    @Test func clickingARowSelectsItAndTheCasePaneShowsIt() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let layout = ConsoleLayout(width: 100, height: 30)
        let inner = layout.queuePane(focus: .queue).inset(by: 1)
        engine.press("tab")   // focus elsewhere first: the click brings it back
        #expect(engine.state.focus != .queue)
        let y = inner.y + 1 + 4
        let rowID = try #require(engine.state.queue.entry(at: engine.state.queue.scroll + 4)?.serviceCase.id)
        engine.handle(Self.click(inner.x + 10, y))
        #expect(engine.state.focus == .queue)
        #expect(engine.state.queue.selected == engine.state.queue.scroll + 4)
        #expect(engine.state.queue.selectedEntry?.serviceCase.id == rowID)
        #expect(engine.state.detail.caseID == rowID)
        let screen = engine.screen
        #expect(screen.contains("Case \(rowID)"), "\(screen)")
        // The clicked row is the highlighted one.
        let frame = engine.render()
        #expect(frame[inner.x + 10, y].style == Theme.default["selection"])
        // A click on the column titles or the frame only focuses; a release does nothing.
        engine.handle(Self.click(inner.x + 10, inner.y))
        engine.handle(.mouse(MouseEvent(button: .left, action: .release, x: inner.x + 10, y: inner.y + 1)))
        #expect(engine.state.queue.selectedEntry?.serviceCase.id == rowID)
    }

    @Test func clickingAPaneFocusesIt() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let layout = ConsoleLayout(width: 100, height: 30)
        let detail = layout.detailPane(focus: .queue), map = layout.mapPane(focus: .queue)
        engine.handle(Self.click(detail.x + 3, detail.y + 2))
        #expect(engine.state.focus == .detail)
        engine.handle(Self.click(map.x, map.y))   // the frame's corner
        #expect(engine.state.focus == .map)
        // Header, hint and status lines are no pane; a right click neither.
        engine.handle(Self.click(5, 0))
        engine.handle(Self.click(5, 29))
        engine.handle(.mouse(MouseEvent(button: .right, action: .press, x: detail.x + 3, y: detail.y + 2)))
        #expect(engine.state.focus == .map)
    }

    @Test func clickingAMapCellMovesTheCursorThere() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let layout = ConsoleLayout(width: 100, height: 30)
        let area = MapLayout(layout.mapPane(focus: .queue).inset(by: 1), showsStatusLine: engine.state.map.view.showsStatusLine).map
        let before = engine.state.map.view
        // Some drawn cell away from the cursor.
        var target: (x: Int, y: Int, row: Int, col: Int)?
        search: for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                if let cell = MouseUpdate.mapCell(x: x, y: y, layout: layout, engine.state),
                   cell.row != before.cursorRow || cell.col != before.cursorCol, abs(cell.row - before.cursorRow) > 1 {
                    target = (x, y, cell.row, cell.col)
                    break search
                }
            }
        }
        let t = try #require(target)
        engine.handle(Self.click(t.x, t.y))
        #expect(engine.state.focus == .map)
        #expect(engine.state.map.view.cursorRow == t.row && engine.state.map.view.cursorCol == t.col)
        // The frame draws the cursor where the click was.
        let frame = engine.render()
        #expect(frame[t.x, t.y].style == Theme.default["map.cursor"].adapted(to: engine.state.colorDepth))
        // Empty ground does not move it.
        engine.handle(Self.click(area.maxX - 1, area.y))
        if MouseUpdate.mapCell(x: area.maxX - 1, y: area.y, layout: layout, engine.state) == nil {
            #expect(engine.state.map.view.cursorRow == t.row && engine.state.map.view.cursorCol == t.col)
        }
    }

    @Test func theWheelScrollsThePaneUnderThePointerWithoutMovingTheFocus() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let layout = ConsoleLayout(width: 100, height: 30)
        let queue = layout.queuePane(focus: .queue), detail = layout.detailPane(focus: .queue), map = layout.mapPane(focus: .queue)
        engine.press("tab")
        let focus = engine.state.focus
        let start = engine.state.queue.selected
        engine.handle(Self.wheel(true, queue.x + 5, queue.y + 5))
        #expect(engine.state.queue.selected == start + MouseUpdate.wheelStep)
        #expect(engine.state.detail.caseID == engine.state.queue.selectedEntry?.serviceCase.id)
        engine.handle(Self.wheel(false, queue.x + 5, queue.y + 5))
        #expect(engine.state.queue.selected == start)
        engine.handle(Self.wheel(true, detail.x + 5, detail.y + 3))
        #expect(engine.state.detail.scroll == MouseUpdate.wheelStep)
        let cursor = engine.state.map.view
        engine.handle(Self.wheel(true, map.x + 5, map.y + 3))
        #expect(engine.state.map.view.cursorRow > cursor.cursorRow)
        #expect(engine.state.focus == focus)
    }

    @Test func theMouseLeavesFormsOverlaysAndTheCommandLineAlone() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let inner = ConsoleLayout(width: 100, height: 30).queuePane(focus: .queue).inset(by: 1)
        engine.press("?")
        let selected = engine.state.queue.selected
        engine.handle(Self.click(inner.x + 5, inner.y + 6))
        #expect(engine.state.overlay != nil && engine.state.queue.selected == selected)
        engine.press("esc :")
        engine.handle(Self.click(inner.x + 5, inner.y + 6))
        #expect(engine.state.commandLine != nil && engine.state.queue.selected == selected)
    }

    @Test func theWheelScrollsTheHelp() throws {
        let engine = try ConsoleFixture.engine(width: 80, height: 24)
        engine.press("?")
        #expect(HelpContent.maxScroll(engine.state) > MouseUpdate.wheelStep)
        engine.handle(Self.wheel(true, 10, 10))
        #expect(engine.state.helpScroll == MouseUpdate.wheelStep && engine.state.overlay == .help)
        engine.handle(Self.wheel(false, 10, 10))
        engine.handle(Self.wheel(false, 10, 10))
        #expect(engine.state.helpScroll == 0)
        // A click leaves the help as it is.
        engine.handle(Self.click(10, 10))
        #expect(engine.state.overlay == .help)
    }

    @Test func theWheelMovesAFormsList() throws {
        let engine = try ConsoleFixture.engine(as: "city-intake-1", width: 100, height: 30)
        engine.press("n")
        var form = try #require(engine.state.form)
        var guard_ = 0
        while form.fields[form.focus].kind != .choice || form.fields[form.focus].visibleOptions.count < 4, guard_ < form.fields.count {
            engine.press("tab")
            form = try #require(engine.state.form)
            guard_ += 1
        }
        let field = form.fields[form.focus]
        try #require(field.kind == .choice && field.visibleOptions.count >= 4)
        let before = field.hasChoice ? field.selected : field.selected - 1
        engine.handle(Self.wheel(true, 50, 15))
        let after = try #require(engine.state.form).fields[form.focus]
        #expect(after.hasChoice && after.selected == before + MouseUpdate.wheelStep, "a notch moves the list as three ↓ do")
        engine.handle(Self.wheel(false, 50, 15))
        #expect(try #require(engine.state.form).fields[form.focus].selected == max(0, after.selected - MouseUpdate.wheelStep))
    }

    @Test func theWheelScrollsTheEvaluationBoardAndAClickSelectsARow() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "city-supervisor")
        engine.press("e")
        engine.execute(.board(.operator))
        let board = try #require(EvaluationBoardLayout(engine.state))
        #expect(board.rows.count > board.pageRows + MouseUpdate.wheelStep)
        engine.handle(Self.wheel(true, board.inner.x + 5, board.inner.y + 3))
        #expect(engine.state.evaluation.scroll == MouseUpdate.wheelStep)
        #expect(engine.state.evaluation.selected == MouseUpdate.wheelStep, "the selection stays on screen")
        // A click on the fifth row shown selects it; the column titles do nothing.
        engine.handle(Self.click(board.inner.x + 5, board.inner.y + 5))
        #expect(engine.state.evaluation.selected == MouseUpdate.wheelStep + 4)
        engine.handle(Self.click(board.inner.x + 5, board.inner.y))
        #expect(engine.state.evaluation.selected == MouseUpdate.wheelStep + 4)
        let frame = engine.render()
        #expect(frame[board.inner.x + 5, board.inner.y + 5].style == Theme.default["selection"])
        engine.handle(Self.wheel(false, board.inner.x + 5, board.inner.y + 3))
        #expect(engine.state.evaluation.scroll == 0 && engine.state.queue.mode == .evaluation)
    }

    @Test func aClickOnAnOverdueBoardRowSelectsItAndTheWheelScrollsIt() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1", width: 100, height: 30)
        engine.press("b")
        #expect(engine.state.queue.mode == .board)
        let inner = ConsoleLayout(width: 100, height: 30).queuePane(focus: .queue).inset(by: 1)
        let rowID = try #require(engine.state.queue.entry(at: engine.state.queue.scroll + 3)?.serviceCase.id)
        engine.handle(Self.click(inner.x + 10, inner.y + 1 + 3))
        #expect(engine.state.queue.selectedEntry?.serviceCase.id == rowID && engine.state.detail.caseID == rowID)
        let selected = engine.state.queue.selected
        engine.handle(Self.wheel(true, inner.x + 10, inner.y + 2))
        #expect(engine.state.queue.selected == selected + MouseUpdate.wheelStep && engine.state.queue.mode == .board)
    }

    @Test func mouseIsOnUnlessTurnedOff() throws {
        let on = try ConsoleOptions.parse([])
        #expect(on.mouse(environment: [:]))
        #expect(on.mouse(environment: ["CITYGRID_MOUSE": "1"]))
        #expect(!on.mouse(environment: ["CITYGRID_MOUSE": "0"]))
        #expect(!on.mouse(environment: ["CITYGRID_MOUSE": "off"]))
        #expect(!(try ConsoleOptions.parse(["--no-mouse"])).mouse(environment: [:]))
    }
}
