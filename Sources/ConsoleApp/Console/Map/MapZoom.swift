import Curses

/// Zoom levels. 1 is finest: a cell takes 2 columns × 1 row, which looks square since
/// terminal glyphs are about twice as tall as wide. 2: a cell per column. k ≥ 3: a block
/// of (k-1) × (k-1) cells per column, "zoomed out to street level".
enum MapZoom {
    static let finest = 1
    /// 8 × 8 cells a character: a district of ~1,600 cells fits in a few dozen characters.
    static let coarsest = 9

    static func blockSize(_ zoom: Int) -> Int { zoom <= 2 ? 1 : zoom - 1 }

    /// Terminal columns one block takes.
    static func columnsPerBlock(_ zoom: Int) -> Int { zoom <= 1 ? 2 : 1 }

    /// Terminal columns one block takes in a pane `areaWidth` columns wide: a zoomed-out block takes 2, square like
    /// a zoom-1 cell, when the region's whole width fits so, so that a big pane shows a big map.
    static func columnsPerBlock(_ zoom: Int, blocksAcross: Int, areaWidth: Int) -> Int {
        zoom >= 3 && blocksAcross * 2 <= areaWidth ? 2 : columnsPerBlock(zoom)
    }

    /// "zoom 1" or "zoom 4 (3x3)"; ASCII only, so it has the same width everywhere.
    static func label(_ zoom: Int, chinese: Bool = false) -> String {
        let size = blockSize(zoom)
        let word = chinese ? "缩放" : "zoom"
        return size == 1 ? "\(word) \(zoom)" : "\(word) \(zoom) (\(size)x\(size))"
    }
}

/// The finest zoom at which the whole region fits the map part of `rect`; the coarsest
/// zoom when nothing fits, and the map then scrolls with the cursor.
func fitZoom(_ model: MapModel, _ rect: Rect, showsStatusLine: Bool = true) -> Int {
    guard let bounds = model.bounds else { return MapZoom.finest }
    let area = MapLayout(rect, showsStatusLine: showsStatusLine, listsHotspots: model.hotspotLine != nil).map
    let top = model.maxZoom
    for zoom in MapZoom.finest...top {
        let size = MapZoom.blockSize(zoom)
        let width = (bounds.cols + size - 1) / size * MapZoom.columnsPerBlock(zoom)
        let height = (bounds.rows + size - 1) / size
        if width <= area.width && height <= area.height { return zoom }
    }
    return top
}
