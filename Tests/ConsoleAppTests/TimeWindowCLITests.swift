import Foundation
import Testing
import Workflow

/// Issue 13, defect 2: an absurd time is refused (exit 2, nothing written) on every way in, and the site's admin
/// can widen or narrow the window. The demo city's calendar starts 2026-01-01; CLI.now is 2026-11-25 10:30 +08:00.
@Suite struct TimeWindowCLITests {
    func folder() -> URL {
        let url = TestFolder.root.appendingPathComponent("citygrid-times-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func caseCount(_ db: String) throws -> Int { try CLI.run(["cases", "--json"], db: db).array.count }

    func historyCount(_ db: String, _ id: Int) throws -> Int {
        (try CLI.run(["case", "show", String(id), "--json"], db: db).object["history"] as? [Any])?.count ?? -1
    }

    /// An open case still in `reported`, which a shift lead may urge.
    func reportedCase(_ db: String) throws -> Int {
        let list = try CLI.run(["cases", "--state", "reported", "--json"], db: db).array
        return try #require(list.first?["id"] as? Int)
    }

    static let report = ["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                         "--description", "门口垃圾", "--source", "hotline"]

    @Test(arguments: ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2100-01-01T00:00:00Z", "2015-12-31T23:59:59+08:00",
                      "2026-11-25T10:36:00+08:00", "2026-11-25T10:00:00+15:00", "2026-02-30T10:00:00+08:00"])
    func anAbsurdAtIsRefusedAndWritesNothing(_ at: String) throws {
        let db = try CLI.demoCopy()
        let id = try reportedCase(db)
        let before = try historyCount(db, id)
        let urged = try CLI.run(["case", "urge", String(id), "--as", "city-lead-1", "--at", at], db: db)
        #expect(urged.status == 2, "\(urged.stderr)")
        #expect(urged.stderr.contains(at.hasSuffix("+15:00") ? "beyond ±14:00" : at.hasPrefix("2026-02-30") ? "February 2026 has 28 days"
                                      : "is outside the site's time window: from 2016-01-01T00:00:00+08:00 to 2026-11-25T10:35:00+08:00"),
                "\(urged.stderr)")
        #expect(try historyCount(db, id) == before)

        let reported = try CLI.run(Self.report + ["--at", at], db: db)
        #expect(reported.status == 2, "\(reported.stderr)")
        #expect(try caseCount(db) == 400)
        // The case still takes a sane action afterwards.
        #expect(try CLI.run(["case", "urge", String(id), "--as", "city-lead-1"], db: db).status == 0)
    }

    @Test func everyCommandWithAtChecksTheWindow() throws {
        let db = try CLI.demoCopy()
        let at = ["--at", "9999-12-31T23:59:59Z"]
        for arguments in [["bulk", "urge", "--as", "city-lead-1", "--ids", "1,2", "--note", "x"], ["escalate-overdue"],
                          ["handover", "--as", "city-lead-1"], ["overdue", "--as", "city-lead-1"], ["inbox", "--as", "city-dispatcher-1"],
                          ["apikey", "add", "--name", "app"], ["import", "reports", "-"], ["import", "components", "-"]] {
            let result = try CLI.run(arguments + at, db: db, stdin: Data("kind,category,cell,description\n".utf8))
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("is outside the site's time window"), "\(arguments): \(result.stderr)")
        }
        #expect(try CLI.run(["apikey", "list", "--json"], db: db).array.isEmpty)
    }

    @Test func aClockOutsideTheWindowIsRefusedToo() throws {
        let db = try CLI.demoCopy()
        let result = try CLI.run(Self.report, db: db, environment: ["CITYGRID_NOW": "1990-01-01T00:00:00+08:00"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("CITYGRID_NOW 1990-01-01T00:00:00+08:00 is outside the site's time window"), "\(result.stderr)")
        #expect(try CLI.run(Self.report, db: db, environment: ["CITYGRID_NOW": "2026-11-25T10:00:00+15:00"]).status == 2)
        #expect(try caseCount(db) == 400)
        let empty = CLI.temporaryDatabase()
        #expect(try CLI.run(["init"], db: empty, environment: ["CITYGRID_NOW": "1800-01-01T00:00:00Z"]).status == 2)
    }

    @Test func importedTimesOutsideTheWindowAreRejectedLineByLine() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let file = dir.appendingPathComponent("reports.csv").path
        try """
            kind,category,cell,description,source,reported_at
            event,0102,110101001001001,good,web,2026-11-25T09:00:00+08:00
            event,0102,110101001001001,year minus 100000,web,-100000-01-01T00:00:00Z
            event,0102,110101001001001,year 1,web,0001-01-01T00:00:00Z
            event,0102,110101001001001,no such day,web,2026-02-30T10:00:00+08:00
            event,0102,110101001001001,offset,web,2026-11-25T09:00:00+15:00
            event,0102,110101001001001,too old,web,2015-06-01T00:00:00+08:00
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let result = try CLI.run(["import", "reports", file, "--skip-bad", "--rejects", rejects, "--json"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.object["imported"] as? Int == 1 && result.object["rejected"] as? Int == 5)
        #expect(try caseCount(db) == 401)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(text.contains("3,'-100000-01-01T00:00:00Z' is not a time"), "\(text)")
        #expect(text.contains("4,\"reported_at 0001-01-01T00:00:00Z is outside the site's time window"), "\(text)")
        #expect(text.contains("5,'2026-02-30T10:00:00+08:00' is not a valid time: February 2026 has 28 days"), "\(text)")
        #expect(text.contains("6,'2026-11-25T09:00:00+15:00' is not a valid time: the UTC offset +15:00 is beyond ±14:00"), "\(text)")
        #expect(text.contains("7,\"reported_at 2015-06-01T00:00:00+08:00 is outside the site's time window"), "\(text)")
        // Without --skip-bad nothing at all is imported.
        let strict = try CLI.run(["import", "reports", file], db: db)
        #expect(strict.status == 2)
        #expect(try caseCount(db) == 401)
    }

    @Test func theAdminChangesTheWindowAndEveryChannelHonoursIt() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let shown = try CLI.run(["site", "show", "--json"], db: db).object
        let window = try #require(shown["time_window"] as? [String: Any])
        #expect(window["past_years"] as? Int == 10 && window["future_minutes"] as? Int == 5)
        #expect(window["anchor"] as? String == "2026-01-01" && window["anchor_kind"] as? String == "calendar")
        #expect(window["earliest"] as? String == "2016-01-01T00:00:00+08:00" && window["latest"] as? String == "2026-11-25T10:35:00+08:00")

        let old = "2010-06-01T09:00:00+08:00", soon = "2026-11-25T11:00:00+08:00"
        #expect(try CLI.run(Self.report + ["--at", old], db: db).status == 2)
        #expect(try CLI.run(Self.report + ["--at", soon], db: db).status == 2)

        let changed = try CLI.run(["site", "set-time-window", "--past-years", "20", "--future-minutes", "60", "--json"], db: db)
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect((changed.object["time_window"] as? [String: Any])?["earliest"] as? String == "2006-01-01T00:00:00+08:00")
        #expect(try CLI.run(Self.report + ["--at", old], db: db).status == 0)
        #expect(try CLI.run(Self.report + ["--at", soon], db: db).status == 0)
        let file = dir.appendingPathComponent("old.csv").path
        try "kind,category,cell,description,source,reported_at\nevent,0102,110101001001001,old,web,2008-01-01T00:00:00+08:00\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["import", "reports", file], db: db).status == 0)
        #expect(try caseCount(db) == 403)
        let text = try CLI.run(["site", "show"], db: db).stdout
        #expect(text.contains("time window: calendar start 2026-01-01 minus 20 years, now plus 60 minutes"), "\(text)")

        // Narrowed again, the same times are refused; the limits are the admin's too.
        #expect(try CLI.run(["site", "set-time-window", "--past-years", "0"], db: db).status == 0)
        #expect(try CLI.run(Self.report + ["--at", "2025-12-31T23:59:00+08:00"], db: db).status == 2)
        #expect(try CLI.run(["site", "set-time-window", "--past-years", "101"], db: db).status == 2)
        #expect(try CLI.run(["site", "set-time-window", "--future-minutes", "-1"], db: db).status != 0)
        #expect(try CLI.run(["site", "set-time-window"], db: db).status != 0)
    }

    @Test func aSiteWithoutACalendarCountsBackFromItsCreation() throws {
        let db = CLI.temporaryDatabase()
        #expect(try CLI.run(["init"], db: db).status == 0)
        let window = try #require(try CLI.run(["site", "show", "--json"], db: db).object["time_window"] as? [String: Any])
        #expect(window["anchor"] as? String == "2026-11-25" && window["anchor_kind"] as? String == "site-created")
        #expect(window["earliest"] as? String == "2016-11-25T00:00:00+08:00")
    }

    @Test func theWindowIsDocumentedInHelp() throws {
        let root = try CLI.run(["--help"])
        #expect(root.stdout.contains("site") && root.stdout.contains("time window"), "\(root.stdout)")
        let site = try CLI.run(["site", "--help"])
        #expect(site.stdout.contains("set-time-window") && site.stdout.contains("show"), "\(site.stdout)")
        let set = try CLI.run(["site", "set-time-window", "--help"])
        #expect(set.stdout.contains("--past-years") && set.stdout.contains("--future-minutes") && set.stdout.contains("Defaults: 10 years, 5 minutes"),
                "\(set.stdout)")
        for command in [["case"], ["report"], ["bulk"], ["import", "reports"]] {
            let words = try CLI.run(command + ["--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(words.contains("the site's time window (see 'site show')"), "\(command): \(words)")
        }
    }
}
