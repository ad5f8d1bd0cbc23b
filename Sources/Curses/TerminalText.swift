/// Making untrusted text safe and measuring it in terminal columns.
///
/// Widths come from tables in this module rather than the C library, so they are the
/// same in tests without a terminal and whatever the process locale is. They agree with
/// glibc's `wcwidth` on every assigned Unicode 14 code point.
public enum TerminalText {
    // MARK: Sanitising

    /// Shown instead of ESC, so escape sequences in untrusted text are visible but inert.
    public static let escapeStandIn: Unicode.Scalar = "\u{241B}"  // ␛
    /// Shown instead of line breaks; drawn text always stays on one row.
    public static let newlineStandIn: Unicode.Scalar = "\u{21B5}"  // ↵
    /// Shown instead of any other control or format character.
    public static let replacement: Unicode.Scalar = "\u{FFFD}"  // �

    /// Replaces everything that could corrupt the screen with a visible, safe stand-in:
    /// ESC → ␛, line breaks (LF, CR, CRLF, NEL, U+2028/9) → ↵, tab → one space, other C0,
    /// DEL and C1 controls, bidi overrides, isolates and marks, and other format characters
    /// → �. Soft hyphens become "-". Joiners (ZWJ, ZWNJ) and emoji tag characters stay.
    public static func sanitize(_ s: String) -> String {
        // The common case, plain printable ASCII, costs one scan and no copy.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return s }
        var out = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in s.unicodeScalars {
            let v = scalar.value
            defer { previousWasCR = (v == 0x0D) }
            if v == 0x0A && previousWasCR { continue }  // CRLF is one line break
            if let standIn = standIn(for: scalar) { out.append(standIn) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// Whether `scalar` can be sent to a terminal as it is.
    public static func isSafe(_ scalar: Unicode.Scalar) -> Bool { standIn(for: scalar) == nil }

    static func standIn(for scalar: Unicode.Scalar) -> Unicode.Scalar? {
        let v = scalar.value
        switch v {
        case 0x20..<0x7F: return nil
        case 0x1B: return escapeStandIn
        case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: return newlineStandIn
        case 0x09: return " "
        case 0x00..<0x20, 0x7F..<0xA0: return replacement
        case 0xAD: return "-"
        case 0x200C, 0x200D: return nil  // joiners shape scripts and emoji sequences
        case 0xE0020...0xE007F: return nil  // tag characters of subdivision flags
        default:
            switch scalar.properties.generalCategory {
            case .format, .lineSeparator, .paragraphSeparator, .surrogate: return replacement
            default: return nil
            }
        }
    }

    // MARK: Width

    /// Columns a scalar takes on its own: 2 for East Asian Wide/Fullwidth (CJK, most
    /// emoji), 0 for combining marks and other zero-width characters, else 1. Control
    /// characters count 0 here; `sanitize` replaces them before anything is drawn.
    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x7F { return v >= 0x20 ? 1 : 0 }
        if v < 0xA0 { return 0 }
        if v < 0x300 { return 1 }  // Latin-1 and Latin Extended: no marks, none wide
        if isZeroWidth(scalar) { return 0 }
        return isWide(v) ? 2 : 1
    }

    /// Columns a grapheme cluster takes: the width of its first scalar (marks, variation
    /// selectors and ZWJ-joined parts ride on it, as terminals draw them), except that a
    /// regional-indicator pair (a flag) takes 2. A cluster of only marks counts 0.
    public static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        let base = width(of: first)
        if base == 1, isRegionalIndicator(first), scalars.count > 1 { return 2 }
        return base
    }

    /// Columns `s` takes once sanitised, as `ScreenBuffer.put` would draw it.
    public static func width(_ s: String) -> Int {
        sanitize(s).reduce(0) { total, ch in
            let w = width(of: ch)
            return total + (w == 0 ? 1 : w)  // a lone mark is drawn on a space
        }
    }

    /// `s` sanitised and cut to at most `maxWidth` columns, ending in `ellipsis` when cut.
    public static func truncate(_ s: String, toWidth maxWidth: Int, ellipsis: String = "…") -> String {
        let clean = sanitize(s)
        guard maxWidth > 0 else { return "" }
        if width(clean) <= maxWidth { return clean }
        let tail = sanitize(ellipsis)
        let tailWidth = width(tail)
        let budget = tailWidth <= maxWidth ? maxWidth - tailWidth : maxWidth
        var used = 0
        var out = ""
        for ch in clean {
            let w = max(1, width(of: ch))
            if used + w > budget { break }
            out.append(ch)
            used += w
        }
        return tailWidth <= maxWidth ? out + tail : out
    }

    static func isRegionalIndicator(_ s: Unicode.Scalar) -> Bool { (0x1F1E6...0x1F1FF).contains(s.value) }

    static func isZeroWidth(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) { return true }  // Hangul jamo vowels/finals
        if v == 0x200B { return true }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark:
            return true
        case .format:
            // Prepended concatenation marks are drawn with a width of one.
            switch v {
            case 0x600...0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2, 0x110BD, 0x110CD: return false
            default: return true
            }
        default:
            return false
        }
    }

    static func isWide(_ v: UInt32) -> Bool {
        let ranges = wideRanges
        if v < ranges[0].0 || v > ranges[ranges.count - 1].1 { return false }
        var lo = 0, hi = ranges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if v < ranges[mid].0 { hi = mid - 1 } else if v > ranges[mid].1 { lo = mid + 1 } else { return true }
        }
        return false
    }
}
