import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Themes draw on the background they were designed for, and states stay visible without colour (issue 16).
@Suite struct ThemeBackgroundTests {
    /// A theme that fixes its text colours must fix its background too, or its dark (or light) text lands on whatever
    /// the terminal's own background is. Either `normal` sets its bg, or no style fixes a fg over the terminal's bg.
    @Test(arguments: BuiltinThemes.all.map(\.name))
    func everyBuiltinThemeSetsTheBackgroundItsColoursNeed(name: String) throws {
        let theme = try #require(Theme.builtin(named: name))
        let normal = theme["normal"]
        if normal.bg == .default {
            for style in ConsoleThemes.styleNames {
                let resolved = theme[style]
                #expect(resolved.fg == .default || resolved.bg != .default,
                        "theme \(name): style \(style) draws fg \(resolved.fg) on the terminal's own background")
            }
        }
    }

    @Test func lightThemeFillsEveryEmptyCellWithItsBackground() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let light = try #require(Theme.builtin(named: "light"))
        let frame = ConsoleRender.render(engine.state, theme: light)
        let white = Color(name: "#ffffff")
        #expect(light["normal"].bg == white)
        // The status line's right part and the blank rows inside the panes are empty cells: each carries the light bg.
        var blanks = 0
        for y in 0..<frame.height {
            for x in 0..<frame.width {
                let cell = frame[x, y]
                #expect(cell.style.bg != .default, "cell (\(x), \(y)) '\(cell.grapheme)' is on the terminal's own background")
                if cell.grapheme == " " && cell.style.bg == white { blanks += 1 }
            }
        }
        #expect(blanks > 100)
        // The empty screen a frame starts from is the theme's background too.
        #expect(ScreenBuffer(width: 2, height: 1, style: light["normal"])[1, 0].style.bg == white)
    }

    /// Mono (and NO_COLOR): the selected row is bold+reverse like due.red, so the overdue row keeps a "!" glyph.
    @Test func monoSelectedOverdueRowKeepsItsGlyph() throws {
        let engine = try ConsoleFixture.engine(width: 100, height: 30)
        let mono = try #require(Theme.builtin(named: "mono"))
        let s = engine.state
        let entry = try #require(s.queue.selectedEntry)
        #expect(entry.serviceCase.dueState(at: s.now) == .red)
        let frame = ConsoleRender.render(s, theme: mono)
        let y = 3  // header, pane top, column titles, then the first (selected) row
        let due = DueText.remaining(entry.serviceCase, now: s.now, lang: s.lang)
        #expect(frame.line(y).contains(" !\(due) "), "\(frame.line(y))")
        // The queue pane's part of the line, exactly (the map beside it is another test's business).
        let pane = ConsoleLayout(width: 100, height: 30).queuePane(focus: .queue)
        let queueLine = (pane.x..<pane.maxX).map { frame[$0, y].grapheme }.joined()
        #expect(queueLine == "│▸     728     2h43  Business spilling … filed     !-41m   │")
        let col = try #require(frame.line(y).range(of: "!\(due)")).lowerBound
        let x = frame.line(y).distance(from: frame.line(y).startIndex, to: col)
        #expect(frame[x, y].style.adapted(to: .none).attributes == [.bold, .reverse])
    }
}
