/// A rectangle of grid positions.
struct MapBounds: Sendable, Equatable {
    var row: Int
    var col: Int
    var rows: Int
    var cols: Int

    var maxRow: Int { row + rows - 1 }
    var maxCol: Int { col + cols - 1 }

    func contains(row r: Int, col c: Int) -> Bool {
        r >= row && r < row + rows && c >= col && c < col + cols
    }

    /// The nearest position inside.
    func clamp(row r: Int, col c: Int) -> (row: Int, col: Int) {
        (min(max(r, row), maxRow), min(max(c, col), maxCol))
    }
}
