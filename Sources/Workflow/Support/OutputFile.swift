import Foundation
import Synchronization

/// Where a user-named output goes, decided once before anything is written. One rule for every front end
/// (`export --out`, `import --rejects`, the console's `:export`, bench results):
/// - `-` is standard output;
/// - a folder is refused;
/// - an existing path that is not a regular file (character or block device, FIFO, socket) is written through
///   as it is: never replaced, unlinked or chmod-ed (`/dev/null` stays `/dev/null`, even for root);
/// - a symbolic link is followed and the rule applies to what it points at; the link itself stays;
/// - a regular file or a missing path is written atomically: a temporary file in the same folder, fsync, and a
///   rename at the end, so an interrupted write leaves the old file as it was.
public enum OutputTarget: Equatable, Sendable {
    case standardOutput
    /// An existing file that is not a regular file, at the end of any links.
    case special(String)
    /// A regular file or a missing path (at the end of any links): written through a renamed temporary file.
    case file(String)
    /// A folder: refused.
    case folder(String)

    /// Follows links (the last component only: folders on the way are resolved by the kernel as usual).
    public static func resolve(_ path: String) throws(WorkflowError) -> OutputTarget {
        if path == "-" { return .standardOutput }
        guard !path.isEmpty else { throw .invalidInput("an output file name is empty") }
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                if errno == ENOENT { return .file(current) }
                throw .storage("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else {
                    throw .storage("cannot write \(path): cannot read the link \(current)")
                }
                current = target.hasPrefix("/") ? target : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(target)
            case S_IFDIR: return .folder(current)
            case S_IFREG: return .file(current)
            default: return .special(current)
            }
        }
        throw .storage("cannot write \(path): too many levels of symbolic links")
    }
}

/// A user-named output, written by the rule of `OutputTarget`. Bytes are buffered; `commit()` makes them
/// visible (for a regular file: fsync and rename over the target); dropping it uncommitted removes the
/// temporary file and leaves the target as it was.
public final class OutputFile: ByteSink {
    public let path: String
    public let target: OutputTarget
    private var fd: Int32
    /// The temporary file of an atomic write, until it is renamed or removed.
    private var temporary: String?
    private var slot: Int?
    private var buffer: [UInt8] = []
    private var done = false
    private let interactive: Bool

    /// Opens `path` for writing by the rule of `OutputTarget`. A folder is refused (exit 2). A FIFO blocks here
    /// until it has a reader, like a shell's `>`; `interactive` (the console) refuses a FIFO without a reader
    /// instead, and a reader that goes away is a write error rather than SIGPIPE ending the process.
    public init(path: String, interactive: Bool = false) throws(WorkflowError) {
        self.path = path
        self.interactive = interactive
        target = try OutputTarget.resolve(path)
        switch target {
        case .standardOutput:
            fd = STDOUT_FILENO
        case .folder:
            throw .invalidInput("\(path) is a folder, not a file")
        case .special(let device):
            fd = try Self.openSpecial(device, name: path, wait: !interactive)
        case .file(let final):
            let folder = (final as NSString).deletingLastPathComponent
            let name = (final as NSString).lastPathComponent
            var made: (Int32, String)?
            for _ in 0..<20 {
                let candidate = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max)).partial"
                let opened = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
                if opened >= 0 { made = (opened, candidate); break }
                if errno != EEXIST { break }
            }
            guard let (opened, temp) = made else {
                throw .storage("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            fd = opened
            temporary = temp
            slot = PendingOutput.register(temp)
            // Replacing a file keeps its owner (when we may) and its mode.
            var old = stat()
            if stat(final, &old) == 0 {
                if old.st_uid != geteuid() || old.st_gid != getegid() { _ = fchown(opened, old.st_uid, old.st_gid) }
                _ = fchmod(opened, old.st_mode & 0o7777)
            }
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if !done { discard() }
    }

    /// Whether the bytes end up on a terminal (standard output or a named terminal device), where text is
    /// shown sanitized.
    public var isTerminal: Bool { temporary == nil && isatty(fd) == 1 }

    public func write(_ bytes: [UInt8]) throws(WorkflowError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(_ text: String) throws(WorkflowError) { try write(Array(text.utf8)) }

    /// Writes what is buffered; for an atomic write, syncs the temporary file and renames it over the target.
    public func commit() throws(WorkflowError) {
        guard !done else { return }
        do throws(WorkflowError) {
            try flush()
            guard let temp = temporary, case .file(let final) = target else {
                if fd != STDOUT_FILENO { close(fd) }
                fd = -1
                done = true
                return
            }
            guard fsync(fd) == 0 else { throw failure(errno) }
            close(fd)
            fd = -1
            // The target may have become something else since it was resolved: never rename over a special file.
            var now = stat()
            if lstat(final, &now) == 0, (now.st_mode & S_IFMT) != S_IFREG {
                throw .storage("cannot write \(path): it is no longer a regular file; nothing was replaced")
            }
            guard rename(temp, final) == 0 else { throw failure(errno) }
            temporary = nil
            PendingOutput.release(slot)
            let folder = (final as NSString).deletingLastPathComponent
            let dir = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dir >= 0 { _ = fsync(dir); close(dir) }
            done = true
        } catch {
            discard()
            throw error
        }
    }

    /// Drops what was written: the temporary file is removed and the target left as it was. (A special file
    /// keeps what already went through.)
    public func discard() {
        if fd >= 0 && fd != STDOUT_FILENO { close(fd) }
        fd = -1
        if let temp = temporary { unlink(temp) }
        temporary = nil
        PendingOutput.release(slot)
        slot = nil
        done = true
    }

    private func flush() throws(WorkflowError) {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        if interactive && temporary == nil { try Self.withoutSIGPIPE { () throws(WorkflowError) in try writeBuffer() } } else { try writeBuffer() }
    }

    private func writeBuffer() throws(WorkflowError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { raw in Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            offset += n
        }
    }

    /// Runs `body` with SIGPIPE blocked on this thread, so a write to a pipe nobody reads fails with EPIPE; a
    /// SIGPIPE it raised is taken off the pending set before the old mask comes back.
    static func withoutSIGPIPE(_ body: () throws(WorkflowError) -> Void) throws(WorkflowError) {
        var pipe = sigset_t(), old = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipe, &old)
        defer {
            var pending = sigset_t()
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec()
                _ = sigtimedwait(&pipe, nil, &zero)
            }
            pthread_sigmask(SIG_SETMASK, &old, nil)
        }
        try body()
    }

    private func failure(_ code: Int32) -> WorkflowError {
        .storage("cannot write \(path): \(String(cString: strerror(code)))")
    }

    /// Opens an existing non-regular file for writing as it is: no create, no truncate. A socket is connected.
    static func openSpecial(_ device: String, name: String, wait: Bool) throws(WorkflowError) -> Int32 {
        var info = stat()
        if stat(device, &info) == 0, (info.st_mode & S_IFMT) == S_IFSOCK {
            return try connectSocket(device, name: name)
        }
        while true {
            let opened = open(device, O_WRONLY | O_NOCTTY | O_CLOEXEC | (wait ? 0 : O_NONBLOCK))
            if opened >= 0 {
                if !wait { _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK) }
                return opened
            }
            if errno == EINTR { continue }
            if errno == ENXIO && !wait { throw .storage("cannot write \(name): nothing is reading it") }
            throw .storage("cannot write \(name): \(String(cString: strerror(errno)))")
        }
    }

    static func connectSocket(_ socketPath: String, name: String) throws(WorkflowError) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw .storage("cannot write \(name): the socket's path is too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        var lastError: Int32 = 0
        for kind in [Int32(SOCK_STREAM.rawValue), Int32(SOCK_DGRAM.rawValue)] {
            let sock = socket(AF_UNIX, kind | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard sock >= 0 else { lastError = errno; continue }
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(sock, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if connected == 0 { return sock }
            lastError = errno
            close(sock)
        }
        throw .storage("cannot write \(name): \(String(cString: strerror(lastError)))")
    }

    /// Removes the temporary files of unfinished atomic writes. Only async-signal-safe calls (atomic loads and
    /// unlink(2)): for a signal handler that ends the process, so Ctrl-C leaves no `.partial` file behind.
    public static func removeUnfinishedAfterSignal() {
        PendingOutput.unlinkAll()
    }
}

/// The temporary files of the unfinished atomic writes of this process, where a signal handler can read them:
/// a few fixed slots holding a C string's address (0: free; more outputs at once are simply not cleaned up on a
/// signal). The strings are never freed, so a handler running on another thread never reads freed memory (a few
/// dozen bytes per output).
enum PendingOutput {
    static let slot0 = Atomic<UInt>(0)
    static let slot1 = Atomic<UInt>(0)
    static let slot2 = Atomic<UInt>(0)
    static let slot3 = Atomic<UInt>(0)
    static let count = 4

    static func with<R>(_ index: Int, _ body: (borrowing Atomic<UInt>) -> R) -> R {
        switch index {
        case 0: body(slot0)
        case 1: body(slot1)
        case 2: body(slot2)
        default: body(slot3)
        }
    }

    static func register(_ path: String) -> Int? {
        guard let copy = strdup(path) else { return nil }
        let address = UInt(bitPattern: copy)
        for index in 0..<count where with(index, { $0.compareExchange(expected: 0, desired: address, ordering: .sequentiallyConsistent).exchanged }) {
            return index
        }
        return nil
    }

    static func release(_ index: Int?) {
        guard let index else { return }
        with(index) { $0.store(0, ordering: .sequentiallyConsistent) }
    }

    static func unlinkAll() {
        for index in 0..<count {
            if let path = UnsafePointer<CChar>(bitPattern: with(index, { $0.load(ordering: .sequentiallyConsistent) })) { unlink(path) }
        }
    }
}
