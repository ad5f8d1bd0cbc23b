import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Open311
import Testing
@testable import Workflow

/// Issue 13, defect 2 on the Open311 channel: nothing is filed at an absurd time, absurd filter dates get a clear 400,
/// and stored absurd times are listed without a crash.
@Suite struct Open311TimeTests {
    @Test func aClockOutsideTheSitesWindowFilesNothing() async throws {
        let (store, _, key) = try Fixture.service()
        let place = try Fixture.position(store)
        let before = try store.cases(CaseQuery()).count
        for text in ["1990-01-01T00:00:00+08:00", "1899-12-31T23:59:59Z", "9999-12-31T23:59:59Z"] {
            let clock = try InstantFormat(timeZone: Fixture.zone).parse(text)
            let service = Open311Service(store: store, clock: { clock })
            try await service.app.test(.router) { client in
                let r = try await client.execute(uri: "/requests.json", method: .post, headers: formHeaders, body: formBody([
                    ("api_key", key), ("lat", String(place.lat)), ("long", String(place.lon)), ("service_code", "event-0102"),
                    ("description", "门口垃圾")]))
                #expect(r.status == .serviceUnavailable, "\(text): \(r.text)")
                let description = r.jsonArray.first?["description"] as? String ?? ""
                #expect(description.contains("the service's clock \(text) is outside the site's time window")
                        || description.contains("the service's clock") && description.contains("is outside the site's time window"), "\(r.text)")
                #expect(description.hasSuffix("nothing was filed"), "\(r.text)")
            }
        }
        #expect(try store.cases(CaseQuery()).count == before)
    }

    @Test func absurdFilterDatesGetAClear400() async throws {
        let (_, service, _) = try Fixture.service()
        try await service.app.test(.router) { client in
            for (query, mentioning) in [("start_date=0001-01-01T00:00:00Z", "start_date must lie between 1900-01-01 and 2199-12-31"),
                                        ("end_date=9999-12-31T23:59:59Z", "end_date must lie between 1900-01-01 and 2199-12-31"),
                                        ("start_date=2026-02-30T00:00:00%2B08:00", "start_date must be ISO-8601"),
                                        ("end_date=2026-11-25T00:00:00%2B15:00", "end_date must be ISO-8601")] {
                let r = try await client.execute(uri: "/requests.json?\(query)", method: .get)
                #expect(r.status == .badRequest, "\(query): \(r.text)")
                #expect((r.jsonArray.first?["description"] as? String)?.contains(mentioning) == true, "\(query): \(r.text)")
            }
            #expect(try await client.execute(uri: "/requests.json?start_date=2026-11-01T00:00:00%2B08:00", method: .get).status == .ok)
        }
    }

    @Test func storedAbsurdTimesAreListedWithoutACrash() async throws {
        let (store, service, _) = try Fixture.service()
        let ids = try store.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM service_case ORDER BY id LIMIT 3") }
        try store.write { db in
            for (id, t) in zip(ids, [Int64.max, Int64.min, -3_217_862_419_200]) {
                try db.execute(sql: "UPDATE service_case SET reported_at = ?, last_event_at = ?, deadline = ? WHERE id = ?",
                               arguments: [t, t, t, id])
            }
        }
        try await service.app.test(.router) { client in
            let r = try await client.execute(uri: "/requests.json?service_request_id=\(ids.map(String.init).joined(separator: ","))", method: .get)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.jsonArray.count == 3)
        }
    }
}
