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

    @Test func mouseIsOnUnlessTurnedOff() throws {
        let on = try ConsoleOptions.parse([])
        #expect(on.mouse(environment: [:]))
        #expect(on.mouse(environment: ["CITYGRID_MOUSE": "1"]))
        #expect(!on.mouse(environment: ["CITYGRID_MOUSE": "0"]))
        #expect(!on.mouse(environment: ["CITYGRID_MOUSE": "off"]))
        #expect(!(try ConsoleOptions.parse(["--no-mouse"])).mouse(environment: [:]))
    }
}
