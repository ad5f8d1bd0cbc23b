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

/// `citygrid census …` through the CLI with --json on the demo city.
@Suite struct CensusCLITests {
    func run(_ args: [String], _ db: String, minute: Int) throws -> CLIResult {
        try CLI.run(args + ["--at", "2026-11-25T10:\(minute):00+08:00"], db: db, environment: ["CITYGRID_NOW": "2026-11-25T11:30:00+08:00"])
    }

    @Test func aCensusStartsRecordsReportsAndClosesWithJSON() throws {
        let db = try CLI.demoCopy()
        let bin = try ComponentCLITests.ownedBin(db)
        let community = String(bin.cell.prefix(12))
        // An inspector may not start one; a shift lead may.
        let refused = try run(["census", "start", "--class", "0305", "--region", community, "--due", "2026-12-01T18:00:00+08:00",
                               "--as", bin.inspector, "--json"], db, minute: 31)
        #expect(refused.status == 3 && refused.stdout.isEmpty && refused.stderr.contains("supervisor or a shift lead"))
        let started = try run(["census", "start", "--class", "0305", "--region", community, "--due", "2026-12-01T18:00:00+08:00",
                               "--as", "city-lead-1", "--json"], db, minute: 31)
        #expect(started.status == 0, "\(started.stderr)")
        let census = try #require(started.object["census"] as? [String: Any])
        let id = String(try #require(census["id"] as? Int))
        #expect(census["class"] as? String == "0305" && census["region"] as? String == community && census["state"] as? String == "open")
        let areas = try #require(started.object["areas"] as? [[String: Any]])
        #expect(!areas.isEmpty && (started.object["expected"] as? Int ?? 0) > 0)
        let area = try #require(areas.first { ($0["expected"] as? Int ?? 0) > 0 }?["patrol_area"] as? String)
        _ = area

        let confirm = try run(["census", "record", id, "--as", bin.inspector, "--confirm", bin.id, "--state", "damaged", "--json"], db, minute: 32)
        #expect(confirm.status == 0, "\(confirm.stderr)")
        #expect(confirm.object["kind"] as? String == "confirm" && confirm.object["component"] as? String == bin.id
                && confirm.object["state"] as? String == "damaged" && confirm.object["recorded_by"] as? String == bin.inspector)
        let added = try run(["census", "record", id, "--as", bin.inspector, "--add", "--cell", bin.cell, "--name", "新垃圾箱", "--json"], db, minute: 33)
        #expect(added.status == 0, "\(added.stderr)")
        let newID = try #require(added.object["component"] as? String)
        #expect(newID.hasPrefix(String(bin.id.prefix(10))) && newID.count == 16)
        let both = try run(["census", "record", id, "--as", bin.inspector, "--add", "--confirm", bin.id], db, minute: 34)
        #expect(both.status != 0 && both.stderr.contains("exactly one"))

        let report = try CLI.run(["census", "report", id, "--json"], db: db)
        #expect(report.status == 0 && report.object["surveyed"] as? Int == 1)
        let md = try CLI.run(["census", "report", id, "--md"], db: db)
        #expect(md.status == 0 && md.stdout.hasPrefix("# census \(id)") && md.stdout.contains("| PATROL AREA |"))

        let closed = try run(["census", "close", id, "--as", "city-lead-1", "--json"], db, minute: 35)
        #expect(closed.status == 0, "\(closed.stderr)")
        #expect((closed.object["census"] as? [String: Any])?["state"] as? String == "closed")
        let changes = try #require(closed.object["changes"] as? [[String: Any]])
        #expect(changes.contains { $0["component"] as? String == bin.id && ($0["changes"] as? [String]) == ["state normal → damaged"] })
        #expect(changes.contains { $0["component"] as? String == newID && $0["kind"] as? String == "add" })
        #expect(try CLI.run(["component", "show", bin.id, "--json"], db: db).object["state"] as? String == "damaged")
        #expect(try CLI.run(["component", "show", newID, "--json"], db: db).object["name"] as? String == "新垃圾箱")
        let again = try run(["census", "close", id, "--as", "city-lead-1"], db, minute: 36)
        #expect(again.status == 4 && again.stderr.contains("closed already"))
        let list = try CLI.run(["census", "list", "--json"], db: db).array
        #expect(list.first?["id"] as? Int == Int(id) && list.first?["closed_by"] as? String == "city-lead-1")
    }
}
