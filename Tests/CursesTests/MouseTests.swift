import Testing
@testable import Curses

/// SGR (1006) mouse reports: what follows `ESC [ <`, decoded, and anything malformed refused without a trap.
@Suite struct MouseTests {
    @Test func pressAndReleaseOfEachButton() {
        #expect(MouseEvent.parseSGR("0;11;7M") == MouseEvent(button: .left, action: .press, x: 10, y: 6))
        #expect(MouseEvent.parseSGR("0;11;7m") == MouseEvent(button: .left, action: .release, x: 10, y: 6))
        #expect(MouseEvent.parseSGR("1;1;1M") == MouseEvent(button: .middle, action: .press, x: 0, y: 0))
        #expect(MouseEvent.parseSGR("2;300;200M") == MouseEvent(button: .right, action: .press, x: 299, y: 199))
        #expect(MouseEvent.parseSGR("32;5;5M") == MouseEvent(button: .left, action: .drag, x: 4, y: 4))
        #expect(MouseEvent.parseSGR("35;5;5M") == MouseEvent(button: .none, action: .drag, x: 4, y: 4))
        #expect(MouseEvent.parseSGR("128;2;3M") == MouseEvent(button: .other(8), action: .press, x: 1, y: 2))
    }

    @Test func wheel() {
        #expect(MouseEvent.parseSGR("64;20;10M") == MouseEvent(button: .wheelUp, action: .wheel, x: 19, y: 9))
        #expect(MouseEvent.parseSGR("65;20;10M") == MouseEvent(button: .wheelDown, action: .wheel, x: 19, y: 9))
        #expect(MouseEvent.parseSGR("66;1;1M")?.button == .wheelLeft)
        #expect(MouseEvent.parseSGR("67;1;1M")?.button == .wheelRight)
        #expect(MouseEvent.parseSGR("64;20;10m") == nil, "a wheel has no release")
    }

    @Test func modifiers() {
        #expect(MouseEvent.parseSGR("4;2;2M") == MouseEvent(button: .left, action: .press, x: 1, y: 1, modifiers: .shift))
        #expect(MouseEvent.parseSGR("8;2;2M")?.modifiers == .alt)
        #expect(MouseEvent.parseSGR("16;2;2M")?.modifiers == .ctrl)
        #expect(MouseEvent.parseSGR("30;2;2M") == MouseEvent(button: .right, action: .press, x: 1, y: 1, modifiers: [.shift, .alt, .ctrl]))
        #expect(MouseEvent.parseSGR("81;2;2M") == MouseEvent(button: .wheelDown, action: .wheel, x: 1, y: 1, modifiers: .ctrl))
    }

    @Test(arguments: [
        "", "M", "m", "0;1M", "0;1;2;3M", ";1;1M", "0;;1M", "0;1;M", "0;0;1M", "0;1;0M", "0;10001;1M", "0;1;99999999999999999999M",
        "-1;1;1M", "0;1;1", "0;1;1X", "a;1;1M", "0;1;1Mx", "256;1;1M", "192;1;1M", "0;１;1M", "0;1 ;1M",
        String(repeating: "9", count: 40) + ";1;1M",
    ])
    func malformedReportsAreRefused(_ body: String) {
        #expect(MouseEvent.parseSGR(body) == nil)
    }

    @Test func readingAfterAnEscapeGivesBackWhatIsNotAReport() {
        func read(_ text: String) -> (event: MouseEvent?, read: String) {
            var rest = Array(text)
            let result = MouseEvent.readSGR { rest.isEmpty ? nil : rest.removeFirst() }
            return (result.event, String(result.read))
        }
        #expect(read("[<0;3;4Mj").event == MouseEvent(button: .left, action: .press, x: 2, y: 3))
        #expect(read("[<0;3;4Mj").read == "[<0;3;4M", "stops at the final byte")
        #expect(read("x") == (nil, "x"), "Alt-x: the x is given back")
        #expect(read("") == (nil, ""))
        #expect(read("[A") == (nil, "[A"))
        #expect(read("[<0;3") == (nil, "[<0;3"), "cut short")
        #expect(read("[<0;3;4q").event == nil)
        #expect(read("[<" + String(repeating: "1", count: 100)).read.count <= 34, "never reads without end")
    }

    @Test func mouseKeysHaveADescriptionButNoName() {
        let key = Key.mouse(MouseEvent(button: .left, action: .press, x: 1, y: 2, modifiers: .ctrl))
        #expect(key.description == "mouse(ctrl-left-press 1,2)")
        #expect(Key(key.description) == nil)
    }
}
