import Foundation

/// A terminal colour. `.ansi` is one of the 16 named colours (0–7 normal, 8–15 bright),
/// `.index` one of the 256 xterm palette entries, `.rgb` a 24-bit colour.
public enum Color: Hashable, Sendable, CustomStringConvertible {
    case `default`
    case ansi(UInt8)
    case index(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.ansi(0), red = Color.ansi(1), green = Color.ansi(2)
    public static let yellow = Color.ansi(3), blue = Color.ansi(4), magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6), white = Color.ansi(7)

    /// Names accepted in theme files, in palette order.
    public static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses "default", a colour name ("red", "bright-red"), a palette number "0"…"255"
    /// or "#rrggbb".
    public init?(name: String) {
        let s = name.trimmingCharacters(in: .whitespaces).lowercased()
        if s == "default" { self = .default; return }
        if let i = Color.names.firstIndex(of: s) { self = .ansi(UInt8(i)); return }
        for prefix in ["bright-", "bright_", "bright"] where s.hasPrefix(prefix) {
            if let i = Color.names.firstIndex(of: String(s.dropFirst(prefix.count))) {
                self = .ansi(UInt8(i + 8)); return
            }
        }
        if s.hasPrefix("#") {
            let hex = s.dropFirst()
            guard hex.count == 6, hex.allSatisfy(\.isHexDigit), let v = UInt32(hex, radix: 16) else { return nil }
            self = .rgb(UInt8(v >> 16), UInt8((v >> 8) & 0xff), UInt8(v & 0xff))
            return
        }
        if !s.isEmpty, s.allSatisfy(\.isASCII), s.allSatisfy(\.isNumber), let n = Int(s), (0...255).contains(n) {
            self = .index(UInt8(n)); return
        }
        return nil
    }

    /// The form `init(name:)` reads back.
    public var description: String {
        switch self {
        case .default: return "default"
        case .ansi(let n) where n < 8: return Color.names[Int(n)]
        case .ansi(let n) where n < 16: return "bright-" + Color.names[Int(n) - 8]
        case .ansi(let n): return String(n)
        case .index(let n): return String(n)
        case .rgb(let r, let g, let b):
            return "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }

    // MARK: Palette

    /// xterm's default values for the 16 named colours.
    static let ansiPalette: [(UInt8, UInt8, UInt8)] = [
        (0x00, 0x00, 0x00), (0xcd, 0x00, 0x00), (0x00, 0xcd, 0x00), (0xcd, 0xcd, 0x00),
        (0x00, 0x00, 0xee), (0xcd, 0x00, 0xcd), (0x00, 0xcd, 0xcd), (0xe5, 0xe5, 0xe5),
        (0x7f, 0x7f, 0x7f), (0xff, 0x00, 0x00), (0x00, 0xff, 0x00), (0xff, 0xff, 0x00),
        (0x5c, 0x5c, 0xff), (0xff, 0x00, 0xff), (0x00, 0xff, 0xff), (0xff, 0xff, 0xff),
    ]
    static let cubeLevels: [Int] = [0, 95, 135, 175, 215, 255]

    /// The colour as 24-bit RGB (xterm's palette for indexed colours); nil for `.default`.
    public var rgbComponents: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .ansi(let n), .index(let n):
            if n < 16 { let c = Color.ansiPalette[Int(n)]; return (c.0, c.1, c.2) }
            if n >= 232 { let v = UInt8(8 + 10 * (Int(n) - 232)); return (v, v, v) }
            let i = Int(n) - 16
            return (UInt8(Color.cubeLevels[i / 36]), UInt8(Color.cubeLevels[(i / 6) % 6]), UInt8(Color.cubeLevels[i % 6]))
        }
    }

    // MARK: Downgrade

    /// The nearest colour a terminal of `depth` can show. Pure: rgb → 256 → 16 → 8 → none.
    public func downgraded(to depth: ColorDepth) -> Color {
        switch (self, depth) {
        case (.default, _), (_, .none): return .default
        case (_, .trueColor): return self
        case (.ansi(let n), .indexed256): return n < 16 ? self : .index(n)
        case (.index, .indexed256): return self
        case (.rgb(let r, let g, let b), .indexed256): return .index(Color.nearest256(r: r, g: g, b: b))
        case (.ansi(let n), .ansi16) where n < 16: return self
        case (.ansi(let n), .ansi8) where n < 16: return .ansi(n % 8)
        case (_, .ansi16):
            guard let c = rgbComponents else { return .default }
            return .ansi(Color.nearest16(r: c.r, g: c.g, b: c.b))
        case (_, .ansi8):
            guard let c = rgbComponents else { return .default }
            return .ansi(Color.nearest16(r: c.r, g: c.g, b: c.b) % 8)
        }
    }

    /// The closest xterm-256 entry (6×6×6 cube or grey ramp) by squared distance.
    public static func nearest256(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        func cubeIndex(_ v: Int) -> Int {
            if v < 48 { return 0 }
            if v < 115 { return 1 }
            return (v - 35) / 40
        }
        let (ri, gi, bi) = (cubeIndex(Int(r)), cubeIndex(Int(g)), cubeIndex(Int(b)))
        let cube = (cubeLevels[ri], cubeLevels[gi], cubeLevels[bi])
        let average = (Int(r) + Int(g) + Int(b)) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + 10 * greyIndex
        func distance(_ c: (Int, Int, Int)) -> Int {
            let dr = c.0 - Int(r), dg = c.1 - Int(g), db = c.2 - Int(b)
            return dr * dr + dg * dg + db * db
        }
        if distance((grey, grey, grey)) < distance(cube) {
            return UInt8(232 + greyIndex)
        }
        return UInt8(16 + 36 * ri + 6 * gi + bi)
    }

    /// The closest of the 16 named colours, by hue rather than raw distance so that a
    /// dark red stays red (not black) and heat ramps keep their meaning at 16 colours.
    public static func nearest16(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        let (ri, gi, bi) = (Int(r), Int(g), Int(b))
        let hi = max(ri, gi, bi), lo = min(ri, gi, bi)
        if hi - lo < 40 || hi < 40 {
            // Greys: black, bright black, white, bright white by lightness.
            switch (hi + lo) / 2 {
            case ..<50: return 0
            case ..<150: return 8
            case ..<230: return 7
            default: return 15
            }
        }
        let threshold = lo + (hi - lo) / 2
        let bits = (ri > threshold ? 1 : 0) | (gi > threshold ? 2 : 0) | (bi > threshold ? 4 : 0)
        let bright = hi > 0xe0 || (hi + lo) / 2 > 0xa0
        return UInt8(bits) + (bright ? 8 : 0)
    }
}

/// How many colours a terminal can show; ordered from none to 24-bit.
public enum ColorDepth: Int, Comparable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case ansi8
    case ansi16
    case indexed256
    case trueColor

    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The depth a terminal with `terminalColors` colours (terminfo's `colors`) offers.
    public init(terminalColors: Int) {
        switch terminalColors {
        case 0x100_0000...: self = .trueColor
        case 256...: self = .indexed256
        case 16...: self = .ansi16
        case 8...: self = .ansi8
        default: self = .none
        }
    }

    /// What the environment says: `NO_COLOR` (non-empty) → none; too few terminal colours →
    /// none; `COLORTERM` truecolor/24bit → trueColor; else from the terminal's colour count.
    public static func detect(environment: [String: String], terminalColors: Int) -> ColorDepth {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .none }
        let fromTerminal = ColorDepth(terminalColors: terminalColors)
        if fromTerminal == .none { return .none }
        let colorTerm = (environment["COLORTERM"] ?? "").lowercased()
        if colorTerm == "truecolor" || colorTerm == "24bit" { return .trueColor }
        return fromTerminal
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .ansi8: return "8"
        case .ansi16: return "16"
        case .indexed256: return "256"
        case .trueColor: return "truecolor"
        }
    }
}
