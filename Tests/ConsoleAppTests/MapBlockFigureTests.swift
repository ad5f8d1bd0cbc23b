import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Zoomed-out blocks of the supervisor's map show figures a block can have: a rate measure's block is its own rate
/// (numerators and denominators summed, then divided), the legend of a rate stays within 0–100, and a hotspot block
/// has its own Gi* among the blocks, not its cells' scores summed.
@Suite struct MapBlockFigureTests {
    static let street = "110101001"

    /// The hand-made 4 × 4 grid of `GridFiguresTests.rates`: blocks of 2 × 2 at 75%, 100%, 20% and 33.3%.
    static func handMade(_ lang: Language = .en) throws -> ConsoleState {
        var s = try ConsoleUpdateMessageTests.opened(focus: .map)
        s.lang = lang
        let rates: [(Int, Int, Double, Double)] = [
            (0, 0, 1, 2), (0, 1, 3, 4), (0, 2, 1, 1), (0, 3, 1, 1),
            (1, 0, 0, 0), (1, 1, 2, 2), (1, 2, 1, 1), (1, 3, 1, 1),
            (2, 0, 0, 4), (2, 1, 1, 4), (2, 2, 1, 3), (2, 3, 1, 3),
            (3, 1, 1, 2), (3, 2, 1, 3),
        ]
        s.map.gridCells = rates.map { r, c, _, _ in
            GridCell(code: "\(street)001\(100 + r * 10 + c)", nameZh: "", row: r, col: c, lat: 0, lon: 0, patrolAreaID: nil)
        }
        s.map.measure = .onTimeClosure
        s.map.windowText = "2026-11-19 – 2026-11-25"
        s.map.windowFigures = Dictionary(uniqueKeysWithValues: zip(s.map.gridCells.map(\.code), rates.map { GridFigure.rate($0.2, of: $0.3) }))
        s.map.hotspot = false
        s.map.quantile = false
        MapData.rebuildModel(&s)
        return s
    }

    @Test func aBlockShowsTheBlocksOwnRate() throws {
        let s = try Self.handMade()
        let grid = s.map.model.grid(atZoom: 3)
        #expect(grid.blockSize == 2)
        #expect(grid.values == [75, 100, 20, 100.0 / 3])
        // A cell keeps its own rate.
        #expect(s.map.model.cell(row: 0, col: 0)?.value == 50)
        let view = MapViewState(cursorRow: 0, cursorCol: 1, zoom: 3)
        var buffer = ScreenBuffer(width: 160, height: 5)
        let info = renderMap(s.map.model, state: view, into: &buffer, rect: buffer.bounds, theme: .default, depth: .trueColor)
        #expect(info.status.hasPrefix("2x2 block: on-time closure % 75 in 4 cells"))
        #expect(info.legend == "on-time closure % · 2026-11-19 – 2026-11-25  on-time closure %  . 0  : 20  - 28.9  = 37.8  + 46.7  * 55.6  o 64.4  # 73.3  % 82.2  @ 91.1-100  zoom 3 (2x2)")
    }

    @Test func rateLegendsNeverPassOneHundredAtAnyZoomOfTheDemoCity() throws {
        let engine = try ConsoleFrameTests.engine(width: 120, height: 40, lang: .zh, as: "city-supervisor")
        engine.press("2")
        for measure in [MapMeasure.onTimeClosure, .rework] {
            engine.state.map.measure = measure
            engine.state.map.quantile = false
            engine.reload()
            #expect(!engine.state.map.windowFigures.isEmpty)
            for quantile in [false, true] {
                engine.state.map.quantile = quantile
                MapData.rebuildModel(&engine.state)
                for zoom in 1...engine.state.map.model.maxZoom {
                    let grid = engine.state.map.model.grid(atZoom: zoom)
                    #expect(grid.values.allSatisfy { (0...100).contains($0) }, "\(measure) zoom \(zoom)")
                    // The legend as drawn, its scale part: each level's label, "12.5" or "90.5-100".
                    let scale = MapHeatScale(values: grid.occupiedValues, method: engine.state.map.model.scale)
                    var buffer = ScreenBuffer(width: 60, height: 5)
                    let view = MapViewState(cursorRow: 10, cursorCol: 10, zoom: zoom)
                    let info = renderMap(engine.state.map.model, state: view, into: &buffer, rect: buffer.bounds, theme: .default, depth: .trueColor)
                    let labels = scale.legendEntries().map(\.label)
                    #expect(info.legend.contains(". " + labels[0]), "\(info.legend)")
                    let numbers = labels.flatMap { $0.split(separator: "-") }.map { Double($0) }
                    #expect(numbers.allSatisfy { $0 != nil && $0! <= 100 }, "\(measure) zoom \(zoom): \(info.legend)")
                }
            }
        }
    }

    @Test func aHotspotBlockHasItsOwnGiStar() throws {
        var s = try Self.handMade()
        // 6 × 6 cells of counts, blocks of 2 × 2: a busy top-left block.
        s.map.gridCells = (0..<36).map { i in
            GridCell(code: "\(Self.street)001\(100 + i)", nameZh: "", row: i / 6, col: i % 6, lat: 0, lon: 0, patrolAreaID: nil)
        }
        s.map.measure = .filed
        s.map.windowFigures = Dictionary(uniqueKeysWithValues: s.map.gridCells.map {
            ($0.code, GridFigure.count($0.row < 2 && $0.col < 2 ? 5 : Double(($0.row + $0.col) % 2)))
        })
        s.map.hotspot = true
        s.map.neighbours = []
        ConsoleUpdate.finishHeat(&s)
        let grid = s.map.model.grid(atZoom: 3)
        #expect(grid.blockSize == 2 && grid.rows == 3 && grid.cols == 3)
        let byHand = Hotspot.getisOrdGiStar(values: [20, 2, 2, 2, 2, 2, 2, 2, 2],
                                            neighbours: Hotspot.gridNeighbours(rows: [0, 0, 0, 1, 1, 1, 2, 2, 2], cols: [0, 1, 2, 0, 1, 2, 0, 1, 2]))
        #expect(grid.values == byHand)
        #expect(grid.values[0] > 1)
        let cellsSummed = s.map.gridCells.filter { $0.row < 2 && $0.col < 2 }.map { s.map.zScores[$0.code] ?? 0 }.reduce(0, +)
        #expect(abs(grid.values[0] - cellsSummed) > 0.5, "not the cells' z-scores summed")
    }
}
