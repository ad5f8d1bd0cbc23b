import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Open311
import Testing
import Workflow

/// Slow, malformed and greedy clients over real sockets on 127.0.0.1 (an ephemeral port), with short timeouts
/// set here; every wait is bounded and the only time limits asserted are generous upper bounds.
@Suite("Open311 under slow, malformed and greedy clients", .serialized) struct Open311ReliabilityTests {
    static func quick() -> Open311Service.Limits {
        var limits = Open311Service.Limits()
        limits.headerTimeout = .milliseconds(300)
        limits.bodyTimeout = .milliseconds(500)
        limits.idleTimeout = .milliseconds(300)
        return limits
    }

    static let get = "GET /services.json HTTP/1.1\r\nHost: localhost\r\n\r\n"

    @Test func halfSentHeadersAreClosedWithinTheHeaderTimeoutHoweverTheyTrickle() async throws {
        let (_, service, _) = try Fixture.service(limits: Self.quick())
        try await withServer(service) { port in
            try await onThread {
                let slow = try RawHTTPClient(port: port)
                let silent = try RawHTTPClient(port: port)
                #expect(slow.sendText("GET /services.json HTTP/1.1\r\nHost: localhost\r\nX-Trickle: "))
                // A byte every 100 ms would keep a per-read timer alive; the header timeout is for the whole head.
                var received = "", closed = false
                for _ in 0..<100 where !closed {
                    slow.sendText("a")
                    let got = slow.read(for: 0.1)
                    received += got.text
                    closed = got.closed
                }
                #expect(closed, "a trickling head is cut off (within 10 s here, 0.3 s configured)")
                #expect(received.hasPrefix("HTTP/1.1 408"), "\(received)")
                #expect(received.contains("did not arrive in time"))
                let nothing = silent.read(for: 10)
                #expect(nothing.closed && nothing.text.isEmpty, "a connection that sends nothing is closed too")

                let normal = try RawHTTPClient(port: port)
                normal.sendText(Self.get)
                #expect(normal.response(within: 60).hasPrefix("HTTP/1.1 200"))
            }
        }
    }

    @Test func aStalledBodyIsClosedAndNothingIsFiled() async throws {
        let (store, service, key) = try Fixture.service(limits: Self.quick())
        let before = try store.cases(CaseQuery()).count
        try await withServer(service) { port in
            try await onThread {
                let client = try RawHTTPClient(port: port)
                let body = "api_key=\(key)&service_code=event-0102&address_id=110101001001001&description=stalled"
                client.sendText("POST /requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                + "Content-Length: \(body.utf8.count)\r\n\r\n" + String(body.prefix(30)))
                #expect(client.read(for: 10).closed, "the body did not come within its timeout")
            }
        }
        #expect(try store.cases(CaseQuery()).count == before, "a request is never handled with part of its body")
    }

    @Test func idleKeptAliveConnectionsAreClosed() async throws {
        let (_, service, _) = try Fixture.service(limits: Self.quick())
        try await withServer(service) { port in
            try await onThread {
                let client = try RawHTTPClient(port: port)
                client.sendText(Self.get)
                #expect(client.response(within: 60).hasPrefix("HTTP/1.1 200"))
                client.sendText(Self.get)
                #expect(client.response(within: 60).hasPrefix("HTTP/1.1 200"), "kept alive between requests")
                #expect(client.read(for: 10).closed, "then closed when idle")
            }
        }
    }

    @Test func connectionsPerAddressAreLimitedAndReleasedOnClose() async throws {
        var limits = Fixture.patient()
        limits.maxConnectionsPerAddress = 3
        let (_, service, _) = try Fixture.service(limits: limits)
        try await withServer(service) { port in
            try await onThread {
                var held: [RawHTTPClient] = []
                for _ in 0..<3 {
                    let client = try RawHTTPClient(port: port)
                    client.sendText(Self.get)
                    #expect(client.response(within: 60).hasPrefix("HTTP/1.1 200"))
                    held.append(client)
                }
                let over = try RawHTTPClient(port: port)
                let refused = over.read(for: 10)
                #expect(refused.closed)
                #expect(refused.text.hasPrefix("HTTP/1.1 503"), "\(refused.text)")
                #expect(refused.text.contains("too many open connections from this address"))

                held.removeFirst()  // closes it; the server releases its count when it sees the close
                var admitted = false
                for _ in 0..<100 where !admitted {
                    let client = try RawHTTPClient(port: port)
                    client.sendText(Self.get)
                    admitted = client.response(within: 60).hasPrefix("HTTP/1.1 200")
                    if !admitted { usleep(50_000) }
                }
                #expect(admitted, "a closed connection's place is given back")
                _ = held
            }
        }
    }

    @Test func connectionsInTotalAreLimited() async throws {
        var limits = Fixture.patient()
        limits.maxConnections = 2
        let (_, service, _) = try Fixture.service(limits: limits)
        #expect(Open311Service.Limits().maxConnections <= Open311Connections.fileSafeMaximum())
        #expect(Open311Service.Limits().maxConnections <= 1024)
        try await withServer(service) { port in
            try await onThread {
                let first = try RawHTTPClient(port: port), second = try RawHTTPClient(port: port)
                for client in [first, second] {
                    client.sendText(Self.get)
                    #expect(client.response(within: 60).hasPrefix("HTTP/1.1 200"))
                }
                let refused = try RawHTTPClient(port: port).read(for: 10)
                #expect(refused.closed && refused.text.hasPrefix("HTTP/1.1 503"), "\(refused.text)")
                #expect(refused.text.contains("too many open connections; retry"))
            }
        }
    }

    @Test func contentLengthOverTheLimitIsAnswered413BeforeTheBody() async throws {
        var limits = Fixture.patient()
        limits.maxBodyBytes = 1024
        let (store, service, _) = try Fixture.service(limits: limits)
        let before = try store.cases(CaseQuery()).count
        try await withServer(service) { port in
            try await onThread {
                for (path, marker) in [("/requests.json", "\"code\":413"), ("/requests.xml", "<errors><error><code>413</code>")] {
                    let client = try RawHTTPClient(port: port)
                    // The head only: a server that waited for the body would never answer.
                    client.sendText("POST \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                    + "Content-Length: 10000000\r\n\r\n")
                    let answer = client.read(for: 10)
                    #expect(answer.text.hasPrefix("HTTP/1.1 413"), "\(answer.text)")
                    #expect(answer.text.contains(marker) && answer.text.contains("over the limit of 1024 bytes"))
                    #expect(answer.text.lowercased().contains("connection: close"))
                    #expect(answer.closed)
                }
                // A chunked body passing the limit: 413 as soon as it does, never a 500.
                let chunked = try RawHTTPClient(port: port)
                chunked.sendText("POST /requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                 + "Transfer-Encoding: chunked\r\n\r\n" + String(repeating: "200\r\n" + String(repeating: "a", count: 512) + "\r\n", count: 4))
                let over = chunked.read(for: 10)
                #expect(over.text.hasPrefix("HTTP/1.1 413"), "\(over.text)")
                #expect(over.closed)
                // A client already sending its body still reads the answer rather than a reset.
                let eager = try RawHTTPClient(port: port)
                eager.sendText("POST /requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Length: 200000\r\n\r\n"
                               + String(repeating: "a", count: 200_000))
                #expect(eager.read(for: 10).text.hasPrefix("HTTP/1.1 413"))
                let normal = try RawHTTPClient(port: port)
                normal.sendText(Self.get)
                #expect(normal.response(within: 60).hasPrefix("HTTP/1.1 200"))
            }
        }
        #expect(try store.cases(CaseQuery()).count == before)
    }

    @Test func malformedAndCutShortBodiesAre400Not500() async throws {
        let (store, service, key) = try Fixture.service()
        let before = try store.cases(CaseQuery()).count
        let head = "POST /requests.json HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        let fields = "api_key=\(key)&service_code=event-0102&address_id=110101001001001&description=cut+short"
        try await withServer(service) { port in
            try await onThread {
                let cases: [(String, String, Bool)] = [
                    ("a chunk size that is not hex", head + "Transfer-Encoding: chunked\r\n\r\nzz\r\n\(fields)\r\n0\r\n\r\n", false),
                    ("a chunked body cut short", head + "Transfer-Encoding: chunked\r\n\r\n\(String(fields.utf8.count, radix: 16))\r\n\(fields.prefix(20))", true),
                    ("a chunk size too big for any integer", head + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n\(fields)\r\n0\r\n\r\n", false),
                    ("a chunk not ended by CRLF", head + "Transfer-Encoding: chunked\r\n\r\n5\r\napi_kXX0\r\n\r\n", false),
                    ("a chunked body with a Content-Length too", head + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\napi_k\r\n0\r\n\r\n", false),
                    ("a counted body cut short", head + "Content-Length: \(fields.utf8.count)\r\n\r\n\(fields.prefix(20))", true),
                    ("a request line that is not HTTP", "NOT HTTP AT ALL\r\n\r\n", false),
                ]
                for (what, bytes, endEarly) in cases {
                    let client = try RawHTTPClient(port: port)
                    client.sendText(bytes)
                    if endEarly { client.shutdownWrite() }
                    let answer = client.read(for: 10)
                    #expect(answer.text.hasPrefix("HTTP/1.1 400"), "\(what): \(answer.text)")
                    #expect(!answer.text.contains("500"), "\(what)")
                    #expect(answer.closed, "\(what)")
                }
                let normal = try RawHTTPClient(port: port)
                normal.sendText(Self.get)
                #expect(normal.response(within: 60).hasPrefix("HTTP/1.1 200"))
            }
        }
        #expect(try store.cases(CaseQuery()).count == before)
    }

    @Test func listingsArePaged() async throws {
        let (store, service, _) = try Fixture.service()
        let all = try store.open311Cases(Open311Filter(from: Fixture.now.addingTimeInterval(-90 * 86_400), to: Fixture.now))
        #expect(all.count > 200, "the fixture has more than a full page")
        try await service.app.test(.router) { client in
            let first = try await client.execute(uri: "/requests.json", method: .get)
            #expect(first.jsonArray.count == 50, "a default page")
            #expect(first.jsonArray.compactMap { $0["service_request_id"] as? String } == all.prefix(50).map { String($0.serviceCase.id) })
            let links = try #require(first.headers[.link])
            #expect(links.contains("rel=\"first\"") && links.contains("rel=\"next\"") && !links.contains("rel=\"prev\""))
            #expect(links.contains("page=2&page_size=50>; rel=\"next\""), "\(links)")
            #expect(links.contains("start_date=2026-08-27T10%3A30%3A00%2B08%3A00"), "the window is fixed for the next pages: \(links)")

            let big = try await client.execute(uri: "/requests.json?page_size=200", method: .get).jsonArray
            #expect(big.count == 200)
            let second = try await client.execute(uri: "/requests.json?page=2&page_size=200", method: .get)
            let lastCount = all.count - 200
            #expect(second.jsonArray.count == min(200, lastCount))
            let ids = (big + second.jsonArray).compactMap { $0["service_request_id"] as? String }
            #expect(ids == all.prefix(200 + min(200, lastCount)).map { String($0.serviceCase.id) }, "pages neither overlap nor skip")
            if lastCount <= 200 {
                let secondLinks = try #require(second.headers[.link])
                #expect(!secondLinks.contains("rel=\"next\"") && secondLinks.contains("page=1&page_size=200>; rel=\"prev\""), "\(secondLinks)")
            }
            let beyond = try await client.execute(uri: "/requests.json?page=100&page_size=200", method: .get)
            #expect(beyond.status == .ok && beyond.jsonArray.isEmpty)

            let xml = try await client.execute(uri: "/requests.xml?page_size=5&status=open", method: .get)
            #expect(xml.text.components(separatedBy: "<request>").count - 1 == 5)
            #expect(xml.headers[.link]?.contains("/requests.xml?") == true && xml.headers[.link]?.contains("status=open") == true)

            for bad in ["page=0", "page=-1", "page=two", "page=1.5", "page=100001", "page_size=0", "page_size=201", "page_size=",
                        "page_size=50&page=%00"] {
                let r = try await client.execute(uri: "/requests.json?\(bad)", method: .get)
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.jsonArray.first?["code"] as? Int == 400, "\(bad)")
            }
        }
    }

    /// The rows a listing returns are charged to the client's budget: after a page of 200, fewer requests are
    /// left than after a page of 1.
    @Test func aBigListingCostsMoreOfTheClientsBudgetThanASmallOne() async throws {
        func requestsLeft(after listing: String) async throws -> Int {
            var limits = Fixture.patient()
            limits.clientBurst = 20
            limits.clientPerSecond = 0.001
            let (_, service, _) = try Fixture.service(limits: limits)
            return try await service.application(host: "127.0.0.1", port: 0).test(.live) { client in
                #expect(try await client.execute(uri: listing, method: .get).status == .ok)
                var served = 0
                for _ in 0..<30 {
                    guard try await client.execute(uri: "/services.json", method: .get).status == .ok else { break }
                    served += 1
                }
                return served
            }
        }
        let afterBig = try await requestsLeft(after: "/requests.json?page_size=200")
        let afterSmall = try await requestsLeft(after: "/requests.json?page_size=1")
        #expect(afterSmall == 19)
        #expect(afterBig == 11, "200 rows: 8 tokens more")
        #expect(afterBig < afterSmall)
    }
}
