import CNcursesw
import Foundation
import Testing
@testable import Curses

/// Real ncurses, headless: terminfo for xterm-256color, output to /dev/null, input from
/// /dev/null. Serialized because ncurses (and `Terminal`) is process-wide state.
@Suite(.serialized) struct HeadlessTerminalTests {
    static func headless(_ environment: [String: String] = ["TERM": "xterm-256color"]) throws -> Terminal {
        try Terminal(options: .init(environment: environment, outputPath: "/dev/null",
                                    inputPath: "/dev/null", handlesSignals: false))
    }

    @Test func unknownTerminalTypeThrowsAClearError() {
        #expect(throws: TerminalError.unknownTerminalType("no-such-terminal-xyz")) {
            _ = try Self.headless(["TERM": "no-such-terminal-xyz"])
        }
        let message = TerminalError.unknownTerminalType("no-such-terminal-xyz").description
        #expect(message.contains("no-such-terminal-xyz") && message.contains("TERM"))
    }

    @Test func missingTERMThrowsAClearError() {
        #expect(throws: TerminalError.missingTERM) { _ = try Self.headless([:]) }
        #expect(throws: TerminalError.missingTERM) { _ = try Self.headless(["TERM": ""]) }
    }

    @Test func presentWritesTheRightCharacters() throws {
        let terminal = try Self.headless()
        defer { terminal.stop() }
        terminal.resize(rows: 6, cols: 30)
        #expect(terminal.size == TerminalSize(rows: 6, cols: 30))
        var frame = ScreenBuffer(width: 30, height: 6)
        frame.put("Hello 中文 e\u{301}", x: 0, y: 1, style: Style(fg: .rgb(255, 0, 0), attributes: .bold))
        frame.drawBox(Rect(x: 20, y: 2, width: 5, height: 3))
        frame.put("\u{1B}[2J", x: 0, y: 5)
        terminal.present(frame)
        #expect(terminal.shownCharacters(x: 0, y: 1) == "H")
        #expect(terminal.shownCharacters(x: 4, y: 1) == "o")
        #expect(terminal.shownCharacters(x: 6, y: 1) == "中")
        #expect(terminal.shownCharacters(x: 8, y: 1) == "文")
        #expect(terminal.shownCharacters(x: 11, y: 1) == "e\u{301}")
        #expect(terminal.shownCharacters(x: 20, y: 2) == "┌")
        #expect(terminal.shownCharacters(x: 24, y: 4) == "┘")
        #expect(terminal.shownCharacters(x: 0, y: 5) == "␛")
    }

    @Test func unchangedFramesWriteNothingAndOneCellWritesLittle() throws {
        let terminal = try Self.headless()
        defer { terminal.stop() }
        terminal.resize(rows: 10, cols: 40)
        var frame = ScreenBuffer(width: 40, height: 10)
        frame.put("queue", x: 1, y: 1, style: Style(fg: .index(33)))
        terminal.present(frame)
        #expect(terminal.bytesWritten > 0)

        terminal.resetBytesWritten()
        terminal.present(frame)
        #expect(terminal.bytesWritten == 0)

        frame.put("Q", x: 1, y: 1, style: Style(fg: .index(33)))
        terminal.present(frame)
        #expect(terminal.bytesWritten > 0 && terminal.bytesWritten < 40)
        #expect(terminal.shownCharacters(x: 1, y: 1) == "Q")
    }

    @Test func forceRedrawRepaintsTheWholeScreen() throws {
        let terminal = try Self.headless()
        defer { terminal.stop() }
        terminal.resize(rows: 5, cols: 20)
        var frame = ScreenBuffer(width: 20, height: 5)
        frame.put("status", x: 0, y: 4)
        terminal.present(frame)
        terminal.resetBytesWritten()
        terminal.forceRedraw()
        #expect(terminal.bytesWritten > 6)
        #expect(terminal.shownCharacters(x: 0, y: 4) == "s")
    }

    @Test func aResizedFrameIsPaintedInFull() throws {
        let terminal = try Self.headless()
        defer { terminal.stop() }
        terminal.resize(rows: 4, cols: 10)
        var small = ScreenBuffer(width: 10, height: 4)
        small.put("small", x: 0, y: 0)
        terminal.present(small)
        terminal.resize(rows: 6, cols: 16)
        var large = ScreenBuffer(width: 16, height: 6)
        large.put("larger frame", x: 2, y: 5)
        terminal.present(large)
        #expect(terminal.shownCharacters(x: 0, y: 0) == " ")
        #expect(terminal.shownCharacters(x: 2, y: 5) == "l")
        #expect(terminal.shownCharacters(x: 13, y: 5) == "e")
    }

    @Test func closedInputIsReportedInsteadOfSpinning() throws {
        let terminal = try Self.headless()
        defer { terminal.stop() }
        let started = ContinuousClock.now
        #expect(throws: TerminalError.closed) {
            for _ in 0..<10 { _ = try terminal.readKey(timeoutMilliseconds: 500) }
        }
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func noColorMeansMonochrome() throws {
        let terminal = try Self.headless(["TERM": "xterm-256color", "NO_COLOR": "1"])
        defer { terminal.stop() }
        #expect(terminal.colorDepth == .none)
        var frame = ScreenBuffer(width: 10, height: 2)
        frame.put("due", x: 0, y: 0, style: Style(fg: .red, attributes: .bold, mono: [.bold, .reverse]))
        terminal.present(frame)
        #expect(terminal.shownCharacters(x: 0, y: 0) == "d")
    }

    @Test func colourDepthIsLimitedToWhatTerminfoCanExpress() throws {
        let terminal = try Self.headless(["TERM": "xterm-256color", "COLORTERM": "truecolor"])
        #expect(terminal.detectedColorDepth == .trueColor)
        #expect(terminal.colorDepth == .indexed256)
        terminal.stop()
        let vt = try Self.headless(["TERM": "vt100"])
        #expect(vt.colorDepth == .none)
        vt.stop()
    }

    @Test func onlyOneTerminalRunsAtATimeAndStopIsIdempotent() throws {
        let first = try Self.headless()
        #expect(throws: TerminalError.alreadyActive) { _ = try Self.headless() }
        first.stop()
        first.stop()
        #expect(!first.isActive)
        #expect(throws: TerminalError.closed) { try first.readKey(timeoutMilliseconds: 0) }
        let second = try Self.headless()
        second.stop()
    }

    @Test func runStopsTheTerminalWhenTheBodyThrows() throws {
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try Terminal.run(options: .init(environment: ["TERM": "xterm-256color"], outputPath: "/dev/null",
                                            inputPath: "/dev/null", handlesSignals: false)) { _ in throw Boom() }
        }
        let next = try Self.headless()
        next.stop()
    }

    @Test func widthTableAgreesWithTheCLibraryUnderUTF8() throws {
        // Terminal start sets a UTF-8 locale, as the console does.
        let terminal = try Self.headless()
        defer { terminal.stop() }
        let samples: [UInt32] = [0x41, 0x7E, 0xE9, 0x301, 0x4E2D, 0x3042, 0xAC00, 0xFF21, 0xFF76, 0x1F600,
                                 0x1F44D, 0x1F3FD, 0x2764, 0x200B, 0x200D, 0x1160, 0x20AC, 0x2192, 0x2500, 0x3000, 0xFE0F]
        for value in samples {
            let scalar = try #require(Unicode.Scalar(value))
            #expect(TerminalText.width(of: scalar) == Int(cg_wcwidth(wchar_t(bitPattern: value))), "U+\(String(value, radix: 16))")
        }
    }
}
