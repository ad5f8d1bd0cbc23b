import Foundation

/// A program's built-in themes, embedded as YAML text so its binary works without theme files beside it.
/// The first one is the fallback: what `load` gives when the theme asked for cannot be used. Which themes
/// exist and which style names they define is the program's business; the catalog only finds and parses.
public struct ThemeCatalog: Sendable {
    public let builtins: [(name: String, yaml: String)]
    /// The first built-in theme, parsed once (a theme with no styles if it does not parse).
    public let fallback: Theme

    public init(builtins: [(name: String, yaml: String)]) {
        self.builtins = builtins
        let first = builtins.first
        fallback = first.flatMap { try? Theme.parse($0.yaml, source: "built-in theme \($0.name)") }
            ?? Theme(name: first?.name ?? "default", styles: [:])
    }

    public var names: [String] { builtins.map(\.name) }

    public func builtin(named name: String) -> Theme? {
        guard let entry = builtins.first(where: { $0.name == name }) else { return nil }
        return try? Theme.parse(entry.yaml, source: "built-in theme \(name)")
    }

    /// Loads a theme by name or path. A name ("light") is looked up as `<name>.yaml` in
    /// `searchDirectories`, in order, then among the built-in themes; anything with a "/"
    /// or ending in .yaml/.yml is a path. A missing, unreadable or broken file gives the
    /// fallback theme plus a message naming the file and line.
    public func load(nameOrPath: String, searchDirectories: [String] = []) -> Theme.LoadResult {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
        if isPath { return Theme.loadFile(nameOrPath, fallback: fallback) }
        for directory in searchDirectories {
            let path = (directory as NSString).appendingPathComponent(nameOrPath + ".yaml")
            if FileManager.default.fileExists(atPath: path) { return Theme.loadFile(path, fallback: fallback) }
        }
        if let theme = builtin(named: nameOrPath) { return Theme.LoadResult(theme: theme, origin: "built-in") }
        return Theme.LoadResult(
            theme: fallback, origin: "built-in",
            problem: "unknown theme '\(TerminalText.sanitize(nameOrPath))' (built-in: \(names.joined(separator: ", "))); using \(fallback.name)")
    }
}
