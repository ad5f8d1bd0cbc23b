import Curses

/// Keys in the help overlay: it scrolls like a pager (j/k, ↓/↑, PgDn/PgUp, Space, g/G, Home/End) and closes on
/// Esc, ?, q or Enter.
enum HelpUpdate {
    static func handle(_ key: Key, _ s: inout ConsoleState) -> [Effect] {
        let page = max(1, HelpContent.visibleRows(width: s.width, height: s.height) - 1)
        let bottom = HelpContent.maxScroll(s)
        // A resize since the last key may have left the page past the end.
        var scroll = min(s.helpScroll, bottom)
        switch key {
        case .escape, .character("?"), .character("q"), .enter:
            s.overlay = nil
            s.helpScroll = 0
            return []
        case .down, .character("j"): scroll += 1
        case .up, .character("k"): scroll -= 1
        case .pageDown, .ctrl("f"), .character(" "): scroll += page
        case .pageUp, .ctrl("b"): scroll -= page
        case .home, .character("g"): scroll = 0
        case .end, .character("G"): scroll = bottom
        default: return []
        }
        s.helpScroll = min(max(0, scroll), bottom)
        return []
    }

    /// Scrolls by `delta` lines (the mouse wheel), within the help.
    static func scroll(by delta: Int, _ s: inout ConsoleState) {
        s.helpScroll = min(max(0, s.helpScroll + delta), HelpContent.maxScroll(s))
    }
}
