/// One screen cell: a grapheme cluster, the columns it takes, and its style.
///
/// A wide grapheme (width 2) is followed by a continuation cell (width 0, empty
/// grapheme) holding the right half. Graphemes are always sanitised, so nothing in a
/// cell can move the cursor or change terminal state.
public struct Cell: Hashable, Sendable {
    public internal(set) var grapheme: String
    /// 1 or 2 for a cell that starts a grapheme, 0 for the right half of a wide one.
    public internal(set) var width: Int
    public var style: Style

    /// A cell showing `character` (sanitised; a zero-width one is drawn on a space).
    /// Wide characters need a continuation cell: draw them with `ScreenBuffer.put`.
    public init(_ character: Character = " ", style: Style = Style()) {
        let clean = TerminalText.sanitize(String(character)).first ?? " "
        let w = TerminalText.width(of: clean)
        self.init(unchecked: w == 0 ? " " + String(clean) : String(clean), width: w == 0 ? 1 : w, style: style)
    }

    init(unchecked grapheme: String, width: Int, style: Style) {
        self.grapheme = grapheme
        self.width = width
        self.style = style
    }

    public static let blank = Cell(unchecked: " ", width: 1, style: Style())

    static func blank(_ style: Style) -> Cell { Cell(unchecked: " ", width: 1, style: style) }
    static func continuation(_ style: Style) -> Cell { Cell(unchecked: "", width: 0, style: style) }

    public var isContinuation: Bool { width == 0 }
}
