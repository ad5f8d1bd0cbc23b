import Curses

/// The console's look: the style names its views use and its built-in themes (themes/*.yaml, embedded).
/// Curses only loads and parses themes; what the styles are called and which themes ship is decided here.
enum ConsoleThemes {
    /// The style names the console uses; every shipped theme defines all of them.
    static let styleNames: [String] = [
        "normal", "muted", "header", "title", "border", "border.focus", "selection",
        "selection.inactive", "status", "status.key", "hint", "error", "warning", "ok", "new",
        "marked", "urgent", "due.green", "due.yellow", "due.red",
    ] + (0...9).map { "heat.\($0)" } + [
        "map.cursor", "map.boundary", "map.empty", "map.selected-case", "overlay", "input", "input.focus",
    ]

    /// The shipped themes; the first, `default` (dark background), is the fallback.
    static let catalog = ThemeCatalog(builtins: BuiltinThemes.all)
}

extension Theme {
    /// The console's built-in dark theme, always available.
    static var `default`: Theme { ConsoleThemes.catalog.fallback }

    static var builtinNames: [String] { ConsoleThemes.catalog.names }

    static func builtin(named name: String) -> Theme? { ConsoleThemes.catalog.builtin(named: name) }

    /// The console's theme by name or path: theme files first, then the built-in themes, else the default
    /// theme and a message naming the file and line (see `ThemeCatalog.load`).
    static func load(nameOrPath: String, searchDirectories: [String] = []) -> LoadResult {
        ConsoleThemes.catalog.load(nameOrPath: nameOrPath, searchDirectories: searchDirectories)
    }

    /// The console's style names this theme leaves to `normal`.
    var missingStyleNames: [String] { undefinedStyleNames(among: ConsoleThemes.styleNames) }
}
