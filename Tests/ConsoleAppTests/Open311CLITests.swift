import Foundation
import Testing

@Suite("apikey command") struct APIKeyCLITests {
    @Test func addListRevoke() throws {
        let db = try CLI.demoCopy()
        let added = try CLI.run(["apikey", "add", "--name", "Citizen app", "--json"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        let key = try #require(added.object["key"] as? String)
        #expect(key.count == 40)
        let id = try #require(added.object["id"] as? Int)
        let list = try CLI.run(["apikey", "list", "--json"], db: db)
        #expect(list.array.first?["name"] as? String == "Citizen app")
        #expect(list.array.first?["revoked_at"] is NSNull)
        #expect(!list.stdout.contains(key))
        let text = try CLI.run(["apikey", "list"], db: db)
        #expect(text.stdout.contains("active") && !text.stdout.contains(key))
        #expect(try CLI.run(["apikey", "revoke", String(id)], db: db).status == 0)
        #expect(try CLI.run(["apikey", "revoke", String(id)], db: db).status == 4)
        #expect(try CLI.run(["apikey", "revoke", "999"], db: db).status == 5)
        #expect((try CLI.run(["apikey", "list", "--json"], db: db).array.first?["revoked_at"] as? String)?.hasPrefix("2026-11-25") == true)
        #expect(try CLI.run(["apikey", "add", "--name", "  "], db: db).status == 2)
    }
}
