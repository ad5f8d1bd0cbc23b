import Curses

/// The words around the map: the status line of the cursor and the legend.
enum MapText {
    struct Span: Sendable, Equatable {
        var text: String
        var style: Style
    }

    /// "110101004012007  open cases 12  street 110101004", or at a coarse zoom
    /// "3x3 block: open cases 57 in 9 cells, mostly street 110101004".
    static func status(_ model: MapModel, state: MapViewState, grid: MapGrid) -> String {
        let zh = model.chinese
        guard model.bounds != nil else { return zh ? "无网格" : "no cells" }
        let measure = model.legendLabel.isEmpty ? (zh ? "数值" : "value") : model.legendLabel
        let size = grid.blockSize
        if size == 1 {
            guard let cell = state.cellUnderCursor(model) else {
                return zh ? "第 \(state.cursorRow) 行第 \(state.cursorCol) 列无网格" : "no cell at row \(state.cursorRow), col \(state.cursorCol)"
            }
            let value = MapHeatScale.format(cell.value)
            guard !cell.name.isEmpty else { return "\(cell.code)  \(measure) \(value)  \(model.groupLabel) \(cell.group)" }
            // Named: the place first, by name, as an operator says it; the code last, for the record.
            return "\(cell.name)  \(model.groupNames[cell.group] ?? cell.group)  \(measure) \(value)  \(cell.code)"
        }
        let b = grid.block(row: state.cursorRow, col: state.cursorCol)
        let i = b.row * grid.cols + b.col
        guard grid.groups[i] >= 0 else { return zh ? "\(size)x\(size) 区块：无网格" : "\(size)x\(size) block: no cells" }
        let value = MapHeatScale.format(grid.values[i])
        let groupCode = model.groups[Int(grid.groups[i])]
        // A named group says what it is ("和平里街道"); a code needs the word ("street 110101010").
        let group = model.groupNames[groupCode] ?? (model.groupLabel + " " + groupCode)
        if zh { return "\(size)x\(size) 区块：\(measure) \(value)，共 \(grid.counts[i]) 个网格，主要属于\(group)" }
        let cells = grid.counts[i] == 1 ? "1 cell" : "\(grid.counts[i]) cells"
        return "\(size)x\(size) block: \(measure) \(value) in \(cells), mostly \(group)"
    }

    /// The legend, as many parts as fit `width`: the title, the measure, a swatch and the
    /// smallest value of each level the values reach, and the zoom. When space is short the
    /// title goes first, then the wide gaps, the measure and the zoom; the scale stays.
    static func legend(_ model: MapModel, scale: MapHeatScale, zoom: Int, palette: MapPalette, width: Int) -> [Span] {
        let heat = palette.heat
        let entries = scale.legendEntries()
        func scaleSpans(gap: String) -> [Span] {
            var spans: [Span] = []
            for (n, entry) in entries.enumerated() {
                // The gap goes with the muted number, so swatches stay one column wide.
                let tail = n == entries.count - 1 ? "" : gap
                spans.append(Span(text: String(MapGlyphs.level(entry.level)), style: heat[entry.level]))
                spans.append(Span(text: " " + entry.label + tail, style: palette.muted))
            }
            return spans
        }
        // Callers often title the pane with the measure itself; say it once.
        let showsTitle = !model.title.isEmpty && model.title != model.legendLabel
        let title = showsTitle ? [Span(text: model.title, style: palette.header), Span(text: "  ", style: palette.normal)] : []
        let label = model.legendLabel.isEmpty ? [] : [Span(text: model.legendLabel, style: palette.normal), Span(text: "  ", style: palette.normal)]
        let zoomSpan = [Span(text: "  " + MapZoom.label(zoom, chinese: model.chinese), style: palette.muted)]
        let candidates: [[Span]] = [
            title + label + scaleSpans(gap: "  ") + zoomSpan,
            label + scaleSpans(gap: "  ") + zoomSpan,
            label + scaleSpans(gap: " ") + zoomSpan,
            scaleSpans(gap: " ") + zoomSpan,
            scaleSpans(gap: " "),
        ]
        for spans in candidates where TerminalText.width(spans.map(\.text).joined()) <= width {
            return spans
        }
        return candidates[candidates.count - 1]
    }
}
