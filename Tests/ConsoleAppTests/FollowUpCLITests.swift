import Foundation
import Testing
@testable import ConsoleApp

/// `citygrid followups`, `followup record|reopen|keep-closed` and `notify export`, as a script uses them.
@Suite struct FollowUpCLITests {
    static let clock = ["CITYGRID_NOW": "2026-11-25T11:30:00+08:00"]

    /// A hotline report with the caller's phone, taken to closed through the CLI; returns its id.
    static func closedHotlineCase(_ db: String, phone: String = "13900000002") throws -> Int {
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                                "--source", "hotline", "--reporter-phone", phone, "--description", "垃圾 beside the gate", "--json",
                                "--at", "2026-11-25T10:31:00+08:00"], db: db, environment: clock)
        guard let id = made.object["id"] as? Int else { throw CLIError(message: made.stderr) }
        let walker = try inspector(of: "110101001001001", db: db)
        let steps: [[String]] = [
            ["verify", "--as", "city-intake-1", "--to", walker],
            ["confirm", "--as", walker],
            ["file", "--as", "city-lead-1"],
            ["dispatch", "--as", "city-dispatcher-1", "--to", "110101-C"],
            ["dispatch", "--as", "110101-dispatcher-1", "--to", "SANIT"],
            ["handle", "--as", "sanit-110101"],
            ["check", "--as", "city-intake-2", "--to", walker],
            ["pass", "--as", walker],
            ["close", "--as", "city-lead-2"],
        ]
        var minute = 32
        for step in steps {
            minute += 2
            let result = try CLI.run(["case", step[0], String(id)] + step.dropFirst() + ["--at", "2026-11-25T10:\(minute):00+08:00", "--json"],
                                     db: db, environment: clock)
            guard result.status == 0 else { throw CLIError(message: "\(step): \(result.stderr)") }
        }
        return id
    }

    static func inspector(of cell: String, db: String) throws -> String {
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [db, "SELECT login FROM operator WHERE role = 'inspector' AND patrol_area = (SELECT patrol_area FROM region WHERE code = '\(cell)') ORDER BY id LIMIT 1"]
        let pipe = Pipe()
        sqlite.standardOutput = pipe
        try sqlite.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        sqlite.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aClosedHotlineCaseWaitsForItsFollowUpWhichTheIntakeOperatorRecords() throws {
        let db = try CLI.demoCopy()
        let id = try Self.closedHotlineCase(db)
        let listed = try CLI.run(["followups", "--as", "city-intake-1", "--json"], db: db, environment: Self.clock)
        #expect(listed.status == 0, "\(listed.stderr)")
        let task = try #require(listed.array.first { $0["case_id"] as? Int == id })
        for key in ["id", "case_id", "report_id", "stage", "channel", "contact", "created_at", "due_at", "overdue", "reached", "satisfaction",
                    "note", "recorded_by", "recorded_at"] {
            #expect(task.keys.contains(key), "followups lacks \(key)")
        }
        #expect(task["stage"] as? String == "open" && task["channel"] as? String == "phone" && task["contact"] as? String == "13900000002")
        // Closed Wednesday 10:50: two working days later.
        #expect(task["due_at"] as? String == "2026-11-27T10:50:00+08:00")

        // Wrong input, wrong role, wrong case: the project's exit codes, one line, nothing changed.
        let refusals: [([String], Int32, String)] = [
            (["followup", "record", String(id), "--as", "city-intake-1", "--reached"], 2, "satisfaction"),
            (["followup", "record", String(id), "--as", "city-intake-1", "--not-reached", "--satisfaction", "satisfied"], 2, "not reached"),
            (["followup", "record", String(id), "--as", "city-lead-1", "--reached", "--satisfaction", "satisfied"], 3, "intake"),
            (["followup", "record", "99999999", "--as", "city-intake-1", "--not-reached"], 5, "no case 99999999"),
            (["followup", "reopen", String(id), "--as", "city-lead-1", "--note", "x"], 4, "flagged"),
        ]
        for (arguments, status, text) in refusals {
            let result = try CLI.run(arguments, db: db, environment: Self.clock)
            #expect(result.status == status, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(text), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        let both = try CLI.run(["followup", "record", String(id), "--as", "city-intake-1", "--reached", "--not-reached"], db: db)
        #expect(both.status == 64)

        let recorded = try CLI.run(["followup", "record", String(id), "--as", "city-intake-1", "--reached", "--satisfaction", "dissatisfied",
                                    "--note", "仍有垃圾", "--json"], db: db, environment: Self.clock)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let followup = try #require(recorded.object["followup"] as? [String: Any])
        #expect(followup["stage"] as? String == "flagged" && followup["satisfaction"] as? String == "dissatisfied")
        #expect(recorded.object["case_state"] as? String == "closed" && recorded.object["reopened"] as? Bool == false)
        #expect(try CLI.run(["followups", "--as", "city-intake-1", "--json"], db: db).array.allSatisfy { $0["case_id"] as? Int != id })
        let lead = try CLI.run(["followups", "--as", "city-lead-1", "--json"], db: db, environment: Self.clock)
        #expect(lead.array.contains { $0["case_id"] as? Int == id && $0["stage"] as? String == "flagged" })

        let noReason = try CLI.run(["followup", "reopen", String(id), "--as", "city-lead-1"], db: db, environment: Self.clock)
        #expect(noReason.status == 2 && noReason.stderr.contains("--note"), "\(noReason.stderr)")
        let reopened = try CLI.run(["followup", "reopen", String(id), "--as", "city-lead-1", "--note", "市民不满意，返工", "--json"],
                                   db: db, environment: Self.clock)
        #expect(reopened.status == 0, "\(reopened.stderr)")
        #expect(reopened.object["case_state"] as? String == "dispatched" && reopened.object["reopened"] as? Bool == true)
        let shown = try CLI.run(["case", "show", String(id), "--json"], db: db).object
        #expect(shown["state"] as? String == "dispatched" && shown["rework_count"] as? Int == 1)
        let actions = (shown["history"] as? [[String: Any]] ?? []).suffix(3).map { $0["action"] as? String ?? "" }
        #expect(actions == ["follow-up", "follow-up-result", "reopen"])
        let verify = try CLI.run(["verify"], db: db)
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test func followUpsAreTheMonitoringCentersOnly() throws {
        let db = try CLI.demoCopy()
        let result = try CLI.run(["followups", "--as", "city-dispatcher-1", "--json"], db: db)
        #expect(result.status == 3 && result.stderr.contains("monitoring center"), "\(result.stderr)")
        let text = try CLI.run(["followups", "--as", "city-intake-1"], db: db)
        #expect(text.status == 0 && text.stdout.contains("no follow-ups waiting"), "\(text.stdout)")
    }

    @Test func theOutboxExportsEachReporterOnlyTheirOwnMessagesOnce() throws {
        let db = try CLI.demoCopy()
        let first = try Self.closedHotlineCase(db, phone: "13900000002")
        let folder = TestFolder.root.appendingPathComponent("notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let out = folder.appendingPathComponent("out.jsonl").path
        let export = try CLI.run(["notify", "export", "--out", out], db: db, environment: Self.clock)
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let mine = lines.filter { $0["case_id"] as? Int == first }
        #expect(mine.map { $0["event"] as? String ?? "" } == ["received", "dispatched", "closed"])
        for row in mine {
            #expect(Set(row.keys) == ["id", "case_id", "event", "channel", "contact", "text", "created_at"])
            #expect(row["contact"] as? String == "13900000002" && row["channel"] as? String == "phone")
            // The public text only: never the description.
            #expect((row["text"] as? String)?.contains("垃圾 beside") == false)
            #expect((row["text"] as? String)?.contains(String(first)) == true)
        }
        // Taken: a second export without --since has nothing of them; a new message shows up alone.
        let again = try CLI.run(["notify", "export", "--format", "csv"], db: db, environment: Self.clock)
        #expect(again.status == 0 && again.stdout.split(separator: "\n").count == 1, "\(again.stdout)")
        #expect(again.stdout.hasPrefix("id,case_id,event,channel,contact,text,created_at"))
        try CLI.run(["followup", "record", String(first), "--as", "city-intake-1", "--not-reached"], db: db, environment: Self.clock)
        let third = try CLI.run(["notify", "export"], db: db, environment: Self.clock)
        let rows = third.stdout.split(separator: "\n")
        #expect(rows.count == 1 && rows[0].contains("\"event\":\"follow-up\""), "\(third.stdout)")
        // --since takes everything from then on again.
        let since = try CLI.run(["notify", "export", "--since", "2026-11-25"], db: db, environment: Self.clock)
        #expect(since.stdout.split(separator: "\n").filter { $0.contains("\"case_id\":\(first)") }.count == 4)
        let bad = try CLI.run(["notify", "export", "--format", "geojson"], db: db)
        #expect(bad.status == 64)
        let badSince = try CLI.run(["notify", "export", "--since", "soon"], db: db)
        #expect(badSince.status == 2)
    }

    @Test func theSiteRuleCanReopenAtOnce() throws {
        let db = try CLI.demoCopy()
        let shown = try CLI.run(["site", "set-followup", "--json"], db: db)
        #expect(shown.status == 0 && shown.object["working_days"] as? Int == 2 && shown.object["reopen"] as? String == "shift-lead",
                "\(shown.stdout) \(shown.stderr)")
        let zero = try CLI.run(["site", "set-followup", "--working-days", "0"], db: db)
        #expect(zero.status == 2 && zero.stderr.contains("1 to 30"), "\(zero.stderr)")
        #expect(try CLI.run(["site", "set-followup", "--reopen", "sometimes"], db: db).status == 64)
        let set = try CLI.run(["site", "set-followup", "--reopen", "automatic", "--notify-lang", "en", "--json"], db: db)
        #expect(set.object["reopen"] as? String == "automatic" && set.object["notify_lang"] as? String == "en")
        let id = try Self.closedHotlineCase(db)
        let recorded = try CLI.run(["followup", "record", String(id), "--as", "city-intake-1", "--reached", "--satisfaction", "dissatisfied",
                                    "--json"], db: db, environment: Self.clock)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.object["reopened"] as? Bool == true && recorded.object["case_state"] as? String == "dispatched")
        let messages = try CLI.run(["notify", "export"], db: db, environment: Self.clock).stdout
        #expect(messages.contains("After your feedback, case \(id) was sent back"), "\(messages)")
    }

    /// One follow-up recorded reached and basically satisfied, one not reached: 回访率 2/2 = 100, 满意率 1/1 = 100 for the
    /// case's district, in every grouping the case falls in; the daily bulletin carries both.
    @Test func statsAndBulletinsCarryTheFollowUpRates() throws {
        let db = try CLI.demoCopy()
        let first = try Self.closedHotlineCase(db, phone: "13900000003")
        let second = try Self.closedHotlineCase(db, phone: "13900000004")
        try CLI.run(["followup", "record", String(first), "--as", "city-intake-1", "--reached", "--satisfaction", "basically-satisfied"],
                    db: db, environment: Self.clock)
        try CLI.run(["followup", "record", String(second), "--as", "city-intake-1", "--not-reached"], db: db, environment: Self.clock)
        for (grouping, key) in [("district", "110101"), ("department", "SANIT"), ("operator", "city-intake-1"), ("city", "110000")] {
            let stats = try CLI.run(["stats", "--by", grouping, "--json"], db: db, environment: Self.clock)
            #expect(stats.status == 0, "\(stats.stderr)")
            let rows = (stats.object["rows"] as? [[String: Any]] ?? [])
            let row = try #require(rows.first { $0["key"] as? String == key }, "\(grouping)")
            let indicators = row["indicators"] as? [String: Any] ?? [:]
            let counts = row["counts"] as? [String: Any] ?? [:]
            #expect(indicators["satisfaction_rate"] as? Double == 100, "\(grouping)")
            #expect(counts["followups_done"] as? Int == 2 && counts["followups_reached"] as? Int == 1, "\(grouping)")
            if grouping != "operator" {
                #expect(indicators["follow_up_rate"] as? Double == 100 && counts["followups"] as? Int == 2, "\(grouping)")
            }
        }
        let daily = try CLI.run(["bulletin", "daily", "--date", "2026-11-25", "--md"], db: db, environment: Self.clock)
        #expect(daily.status == 0 && daily.stdout.contains("satisfaction % (满意率)"), "\(daily.stderr)")
    }
}

/// The case pane words the follow-up history rows in the console's language.
@Suite struct FollowUpWordingTests {
    @Test func followUpHistoryRowsHaveChineseNames() {
        for action in ["follow-up", "follow-up-result", "reopen", "keep-closed"] {
            #expect(Language.zh.action(action) != action, "\(action)")
            #expect(Language.en.action(action) == action)
        }
        #expect(Language.zh.refusal(.missingNote(verb: "reopen", meaning: .reason)) == "回访返工需要填写原因")
    }
}
