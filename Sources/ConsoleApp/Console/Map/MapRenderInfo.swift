/// What a render showed, for the caller to reuse (a status bar elsewhere, tests).
struct MapRenderInfo: Sendable, Equatable {
    /// The cell (or block) under the cursor, in words; drawn above the legend when there is room.
    var status: String
    /// The legend as drawn (plain text).
    var legend: String
    /// The state as drawn: cursor inside the region, zoom in range.
    var state: MapViewState
    var layout: MapLayout
    /// The grid position of the top-left visible block, and the blocks drawn across and down.
    var firstRow: Int
    var firstCol: Int
    var visibleRows: Int
    var visibleCols: Int
    /// Terminal columns a block took (2 at zoom 1, and zoomed out when the region's width fits so).
    var columnsPerBlock = 1
}
