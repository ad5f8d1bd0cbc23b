import Foundation

/// A program started with posix_spawn and waited for with waitpid, never Foundation's Process: ssh closes every
/// descriptor it inherits at start, and Foundation's one watcher thread then blocks in waitpid on that ssh until it
/// exits, so no other process's end is seen meanwhile (a long session would hold up every other test process).
/// Shared by the test targets (linked into each one like TestFolder.swift).
struct Spawned {
    let pid: pid_t

    /// Starts `arguments` (the program's full path first) with standard input from a descriptor or a file, and its
    /// output into files; a nil `stderr` discards it. A nil `environment` passes this process's own.
    init(_ arguments: [String], stdinFD: CInt? = nil, stdinPath: String? = nil, stdout: String, stderr: String? = nil,
         environment: [String: String]? = nil) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let stdinFD { posix_spawn_file_actions_adddup2(&actions, stdinFD, 0) }
        else { posix_spawn_file_actions_addopen(&actions, 0, stdinPath ?? "/dev/null", O_RDONLY, 0) }
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let stderr { posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
        else { posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status: CInt
        if let environment {
            let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
            defer { envp.forEach { free($0) } }
            status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        } else {
            status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
        }
        guard status == 0 else { throw SpawnFailed(program: arguments[0], status: status) }
        self.pid = pid
    }

    /// Waits for the end; the exit status (128 + signal when killed).
    func wait() -> Int32 {
        var status: CInt = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}

struct SpawnFailed: Error, CustomStringConvertible {
    var program: String
    var status: Int32
    var description: String { "cannot start \(program): \(String(cString: strerror(status)))" }
}
