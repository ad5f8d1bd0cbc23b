import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Open311
import Testing
import Workflow

/// Issue 13, defect 8 on the Open311 channel: a NUL in any text field is a 400 with the GeoReport error body and
/// files nothing; tabs and line breaks are kept.
@Suite struct Open311TextRuleTests {
    @Test func aNULInAnyTextFieldIsA400AndNothingIsFiled() async throws {
        var limits = Fixture.patient()
        limits.postBurst = 1000
        let (store, service, key) = try Fixture.service(limits: limits)
        let place = try Fixture.position(store)
        let before = try store.cases(CaseQuery()).count
        let base = [("api_key", key), ("service_code", "event-0102"), ("lat", String(place.lat)), ("long", String(place.lon))]
        try await service.app.test(.router) { client in
            func expect400(_ body: ByteBuffer, headers: HTTPFields = formHeaders, mentioning: String,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
                let r = try await client.execute(uri: "/requests.json", method: .post, headers: headers, body: body)
                #expect(r.status == .badRequest, "\(r.text)", sourceLocation: sourceLocation)
                let error = r.jsonArray.first
                #expect(r.jsonArray.count == 1 && error?["code"] as? Int == 400, "\(r.text)", sourceLocation: sourceLocation)
                #expect((error?["description"] as? String)?.contains(mentioning) == true, "\(r.text)", sourceLocation: sourceLocation)
                #expect(!r.text.contains("\u{0}") && !r.text.contains("\\u0000"), sourceLocation: sourceLocation)
            }
            // Form-encoded, as the spec posts (%00), and JSON (\u0000).
            try await expect400(formBody(base + [("description", "井盖\u{0}丢失")]), mentioning: "description contains a NUL character")
            try await expect400(ByteBuffer(string: formBody(base).getString(at: 0, length: formBody(base).readableBytes)! + "&description=a%00b"),
                                mentioning: "description contains a NUL character")
            let json = #"{"api_key":"\#(key)","service_code":"event-0102","lat":\#(place.lat),"long":\#(place.lon),"description":"x\u0000y"}"#
            try await expect400(ByteBuffer(string: json), headers: jsonHeaders, mentioning: "description contains a NUL character")
            for field in ["address_string", "email", "first_name", "last_name", "phone", "device_id", "account_id"] {
                try await expect400(formBody(base + [("description", "fine"), (field, "a\u{0}b")]), mentioning: "\(field) contains a NUL character")
            }
            // Only a NUL or only controls: nothing to read, so required.
            try await expect400(formBody(base + [("description", "\u{0}")]), mentioning: "description is required")
            try await expect400(formBody(base + [("description", "\u{1}\u{7}\u{200B}")]), mentioning: "description is required")
            // Tabs and line breaks are kept.
            let kept = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders,
                                                body: formBody(base + [("description", "line one\n\tline two")]))
            #expect(kept.status == .created, "\(kept.text)")
            let idText = try #require(kept.jsonArray.first?["service_request_id"] as? String)
            let id = try #require(Int64(idText))
            #expect(try store.serviceCase(id).description == "line one\n\tline two")
        }
        #expect(try store.cases(CaseQuery()).count == before + 1)
    }
}
