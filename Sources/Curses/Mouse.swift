/// A mouse report from the terminal: which button, where (0-based cell column and row), with which modifier keys,
/// and whether it was pressed, released, dragged or a wheel turn. Decoded from xterm's SGR reports (mode 1006,
/// `ESC [ < b ; x ; y M` for a press, `m` for a release), which carry any column and tell releases apart.
public struct MouseEvent: Hashable, Sendable, CustomStringConvertible {
    public enum Button: Hashable, Sendable {
        case left, middle, right
        case wheelUp, wheelDown, wheelLeft, wheelRight
        /// Motion with no button held, or buttons beyond the wheel (8-11 in xterm's numbering).
        case none
        case other(Int)
    }

    public enum Action: Hashable, Sendable {
        case press, release, drag, wheel
    }

    public struct Modifiers: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let shift = Modifiers(rawValue: 1 << 0)
        public static let alt = Modifiers(rawValue: 1 << 1)
        public static let ctrl = Modifiers(rawValue: 1 << 2)
    }

    public var button: Button
    public var action: Action
    /// The cell column and row, from 0 at the top left.
    public var x: Int
    public var y: Int
    public var modifiers: Modifiers

    public init(button: Button, action: Action, x: Int, y: Int, modifiers: Modifiers = []) {
        self.button = button
        self.action = action
        self.x = x
        self.y = y
        self.modifiers = modifiers
    }

    public var isWheel: Bool { action == .wheel }

    public var description: String {
        var parts: [String] = []
        if modifiers.contains(.ctrl) { parts.append("ctrl") }
        if modifiers.contains(.alt) { parts.append("alt") }
        if modifiers.contains(.shift) { parts.append("shift") }
        parts.append("\(button)")
        parts.append("\(action)")
        return "mouse(" + parts.joined(separator: "-") + " \(x),\(y))"
    }

    /// The largest coordinate accepted (xterm's own limit is far below); anything beyond is a malformed report.
    public static let maxCoordinate = 10_000

    /// Decodes the part of an SGR report after `ESC [ <`: "b;x;y" and a final "M" (press, drag, wheel) or "m"
    /// (release). Nil for anything else: missing or extra fields, non-digits, overlong numbers, a column or row
    /// of 0 or beyond `maxCoordinate`, a wheel "release". Never traps.
    public static func parseSGR(_ body: String) -> MouseEvent? {
        guard body.utf8.count <= 32, let final = body.last, final == "M" || final == "m" else { return nil }
        let fields = body.dropLast().split(separator: ";", omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        var numbers: [Int] = []
        for field in fields {
            guard !field.isEmpty, field.count <= 5, field.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let n = Int(field) else { return nil }
            numbers.append(n)
        }
        let code = numbers[0], x = numbers[1], y = numbers[2]
        guard code <= 255, (1...maxCoordinate).contains(x), (1...maxCoordinate).contains(y) else { return nil }
        var modifiers: Modifiers = []
        if code & 4 != 0 { modifiers.insert(.shift) }
        if code & 8 != 0 { modifiers.insert(.alt) }
        if code & 16 != 0 { modifiers.insert(.ctrl) }
        let motion = code & 32 != 0
        let low = code & 3
        let button: Button
        var action: Action = final == "m" ? .release : motion ? .drag : .press
        switch code & ~(4 | 8 | 16 | 32) {
        case 0...2: button = [.left, .middle, .right][low]
        case 3: button = .none  // motion without a button, or an X10-style release
        case 64...67:
            button = [.wheelUp, .wheelDown, .wheelLeft, .wheelRight][low]
            guard final == "M" else { return nil }
            action = .wheel
        case 128...131: button = .other(8 + low)
        default: return nil
        }
        return MouseEvent(button: button, action: action, x: x - 1, y: y - 1, modifiers: modifiers)
    }

    /// Reads an SGR report after an ESC, one character at a time from `next` (nil when nothing more is waiting).
    /// Returns the event (nil if the characters are not a well-formed report) and every character read, so a
    /// caller can give back what was not a mouse report. Stops at the final M/m, at a character no report can
    /// hold, or after 32 characters.
    public static func readSGR(after next: () -> Character?) -> (event: MouseEvent?, read: [Character]) {
        var read: [Character] = []
        guard let open = next() else { return (nil, read) }
        read.append(open)
        guard open == "[" else { return (nil, read) }
        guard let lt = next() else { return (nil, read) }
        read.append(lt)
        guard lt == "<" else { return (nil, read) }
        var body = ""
        while read.count < 34, let c = next() {
            read.append(c)
            if c == "M" || c == "m" {
                body.append(c)
                return (parseSGR(body), read)
            }
            guard c.isASCII, c.isNumber || c == ";" else { return (nil, read) }
            body.append(c)
        }
        return (nil, read)
    }

    /// What turns SGR mouse reporting on: clicks and wheel (1000), in SGR form (1006). Motion is not asked for.
    public static let enableSequence = "\u{1B}[?1000h\u{1B}[?1006h"
    /// What turns it off again.
    public static let disableSequence = "\u{1B}[?1006l\u{1B}[?1000l"
}
