import Curses

/// What the map pane remembers between frames. The cursor is kept in grid cells, not
/// screen columns, so zooming out and back in returns to the same cell, and the
/// viewport is derived from it on every render rather than stored.
struct MapViewState: Sendable, Equatable {
    enum Direction: Sendable, Equatable, CaseIterable {
        case up, down, left, right

        var delta: (row: Int, col: Int) {
            switch self {
            case .up: (-1, 0)
            case .down: (1, 0)
            case .left: (0, -1)
            case .right: (0, 1)
            }
        }
    }

    var cursorRow: Int
    var cursorCol: Int
    /// 1 = finest; see `MapZoom`.
    var zoom: Int
    /// The cell code of the selected case, marked on the map.
    var highlighted: String?
    /// Off when the caller shows `MapRenderInfo.status` elsewhere; the map gets the row.
    var showsStatusLine: Bool

    init(cursorRow: Int, cursorCol: Int, zoom: Int = MapZoom.finest, highlighted: String? = nil,
         showsStatusLine: Bool = true) {
        self.cursorRow = cursorRow
        self.cursorCol = cursorCol
        self.zoom = max(MapZoom.finest, zoom)
        self.highlighted = highlighted
        self.showsStatusLine = showsStatusLine
    }

    /// The cursor on the cell nearest the middle of the region, at the zoom that fits it in `rect`.
    init(model: MapModel, fitting rect: Rect, highlighted: String? = nil, showsStatusLine: Bool = true) {
        var (row, col) = (0, 0)
        if let b = model.bounds {
            let midRow = b.row + b.rows / 2, midCol = b.col + b.cols / 2
            (row, col) = (midRow, midCol)
            if model.cellIndex(row: midRow, col: midCol) == nil {
                var best = Int.max
                for cell in model.cells {
                    let d = abs(cell.row - midRow) + abs(cell.col - midCol)
                    if d < best { best = d; (row, col) = (cell.row, cell.col) }
                }
            }
        }
        self.init(cursorRow: row, cursorCol: col, zoom: fitZoom(model, rect, showsStatusLine: showsStatusLine),
                  highlighted: highlighted, showsStatusLine: showsStatusLine)
    }

    // MARK: Cursor

    func cellUnderCursor(_ model: MapModel) -> MapCell? {
        model.cell(row: cursorRow, col: cursorCol)
    }

    /// One block (a cell at zoom 1 and 2) in `direction`, staying inside the region's
    /// bounding box. Runs of empty blocks are jumped when a block with cells lies beyond;
    /// otherwise the cursor takes the single step into the empty space.
    func moved(_ direction: Direction, in model: MapModel) -> MapViewState {
        guard let bounds = model.bounds else { return self }
        var next = clamped(to: model)
        let step = MapZoom.blockSize(zoom)
        let (dr, dc) = direction.delta
        let first = bounds.clamp(row: next.cursorRow + dr * step, col: next.cursorCol + dc * step)
        guard first != (next.cursorRow, next.cursorCol) else { return next }
        let grid = model.grid(atZoom: zoom)
        var probe = first
        while true {
            let b = grid.block(row: probe.row, col: probe.col)
            if !grid.isEmpty(row: b.row, col: b.col) { break }
            let further = bounds.clamp(row: probe.row + dr * step, col: probe.col + dc * step)
            if further == probe { probe = first; break }
            probe = further
        }
        (next.cursorRow, next.cursorCol) = probe
        return next
    }

    mutating func move(_ direction: Direction, in model: MapModel) {
        self = moved(direction, in: model)
    }

    /// The cursor moved back inside the region (after the model changed, say) and the
    /// zoom into the range the model offers.
    func clamped(to model: MapModel) -> MapViewState {
        var next = self
        next.zoom = min(max(zoom, MapZoom.finest), model.maxZoom)
        if let bounds = model.bounds { (next.cursorRow, next.cursorCol) = bounds.clamp(row: cursorRow, col: cursorCol) }
        return next
    }

    /// Marks the cell of a selected case and puts the cursor on it; nil clears the mark.
    func highlighting(_ code: String?, in model: MapModel) -> MapViewState {
        var next = self
        next.highlighted = code
        if let code, let cell = model.cell(code: code) { (next.cursorRow, next.cursorCol) = (cell.row, cell.col) }
        return next
    }

    // MARK: Zoom

    func zoomedIn() -> MapViewState {
        var next = self
        next.zoom = max(MapZoom.finest, zoom - 1)
        return next
    }

    func zoomedOut(in model: MapModel) -> MapViewState {
        var next = self
        next.zoom = min(model.maxZoom, max(MapZoom.finest, zoom + 1))
        return next
    }

    /// Back to the finest zoom at which the whole region fits `rect`.
    func zoomedToFit(_ model: MapModel, in rect: Rect) -> MapViewState {
        var next = self
        next.zoom = fitZoom(model, rect, showsStatusLine: showsStatusLine)
        return next
    }
}
