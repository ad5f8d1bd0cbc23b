import Foundation
import Testing

/// `accountability add|list` on a copy of the demo city: a supervisor's entry on an exposed case, listed with `--json`,
/// in the monthly bulletin, refused to the wrong role or region, and kept by the database against any update or delete.
@Suite struct AccountabilityCLITests {
    @Test func aSupervisorHoldsAUnitAccountableForAnExposedCase() throws {
        let db = try CLI.demoCopy()
        // The most overdue case of the daily exposure list, and the department it is with.
        let exposed = try CLI.run(["bulletin", "daily", "--csv", "--cases", "5"], db: db)
        #expect(exposed.status == 0, "\(exposed.stderr)")
        let row = try #require(exposed.stdout.split(separator: "\n").first { $0.hasPrefix("overdue_case,") })
        let caseID = try #require(row.split(separator: ",").dropFirst(2).first.map(String.init))
        let shown = try CLI.run(["case", "show", caseID, "--json"], db: db).object
        let department = try #require(shown["department"] as? String)
        let district = try #require(shown["district"] as? String)

        let added = try CLI.run(["accountability", "add", caseID, "--unit", department, "--measure", "约谈\u{1B}[31m部门负责人",
                                 "--as", "city-supervisor", "--json"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.object["case"] as? Int == Int(caseID) && added.object["unit"] as? String == department
                && added.object["recorded_by"] as? String == "city-supervisor")
        for key in ["id", "case", "unit", "unit_name", "measure", "recorded_by", "recorded_at", "via"] { #expect(added.object.keys.contains(key), "\(key)") }

        // Refusals: the wrong role (3), a supervisor of another district (3), an unknown unit (5), an unknown case (5),
        // an empty measure (2).
        #expect(try CLI.run(["accountability", "add", caseID, "--unit", department, "--measure", "x", "--as", "city-lead-1"], db: db).status == 3)
        let otherDistrict = ["110101", "110102", "110105"].first { $0 != district }!
        let wrongRegion = try CLI.run(["accountability", "add", caseID, "--unit", department, "--measure", "x", "--as", "\(otherDistrict)-supervisor"], db: db)
        #expect(wrongRegion.status == 3 && wrongRegion.stderr.contains("outside"), "\(wrongRegion.stderr)")
        #expect(try CLI.run(["accountability", "add", caseID, "--unit", "NOPE", "--measure", "x", "--as", "city-supervisor"], db: db).status == 5)
        #expect(try CLI.run(["accountability", "add", "99999999", "--unit", department, "--measure", "x", "--as", "city-supervisor"], db: db).status == 5)
        #expect(try CLI.run(["accountability", "add", caseID, "--unit", department, "--measure", " ", "--as", "city-supervisor"], db: db).status == 2)

        // Listed as JSON and as text (control characters neutralised), in the month, and in the monthly bulletin.
        let list = try CLI.run(["accountability", "list", "--json"], db: db).array
        #expect(list.count == 1 && list.first?["case"] as? Int == Int(caseID))
        #expect(try CLI.run(["accountability", "list", "--month", "2026-11", "--json"], db: db).array.count == 1)
        #expect(try CLI.run(["accountability", "list", "--month", "2026-10", "--json"], db: db).array.isEmpty)
        let text = try CLI.run(["accountability", "list"], db: db)
        #expect(text.status == 0 && text.stdout.contains("case \(caseID)") && !text.stdout.contains("\u{1B}"), "\(text.stdout)")
        #expect(try CLI.run(["accountability", "list", "--month", "2026-11", "--since", "2026-11-01T00:00:00+08:00"], db: db).status == 64)
        let bulletin = try CLI.run(["bulletin", "monthly", "--month", "2026-11"], db: db)
        #expect(bulletin.status == 0 && bulletin.stdout.contains("## Accountability (问责)") && bulletin.stdout.contains("| \(caseID) | \(department) |"))
        #expect(!bulletin.stdout.contains("\u{1B}"))

        // The database itself refuses to change or delete an entry, from any program.
        for sql in ["UPDATE accountability SET measure = 'nothing'", "DELETE FROM accountability"] {
            let out = TestFolder.root.appendingPathComponent("sqlite-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: out) }
            let status = try Spawned(["/usr/bin/sqlite3", db, sql + ";"], stdout: out, stderr: out).wait()
            let refused = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            #expect(status != 0 && refused.contains("append-only"), "\(sql): \(refused)")
        }
        #expect(try CLI.run(["accountability", "list", "--json"], db: db).array.first?["measure"] as? String == "约谈\u{1B}[31m部门负责人")
    }
}
