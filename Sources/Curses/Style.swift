/// Text attributes a terminal can show without colour.
public struct TextAttributes: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = TextAttributes(rawValue: 1 << 0)
    public static let dim = TextAttributes(rawValue: 1 << 1)
    public static let italic = TextAttributes(rawValue: 1 << 2)
    public static let underline = TextAttributes(rawValue: 1 << 3)
    public static let reverse = TextAttributes(rawValue: 1 << 4)
    public static let blink = TextAttributes(rawValue: 1 << 5)

    /// Each attribute with the name theme files use, in a fixed order.
    public static let named: [(name: String, attribute: TextAttributes)] = [
        ("bold", .bold), ("dim", .dim), ("italic", .italic),
        ("underline", .underline), ("reverse", .reverse), ("blink", .blink),
    ]

    public init?(name: String) {
        guard let entry = TextAttributes.named.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = entry.attribute
    }

    public var names: [String] { TextAttributes.named.filter { contains($0.attribute) }.map(\.name) }
    public var description: String { "[" + names.joined(separator: ", ") + "]" }
}

/// How a cell looks: colours, attributes, and the attributes to use instead when the
/// terminal has no colour (so states told apart by colour stay distinguishable).
public struct Style: Hashable, Sendable, CustomStringConvertible {
    public var fg: Color
    public var bg: Color
    public var attributes: TextAttributes
    /// Attributes that replace `attributes` on a terminal without colour; nil → `attributes`.
    public var mono: TextAttributes?

    public init(fg: Color = .default, bg: Color = .default, attributes: TextAttributes = [], mono: TextAttributes? = nil) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
        self.mono = mono
    }

    public static let plain = Style()

    /// The style as a terminal of `depth` will show it: colours downgraded and, without
    /// colour, the monochrome attributes.
    public func adapted(to depth: ColorDepth) -> Style {
        if depth == .none {
            return Style(attributes: mono ?? attributes)
        }
        return Style(fg: fg.downgraded(to: depth), bg: bg.downgraded(to: depth), attributes: attributes, mono: mono)
    }

    public func adding(_ extra: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(extra)
        if let m = mono { copy.mono = m.union(extra) }
        return copy
    }

    public func with(fg: Color? = nil, bg: Color? = nil) -> Style {
        var copy = self
        if let fg { copy.fg = fg }
        if let bg { copy.bg = bg }
        return copy
    }

    public var description: String {
        var parts = ["fg: \(fg)", "bg: \(bg)"]
        if !attributes.isEmpty { parts.append("attributes: \(attributes)") }
        if let mono { parts.append("mono: \(mono)") }
        return "Style(" + parts.joined(separator: ", ") + ")"
    }
}
