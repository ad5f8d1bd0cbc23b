import Foundation
import Yams

/// Semantic style names mapped to styles, read from a hand-editable YAML file:
///
/// ```yaml
/// name: default
/// description: Dark background
/// styles:
///   normal: { fg: "#d0d0d0", bg: default }
///   due.red: { fg: red, bold: true }
///   heat.9: { fg: "#ff0000", bg: "#400000", mono: [bold, reverse] }
/// ```
///
/// Colours: `default`, black red green yellow blue magenta cyan white, `bright-<name>`,
/// 0–255 (xterm palette) or "#rrggbb" (quoted: `#` starts a YAML comment). Attributes:
/// bold, dim, italic, underline, reverse, blink (true/false). `mono:` lists the
/// attributes used when the terminal has no colour. A style that leaves out `fg` or
/// `bg` takes it from `normal`; a style the file leaves out is `normal`.
public struct Theme: Hashable, Sendable {
    public var name: String
    public var description: String
    public private(set) var styles: [String: Style]

    public init(name: String, description: String = "", styles: [String: Style]) {
        self.name = name
        self.description = description
        self.styles = styles
    }

    /// The style called `name`, or `normal` when the theme does not define it.
    public subscript(_ name: String) -> Style {
        styles[name] ?? styles["normal"] ?? Style()
    }

    public func style(_ name: String) -> Style { self[name] }

    /// The names among `names` this theme leaves to `normal` (a program checks its own style names).
    public func undefinedStyleNames(among names: [String]) -> [String] { names.filter { styles[$0] == nil } }

    // MARK: Loading

    /// What `load` found: the theme to use, where it came from, and a message to show
    /// when it fell back to the default theme.
    public struct LoadResult: Sendable {
        public var theme: Theme
        /// The file read, or "built-in".
        public var origin: String
        /// Why the default theme is used instead of the one asked for; nil when all went well.
        public var problem: String?
    }

    static func loadFile(_ path: String, fallback: Theme) -> LoadResult {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            return LoadResult(theme: fallback, origin: "built-in",
                              problem: "\(TerminalText.sanitize(path)): cannot read theme file; using \(fallback.name)")
        }
        do {
            return LoadResult(theme: try parse(text, source: path), origin: path)
        } catch {
            return LoadResult(theme: fallback, origin: "built-in", problem: error.description + "; using \(fallback.name)")
        }
    }

    // MARK: Parsing

    /// Parses a theme file. `source` names it in error messages.
    public static func parse(_ yaml: String, source: String) throws(ThemeError) -> Theme {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ThemeError(yamlError: error, source: source)
        } catch {
            throw ThemeError(source: source, line: nil, message: "\(error)")
        }
        guard let root else { throw ThemeError(source: source, line: 1, message: "the file is empty") }
        guard let top = root.mapping else {
            throw ThemeError(source: source, line: root.mark?.line, message: "expected keys name, description and styles")
        }
        var name = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        var description = ""
        var rawStyles: [(name: String, line: Int?, style: PartialStyle)] = []
        for (key, value) in top {
            guard let keyName = key.scalar?.string else {
                throw ThemeError(source: source, line: key.mark?.line, message: "expected a key name")
            }
            switch keyName {
            case "name":
                guard let s = value.scalar?.string, !s.isEmpty else {
                    throw ThemeError(source: source, line: value.mark?.line ?? key.mark?.line, message: "name: expected text")
                }
                name = s
            case "description":
                guard let s = value.scalar?.string else {
                    throw ThemeError(source: source, line: value.mark?.line ?? key.mark?.line, message: "description: expected text")
                }
                description = s
            case "styles":
                if value.scalar?.string == "" { continue }  // `styles:` with nothing under it
                guard let mapping = value.mapping else {
                    throw ThemeError(source: source, line: value.mark?.line ?? key.mark?.line,
                                     message: "styles: expected a mapping of style names to styles")
                }
                for (styleKey, styleValue) in mapping {
                    guard let styleName = styleKey.scalar?.string, isValidStyleName(styleName) else {
                        throw ThemeError(source: source, line: styleKey.mark?.line,
                                         message: "bad style name '\(TerminalText.sanitize(styleKey.scalar?.string ?? "?"))' (use letters, digits, '.', '-', '_')")
                    }
                    let partial = try PartialStyle.parse(styleValue, styleName: styleName, keyLine: styleKey.mark?.line, source: source)
                    rawStyles.append((styleName, styleKey.mark?.line, partial))
                }
            default:
                throw ThemeError(source: source, line: key.mark?.line,
                                 message: "unknown key '\(TerminalText.sanitize(keyName))' (expected name, description, styles)")
            }
        }
        let normalPartial = rawStyles.first(where: { $0.name == "normal" })?.style ?? PartialStyle()
        let normal = normalPartial.resolved(inheriting: Style())
        var styles: [String: Style] = ["normal": normal]
        for entry in rawStyles where entry.name != "normal" {
            styles[entry.name] = entry.style.resolved(inheriting: normal)
        }
        return Theme(name: name, description: description, styles: styles)
    }

    static func isValidStyleName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { s in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_")
        }
    }
}

/// A style as written in a theme file, before `fg`/`bg` are inherited from `normal`.
struct PartialStyle: Hashable, Sendable {
    var fg: Color?
    var bg: Color?
    var attributes: TextAttributes = []
    var mono: TextAttributes?

    func resolved(inheriting base: Style) -> Style {
        Style(fg: fg ?? base.fg, bg: bg ?? base.bg, attributes: attributes, mono: mono)
    }

    static let keys = ["fg", "bg", "mono"] + TextAttributes.named.map(\.name)

    static func parse(_ node: Node, styleName: String, keyLine: Int?, source: String) throws(ThemeError) -> PartialStyle {
        func fail(_ line: Int?, _ message: String) -> ThemeError {
            ThemeError(source: source, line: line ?? keyLine, style: styleName, message: message)
        }
        if node.scalar?.string == "" { return PartialStyle() }  // `name:` alone, or `name: ~`
        guard let mapping = node.mapping else {
            throw fail(node.mark?.line, "expected a mapping such as { fg: red, bold: true }")
        }
        var style = PartialStyle()
        for (key, value) in mapping {
            guard let field = key.scalar?.string else { throw fail(key.mark?.line, "expected a key") }
            let line = value.mark?.line ?? key.mark?.line
            switch field {
            case "fg", "bg":
                guard let text = value.scalar?.string, !text.isEmpty else {
                    throw fail(line, "\(field): missing colour (write \"#rrggbb\" in quotes: # starts a comment)")
                }
                guard let color = Color(name: text) else {
                    throw fail(line, "\(field): unknown colour '\(TerminalText.sanitize(text))' (expected default, a name such as red or bright-red, 0-255, or \"#rrggbb\")")
                }
                if field == "fg" { style.fg = color } else { style.bg = color }
            case "mono":
                var attributes: TextAttributes = []
                let items: [Node]
                if let sequence = value.sequence {
                    items = Array(sequence)
                } else if let scalar = value.scalar, scalar.string == "" || scalar.string == "none" {
                    items = []
                } else if value.scalar != nil {
                    items = [value]
                } else {
                    throw fail(line, "mono: expected a list of attributes such as [bold, reverse]")
                }
                for item in items {
                    let text = item.scalar?.string ?? ""
                    guard let attribute = TextAttributes(name: text) else {
                        throw fail(item.mark?.line ?? line, "mono: unknown attribute '\(TerminalText.sanitize(text))' (expected \(TextAttributes.named.map(\.name).joined(separator: ", ")))")
                    }
                    attributes.insert(attribute)
                }
                style.mono = attributes
            default:
                guard let attribute = TextAttributes(name: field), field == field.lowercased() else {
                    throw fail(key.mark?.line, "unknown key '\(TerminalText.sanitize(field))' (expected \(keys.joined(separator: ", ")))")
                }
                guard let on = value.bool else {
                    throw fail(line, "\(field): expected true or false, not '\(TerminalText.sanitize(value.scalar?.string ?? "a list"))'")
                }
                if on { style.attributes.insert(attribute) } else { style.attributes.remove(attribute) }
            }
        }
        return style
    }
}

/// A theme file that cannot be used, with the place to fix it.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file (or "built-in theme NAME").
    public var source: String
    /// 1-based line, when known.
    public var line: Int?
    /// The style being read, when the problem is inside one.
    public var style: String?
    public var message: String

    public init(source: String, line: Int?, style: String? = nil, message: String) {
        self.source = source
        self.line = line
        self.style = style
        self.message = message
    }

    init(yamlError: YamlError, source: String) {
        self.source = source
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            line = mark.line
            message = "not valid YAML: \(problem)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            line = context.mark.line > 0 ? context.mark.line : nil
            message = "duplicate key '\(duplicates.joined(separator: "', '"))'"
        case .reader(let problem, _, _, _):
            line = nil
            message = "cannot read: \(problem)"
        default:
            line = nil
            message = "not valid YAML"
        }
    }

    /// "themes/x.yaml:12: style 'due.red': unknown colour 'purpel' (…)".
    public var description: String {
        var s = TerminalText.sanitize(source)
        if let line { s += ":\(line)" }
        s += ": "
        if let style { s += "style '\(TerminalText.sanitize(style))': " }
        return s + TerminalText.sanitize(message)
    }
}
