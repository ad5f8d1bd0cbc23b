import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The service's HTTP/1 server: Hummingbird's `HTTP1Channel`, with two NIO handlers of ours in each connection's
/// pipeline (docs: README, "The Open311 service"):
/// - `Open311ConnectionGate`, first (raw bytes): admits the connection against the limits per client address and
///   in total, or answers 503 and closes it at once without reading from it; tells the watchdog when request bytes
///   arrive;
/// - `Open311Watchdog`, after HTTP decoding: the header, body and keep-alive timeouts, and the early 413 for a
///   `Content-Length` over the body limit.
struct Open311Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value
    let http1: HTTP1Channel
    let connections: Open311Connections

    init(responder: @escaping HTTPChannelHandler.Responder, limits: Open311Service.Limits, connections: Open311Connections) {
        http1 = HTTP1Channel(responder: responder,
                             configuration: .init(additionalChannelHandlers: [Open311Watchdog(limits: limits)], idleTimeout: nil))
        self.connections = connections
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let refusal = connections.open(address)
        if refusal == nil {
            let connections = self.connections
            channel.closeFuture.whenComplete { _ in connections.close(address) }
        }
        do {
            if refusal != nil { try channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false) }
            try channel.pipeline.syncOperations.addHandler(Open311ConnectionGate(refusal: refusal))
        } catch {
            channel.close(promise: nil)
        }
        return http1.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

/// Open connections, per client address and in total. A connection over either limit is refused; a refused
/// connection is not counted, and an admitted one is released when it closes.
final class Open311Connections: Sendable {
    enum Refusal: Sendable { case address, total }
    struct Counts { var total = 0; var byAddress: [String: Int] = [:] }
    let perAddress: Int
    let total: Int
    private let counts = Mutex(Counts())

    init(perAddress: Int, total: Int) { self.perAddress = perAddress; self.total = total }

    func open(_ address: String) -> Refusal? {
        counts.withLock { c in
            if c.total >= total { return .total }
            if c.byAddress[address, default: 0] >= perAddress { return .address }
            c.total += 1
            c.byAddress[address, default: 0] += 1
            return nil
        }
    }

    func close(_ address: String) {
        counts.withLock { c in
            c.total -= 1
            let left = c.byAddress[address, default: 1] - 1
            c.byAddress[address] = left > 0 ? left : nil
        }
    }

    /// Connections open now, and the addresses they come from.
    var snapshot: (total: Int, addresses: Int) { counts.withLock { ($0.total, $0.byAddress.count) } }

    /// The process's limit on open files (RLIMIT_NOFILE, the soft limit), nil when it cannot be read or is unlimited.
    static func fileLimit() -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard status == 0, limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
    }

    /// The most connections this process can hold and still have files to spare (the database, its journal, the
    /// listening socket, a refused connection's moment): half the open-file limit, less 32.
    static func fileSafeMaximum() -> Int {
        guard let files = fileLimit() else { return 1_000_000 }
        return max(1, files / 2 - 32)
    }
}

/// Sent by the gate to the watchdog when bytes of a request arrive.
struct Open311RequestBytes {}

/// First in the pipeline, on raw bytes. A refused connection gets a 503 and is closed as soon as it is active,
/// with reading switched off; an admitted one passes bytes on, each read announced to the watchdog.
final class Open311ConnectionGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let refusal: Open311Connections.Refusal?
    private var refused = false

    init(refusal: Open311Connections.Refusal?) { self.refusal = refusal }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuseIfOver(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuseIfOver(context)
        if refusal == nil { context.fireChannelActive() }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard refusal == nil else { return }
        context.fireUserInboundEventTriggered(Open311RequestBytes())
        context.fireChannelRead(data)
    }

    private func refuseIfOver(_ context: ChannelHandlerContext) {
        guard let refusal, !refused else { return }
        refused = true
        let text = switch refusal {
        case .address: "too many open connections from this address; close some and retry"
        case .total: "the service has too many open connections; retry shortly"
        }
        let body = Open311Writer.render([[("code", .int(503)), ("description", .string(text))]], root: "errors", element: "error", format: .json)
        let head = "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: \(body.utf8.count)\r\n"
            + "retry-after: 1\r\nconnection: close\r\n\r\n"
        context.writeAndFlush(NIOAny(ByteBuffer(string: head + body)), promise: nil)
        context.close(promise: nil)
    }
}

/// Why the watchdog ended a request: a body that did not arrive in time.
struct Open311BodyTimeout: Error {}

/// After HTTP decoding: one deadline at a time for each connection.
/// - Waiting for a request's head: `headerTimeout` from the connection's start, or from the first byte after a
///   response, however slowly bytes trickle in; then 408 (when bytes came) and closed.
/// - Reading a body: `bodyTimeout` from its head; then the request fails (never handled with part of its body)
///   and the connection is closed.
/// - Kept alive between requests with nothing arriving: `idleTimeout`; then closed.
/// A head whose `Content-Length` is over `maxBodyBytes` is answered 413 at once, its body never read, and the
/// connection closed; so is a connection after any response that says `connection: close` (408, 413, a 400 for
/// malformed HTTP). Closing sends the response and our FIN first, then drops what the client still sends for
/// `lingerTimeout` at most (until its own FIN), so that a client still sending sees the response, not a reset.
final class Open311Watchdog: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    enum Phase { case idle, head, body, responding, rejected }
    let headerTimeout: TimeAmount
    let bodyTimeout: TimeAmount
    let idleTimeout: TimeAmount
    let lingerTimeout: TimeAmount
    let maxBodyBytes: Int
    private var phase = Phase.head
    private var bytesSeen = false
    private var owed = 0
    private var closeAfterResponse = false
    private var pendingRejection: Open311Format?
    private var timer: Scheduled<Void>?
    private var started = false

    init(limits: Open311Service.Limits) {
        headerTimeout = TimeAmount(limits.headerTimeout)
        bodyTimeout = TimeAmount(limits.bodyTimeout)
        idleTimeout = TimeAmount(limits.idleTimeout)
        lingerTimeout = min(headerTimeout, .seconds(2))
        maxBodyBytes = limits.maxBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !started else { return }
        started = true
        arm(context, headerTimeout)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, phase == .rejected, pendingRejection == nil {
            context.close(promise: nil)
        }
        guard event is Open311RequestBytes else { return context.fireUserInboundEventTriggered(event) }
        if phase == .idle {
            phase = .head
            arm(context, headerTimeout)
        }
        if phase == .head { bytesSeen = true }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard phase != .rejected else { return }
        switch part {
        case .head(let head):
            if let length = head.headerFields[.contentLength], Self.exceeds(length, maxBodyBytes) {
                let format = Open311Format.guess(path: head.path ?? "")
                phase = .rejected
                disarm()
                if owed == 0 { reject(context, format) } else { pendingRejection = format }
                return
            }
            owed += 1
            phase = .body
            bytesSeen = false
            arm(context, bodyTimeout)
        case .body:
            break
        case .end:
            if phase == .body {
                if owed == 0 {
                    // Answered before its body was read (a refusal): kept alive from here.
                    phase = .idle
                    arm(context, idleTimeout)
                } else {
                    phase = .responding
                    disarm()
                }
            }
        }
        context.fireChannelRead(data)
    }

    /// A `Content-Length` over the limit; one too long for an Int is over it too.
    static func exceeds(_ length: String, _ limit: Int) -> Bool {
        let digits = length.trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        return (Int(digits) ?? .max) > limit
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            owed = max(0, owed - 1)
            if closeAfterResponse {
                context.write(data, promise: promise)
                return finish(context)
            }
            context.write(data, promise: promise)
            guard owed == 0 else { return }
            if let format = pendingRejection {
                pendingRejection = nil
                return reject(context, format)
            }
            if phase == .responding {
                phase = .idle
                arm(context, idleTimeout)
            }
        }
    }

    private func reject(_ context: ChannelHandlerContext, _ format: Open311Format) {
        respondAndClose(context, Open311Error(413, "the request body is over the limit of \(maxBodyBytes) bytes"), format)
    }

    private func respondAndClose(_ context: ChannelHandlerContext, _ error: Open311Error, _ format: Open311Format) {
        let body = ErrorMiddleware.errorBody(error, format)
        var fields = ErrorMiddleware.errorHeaders(error, format)
        fields[.contentLength] = String(body.readableBytes)
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .init(code: error.status), headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        finish(context)
    }

    /// The response sent, our side closed; the client's last bytes dropped until its FIN or `lingerTimeout`.
    private func finish(_ context: ChannelHandlerContext) {
        phase = .rejected
        context.flush()
        context.close(mode: .output, promise: nil)
        arm(context, lingerTimeout)
    }

    private func arm(_ context: ChannelHandlerContext, _ delay: TimeAmount) {
        disarm()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [weak self] in
            self?.expired(context)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }

    private func expired(_ context: ChannelHandlerContext) {
        timer = nil
        switch phase {
        case .head where bytesSeen && owed == 0:
            respondAndClose(context, Open311Error(408, "the request's headers did not arrive in time"), .json)
        case .body:
            // The request being handled fails rather than seeing the body cut short.
            context.fireErrorCaught(Open311BodyTimeout())
            context.close(promise: nil)
        case .head, .idle, .rejected:
            context.close(promise: nil)
        case .responding:
            break
        }
    }
}
