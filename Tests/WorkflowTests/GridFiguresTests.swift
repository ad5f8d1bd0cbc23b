import Foundation
import Testing
@testable import Workflow

/// A block of cells is one unit: its rate is its numerators summed over its denominators summed, and its hotspot
/// score is its own Gi* against the blocks around it.
@Suite struct GridFiguresTests {
    /// 4 × 4 positions, blocks of 2 × 2; (3, 0) and (3, 3) hold no cell.
    ///
    ///     1/2  3/4 | 1/1  1/1        block (0,0): 6/8  = 75%     block (0,1): 4/4 = 100%
    ///     0/0  2/2 | 1/1  1/1
    ///     ---------+---------
    ///     0/4  1/4 | 1/3  1/3        block (1,0): 2/10 = 20%     block (1,1): 3/9 = 33.3%
    ///      -   1/2 | 1/3   -
    static let rates: [(row: Int, col: Int, figure: GridFigure)] = [
        (0, 0, .rate(1, of: 2)), (0, 1, .rate(3, of: 4)), (0, 2, .rate(1, of: 1)), (0, 3, .rate(1, of: 1)),
        (1, 0, .rate(0, of: 0)), (1, 1, .rate(2, of: 2)), (1, 2, .rate(1, of: 1)), (1, 3, .rate(1, of: 1)),
        (2, 0, .rate(0, of: 4)), (2, 1, .rate(1, of: 4)), (2, 2, .rate(1, of: 3)), (2, 3, .rate(1, of: 3)),
        (3, 1, .rate(1, of: 2)), (3, 2, .rate(1, of: 3)),
    ]

    @Test func aBlockHasTheRateOfItsSummedTerms() {
        let blocks = GridBlocks(cells: Self.rates, size: 2)
        #expect(blocks.rows == 2 && blocks.cols == 2)
        #expect(blocks.figures == [.rate(6, of: 8), .rate(4, of: 4), .rate(2, of: 10), .rate(3, of: 9)])
        #expect(blocks.values == [75, 100, 20, 100.0 / 3])
        // Summing the cells' rates would give 225, 400, 75, 100: no rate can be that.
        #expect(blocks.values.allSatisfy { (0...100).contains($0) })
        // Blocks of one cell are the cells.
        #expect(GridBlocks(cells: Self.rates, size: 1).values.prefix(4) == [50, 75, 100, 100])
    }

    @Test func countsAddUpAndARateOverNothingHasNoValue() {
        #expect((GridFigure.count(2) + .count(5)) == .count(7))
        #expect(GridFigure.rate(0, of: 0).value == nil)
        #expect((GridFigure.zero + .rate(1, of: 4)).value == 25)
        let counts = GridBlocks(cells: [(5, 7, .count(3)), (5, 8, .count(4)), (6, 7, .count(1)), (9, 9, .count(2))], size: 2)
        #expect(counts.originRow == 5 && counts.originCol == 7 && counts.rows == 3 && counts.cols == 2)
        #expect(counts.values == [8, 0, 0, 0, 0, 2])
        #expect(counts.figures[1] == nil)
    }

    @Test func aBlocksHotspotScoreIsItsOwnGiStarAmongBlocks() {
        // 6 × 6 cells of counts, blocks of 2 × 2: a busy corner block.
        var cells: [(row: Int, col: Int, figure: GridFigure)] = []
        for r in 0..<6 { for c in 0..<6 { cells.append((r, c, .count(r < 2 && c < 2 ? 5 : Double((r + c) % 2)))) } }
        let blocks = GridBlocks(cells: cells, size: 2)
        #expect(blocks.values == [20, 2, 2, 2, 2, 2, 2, 2, 2])
        let byHand = Hotspot.getisOrdGiStar(values: [20, 2, 2, 2, 2, 2, 2, 2, 2],
                                            neighbours: Hotspot.gridNeighbours(rows: [0, 0, 0, 1, 1, 1, 2, 2, 2], cols: [0, 1, 2, 0, 1, 2, 0, 1, 2]))
        #expect(blocks.hotspotScores() == byHand)
        // Not the cells' scores summed.
        let cellScores = Hotspot.getisOrdGiStar(values: cells.map { $0.figure.value ?? 0 },
                                                neighbours: Hotspot.gridNeighbours(rows: cells.map(\.row), cols: cells.map(\.col)))
        let summed = (0..<4).map { cellScores[[0, 1, 6, 7][$0]] }.reduce(0, +)
        #expect(abs(blocks.hotspotScores()[0] - summed) > 1)
    }

    @Test func anIndicatorsTermsGiveItsValue() {
        var counts = EvaluationCounts()
        for (i, counter) in EvaluationCounter.allCases.enumerated() { counts[counter] = Int64(3 + i % 5) }
        let inputs = IndicatorInputs(counts: counts, overdueNow: 2, missedBase: (filed: 9, byOthers: 4))
        for indicator in Indicator.allCases {
            #expect(inputs.terms(indicator)?.value == inputs.value(indicator), "\(indicator)")
            #expect((inputs.terms(indicator)?.denominator == nil) == indicator.isVolume, "\(indicator)")
        }
        #expect(inputs.terms(.onTimeClosureRate) == IndicatorTerms(numerator: counts[.closedOnTime], denominator: counts[.closed]))
    }
}
