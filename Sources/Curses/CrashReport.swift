import CNcursesw
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// What a crash does once `CrashReport.install` has run. On a fatal signal (SIGSEGV, SIGBUS, SIGILL and SIGTRAP,
/// which Swift's traps raise, SIGFPE, SIGABRT) the handler
///  1. restores the terminal if a `Terminal` is up: the terminal modes saved before curses changed them, then
///     terminfo's strings to reset attributes, show the cursor, leave keypad mode and leave the alternate screen;
///  2. writes a report to a new file, mode 0600, in the configured folder (created 0700 if missing), named
///     `crash-YYYYMMDDTHHMMSSZ-PID.txt`: the configured header, the signal, its address, the time, the process id,
///     what the program wrote to standard error while it was captured, and a backtrace (`backtrace_symbols_fd`);
///  3. prints ONE line on standard error: the selected message and the report's path (and on the terminal as well
///     when standard error goes elsewhere);
///  4. lets the signal take its default action, so the exit status still says the process crashed (or, when the
///     configuration asks, hands it to the handler that was there before: the Swift runtime's backtracer).
/// Nothing waits for a key.
///
/// Why not the Swift runtime's own backtracer: its settings come only from `SWIFT_BACKTRACE` in the environment
/// at process start, it leaves the terminal in curses' modes, prints the whole backtrace (source paths included)
/// and, on a terminal, waits for a key; with `output-to=` a folder it picks the file name itself, so no one line
/// could name it.
///
/// Everything the handler needs is allocated at install time; the handler makes only async-signal-safe calls
/// (tcsetattr, write, open, mkdir, stat, fstat, pread, dup2, unlink, time, getpid, sigaction, raise) plus `backtrace`,
/// whose lazy loading of the unwinder is done by a first call at install.
public enum CrashReport {
    /// The one line, in one language: `written` is followed by the report's path, `notWritten` by the folder.
    public struct Message: Sendable {
        public var written: String
        public var notWritten: String
        public init(written: String, notWritten: String) { self.written = written; self.notWritten = notWritten }
    }

    public struct Configuration: Sendable {
        /// The folder reports go to.
        public var directory: String
        /// The first lines of every report (program, version, command).
        public var header: String
        /// The one line in each language the program speaks; `selectMessage` picks one (the first by default).
        public var messages: [Message]
        /// After the report, hand the signal to the handler installed before (the Swift runtime's backtracer, when
        /// the user asked for it with SWIFT_BACKTRACE) instead of the default action.
        public var chainToPrevious: Bool

        public init(directory: String, header: String, messages: [Message], chainToPrevious: Bool = false) {
            self.directory = directory; self.header = header; self.messages = messages; self.chainToPrevious = chainToPrevious
        }
    }

    public static let fatalSignals: [Int32] = [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGABRT]

    /// Whether the handlers are in place (then `Terminal` leaves the fatal signals to them).
    public static var isInstalled: Bool { shared != nil }

    /// Installs the handlers, or replaces the configuration of those installed. Call it after the Swift runtime has
    /// started (from `main`), so these handlers replace the runtime's.
    public static func install(_ configuration: Configuration) {
        let state: UnsafeMutablePointer<State>
        if let existing = shared {
            state = existing
        } else {
            state = .allocate(capacity: 1)
            state.initialize(to: State())
            let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)
            previous.initialize(repeating: sigaction(), count: 65)
            let frames = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: maxFrames)
            frames.initialize(repeating: nil, count: maxFrames)
            state.pointee.previous = previous
            state.pointee.frames = frames
            state.pointee.scratch = .allocate(capacity: scratchBytes)
            state.pointee.reset = Bytes.make(capacity: 512)
            // The first call loads the unwinder (dlopen, malloc): never in the handler.
            _ = backtrace(frames, Int32(maxFrames))
        }
        let directory = configuration.directory.hasSuffix("/") && configuration.directory.count > 1
            ? String(configuration.directory.dropLast()) : configuration.directory
        state.pointee.directory = Bytes.make(directory)
        // Room for the folder, "/crash-YYYYMMDDTHHMMSSZ-PID-N.txt" and the NUL.
        state.pointee.path = .allocate(capacity: directory.utf8.count + 80)
        state.pointee.header = Bytes.make(configuration.header.hasSuffix("\n") || configuration.header.isEmpty
                                          ? configuration.header : configuration.header + "\n")
        let messages = configuration.messages.isEmpty
            ? [Message(written: "crashed; crash report: ", notWritten: "crashed; no crash report could be written in ")]
            : configuration.messages
        let table = UnsafeMutablePointer<Bytes>.allocate(capacity: messages.count * 2)
        for (index, message) in messages.enumerated() {
            (table + 2 * index).initialize(to: Bytes.make(message.written))
            (table + 2 * index + 1).initialize(to: Bytes.make(message.notWritten))
        }
        // Old tables stay allocated: a handler on another thread may be reading one.
        state.pointee.messages = table
        state.pointee.messageCount = messages.count
        state.pointee.chain = configuration.chainToPrevious
        if shared == nil, let previous = state.pointee.previous {
            installAlternateStack()
            for signal in fatalSignals {
                var action = sigaction()
                action.__sigaction_handler.sa_sigaction = crashSignalHandler
                // While the report is written: no Ctrl-C handler running curses code, and a closed standard error
                // is an error from write(), not a SIGPIPE that ends the process under another name.
                sigemptyset(&action.sa_mask)
                for blocked in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGPIPE] { sigaddset(&action.sa_mask, blocked) }
                action.sa_flags = SA_SIGINFO | SA_ONSTACK
                sigaction(signal, &action, previous + Int(signal))
            }
            _ = selected.load(ordering: .relaxed)
            _ = handlingThread.load(ordering: .relaxed)
            shared = state
        }
    }

    /// Which of the configured messages the line uses (for a program whose language changes while it runs).
    public static func selectMessage(_ index: Int) {
        selected.store(index, ordering: .relaxed)
    }

    /// Creates the report folder (and its parents), mode 0700, now rather than at the crash.
    public static func createDirectory() -> Bool {
        guard let state = shared else { return false }
        return makeDirectories(state)
    }

    // MARK: Standard error

    /// Sends standard error to a private file in the report folder until `releaseStandardError`: a full-screen
    /// program's screen is not garbled by stray messages, and a crash report carries the last of them (Swift's
    /// "Fatal error: …" line names the failed check). False when there is nothing installed or the file cannot be made.
    public static func captureStandardError() -> Bool {
        guard let state = shared, state.pointee.capturedFD < 0, makeDirectories(state) else { return false }
        let path = String(decoding: UnsafeBufferPointer(start: state.pointee.directory.base, count: state.pointee.directory.count),
                          as: UTF8.self) + "/stderr-\(getpid()).log"
        let log = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard log >= 0 else { return false }
        let original = fcntl(2, F_DUPFD_CLOEXEC, 3)
        guard original >= 0 else {
            close(log)
            unlink(path)
            return false
        }
        fflush(nil)
        guard dup2(log, 2) >= 0 else {
            close(log); close(original); unlink(path)
            return false
        }
        state.pointee.capturePath = Bytes.make(path)
        state.pointee.originalStderrFD = original
        state.pointee.capturedFD = log
        return true
    }

    /// Gives standard error back and returns what was written to it meanwhile (the file is removed).
    @discardableResult
    public static func releaseStandardError() -> [UInt8] {
        guard let state = shared, state.pointee.capturedFD >= 0 else { return [] }
        fflush(nil)
        let log = state.pointee.capturedFD, original = state.pointee.originalStderrFD
        state.pointee.capturedFD = -1
        dup2(original, 2)
        close(original)
        state.pointee.originalStderrFD = -1
        var captured: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        var offset: off_t = 0
        while captured.count < 1 << 20 {
            let n = chunk.withUnsafeMutableBytes { pread(log, $0.baseAddress, $0.count, offset) }
            if n <= 0 { break }
            captured.append(contentsOf: chunk[0..<n])
            offset += off_t(n)
        }
        close(log)
        if let base = state.pointee.capturePath.base { unlink(base) }
        return captured
    }

    // MARK: The terminal (for `Terminal`)

    /// Called by `Terminal` once curses is up: how to put the terminal back.
    static func attachTerminal(fd: Int32, modes: termios?, reset: [UInt8]) {
        guard let state = shared, reset.count <= 512 else { return }
        state.pointee.terminalFD = -1
        state.pointee.hasModes = modes != nil
        if let modes { state.pointee.modes = modes }
        if let base = state.pointee.reset.base {
            for (i, byte) in reset.enumerated() { base[i] = byte }
        }
        state.pointee.reset.count = reset.count
        state.pointee.terminalFD = fd
    }

    static func detachTerminal() {
        shared?.pointee.terminalFD = -1
    }

    // MARK: State

    struct Bytes {
        var base: UnsafeMutablePointer<UInt8>?
        var count = 0

        /// NUL-terminated, so the bytes can also be passed as a path.
        static func make(_ text: String) -> Bytes {
            let utf8 = Array(text.utf8)
            let base = UnsafeMutablePointer<UInt8>.allocate(capacity: utf8.count + 1)
            for (i, byte) in utf8.enumerated() { base[i] = byte }
            base[utf8.count] = 0
            return Bytes(base: base, count: utf8.count)
        }

        static func make(capacity: Int) -> Bytes {
            let base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + 1)
            base.initialize(repeating: 0, count: capacity + 1)
            return Bytes(base: base, count: 0)
        }
    }

    struct State {
        var directory = Bytes()
        var header = Bytes()
        var messages: UnsafeMutablePointer<Bytes>?
        var messageCount = 0
        var chain = false
        var path: UnsafeMutablePointer<UInt8>?
        var pathLength = 0
        var scratch: UnsafeMutablePointer<UInt8>?
        var frames: UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        var previous: UnsafeMutablePointer<sigaction>?
        var terminalFD: Int32 = -1
        var hasModes = false
        var modes = termios()
        var reset = Bytes()
        var capturedFD: Int32 = -1
        var originalStderrFD: Int32 = -1
        var capturePath = Bytes()
    }

    static let maxFrames = 128
    static let scratchBytes = 4096
    /// The most of captured standard error a report carries (its end).
    static let maxCapturedBytes = 64 << 10

    nonisolated(unsafe) static var shared: UnsafeMutablePointer<State>?
    static let selected = Atomic<Int>(0)
    /// The thread writing the report (0: none yet); a second crashing thread waits for it to end the process.
    static let handlingThread = Atomic<UInt>(0)

    static func installAlternateStack() {
        var current = stack_t()
        guard sigaltstack(nil, &current) == 0, current.ss_flags & Int32(SS_DISABLE) != 0 else { return }
        let size = 256 << 10
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
    }

    /// `mkdir -p` with mode 0700, on the preallocated path buffer: safe in the handler.
    static func makeDirectories(_ state: UnsafeMutablePointer<State>) -> Bool {
        guard let path = state.pointee.path, let directory = state.pointee.directory.base else { return false }
        let count = state.pointee.directory.count
        guard count > 0 else { return false }
        var i = 0
        while i < count { path[i] = directory[i]; i += 1 }
        path[count] = 0
        i = 1
        while i < count {
            if path[i] == UInt8(ascii: "/") {
                path[i] = 0
                _ = path.withMemoryRebound(to: CChar.self, capacity: count + 1) { mkdir($0, 0o700) }
                path[i] = UInt8(ascii: "/")
            }
            i += 1
        }
        _ = path.withMemoryRebound(to: CChar.self, capacity: count + 1) { mkdir($0, 0o700) }
        var info = stat()
        let found = path.withMemoryRebound(to: CChar.self, capacity: count + 1) { stat($0, &info) }
        return found == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

// MARK: - The handler (async-signal-safe from here on)

private let crashSignalHandler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { signal, info, _ in
    let sentByCall = (info?.pointee.si_code ?? 0) <= 0   // raise, kill, abort: not a fault that repeats
    guard let state = CrashReport.shared else {
        CrashSignal.end(signal, sentByCall: sentByCall, previous: nil)
        return
    }
    let me = UInt(bitPattern: Int(pthread_self()))
    let (first, holder) = CrashReport.handlingThread.compareExchange(expected: 0, desired: me, ordering: .sequentiallyConsistent)
    if !first {
        // A crash inside the handler itself: end now. Another thread's crash: that thread is writing the report and
        // will end the process; wait for it (bounded, in case it is stuck), then end.
        if holder != me {
            var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            var waits = 0
            while waits < 100 { nanosleep(&pause, nil); waits += 1 }
        }
        CrashSignal.end(signal, sentByCall: sentByCall, previous: nil)
        return
    }
    CrashSignal.restoreTerminal(state)
    CrashSignal.restoreStandardError(state)
    let fd = CrashSignal.openReport(state)
    if fd >= 0 {
        CrashSignal.writeReport(state, fd: fd, signal: signal, address: cg_siginfo_address(info))
        close(fd)
    }
    if let capture = state.pointee.capturePath.base, state.pointee.capturedFD >= 0 {
        close(state.pointee.capturedFD)
        capture.withMemoryRebound(to: CChar.self, capacity: state.pointee.capturePath.count + 1) { _ = unlink($0) }
    }
    CrashSignal.printLine(state, written: fd >= 0)
    CrashSignal.end(signal, sentByCall: sentByCall, previous: state.pointee.chain ? state.pointee.previous : nil)
}

enum CrashSignal {
    /// Default action (or the previous handler), then let the signal happen again: raised now for one sent by a
    /// call (delivered when the handler returns), by the faulting instruction running again for a fault.
    static func end(_ signal: Int32, sentByCall: Bool, previous: UnsafeMutablePointer<sigaction>?) {
        if let previous {
            sigaction(signal, previous + Int(signal), nil)
        } else {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = SIG_DFL
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        if sentByCall || signal == SIGTRAP { raise(signal) }
    }

    static func restoreTerminal(_ state: UnsafeMutablePointer<CrashReport.State>) {
        let fd = state.pointee.terminalFD
        guard fd >= 0 else { return }
        if state.pointee.hasModes { _ = tcsetattr(fd, TCSANOW, &state.pointee.modes) }
        if let base = state.pointee.reset.base { writeAll(fd, base, state.pointee.reset.count) }
    }

    static func restoreStandardError(_ state: UnsafeMutablePointer<CrashReport.State>) {
        guard state.pointee.originalStderrFD >= 0 else { return }
        dup2(state.pointee.originalStderrFD, 2)
    }

    /// Creates the report file: the folder (made if missing) + `/crash-YYYYMMDDTHHMMSSZ-PID.txt`.
    static func openReport(_ state: UnsafeMutablePointer<CrashReport.State>) -> Int32 {
        guard CrashReport.makeDirectories(state), let path = state.pointee.path else { return -1 }
        var t = time(nil)
        if t < 0 { t = 0 }
        let (year, month, day) = civil(days: Int(t) / 86_400)
        let seconds = Int(t) % 86_400
        let pid = Int(getpid())
        var attempt = 0
        while attempt < 3 {
            defer { attempt += 1 }
            var n = state.pointee.directory.count
            append(path, &n, "/crash-")
            appendDigits(path, &n, year, 4); appendDigits(path, &n, month, 2); appendDigits(path, &n, day, 2)
            append(path, &n, "T")
            appendDigits(path, &n, seconds / 3600, 2); appendDigits(path, &n, seconds / 60 % 60, 2); appendDigits(path, &n, seconds % 60, 2)
            append(path, &n, "Z-")
            appendDigits(path, &n, pid, 1)
            if attempt > 0 { append(path, &n, "-"); appendDigits(path, &n, attempt, 1) }
            append(path, &n, ".txt")
            path[n] = 0
            let fd = path.withMemoryRebound(to: CChar.self, capacity: n + 1) {
                open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            }
            state.pointee.pathLength = n
            if fd >= 0 || errno != EEXIST { return fd }
        }
        return -1
    }

    static func writeReport(_ state: UnsafeMutablePointer<CrashReport.State>, fd: Int32, signal: Int32, address: UInt) {
        if let header = state.pointee.header.base { writeAll(fd, header, state.pointee.header.count) }
        put(fd, "signal: "); putDecimal(fd, Int(signal), state); put(fd, " "); put(fd, name(of: signal)); put(fd, "\n")
        if signal == SIGSEGV || signal == SIGBUS || signal == SIGILL || signal == SIGFPE || signal == SIGTRAP {
            put(fd, "address: 0x"); putHex(fd, address, state); put(fd, "\n")
        }
        var t = time(nil)
        if t < 0 { t = 0 }
        let (year, month, day) = civil(days: Int(t) / 86_400)
        let seconds = Int(t) % 86_400
        put(fd, "time: "); putPadded(fd, year, 4, state); put(fd, "-"); putPadded(fd, month, 2, state); put(fd, "-")
        putPadded(fd, day, 2, state); put(fd, "T"); putPadded(fd, seconds / 3600, 2, state); put(fd, ":")
        putPadded(fd, seconds / 60 % 60, 2, state); put(fd, ":"); putPadded(fd, seconds % 60, 2, state); put(fd, "Z\n")
        put(fd, "pid: "); putDecimal(fd, Int(getpid()), state); put(fd, "\n")
        let log = state.pointee.capturedFD
        var info = stat()
        if log >= 0, fstat(log, &info) == 0, info.st_size > 0, let scratch = state.pointee.scratch {
            let size = Int(info.st_size)
            var offset = size > CrashReport.maxCapturedBytes ? size - CrashReport.maxCapturedBytes : 0
            put(fd, offset > 0 ? "\nstandard error (its last 64 KiB):\n" : "\nstandard error:\n")
            while offset < size {
                let n = pread(log, scratch, size - offset < CrashReport.scratchBytes ? size - offset : CrashReport.scratchBytes, off_t(offset))
                if n <= 0 { break }
                writeAll(fd, scratch, n)
                offset += n
            }
            if lastByte(log, size: size, state) != Int(UInt8(ascii: "\n")) { put(fd, "\n") }
        }
        // The program's own frames show as binary(+offset) when it exports no symbols.
        put(fd, "\nbacktrace (name a binary(+0xOFFSET) frame with: addr2line -f -e BINARY 0xOFFSET | swift demangle):\n")
        if let frames = state.pointee.frames {
            let count = backtrace(frames, Int32(CrashReport.maxFrames))
            backtrace_symbols_fd(frames, count, fd)
        }
    }

    /// The file's last byte, or -1 (no Optional: nothing generic in the handler).
    static func lastByte(_ fd: Int32, size: Int, _ state: UnsafeMutablePointer<CrashReport.State>) -> Int {
        guard size > 0, let scratch = state.pointee.scratch, pread(fd, scratch, 1, off_t(size - 1)) == 1 else { return -1 }
        return Int(scratch[0])
    }

    /// The one line, written with one write() so nothing interleaves it.
    static func printLine(_ state: UnsafeMutablePointer<CrashReport.State>, written: Bool) {
        guard let table = state.pointee.messages, state.pointee.messageCount > 0, let scratch = state.pointee.scratch else { return }
        var index = CrashReport.selected.load(ordering: .relaxed)
        if index < 0 || index >= state.pointee.messageCount { index = 0 }
        let message = table[2 * index + (written ? 0 : 1)]
        var n = 0
        appendBytes(scratch, &n, message.base, message.count)
        if written, let path = state.pointee.path {
            appendBytes(scratch, &n, path, state.pointee.pathLength)
        } else {
            appendBytes(scratch, &n, state.pointee.directory.base, state.pointee.directory.count)
        }
        scratch[n] = UInt8(ascii: "\n")
        writeAll(2, scratch, n + 1)
        // Standard error sent elsewhere (`2>file`): the operator at the terminal is told too.
        let terminal = state.pointee.terminalFD
        if terminal >= 0 && !sameFile(2, terminal) { writeAll(terminal, scratch, n + 1) }
    }

    static func sameFile(_ a: Int32, _ b: Int32) -> Bool {
        var first = stat(), second = stat()
        guard fstat(a, &first) == 0, fstat(b, &second) == 0 else { return false }
        return first.st_dev == second.st_dev && first.st_ino == second.st_ino
    }

    // MARK: Writing without allocating
    // No closures that capture a variable (a debug build boxes those on the heap) and no generic sequences such as
    // `stride` (the first use of a generic type instantiates its metadata, which allocates and locks): `while` loops
    // on Int only. Checked with gdb by scripts/reliability/crash-handler-alloc-check.sh.

    static func append(_ buffer: UnsafeMutablePointer<UInt8>, _ n: inout Int, _ text: StaticString) {
        let base = text.utf8Start
        var i = 0
        while i < text.utf8CodeUnitCount { buffer[n] = base[i]; n += 1; i += 1 }
    }

    /// `value` in decimal, zero-padded to at least `digits`.
    static func appendDigits(_ buffer: UnsafeMutablePointer<UInt8>, _ n: inout Int, _ value: Int, _ digits: Int) {
        var v = value < 0 ? 0 : value
        let needed = decimalDigits(v)
        let width = digits > needed ? digits : needed
        var i = width - 1
        while i >= 0 {
            buffer[n + i] = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
            i -= 1
        }
        n += width
    }

    /// At most what fits in the scratch buffer, keeping one byte for the line break.
    static func appendBytes(_ buffer: UnsafeMutablePointer<UInt8>, _ n: inout Int, _ source: UnsafeMutablePointer<UInt8>?, _ count: Int) {
        guard let source else { return }
        var i = 0
        while i < count && n < CrashReport.scratchBytes - 1 { buffer[n] = source[i]; n += 1; i += 1 }
    }

    static func writeAll(_ fd: Int32, _ base: UnsafeMutablePointer<UInt8>, _ count: Int) {
        var done = 0
        while done < count {
            let n = write(fd, base + done, count - done)
            if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return }
        }
    }

    static func put(_ fd: Int32, _ text: StaticString) {
        writeAll(fd, UnsafeMutablePointer(mutating: text.utf8Start), text.utf8CodeUnitCount)
    }

    static func putPadded(_ fd: Int32, _ value: Int, _ digits: Int, _ state: UnsafeMutablePointer<CrashReport.State>) {
        guard let scratch = state.pointee.scratch else { return }
        var n = 0
        appendDigits(scratch, &n, value, digits)
        writeAll(fd, scratch, n)
    }

    static func putDecimal(_ fd: Int32, _ value: Int, _ state: UnsafeMutablePointer<CrashReport.State>) {
        putPadded(fd, value, 1, state)
    }

    static func putHex(_ fd: Int32, _ value: UInt, _ state: UnsafeMutablePointer<CrashReport.State>) {
        guard let scratch = state.pointee.scratch else { return }
        var i = 0
        while i < 16 {
            defer { i += 1 }
            let digit = UInt8((value >> UInt(60 - 4 * i)) & 0xF)
            scratch[i] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
        }
        writeAll(fd, scratch, 16)
    }

    static func decimalDigits(_ value: Int) -> Int {
        var digits = 1, v = value
        while v >= 10 { v /= 10; digits += 1 }
        return digits
    }

    /// Year, month and day of a day count since 1970-01-01 (proleptic Gregorian; Howard Hinnant's algorithm).
    static func civil(days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func name(of signal: Int32) -> StaticString {
        switch signal {
        case SIGSEGV: "SIGSEGV (invalid memory access)"
        case SIGBUS: "SIGBUS (bus error)"
        case SIGILL: "SIGILL (illegal instruction; a failed Swift check on x86-64)"
        case SIGTRAP: "SIGTRAP (trap; a failed Swift check on ARM)"
        case SIGFPE: "SIGFPE (arithmetic error)"
        case SIGABRT: "SIGABRT (abort)"
        default: "fatal signal"
        }
    }
}
