import Testing
@testable import Curses

@Suite struct FakeTerminalTests {
    @Test func queuedKeysComeOutInOrderThenInputCloses() throws {
        let terminal = FakeTerminal(rows: 5, cols: 20)
        terminal.enqueue(.character("j"), .enter)
        #expect(terminal.enqueue(names: "ctrl-l esc"))
        terminal.enqueueTimeout()
        #expect(try terminal.readKey(timeoutMilliseconds: 100) == .character("j"))
        #expect(try terminal.readKey(timeoutMilliseconds: 100) == .enter)
        #expect(try terminal.readKey(timeoutMilliseconds: 100) == .ctrl("l"))
        #expect(try terminal.readKey(timeoutMilliseconds: nil) == .escape)
        #expect(try terminal.readKey(timeoutMilliseconds: 100) == nil)
        #expect(throws: TerminalError.closed) { try terminal.readKey(timeoutMilliseconds: 100) }
        #expect(terminal.readTimeouts == [100, 100, 100, nil, 100, 100])
    }

    @Test func badKeyNamesQueueNothing() {
        let terminal = FakeTerminal()
        #expect(!terminal.enqueue(names: "j sparkle k"))
        #expect(terminal.pendingKeyCount == 0)
    }

    @Test func presentedFramesAreRecordedAndOnlyChangesCount() {
        let terminal = FakeTerminal(rows: 2, cols: 4)
        var frame = ScreenBuffer(width: 4, height: 2)
        frame.put("ab", x: 0, y: 0)
        terminal.present(frame)
        #expect(terminal.bytesWritten == 8)  // first frame: every cell
        terminal.resetBytesWritten()
        terminal.present(frame)
        #expect(terminal.bytesWritten == 0)
        frame.put("z", x: 3, y: 1)
        terminal.present(frame)
        #expect(terminal.bytesWritten == 1)
        #expect(terminal.presentedFrames.count == 3)
        #expect(terminal.lastFrame?.lines() == ["ab  ", "   z"])
    }

    @Test func resizeChangesSizeAndQueuesResizeKey() throws {
        let terminal = FakeTerminal(rows: 24, cols: 80)
        terminal.resize(rows: 10, cols: 30)
        #expect(terminal.size == TerminalSize(rows: 10, cols: 30))
        #expect(try terminal.readKey(timeoutMilliseconds: 0) == .resize)
    }

    @Test func forceRedrawRepaintsEverything() {
        let terminal = FakeTerminal(rows: 1, cols: 3)
        let frame = ScreenBuffer(width: 3, height: 1)
        terminal.present(frame)
        terminal.resetBytesWritten()
        terminal.forceRedraw()
        terminal.present(frame)
        #expect(terminal.bytesWritten == 3)
        #expect(terminal.redrawRequests == 1)
    }

    @Test func aRunLoopCanBeDrivenThroughTheProtocol() throws {
        func run(_ device: any TerminalDevice) throws -> [Key] {
            var seen: [Key] = []
            while true {
                let key: Key?
                do { key = try device.readKey(timeoutMilliseconds: 50) } catch TerminalError.closed { return seen }
                guard let key else { continue }
                seen.append(key)
                var frame = ScreenBuffer(width: device.size.cols, height: device.size.rows)
                frame.put("last: \(key)", x: 0, y: 0)
                device.present(frame)
                if key == .character("q") { return seen }
            }
        }
        let terminal = FakeTerminal(rows: 3, cols: 20)
        terminal.enqueue(names: "j k q j")
        #expect(try run(terminal) == [.character("j"), .character("k"), .character("q")])
        #expect(terminal.lastFrame?.line(0) == "last: q             ")
    }
}
