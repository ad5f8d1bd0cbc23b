/// One unit grid cell as the map pane sees it: where it sits on the city grid, the
/// street (or other group) whose boundary it belongs inside, and the measure shown.
///
/// Plain values only, so the map never depends on Workflow: the screen that owns the
/// pane turns its read model into these.
struct MapCell: Sendable, Equatable {
    /// The 15-digit cell code.
    var code: String
    /// Position on the city grid; row 0 is north. Need not start at 0.
    var row: Int
    var col: Int
    /// The street code (or any grouping) whose edges are drawn as boundaries.
    var group: String
    /// The measure, e.g. open cases; zero or less counts as "nothing here".
    var value: Double
    /// What an operator calls the cell ("仁巷社区 007"); empty: the code is shown.
    var name: String = ""
}
