/// One cell's figure of a map measure, or a block's: a count, or a rate kept as its terms, so that cells add up
/// the way the measure does. A block of cells has the rate of its summed numerators over its summed denominators;
/// adding or averaging the cells' rates would give figures no rate can have (a block "at 20000%").
public struct GridFigure: Sendable, Equatable {
    public var numerator: Double
    /// Nil for a count; for a rate, what the numerator is out of.
    public var denominator: Double?

    public init(numerator: Double, denominator: Double?) {
        self.numerator = numerator; self.denominator = denominator
    }

    public static func count(_ n: Double) -> GridFigure { GridFigure(numerator: n, denominator: nil) }
    public static func rate(_ numerator: Double, of denominator: Double) -> GridFigure { GridFigure(numerator: numerator, denominator: denominator) }
    public static let zero = GridFigure.count(0)

    public init(_ terms: IndicatorTerms) {
        self.init(numerator: Double(terms.numerator), denominator: terms.denominator.map(Double.init))
    }

    public var isRate: Bool { denominator != nil }

    /// The count, or the rate as a percentage 0–100; nil for a rate over nothing (a zero denominator).
    public var value: Double? {
        guard let denominator else { return numerator }
        return denominator > 0 ? 100 * numerator / denominator : nil
    }

    /// Term by term: counts add up; rates add their numerators and their denominators (a count added to a rate
    /// is a rate over nothing more).
    public static func + (a: GridFigure, b: GridFigure) -> GridFigure {
        let denominator: Double? = a.denominator == nil && b.denominator == nil ? nil : (a.denominator ?? 0) + (b.denominator ?? 0)
        return GridFigure(numerator: a.numerator + b.numerator, denominator: denominator)
    }
}

extension WindowHeatmap {
    /// The indicator's terms per cell, from an evaluation grouped by cell: what blocks of cells are summed from.
    public static func figures(_ report: EvaluationReport, indicator: Indicator) -> [String: GridFigure] {
        var figures: [String: GridFigure] = [:]
        for row in report.rows {
            figures[row.key] = row.inputs.terms(indicator).map(GridFigure.init)
                ?? (indicator.isVolume ? .zero : .rate(0, of: 0))
        }
        return figures
    }
}

/// A measure over a region's cells taken in blocks of `size` × `size` grid positions, each block one unit: its
/// figure is its cells' figures added term by term, and its hotspot score is the block's own Gi* against the blocks
/// around it. Block (0, 0) starts at the smallest row and column of the cells, as a map of the same cells does.
public struct GridBlocks: Sendable, Equatable {
    public let size: Int
    public let originRow: Int
    public let originCol: Int
    /// Size in blocks.
    public let rows: Int
    public let cols: Int
    /// Row-major; nil where the block holds no cell.
    public let figures: [GridFigure?]

    /// `size` below 1 is taken as 1.
    public init(cells: [(row: Int, col: Int, figure: GridFigure)], size: Int) {
        let size = max(1, size)
        self.size = size
        guard let first = cells.first else {
            (originRow, originCol, rows, cols, figures) = (0, 0, 0, 0, [])
            return
        }
        var minRow = first.row, maxRow = first.row, minCol = first.col, maxCol = first.col
        for cell in cells {
            minRow = min(minRow, cell.row); maxRow = max(maxRow, cell.row)
            minCol = min(minCol, cell.col); maxCol = max(maxCol, cell.col)
        }
        originRow = minRow
        originCol = minCol
        rows = (maxRow - minRow) / size + 1
        cols = (maxCol - minCol) / size + 1
        var figures = [GridFigure?](repeating: nil, count: rows * cols)
        for cell in cells {
            let i = (cell.row - minRow) / size * cols + (cell.col - minCol) / size
            figures[i] = figures[i].map { $0 + cell.figure } ?? cell.figure
        }
        self.figures = figures
    }

    /// Grid cells with their figure by code (a cell without one counts as nothing).
    public init(cells: [GridCell], size: Int, figure: (String) -> GridFigure?) {
        self.init(cells: cells.map { ($0.row, $0.col, figure($0.code) ?? .zero) }, size: size)
    }

    /// Each block's value for a heat scale: the count, or the rate as a percentage; 0 where there is none.
    public var values: [Double] { figures.map { $0?.value ?? 0 } }

    /// Getis-Ord Gi* of each block, the blocks holding cells being the units and each block's neighbours the blocks
    /// around it (8-neighbourhood); 0 where a block holds no cell.
    public func hotspotScores() -> [Double] {
        var index: [Int] = [], blockRows: [Int] = [], blockCols: [Int] = [], values: [Double] = []
        for (i, figure) in figures.enumerated() {
            guard let figure else { continue }
            index.append(i); blockRows.append(i / cols); blockCols.append(i % cols)
            values.append(figure.value ?? 0)
        }
        let z = Hotspot.getisOrdGiStar(values: values, neighbours: Hotspot.gridNeighbours(rows: blockRows, cols: blockCols))
        var scores = [Double](repeating: 0, count: figures.count)
        for (k, i) in index.enumerated() { scores[i] = z[k] }
        return scores
    }
}
