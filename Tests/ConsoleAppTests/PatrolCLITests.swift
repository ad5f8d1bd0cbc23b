import Foundation
import Testing

/// `roster …` and `patrol …` through the built binary (issue 17, part 2). The clock is `CLI.now`, 2026-11-25 10:30 in Beijing.
@Suite struct PatrolCLITests {
    static let cell = "110101001001001"

    func file(_ name: String, _ text: String) throws -> String {
        let folder = TestFolder.root.appendingPathComponent("citygrid-patrol-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The patrol area of `cell` and the demo inspector who walks it.
    func areaAndInspector(_ db: String, cell: String = cell) throws -> (area: String, inspector: String) {
        let row = try #require(try CLI.run(["regions", "--level", "cell", "--parent", String(cell.prefix(12)), "--json"], db: db).array
            .first { $0["code"] as? String == cell })
        let area = try #require(row["patrol_area"] as? String)
        let inspector = try #require(try CLI.run(["operators", "--json", "--role", "inspector"], db: db).array
            .first { $0["patrol_area"] as? String == area }?["login"] as? String)
        return (area, inspector)
    }

    @Test func cellsListTheirCentreAndPatrolAreaAndOtherLevelsAreUnchanged() throws {
        let db = try CLI.demoCopy()
        let cells = try CLI.run(["regions", "--level", "cell", "--json"], db: db).array
        #expect(cells.count > 1000)
        #expect(cells.allSatisfy { $0["lat"] is Double && $0["lon"] is Double && $0["patrol_area"] is String && $0["code"] is String && $0["cells"] as? Int == 1 })
        let districts = try CLI.run(["regions", "--level", "district", "--json"], db: db).array
        // `kind` (issue 18: a town beside streets) is the one field added to every level.
        #expect(districts.first.map { Set($0.keys) } == ["code", "name", "name_en", "level", "parent", "cells", "kind"])
    }

    @Test func aRosterImportsShowsWhoIsOnDutyAndSendsVerifyTasksToThem() throws {
        let db = try CLI.demoCopy()
        let (area, inspector) = try areaAndInspector(db)
        let report = { () throws -> Int in
            try #require(try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", Self.cell,
                                      "--source", "hotline", "--description", "roster test", "--json"], db: db).object["id"] as? Int)
        }
        let before = try report()
        let refused = try CLI.run(["case", "verify", String(before), "--as", "city-intake-1"], db: db)
        #expect(refused.status == 2 && refused.stderr.contains("--to"), "\(refused.stderr)")

        let roster = try file("roster.csv", "date,shift,patrol_area,inspector\n2026-11-25,day,\(area),\(inspector)\n2026-11-25,night,\(area),\(inspector)\n")
        let imported = try CLI.run(["roster", "import", roster, "--json"], db: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.object["imported"] as? Int == 2 && imported.object["days"] as? [String] == ["2026-11-25"])
        let shown = try CLI.run(["roster", "show", "--json"], db: db)
        #expect(shown.object["date"] as? String == "2026-11-25" && shown.object["timezone"] as? String == "Asia/Shanghai")
        let rows = shown.object["rows"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["shift"] as? String } == ["day", "night"])
        #expect(rows.map { $0["on_duty"] as? Bool } == [true, false])
        #expect(rows.first?["starts"] as? String == "2026-11-25T08:00:00+08:00" && rows.last?["ends"] as? String == "2026-11-26T08:00:00+08:00")
        #expect((try CLI.run(["roster", "show", "--date", "2026-11-24", "--json"], db: db).object["rows"] as? [Any])?.isEmpty == true)

        let verified = try CLI.run(["case", "verify", String(before), "--as", "city-intake-1", "--json"], db: db)
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(try CLI.run(["case", "show", String(before), "--json"], db: db).object["assignee"] as? String == inspector)

        // At 21:00 the roster's night shift has the same inspector; the next morning nobody: a task must name someone.
        let late = try report()
        let tomorrow = try CLI.run(["case", "verify", String(late), "--as", "city-intake-1", "--at", "2026-11-26T09:00:00+08:00"], db: db,
                                   environment: ["CITYGRID_NOW": "2026-11-26T09:00:00+08:00"])
        #expect(tomorrow.status == 5 && tomorrow.stderr.contains("on duty"), "\(tomorrow.stderr)")

        let shifts = try CLI.run(["roster", "shifts", "--json"], db: db)
        #expect((shifts.object["shifts"] as? [[String: Any]])?.map { $0["name"] as? String } == ["day", "night"])
        #expect(shifts.object["interval_hours"] as? Int == 24)
        // The roster uses "night": it cannot be dropped.
        #expect(try CLI.run(["roster", "shifts", "--set", "day=08:00-20:00"], db: db).status == 2)
        let changed = try CLI.run(["roster", "shifts", "--set", "day=08:00-20:00,night=20:00-08:00,spare=12:00-13:00", "--interval-hours", "12", "--json"], db: db)
        #expect(changed.status == 0 && changed.object["interval_hours"] as? Int == 12, "\(changed.stderr)")
    }

    @Test func aRosterWithBadRowsIsRefusedWithTheirLinesAndNothingImported() throws {
        let db = try CLI.demoCopy()
        let (area, inspector) = try areaAndInspector(db)
        let roster = try file("roster.csv", """
            date,shift,patrol_area,inspector
            2026-11-25,day,\(area),\(inspector)
            2026-11-31,day,\(area),\(inspector)
            2026-11-25,brunch,\(area),\(inspector)
            2026-11-25,night,NO-SUCH-AREA,\(inspector)

            """)
        let parsed = try CLI.run(["roster", "import", roster, "--json"], db: db)
        #expect(parsed.status == 2 && parsed.stderr.contains("line 3") && parsed.stdout.isEmpty, "\(parsed.stderr)")
        let fixed = try file("roster.csv", """
            2026-11-25,day,\(area),\(inspector)
            2026-11-25,brunch,\(area),\(inspector)
            2026-11-25,night,NO-SUCH-AREA,\(inspector)
            2026-11-25,night,\(area),nobody
            """)
        let refused = try CLI.run(["roster", "import", fixed], db: db)
        #expect(refused.status == 2, "\(refused.stderr)")
        for line in 2...4 { #expect(refused.stderr.contains("line \(line):"), "\(refused.stderr)") }
        #expect(!refused.stderr.contains("line 1:"))
        #expect((try CLI.run(["roster", "show", "--json"], db: db).object["rows"] as? [Any])?.isEmpty == true)
    }

    @Test func pingsFromCSVGPXAndTheFieldAppGiveCoverageAndNeglectedCells() throws {
        let db = try CLI.demoCopy()
        let (area, inspector) = try areaAndInspector(db)
        let cells = try CLI.run(["regions", "--level", "cell", "--json"], db: db).array
        let own = cells.filter { $0["patrol_area"] as? String == area }
        let first = try #require(own.first), second = try #require(own.dropFirst().first)
        let lat = { (c: [String: Any]) in c["lat"] as? Double ?? 0 }, lon = { (c: [String: Any]) in c["lon"] as? Double ?? 0 }
        let csv = try file("pings.csv", "inspector,time,lat,lon\n\(inspector),2026-11-25T09:00:00+08:00,\(lat(first)),\(lon(first))\n\(inspector),2026-11-25T09:10:00+08:00,0.5,0.5\n")
        let imported = try CLI.run(["patrol", "import", csv, "--json"], db: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.object["imported"] as? Int == 2 && imported.object["outside"] as? Int == 1 && imported.object["inspectors"] as? Int == 1)
        #expect(imported.object["first"] as? String == "2026-11-25T09:00:00+08:00")

        let gpx = try file("track.gpx", """
            <?xml version="1.0"?>
            <gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
            <trkpt lat="\(lat(second))" lon="\(lon(second))"><time>2026-11-25T01:45:00Z</time></trkpt>
            </trkseg></trk></gpx>
            """)
        #expect(try CLI.run(["patrol", "import", gpx], db: db).status == 2, "a track without a name needs an inspector")
        let track = try CLI.run(["patrol", "import", gpx, "--inspector", inspector, "--json"], db: db)
        #expect(track.status == 0 && track.object["imported"] as? Int == 1, "\(track.stderr)")

        let ping = try CLI.run(["patrol", "ping", "--as", inspector, "--lat", String(lat(first)), "--lon", String(lon(first)), "--json"], db: db)
        #expect(ping.status == 0 && ping.object["cell"] as? String == first["code"] as? String && ping.object["time"] as? String == CLI.now, "\(ping.stderr)")
        #expect(try CLI.run(["patrol", "ping", "--as", "city-intake-1", "--lat", "39.9", "--lon", "116.4"], db: db).status == 2)

        let coverage = try CLI.run(["patrol", "coverage", "--by", "patrol-area", "--json"], db: db)
        #expect(coverage.status == 0, "\(coverage.stderr)")
        let row = try #require((coverage.object["rows"] as? [[String: Any]])?.first { $0["key"] as? String == area })
        #expect(row["visited"] as? Int == 2 && row["cells"] as? Int == own.count)
        #expect(row["coverage_rate"] as? Double == ((2.0 * 100 / Double(own.count)) * 10).rounded() / 10)
        let total = try #require(coverage.object["total"] as? [String: Any])
        #expect(total["visited"] as? Int == 2 && total["cells"] as? Int == cells.count)
        let byInspector = try CLI.run(["patrol", "coverage", "--by", "inspector", "--hours", "1", "--json"], db: db)
        #expect((byInspector.object["rows"] as? [[String: Any]])?.first { $0["key"] as? String == inspector }?["visited"] as? Int == 2,
                "the ping now and the track at 09:45 are within the hour; the CSV's 09:00 ping is not")

        let neglected = try CLI.run(["patrol", "neglected", "--limit", "3", "--json"], db: db)
        #expect(neglected.status == 0 && neglected.object["total"] as? Int == cells.count - 2 && (neglected.object["cells"] as? [Any])?.count == 3)
    }

    @Test func aPingFileWithBadLinesIsRefusedWholeNamingThem() throws {
        let db = try CLI.demoCopy()
        let (_, inspector) = try areaAndInspector(db)
        let csv = try file("pings.csv", "\(inspector),2026-11-25T09:00:00+08:00,39.9,116.4\n\(inspector),noon,39.9,116.4\nnobody,2026-11-25T09:00:00+08:00,39.9,116.4\n")
        let refused = try CLI.run(["patrol", "import", csv], db: db)
        #expect(refused.status == 2 && refused.stderr.contains("line 2:") && refused.stderr.contains("line 3:"), "\(refused.stderr)")
        #expect(try CLI.run(["patrol", "coverage", "--json"], db: db).object["total"].flatMap { ($0 as? [String: Any])?["visited"] as? Int } == 0)
    }
}
