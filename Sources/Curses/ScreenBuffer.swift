/// A frame as plain data: width × height cells that views paint into and the terminal
/// diffs against the frame it showed last (after ratatui's `Buffer`).
///
/// Drawing never writes outside the buffer or the given clip rect, never wraps onto
/// another row, and sanitises all text, so nothing unsafe can reach the terminal.
public struct ScreenBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    /// Graphemes longer than this (in scalars) are cut; no terminal draws more.
    static let maxScalarsPerCell = 32

    public init(width: Int, height: Int, style: Style = Style()) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell.blank(style), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "cell (\(x), \(y)) outside \(width)×\(height)")
        return cells[y * width + x]
    }

    /// The cell at (x, y), or nil outside the buffer.
    public func cell(x: Int, y: Int) -> Cell? {
        guard x >= 0 && x < width && y >= 0 && y < height else { return nil }
        return cells[y * width + x]
    }

    // MARK: Drawing

    /// Draws `text` (sanitised) on row `y` from column `x`, clipped to `clipTo` and the
    /// buffer. A wide character that would straddle a clip edge becomes a space.
    /// Returns the columns advanced from `x`, stopping at the clip's right edge (0 when
    /// the row is clipped away), so `x += buffer.put(...)` continues a line.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = Style(), clipTo: Rect? = nil) -> Int {
        let clip = (clipTo ?? bounds).intersection(bounds)
        guard !clip.isEmpty, y >= clip.y, y < clip.maxY else { return 0 }
        var col = x
        for character in TerminalText.sanitize(text) {
            if col >= clip.maxX { break }
            var grapheme = ScreenBuffer.capped(String(character))
            var w = TerminalText.width(of: character)
            if w == 0 {
                // A mark with no base in this text rides on the cell to its left.
                if col > clip.x, col <= clip.maxX, appendToCell(left: col, y: y, grapheme) { continue }
                grapheme = " " + grapheme
                w = 1
            }
            if col + w <= clip.x { col += w; continue }
            if col < clip.x || col + w > clip.maxX {
                // Straddles a clip edge: show the visible half as a space.
                let visible = max(col, clip.x)
                place(" ", width: 1, x: visible, y: y, style: style)
                col += w
                continue
            }
            place(grapheme, width: w, x: col, y: y, style: style)
            col += w
        }
        return max(0, min(col, clip.maxX) - x)
    }

    /// Fills `rect` (clipped) with `character` in `style`. A wide character fills pairs of
    /// columns, with a space in a last odd column.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = Style()) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        let cell = Cell(character, style: style)
        for y in area.y..<area.maxY {
            var x = area.x
            while x < area.maxX {
                if cell.width == 2 && x + 1 >= area.maxX {
                    place(" ", width: 1, x: x, y: y, style: style)
                    x += 1
                } else {
                    place(cell.grapheme, width: cell.width, x: x, y: y, style: style)
                    x += cell.width
                }
            }
        }
    }

    /// Sets the style of every cell in `rect` (clipped), keeping the characters.
    public mutating func setStyle(_ style: Style, in rect: Rect) {
        updateStyle(in: rect) { $0 = style }
    }

    /// Changes the style of every cell in `rect` (clipped), keeping the characters; both
    /// halves of a wide character always end up with the same style.
    public mutating func updateStyle(in rect: Rect, _ change: (inout Style) -> Void) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                let i = y * width + x
                change(&cells[i].style)
                if cells[i].width == 2, x + 1 < width { cells[i + 1].style = cells[i].style }
                if cells[i].width == 0, x > 0, x == area.x { cells[i - 1].style = cells[i].style }
            }
        }
    }

    /// Draws a single-line box around the edge of `rect` (Unicode box drawing, or
    /// `+ - |` when `ascii`), with an optional title in the top edge. The inside is left
    /// alone. Rects less than two cells across draw what fits.
    public mutating func drawBox(_ rect: Rect, style: Style = Style(), ascii: Bool = false,
                                 title: String? = nil, titleStyle: Style? = nil) {
        let area = rect.intersection(bounds)
        guard !rect.isEmpty, !area.isEmpty else { return }
        let glyphs: (h: Character, v: Character, tl: Character, tr: Character, bl: Character, br: Character) =
            ascii ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        if rect.height == 1 {
            fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), with: glyphs.h, style: style)
        } else if rect.width == 1 {
            fill(Rect(x: rect.x, y: rect.y, width: 1, height: rect.height), with: glyphs.v, style: style)
        } else {
            fill(Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1), with: glyphs.h, style: style)
            fill(Rect(x: rect.x + 1, y: bottom, width: rect.width - 2, height: 1), with: glyphs.h, style: style)
            fill(Rect(x: rect.x, y: rect.y + 1, width: 1, height: rect.height - 2), with: glyphs.v, style: style)
            fill(Rect(x: right, y: rect.y + 1, width: 1, height: rect.height - 2), with: glyphs.v, style: style)
            for (cx, cy, glyph) in [(rect.x, rect.y, glyphs.tl), (right, rect.y, glyphs.tr),
                                    (rect.x, bottom, glyphs.bl), (right, bottom, glyphs.br)] {
                fill(Rect(x: cx, y: cy, width: 1, height: 1), with: glyph, style: style)
            }
        }
        if let title, !title.isEmpty, rect.width > 4 {
            let titleClip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
            put(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle ?? style, clipTo: titleClip)
        }
    }

    // MARK: Diff

    /// The cells that differ from `old`, in row-major order. When the sizes differ (or
    /// there is no old frame) every cell counts as changed.
    public func changes(since old: ScreenBuffer?) -> [(x: Int, y: Int, cell: Cell)] {
        var result: [(x: Int, y: Int, cell: Cell)] = []
        guard let old, old.width == width, old.height == height else {
            result.reserveCapacity(cells.count)
            for (i, cell) in cells.enumerated() { result.append((i % width, i / width, cell)) }
            return result
        }
        for i in cells.indices where cells[i] != old.cells[i] {
            result.append((i % width, i / width, cells[i]))
        }
        return result
    }

    // MARK: Text (for tests)

    /// The plain text of row `y`: each grapheme once, continuation cells skipped.
    public func line(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var s = ""
        for cell in cells[(y * width)..<((y + 1) * width)] where cell.width > 0 {
            s += cell.grapheme
        }
        return s
    }

    public func lines() -> [String] { (0..<height).map(line) }

    // MARK: Cell placement

    static func capped(_ grapheme: String) -> String {
        let scalars = grapheme.unicodeScalars
        guard scalars.count > maxScalarsPerCell else { return grapheme }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars.prefix(maxScalarsPerCell))
        return String(view)
    }

    /// Writes one grapheme of `width` 1 or 2 at (x, y), first breaking any wide character
    /// it overlaps so no half of one is left behind.
    mutating func place(_ grapheme: String, width w: Int, x: Int, y: Int, style: Style) {
        guard x >= 0, y >= 0, y < height, x + w <= width else { return }
        let i = y * width + x
        detachWide(at: i, x: x)
        if w == 2 { detachWide(at: i + 1, x: x + 1) }
        cells[i] = Cell(unchecked: grapheme, width: w, style: style)
        if w == 2 { cells[i + 1] = .continuation(style) }
    }

    private mutating func detachWide(at i: Int, x: Int) {
        let cell = cells[i]
        if cell.width == 0, x > 0 {
            cells[i - 1] = .blank(cells[i - 1].style)
            cells[i] = .blank(cell.style)
        } else if cell.width == 2, x + 1 < width {
            cells[i + 1] = .blank(cells[i + 1].style)
        }
    }

    /// Appends a zero-width grapheme to the cell left of column `x`; false if none fits.
    private mutating func appendToCell(left x: Int, y: Int, _ mark: String) -> Bool {
        guard x - 1 >= 0, x - 1 < width, y >= 0, y < height else { return false }
        var i = y * width + x - 1
        if cells[i].width == 0 && x - 2 >= 0 { i -= 1 }
        guard cells[i].width > 0 else { return false }
        if cells[i].grapheme.unicodeScalars.count + mark.unicodeScalars.count > ScreenBuffer.maxScalarsPerCell { return true }
        cells[i].grapheme += mark
        return true
    }
}
