import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The map pane in the console: it grows with the terminal, its title names the heatmap's window with dates at
/// 120 and 80 columns, drilling down shows the path by name and Esc goes back up one level, and places are named.
@Suite struct MapPaneTests {
    /// The map as drawn in its pane at a terminal size: columns and rows of blocks on screen.
    static func mapSize(width: Int, height: Int) throws -> (cols: Int, rows: Int, zoom: Int, pane: Rect) {
        let engine = try ConsoleFrameTests.engine(width: width, height: height, lang: .zh)
        engine.press("2")
        _ = engine.render()
        let pane = ConsoleLayout(width: width, height: height).mapPane(focus: .map).inset(by: 1)
        var buffer = ScreenBuffer(width: width, height: height)
        let info = renderMap(engine.state.map.model, state: engine.state.map.view, into: &buffer, rect: pane, theme: .default, depth: .trueColor)
        return (info.visibleCols * info.columnsPerBlock, info.visibleRows, info.state.zoom, pane)
    }

    @Test func theMapGrowsWithTheTerminal() throws {
        // The small city is 72 cells across and 54 down.
        let small = try Self.mapSize(width: 80, height: 24)
        #expect(small.zoom == 5 && small.cols == 18 && small.rows == 14)
        let medium = try Self.mapSize(width: 120, height: 40)
        #expect(medium.zoom == 3 && medium.cols == 36 && medium.rows == 27)
        // 200×60: 2×2 blocks drawn two columns wide, square, across the pane instead of in its left half.
        let large = try Self.mapSize(width: 200, height: 60)
        #expect(large.zoom == 3 && large.cols == 72 && large.rows == 27)
        #expect(Double(large.cols) >= 0.9 * Double(large.pane.width))
        let engine = try ConsoleFrameTests.engine(width: 200, height: 60, lang: .zh)
        engine.press("2")
        let lines = engine.render().lines()
        let painted = lines.map { line in Array(line).suffix(large.pane.width + 1).dropLast().filter { ".:-=+*o#%@!│".contains($0) }.count }
        #expect((painted.max() ?? 0) >= 66, "a map row spans most of the 78-column pane")
    }

    @Test func titleNamesTheWindowWithItsDatesAt120And80Columns() throws {
        for (lang, wide, narrow) in [(Language.zh, "┌  按期结案率% · 7天 2026-11-19 – 2026-11-25  ─┐", "按期结案率% · 7天 11-19–25"),
                                     (.en, "┌  on-time closure % · 7 days 11-19–11-25  ────┐", "on-time closure % · 7 days")] {
            let at120 = try ConsoleFrameTests.engine(width: 120, height: 40, lang: lang, as: "city-supervisor")
            at120.press("2 m m m m")
            #expect(at120.state.map.measure == .onTimeClosure)
            let title120 = at120.render().line(1)
            #expect(title120.hasSuffix(wide), "\(title120)")
            let at80 = try ConsoleFrameTests.engine(width: 80, height: 24, lang: lang, as: "city-supervisor")
            at80.press("2 m m m m")
            let title80 = at80.render().line(1)
            #expect(title80.contains(" \(narrow) "), "\(title80)")
            #expect(title80.hasSuffix("┐"))
            // Each window by name; a month by its month.
            // Each window by name, with its first and last day in whichever form fits; a month by its month.
            for (name, first) in lang == .zh ? [("30天", "10-27"), ("自然月", "2026-11"), ("当日", "11-25")]
                                             : [("30 days", "10-27"), ("month", "2026-11"), ("day", "11-25")] {
                at120.press("w")
                let line = at120.render().line(1)
                #expect(line.contains(" \(name) ") && line.contains(first) && (name.contains("月") || name == "month" || line.contains("11-25")), "\(line)")
            }
        }
    }

    @Test func drillingDownShowsThePathByNameAndEscGoesUpOneLevel() throws {
        let engine = try ConsoleFrameTests.engine(width: 120, height: 40, lang: .zh)
        engine.press("2")
        let startZoom = engine.state.map.view.zoom
        #expect(startZoom >= 3)
        engine.press("enter")
        let street = try #require(engine.state.queue.filter.region)
        #expect(street.count == 9)
        let names = engine.state.map.cellNames
        let streetName = try #require(names[street])
        let district = try #require(names[String(street.prefix(6))])
        let city = try #require(names[engine.state.viewer.regionCode])
        // At 120 columns the pane has room for the whole path but not the hint as well.
        #expect(engine.screen.contains("│\(city) › \(district) › \(streetName) "))
        #expect(MapPaneText.breadcrumb(engine.state, width: 60) == "\(city) › \(district) › \(streetName)  Esc 上一级")
        engine.press("enter")
        let community = try #require(engine.state.queue.filter.region)
        #expect(community.count == 12 && community.hasPrefix(street))
        engine.press("enter")
        let cell = try #require(engine.state.queue.filter.region)
        #expect(cell.count == 15 && engine.state.focus == .queue)
        #expect(engine.screen.contains("\(streetName) › \(names[community]!) › \(CellCode.serial(of: cell))"))
        // Esc: one level at a time, back to the zoom each level was entered from.
        engine.press("esc")
        #expect(engine.state.queue.filter.region == community && engine.state.map.view.zoom == 1)
        engine.press("esc")
        #expect(engine.state.queue.filter.region == street && engine.state.map.view.zoom == startZoom - 1)
        engine.press("esc")
        #expect(engine.state.queue.filter.region == nil && engine.state.map.view.zoom == startZoom)
        #expect(!engine.screen.contains("Esc 上一级"))
        // Narrowed some other way: Esc still goes up one level at a time.
        engine.state.queue.filter.region = cell
        engine.state.map.drill = []
        engine.press("esc")
        #expect(engine.state.queue.filter.region == community)
        engine.press("esc")
        #expect(engine.state.queue.filter.region == street)
        engine.press("esc")
        #expect(engine.state.queue.filter.region == nil)
    }

    @Test func positionLineNamesThePlaceAndItsStreet() throws {
        for lang in [Language.zh, .en] {
            let engine = try ConsoleFrameTests.engine(width: 120, height: 40, lang: lang)
            engine.press("2 + + + + + + + +")
            #expect(engine.state.map.view.zoom == 1)
            let cell = try #require(engine.state.map.view.cellUnderCursor(engine.state.map.model))
            let street = CellCode.street(of: cell.code), community = CellCode.community(of: cell.code)
            let streetName = lang == .zh ? engine.state.map.cellNames[street]! : engine.state.map.regionNamesEn[street]!
            let communityName = lang == .zh ? engine.state.map.cellNames[community]! : engine.state.map.regionNamesEn[community]!
            let screen = engine.screen
            #expect(screen.contains("\(communityName) \(CellCode.serial(of: cell.code))  \(streetName)"), "\(lang)")
            #expect(!screen.contains(lang == .zh ? "街道 \(street)" : "street \(street)"))
            // Hotspot mode names its places the same way; zoomed out, a block names its street.
            engine.press("* - - -")
            #expect(engine.state.map.hotspot)
            let model = engine.state.map.model, view = engine.state.map.view
            let block = MapText.status(model, state: view, grid: model.grid(atZoom: view.zoom))
            #expect(block.contains(lang == .zh ? "，主要属于" : ", mostly "), "\(block)")
            #expect(!block.contains("1101"), "\(block)")
        }
    }
}

extension MapPaneTests {
    @Test func aHotspotTitleKeepsTheMethodAndTheDates() throws {
        var s = try ConsoleUpdateMessageTests.opened(focus: .map)
        s.map.hotspot = true
        s.map.measure = .filed
        s.map.window = .days30
        s.map.windowPeriod = try HeatWindow.days30.period(endingOn: LocalDate(year: 2026, month: 11, day: 25)!, back: 0)
        #expect(MapPaneText.title(s, width: 48) == " Gi* · cases filed · 30 days 10-27–11-25 ")
        #expect(MapPaneText.title(s, width: 60) == " Gi* · cases filed · 30 days 2026-10-27 – 2026-11-25 ")
        #expect(MapPaneText.title(s, width: 80) == " Getis-Ord Gi* hotspots · cases filed · 30 days 2026-10-27 – 2026-11-25 ")
        s.lang = .zh
        #expect(MapPaneText.title(s, width: 37) == " Gi* · 立案数 · 30天 10-27–11-25 ")
        #expect(MapPaneText.title(s, width: 32) == " Gi* 热点 · 立案数 · 30天 ")
    }
}

extension MapPaneTests {
    /// Hotspot mode lists its hotspots by name, hottest first, with the band they pass, on a line of the map pane;
    /// with none significant it says so, and without hotspot mode the line is gone.
    @Test func hotspotsAreNamedHottestFirstOnTheirOwnLine() throws {
        for lang in [Language.zh, .en] {
            let engine = try ConsoleFrameTests.engine(width: 120, height: 40, lang: lang)
            engine.press("2 *")
            #expect(engine.state.map.hotspot)
            let hot = engine.state.map.zScores.filter { $0.value >= 1.96 }.sorted { $0.value > $1.value }
            try #require(!hot.isEmpty, "the demo city has hotspots")
            let line = try #require(engine.state.map.model.hotspotLine)
            let first = MapPaneText.cellName(hot[0].key, engine.state) + " z" + String(format: "%.1f", hot[0].value)
            #expect(line.hasPrefix(lang == .zh ? "热点（z≥1.96，\(hot.count)个）：\(first)" : "hotspots (z≥1.96, \(hot.count)): \(first)"), "\(line)")
            #expect(!line.contains("1101"), "places by name, not code: \(line)")
            // The line is on screen, in the map pane, above the legend.
            let rows = engine.screen.components(separatedBy: "\n")
            let lineRow = try #require(rows.firstIndex { $0.contains(String(line.prefix(12))) }, "\(engine.screen)")
            #expect(rows[lineRow + 1].contains("Gi* z"), "the legend follows: \(rows[lineRow + 1])")
            // Nothing significant: it says so.
            var s = engine.state
            s.map.zScores = s.map.zScores.mapValues { _ in 0.5 }
            #expect(MapData.hotspotLine(s) == (lang == .zh ? "热点：无（z≥1.96）" : "hotspots: none at z≥1.96"))
            engine.press("*")
            #expect(engine.state.map.model.hotspotLine == nil)
        }
    }
}
