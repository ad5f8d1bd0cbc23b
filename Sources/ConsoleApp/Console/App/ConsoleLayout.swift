import Curses

/// Where the panes are for a frame size: a header line, the panes, a line of key hints and the status line. At 80×24
/// and above the queue, case and map panes show together; below that only the focused pane; below 20×5 nothing.
/// Update works the layout facts out from it (rows per page, the map's fit); render draws into the same rects.
struct ConsoleLayout {
    static let minimumFull = (width: 80, height: 24)
    let width: Int
    let height: Int

    var tooSmall: Bool { width < 20 || height < 5 }
    var full: Bool { width >= Self.minimumFull.width && height >= Self.minimumFull.height }
    var header: Rect { Rect(x: 0, y: 0, width: width, height: 1) }
    var body: Rect { Rect(x: 0, y: 1, width: width, height: height - 3) }
    var footer: Rect { Rect(x: 0, y: height - 2, width: width, height: 1) }
    var statusLine: Rect { Rect(x: 0, y: height - 1, width: width, height: 1) }

    private var columns: [Rect] { Layout.split(body, direction: .horizontal, constraints: [.percentage(60), .fill(1)]) }
    private var left: [Rect] { Layout.split(columns[0], direction: .vertical, constraints: [.percentage(58), .fill(1)]) }

    /// The queue (or evaluation board), case and map panes; below the full size each is the body when it has the focus.
    func queuePane(focus: Pane) -> Rect { full ? left[0] : body }
    func detailPane(focus: Pane) -> Rect { full ? left[1] : body }
    func mapPane(focus: Pane) -> Rect { full ? columns[1] : body }
}
