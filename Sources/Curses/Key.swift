import CNcursesw

/// A key press, decoded from ncurses' `get_wch`, or parsed from a name such as "ctrl-l",
/// "shift-tab", "f5", "pgdn", "enter", "esc" or "?". `description` prints the canonical
/// name back, so `Key(key.description) == key` for every key but `.mouse` (which has no name).
public enum Key: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// A printable character, including CJK input. Space is `.character(" ")`.
    case character(Character)
    /// Ctrl with a letter ("a"…"z", lowercase) or one of "@", "\\", "]", "^", "_".
    case ctrl(Character)
    case up, down, left, right
    case home, end, pageUp, pageDown, insert, delete
    /// F1…F63 (terminals send shifted F-keys as F13 and up).
    case function(Int)
    case enter, escape, tab, backTab, backspace
    /// The terminal changed size.
    case resize
    /// A mouse report (only when the terminal was started with mouse reporting on).
    case mouse(MouseEvent)

    // MARK: Names

    private static let namedKeys: [(name: String, key: Key)] = [
        ("up", .up), ("down", .down), ("left", .left), ("right", .right),
        ("home", .home), ("end", .end), ("pgup", .pageUp), ("pgdn", .pageDown),
        ("insert", .insert), ("delete", .delete), ("enter", .enter), ("esc", .escape),
        ("tab", .tab), ("shift-tab", .backTab), ("backspace", .backspace), ("resize", .resize),
        ("space", .character(" ")),
    ]

    private static let aliases: [String: Key] = [
        "pageup": .pageUp, "page-up": .pageUp, "prior": .pageUp,
        "pagedown": .pageDown, "page-down": .pageDown, "pgdown": .pageDown, "next": .pageDown,
        "ins": .insert, "del": .delete, "return": .enter, "ret": .enter, "escape": .escape,
        "backtab": .backTab, "s-tab": .backTab, "shift+tab": .backTab, "bs": .backspace,
        "bksp": .backspace,
    ]

    private static let ctrlSymbols: [Character] = ["@", "\\", "]", "^", "_"]

    /// Parses a key name; case-insensitive except for single characters ("A" ≠ "a").
    public init?(_ name: String) {
        if name.count == 1, let c = name.first {
            guard c.unicodeScalars.allSatisfy(TerminalText.isSafe),
                  c.unicodeScalars.first.map({ $0.value >= 0x20 }) == true else { return nil }
            self = .character(c)
            return
        }
        let s = name.lowercased()
        if let entry = Key.namedKeys.first(where: { $0.name == s }) { self = entry.key; return }
        if let key = Key.aliases[s] { self = key; return }
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where s.hasPrefix(prefix) {
            let rest = s.dropFirst(prefix.count)
            guard rest.count == 1, let c = rest.first else { continue }
            if c.isASCII && c.isLetter || Key.ctrlSymbols.contains(c) {
                self = .ctrl(c)
                return
            }
        }
        if s.hasPrefix("f"), let n = Int(s.dropFirst()), (1...63).contains(n), s.dropFirst().allSatisfy(\.isNumber) {
            self = .function(n)
            return
        }
        return nil
    }

    public var description: String {
        switch self {
        case .character(" "): return "space"
        case .character(let c): return String(c)
        case .ctrl(let c): return "ctrl-" + String(c)
        case .function(let n): return "f\(n)"
        case .mouse(let event): return event.description
        default: return Key.namedKeys.first(where: { $0.key == self })?.name ?? "?"
        }
    }

    // MARK: Decoding

    /// The key for one `get_wch` result: `status` is OK for a character (in `value`),
    /// KEY_CODE_YES for a special key (a KEY_* code in `value`). Nil for ERR and for
    /// keys this type does not model.
    public static func decode(status: Int32, value: UInt32) -> Key? {
        if status == KEY_CODE_YES { return decodeKeyCode(Int32(bitPattern: value)) }
        guard status == OK else { return nil }
        switch value {
        case 0x0D, 0x0A: return .enter
        case 0x09: return .tab
        case 0x1B: return .escape
        case 0x7F, 0x08: return .backspace
        case 0x00: return .ctrl("@")
        case 0x01...0x1A: return .ctrl(Character(Unicode.Scalar(UInt8(0x60 + value))))
        case 0x1C...0x1F: return .ctrl(ctrlSymbols[Int(value) - 0x1C + 1])
        case 0x80...0x9F: return nil
        default:
            guard let scalar = Unicode.Scalar(value), TerminalText.isSafe(scalar) else { return nil }
            return .character(Character(scalar))
        }
    }

    static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME, KEY_FIND, KEY_A1: return .home
        case KEY_END, KEY_SELECT, KEY_C1: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_IC: return .insert
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 63): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }
}
