import CNcursesw
import Testing
@testable import Curses

@Suite struct KeyDecodingTests {
    func char(_ v: UInt32) -> Key? { Key.decode(status: OK, value: v) }
    func code(_ c: Int32) -> Key? { Key.decode(status: KEY_CODE_YES, value: UInt32(bitPattern: c)) }

    @Test func printableCharactersIncludingCJK() {
        #expect(char(0x61) == .character("a"))
        #expect(char(0x3F) == .character("?"))
        #expect(char(0x20) == .character(" "))
        #expect(char(0x4E2D) == .character("中"))
        #expect(char(0x1F600) == .character("😀"))
    }

    @Test func enterTabEscapeAndBackspace() {
        #expect(char(13) == .enter)
        #expect(char(10) == .enter)
        #expect(code(KEY_ENTER) == .enter)
        #expect(char(9) == .tab)
        #expect(code(KEY_BTAB) == .backTab)
        #expect(char(27) == .escape)
        #expect(char(127) == .backspace)
        #expect(char(8) == .backspace)
        #expect(code(KEY_BACKSPACE) == .backspace)
    }

    @Test func controlLettersBecomeCtrlKeys() {
        #expect(char(1) == .ctrl("a"))
        #expect(char(3) == .ctrl("c"))
        #expect(char(12) == .ctrl("l"))
        #expect(char(26) == .ctrl("z"))
    }

    @Test func navigationAndFunctionKeys() {
        #expect(code(KEY_UP) == .up)
        #expect(code(KEY_DOWN) == .down)
        #expect(code(KEY_LEFT) == .left)
        #expect(code(KEY_RIGHT) == .right)
        #expect(code(KEY_HOME) == .home)
        #expect(code(KEY_END) == .end)
        #expect(code(KEY_PPAGE) == .pageUp)
        #expect(code(KEY_NPAGE) == .pageDown)
        #expect(code(KEY_IC) == .insert)
        #expect(code(KEY_DC) == .delete)
        for n in 1...12 {
            #expect(code(cg_key_f(Int32(n))) == .function(n))
        }
        #expect(code(KEY_RESIZE) == .resize)
    }

    @Test func errorsC1ControlsAndUnknownCodesAreNotKeys() {
        #expect(Key.decode(status: ERR, value: 0) == nil)
        #expect(char(0x9B) == nil)
        #expect(code(KEY_MOUSE) == nil)
        #expect(char(0x202E) == nil)
    }
}

@Suite struct KeyNameTests {
    @Test func namesParse() {
        #expect(Key("ctrl-l") == .ctrl("l"))
        #expect(Key("Ctrl+L") == .ctrl("l"))
        #expect(Key("^L") == .ctrl("l"))
        #expect(Key("shift-tab") == .backTab)
        #expect(Key("f5") == .function(5))
        #expect(Key("F12") == .function(12))
        #expect(Key("pgdn") == .pageDown)
        #expect(Key("PageUp") == .pageUp)
        #expect(Key("enter") == .enter)
        #expect(Key("return") == .enter)
        #expect(Key("esc") == .escape)
        #expect(Key("?") == .character("?"))
        #expect(Key("space") == .character(" "))
        #expect(Key("A") == .character("A"))
        #expect(Key("a") == .character("a"))
        #expect(Key("中") == .character("中"))
    }

    @Test func nonsenseNamesDoNotParse() {
        for bad in ["", "ctrl-", "ctrl-ab", "f0", "f64", "fx", "hyper-x", "\u{1B}", "\n", "pgdnn"] {
            #expect(Key(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test func descriptionsRoundTrip() {
        var keys: [Key] = [.up, .down, .left, .right, .home, .end, .pageUp, .pageDown, .insert, .delete,
                           .enter, .escape, .tab, .backTab, .backspace, .resize,
                           .character(" "), .character("?"), .character("-"), .character("A"), .character("中"),
                           .ctrl("@"), .ctrl("\\"), .ctrl("_")]
        keys += (1...12).map(Key.function)
        keys += "abcdefghijklmnopqrstuvwxyz".map(Key.ctrl)
        for key in keys {
            #expect(Key(key.description) == key, "\(key)")
        }
        #expect(Key.ctrl("l").description == "ctrl-l")
        #expect(Key.backTab.description == "shift-tab")
        #expect(Key.pageDown.description == "pgdn")
    }

    @Test func everyDecodedCharacterRoundTripsThroughItsName() {
        for value in UInt32(0)...0x7F {
            guard let key = Key.decode(status: OK, value: value) else { continue }
            #expect(Key(key.description) == key, "\(value)")
        }
    }
}
