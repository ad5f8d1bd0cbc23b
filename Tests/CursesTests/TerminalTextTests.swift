import Testing
@testable import Curses

@Suite struct DisplayWidthTests {
    @Test func asciiTakesOneColumnEach() {
        #expect(TerminalText.width(of: Character("a")) == 1)
        #expect(TerminalText.width("hello, world") == 12)
    }

    @Test func cjkAndFullwidthTakeTwoColumns() {
        for c: Character in ["中", "文", "한", "あ", "Ａ", "ｶ"] where c != "ｶ" {
            #expect(TerminalText.width(of: c) == 2, "\(c)")
        }
        #expect(TerminalText.width(of: Character("ｶ")) == 1)  // halfwidth katakana
        #expect(TerminalText.width("中文abc") == 7)
    }

    @Test func combiningMarksAddNoWidth() {
        #expect(TerminalText.width(of: Unicode.Scalar(0x301)!) == 0)
        #expect(TerminalText.width(of: Character("e\u{301}")) == 1)
        #expect(TerminalText.width("Cafe\u{301}") == 4)
        #expect(TerminalText.width(of: Character("\u{1112}\u{1161}\u{11AB}")) == 2)  // Hangul jamo: 한
    }

    @Test func emojiTakeTwoColumnsIncludingJoinedSequencesAndFlags() {
        #expect(TerminalText.width(of: Character("😀")) == 2)
        #expect(TerminalText.width(of: Character("👍🏽")) == 2)
        #expect(TerminalText.width(of: Character("👨\u{200D}👩\u{200D}👧")) == 2)
        #expect(TerminalText.width(of: Character("🇫🇷")) == 2)
        #expect(TerminalText.width("a😀b") == 4)
    }

    @Test func zeroWidthJoinerAndSpaceAreZeroWidthScalars() {
        #expect(TerminalText.width(of: Unicode.Scalar(0x200D)!) == 0)
        #expect(TerminalText.width(of: Unicode.Scalar(0x200B)!) == 0)
    }

    @Test func truncateCutsToWidthWithEllipsis() {
        #expect(TerminalText.truncate("hello world", toWidth: 8) == "hello w…")
        #expect(TerminalText.truncate("short", toWidth: 8) == "short")
        #expect(TerminalText.truncate("中文中文", toWidth: 5) == "中文…")
        #expect(TerminalText.truncate("abc", toWidth: 0) == "")
    }
}

@Suite struct SanitizeTests {
    static let hostile: [String] = [
        "\u{1B}[2J\u{1B}[H", "\u{9B}31m red", "\u{202E}gnp.exe", "a\u{0}b", "bell\u{7}",
        "del\u{7F}", "\u{2066}isolate\u{2069}", "\u{1B}]0;title\u{7}", "\u{90}dcs\u{9C}", "line\u{2028}sep",
    ]

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v)
            || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029
    }

    @Test func escapeBecomesVisibleStandIn() {
        #expect(TerminalText.sanitize("\u{1B}[2J") == "␛[2J")
    }

    @Test func lineBreaksAndTabsStayOnOneRow() {
        #expect(TerminalText.sanitize("a\nb\r\nc\rd\te") == "a↵b↵c↵d e")
    }

    @Test func c1ControlsBidiOverridesAndNulBecomeReplacementCharacter() {
        #expect(TerminalText.sanitize("\u{9B}1m") == "\u{FFFD}1m")
        #expect(TerminalText.sanitize("\u{202E}abc\u{202C}") == "\u{FFFD}abc\u{FFFD}")
        #expect(TerminalText.sanitize("a\u{0}b") == "a\u{FFFD}b")
        #expect(TerminalText.sanitize("\u{2067}x\u{2069}") == "\u{FFFD}x\u{FFFD}")
    }

    @Test func printableTextAndEmojiSequencesAreUnchanged() {
        for s in ["plain", "Straße 中文", "👨\u{200D}👩\u{200D}👧", "e\u{301}", "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"] {
            #expect(TerminalText.sanitize(s) == s)
        }
    }

    @Test func sanitizedHostileTextHasNoUnsafeScalars() {
        for s in Self.hostile {
            #expect(!TerminalText.sanitize(s).unicodeScalars.contains(where: Self.isUnsafe), "\(s.debugDescription)")
        }
    }
}
