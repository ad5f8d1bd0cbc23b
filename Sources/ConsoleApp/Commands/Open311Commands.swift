import ArgumentParser
import Dispatch
import Foundation
import Hummingbird
import Open311
import Workflow

struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Api keys for the Open311 service (citygrid serve): add, list, revoke.",
        subcommands: [APIKeyAdd.self, APIKeyList.self, APIKeyRevoke.self])
}

struct APIKeyJSON: Encodable {
    var id: Int64
    var name: String
    var prefix: String
    var created_at: String
    var revoked_at: String?
    var key: String?

    init(_ key: APIKey, format: InstantFormat, secret: String? = nil) {
        id = key.id; name = key.name; prefix = key.prefix; created_at = format.string(key.createdAt)
        revoked_at = key.revokedAt.map(format.string); self.key = secret
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(name, forKey: .name); try c.encode(prefix, forKey: .prefix)
        try c.encode(created_at, forKey: .created_at); try c.encode(revoked_at, forKey: .revoked_at)
        if let key { try c.encode(key, forKey: .key) }
    }
    enum CodingKeys: String, CodingKey { case id, name, prefix, created_at, revoked_at, key }
}

struct APIKeyAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Issue a new api key. The key is printed once; the database keeps only a salted SHA-256 of it.")
    @OptionGroup var store: StoreOptions
    @Option(help: "Who the key is for (an app, a partner).") var name: String
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let (key, secret) = try session.open311.addAPIKey(name: name, at: try session.now(at))
            if output.json { return try Output.json(APIKeyJSON(key, format: session.format, secret: secret)) }
            Output.line("api key \(key.id) for \(key.name): \(secret)")
            Output.line("(shown once: only its hash is stored)")
        }
    }
}

struct APIKeyList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List api keys (their first 8 characters, never the keys).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let format = session.format
            let keys = try session.open311.apiKeys()
            if output.json { return try Output.json(keys.map { APIKeyJSON($0, format: format) }) }
            if keys.isEmpty { return Output.line("no api keys; citygrid apikey add --name NAME issues one") }
            Output.table(["ID", "PREFIX", "CREATED", "STATUS", "NAME"], keys.map { k in
                [String(k.id), k.prefix + "…", format.string(k.createdAt), k.revokedAt.map { "revoked " + format.string($0) } ?? "active", k.name]
            })
        }
    }
}

struct APIKeyRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke an api key: its posts are refused (403) from now on.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "Api key id (from apikey list).") var id: Int64
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let key = try session.open311.revokeAPIKey(id: id, at: try session.now(at))
            if output.json { return try Output.json(APIKeyJSON(key, format: session.format)) }
            Output.line("revoked api key \(key.id) (\(key.name))")
        }
    }
}

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the site as an Open311 GeoReport v2 service (services, requests, tokens; .json and .xml).",
        discussion: """
            GET /services.json|xml, /services/CODE.json|xml, /requests.json|xml (service_request_id, service_code,
            start_date, end_date, status; page, page_size: 50 a page by default, 200 at most, the next page in the
            Link header), /requests/ID.json|xml, /tokens/TOKEN.json|xml;
            POST /requests.json|xml with api_key (citygrid apikey add), service_code, lat, long, description.
            Posted requests are filed as reported cases with source web. Ctrl-C stops the server.
            Slow or greedy clients: a request's headers must arrive within --header-timeout and its body within
            --body-timeout (else 408 and closed), an idle kept-alive connection is closed after --idle-timeout,
            connections beyond --max-connections-per-address or --max-connections are answered 503 and closed,
            a body over --max-body-bytes is answered 413 before it is read, and long listings cost more of a
            client's request budget.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8311
    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted.") var maxBodyBytes = 64 * 1024
    @Option(name: .customLong("posts-per-minute"), help: "Sustained posts allowed per api key.") var postsPerMinute = 30.0
    @Option(name: .customLong("client-requests-per-minute"), help: "Sustained requests of any kind allowed per client address (burst: one tenth of it).")
    var clientRequestsPerMinute = 600.0
    @Option(name: .customLong("header-timeout"), help: "Seconds a request's headers may take to arrive, however slowly they trickle.")
    var headerTimeout = 10.0
    @Option(name: .customLong("body-timeout"), help: "Seconds a request's body may take to arrive after its headers.")
    var bodyTimeout = 30.0
    @Option(name: .customLong("idle-timeout"), help: "Seconds a kept-alive connection may wait for its next request.")
    var idleTimeout = 15.0
    @Option(name: .customLong("max-connections"),
            help: "Open connections in all (default: 1024, or half the open-file limit less 32 when lower).")
    var maxConnections: Int?
    @Option(name: .customLong("max-connections-per-address"), help: "Open connections from one client address.")
    var maxConnectionsPerAddress = 32

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes >= 1024, maxBodyBytes <= 16 << 20 else { throw ValidationError("--max-body-bytes must be between 1024 and 16777216") }
        guard postsPerMinute > 0 else { throw ValidationError("--posts-per-minute must be positive") }
        guard clientRequestsPerMinute > 0 else { throw ValidationError("--client-requests-per-minute must be positive") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] {
            guard value >= 0.1, value <= 3600 else { throw ValidationError("\(name) must be between 0.1 and 3600 seconds") }
        }
        let ceiling = Open311Service.Limits.connectionCeiling
        if let maxConnections, !(1...ceiling).contains(maxConnections) {
            throw ValidationError("--max-connections must be between 1 and \(ceiling) (half the open-file limit, ulimit -n, less 32)")
        }
        guard (1...ceiling).contains(maxConnectionsPerAddress) else {
            throw ValidationError("--max-connections-per-address must be between 1 and \(ceiling)")
        }
    }

    func run() throws {
        try guarded {
            // A server acts for its clients (their api keys), not as the account running it (docs/security.md).
            let session = try store.session(signIn: .optional)
            _ = try session.site.context()
            _ = try session.now()   // a clock outside the site's time window stops here
            var limits = Open311Service.Limits()
            limits.maxBodyBytes = maxBodyBytes
            limits.postsPerSecond = postsPerMinute / 60
            limits.clientPerSecond = clientRequestsPerMinute / 60
            limits.clientBurst = max(1, (clientRequestsPerMinute / 10).rounded())
            limits.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
            limits.bodyTimeout = .milliseconds(Int64(bodyTimeout * 1000))
            limits.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
            if let maxConnections { limits.maxConnections = maxConnections }
            limits.maxConnectionsPerAddress = maxConnectionsPerAddress
            let service = Open311Service(store: session.whole, limits: limits, clock: { [clock = session.session.clock] in clock.now() })
            let host = self.host
            let app = service.application(host: host, port: port) { bound in
                Output.line("Open311 GeoReport v2 on http://\(host):\(bound)/ (services.json, requests.json, …); Ctrl-C stops")
            }
            let done = DispatchSemaphore(value: 0)
            let failure = Failure()
            Task {
                do { try await app.runService() } catch { failure.set("\(error)") }
                done.signal()
            }
            done.wait()
            if let message = failure.get() { throw WorkflowError.storage("the server stopped: \(message)") }
        }
    }
}

private final class Failure: @unchecked Sendable {
    private let lock = NSLock()
    private var message: String?
    func set(_ text: String) { lock.lock(); message = text; lock.unlock() }
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return message }
}
