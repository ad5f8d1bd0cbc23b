import Foundation
import Hummingbird
import Open311
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client that speaks raw bytes over a real TCP socket to 127.0.0.1, for what a well-behaved HTTP client
/// cannot send: half a head, a stalled body, a malformed chunk. Blocking, with every wait bounded (poll); run it
/// off the concurrency pool with `onThread`, so the server's handlers keep their threads.
final class RawHTTPClient {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard status == 0 else {
            let code = errno
            close(fd)
            throw RawError.connect(code)
        }
    }

    deinit { close(fd) }

    /// Sends all of `text`; false when the server has closed the connection (EPIPE, ECONNRESET).
    @discardableResult
    func sendText(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            bytes = bytes.dropFirst(sent)
        }
        return true
    }

    /// Closes our sending side (the server reads end of file), the receiving side staying open.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// What arrived within `seconds` (stopping early at end of file or reset), and whether the connection ended.
    func read(for seconds: Double, untilClosed: Bool = true, stopWhen: (String) -> Bool = { _ in false }) -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { return (String(decoding: received, as: UTF8.self), false) }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&entry, 1, Int32(min(left, 1) * 1000) + 1)
            if ready < 0 && errno != EINTR { return (String(decoding: received, as: UTF8.self), true) }
            if ready <= 0 { continue }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer[..<count]
            let text = String(decoding: received, as: UTF8.self)
            if !untilClosed && stopWhen(text) { return (text, false) }
        }
    }

    /// One whole response (head and `content-length` bytes of body) within `seconds`, or what came of it.
    func response(within seconds: Double) -> String {
        read(for: seconds, untilClosed: false, stopWhen: Self.isComplete).text
    }

    static func isComplete(_ text: String) -> Bool {
        guard let end = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<end.lowerBound].lowercased()
        guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
              let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) else { return true }
        return text[end.upperBound...].utf8.count >= length
    }

    enum RawError: Error { case socket(Int32), connect(Int32) }
}

/// Runs blocking work on a thread of its own, not on the concurrency pool the server's handlers need.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// The service listening on 127.0.0.1 at a free port (given to `body`) through its real server, connection
/// limits and timeouts included; stopped afterwards.
func withServer<T: Sendable>(_ service: Open311Service, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let app = service.application(host: "127.0.0.1", port: 0) { port in portSink.yield(port) }
    let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: app.logger))
    let server = Task { try await group.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { throw RawHTTPClient.RawError.connect(0) }
    do {
        let result = try await body(port)
        await group.triggerGracefulShutdown()
        _ = await server.result
        return result
    } catch {
        await group.triggerGracefulShutdown()
        _ = await server.result
        throw error
    }
}
