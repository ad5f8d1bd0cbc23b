import CPty
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program a session runs: the console on a pseudo-terminal, or one command on pipes. Spawned with posix_spawn in
/// a session of its own (so the terminal it opens becomes its controlling terminal and a hang-up reaches its whole
/// group), with a cleared signal mask, default signal dispositions and no descriptor of the server but 0, 1, 2.
struct ChildProcess: Sendable {
    let pid: pid_t
    /// The pty's master (console) or the parent's ends of the child's stdin, stdout and stderr pipes (command).
    let descriptors: Descriptors

    enum Descriptors: Sendable {
        case pty(master: CInt)
        case pipes(stdin: CInt, stdout: CInt, stderr: CInt)
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts `program` with `arguments` on a new pty of `columns` x `rows`.
    static func spawnOnPty(program: String, arguments: [String], environment: [String: String], columns: Int, rows: Int) throws -> ChildProcess {
        var name = [CChar](repeating: 0, count: 128)
        let master = cg_pty_open(&name, name.count, UInt16(clamping: columns), UInt16(clamping: rows))
        guard master >= 0 else { throw SpawnError(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))") }
        let slave = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            let pid = try spawn(program: program, arguments: arguments, environment: environment) { actions in
                posix_spawn_file_actions_addopen(&actions, 0, slave, O_RDWR, 0)
                posix_spawn_file_actions_adddup2(&actions, 0, 1)
                posix_spawn_file_actions_adddup2(&actions, 0, 2)
            }
            return ChildProcess(pid: pid, descriptors: .pty(master: master))
        } catch {
            close(master)
            throw error
        }
    }

    /// Starts `program` with `arguments` on three pipes.
    static func spawnOnPipes(program: String, arguments: [String], environment: [String: String]) throws -> ChildProcess {
        var fds = [CInt](repeating: -1, count: 6)
        func closeAll() { for fd in fds where fd >= 0 { close(fd) } }
        for i in 0..<3 {
            var pair: [CInt] = [-1, -1]
            guard pipe2(&pair, O_CLOEXEC) == 0 else {
                closeAll()
                throw SpawnError(description: "cannot make a pipe: \(String(cString: strerror(errno)))")
            }
            fds[2 * i] = pair[0]; fds[2 * i + 1] = pair[1]
        }
        // fds: stdin (read, write), stdout (read, write), stderr (read, write)
        let childEnds = (fds[0], fds[3], fds[5])
        do {
            let pid = try spawn(program: program, arguments: arguments, environment: environment) { actions in
                posix_spawn_file_actions_adddup2(&actions, childEnds.0, 0)
                posix_spawn_file_actions_adddup2(&actions, childEnds.1, 1)
                posix_spawn_file_actions_adddup2(&actions, childEnds.2, 2)
            }
            close(fds[0]); close(fds[3]); close(fds[5])
            return ChildProcess(pid: pid, descriptors: .pipes(stdin: fds[1], stdout: fds[2], stderr: fds[4]))
        } catch {
            closeAll()
            throw error
        }
    }

    private static func spawn(program: String, arguments: [String], environment: [String: String],
                              files: (inout posix_spawn_file_actions_t) -> Void) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        files(&actions)
        _ = cg_spawn_closefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | cg_spawn_setsid_flag())
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        guard status == 0 else { throw SpawnError(description: "cannot start \(program): \(String(cString: strerror(status)))") }
        return pid
    }

    /// Waits for the child on a thread of its own and calls `done` with its end.
    func onExit(_ done: @escaping @Sendable (Exit) -> Void) {
        let pid = self.pid
        let thread = Thread {
            var status: CInt = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result == -1 && errno == EINTR
            done(result == pid ? Exit(waitStatus: status) : .status(1))
        }
        thread.name = "ssh-child-\(pid)"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    enum Exit: Sendable, Equatable {
        case status(Int32)
        case signal(Int32)

        init(waitStatus s: CInt) {
            if s & 0x7f == 0 { self = .status((s >> 8) & 0xff) } else { self = .signal(s & 0x7f) }
        }
    }

    /// Sends `signal` to the child's process group (its session).
    func signalGroup(_ signal: CInt) {
        _ = kill(-pid, signal)
    }
}

/// The environment a session's program gets: nothing of the server's but what is named here.
enum ChildEnvironment {
    /// Kept from the server's own environment when set.
    static let inherited = ["HOME", "PATH", "TZ", "CITYGRID_NOW", "XDG_CONFIG_HOME", "XDG_DATA_HOME"]

    static func make(server: [String: String], database: String, token: String, term: String?) -> [String: String] {
        var env: [String: String] = [:]
        for key in inherited { if let value = server[key], !value.isEmpty { env[key] = value } }
        if env["PATH"] == nil { env["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        // The console renders its own language (--lang); a UTF-8 locale that surely exists keeps wide characters right.
        env["LANG"] = "C.UTF-8"
        env["CITYGRID_DB"] = database
        env["CITYGRID_SESSION"] = token
        if let term { env["TERM"] = term }
        return env
    }

    /// Whether a client's terminal type may be passed on: a short plain name this machine has a terminfo entry for.
    static func usableTerm(_ term: String, terminfoDirectories: [String] = ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"]) -> Bool {
        guard !term.isEmpty, term.utf8.count <= 64,
              term.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.+".unicodeScalars.contains($0)) }),
              !term.hasPrefix("."), let first = term.unicodeScalars.first else { return false }
        let letter = String(first), hex = String(first.value, radix: 16)
        return terminfoDirectories.contains { dir in
            FileManager.default.fileExists(atPath: "\(dir)/\(letter)/\(term)") || FileManager.default.fileExists(atPath: "\(dir)/\(hex)/\(term)")
        }
    }

    /// The terminal type for the console: the client's when usable, else a common one.
    static func term(fromClient term: String?) -> String {
        if let term, usableTerm(term) { return term }
        return usableTerm("xterm-256color") ? "xterm-256color" : "xterm"
    }

    /// The console's language from the client's locale variables (LC_ALL, then LC_MESSAGES, then LANG): `en` for an
    /// English locale, else `zh`, the console's own default.
    static func consoleLanguage(_ client: [String: String]) -> String {
        let locale = [client["LC_ALL"], client["LC_MESSAGES"], client["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        return locale.hasPrefix("en") ? "en" : "zh"
    }

    /// Which variables a client may set with an env request.
    static func accepts(_ name: String, value: String) -> Bool {
        guard name == "TERM" || name == "LANG" || (name.hasPrefix("LC_") && name.count <= 20),
              value.utf8.count <= 64,
              value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 0x20 && $0.value < 0x7F }) else { return false }
        return true
    }
}
