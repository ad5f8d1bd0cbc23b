/// The characters of the map, ASCII wherever possible so that the width is the same in
/// every terminal and locale, and the level is readable with no colour at all.
enum MapGlyphs {
    /// Level 0…9, sparse to dense; level 0 (a cell with nothing) is a dot, so it differs
    /// from a grid position with no cell, which is blank.
    static let levels: [Character] = [".", ":", "-", "=", "+", "*", "o", "#", "%", "@"]
    static let empty: Character = " "
    /// Drawn in the second column of a zoom-1 cell whose right neighbour is in another street.
    static let boundary: Character = "│"
    /// Marks the cell of the selected case (replacing the boundary or second glyph at
    /// zoom 1, the level glyph at coarser zooms).
    static let highlight: Character = "!"

    static func level(_ level: Int) -> Character { levels[min(max(level, 0), levels.count - 1)] }
}
