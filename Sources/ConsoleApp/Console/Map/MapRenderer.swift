import Curses

/// Paints the map of `model` into `rect` of `buffer`, touching nothing outside it: the
/// grid (scrolled so the cursor stays in view), then a status line for the cursor and a
/// one-line legend. Each cell shows its heat level as a glyph and a `heat.N` style; a
/// zoom-1 cell whose right neighbour lies in another street shows `│` in its second
/// column, and on colour terminals a cell whose lower neighbour does is underlined.
@discardableResult
func renderMap(_ model: MapModel, state: MapViewState, into buffer: inout ScreenBuffer, rect: Rect,
               theme: Theme, depth: ColorDepth) -> MapRenderInfo {
    let rect = rect.intersection(buffer.bounds)
    let state = state.clamped(to: model)
    let layout = MapLayout(rect, showsStatusLine: state.showsStatusLine, listsHotspots: model.hotspotLine != nil)
    let palette = MapPalette(theme: theme, depth: depth)
    let grid = model.grid(atZoom: state.zoom)
    let scale = MapHeatScale(values: grid.occupiedValues, method: model.scale)

    var info = MapRenderInfo(status: MapText.status(model, state: state, grid: grid), legend: "", state: state,
                             layout: layout, firstRow: grid.originRow, firstCol: grid.originCol,
                             visibleRows: 0, visibleCols: 0)
    guard !rect.isEmpty else { return info }

    if model.isEmpty {
        buffer.fill(layout.map, style: palette.styles[MapPalette.empty])
        buffer.put("no cells", x: layout.map.x, y: layout.map.y, style: palette.muted, clipTo: layout.map)
    } else {
        drawGrid(grid, scale: scale, model: model, state: state, palette: palette, depth: depth,
                 area: layout.map, into: &buffer, info: &info)
    }
    if let row = layout.status {
        buffer.fill(row, style: palette.normal)
        buffer.put(info.status, x: row.x, y: row.y, style: palette.normal, clipTo: row)
    }
    if let row = layout.hotspots, let line = model.hotspotLine {
        buffer.fill(row, style: palette.normal)
        buffer.put(line, x: row.x, y: row.y, style: palette.normal, clipTo: row)
    }
    if let row = layout.legend {
        buffer.fill(row, style: palette.normal)
        let spans = MapText.legend(model, scale: scale, zoom: state.zoom, palette: palette, width: row.width)
        var x = row.x
        for span in spans { x += buffer.put(span.text, x: x, y: row.y, style: span.style, clipTo: row) }
        info.legend = spans.map(\.text).joined()
    }
    return info
}

/// Where the viewport starts on one axis: at 0 when everything fits, else centred on the
/// cursor and held inside the grid, so it follows the cursor without stored scroll state.
func mapViewportOrigin(cursor: Int, total: Int, visible: Int) -> Int {
    let visible = max(1, visible)
    guard total > visible else { return 0 }
    return min(max(cursor - visible / 2, 0), total - visible)
}

private func drawGrid(_ grid: MapGrid, scale: MapHeatScale, model: MapModel, state: MapViewState,
                      palette: MapPalette, depth: ColorDepth, area: Rect,
                      into buffer: inout ScreenBuffer, info: inout MapRenderInfo) {
    guard !area.isEmpty else { return }
    let zoom = state.zoom
    let width = MapZoom.columnsPerBlock(zoom, blocksAcross: grid.cols, areaWidth: area.width)
    info.columnsPerBlock = width
    let cursor = grid.block(row: state.cursorRow, col: state.cursorCol)
    let firstRow = mapViewportOrigin(cursor: cursor.row, total: grid.rows, visible: area.height)
    let firstCol = mapViewportOrigin(cursor: cursor.col, total: grid.cols, visible: area.width / width)
    info.firstRow = grid.originRow + firstRow * grid.blockSize
    info.firstCol = grid.originCol + firstCol * grid.blockSize
    info.visibleRows = min(area.height, grid.rows - firstRow)
    info.visibleCols = min((area.width + width - 1) / width, grid.cols - firstCol)

    var highlight = (row: -1, col: -1)
    if let code = state.highlighted, let cell = model.cell(code: code) {
        highlight = grid.block(row: cell.row, col: cell.col)
    }
    let underlineBoundaries = depth != .none
    let levelGlyphs = MapGlyphs.levels
    // Levels once per block, not per character.
    var levels = [Int8](repeating: 0, count: grid.values.count)
    for i in levels.indices where grid.groups[i] >= 0 { levels[i] = Int8(scale.level(of: grid.values[i])) }

    // A row is drawn as one ASCII string, then restyled run by run: `put` per character is
    // the costly part of ScreenBuffer, `setStyle` on a run is cheap. The few boundary marks
    // (not ASCII) are placed afterwards.
    let glyphBytes = levelGlyphs.map { $0.asciiValue ?? 0x3F }
    let emptyByte = MapGlyphs.empty.asciiValue ?? 0x20, highlightByte = MapGlyphs.highlight.asciiValue ?? 0x21
    var text: [UInt8] = []
    text.reserveCapacity(area.width + 2)
    var runs: [(x: Int, count: Int, style: Int)] = []
    var marks: [(x: Int, style: Int)] = []
    for y in 0..<info.visibleRows {
        let br = firstRow + y
        let screenY = area.y + y
        text.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)
        marks.removeAll(keepingCapacity: true)
        var x = area.x
        func emit(_ byte: UInt8, _ style: Int) {
            if let last = runs.last, last.style == style {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((x, 1, style))
            }
            text.append(byte)
            x += 1
        }
        var bc = firstCol
        while x < area.maxX && bc < grid.cols {
            let i = br * grid.cols + bc
            let group = grid.groups[i]
            if group < 0 {
                // The cursor may rest on a position with no cell; it still has to show.
                let style = br == cursor.row && bc == cursor.col ? MapPalette.cursor : MapPalette.empty
                emit(emptyByte, style)
                if width == 2 { emit(emptyByte, style) }
                bc += 1
                continue
            }
            let level = Int(levels[i])
            let isCursor = br == cursor.row && bc == cursor.col
            let isHighlight = br == highlight.row && bc == highlight.col
            var base = 4 * level
            if underlineBoundaries, br + 1 < grid.rows {
                let below = grid.groups[i + grid.cols]
                if below >= 0 && below != group { base += MapPalette.underlined }
            }
            let special = isCursor ? MapPalette.cursor : isHighlight ? MapPalette.selected : -1
            let glyph = glyphBytes[level]
            if width == 1 {
                emit(isHighlight ? highlightByte : glyph, special >= 0 ? special : base)
            } else {
                emit(glyph, special >= 0 ? special : base)
                let right = bc + 1 < grid.cols ? grid.groups[i + 1] : -1
                if isHighlight {
                    emit(highlightByte, special)
                } else if right >= 0 && right != group {
                    let style = special >= 0 ? special : base + MapPalette.boundaryMark
                    marks.append((x, style))
                    emit(emptyByte, style)
                } else {
                    emit(glyph, special >= 0 ? special : base)
                }
            }
            bc += 1
        }
        if let first = runs.first {
            let line = String(decoding: text, as: UTF8.self)
            buffer.put(line, x: area.x, y: screenY, style: palette.styles[first.style], clipTo: area)
            for run in runs.dropFirst() {
                buffer.setStyle(palette.styles[run.style], in: Rect(x: run.x, y: screenY, width: run.count, height: 1).intersection(area))
            }
            for mark in marks {
                buffer.fill(Rect(x: mark.x, y: screenY, width: 1, height: 1).intersection(area),
                            with: MapGlyphs.boundary, style: palette.styles[mark.style])
            }
        }
        // Only what the grid left uncovered is cleared: filling first would write every cell twice.
        if x < area.maxX {
            buffer.fill(Rect(x: x, y: screenY, width: area.maxX - x, height: 1), style: palette.styles[MapPalette.empty])
        }
    }
    if info.visibleRows < area.height {
        buffer.fill(Rect(x: area.x, y: area.y + info.visibleRows, width: area.width, height: area.height - info.visibleRows),
                     style: palette.styles[MapPalette.empty])
    }
}
