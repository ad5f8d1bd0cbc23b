import Testing
@testable import Curses

@Suite struct ScreenBufferTests {
    @Test func putWritesTextAndReturnsColumnsUsed() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        #expect(buffer.put("hello", x: 1, y: 0) == 5)
        #expect(buffer.lines() == [" hello    ", "          "])
    }

    @Test func putClipsAtTheRightEdgeWithoutWrapping() {
        var buffer = ScreenBuffer(width: 6, height: 2)
        #expect(buffer.put("abcdefgh", x: 2, y: 0) == 4)
        #expect(buffer.lines() == ["  abcd", "      "])
    }

    @Test func putStartingLeftOfTheBufferShowsOnlyTheVisiblePart() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("abcdef", x: -3, y: 0)
        #expect(buffer.line(0) == "def  ")
    }

    @Test func putOutsideTheRowsDrawsNothing() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        #expect(buffer.put("abc", x: 0, y: 1) == 0)
        #expect(buffer.put("abc", x: 0, y: -1) == 0)
        #expect(buffer.line(0) == "     ")
    }

    @Test func putClipsToASubRect() {
        var buffer = ScreenBuffer(width: 12, height: 3)
        let pane = Rect(x: 3, y: 1, width: 4, height: 1)
        #expect(buffer.put("abcdefg", x: 3, y: 1, clipTo: pane) == 4)
        buffer.put("zzz", x: 1, y: 1, clipTo: pane)
        buffer.put("never", x: 3, y: 2, clipTo: pane)
        #expect(buffer.lines() == ["            ", "   zbcd     ", "            "])
    }

    @Test func wideCharactersTakeTwoCellsWithAContinuation() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        #expect(buffer.put("中a", x: 0, y: 0) == 3)
        #expect(buffer[0, 0].grapheme == "中" && buffer[0, 0].width == 2)
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer.line(0) == "中a   ")
    }

    @Test func wideCharacterStraddlingTheRightClipEdgeBecomesASpace() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        buffer.fill(buffer.bounds, with: ".")
        let used = buffer.put("ab中文", x: 0, y: 0, clipTo: Rect(x: 0, y: 0, width: 5, height: 1))
        #expect(used == 5)
        #expect(buffer.line(0) == "ab中 ...")
    }

    @Test func wideCharacterStraddlingTheLeftClipEdgeBecomesASpace() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        buffer.fill(buffer.bounds, with: ".")
        buffer.put("中文", x: 1, y: 0, clipTo: Rect(x: 2, y: 0, width: 4, height: 1))
        #expect(buffer.line(0) == ".. 文.")
    }

    @Test func wideCharacterAtTheBufferEdgeBecomesASpace() {
        var buffer = ScreenBuffer(width: 3, height: 1)
        buffer.put("a中", x: 1, y: 0)
        #expect(buffer.line(0) == " a ")
    }

    @Test func overwritingHalfOfAWideCharacterBlanksTheOtherHalf() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("中文", x: 0, y: 0)
        buffer.put("x", x: 1, y: 0)
        #expect(buffer.line(0) == " x文")
        buffer.put("y", x: 2, y: 0)
        #expect(buffer.line(0) == " xy ")
        #expect(buffer.cells.allSatisfy { $0.width == 1 })
    }

    @Test func combiningMarkAttachesToThePreviousCell() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.put("e\u{301}x", x: 0, y: 0)
        #expect(buffer[0, 0].grapheme == "e\u{301}")
        #expect(buffer.line(0) == "e\u{301}x   ")
        buffer.put("\u{308}", x: 2, y: 0)  // a lone mark drawn right after the x
        #expect(buffer[1, 0].grapheme == "x\u{308}")
    }

    @Test func hostileTextNeverReachesACellRaw() {
        var buffer = ScreenBuffer(width: 40, height: SanitizeTests.hostile.count)
        for (row, text) in SanitizeTests.hostile.enumerated() {
            buffer.put(text, x: 0, y: row)
        }
        buffer.fill(Rect(x: 30, y: 0, width: 2, height: 2), with: "\u{1B}")
        buffer.drawBox(Rect(x: 32, y: 0, width: 8, height: 3), title: "\u{1B}[31m")
        let unsafe = buffer.cells.flatMap(\.grapheme.unicodeScalars).filter(SanitizeTests.isUnsafe)
        #expect(unsafe.isEmpty)
        #expect(buffer.line(0).hasPrefix("␛[2J␛[H"))
    }

    @Test func cellInitSanitisesItsCharacter() {
        #expect(Cell("\u{1B}").grapheme == "␛")
        #expect(Cell("\u{9B}").grapheme == "\u{FFFD}")
    }

    @Test func fillCoversTheClippedRect() {
        var buffer = ScreenBuffer(width: 4, height: 3)
        buffer.fill(Rect(x: 2, y: 1, width: 5, height: 5), with: "#")
        #expect(buffer.lines() == ["    ", "  ##", "  ##"])
    }

    @Test func fillWithAWideCharacterPadsAnOddColumn() {
        var buffer = ScreenBuffer(width: 5, height: 1)
        buffer.fill(buffer.bounds, with: "中")
        #expect(buffer.line(0) == "中中 ")
    }

    @Test func setStyleChangesStylesButKeepsText() {
        var buffer = ScreenBuffer(width: 4, height: 1)
        buffer.put("abcd", x: 0, y: 0)
        let bold = Style(attributes: .bold)
        buffer.setStyle(bold, in: Rect(x: 1, y: 0, width: 2, height: 1))
        #expect(buffer.line(0) == "abcd")
        #expect(buffer.cells.map(\.style) == [Style(), bold, bold, Style()])
    }

    @Test func boxUsesUnicodeLinesOrAsciiFallback() {
        var buffer = ScreenBuffer(width: 8, height: 3)
        buffer.drawBox(Rect(x: 0, y: 0, width: 8, height: 3), title: "Q")
        #expect(buffer.lines() == ["┌ Q ───┐", "│      │", "└──────┘"])
        var ascii = ScreenBuffer(width: 4, height: 3)
        ascii.drawBox(ascii.bounds, ascii: true)
        #expect(ascii.lines() == ["+--+", "|  |", "+--+"])
    }

    @Test func boxInTinyRectsDrawsWhatFits() {
        var buffer = ScreenBuffer(width: 3, height: 3)
        buffer.drawBox(Rect(x: 0, y: 0, width: 1, height: 3))
        buffer.drawBox(Rect(x: 1, y: 0, width: 2, height: 1))
        buffer.drawBox(Rect(x: 0, y: 0, width: 0, height: 0))
        #expect(buffer.lines() == ["│──", "│  ", "│  "])
    }

    @Test func identicalFramesHaveNoChanges() {
        var a = ScreenBuffer(width: 20, height: 5)
        a.put("same 中文", x: 2, y: 2, style: Style(fg: .red))
        let b = a
        #expect(a.changes(since: b).isEmpty)
    }

    @Test func oneChangedCellIsTheOnlyChange() {
        var old = ScreenBuffer(width: 20, height: 5)
        old.put("hello", x: 0, y: 1)
        var new = old
        new.put("j", x: 0, y: 1)
        let changes = new.changes(since: old)
        #expect(changes.count == 1)
        #expect(changes.first?.x == 0 && changes.first?.y == 1 && changes.first?.cell.grapheme == "j")
    }

    @Test func aStyleOnlyChangeIsAChange() {
        let old = ScreenBuffer(width: 3, height: 1)
        var new = old
        new.setStyle(Style(attributes: .reverse), in: Rect(x: 2, y: 0, width: 1, height: 1))
        #expect(new.changes(since: old).map(\.x) == [2])
    }

    @Test func framesOfDifferentSizesChangeEverywhere() {
        let old = ScreenBuffer(width: 3, height: 2)
        let new = ScreenBuffer(width: 4, height: 2)
        #expect(new.changes(since: old).count == 8)
        #expect(new.changes(since: nil).count == 8)
    }

    @Test func emptyAndZeroSizedBuffersAreSafe() {
        var buffer = ScreenBuffer(width: 0, height: 0)
        #expect(buffer.put("x", x: 0, y: 0) == 0)
        buffer.fill(Rect(x: 0, y: 0, width: 3, height: 3), with: "x")
        buffer.drawBox(Rect(x: 0, y: 0, width: 3, height: 3))
        #expect(buffer.lines().isEmpty)
        #expect(ScreenBuffer(width: -2, height: 3).cells.isEmpty)
    }
}
