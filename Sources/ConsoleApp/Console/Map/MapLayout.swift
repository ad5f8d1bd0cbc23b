import Curses

/// How the pane's rect is split: the map on top, then the status line of the cell under
/// the cursor, the named hotspots (when the model lists them and there is room), then the legend.
/// Rows go to the map first when the rect is short.
struct MapLayout: Sendable, Equatable {
    var map: Rect
    var status: Rect?
    var hotspots: Rect?
    var legend: Rect?

    init(_ rect: Rect, showsStatusLine: Bool = true, listsHotspots: Bool = false) {
        let h = rect.height
        func row(_ i: Int) -> Rect { Rect(x: rect.x, y: rect.y + i, width: rect.width, height: 1) }
        if h >= 8 && showsStatusLine && listsHotspots {
            map = Rect(x: rect.x, y: rect.y, width: rect.width, height: h - 3)
            status = row(h - 3)
            hotspots = row(h - 2)
            legend = row(h - 1)
        } else if h >= 4 && showsStatusLine {
            map = Rect(x: rect.x, y: rect.y, width: rect.width, height: h - 2)
            status = row(h - 2)
            legend = row(h - 1)
        } else if h >= 2 {
            map = Rect(x: rect.x, y: rect.y, width: rect.width, height: h - 1)
            status = nil
            legend = row(h - 1)
        } else {
            map = rect
            status = nil
            legend = nil
        }
    }
}
