import ArgumentParser
import Foundation
import SSHServer
import Workflow

/// `citygrid serve-ssh`: the console and single commands over SSH (Sources/SSHServer).
struct ServeSSHCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve-ssh",
        abstract: "Serve the console over SSH: operators connect with any SSH client, signed in by their key or password.",
        discussion: """
            ssh -p 2222 LOGIN@HOST opens the console as that operator (the client's terminal size, and window changes
            followed); ssh -p 2222 LOGIN@HOST cases --json runs one citygrid command as that operator (--db and --as
            are not accepted there, nor console, serve, serve-ssh, demo, init, seed-demo). Keys are registered with
            'operator key add LOGIN FILE'; passwords with 'operator password'. No shell, forwarding or subsystems.
            The host key is made on first start (mode 0600, beside the database unless --host-key says otherwise)
            and its fingerprint printed: tell operators, so their client's first-connection prompt can be checked.
            Sign-ins, failures, refusals and sessions go to the audit. Ctrl-C stops the server.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 2222
    @Option(name: .customLong("host-key"), help: ArgumentHelp("Host key file (default: the database's path + .ssh_host_ed25519_key).", valueName: "FILE"))
    var hostKey: String?
    @Option(name: .customLong("max-sessions"), help: "Sessions (consoles and commands) at once, in all.") var maxSessions = 100
    @Option(name: .customLong("max-sessions-per-operator"), help: "Sessions one operator may have at once.") var maxSessionsPerOperator = 4
    @Option(name: .customLong("idle-timeout"), help: "Seconds without input from a client before its connection is closed (0: never).")
    var idleTimeout = 1800.0

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (1...10_000).contains(maxSessions) else { throw ValidationError("--max-sessions must be between 1 and 10000") }
        guard (1...1000).contains(maxSessionsPerOperator) else { throw ValidationError("--max-sessions-per-operator must be between 1 and 1000") }
        guard idleTimeout == 0 || (1...86_400).contains(idleTimeout) else {
            throw ValidationError("--idle-timeout must be 0 (never) or between 1 and 86400 seconds")
        }
    }

    func run() throws {
        try guarded {
            // A server acts for its clients (signed in by their keys), not as the account running it: the service
            // account need not be bound to an operator (docs/security.md).
            let session = try store.session(signIn: .optional)
            _ = try session.site.context()
            _ = try session.now()   // a clock outside the site's time window stops here
            let keyPath = hostKey.map { ($0 as NSString).expandingTildeInPath } ?? store.path + ".ssh_host_ed25519_key"
            let key = try HostKey.loadOrCreate(path: keyPath)
            var limits = SSHLimits()
            limits.maxSessions = maxSessions
            limits.maxSessionsPerOperator = maxSessionsPerOperator
            limits.idleTimeout = idleTimeout
            limits.maxConnections = max(64, maxSessions * 2)
            let server = CityGridSSHServer(store: session.whole, configuration: .init(
                host: host, port: port, hostKey: key, limits: limits, program: Self.executablePath(), database: store.path,
                environment: ProcessInfo.processInfo.environment,
                clock: { [clock = session.session.clock] in clock.now() }))
            let bound: Int
            do { bound = try server.start() } catch {
                throw WorkflowError.storage("cannot listen on \(host):\(port): \(error)")
            }
            Output.line("host key \(key.fingerprint) (ED25519), \(key.created ? "made now in" : "from") \(keyPath)")
            Output.line("listening on \(host):\(bound) for the console over SSH (ssh -p \(bound) LOGIN@\(host)); Ctrl-C stops")
            do { try server.wait() } catch { throw WorkflowError.storage("the server stopped: \(error)") }
        }
    }

    /// This very program, for the sessions' children.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// `citygrid operator key add|list|remove`: operators' SSH public keys (admin only).
struct OperatorKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Operators' SSH public keys for serve-ssh: add, list, remove (admin).",
        subcommands: [OperatorKeyAdd.self, OperatorKeyList.self, OperatorKeyRemove.self])
}

struct OperatorKeyJSON: Encodable {
    var id: Int64
    var login: String
    var algorithm: String
    var fingerprint: String
    var comment: String
    var public_key: String
    var added_at: String

    init(_ key: OperatorKey, format: InstantFormat) {
        id = key.id; login = key.login; algorithm = key.algorithm; fingerprint = key.fingerprint; comment = key.comment
        public_key = "\(key.algorithm) \(key.keyBase64)"; added_at = format.string(key.addedAt)
    }
}

struct OperatorKeyAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register an operator's public key (an OpenSSH .pub line: ssh-ed25519 or ecdsa-sha2-nistp256/384/521).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The operator's login.") var login: String
    @Argument(help: ArgumentHelp("The public key file, or - to read it from standard input.", valueName: "FILE|-")) var file: String
    @OptionGroup var actor: ActorOption<SharedHelp.AdminSignedIn>
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now(at)
            let line = try PublicKeyLine.parse(try Self.readKey(file))
            let key = try session.access.addOperatorKey(login: login, algorithm: line.algorithm, keyBase64: line.keyBase64, comment: line.comment,
                                            by: actor.actor, at: now)
            if output.json { return try Output.json(OperatorKeyJSON(key, format: session.format)) }
            Output.line("added \(key.algorithm) key \(key.fingerprint) for \(key.login) (id \(key.id))")
        }
    }

    static let limit = 16 * 1024

    /// The key text from a regular file or standard input, at most 16 KiB.
    static func readKey(_ file: String) throws(WorkflowError) -> String {
        let handle: FileHandle
        if file == "-" {
            handle = FileHandle.standardInput
        } else {
            let path = (file as NSString).expandingTildeInPath
            var info = stat()
            guard stat(path, &info) == 0 else { throw .notFound("no key file \(file)") }
            guard info.st_mode & S_IFMT == S_IFREG else { throw .invalidInput("\(file) is not a regular file (give the .pub file, or - for standard input)") }
            guard let opened = FileHandle(forReadingAtPath: path) else { throw .invalidInput("cannot read \(file)") }
            handle = opened
        }
        var data = Data()
        while true {
            let chunk = handle.readData(ofLength: 4096)
            if chunk.isEmpty { break }
            data.append(chunk)
            if data.count > limit { throw .invalidInput("the key is over \(limit) bytes: not an OpenSSH public key") }
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .invalidInput("the key is not UTF-8 text: not an OpenSSH public key") }
        return text
    }
}

struct OperatorKeyList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered keys (all, or one operator's).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Only this operator's keys.") var login: String?
    @OptionGroup var actor: ActorOption<SharedHelp.AdminSignedIn>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let format = session.format
            let keys = try session.access.operatorKeys(login: login, by: actor.actor)
            if output.json { return try Output.json(keys.map { OperatorKeyJSON($0, format: format) }) }
            if keys.isEmpty { return Output.line("no keys; citygrid operator key add LOGIN FILE registers one") }
            Output.table(["ID", "LOGIN", "ALGORITHM", "FINGERPRINT", "ADDED", "COMMENT"], keys.map { k in
                [String(k.id), k.login, k.algorithm, k.fingerprint, format.string(k.addedAt), k.comment]
            })
        }
    }
}

struct OperatorKeyRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a key: it signs nobody in from now on.")
    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The key's fingerprint (SHA256:…) or id (from the list).", valueName: "FINGERPRINT|ID")) var key: String
    @OptionGroup var actor: ActorOption<SharedHelp.AdminSignedIn>
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let removed = try session.access.removeOperatorKey(key, by: actor.actor, at: try session.now(at))
            if output.json { return try Output.json(OperatorKeyJSON(removed, format: session.format)) }
            Output.line("removed \(removed.algorithm) key \(removed.fingerprint) of \(removed.login)")
        }
    }
}
