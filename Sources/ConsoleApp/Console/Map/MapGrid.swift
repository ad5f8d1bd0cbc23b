/// The region at one zoom as flat arrays: blocks of `blockSize` × `blockSize` grid
/// positions, row-major, block (0, 0) starting at (`originRow`, `originCol`).
/// Flat so the draw loop indexes arrays instead of looking cells up.
struct MapGrid: Sendable, Equatable {
    let originRow: Int
    let originCol: Int
    let blockSize: Int
    /// Size in blocks.
    let rows: Int
    let cols: Int
    /// Per block: the sum of its cells' values.
    let values: [Double]
    /// Per block: the index (into `MapModel.groups`) of its most common group, or -1 when
    /// the block holds no cell.
    let groups: [Int32]
    /// Per block: how many cells it holds.
    let counts: [Int32]

    func isEmpty(row: Int, col: Int) -> Bool { groups[row * cols + col] < 0 }

    /// The block holding grid position (`row`, `col`), which may lie outside the grid.
    func block(row: Int, col: Int) -> (row: Int, col: Int) {
        (floorDiv(row - originRow, blockSize), floorDiv(col - originCol, blockSize))
    }

    /// The values of the blocks that hold cells: what a scale is built from.
    var occupiedValues: [Double] {
        var result: [Double] = []
        result.reserveCapacity(values.count)
        for i in values.indices where groups[i] >= 0 { result.append(values[i]) }
        return result
    }

    /// Blocks of `size` × `size` positions: the group the one most of the block's cells
    /// belong to (ties go to the group sorting first), so that zoomed out the map shows
    /// street by street, and the blocks' values as the caller worked them out (`blockValues`,
    /// row-major: a rate's block rate, a block's own Gi*), or, without them, the cells'
    /// values summed, which is right for counts only.
    func aggregated(blockSize size: Int, blockValues: [Double]? = nil) -> MapGrid {
        precondition(blockSize == 1 && size >= 1)
        let outRows = (rows + size - 1) / size, outCols = (cols + size - 1) / size
        var values = [Double](repeating: 0, count: outRows * outCols)
        var groups = [Int32](repeating: -1, count: outRows * outCols)
        var counts = [Int32](repeating: 0, count: outRows * outCols)
        var tallyGroup: [Int32] = [], tallyCount: [Int32] = []
        tallyGroup.reserveCapacity(size * size); tallyCount.reserveCapacity(size * size)
        for br in 0..<outRows {
            for bc in 0..<outCols {
                tallyGroup.removeAll(keepingCapacity: true); tallyCount.removeAll(keepingCapacity: true)
                var sum = 0.0, n: Int32 = 0
                for r in (br * size)..<min(rows, (br + 1) * size) {
                    for c in (bc * size)..<min(cols, (bc + 1) * size) {
                        let i = r * self.cols + c
                        let g = self.groups[i]
                        guard g >= 0 else { continue }
                        sum += self.values[i]
                        n += 1
                        if let t = tallyGroup.firstIndex(of: g) { tallyCount[t] += 1 } else { tallyGroup.append(g); tallyCount.append(1) }
                    }
                }
                let o = br * outCols + bc
                values[o] = sum
                counts[o] = n
                var best: Int32 = -1, bestCount: Int32 = 0
                for (g, k) in zip(tallyGroup, tallyCount) where k > bestCount || (k == bestCount && g < best) {
                    best = g; bestCount = k
                }
                groups[o] = best
            }
        }
        if let blockValues, blockValues.count == values.count { values = blockValues }
        return MapGrid(originRow: originRow, originCol: originCol, blockSize: size, rows: outRows, cols: outCols,
                       values: values, groups: groups, counts: counts)
    }
}

private func floorDiv(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
