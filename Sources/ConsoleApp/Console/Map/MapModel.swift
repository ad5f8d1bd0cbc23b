/// The cells of one region (a district of a city grid, say) with what the legend says
/// about them, indexed once so that drawing never hashes a key per cell.
struct MapModel: Sendable {
    let cells: [MapCell]
    var title: String
    /// The measure, as the legend and status line name it ("open cases").
    var legendLabel: String
    /// What a group is, for the status line ("street").
    var groupLabel: String
    /// How values become heat levels.
    var scale = MapHeatScale.Method.linear
    /// The language of the words around the map (status line, zoom); labels come in already translated.
    var chinese = false
    /// By block size (2 and up): each block's value as the caller worked it out, row-major over the blocks of
    /// `grid(atZoom:)`. A rate's block is its summed numerators over its summed denominators and a hotspot block
    /// has its own score, which the map cannot know; sizes missing here sum their cells' values (counts).
    var blockValues: [Int: [Double]] = [:]
    /// Names of the groups by code ("和平里街道"); a group without one is shown by its code.
    var groupNames: [String: String] = [:]
    /// The hotspots by name, hottest first ("热点 z≥1.96：仁巷社区 007 z2.9 · …"), drawn on a line of its own above
    /// the legend; nil when the map is not showing hotspots.
    var hotspotLine: String?

    /// The bounding box of the cells in grid rows and columns; nil when there are none.
    let bounds: MapBounds?
    /// The distinct groups, sorted; a cell's group is an index into this.
    let groups: [String]
    /// The region at block size 1: one entry per grid position of `bounds`.
    let baseGrid: MapGrid

    /// `bounds.rows * bounds.cols` entries, row-major: the index in `cells` of the cell at
    /// that position, or -1.
    private let lookup: [Int32]
    private let indexByCode: [String: Int]

    /// When two cells claim one grid position the first is kept: a data error is shown
    /// rather than trapped on.
    init(cells: [MapCell], title: String = "", legendLabel: String = "", groupLabel: String = "street") {
        self.cells = cells
        self.title = title
        self.legendLabel = legendLabel
        self.groupLabel = groupLabel

        var codeIndex: [String: Int] = [:]
        codeIndex.reserveCapacity(cells.count)
        for (i, cell) in cells.enumerated() where codeIndex[cell.code] == nil { codeIndex[cell.code] = i }
        indexByCode = codeIndex

        let groupNames = Array(Set(cells.map(\.group))).sorted()
        groups = groupNames
        let groupIndex = Dictionary(uniqueKeysWithValues: groupNames.enumerated().map { ($1, Int32($0)) })

        guard let first = cells.first else {
            bounds = nil
            lookup = []
            baseGrid = MapGrid(originRow: 0, originCol: 0, blockSize: 1, rows: 0, cols: 0, values: [], groups: [], counts: [])
            return
        }
        var minRow = first.row, maxRow = first.row, minCol = first.col, maxCol = first.col
        for cell in cells {
            minRow = min(minRow, cell.row); maxRow = max(maxRow, cell.row)
            minCol = min(minCol, cell.col); maxCol = max(maxCol, cell.col)
        }
        let box = MapBounds(row: minRow, col: minCol, rows: maxRow - minRow + 1, cols: maxCol - minCol + 1)
        bounds = box

        let count = box.rows * box.cols
        var table = [Int32](repeating: -1, count: count)
        var values = [Double](repeating: 0, count: count)
        var groupOf = [Int32](repeating: -1, count: count)
        var counts = [Int32](repeating: 0, count: count)
        for (i, cell) in cells.enumerated() {
            let p = (cell.row - minRow) * box.cols + (cell.col - minCol)
            guard table[p] < 0 else { continue }
            table[p] = Int32(i)
            values[p] = cell.value
            groupOf[p] = groupIndex[cell.group] ?? -1
            counts[p] = 1
        }
        lookup = table
        baseGrid = MapGrid(originRow: minRow, originCol: minCol, blockSize: 1, rows: box.rows, cols: box.cols,
                           values: values, groups: groupOf, counts: counts)
    }

    var isEmpty: Bool { bounds == nil }

    /// The index in `cells` of the cell at a grid position, without hashing.
    func cellIndex(row: Int, col: Int) -> Int? {
        guard let b = bounds, b.contains(row: row, col: col) else { return nil }
        let i = lookup[(row - b.row) * b.cols + (col - b.col)]
        return i < 0 ? nil : Int(i)
    }

    func cell(row: Int, col: Int) -> MapCell? {
        cellIndex(row: row, col: col).map { cells[$0] }
    }

    func cell(code: String) -> MapCell? {
        indexByCode[code].map { cells[$0] }
    }

    /// The region at `zoom`: cells themselves at zoom 1 and 2, blocks of (zoom-1)² cells beyond.
    func grid(atZoom zoom: Int) -> MapGrid {
        let size = MapZoom.blockSize(zoom)
        return size == 1 ? baseGrid : baseGrid.aggregated(blockSize: size, blockValues: blockValues[size])
    }

    /// The coarsest zoom worth offering: 8×8-cell blocks (about 800 m), or fewer when a
    /// small region is already down to a couple of blocks.
    var maxZoom: Int {
        guard let b = bounds else { return 1 }
        let largest = max(b.rows, b.cols)
        return min(MapZoom.coarsest, max(2, (largest + 1) / 2 + 1))
    }
}
