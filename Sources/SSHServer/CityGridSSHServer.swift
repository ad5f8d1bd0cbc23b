import Dispatch
import Foundation
import NIOCore
import NIOPosix
import NIOSSH
import Synchronization
import Workflow

/// `citygrid serve-ssh`: the console and single commands over SSH, as the operator the client signs in as.
///
/// Authentication is against the operator table: a public key registered with `operator key add` (the SSH user name
/// must be the key's operator's login), or the operator's password. A session with a pty and a shell request runs the
/// console in a child process on a real pseudo-terminal; an exec request runs one `citygrid` command on pipes. Each
/// child is signed in through a server session token (`CITYGRID_SESSION`), so it acts as that operator and nobody
/// else. No shell, no forwarding, no subsystems, no other channel types.
public final class CityGridSSHServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var hostKey: HostKey
        public var limits: SSHLimits
        /// The program a session runs (the `citygrid` executable itself).
        public var program: String
        /// The database path handed to every child.
        public var database: String
        /// The server's environment, of which children get only a few variables (`ChildEnvironment.inherited`).
        public var environment: [String: String]
        /// "Now" for the audit and sessions.
        public var clock: @Sendable () -> Date

        public init(host: String, port: Int, hostKey: HostKey, limits: SSHLimits, program: String, database: String,
                    environment: [String: String], clock: @escaping @Sendable () -> Date) {
            self.host = host; self.port = port; self.hostKey = hostKey; self.limits = limits; self.program = program
            self.database = database; self.environment = environment; self.clock = clock
        }
    }

    let context: ServerContext
    private let group: MultiThreadedEventLoopGroup
    private let listener = Mutex<Channel?>(nil)

    public init(store: CityStore, configuration: Configuration) {
        context = ServerContext(store: store, configuration: configuration)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds and starts serving; returns the port bound (the configured one, or the one chosen for port 0).
    public func start() throws -> Int {
        let context = self.context
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.setUpConnection(channel, context: context)
                }
            }
        let channel = try bootstrap.bind(host: context.configuration.host, port: context.configuration.port).wait()
        listener.withLock { $0 = channel }
        return channel.localAddress?.port ?? context.configuration.port
    }

    /// Blocks until the server stops.
    public func wait() throws {
        guard let channel = listener.withLock({ $0 }) else { return }
        try channel.closeFuture.wait()
    }

    public func stop() {
        if let channel = listener.withLock({ $0 }) { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// One client connection: its state, limits, sign-in and channels.
    private static func setUpConnection(_ channel: Channel, context: ServerContext) throws {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let connection = ConnectionState(address: address, context: context)
        let now = context.configuration.clock()
        if let until = context.backoff.blockedUntil(address, at: now) {
            let wait = Int(until.timeIntervalSince(now).rounded(.up))
            context.work.async {
                context.audit(.refused, login: nil, address: address, detail: "too many failed sign-ins from this address: \(wait) s to wait")
            }
            try channel.pipeline.syncOperations.addHandler(
                RefuseConnection(reason: "too many failed sign-ins from \(address): try again in \(wait) s"))
            return
        }
        let admitted = context.connections.withLock { n -> Bool in
            guard n < context.configuration.limits.maxConnections else { return false }
            n += 1
            return true
        }
        guard admitted else {
            try channel.pipeline.syncOperations.addHandler(
                RefuseConnection(reason: "the server has its most connections open (\(context.configuration.limits.maxConnections)); try again later"))
            return
        }
        let serverConfiguration = SSHServerConfiguration(
            hostKeys: [context.configuration.hostKey.sshKey],
            userAuthDelegate: OperatorAuthenticator(connection: connection, eventLoop: channel.eventLoop),
            globalRequestDelegate: nil)
        var configuration = serverConfiguration
        configuration.maxAuthAttempts = context.configuration.limits.maxAuthAttempts
        let handler = NIOSSHHandler(
            role: .server(configuration), allocator: channel.allocator,
            inboundChildChannelInitializer: { child, type in
                guard case .session = type else {
                    return child.eventLoop.makeFailedFuture(SessionError.channelTypeRefused)
                }
                return child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(SessionHandler(connection: connection))
                }
            })
        var handlers: [ChannelHandler] = []
        let idle = context.configuration.limits.idleTimeout
        if idle > 0 { handlers.append(IdleStateHandler(readTimeout: .milliseconds(Int64(idle * 1000)))) }
        handlers.append(ConnectionGuard(connection: connection))
        handlers.append(handler)
        handlers.append(CloseOnError())
        try channel.pipeline.syncOperations.addHandlers(handlers)
    }
}

enum SessionError: Error { case channelTypeRefused }

/// What every connection shares: the store, the limits and their counters.
final class ServerContext: Sendable {
    let store: CityStore
    let configuration: CityGridSSHServer.Configuration
    let sessions: SessionCounter
    let backoff: AddressBackoff
    let connections = Mutex<Int>(0)
    /// Store work (sign-in, sessions, audit) and spawning run here, off the event loop.
    let work = DispatchQueue(label: "citygrid.ssh.store", qos: .userInitiated, attributes: .concurrent)

    init(store: CityStore, configuration: CityGridSSHServer.Configuration) {
        self.store = store
        self.configuration = configuration
        sessions = SessionCounter(limits: configuration.limits)
        backoff = AddressBackoff(limits: configuration.limits)
    }

    /// Records an audit event; a failure to record is reported on stderr, never fatal to the session.
    func audit(_ kind: AuditEvent.Kind, login: String?, via: String? = nil, address: String, detail: String = "") {
        do {
            try store.audit(AuditEvent(at: configuration.clock(), kind: kind, login: login, via: via, address: address,
                                       detail: String(detail.prefix(500))))
        } catch {
            FileHandle.standardError.write(Data("citygrid serve-ssh: cannot write the audit: \(error.description)\n".utf8))
        }
    }
}

/// One TCP connection's state; used on its event loop only.
final class ConnectionState {
    let address: String
    let context: ServerContext
    /// Who signed in on this connection, once someone has.
    var signedIn: SignedIn?
    var refusalAudited = false
    var sessions: [ObjectIdentifier: SessionHandler] = [:]
    var closingForIdle = false

    init(address: String, context: ServerContext) {
        self.address = address; self.context = context
    }
}

/// Gives back the connection's place when it closes, and closes idle ones with a word to each session.
final class ConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let connection: ConnectionState

    init(connection: ConnectionState) { self.connection = connection }

    func channelInactive(context: ChannelHandlerContext) {
        connection.context.connections.withLock { $0 -= 1 }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        guard !connection.closingForIdle else { return }
        connection.closingForIdle = true
        let seconds = Int(connection.context.configuration.limits.idleTimeout.rounded())
        for session in connection.sessions.values {
            session.say("no input for \(seconds) s: this connection is closed (connect again to carry on)")
        }
        let channel = context.channel
        // A moment for the words to leave before the connection goes.
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(300)) { channel.close(promise: nil) }
    }
}

/// Turns a client away before it signs in, with a reason its SSH client shows: our version line, then an unencrypted
/// SSH_MSG_DISCONNECT (allowed before key exchange, RFC 4253 §11.1), which OpenSSH prints as "Received disconnect
/// from …: REASON". swift-nio-ssh has no call to send one, so the few bytes are written here.
final class RefuseConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let reason: String

    init(reason: String) { self.reason = reason }

    static func packet(reason: String) -> [UInt8] {
        var payload: [UInt8] = [1]                                    // SSH_MSG_DISCONNECT
        func uint32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        payload += uint32(12)                                        // SSH_DISCONNECT_TOO_MANY_CONNECTIONS
        let text = Array("citygrid: \(reason)".utf8)
        payload += uint32(text.count) + text
        payload += uint32(0)                                         // language tag
        var padding = 8 - (5 + payload.count) % 8
        if padding < 4 { padding += 8 }
        return uint32(1 + payload.count + padding) + [UInt8(padding)] + payload + [UInt8](repeating: 0, count: padding)
    }

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeString("SSH-2.0-citygrid\r\n")
        buffer.writeBytes(Self.packet(reason: reason))
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        // Half-close and let the client hang up, so what it sent meanwhile does not turn our close into a reset.
        context.close(mode: .output, promise: nil)
        let channel = context.channel
        context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}   // the client's version and key exchange: unread

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}

/// Closes the connection on any error that reaches the end of its pipeline (a protocol violation, a reset).
final class CloseOnError: ChannelInboundHandler {
    typealias InboundIn = Any
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// Signs a connection in against the operator table.
final class OperatorAuthenticator: NIOSSHServerUserAuthenticationDelegate {
    let connection: NIOLoopBound<ConnectionState>
    let context: ServerContext
    let address: String

    init(connection: ConnectionState, eventLoop: EventLoop) {
        self.connection = NIOLoopBound(connection, eventLoop: eventLoop)
        context = connection.context
        address = connection.address
    }

    var supportedAuthenticationMethods: NIOSSHAvailableUserAuthenticationMethods { [.publicKey, .password] }

    func requestReceived(request: NIOSSHUserAuthenticationRequest, responsePromise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>) {
        let context = self.context, address = self.address, connection = self.connection
        let login = request.username
        let now = context.configuration.clock()
        if let until = context.backoff.blockedUntil(address, at: now) {
            if !connection.value.refusalAudited {
                connection.value.refusalAudited = true
                let wait = Int(until.timeIntervalSince(now).rounded(.up))
                context.work.async {
                    context.audit(.refused, login: Self.shown(login), address: address,
                                  detail: "too many failed sign-ins from this address: \(wait) s to wait")
                }
            }
            responsePromise.succeed(.failure)
            return
        }
        switch request.request {
        case .publicKey(let offered):
            let fingerprint = PublicKeyLine.fingerprint(of: offered.publicKey)
            context.work.async {
                let outcome: SignedIn?
                do {
                    outcome = try context.store.operatorForKey(fingerprint: fingerprint, login: login)
                    if outcome == nil {
                        context.audit(.signInFailed, login: Self.shown(login), via: Via.ssh(fingerprint).text, address: address,
                                      detail: "key not registered to this login")
                    }
                } catch {
                    outcome = nil
                    context.audit(.signInFailed, login: Self.shown(login), via: Via.ssh(fingerprint).text, address: address,
                                  detail: (error as? WorkflowError)?.description ?? "\(error)")
                }
                if let outcome {
                    context.backoff.succeeded(address)
                    context.audit(.signIn, login: outcome.login, via: outcome.via.text, address: address)
                } else {
                    context.backoff.failed(address, at: context.configuration.clock())
                }
                Self.complete(responsePromise, with: outcome, connection: connection)
            }
        case .password(let password):
            let secret = password.password
            context.work.async {
                let outcome = try? context.store.signIn(login: login, password: secret, address: address, at: context.configuration.clock())
                if outcome == nil { context.backoff.failed(address, at: context.configuration.clock()) }
                else { context.backoff.succeeded(address) }
                Self.complete(responsePromise, with: outcome, connection: connection)
            }
        case .none, .hostBased:
            // The client asks which methods there are: no failure of its own.
            responsePromise.succeed(.failure)
        }
    }

    private static func complete(_ promise: EventLoopPromise<NIOSSHUserAuthenticationOutcome>, with who: SignedIn?,
                                 connection: NIOLoopBound<ConnectionState>) {
        promise.futureResult.eventLoop.execute {
            if let who { connection.value.signedIn = who }
            promise.succeed(who == nil ? .failure : .success)
        }
    }

    /// A login as the client typed it, safe to store in the audit.
    static func shown(_ login: String) -> String {
        String(String(login.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }).prefix(64))
    }
}
