import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Open311
import Testing
import Workflow

let requestFields = ["service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                     "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
                     "address", "address_id", "zipcode", "lat", "long", "media_url"]

@Suite("Open311 GeoReport v2") struct Open311Tests {

    @Test func sha256MatchesTheStandardVectors() {
        #expect(Hashing.sha256Hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hashing.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hashing.sha256Hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// A key stored by an earlier version (salted SHA-256, computed outside: Python's hashlib.sha256(salt + key))
    /// still matches: changing the hashing code must not lock out the partners of existing databases.
    @Test func aKeyStoredEarlierStillMatches() throws {
        let store = try Fixture.store()
        let salt = "00112233445566778899aabbccddeeff", secret = "0123456789abcdef0123456789abcdef01234567"
        #expect(Hashing.sha256Hex(Array((salt + secret).utf8)) == "366fa3d64e870718a34259561e24dde5d66ed839963841c988e6ca5d8d51cb21")
        let id = try store.write { db in
            try db.execute(sql: "INSERT INTO api_key(name, prefix, salt, hash, created_at) VALUES ('old partner', '01234567', ?, ?, 0)",
                           arguments: [salt, "366fa3d64e870718a34259561e24dde5d66ed839963841c988e6ca5d8d51cb21"])
            return db.lastInsertedRowID
        }
        #expect(try store.apiKey(matching: secret)?.id == id)
        #expect(try store.apiKey(matching: "0123456789abcdef0123456789abcdef01234568") == nil)
    }

    @Test func apiKeysAreStoredAsHashesAndCanBeRevoked() throws {
        let store = try Fixture.store()
        let (key, secret) = try store.addAPIKey(name: "partner", at: Fixture.now)
        #expect(secret.count == 40)
        #expect(key.prefix == String(secret.prefix(8)))
        #expect(try store.apiKey(matching: secret)?.id == key.id)
        #expect(try store.apiKey(matching: String(secret.dropLast()) + (secret.last == "0" ? "1" : "0")) == nil)
        #expect(try store.apiKey(matching: "' OR 1=1 --") == nil)
        try store.revokeAPIKey(id: key.id, at: Fixture.now)
        #expect(try store.apiKey(matching: secret)?.isActive == false)
        #expect(throws: WorkflowError.self) { try store.revokeAPIKey(id: key.id, at: Fixture.now) }
    }

    @Test func servicesInBothFormats() async throws {
        let (_, service, _) = try Fixture.service()
        try await service.app.test(.router) { client in
            let json = try await client.execute(uri: "/services.json", method: .get)
            #expect(json.status == .ok)
            #expect(json.headers[.contentType]?.hasPrefix("application/json") == true)
            let services = json.jsonArray
            #expect(services.count > 50)
            let first = try #require(services.first)
            #expect(Set(first.keys) == ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"])
            let garbage = try #require(services.first { $0["service_code"] as? String == "event-0102" })
            #expect(garbage["metadata"] as? Bool == false)
            #expect(garbage["type"] as? String == "realtime")
            #expect((garbage["group"] as? String)?.isEmpty == false)

            let english = try await client.execute(uri: "/services.json?lang=en", method: .get).jsonArray
            #expect(english.first { $0["service_code"] as? String == "event-0102" }?["service_name"] as? String
                    != garbage["service_name"] as? String)

            let xml = try await client.execute(uri: "/services.xml", method: .get)
            #expect(xml.status == .ok)
            #expect(xml.headers[.contentType]?.hasPrefix("text/xml") == true)
            #expect(xml.text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>"))
            #expect(xml.text.contains("<service_code>event-0102</service_code>"))
            #expect(xml.text.contains("<metadata>false</metadata><type>realtime</type>"))

            let definition = try await client.execute(uri: "/services/event-0102.json", method: .get)
            #expect(definition.status == .ok)
            #expect(definition.jsonObject["service_code"] as? String == "event-0102")
            #expect((definition.jsonObject["attributes"] as? [Any])?.isEmpty == true)
            let definitionXML = try await client.execute(uri: "/services/event-0102.xml", method: .get)
            #expect(definitionXML.text.contains("<service_definition><service_code>event-0102</service_code><attributes/></service_definition>"))

            let unknown = try await client.execute(uri: "/services/event-9999.json", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.jsonArray.first?["code"] as? Int == 404)
            #expect((unknown.jsonArray.first?["description"] as? String)?.contains("event-9999") == true)
            let unknownXML = try await client.execute(uri: "/services/nothing.xml", method: .get)
            #expect(unknownXML.status == .notFound)
            #expect(unknownXML.text.contains("<errors><error><code>404</code><description>"))
            let noRoute = try await client.execute(uri: "/nowhere.xml", method: .get)
            #expect(noRoute.status == .notFound)
            #expect(noRoute.text.contains("<errors><error><code>404</code>"))
        }
    }

    @Test func postingFilesAReportedWebCaseAndKeepsTheRequesterPrivate() async throws {
        let (store, service, key) = try Fixture.service()
        let place = try Fixture.position(store)
        try await service.app.test(.router) { client in
            let posted = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody([
                ("api_key", key), ("service_code", "event-0102"), ("lat", String(place.lat + 0.0002)), ("long", String(place.lon)),
                ("address_string", "东四北大街 12 号"), ("description", "Rubbish piled by the gate"),
                ("email", "citizen@example.org"), ("first_name", "Li"), ("last_name", "Lei"), ("phone", "13800000000"),
                ("media_url", "https://img.example.org/reports/gate.jpg?size=large&v=2"),
            ]))
            #expect(posted.status == .created)
            let reply = try #require(posted.jsonArray.first)
            #expect(Set(reply.keys) == ["service_request_id", "token", "service_notice", "account_id"])
            let idText = try #require(reply["service_request_id"] as? String)
            let id = try #require(Int64(idText))
            let token = try #require(reply["token"] as? String)

            let filed = try store.detail(id)
            #expect(filed.serviceCase.state == .reported)
            #expect(filed.serviceCase.source == .web)
            #expect(filed.serviceCase.cellCode == place.cell)
            #expect(filed.serviceCase.categoryCode == "0102")
            #expect(filed.reports.first?.reporterName == "Li Lei")
            #expect(filed.reports.first?.reporterPhone == "13800000000")
            #expect(filed.publicRequest == PublicRequest(address: "东四北大街 12 号", mediaURL: "https://img.example.org/reports/gate.jpg?size=large&v=2"))

            let one = try await client.execute(uri: "/requests/\(id).json", method: .get)
            #expect(one.status == .ok)
            let record = try #require(one.jsonArray.first)
            #expect(Set(record.keys) == Set(requestFields))
            #expect(record["status"] as? String == "open")
            #expect(record["service_code"] as? String == "event-0102")
            #expect(record["address"] as? String == "东四北大街 12 号")
            #expect(record["address_id"] as? String == place.cell)
            #expect(record["media_url"] as? String == "https://img.example.org/reports/gate.jpg?size=large&v=2", "the picture link comes back")
            #expect(record["lat"] as? Double == place.lat)
            #expect((record["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
            for secret in ["citizen@example.org", "13800000000", "Lei", key] { #expect(!one.text.contains(secret)) }

            // Nor in the paged listing, its pages and their Link header, even when the query names the reporter's
            // fields: the header re-encodes the understood filters only.
            let query = "service_code=event-0102&page_size=1&email=citizen%40example.org&phone=13800000000&last_name=Lei&api_key=\(key)"
            for path in ["/requests.json?\(query)", "/requests.xml?\(query)", "/requests.json?\(query)&page=2"] {
                let page = try await client.execute(uri: path, method: .get)
                #expect(page.status == .ok, "\(path)")
                let link = try #require(page.headers[.link], "\(path)")
                #expect(link.contains("rel=\"next\""), "\(path): \(link)")
                if !path.hasSuffix("page=2") { #expect(page.text.contains(idText), "the posted request is on the first page: \(path)") }
                for secret in ["citizen", "13800000000", "Lei", key] {
                    #expect(!page.text.contains(secret), "\(path)")
                    #expect(!link.contains(secret), "\(path): \(link)")
                }
            }

            let xml = try await client.execute(uri: "/requests/\(id).xml", method: .get)
            #expect(xml.text.hasPrefix("<?xml version=\"1.0\" encoding=\"utf-8\"?><service_requests><request><service_request_id>\(id)</service_request_id><status>open</status>"))
            for field in requestFields { #expect(xml.text.contains("<\(field)>") || xml.text.contains("<\(field)/>")) }
            #expect(!xml.text.contains("citizen@example.org"))
            #expect(xml.text.contains("<media_url>https://img.example.org/reports/gate.jpg?size=large&amp;v=2</media_url>"))

            let byToken = try await client.execute(uri: "/tokens/\(token).xml", method: .get)
            #expect(byToken.text.contains("<service_request_id>\(id)</service_request_id><token>\(token)</token>"))
            let byTokenJSON = try await client.execute(uri: "/tokens/\(token).json", method: .get)
            #expect(byTokenJSON.jsonArray.first?["service_request_id"] as? String == String(id))
            #expect(try await client.execute(uri: "/tokens/0000.json", method: .get).status == .notFound)

            // Placed by address_id: the cell code the listing gives back.
            let byCell = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody([
                ("api_key", key), ("service_code", "event-0102"), ("address_id", place.cell), ("description", "By the cell code"),
            ]))
            #expect(byCell.status == .created, "\(byCell.text)")
            let byCellID = try #require((byCell.jsonArray.first?["service_request_id"] as? String).flatMap { Int64($0) })
            #expect(try store.detail(byCellID).serviceCase.cellCode == place.cell)

            // JSON body, XML reply.
            let body = #"{"api_key":"\#(key)","service_code":"component-0101","lat":\#(place.lat),"long":\#(place.lon),"description":"Cover missing"}"#
            let jsonPost = try await client.execute(uri: "/requests.xml", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(jsonPost.status == .created)
            #expect(jsonPost.text.contains("<service_requests><request><service_request_id>"))
            #expect(jsonPost.text.contains("<account_id/>"))
            let noPicture = try #require(jsonPost.text.range(of: "<service_request_id>")).upperBound
            let otherID = String(jsonPost.text[noPicture...].prefix { $0.isNumber })
            #expect(try await client.execute(uri: "/requests/\(otherID).xml", method: .get).text.contains("<media_url/>"))
        }
    }

    @Test func apiKeyChecks() async throws {
        let (store, service, key) = try Fixture.service()
        let place = try Fixture.position(store)
        let fields = [("service_code", "event-0102"), ("lat", String(place.lat)), ("long", String(place.lon)), ("description", "x")]
        try await service.app.test(.router) { client in
            let missing = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody(fields))
            #expect(missing.status == .unauthorized)
            #expect(missing.jsonArray.first?["code"] as? Int == 401)
            let wrong = try await client.execute(uri: "/requests.xml", method: .post, headers: formHeaders,
                                                 body: formBody([("api_key", String(repeating: "a", count: 40))] + fields))
            #expect(wrong.status == .forbidden)
            #expect(wrong.text.contains("<errors><error><code>403</code><description>api_key is not valid</description></error></errors>"))
            let keyID = try #require(try store.apiKeys().first?.id)
            try store.revokeAPIKey(id: keyID, at: Fixture.now)
            let revoked = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody([("api_key", key)] + fields))
            #expect(revoked.status == .forbidden)
            #expect((revoked.jsonArray.first?["description"] as? String)?.contains("revoked") == true)
        }
    }

    @Test func badRequestsGetClearErrorsAndNothingIsFiled() async throws {
        var limits = Fixture.patient()
        limits.postBurst = 1000
        let (store, service, key) = try Fixture.service(limits: limits)
        let place = try Fixture.position(store)
        let before = try store.cases(CaseQuery()).count
        @Sendable func post(_ fields: [(String, String)]) -> ByteBuffer {
            formBody([("api_key", key), ("lat", String(place.lat)), ("long", String(place.lon))] + fields)
        }
        try await service.app.test(.router) { client in
            func expectError(_ status: HTTPResponse.Status, _ body: ByteBuffer, headers: HTTPFields = formHeaders,
                             mentioning: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let r = try await client.execute(uri: "/requests.json", method: .post, headers: headers, body: body)
                #expect(r.status == status, sourceLocation: sourceLocation)
                let error = r.jsonArray.first
                #expect(error?["code"] as? Int == Int(status.code), sourceLocation: sourceLocation)
                #expect((error?["description"] as? String)?.contains(mentioning) == true, "\(r.text)", sourceLocation: sourceLocation)
                #expect(!r.text.contains("\u{1B}") && !r.text.contains("\\u001b"), sourceLocation: sourceLocation)
            }
            try await expectError(.badRequest, post([("description", "x")]), mentioning: "service_code is required")
            try await expectError(.badRequest, post([("service_code", "event-0102")]), mentioning: "description is required")
            try await expectError(.badRequest, post([("service_code", "event-0102"), ("description", "   ")]), mentioning: "description is required")
            try await expectError(.badRequest, post([("service_code", "event-9999"), ("description", "x")]), mentioning: "'event-9999' is not a service")
            try await expectError(.badRequest, post([("service_code", "\u{1B}[2J'; DROP TABLE service_case; --"), ("description", "x")]),
                                  mentioning: "not shown")
            try await expectError(.badRequest, formBody([("api_key", key), ("service_code", "event-0102"), ("description", "x"),
                                                         ("lat", "0"), ("long", "0")]), mentioning: "not within 150 m")
            try await expectError(.badRequest, formBody([("api_key", key), ("service_code", "event-0102"), ("description", "x"),
                                                         ("lat", "NaN"), ("long", "1e999")]), mentioning: "lat must be a number")
            try await expectError(.badRequest, formBody([("api_key", key), ("service_code", "event-0102"), ("description", "x"),
                                                         ("address_string", "somewhere")]), mentioning: "lat and long (or address_id")
            try await expectError(.badRequest, formBody([("api_key", key), ("service_code", "event-0102"), ("description", "x"),
                                                         ("lat", String(place.lat))]), mentioning: "lat and long go together")
            try await expectError(.badRequest, formBody([("api_key", key), ("service_code", "event-0102"), ("description", "x"),
                                                         ("address_id", "110101\u{1B}[2J")]), mentioning: "must be a 15-digit cell code")
            try await expectError(.badRequest, formBody([("api_key", key), ("service_code", "event-0102"), ("description", "x"),
                                                         ("address_id", "110101999999999")]), mentioning: "110101999999999 is not a cell")
            try await expectError(.badRequest, post([("service_code", "event-0102"), ("description", String(repeating: "长", count: 5000))]),
                                  mentioning: "limit")
            try await expectError(.badRequest, post([("service_code", "event-0102"), ("description", "x"), ("email", String(repeating: "e", count: 1000))]),
                                  mentioning: "email is longer")
            for bad in ["javascript:alert(1)", "ftp://files.example.org/a.jpg", "https://exa mple.org/a.jpg", "https:///a.jpg",
                        "https://example.org/\u{1B}[2J.jpg", "https://例子.中国/a.jpg", "/photos/a.jpg"] {
                try await expectError(.badRequest, post([("service_code", "event-0102"), ("description", "x"), ("media_url", bad)]),
                                      mentioning: "media_url must be an http or https URL")
            }
            try await expectError(.badRequest, post([("service_code", "event-0102"), ("description", "x"),
                                                     ("media_url", "https://example.org/" + String(repeating: "a", count: 1000))]),
                                  mentioning: "media_url is longer")
            // Malformed bodies.
            try await expectError(.badRequest, ByteBuffer(string: "api_key=\(key)&description=%E0%80%ZZ"), mentioning: "malformed percent escape")
            try await expectError(.badRequest, ByteBuffer(string: "api_key=\(key)&description=%C3%28"), mentioning: "not valid UTF-8")
            try await expectError(.badRequest, ByteBuffer(string: "{\"api_key\": \"\(key)\", "), headers: jsonHeaders, mentioning: "malformed")
            try await expectError(.badRequest, ByteBuffer(string: "[1, 2]"), headers: jsonHeaders, mentioning: "must be an object")
            try await expectError(.badRequest, ByteBuffer(bytes: [0x7B, 0xFF, 0xFE, 0x7D]), headers: jsonHeaders, mentioning: "not valid UTF-8")
            try await expectError(.badRequest, ByteBuffer(string: #"{"api_key":"\#(key)","description":{"a":1}}"#), headers: jsonHeaders,
                                  mentioning: "must be a string")
            try await expectError(.unsupportedMediaType, ByteBuffer(string: "<request><description>x</description></request>"),
                                  headers: [.contentType: "application/xml"], mentioning: "form-encoded")
            try await expectError(.contentTooLarge, ByteBuffer(repeating: UInt8(ascii: "a"), count: 70_000), mentioning: "too large")
            // The service keeps serving.
            let ok = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders,
                                              body: post([("service_code", "event-0102"), ("description", "still here")]))
            #expect(ok.status == .created)
        }
        #expect(try store.cases(CaseQuery()).count == before + 1)
    }

    @Test func hostileTextIsStoredAsGivenAndEscapedOnTheWayOut() async throws {
        let (store, service, key) = try Fixture.service()
        let place = try Fixture.position(store)
        let hostile = "\u{1B}[31mred\u{1B}[0m \u{07}bell \u{9B}csi \u{202E}rtl'); DROP TABLE service_case; -- <b>&amp;</b>"
        try await service.app.test(.router) { client in
            let posted = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody([
                ("api_key", key), ("service_code", "event-0102"), ("lat", String(place.lat)), ("long", String(place.lon)), ("description", hostile),
            ]))
            #expect(posted.status == .created)
            let idText = try #require(posted.jsonArray.first?["service_request_id"] as? String)
            let id = try #require(Int64(idText))
            #expect(try store.serviceCase(id).description == hostile)
            let json = try await client.execute(uri: "/requests/\(id).json", method: .get)
            #expect(!json.text.contains("\u{1B}") && !json.text.contains("\u{9B}") && !json.text.contains("\u{202E}") && !json.text.contains("\u{07}"))
            #expect(json.jsonArray.first?["description"] as? String == hostile)
            let xml = try await client.execute(uri: "/requests/\(id).xml", method: .get)
            #expect(!xml.text.contains("\u{1B}") && !xml.text.contains("\u{9B}") && !xml.text.contains("\u{202E}"))
            #expect(xml.text.contains("&#x9B;csi &#x202E;rtl&apos;); DROP TABLE service_case; -- &lt;b&gt;&amp;amp;&lt;/b&gt;"))
        }
        #expect(try store.cases(CaseQuery(limit: 1)).count == 1)
    }

    @Test func listingFiltersAndLimits() async throws {
        let (store, service, _) = try Fixture.service()
        let all = try store.open311Cases(Open311Filter())
        let closed = try #require(all.first { $0.serviceCase.state == .closed })
        let open = try #require(all.first { $0.serviceCase.state.isOpen && $0.serviceCase.departmentCode != nil })
        try await service.app.test(.router) { client in
            let listed = try await client.execute(uri: "/requests.json", method: .get)
            #expect(listed.status == .ok)
            #expect(listed.jsonArray.count == min(50, all.count), "a page of 50 by default")
            let firstListed = try #require(listed.jsonArray.first)
            #expect(Set(firstListed.keys) == Set(requestFields))

            let ids = try await client.execute(uri: "/requests.json?service_request_id=\(closed.serviceCase.id),\(open.serviceCase.id)&status=open", method: .get)
            let byID = Dictionary(uniqueKeysWithValues: ids.jsonArray.map { ($0["service_request_id"] as! String, $0) })
            #expect(byID.count == 2)
            let closedRecord = try #require(byID[String(closed.serviceCase.id)])
            #expect(closedRecord["status"] as? String == "closed")
            // What its reporters are told (the outbox's text), with the close type.
            #expect((closedRecord["status_notes"] as? String)?.hasPrefix("案件\(closed.serviceCase.id)已处置完毕并结案。 (") == true,
                    "\(closedRecord["status_notes"] ?? "")")
            #expect(closedRecord["expected_datetime"] is NSNull)
            let openRecord = try #require(byID[String(open.serviceCase.id)])
            #expect(openRecord["status"] as? String == "open")
            #expect((openRecord["agency_responsible"] as? String)?.isEmpty == false)
            #expect(openRecord["expected_datetime"] as? String != nil)

            let onlyClosed = try await client.execute(uri: "/requests.json?status=closed", method: .get).jsonArray
            #expect(!onlyClosed.isEmpty && onlyClosed.allSatisfy { $0["status"] as? String == "closed" })
            let onlyOpen = try await client.execute(uri: "/requests.xml?status=open", method: .get).text
            #expect(!onlyOpen.contains("<status>closed</status>") && onlyOpen.contains("<status>open</status>"))

            let code = "\(open.serviceCase.kind.rawValue)-\(open.serviceCase.categoryCode)"
            let byCode = try await client.execute(uri: "/requests.json?service_code=\(code)", method: .get).jsonArray
            #expect(!byCode.isEmpty && byCode.allSatisfy { $0["service_code"] as? String == code })

            let window = try await client.execute(uri: "/requests.json?start_date=2026-11-25T00:00:00%2B08:00&end_date=2026-11-25T10:30:00%2B08:00", method: .get).jsonArray
            #expect(window.allSatisfy { ($0["requested_datetime"] as! String).hasPrefix("2026-11-25") })
            #expect(window.count < all.count)
            let old = try await client.execute(uri: "/requests.json?end_date=2025-01-01T00:00:00Z", method: .get).jsonArray
            #expect(old.isEmpty)

            for bad in ["status=pending", "start_date=yesterday", "service_request_id=1,two", "service_code=event-9999",
                        "start_date=2026-11-25&end_date=2026-11-01", "lang=fr"] {
                let r = try await client.execute(uri: "/requests.json?\(bad)", method: .get)
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.jsonArray.first?["code"] as? Int == 400)
            }
            #expect(try await client.execute(uri: "/requests/99999999.json", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/requests/abc.xml", method: .get).text.contains("<code>404</code>"))
        }
    }

    @Test func floodsAreRefusedWith429AndTheServiceRecovers() async throws {
        var limits = Fixture.patient()
        limits.postBurst = 2
        limits.postsPerSecond = 0.001
        let (store, service, key) = try Fixture.service(limits: limits)
        let place = try Fixture.position(store)
        let body = formBody([("api_key", key), ("service_code", "event-0102"), ("lat", String(place.lat)), ("long", String(place.lon)), ("description", "flood")])
        try await service.app.test(.router) { client in
            #expect(try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: body).status == .created)
            #expect(try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: body).status == .created)
            let refused = try await client.execute(uri: "/requests.xml", method: .post, headers: formHeaders, body: body)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(refused.text.contains("<code>429</code>"))
            // Reading is limited separately: still served.
            #expect(try await client.execute(uri: "/services.json", method: .get).status == .ok)
        }
        var global = Fixture.patient()
        global.burst = 3
        global.perSecond = 0.001
        let (_, limited, _) = try Fixture.service(limits: global)
        try await limited.app.test(.router) { client in
            for _ in 0..<3 { #expect(try await client.execute(uri: "/services.json", method: .get).status == .ok) }
            let refused = try await client.execute(uri: "/services.json", method: .get)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.jsonArray.first?["code"] as? Int == 429)
        }
    }

    /// Over a real socket every client has its own budget: one that floods is refused (429) before it can use
    /// up the service's, which a router test without a socket has no address for.
    @Test func oneClientAddressIsLimitedOnItsOwn() async throws {
        var limits = Fixture.patient()
        limits.clientBurst = 3
        limits.clientPerSecond = 0.001
        let (_, service, _) = try Fixture.service(limits: limits)
        try await service.application(host: "127.0.0.1", port: 0).test(.live) { client in
            for _ in 0..<3 { #expect(try await client.execute(uri: "/services.json", method: .get).status == .ok) }
            let refused = try await client.execute(uri: "/services.xml", method: .get)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(refused.text.contains("too many requests from this address"))
        }
        try await service.app.test(.router) { client in
            for _ in 0..<5 {
                let response = try await client.execute(uri: "/services.json", method: .get)
                #expect(response.status == .ok, "no address, no per-client bucket")
            }
        }
    }

    @Test func overRealHTTP() async throws {
        let (store, service, key) = try Fixture.service()
        let place = try Fixture.position(store)
        let app = service.application(host: "127.0.0.1", port: 0)
        try await app.test(.live) { client in
            let posted = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody([
                ("api_key", key), ("service_code", "event-0102"), ("lat", String(place.lat)), ("long", String(place.lon)), ("description", "over HTTP"),
            ]))
            #expect(posted.status == .created)
            let idText = try #require(posted.jsonArray.first?["service_request_id"] as? String)
            let id = try #require(Int64(idText))
            let c = try store.serviceCase(id)
            #expect(c.state == .reported && c.source == .web && c.description == "over HTTP")
            let xml = try await client.execute(uri: "/requests/\(id).xml", method: .get)
            #expect(xml.text.contains("<description>over HTTP</description>"))
            let big = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders,
                                               body: ByteBuffer(repeating: UInt8(ascii: "a"), count: 100_000))
            #expect(big.status == .contentTooLarge)
            #expect(big.headers[.connection] == "close", "the unread body ends the connection")
            // The service keeps serving, on a new connection.
            let port = try #require(client.port)
            let again = try await onThread { () -> String in
                let raw = try RawHTTPClient(port: port)
                raw.sendText("GET /services.xml HTTP/1.1\r\nHost: localhost\r\n\r\n")
                return raw.response(within: 60)
            }
            #expect(again.hasPrefix("HTTP/1.1 200"))
        }
    }
}
