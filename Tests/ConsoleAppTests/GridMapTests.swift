import Curses
import Testing

#if canImport(MapPane)
@testable import MapPane
#else
@testable import ConsoleApp
#endif

/// The grid map pane, checked on rendered ScreenBuffer lines.
@Suite struct GridMapTests {

    // MARK: Fixtures

    static let streetA = "110101001", streetB = "110101002", streetC = "110101003"

    /// Three streets on grid rows 10…12, cols 20…25 (not starting at 0), values 0…9 so
    /// each level shows once; (12, 20) is a corner of street B reaching under street A,
    /// and (12, 25) holds no cell.
    ///
    ///     row 10:  A 0  A 1 | B 2  B 3 | C 9  C 0
    ///     row 11:  A 4  A 5 | B 6  B 7 | C 8  C 0
    ///     row 12:  B 0 |A 2 | B 3  B 0 | C 1  (none)
    static func threeStreets() -> MapModel {
        let layout: [(row: Int, col: Int, group: String, value: Double)] = [
            (10, 20, streetA, 0), (10, 21, streetA, 1), (10, 22, streetB, 2), (10, 23, streetB, 3), (10, 24, streetC, 9), (10, 25, streetC, 0),
            (11, 20, streetA, 4), (11, 21, streetA, 5), (11, 22, streetB, 6), (11, 23, streetB, 7), (11, 24, streetC, 8), (11, 25, streetC, 0),
            (12, 20, streetB, 0), (12, 21, streetA, 2), (12, 22, streetB, 3), (12, 23, streetB, 0), (12, 24, streetC, 1),
        ]
        return MapModel(cells: layout.map { MapCell(code: code($0.group, $0.row, $0.col), row: $0.row, col: $0.col, group: $0.group, value: $0.value) },
                        title: "Test", legendLabel: "open cases")
    }

    static func code(_ street: String, _ row: Int, _ col: Int) -> String {
        func pad(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, 3 - s.count)) + s }
        return street + pad(row) + pad(col)
    }

    static func render(_ model: MapModel, _ state: MapViewState, width: Int, height: Int,
                       depth: ColorDepth = .trueColor) -> (buffer: ScreenBuffer, info: MapRenderInfo) {
        var buffer = ScreenBuffer(width: width, height: height)
        let info = renderMap(model, state: state, into: &buffer, rect: buffer.bounds, theme: .default, depth: depth)
        return (buffer, info)
    }

    static let theme = Theme.default
    static func style(_ name: String, _ depth: ColorDepth = .trueColor) -> Style { theme[name].adapted(to: depth) }

    // MARK: Scale and glyphs

    @Test func levelsMapToTheirGlyphsFromSparseToDense() {
        let scale = MapHeatScale(values: (0...9).map(Double.init))
        let glyphs = (0...9).map { MapGlyphs.level(scale.level(of: Double($0))) }
        #expect(String(glyphs) == ".:-=+*o#%@")
        #expect((0...9).map { scale.level(of: Double($0)) } == Array(0...9))
    }

    @Test func zeroNegativeAndNaNAreLevelZeroAndEqualValuesAreTop() {
        #expect(MapHeatScale.linearLevel(0, lowest: 1, highest: 10) == 0)
        #expect(MapHeatScale.linearLevel(-3, lowest: 1, highest: 10) == 0)
        #expect(MapHeatScale.linearLevel(.nan, lowest: 1, highest: 10) == 0)
        #expect(MapHeatScale.linearLevel(10, lowest: 1, highest: 10) == 9)
        #expect(MapHeatScale.linearLevel(1, lowest: 1, highest: 10) == 1)
        #expect(MapHeatScale(values: [0, 4, 4]).level(of: 4) == 9)
        #expect(MapHeatScale(values: [0, 0]).level(of: 0) == 0)
    }

    @Test func legendNamesOnlyTheLevelsWholeNumbersReach() {
        let entries = MapHeatScale(values: [0, 1, 2]).legendEntries()
        #expect(entries.map(\.level) == [0, 1, 9])
        #expect(entries.map(\.label) == ["0", "1", "2"])
        let wide = MapHeatScale(values: [1, 38]).legendEntries()
        #expect(wide.first?.label == "0" && wide.last?.level == 9)
        #expect(wide.last?.label.hasSuffix("-38") == true)
        #expect(MapHeatScale(values: [0.25, 0.5]).legendEntries().last?.label == "0.47-0.5")
    }

    // MARK: Model

    @Test func modelIndexesCellsByPositionAndKnowsItsBoundingBox() {
        let model = Self.threeStreets()
        #expect(model.bounds == MapBounds(row: 10, col: 20, rows: 3, cols: 6))
        #expect(model.cell(row: 11, col: 22)?.value == 6)
        #expect(model.cell(row: 12, col: 25) == nil)
        #expect(model.cell(row: 0, col: 0) == nil)
        #expect(model.cell(code: Self.code(Self.streetC, 10, 24))?.value == 9)
        #expect(MapModel(cells: []).bounds == nil)
    }

    @Test func zoomedOutBlocksSumValuesAndTakeTheMostCommonStreet() {
        let model = Self.threeStreets()
        let grid = model.grid(atZoom: 3)  // 2 × 2 cells a block
        #expect(grid.blockSize == 2 && grid.rows == 2 && grid.cols == 3)
        #expect(grid.values == [10, 18, 17, 2, 3, 1])
        #expect(grid.counts == [4, 4, 4, 2, 2, 1])
        let streets = grid.groups.map { model.groups[Int($0)] }
        // Block (1, 0) is one cell of A and one of B: a tie goes to the street sorting first.
        #expect(streets == [Self.streetA, Self.streetB, Self.streetC, Self.streetA, Self.streetB, Self.streetC])
        let whole = model.grid(atZoom: 4)  // 3 × 3
        let left: Double = [0, 1, 2, 4, 5, 6, 0, 2, 3].reduce(0, +), right: Double = [3, 9, 0, 7, 8, 0, 0, 1].reduce(0, +)
        #expect(whole.values == [left, right])
        #expect(whole.groups.map { model.groups[Int($0)] } == [Self.streetA, Self.streetC])
    }

    // MARK: Rendering

    @Test func zoomOneDrawsTwoColumnsACellWithStreetBoundaries() {
        let state = MapViewState(cursorRow: 10, cursorCol: 20, zoom: 1)
        let (buffer, info) = Self.render(Self.threeStreets(), state, width: 12, height: 5)
        #expect(buffer.lines() == [
            "..:│--=│@@..",
            "++*│oo#│%%..",
            ".│-│==.│::  ",
            "110101001010",
            ". 0 : 1 - 2 ",
        ])
        #expect(info.status == "110101001010020  open cases 0  street 110101001")
        // The mark keeps the cell's heat background; a street below another is underlined.
        #expect(buffer[3, 0].style.bg == Self.style("heat.1").bg)
        #expect(buffer[3, 0].style.fg == Self.style("map.boundary").fg)
        #expect(buffer[0, 1].style.attributes.contains(.underline))  // (11, 20): A above B
        #expect(!buffer[2, 1].style.attributes.contains(.underline))  // (11, 21): A above A
        #expect(buffer[0, 0].style == Self.style("map.cursor"))
        #expect(buffer[1, 0].style == Self.style("map.cursor"))
        #expect(buffer[10, 2].style == Self.style("map.empty"))
    }

    @Test func zoomTwoDrawsACellPerColumn() {
        let state = MapViewState(cursorRow: 12, cursorCol: 25, zoom: 2)
        let (buffer, info) = Self.render(Self.threeStreets(), state, width: 80, height: 5)
        let blank = String(repeating: " ", count: 74)
        #expect(buffer.lines().prefix(3) == [".:-=@." + blank, "+*o#%." + blank, ".-=.: " + blank])
        #expect(info.status == "no cell at row 12, col 25")
        #expect(buffer.line(4).hasPrefix("Test  open cases  . 0  : 1  - 2"))
        #expect(buffer.line(4).contains("@ 9  zoom 2"))
        #expect(buffer[0, 1].style.attributes.contains(.underline))
        #expect(buffer[5, 2].style == Self.style("map.cursor"))  // the empty position under the cursor
    }

    @Test func coarseZoomDrawsBlocksAndSaysSo() {
        let state = MapViewState(cursorRow: 11, cursorCol: 23, zoom: 3)
        let (buffer, info) = Self.render(Self.threeStreets(), state, width: 5, height: 4)
        // Block sums 10 18 17 / 2 3 1 on a 1…18 scale.
        let scale = MapHeatScale(values: [10, 18, 17, 2, 3, 1])
        let expected = [10.0, 18, 17, 2, 3, 1].map { MapGlyphs.level(scale.level(of: $0)) }
        #expect(buffer.line(0).hasPrefix(String(expected[0..<3])))
        #expect(buffer.line(1).hasPrefix(String(expected[3..<6])))
        // With room, a block takes two columns, square like a zoom-1 cell, with the street boundaries marked.
        let wide = Self.render(Self.threeStreets(), state, width: 60, height: 4)
        #expect(wide.buffer.line(0).hasPrefix("*│@│@@"))
        #expect(wide.buffer.line(1).hasPrefix(":│-│::"))
        #expect(wide.info.columnsPerBlock == 2)
        #expect(info.status == "2x2 block: open cases 18 in 4 cells, mostly street 110101002")
        #expect(wide.buffer.line(3).contains("zoom 3 (2x2)"))
    }

    @Test func legendSaysTheMeasureOnceAndCountsWideTextWhenFitting() {
        let base = Self.threeStreets()
        let chinese = MapModel(cells: base.cells, title: "未结案件", legendLabel: "未结案件", groupLabel: "街道")
        let state = MapViewState(cursorRow: 10, cursorCol: 21, zoom: 1)
        let (buffer, info) = Self.render(chinese, state, width: 80, height: 5)
        #expect(info.legend == "未结案件  . 0  : 1  - 2  = 3  + 4  * 5  o 6  # 7  % 8  @ 9  zoom 1")
        #expect(buffer.line(4).hasPrefix(info.legend))
        #expect(info.status == "110101001010021  未结案件 1  街道 110101001")
        // Too narrow for the measure in wide characters: the scale stays, whole.
        let narrow = Self.render(chinese, state, width: 45, height: 5).info
        #expect(narrow.legend == ". 0 : 1 - 2 = 3 + 4 * 5 o 6 # 7 % 8 @ 9")
    }

    @Test func highlightedCellIsMarkedAtEveryZoom() {
        let model = Self.threeStreets()
        let selected = Self.code(Self.streetB, 11, 22)
        let state = MapViewState(cursorRow: 10, cursorCol: 20, zoom: 1, highlighted: selected)
        let one = Self.render(model, state, width: 12, height: 5).buffer
        #expect(one.line(1) == "++*│o!#│%%..")
        #expect(one[4, 1].style == Self.style("map.selected-case"))
        #expect(one[5, 1].style == Self.style("map.selected-case"))
        var two = state
        two.zoom = 2
        #expect(Self.render(model, two, width: 12, height: 5).buffer.line(1) == "+*!#%.      ")
        var three = state
        three.zoom = 3
        #expect(Array(Self.render(model, three, width: 5, height: 5).buffer.line(0))[1] == "!")
        #expect(Array(Self.render(model, three, width: 12, height: 5).buffer.line(0))[3] == "!")  // two columns a block
        // Selecting a case moves the cursor onto it.
        let moved = MapViewState(cursorRow: 10, cursorCol: 20).highlighting(selected, in: model)
        #expect(moved.cursorRow == 11 && moved.cursorCol == 22 && moved.highlighted == selected)
    }

    @Test func monochromeStillDistinguishesLevelsAndMarksStreetsWithGlyphsOnly() {
        let model = Self.threeStreets()
        let state = MapViewState(cursorRow: 12, cursorCol: 25, zoom: 1)
        let (buffer, _) = Self.render(model, state, width: 12, height: 5, depth: .none)
        #expect(buffer.lines().prefix(3) == ["..:│--=│@@..", "++*│oo#│%%..", ".│-│==.│::  "])
        var looks: [Int: (String, Style)] = [:]
        for cell in model.cells {
            let x = (cell.col - 20) * 2, y = cell.row - 10
            let shown = buffer[x, y]
            #expect(shown.style.fg == .default && shown.style.bg == .default)
            looks[MapHeatScale(values: model.cells.map(\.value)).level(of: cell.value)] = (shown.grapheme, shown.style)
        }
        #expect(looks.count == 10)
        #expect(Set(looks.values.map(\.0)).count == 10)
        // No underline for boundaries: without colour it already names heat levels.
        #expect(buffer[0, 1].style == Self.theme["heat.4"].adapted(to: .none))
    }

    @Test func nothingIsDrawnOutsideTheRect() {
        let sentinel = Style(fg: .magenta, attributes: .blink)
        let model = Self.largeModel(rows: 30, cols: 50)
        let rects = [Rect(x: 3, y: 2, width: 20, height: 7), Rect(x: 0, y: 0, width: 1, height: 1),
                     Rect(x: 30, y: 10, width: 40, height: 40), Rect(x: 5, y: 5, width: 0, height: 3),
                     Rect(x: 7, y: 3, width: 11, height: 2), Rect(x: 2, y: 1, width: 33, height: 12)]
        for rect in rects {
            for zoom in 1...5 {
                var buffer = ScreenBuffer(width: 36, height: 14)
                buffer.fill(buffer.bounds, with: "~", style: sentinel)
                let state = MapViewState(cursorRow: 117, cursorCol: 349, zoom: zoom, highlighted: model.cells[5].code)
                renderMap(model, state: state, into: &buffer, rect: rect, theme: .default, depth: .indexed256)
                for y in 0..<buffer.height {
                    for x in 0..<buffer.width where !rect.contains(x: x, y: y) {
                        #expect(buffer[x, y] == Cell("~", style: sentinel), "\(rect) zoom \(zoom) at (\(x), \(y))")
                    }
                }
                let inside = rect.intersection(buffer.bounds)
                for y in inside.y..<inside.maxY {
                    for x in inside.x..<inside.maxX {
                        #expect(buffer[x, y].grapheme != "~", "\(rect) zoom \(zoom): (\(x), \(y)) not painted")
                    }
                }
            }
        }
    }

    @Test func tinyRectsAndEmptyModelsDoNotCrash() {
        let models = [Self.threeStreets(), MapModel(cells: []), Self.largeModel(rows: 3, cols: 1)]
        let sizes = [(10, 3), (1, 1), (0, 0), (2, 1), (1, 4), (3, 2), (0, 5), (5, 0)]
        for model in models {
            for (w, h) in sizes {
                for zoom in [1, 2, 3, 9, 40] {
                    let state = MapViewState(cursorRow: -5, cursorCol: 1000, zoom: zoom, highlighted: "nope")
                    let (buffer, _) = Self.render(model, state, width: w, height: h)
                    #expect(buffer.width == w && buffer.height == h)
                }
            }
            _ = fitZoom(model, .zero)
            _ = MapViewState(model: model, fitting: .zero).moved(.left, in: model).zoomedOut(in: model)
        }
        let (buffer, info) = Self.render(MapModel(cells: []), MapViewState(cursorRow: 0, cursorCol: 0), width: 10, height: 3)
        #expect(buffer.line(0) == "no cells  ")
        #expect(info.status == "no cells")
        #expect(Self.render(Self.threeStreets(), MapViewState(cursorRow: 10, cursorCol: 20), width: 10, height: 3).buffer.lines()
                == ["..:│--=│@@", "++*│oo#│%%", ". 0 : 1 - "])
    }

    // MARK: Zoom and cursor

    @Test func fitZoomPicksTheFinestZoomThatFits() {
        let model = Self.threeStreets()  // 3 rows × 6 cols; the map loses 2 rows to status and legend
        #expect(fitZoom(model, Rect(width: 12, height: 5)) == 1)
        #expect(fitZoom(model, Rect(width: 11, height: 5)) == 2)
        #expect(fitZoom(model, Rect(width: 12, height: 4)) == 3)  // 2 map rows: 2×2 blocks
        #expect(fitZoom(model, Rect(width: 12, height: 4), showsStatusLine: false) == 1)
        #expect(fitZoom(model, Rect(width: 5, height: 4)) == 3)
        #expect(fitZoom(model, Rect(width: 2, height: 3)) == 4)  // 3×3 blocks: 2 × 1
        #expect(model.maxZoom == 4)
        #expect(fitZoom(model, Rect(width: 1, height: 1)) == 4)  // nothing fits: coarsest, and scroll
        let district = Self.largeModel(rows: 64, cols: 50)
        #expect(fitZoom(district, Rect(width: 200, height: 60)) == 3)  // 64 rows need 2×2 blocks in 58
        #expect(fitZoom(district, Rect(width: 80, height: 24)) == 4)
        let state = MapViewState(model: district, fitting: Rect(width: 80, height: 24))
        #expect(state.zoom == 4 && state.cursorRow == 100 + 32 && state.cursorCol == 300 + 25)
    }

    @Test func cursorMovesOneCellAndClampsToTheRegion() {
        let model = Self.threeStreets()
        var state = MapViewState(cursorRow: 10, cursorCol: 20)
        state.move(.left, in: model)
        state.move(.up, in: model)
        #expect(state.cursorRow == 10 && state.cursorCol == 20)
        state.move(.right, in: model)
        #expect(state.cellUnderCursor(model)?.value == 1)
        state.move(.down, in: model)
        state.move(.down, in: model)
        state.move(.down, in: model)
        #expect(state.cursorRow == 12 && state.cursorCol == 21)
        for _ in 0..<10 { state.move(.right, in: model) }
        #expect(state.cursorRow == 12 && state.cursorCol == 25)  // into the empty corner: nothing beyond it
        #expect(state.cellUnderCursor(model) == nil)
        // Zoomed out, a step is a block; the cursor stays on a cell so zooming in returns to it.
        var coarse = MapViewState(cursorRow: 10, cursorCol: 21, zoom: 3)
        coarse.move(.right, in: model)
        #expect(coarse.cursorCol == 23)
        #expect(coarse.zoomedOut(in: model).zoom == 4 && coarse.zoomedOut(in: model).zoomedOut(in: model).zoom == 4)
        #expect(coarse.zoomedIn().zoomedIn().zoomedIn().zoom == 1)
        // Out-of-range states are pulled back in.
        let wild = MapViewState(cursorRow: -4, cursorCol: 99, zoom: 12).clamped(to: model)
        #expect(wild.cursorRow == 10 && wild.cursorCol == 25 && wild.zoom == 4)
    }

    @Test func cursorJumpsOverGapsBetweenCells() {
        let cells = [0, 1, 5].map { MapCell(code: "c\($0)", row: 0, col: $0, group: "g", value: 1) }
        let model = MapModel(cells: cells)
        var state = MapViewState(cursorRow: 0, cursorCol: 1)
        state.move(.right, in: model)
        #expect(state.cursorCol == 5)
        state.move(.left, in: model)
        #expect(state.cursorCol == 1)
    }

    @Test func viewportFollowsTheCursorWhenTheRegionDoesNotFit() {
        // One row of 40 cells, values 1…40; at zoom 1 a 10-column rect shows 5 cells.
        let cells = (0..<40).map { MapCell(code: "c\($0)", row: 7, col: 100 + $0, group: "g", value: Double($0 + 1)) }
        let model = MapModel(cells: cells)
        func view(_ col: Int) -> (info: MapRenderInfo, buffer: ScreenBuffer) {
            let r = Self.render(model, MapViewState(cursorRow: 7, cursorCol: col, zoom: 1), width: 10, height: 3)
            return (r.info, r.buffer)
        }
        #expect(view(100).info.firstCol == 100)
        #expect(view(120).info.firstCol == 118)
        #expect(view(139).info.firstCol == 135)
        for col in [100, 103, 120, 137, 139] {
            let (info, buffer) = view(col)
            let x = (col - info.firstCol) * 2
            #expect(buffer[x, 0].style == Self.style("map.cursor"), "cursor at \(col)")
            #expect(buffer[x + 1, 0].style == Self.style("map.cursor"))
        }
        // Moving the cursor to the end scrolls the last cells into view.
        var state = MapViewState(cursorRow: 7, cursorCol: 100, zoom: 1)
        for _ in 0..<39 { state.move(.right, in: model) }
        var buffer = ScreenBuffer(width: 10, height: 4)
        renderMap(model, state: state, into: &buffer, rect: buffer.bounds, theme: .default, depth: .trueColor)
        #expect(buffer.line(0) == "@@@@@@@@@@")  // 36…40 on a 1…40 scale
        #expect(buffer.line(2) == "c39  value")
    }

    // MARK: Helpers

    /// `rows` × `cols` cells from grid position (100, 300), five streets in vertical bands.
    static func largeModel(rows: Int, cols: Int) -> MapModel {
        var cells: [MapCell] = []
        for r in 0..<rows {
            for c in 0..<cols {
                let street = "11010100\(c * 5 / max(cols, 1))"
                cells.append(MapCell(code: code(street, r, c), row: 100 + r, col: 300 + c, group: street, value: Double((r * 7 + c * 3) % 11)))
            }
        }
        return MapModel(cells: cells, title: "District", legendLabel: "open cases")
    }
}

@Suite struct HeatScaleMethodTests {
    @Test func quantileScaleKeepsOneExtremeCellFromFlatteningTheRest() {
        let values = (1...99).map(Double.init) + [10_000]
        let linear = MapHeatScale(values: values, method: .linear)
        let quantile = MapHeatScale(values: values, method: .quantile)
        // Linear: everything but the extreme sits on level 1.
        #expect(Set((1...99).map { linear.level(of: Double($0)) }) == [1])
        // Quantile: the ordinary values spread over the levels.
        #expect(Set((1...99).map { quantile.level(of: Double($0)) }).count >= 8)
        #expect(quantile.level(of: 10_000) == 9 && quantile.level(of: 0) == 0)
        #expect(quantile.legendEntries().count >= 8)
    }

    @Test func hotspotScaleUsesConfidenceBands() {
        let scale = MapHeatScale(values: [-3, 0, 1.7, 2.0, 3.0], method: .hotspot)
        #expect([-3, 0, 1.0, 1.7, 2.0, 3.0].map { scale.level(of: $0) } == [0, 0, 0, 5, 7, 9])
        #expect(scale.legendEntries().map(\.label) == ["<1.65", "90%", "95%", "99%"])
    }
}
