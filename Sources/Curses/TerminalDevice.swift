/// A terminal size in cells.
public struct TerminalSize: Hashable, Sendable, CustomStringConvertible {
    public var rows: Int
    public var cols: Int

    public init(rows: Int, cols: Int) {
        self.rows = max(0, rows)
        self.cols = max(0, cols)
    }

    public var description: String { "\(cols)×\(rows)" }
}

/// What a run loop needs from a terminal, so it can run against the real one
/// (`Terminal`) or in memory (`FakeTerminal`).
public protocol TerminalDevice: AnyObject {
    var size: TerminalSize { get }
    /// The colour depth frames are shown with.
    var colorDepth: ColorDepth { get }
    /// The next key, or nil when `timeoutMilliseconds` passed first (nil waits for ever).
    /// Throws `TerminalError.closed` when input is gone for good, so the app exits
    /// instead of spinning.
    func readKey(timeoutMilliseconds: Int?) throws -> Key?
    /// Shows `buffer`, writing only what changed since the last frame shown.
    func present(_ buffer: ScreenBuffer)
    /// Repaints everything on the next `present` (and now, if a frame was shown): Ctrl-L.
    func forceRedraw()
    /// Rings the terminal's bell (BEL): an audible or visual alert, as the terminal is set up to give it.
    func bell()
    /// Bytes sent to the terminal since start or the last reset.
    var bytesWritten: UInt64 { get }
    func resetBytesWritten()
}

public enum TerminalError: Error, Hashable, Sendable, CustomStringConvertible {
    /// TERM is unset or empty.
    case missingTERM
    /// ncurses has no terminfo entry for this TERM.
    case unknownTerminalType(String)
    /// A file given for input or output could not be opened.
    case cannotOpen(path: String, errno: Int32)
    /// Another `Terminal` is still running in this process.
    case alreadyActive
    /// Input is gone (terminal closed, stdin at end of file) or the terminal was stopped.
    case closed

    public var description: String {
        switch self {
        case .missingTERM:
            return "TERM is not set, so the terminal type is unknown. Set TERM (for example TERM=xterm-256color) and try again."
        case .unknownTerminalType(let type):
            return "Unknown terminal type '\(TerminalText.sanitize(type))': no terminfo entry. Set TERM to a known type (for example TERM=xterm-256color) and try again."
        case .cannotOpen(let path, let code):
            return "Cannot open \(TerminalText.sanitize(path)) for the terminal (errno \(code))."
        case .alreadyActive:
            return "A terminal session is already running in this process."
        case .closed:
            return "The terminal was closed."
        }
    }
}
