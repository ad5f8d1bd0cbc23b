import Curses

/// Every style the map draws with, looked up in the theme and adapted to the terminal
/// once per frame, so the draw loop picks styles by index instead of by name.
struct MapPalette: Sendable {
    /// Heat level L has four variants at `4 * L + variant`: plain, underlined (a street
    /// boundary below), boundary mark, boundary mark underlined.
    static let underlined = 1, boundaryMark = 2
    static let cursor = 4 * MapHeatScale.levels
    static let selected = cursor + 1
    static let empty = cursor + 2

    let styles: [Style]
    let normal: Style
    let muted: Style
    let header: Style
    /// The plain style of each heat level, for legend swatches.
    var heat: [Style] { (0..<MapHeatScale.levels).map { styles[4 * $0] } }

    init(theme: Theme, depth: ColorDepth) {
        let mono = depth == .none
        let boundary = theme["map.boundary"]
        var styles: [Style] = []
        styles.reserveCapacity(MapPalette.empty + 1)
        for level in 0..<MapHeatScale.levels {
            let heat = theme["heat.\(level)"]
            // The mark keeps the cell's heat background so a street's colour is unbroken.
            let mark = boundary.with(bg: heat.bg)
            // Without colour, underline already means a heat level, so only `│` marks streets.
            let underline: TextAttributes = mono ? [] : .underline
            styles += [heat, heat.adding(underline), mark, mark.adding(underline)].map { $0.adapted(to: depth) }
        }
        styles.append(theme["map.cursor"].adapted(to: depth))
        styles.append(theme["map.selected-case"].adapted(to: depth))
        styles.append(theme["map.empty"].adapted(to: depth))
        self.styles = styles
        normal = theme["normal"].adapted(to: depth)
        muted = theme["muted"].adapted(to: depth)
        header = theme["header"].adapted(to: depth)
    }
}
