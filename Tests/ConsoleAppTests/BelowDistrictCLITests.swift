import Foundation
import Testing
import Workflow

/// Handling below the district from the command line (issue 18): dispatch to the street or community of a case's cell,
/// `department add-region`, `category community-level`, towns in `import grid` and `regions`, the closes below the
/// district in `stats`.
@Suite struct BelowDistrictCLITests {
    static let cell = "110101001001001"
    static let clock = ["CITYGRID_NOW": "2026-11-25T11:30:00+08:00"]

    func step(_ arguments: [String], _ db: String, minute: Int) throws -> CLIResult {
        try CLI.run(arguments + ["--at", "2026-11-25T10:\(minute):00+08:00", "--json"], db: db, environment: Self.clock)
    }

    /// The demo's street 110101001 and its communities are handling units with handlers; illegal flyers (event 0201)
    /// are community-level. A flyers report goes to its community, is handled there, checked and closed.
    @Test func aCommunityHandlesItsCaseEndToEndAndAnotherCommunityIsRefused() throws {
        let db = try CLI.demoCopy()
        let categories = try CLI.run(["categories", "--json"], db: db).array
        #expect(categories.first { $0["code"] as? String == "0201" && $0["kind"] as? String == "event" }?["community_level"] as? Bool == true)
        #expect(categories.first { $0["code"] as? String == "0102" && $0["kind"] as? String == "event" }?["community_level"] as? Bool == false)
        let units = try CLI.run(["department", "list", "--json"], db: db).array
        #expect(units.first { $0["code"] as? String == "110101001001" }?["region"] as? String == "110101001001")
        #expect(units.first { $0["code"] as? String == "SANIT" }?["region"] is NSNull)

        let area = try #require(try CLI.run(["regions", "--level", "cell", "--parent", "110101001001", "--json"], db: db).array
            .first { $0["code"] as? String == Self.cell }?["patrol_area"] as? String)
        let walker = try #require(try CLI.run(["operators", "--json", "--role", "inspector"], db: db).array
            .first { $0["patrol_area"] as? String == area }?["login"] as? String)
        let made = try CLI.run(["report", "--as", walker, "--kind", "event", "--category", "0201", "--cell", Self.cell,
                                "--description", "电线杆上的小广告", "--json"], db: db)
        let id = String(try #require(made.object["id"] as? Int))
        #expect(try step(["case", "accept", id, "--as", "city-intake-1"], db, minute: 31).status == 0)
        #expect(try step(["case", "file", id, "--as", "city-lead-1"], db, minute: 32).status == 0)

        let outside = try step(["case", "dispatch", id, "--as", "city-dispatcher-1", "--to", "110101001002"], db, minute: 33)
        #expect(outside.status == 3 && outside.stderr.contains("community 110101001002 does not hold case \(id)'s cell \(Self.cell)"),
                "\(outside.stderr)")
        let notAUnit = try step(["case", "dispatch", id, "--as", "city-dispatcher-1", "--to", "110101002001"], db, minute: 33)
        #expect(notAUnit.status == 3, "a community of another street is outside the cell too: \(notAUnit.stderr)")

        let dispatched = try step(["case", "dispatch", id, "--as", "city-dispatcher-1", "--to", "110101001001"], db, minute: 34)
        #expect(dispatched.status == 0 && dispatched.object["department"] as? String == "110101001001", "\(dispatched.stderr)")
        let wrongHandler = try step(["case", "handle", id, "--as", "street-110101001"], db, minute: 35)
        #expect(wrongHandler.status == 3, "the street's handler does not hold the community's case")
        let steps: [[String]] = [
            ["handle", "--as", "community-110101001001"],
            ["check", "--as", "city-intake-2", "--to", walker],
            ["pass", "--as", walker],
            ["close", "--as", "city-lead-2"],
        ]
        var minute = 36
        for s in steps {
            let result = try step(["case", s[0], id] + s.dropFirst(), db, minute: minute)
            #expect(result.status == 0, "\(s): \(result.stderr)")
            minute += 2
        }
        let shown = try CLI.run(["case", "show", id, "--json"], db: db).object
        #expect(shown["state"] as? String == "closed" && shown["department"] as? String == "110101001001")

        let stats = try CLI.run(["stats", "--from", "2026-11-25", "--to", "2026-11-26", "--by", "department", "--json"], db: db,
                                environment: Self.clock)
        #expect(stats.status == 0, "\(stats.stderr)")
        let row = try #require((stats.object["rows"] as? [[String: Any]])?.first { $0["key"] as? String == "110101001001" })
        let indicators = try #require(row["indicators"] as? [String: Any])
        #expect(indicators["community_close_share"] as? Double == 100 && indicators["street_close_share"] as? Double == 0
                && indicators["below_district_close_share"] as? Double == 100, "\(indicators)")
    }

    @Test func categoryCommunityLevelSetsAndClearsTheFlag() throws {
        let db = try CLI.demoCopy()
        let on = try CLI.run(["category", "community-level", "event:0102", "--as", "admin", "--json"], db: db)
        #expect(on.status == 0 && on.object["community_level"] as? Bool == true && on.object["code"] as? String == "0102", "\(on.stderr)")
        #expect(try CLI.run(["categories", "--json"], db: db).array
            .first { $0["code"] as? String == "0102" && $0["kind"] as? String == "event" }?["community_level"] as? Bool == true)
        let table = try CLI.run(["categories"], db: db)
        #expect(table.stdout.contains("COMMUNITY"))
        let off = try CLI.run(["category", "community-level", "0102", "--off", "--as", "admin", "--json"], db: db)
        #expect(off.status == 0 && off.object["community_level"] as? Bool == false)
        let text = try CLI.run(["category", "community-level", "0201", "--as", "admin"], db: db)
        #expect(text.status == 0 && text.stdout.contains("is community-level"), "\(text.stdout)")

        #expect(try CLI.run(["category", "community-level", "0102", "--as", "city-lead-1"], db: db).status == 3)
        #expect(try CLI.run(["category", "community-level", "event:9999", "--as", "admin"], db: db).status == 5)
        #expect(try CLI.run(["category", "community-level", "thing:0102", "--as", "admin"], db: db).status == 2)
    }

    @Test func departmentAddRegionMakesAUnitOfAStreetOrCommunity() throws {
        let db = try CLI.demoCopy()
        let added = try CLI.run(["department", "add-region", "110101002", "--as", "admin", "--json"], db: db)
        #expect(added.status == 0 && added.object["code"] as? String == "110101002" && added.object["region"] as? String == "110101002"
                && added.object["scope"] as? String == "street", "\(added.stderr)")
        #expect(try CLI.run(["department", "add-region", "110101002", "--as", "admin"], db: db).status == 2, "already a unit")
        #expect(try CLI.run(["department", "add-region", "110101", "--as", "admin"], db: db).status == 2, "a district is not below it")
        #expect(try CLI.run(["department", "add-region", "110101999", "--as", "admin"], db: db).status == 5)
        #expect(try CLI.run(["department", "add-region", "110101003", "--as", "city-lead-1"], db: db).status == 3)
        let text = try CLI.run(["department", "add-region", "110101003001", "--as", "admin"], db: db)
        #expect(text.status == 0 && text.stdout.hasPrefix("community 110101003001 is a handling unit"), "\(text.stdout)")
    }

    @Test func aTownIsImportedListedExportedAndMadeAUnit() throws {
        let db = CLI.temporaryDatabase()
        #expect(try CLI.run(["init", "--city-code", "330100"], db: db).status == 0)
        let grid = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("grid.csv")
        try """
            code,row,col,lat,lon,district_name,street_name,community_name,street_kind
            330102001001001,1,1,30.2450,120.1700,上城区,清波街道,清波社区,
            330102100001001,1,2,30.2450,120.1710,上城区,某镇,镇社区,town
            330102101001001,1,3,30.2450,120.1720,上城区,另一镇,镇社区二,镇

            """.write(to: grid, atomically: true, encoding: .utf8)
        let imported = try CLI.run(["import", "grid", grid.path, "--json"], db: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        let towns = try CLI.run(["regions", "--level", "town", "--json"], db: db).array
        #expect(towns.map { $0["code"] as? String } == ["330102100", "330102101"])
        #expect(towns.allSatisfy { $0["kind"] as? String == "town" && $0["level"] as? String == "street" })
        #expect(try CLI.run(["regions", "--level", "street", "--json"], db: db).array.map { $0["code"] as? String } == ["330102001"])
        let table = try CLI.run(["regions", "--parent", "330102"], db: db)
        #expect(table.stdout.contains("town") && table.stdout.contains("street"))

        let bad = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("bad.csv")
        try "code,row,col,lat,lon,street_kind\n330102200001001,1,4,30.2,120.1,village\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try CLI.run(["import", "grid", bad.path], db: db)
        #expect(refused.status == 2 && refused.stderr.contains("street_kind"), "\(refused.stderr)")

        // The export carries the kind back.
        let exported = try CLI.run(["export", "grid"], db: db)
        let lines = exported.stdout.split(whereSeparator: \.isNewline).map(String.init)
        #expect(lines.first?.hasSuffix(",street_kind") == true, "\(exported.stdout.prefix(300))")
        #expect(lines.contains { $0.hasPrefix("330102100001001") && $0.hasSuffix(",town") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("330102001001001") && $0.hasSuffix(",street") })

        // A town is made a unit (its dispatch and handling: BelowDistrictTests).
        let unit = try CLI.run(["department", "add-region", "330102100", "--json"], db: db)
        #expect(unit.status == 0 && unit.object["scope"] as? String == "town", "\(unit.stderr)")
    }
}
