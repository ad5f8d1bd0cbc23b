import Curses

/// Mouse reports to state, as keys are: pure, and placed by the same layout render draws with (`ConsoleLayout`).
/// A click on a pane focuses it; on a queue or overdue board row it also selects the row (the case pane follows), on
/// an evaluation, follow-ups or patrol board row it selects that row; on the map it moves the cursor to the cell (or block) clicked. The
/// wheel scrolls the pane under the pointer without moving the focus, the evaluation board, the help, or a form's
/// list (the focused field's). Releases, drags and clicks outside the panes do nothing; while a form, an overlay, the
/// command line or the lock screen is up, the mouse does nothing else (the keyboard answers them).
enum MouseUpdate {
    /// Rows the wheel moves per notch.
    static let wheelStep = 3

    static func handle(_ event: MouseEvent, _ s: inout ConsoleState) -> [Effect] {
        guard s.lock == nil, s.commandLine == nil, !s.queue.filterEditing else { return [] }
        let delta: Int? = switch (event.action, event.button) {
        case (.wheel, .wheelUp): -wheelStep
        case (.wheel, .wheelDown): wheelStep
        default: nil
        }
        if s.overlay == .help {
            if let delta { HelpUpdate.scroll(by: delta, &s) }
            return []
        }
        if s.form != nil, s.overlay == nil {
            guard let delta else { return [] }
            // A list moves its highlight as the arrow keys do, one step at a time (a list nothing was picked from
            // picks its highlighted option first).
            return (0..<abs(delta)).flatMap { _ in FormUpdate.handle(delta > 0 ? .down : .up, &s) }
        }
        guard s.form == nil, s.overlay == nil else { return [] }
        let layout = ConsoleLayout(width: s.width, height: s.height)
        guard !layout.tooSmall else { return [] }
        // The evaluation board takes the whole body while shown, as render draws it.
        if s.queue.mode == .evaluation, layout.full || s.focus == .queue,
           EvaluationBoardLayout.rect(width: s.width, height: s.height).contains(x: event.x, y: event.y) {
            if let delta {
                EvaluationBoardUpdate.scroll(by: delta, &s)
            } else if event.action == .press, event.button == .left {
                s.focus = .queue
                EvaluationBoardUpdate.click(y: event.y, &s)
            }
            return []
        }
        // So does the follow-ups board: the wheel moves its highlight, a click selects the row clicked.
        if s.queue.mode == .followUps, layout.full || s.focus == .queue, layout.body.contains(x: event.x, y: event.y) {
            if let delta {
                FollowUpBoardUpdate.move(to: s.followUps.selected + delta, &s)
            } else if event.action == .press, event.button == .left {
                s.focus = .queue
                let row = event.y - FollowUpBoardView.inner(s).y - 1
                if row >= 0, row < FollowUpBoardView.pageRows(s), s.followUps.scroll + row < (s.followUps.items?.count ?? 0) {
                    FollowUpBoardUpdate.move(to: s.followUps.scroll + row, &s)
                }
            }
            return []
        }
        // And the patrol board: its rows start on the frame's first inner line.
        if s.queue.mode == .patrol, layout.full || s.focus == .queue, layout.body.contains(x: event.x, y: event.y) {
            if let delta {
                PatrolBoardUpdate.move(to: s.patrol.selected + delta, &s)
            } else if event.action == .press, event.button == .left {
                s.focus = .queue
                let row = event.y - PatrolBoardView.inner(s).y
                let count = s.patrol.reading.map { PatrolBoardView.rows($0).count } ?? 0
                if row >= 0, row < PatrolBoardView.pageRows(s), s.patrol.scroll + row < count {
                    PatrolBoardUpdate.move(to: s.patrol.scroll + row, &s)
                }
            }
            return []
        }
        guard let pane = pane(at: event.x, event.y, layout: layout, focus: s.focus) else { return [] }
        switch event.action {
        case .wheel:
            guard let delta else { return [] }
            return scroll(pane, by: delta, &s)
        case .press where event.button == .left:
            s.focus = pane
            switch pane {
            case .queue: return clickQueue(x: event.x, y: event.y, layout: layout, &s)
            case .map: clickMap(x: event.x, y: event.y, layout: layout, &s)
            case .detail: break
            }
            return []
        default:
            return []
        }
    }

    /// The pane drawn at (x, y): all three at full size, else only the focused one.
    static func pane(at x: Int, _ y: Int, layout: ConsoleLayout, focus: Pane) -> Pane? {
        let panes: [Pane] = layout.full ? [.queue, .detail, .map] : [focus]
        return panes.first { rect(of: $0, layout: layout, focus: focus).contains(x: x, y: y) }
    }

    static func rect(of pane: Pane, layout: ConsoleLayout, focus: Pane) -> Rect {
        switch pane {
        case .queue: layout.queuePane(focus: focus)
        case .detail: layout.detailPane(focus: focus)
        case .map: layout.mapPane(focus: focus)
        }
    }

    /// A click on a queue row selects it (the case pane loads it); the frame and the column titles only focus.
    static func clickQueue(x: Int, y: Int, layout: ConsoleLayout, _ s: inout ConsoleState) -> [Effect] {
        let inner = layout.queuePane(focus: s.focus).inset(by: 1)
        guard inner.contains(x: x, y: y), y > inner.y else { return [] }
        let index = s.queue.scroll + (y - inner.y - 1)
        guard index < s.queue.total else { return [] }
        return ConsoleUpdate.move(to: index, &s)
    }

    /// A click on the map moves the cursor to the cell (or block, zoomed out) drawn there; empty ground does not.
    static func clickMap(x: Int, y: Int, layout: ConsoleLayout, _ s: inout ConsoleState) {
        guard let (row, col) = mapCell(x: x, y: y, layout: layout, s) else { return }
        s.map.view.cursorRow = row
        s.map.view.cursorCol = col
        s.map.view = s.map.view.clamped(to: s.map.model)
    }

    /// The grid position of the block drawn at (x, y), placed as `renderMap` places it; nil off the grid or on an empty block.
    static func mapCell(x: Int, y: Int, layout: ConsoleLayout, _ s: ConsoleState) -> (row: Int, col: Int)? {
        let model = s.map.model
        guard !model.isEmpty else { return nil }
        let view = s.map.view.clamped(to: model)
        let area = MapLayout(layout.mapPane(focus: s.focus).inset(by: 1), showsStatusLine: view.showsStatusLine,
                             listsHotspots: model.hotspotLine != nil).map
        guard area.contains(x: x, y: y) else { return nil }
        let grid = model.grid(atZoom: view.zoom)
        let width = MapZoom.columnsPerBlock(view.zoom)
        let cursor = grid.block(row: view.cursorRow, col: view.cursorCol)
        let firstRow = mapViewportOrigin(cursor: cursor.row, total: grid.rows, visible: area.height)
        let firstCol = mapViewportOrigin(cursor: cursor.col, total: grid.cols, visible: area.width / width)
        let br = firstRow + (y - area.y), bc = firstCol + (x - area.x) / width
        guard br >= 0, br < grid.rows, bc >= 0, bc < grid.cols, !grid.isEmpty(row: br, col: bc) else { return nil }
        return (grid.originRow + br * grid.blockSize, grid.originCol + bc * grid.blockSize)
    }

    /// The wheel: the queue's selection (the case pane follows), the case pane's text, or the map's cursor.
    static func scroll(_ pane: Pane, by delta: Int, _ s: inout ConsoleState) -> [Effect] {
        switch pane {
        case .queue:
            let focus = s.focus
            s.focus = .queue
            defer { s.focus = focus }
            return ConsoleUpdate.move(to: s.queue.selected + delta, &s)
        case .detail:
            s.detail.scroll = max(0, s.detail.scroll + delta)
            return []
        case .map:
            s.map.view.move(delta > 0 ? .down : .up, in: s.map.model)
            return []
        }
    }
}
