/// An in-memory terminal for testing run loops: keys are queued up front, presented
/// frames are recorded. When the queue runs dry `readKey` throws `TerminalError.closed`
/// (or returns nil, with `closeWhenEmpty` off), so a loop under test always ends.
public final class FakeTerminal: TerminalDevice {
    public private(set) var size: TerminalSize
    public var colorDepth: ColorDepth
    /// Every frame passed to `present`, oldest first.
    public private(set) var presentedFrames: [ScreenBuffer] = []
    /// How often `bell` was called.
    public private(set) var bells = 0
    /// How often `forceRedraw` was called.
    public private(set) var redrawRequests = 0
    /// An estimate: the UTF-8 bytes of the graphemes each `present` had to change.
    public private(set) var bytesWritten: UInt64 = 0
    public var closeWhenEmpty: Bool
    /// The timeouts `readKey` was called with, in order.
    public private(set) var readTimeouts: [Int?] = []

    /// Queued input: a key, or nil for "the timeout passed".
    private var queue: [Key?] = []
    private var needsFullRepaint = true

    public init(rows: Int = 24, cols: Int = 80, colorDepth: ColorDepth = .indexed256, closeWhenEmpty: Bool = true) {
        size = TerminalSize(rows: rows, cols: cols)
        self.colorDepth = colorDepth
        self.closeWhenEmpty = closeWhenEmpty
    }

    public var lastFrame: ScreenBuffer? { presentedFrames.last }
    public var pendingKeyCount: Int { queue.count }

    public func enqueue(_ keys: Key...) { queue.append(contentsOf: keys.map { Optional($0) }) }
    public func enqueue(_ keys: [Key]) { queue.append(contentsOf: keys.map { Optional($0) }) }

    /// Queues keys by name, separated by spaces: "j j enter ctrl-l".
    /// Returns false (queuing nothing) if a name is not a key.
    @discardableResult
    public func enqueue(names: String) -> Bool {
        let keys = names.split(separator: " ").map { Key(String($0)) }
        guard keys.allSatisfy({ $0 != nil }) else { return false }
        queue.append(contentsOf: keys)
        return true
    }

    /// Queues a read that times out (readKey returns nil).
    public func enqueueTimeout(count: Int = 1) { queue.append(contentsOf: Array(repeating: nil, count: count)) }

    /// Changes the size and queues the `.resize` key a real terminal would send.
    public func resize(rows: Int, cols: Int) {
        size = TerminalSize(rows: rows, cols: cols)
        needsFullRepaint = true
        queue.append(.resize)
    }

    public func readKey(timeoutMilliseconds: Int?) throws -> Key? {
        readTimeouts.append(timeoutMilliseconds)
        if queue.isEmpty {
            if closeWhenEmpty { throw TerminalError.closed }
            return nil
        }
        return queue.removeFirst()
    }

    public func present(_ buffer: ScreenBuffer) {
        let previous = needsFullRepaint ? nil : presentedFrames.last
        for change in buffer.changes(since: previous) {
            bytesWritten += UInt64(change.cell.grapheme.utf8.count)
        }
        presentedFrames.append(buffer)
        needsFullRepaint = false
    }

    public func forceRedraw() {
        redrawRequests += 1
        needsFullRepaint = true
    }

    public func bell() { bells += 1 }

    public func resetBytesWritten() { bytesWritten = 0 }
}
