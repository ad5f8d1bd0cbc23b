import Foundation
import Testing

/// Issue 18, channels, through the built binary: `report --line`, `site add-line` and `site lines`, hotline reports by
/// line in `stats`, a leader's instruction, and `case prioritize` (with `--clear`) and `deprioritize`.
@Suite struct ChannelsCLITests {
    static let cell = "110101001001001"

    func report(_ db: String, _ extra: [String], at: String = "2026-01-05T10:00:00+08:00") throws -> CLIResult {
        try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", Self.cell,
                     "--description", "来电反映垃圾", "--at", at, "--json"] + extra, db: db)
    }

    @Test func hotlineReportsNameTheirLineAndStatsCountThem() throws {
        let db = try CLI.demoCopy()
        // The lines known by default, then one the administrator adds.
        let builtIn = try CLI.run(["site", "lines", "--json"], db: db)
        #expect(builtIn.status == 0, "\(builtIn.stderr)")
        #expect(builtIn.array.map { $0["line"] as? String } == ["12319", "96150"])
        #expect(builtIn.array.allSatisfy { $0["built_in"] as? Bool == true && $0["name"] is String })
        #expect(try CLI.run(["site", "add-line", "12345", "--name", "市长热线", "--as", "city-intake-1"], db: db).status == 3)
        #expect(try CLI.run(["site", "add-line", "12319", "--name", "again", "--as", "admin"], db: db).status == 2)
        let added = try CLI.run(["site", "add-line", "12345", "--name", "市长热线", "--as", "admin", "--json"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.object["line"] as? String == "12345" && added.object["name"] as? String == "市长热线" && added.object["built_in"] as? Bool == false)
        let lines = try CLI.run(["site", "lines"], db: db)
        #expect(lines.stdout.contains("12345") && lines.stdout.contains("市长热线"), "\(lines.stdout)")
        let site = try CLI.run(["site", "show", "--json"], db: db).object
        #expect((site["hotline_lines"] as? [[String: Any]])?.map { $0["line"] as? String } == ["12319", "96150", "12345"])

        // Accepted: a known line on a hotline report (the intake operator's default source), shown by case show.
        let made = try report(db, ["--line", "12319"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.object["line"] as? String == "12319")
        let id = try #require(made.object["id"] as? Int)
        let shown = try CLI.run(["case", "show", String(id), "--json"], db: db).object
        #expect(shown["line"] as? String == "12319" && shown["source"] as? String == "hotline" && shown["priority"] as? Bool == false)
        #expect(try CLI.run(["case", "show", String(id)], db: db).stdout.contains("source    hotline line 12319"))
        for extra in [["--line", "12319"], ["--line", "12319"], ["--line", "12345", "--source", "hotline"], []] {
            #expect(try report(db, extra).status == 0)
        }
        let noLine = try report(db, [])
        #expect(try CLI.run(["case", "show", String(try #require(noLine.object["id"] as? Int)), "--json"], db: db).object["line"] is NSNull)

        // Refused: a line on another source, an unknown line (invalid input, exit 2), and nothing written.
        let web = try report(db, ["--line", "12319", "--source", "web"])
        #expect(web.status == 2 && web.stderr.contains("--line is for hotline reports; this report's source is web"), "\(web.stderr)")
        let unknown = try report(db, ["--line", "99999"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no hotline line 99999") && unknown.stderr.contains("12319, 12345, 96150"),
                "\(unknown.stderr)")

        // Counted by line over the day, by hand: 12319 ×3, 12345 ×1, no line ×2 (the web refusal and the unknown line wrote
        // nothing); a report on another day is outside it.
        #expect(try report(db, ["--line", "96150"], at: "2026-01-06T10:00:00+08:00").status == 0)
        let stats = try CLI.run(["stats", "--from", "2026-01-05", "--to", "2026-01-06", "--json"], db: db)
        #expect(stats.status == 0, "\(stats.stderr)")
        let byLine = try #require(stats.object["hotline_lines"] as? [[String: Any]])
        #expect(byLine.map { ($0["line"] as? String) ?? "-" } == ["12319", "96150", "12345", "-"])
        #expect(byLine.map { $0["reports"] as? Int } == [3, 0, 1, 2])
        #expect(byLine.last?["line"] is NSNull)
        let text = try CLI.run(["stats", "--from", "2026-01-05", "--to", "2026-01-07"], db: db)
        #expect(text.stdout.contains("hotline reports by line: 12319 3, 96150 1, 12345 1, none 2"), "\(text.stdout)")
    }

    @Test func aLeadersInstructionIsFiledWithoutVerification() throws {
        let db = try CLI.demoCopy()
        let made = try CLI.run(["report", "--as", "city-intake-1", "--source", "leader", "--kind", "event", "--category", "0102",
                                "--cell", Self.cell, "--description", "市领导批示：尽快清理", "--json"], db: db)
        #expect(made.status == 0, "\(made.stderr)")
        let id = String(try #require(made.object["id"] as? Int))
        #expect(try CLI.run(["case", "show", id, "--json"], db: db).object["confirmed"] as? Bool == true)
        #expect(try CLI.run(["case", "accept", id, "--as", "city-intake-1"], db: db).status == 0)
        let filed = try CLI.run(["case", "file", id, "--as", "city-lead-1", "--json"], db: db)
        #expect(filed.status == 0 && filed.object["state"] as? String == "filed", "\(filed.stderr)")
    }

    @Test func aSupervisorSetsAndClearsPriority() throws {
        let db = try CLI.demoCopy()
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", Self.cell,
                                "--description", "来电", "--json"], db: db)
        let id = String(try #require(made.object["id"] as? Int))
        let refused = try CLI.run(["case", "prioritize", id, "--as", "city-dispatcher-1"], db: db)
        #expect(refused.status == 3 && refused.stderr.contains("prioritize is for the supervisor role"), "\(refused.stderr)")
        #expect(try CLI.run(["case", "prioritize", id, "--as", "city-lead-1"], db: db).status == 3)
        let set = try CLI.run(["case", "prioritize", id, "--as", "city-supervisor", "--note", "市领导关注", "--json"], db: db)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.object["priority"] as? Bool == true && set.object["state"] as? String == "reported")
        let again = try CLI.run(["case", "prioritize", id, "--as", "city-supervisor"], db: db)
        #expect(again.status == 4 && again.stderr.contains("already marked priority"), "\(again.stderr)")
        #expect(try CLI.run(["case", "show", id], db: db).stdout.contains(", priority"))
        let cleared = try CLI.run(["case", "prioritize", id, "--clear", "--as", "city-supervisor", "--json"], db: db)
        #expect(cleared.status == 0 && cleared.object["priority"] as? Bool == false, "\(cleared.stderr)")
        #expect(try CLI.run(["case", "deprioritize", id, "--as", "city-supervisor"], db: db).status == 4)
        #expect(try CLI.run(["case", "accept", id, "--clear", "--as", "city-intake-1"], db: db).status == 64)
        let history = try #require(CLI.run(["case", "show", id, "--json"], db: db).object["history"] as? [[String: Any]])
        #expect(history.suffix(2).map { $0["action"] as? String } == ["prioritize", "deprioritize"])
        #expect(history.suffix(2).first?["note"] as? String == "市领导关注")
        // Bulk takes it from the same table.
        let bulk = try CLI.run(["bulk", "prioritize", "--ids", id, "--as", "city-supervisor", "--json"], db: db)
        #expect(bulk.status == 0, "\(bulk.stderr)")
        #expect(try CLI.run(["case", "show", id, "--json"], db: db).object["priority"] as? Bool == true)
    }
}
