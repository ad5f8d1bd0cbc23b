import Foundation
import GRDB
import Testing

/// `citygrid component show`, a component case routed to its owner and closing it with the component's outcome,
/// through the CLI on the demo city (issue 17, part 3).
@Suite struct ComponentCLITests {
    /// One row of the demo database, read directly (the CLI has no listing of components by owner).
    static func row(_ db: String, _ sql: String) throws -> Row? {
        let queue = try DatabaseQueue(path: db)
        defer { try? queue.close() }
        return try queue.read { try Row.fetchOne($0, sql: sql) }
    }

    /// A demo litter bin owned by the street office (its class's department is SANIT), with no case, and the
    /// inspector of its cell's patrol area.
    static func ownedBin(_ db: String) throws -> (id: String, cell: String, inspector: String) {
        let row = try #require(try Self.row(db, """
            SELECT c.id, c.cell_code, (SELECT login FROM operator o WHERE o.role = 'inspector' AND o.patrol_area = r.patrol_area ORDER BY login LIMIT 1) AS inspector
            FROM component c JOIN region r ON r.code = c.cell_code
            WHERE c.category_code = '0305' AND c.department = 'STREET' AND c.state = 'intact' AND c.cell_code LIKE '110101%'
              AND NOT EXISTS (SELECT 1 FROM service_case s WHERE s.component_id = c.id)
            ORDER BY c.id LIMIT 1
            """))
        return (row["id"], row["cell_code"], row["inspector"])
    }

    func step(_ args: [String], _ db: String, minute: Int) throws -> CLIResult {
        try CLI.run(args + ["--at", "2026-11-25T10:\(minute):00+08:00"], db: db, environment: ["CITYGRID_NOW": "2026-11-25T11:30:00+08:00"])
    }

    @Test func componentShowPrintsIdentityOwnerStateAndHistory() throws {
        let db = try CLI.demoCopy()
        let bin = try Self.ownedBin(db)
        let shown = try CLI.run(["component", "show", bin.id, "--json"], db: db)
        #expect(shown.status == 0, "\(shown.stderr)")
        let object = shown.object
        for key in ["id", "class", "name", "cell", "department", "state", "history", "open_cases"] {
            #expect(object.keys.contains(key), "component show lacks \(key)")
        }
        #expect(object["id"] as? String == bin.id && object["class"] as? String == "0305")
        #expect(object["department"] as? String == "STREET" && object["state"] as? String == "normal" && object["cell"] as? String == bin.cell)
        #expect((object["history"] as? [Any])?.isEmpty == true)
        let text = try CLI.run(["component", "show", bin.id], db: db)
        #expect(text.status == 0 && text.stdout.contains("owner     STREET") && text.stdout.contains("normal"))
        // Bad ids: malformed is a usage error (2), unknown is not found (5).
        let malformed = try CLI.run(["component", "show", "12345"], db: db)
        #expect(malformed.status == 64 || malformed.status == 2, "\(malformed.status)")
        #expect(malformed.stderr.contains("16 digits") && malformed.stdout.isEmpty)
        let unknown = try CLI.run(["component", "show", "1101019999999999", "--json"], db: db)
        #expect(unknown.status == 5 && unknown.stderr.contains("no component 1101019999999999") && unknown.stdout.isEmpty)
    }

    @Test func aComponentCaseGoesToTheOwnerAndClosingRemovesTheComponent() throws {
        let db = try CLI.demoCopy()
        let bin = try Self.ownedBin(db)
        let made = try CLI.run(["report", "--as", bin.inspector, "--kind", "component", "--category", "0305", "--cell", bin.cell,
                                "--component", bin.id, "--description", "垃圾箱破损", "--json",
                                "--at", "2026-11-25T10:31:00+08:00"], db: db, environment: ["CITYGRID_NOW": "2026-11-25T11:30:00+08:00"])
        #expect(made.status == 0, "\(made.stderr)")
        let id = String(try #require(made.object["id"] as? Int))
        #expect(try CLI.run(["component", "show", bin.id, "--json"], db: db).object["state"] as? String == "damaged")
        #expect(try step(["case", "accept", id, "--as", "city-intake-1"], db, minute: 32).status == 0)
        let filed = try step(["case", "file", id, "--as", "city-lead-1", "--json"], db, minute: 33)
        #expect(filed.status == 0, "\(filed.stderr)")
        #expect(filed.object["department"] as? String == "STREET", "the bin's owner, not SANIT")
        let routing = try #require(filed.object["routing"] as? [String: Any])
        #expect(routing["department"] as? String == "STREET" && routing["reason"] as? String == "component-owner"
                && routing["component"] as? String == bin.id)
        #expect(filed.object["component_owner"] as? String == "STREET" && filed.object["component_state"] as? String == "damaged")
        #expect(try step(["case", "dispatch", id, "--as", "city-dispatcher-1", "--to", "110101-C"], db, minute: 34).status == 0)
        let dispatched = try step(["case", "dispatch", id, "--as", "110101-dispatcher-1", "--to", "STREET"], db, minute: 35)
        #expect(dispatched.status == 0, "\(dispatched.stderr)")
        #expect(dispatched.stdout.contains("department STREET (owner of component \(bin.id))"), "\(dispatched.stdout)")
        for (args, minute) in [(["handle", id, "--as", "street-110101"], 36), (["check", id, "--as", "city-intake-2", "--to", bin.inspector], 37),
                               (["pass", id, "--as", bin.inspector], 38)] {
            let result = try step(["case"] + args, db, minute: minute)
            #expect(result.status == 0, "\(args): \(result.stderr)")
        }
        // The outcome is for close only.
        let wrong = try step(["case", "urge", id, "--as", "city-lead-2", "--component-state", "removed"], db, minute: 39)
        #expect(wrong.status == 2 && wrong.stderr.contains("only close does"))
        let closed = try step(["case", "close", id, "--as", "city-lead-2", "--component-state", "removed"], db, minute: 40)
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect(closed.stdout.contains("component \(bin.id) removed"), "\(closed.stdout)")
        let shown = try CLI.run(["component", "show", bin.id, "--json"], db: db).object
        #expect(shown["state"] as? String == "removed")
        let history = try #require(shown["history"] as? [[String: Any]])
        #expect(history.map { $0["action"] as? String ?? "" } == ["case-opened", "case-closed"])
        #expect(history.map { $0["to"] as? String ?? "" } == ["damaged", "removed"])
        #expect(history.allSatisfy { $0["case"] as? Int == Int(id) })
        #expect(history.last?["actor"] as? String == "city-lead-2")
    }

    @Test func theDemoCityHasComponentsWithOwnersAndCaseHistory() throws {
        let db = try CLI.demoCopy()
        let owners = try #require(try Self.row(db, """
            SELECT count(DISTINCT department) AS owners,
                   (SELECT count(*) FROM component_history) AS history FROM component WHERE category_code = '0305'
            """))
        #expect((owners["owners"] as Int) >= 2, "bins of the sanitation department and of the street office")
        #expect((owners["history"] as Int) > 0, "the demo's component cases are in the components' history")
    }
}
