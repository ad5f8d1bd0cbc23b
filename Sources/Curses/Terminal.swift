import CNcursesw
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The real terminal, through ncursesw: raw keys, a hidden cursor, and frames written as
/// diffs (only changed cells, then one `doupdate`). The terminal is restored (`endwin`)
/// by `stop()`, on deinit, at `exit`, and on SIGINT/SIGTERM/SIGHUP and crash signals (by
/// `CrashReport`'s async-signal-safe handler when it is installed, which also writes a report).
///
/// ncurses keeps global state, so one `Terminal` runs at a time per process.
public final class Terminal: TerminalDevice {
    public struct Options: Sendable {
        /// The terminfo name; nil takes TERM from `environment`.
        public var terminalType: String?
        /// Where TERM, COLORTERM and NO_COLOR come from; nil is the process environment.
        public var environment: [String: String]?
        /// A file to write to instead of stdout (tests use "/dev/null").
        public var outputPath: String?
        /// A file to read keys from instead of stdin (tests use "/dev/null").
        public var inputPath: String?
        /// Install handlers that restore the terminal on signals (off in tests).
        public var handlesSignals: Bool
        public var escapeDelayMilliseconds: Int
        /// Ask for mouse reports (SGR, mode 1006) when terminfo says the terminal has a mouse (`kmous`); they
        /// arrive as `Key.mouse`. Off by default; turned off again by `stop()`, at exit and on signals.
        public var mouse: Bool

        public init(terminalType: String? = nil, environment: [String: String]? = nil,
                    outputPath: String? = nil, inputPath: String? = nil,
                    handlesSignals: Bool = true, escapeDelayMilliseconds: Int = 25, mouse: Bool = false) {
            self.mouse = mouse
            self.terminalType = terminalType
            self.environment = environment
            self.outputPath = outputPath
            self.inputPath = inputPath
            self.handlesSignals = handlesSignals
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
        }
    }

    public let terminalType: String
    /// What the environment and terminfo offer (`ColorDepth.detect`).
    public let detectedColorDepth: ColorDepth
    /// What frames are drawn with: the detected depth, limited to what terminfo can
    /// express (24-bit needs a direct-colour entry such as xterm-direct).
    public let colorDepth: ColorDepth

    private var screen: OpaquePointer?
    private var inputFile: UnsafeMutablePointer<FILE>?
    private var outputFile: UnsafeMutablePointer<FILE>?
    private var ownsInputFile = false
    private var ownsOutputFile = false
    private let inputFD: Int32
    private var writtenBytes: UInt64 = 0
    private let usesDirectColor: Bool

    private var lastFrame: ScreenBuffer?
    private var needsFullRepaint = true
    private var clearBeforeNextPresent = false
    private var pairs: [ColorPairKey: Int32] = [:]
    private var nextPair: Int32 = 1
    private var suspiciousReadErrors = 0
    /// Mouse reporting was turned on (asked for, and the terminal has a mouse).
    public private(set) var mouseReporting = false

    /// Starts curses on the terminal. Throws a `TerminalError` (never exits) when TERM is
    /// missing or unknown.
    public init(options: Options = Options()) throws {
        let environment = options.environment ?? ProcessInfo.processInfo.environment
        guard let type = options.terminalType ?? environment["TERM"], !type.isEmpty else {
            throw TerminalError.missingTERM
        }
        guard !TerminalSession.isActive else { throw TerminalError.alreadyActive }
        terminalType = type
        Terminal.ensureUTF8Locale()

        // Open everything first, so a failure leaves nothing behind.
        var outFile = cg_stdout()
        if let path = options.outputPath {
            outFile = fopen(path, "we")
            guard outFile != nil else { throw TerminalError.cannotOpen(path: path, errno: errno) }
        }
        var inFile = cg_stdin()
        if let path = options.inputPath {
            inFile = fopen(path, "re")
            guard inFile != nil else {
                let code = errno
                if options.outputPath != nil { fclose(outFile) }
                throw TerminalError.cannotOpen(path: path, errno: code)
            }
        }

        // The terminal's modes before curses changes them, for a crash handler to put back.
        var shellModes = termios()
        let hasShellModes = tcgetattr(fileno(outFile), &shellModes) == 0

        // Our handlers go in before newterm: ncurses only installs its own SIGINT/SIGTERM
        // handlers where none is set, and ours restore the terminal the same way.
        if options.handlesSignals { TerminalSignals.install() }
        guard let screen = newterm(type, outFile, inFile) else {
            if options.handlesSignals { TerminalSignals.uninstall() }
            if options.outputPath != nil { fclose(outFile) }
            if options.inputPath != nil { fclose(inFile) }
            throw TerminalError.unknownTerminalType(type)
        }
        self.screen = screen
        self.inputFile = inFile
        self.outputFile = outFile
        self.ownsInputFile = options.inputPath != nil
        self.ownsOutputFile = options.outputPath != nil
        self.inputFD = fileno(inFile)

        set_term(screen)
        let window = cg_stdscr()
        raw()  // Ctrl-C, Ctrl-Z, Ctrl-S arrive as keys; signals from outside still restore
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        leaveok(window, true)  // the cursor is hidden: never spend bytes moving it
        set_escdelay(Int32(clamping: options.escapeDelayMilliseconds))
        curs_set(0)
        mousemask(0, nil)
        if options.mouse, Terminal.hasMouse() {
            // ncurses would take the report's first bytes as its own KEY_MOUSE (kmous); we read SGR reports ourselves.
            keyok(KEY_MOUSE, false)
            Terminal.writeAll(fileno(outFile), Array(MouseEvent.enableSequence.utf8))
            mouseReporting = true
            TerminalSession.mouseFD = fileno(outFile)
        }

        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(cg_colors())
        }
        detectedColorDepth = ColorDepth.detect(environment: environment, terminalColors: colors)
        colorDepth = min(detectedColorDepth, ColorDepth(terminalColors: colors))
        usesDirectColor = colorDepth == .trueColor
        TerminalSession.begin()
        CrashReport.attachTerminal(fd: fileno(outFile), modes: hasShellModes ? shellModes : nil,
                                   reset: (mouseReporting ? Array(MouseEvent.disableSequence.utf8) : []) + Terminal.resetSequence())
    }

    /// What a crash handler writes to put the terminal back, from terminfo: attributes off, cursor shown,
    /// keypad mode off (curses turned it on), then out of the alternate screen. This layer never turns the
    /// mouse on (`mousemask(0)`); the SGR mouse mode this layer may turn on is turned off by bytes put before these (see
    /// `init`). Without an alternate screen the
    /// cursor goes to a new line instead.
    static func resetSequence() -> [UInt8] {
        var bytes: [UInt8] = []
        var leavesAlternateScreen = false
        for name in ["sgr0", "cnorm", "rmkx", "rmcup"] {
            guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { continue }
            let string = Array(String(cString: value).utf8)
            bytes += string
            if name == "rmcup" && !string.isEmpty { leavesAlternateScreen = true }
        }
        if !leavesAlternateScreen { bytes += Array("\r\n".utf8) }
        return bytes.count <= 512 ? bytes : []
    }

    /// Runs `body` with a started terminal and always stops it, even when `body` throws.
    public static func run<T>(options: Options = Options(), _ body: (Terminal) throws -> T) throws -> T {
        let terminal = try Terminal(options: options)
        defer { terminal.stop() }
        return try body(terminal)
    }

    deinit { stop() }

    public var isActive: Bool { screen != nil }

    /// Restores the terminal and frees curses. Safe to call more than once.
    public func stop() {
        guard let screen else { return }
        set_term(screen)
        countingWrites {
            curs_set(1)
            endwin()
            if mouseReporting, let outputFile { Terminal.writeAll(fileno(outputFile), Array(MouseEvent.disableSequence.utf8)) }
        }
        mouseReporting = false
        TerminalSession.mouseFD = -1
        TerminalSession.end()
        CrashReport.detachTerminal()
        TerminalSignals.uninstall()
        delscreen(screen)
        if ownsInputFile, let inputFile { fclose(inputFile) }
        if ownsOutputFile, let outputFile { fclose(outputFile) }
        self.screen = nil
        self.inputFile = nil
        self.outputFile = nil
    }

    /// Runs a curses call that may write to the terminal, adding what it wrote to
    /// `bytesWritten` (the kernel's per-thread count of bytes passed to write(2)).
    private func countingWrites<T>(_ body: () -> T) -> T {
        let before = cg_thread_write_bytes()
        let result = body()
        let after = cg_thread_write_bytes()
        if before >= 0, after >= before { writtenBytes += UInt64(after - before) }
        return result
    }

    // MARK: Size

    public var size: TerminalSize {
        guard screen != nil else { return TerminalSize(rows: 0, cols: 0) }
        var rows: Int32 = 0, cols: Int32 = 0
        cg_getmaxyx(cg_stdscr(), &rows, &cols)
        return TerminalSize(rows: Int(rows), cols: Int(cols))
    }

    /// Tells curses the terminal is now `rows` × `cols` (what a SIGWINCH does; tests use
    /// it headless). The next frame is painted in full.
    public func resize(rows: Int, cols: Int) {
        guard screen != nil else { return }
        _ = countingWrites { resizeterm(Int32(clamping: max(1, rows)), Int32(clamping: max(1, cols))) }
        needsFullRepaint = true
    }

    // MARK: Input

    public func readKey(timeoutMilliseconds: Int?) throws -> Key? {
        guard screen != nil else { throw TerminalError.closed }
        let window = cg_stdscr()
        let timeout = timeoutMilliseconds.map { max(0, $0) }
        wtimeout(window, Int32(clamping: timeout ?? -1))
        var value: wint_t = 0
        let started = ContinuousClock.now
        let status = countingWrites { wget_wch(window, &value) }
        if status == ERR {
            // A timeout takes the time asked for. ERR much sooner, again and again, or a
            // hung-up descriptor means input is gone: say so instead of spinning.
            let elapsed = ContinuousClock.now - started
            if inputHungUp() {
                suspiciousReadErrors = 3
            } else if let timeout, timeout < 20 {
                suspiciousReadErrors = 0
            } else if let timeout, elapsed >= .milliseconds(timeout / 2) {
                suspiciousReadErrors = 0
            } else {
                suspiciousReadErrors += 1
            }
            if suspiciousReadErrors >= 3 { throw TerminalError.closed }
            return nil
        }
        suspiciousReadErrors = 0
        let key = Key.decode(status: status, value: value)
        if key == .resize { needsFullRepaint = true }
        if key == .escape, mouseReporting { return readMouseReport(window) ?? .escape }
        return key
    }

    /// After an ESC: an SGR mouse report if that is what follows, else nil with what was read given back to curses,
    /// so the next reads see it as before (Alt-x stays ESC then x).
    private func readMouseReport(_ window: UnsafeMutablePointer<WINDOW>?) -> Key? {
        var raw: [(status: Int32, value: wint_t)] = []
        let (event, _) = MouseEvent.readSGR {
            // A report arrives in one write: the first byte is either there already or this ESC was a key.
            wtimeout(window, raw.isEmpty ? 0 : 50)
            var value: wint_t = 0
            let status = wget_wch(window, &value)
            guard status != ERR else { return nil }
            raw.append((status, value))
            guard status == OK, let scalar = Unicode.Scalar(UInt32(value)) else { return "\u{FFFD}" }
            return Character(scalar)
        }
        if let event { return .mouse(event) }
        for item in raw.reversed() {
            if item.status == KEY_CODE_YES { ungetch(Int32(bitPattern: UInt32(item.value))) } else { unget_wch(wchar_t(bitPattern: UInt32(item.value))) }
        }
        return nil
    }

    /// Whether terminfo says this terminal reports a mouse (it has `kmous`).
    static func hasMouse() -> Bool {
        guard let value = tigetstr("kmous"), Int(bitPattern: value) != -1 else { return false }
        return value.pointee != 0
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return }
                offset += n
            }
        }
    }

    private func inputHungUp() -> Bool {
        var descriptor = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return false }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    // MARK: Output

    public func present(_ buffer: ScreenBuffer) {
        guard screen != nil, let window = cg_stdscr() else { return }
        let full = needsFullRepaint || clearBeforeNextPresent || lastFrame == nil
            || lastFrame?.width != buffer.width || lastFrame?.height != buffer.height
        if full {
            werase(window)
            if clearBeforeNextPresent { clearok(cg_curscr(), true) }
        }
        let screenSize = size
        var lastWritten: (x: Int, y: Int) = (-1, -1)
        for change in buffer.changes(since: full ? nil : lastFrame) {
            var (x, y, cell) = change
            if cell.width == 0 {
                // A changed right half: repaint the wide character it belongs to.
                guard x > 0, lastWritten != (x - 1, y) else { continue }
                x -= 1
                cell = buffer[x, y]
                if cell.width == 0 { continue }
            }
            guard x < screenSize.cols, y < screenSize.rows else { continue }
            write(cell, x: x, y: y, screenCols: screenSize.cols, window: window)
            lastWritten = (x, y)
        }
        wnoutrefresh(window)
        countingWrites { _ = doupdate() }
        lastFrame = buffer
        needsFullRepaint = false
        clearBeforeNextPresent = false
    }

    public func forceRedraw() {
        clearBeforeNextPresent = true
        if let lastFrame { present(lastFrame) }
    }

    /// Writes BEL (terminfo's `bel`) and flushes it at once.
    public func bell() {
        guard screen != nil else { return }
        countingWrites { _ = beep() }
    }

    /// Bytes sent to the terminal by presenting frames, reading keys (ncurses may write
    /// then) and stopping, since start or the last reset. Counted by the kernel per
    /// thread (Linux /proc/thread-self/io), so other threads' writes never count; stays
    /// 0 where that counter is unavailable.
    public var bytesWritten: UInt64 { writtenBytes }

    public func resetBytesWritten() { writtenBytes = 0 }

    /// What curses believes the terminal shows at (x, y) after the last `present`: the
    /// cell's characters, or "" for the right half of a wide character. For tests.
    public func shownCharacters(x: Int, y: Int) -> String? {
        guard screen != nil else { return nil }
        var chars = [wchar_t](repeating: 0, count: Int(cg_ccharw_max()) + 1)
        var attrs: attr_t = 0
        var pair: Int32 = 0
        guard cg_read_cell(cg_curscr(), Int32(y), Int32(x), &chars, &attrs, &pair) == OK else { return nil }
        var scalars = String.UnicodeScalarView()
        for c in chars {
            guard c != 0, let s = Unicode.Scalar(UInt32(bitPattern: c)) else { break }
            scalars.append(s)
        }
        return String(scalars)
    }

    /// One cell into curses' window, with the C library's widths: where they disagree
    /// with ours, the cell is padded or replaced so columns never drift.
    private func write(_ cell: Cell, x: Int, y: Int, screenCols: Int, window: UnsafeMutablePointer<WINDOW>) {
        let style = cell.style.adapted(to: colorDepth)
        let attributes = attributeBits(style.attributes)
        let pair = colorPair(fg: style.fg, bg: style.bg)
        let scalars = Array(cell.grapheme.unicodeScalars)
        func put(_ characters: [Unicode.Scalar], at column: Int) {
            var wide = characters.map { wchar_t(bitPattern: $0.value) }
            wide.append(0)
            _ = cg_put_cell(window, Int32(y), Int32(column), wide, attributes, pair)
        }
        guard let base = scalars.first else { return }
        if cell.width == 2 && x + 1 >= screenCols {
            put([" "], at: x)
            return
        }
        if cell.width == 2, TerminalText.isRegionalIndicator(base), scalars.count >= 2,
           TerminalText.isRegionalIndicator(scalars[1]) {
            // A flag: two narrow halves that a terminal may join into one picture.
            put([base], at: x)
            put([scalars[1]], at: x + 1)
            return
        }
        let systemWidth = Int(cg_wcwidth(wchar_t(bitPattern: base.value)))
        var characters = [base]
        for scalar in scalars.dropFirst() {
            // Marks ride along; a ZWJ sequence is cut to its first picture, and a
            // variation selector that would widen a narrow character is dropped.
            if scalar.value == 0x200D || characters.count >= Int(cg_ccharw_max()) { break }
            if scalar.value == 0xFE0F && systemWidth < 2 { continue }
            if cg_wcwidth(wchar_t(bitPattern: scalar.value)) != 0 { break }
            characters.append(scalar)
        }
        switch (cell.width, systemWidth) {
        case (2, 2), (1, 1):
            put(characters, at: x)
        case (2, 1):
            put(characters, at: x)
            put([" "], at: x + 1)
        case (2, _):
            put([TerminalText.replacement], at: x)
            put([" "], at: x + 1)
        default:
            put([TerminalText.replacement], at: x)
        }
    }

    private func attributeBits(_ attributes: TextAttributes) -> attr_t {
        var bits = cg_wa_normal()
        if attributes.contains(.bold) { bits |= cg_wa_bold() }
        if attributes.contains(.dim) { bits |= cg_wa_dim() }
        if attributes.contains(.italic) { bits |= cg_wa_italic() }
        if attributes.contains(.underline) { bits |= cg_wa_underline() }
        if attributes.contains(.reverse) { bits |= cg_wa_reverse() }
        if attributes.contains(.blink) { bits |= cg_wa_blink() }
        return bits
    }

    // MARK: Colour pairs

    private struct ColorPairKey: Hashable {
        var fg: Int32
        var bg: Int32
    }

    /// The colour pair for (fg, bg), allocated on first use. Falls back to the default
    /// pair when the terminal has no pairs left.
    private func colorPair(fg: Color, bg: Color) -> Int32 {
        guard colorDepth != .none else { return 0 }
        let key = ColorPairKey(fg: colorNumber(fg), bg: colorNumber(bg))
        if key.fg == -1 && key.bg == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        guard nextPair < cg_color_pairs(), init_extended_pair(nextPair, key.fg, key.bg) == OK else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }

    /// Curses' number for an already downgraded colour: -1 is the terminal default; with
    /// direct colour, numbers from 8 up are 0xRRGGBB.
    private func colorNumber(_ color: Color) -> Int32 {
        switch color {
        case .default: return -1
        case .ansi(let n), .index(let n):
            if usesDirectColor && n >= 8, let c = color.rgbComponents {
                return Int32(c.r) << 16 | Int32(c.g) << 8 | Int32(c.b)
            }
            return Int32(n)
        case .rgb(let r, let g, let b):
            guard usesDirectColor else { return Int32(Color.nearest256(r: r, g: g, b: b)) }
            return Int32(r) << 16 | Int32(g) << 8 | Int32(b)
        }
    }

    // MARK: Locale

    /// ncurses draws with the C library's multibyte functions, which need a UTF-8 locale:
    /// take the user's, or C.UTF-8 when theirs is not UTF-8.
    static func ensureUTF8Locale() {
        setlocale(LC_ALL, "")
        if !currentLocaleIsUTF8() {
            for name in ["C.UTF-8", "C.utf8", "en_US.UTF-8"] where setlocale(LC_CTYPE, name) != nil {
                break
            }
        }
    }

    static func currentLocaleIsUTF8() -> Bool {
        guard let name = setlocale(LC_CTYPE, nil) else { return false }
        let s = String(cString: name).lowercased()
        return s.contains("utf-8") || s.contains("utf8")
    }
}

// MARK: - Process-wide state

/// Whether a terminal is running, for the exit and signal paths.
enum TerminalSession {
    nonisolated(unsafe) static var isActive = false
    /// Where the bytes that turn mouse reporting off go at exit or on a signal; -1 when it is off.
    nonisolated(unsafe) static var mouseFD: Int32 = -1

    /// Async-signal-safe: a write of constant bytes.
    static func turnMouseOff() {
        let fd = mouseFD
        guard fd >= 0 else { return }
        mouseFD = -1
        let off: StaticString = "\u{1B}[?1006l\u{1B}[?1000l"
        _ = Glibc.write(fd, off.utf8Start, off.utf8CodeUnitCount)
    }
    nonisolated(unsafe) private static var exitHandlerInstalled = false

    static func begin() {
        isActive = true
        if !exitHandlerInstalled {
            exitHandlerInstalled = true
            atexit {
                // `exit` with the terminal still up (e.g. from deep in the app): restore it.
                guard TerminalSession.isActive else { return }
                TerminalSession.isActive = false
                endwin()
                TerminalSession.turnMouseOff()
            }
        }
    }

    static func end() { isActive = false }
}

/// Restores the terminal on signals that end the process, then lets the signal do what it
/// would have done (the previous handler, or the default action), so exit statuses and
/// crash reports stay right.
enum TerminalSignals {
    static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP]
    private static let slots = 65
    /// Previous actions by signal number; allocated once, read by the handler.
    nonisolated(unsafe) private static var previous: UnsafeMutablePointer<sigaction>?
    nonisolated(unsafe) private static var installed = false
    /// The signals this install took: the fatal ones only when no `CrashReport` handles them.
    nonisolated(unsafe) private static var taken: [Int32] = []

    static func install() {
        guard !installed else { return }
        let saved = previous ?? UnsafeMutablePointer<sigaction>.allocate(capacity: slots)
        previous = saved
        taken = CrashReport.isInstalled ? handled.filter { !CrashReport.fatalSignals.contains($0) } : handled
        for signal in taken {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = terminalSignalHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, saved + Int(signal))
        }
        installed = true
    }

    static func uninstall() {
        guard installed, let saved = previous else { return }
        for signal in taken {
            sigaction(signal, saved + Int(signal), nil)
        }
        installed = false
    }

    static func restorePrevious(_ signal: Int32) {
        guard let saved = previous, signal >= 0, signal < Int32(slots) else {
            Glibc.signal(signal, SIG_DFL)
            return
        }
        sigaction(signal, saved + Int(signal), nil)
    }
}

private let terminalSignalHandler: @convention(c) (Int32) -> Void = { signal in
    if TerminalSession.isActive {
        TerminalSession.isActive = false
        endwin()
        TerminalSession.turnMouseOff()
    }
    TerminalSignals.restorePrevious(signal)
    // Delivered when this handler returns (the signal is blocked until then); a fault
    // signal instead repeats when the faulting instruction runs again.
    raise(signal)
}
