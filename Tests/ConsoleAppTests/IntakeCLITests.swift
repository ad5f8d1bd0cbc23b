import Foundation
import Testing

/// Import, export, duplicates and unmerge through the built binary, as outside scripts use them.
@Suite struct IntakeCLITests {

    func folder() -> URL {
        let url = TestFolder.root.appendingPathComponent("citygrid-intake-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func caseCount(_ db: String) throws -> Int { try CLI.run(["cases", "--json"], db: db).array.count }

    @Test func gridAndComponentsExportedFromTheDemoImportIntoAFreshSiteUnchanged() throws {
        let demo = try CLI.demoCopy(), dir = folder()
        let grid = dir.appendingPathComponent("grid.csv").path, components = dir.appendingPathComponent("components.geojson").path
        #expect(try CLI.run(["export", "grid", "--out", grid], db: demo).status == 0)
        #expect(try CLI.run(["export", "components", "--format", "geojson", "--out", components], db: demo).status == 0)
        let fresh = CLI.temporaryDatabase()
        #expect(try CLI.run(["init"], db: fresh).status == 0)
        let cells = try CLI.run(["import", "grid", grid, "--json"], db: fresh)
        #expect(cells.status == 0, "\(cells.stderr)")
        #expect(cells.object["imported"] as? Int == 3193)
        #expect((cells.object["created"] as? [String: Int])?["district"] == 3)
        let parts = try CLI.run(["import", "components", components], db: fresh)
        #expect(parts.status == 0 && parts.stdout.hasPrefix("imported "), "\(parts.stderr)")
        let again = try CLI.run(["export", "grid"], db: fresh).stdout
        #expect(again == (try String(contentsOfFile: grid, encoding: .utf8)))
        let partsAgain = try CLI.run(["export", "components", "--format", "geojson"], db: fresh).stdout
        #expect(partsAgain == (try String(contentsOfFile: components, encoding: .utf8)))
        #expect(try CLI.run(["regions", "--level", "district", "--json"], db: fresh).array.map { $0["name"] as? String }
                == CLI.run(["regions", "--level", "district", "--json"], db: demo).array.map { $0["name"] as? String })
    }

    @Test func reportsExportedFromTheDemoImportBackAsTheSameReports() throws {
        let demo = try CLI.demoCopy(), dir = folder()
        let reportColumns = ["kind", "category", "cell", "description", "source", "reporter", "reporter_name", "component", "reported_at"]
        for format in ["csv", "jsonl"] {
            let file = dir.appendingPathComponent("cases.\(format)").path
            #expect(try CLI.run(["export", "cases", "--format", format, "--out", file], db: demo).status == 0)
            let empty = CLI.temporaryDatabase()   // the same city, staff and components, no cases
            #expect(try CLI.run(["seed-demo", "--cases", "0", "--days", "1", "--seed", "7"], db: empty).status == 0)
            let imported = try CLI.run(["import", "reports", file, "--json"], db: empty)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.object["imported"] as? Int == 400)
            let before = try lines(CLI.run(["export", "cases", "--format", "jsonl"], db: demo).stdout)
            let after = try lines(CLI.run(["export", "cases", "--format", "jsonl"], db: empty).stdout)
            #expect(before.count == 400 && after.count == 400)
            for (a, b) in zip(before, after) {
                for key in reportColumns { #expect("\(a[key] ?? "nil")" == "\(b[key] ?? "nil")", "\(format) \(key)") }
                #expect(b["state"] as? String == "reported")
            }
        }
    }

    @Test func exportsNeverCarryPhoneNumbersAndFilterByStateAndDate() throws {
        let db = try CLI.demoCopy()
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                                "--description", "来电", "--reporter-name", "刘女士", "--reporter-phone", "13800001234", "--json"], db: db)
        #expect(made.status == 0)
        for format in ["csv", "jsonl", "geojson"] {
            let out = try CLI.run(["export", "cases", "--format", format, "--with-history"], db: db)
            #expect(out.status == 0 && out.stdout.contains("刘女士") && !out.stdout.contains("13800001234"), "\(format)")
        }
        let closed = try lines(CLI.run(["export", "cases", "--format", "jsonl", "--state", "closed"], db: db).stdout)
        #expect(!closed.isEmpty && closed.allSatisfy { $0["state"] as? String == "closed" })
        let today = try lines(CLI.run(["export", "cases", "--format", "jsonl", "--from", "2026-11-25", "--to", "2026-11-25"], db: db).stdout)
        #expect(!today.isEmpty && today.allSatisfy { ($0["reported_at"] as? String)?.hasPrefix("2026-11-25") == true })
        let geo = try CLI.run(["export", "cases", "--format", "geojson", "--state", "closed"], db: db)
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(geo.stdout.utf8)) as? [String: Any])
        #expect((collection["features"] as? [Any])?.count == closed.count)
    }

    @Test func aBadLineImportsNothingUnlessSkipBadWhichWritesTheRejectFile() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let file = dir.appendingPathComponent("reports.csv").path
        try """
            kind,category,cell,description,source
            event,0102,110101001001001,门口垃圾,web
            event,0102,110101001001999,no such cell,web
            event,0102,110101001001001,"second, good",web
            nonsense
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let all = try CLI.run(["import", "reports", file], db: db)
        #expect(all.status == 2)
        #expect(all.stderr.contains("reports.csv:3: no cell 110101001001999 in this city"))
        #expect(all.stderr.contains("reports.csv:5: has 1 fields; the header has 5"))
        #expect(all.stderr.contains("nothing imported"))
        #expect(try caseCount(db) == 400)

        let rejects = dir.appendingPathComponent("rejects.csv").path
        let some = try CLI.run(["import", "reports", file, "--skip-bad", "--rejects", rejects, "--json"], db: db)
        #expect(some.status == 0, "\(some.stderr)")
        #expect(some.object["imported"] as? Int == 2 && some.object["rejected"] as? Int == 2)
        #expect(try caseCount(db) == 402)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(text == "line,reason,record\r\n3,no cell 110101001001999 in this city,\"event,0102,110101001001999,no such cell,web\"\r\n5,\"has 1 fields; the header has 5\",nonsense\r\n"
                || text.hasPrefix("line,reason,record\r\n3,"), "\(text)")
        #expect(text.contains("\n5,"))
    }

    @Test func hostileInputGetsOneClearErrorPerLineAndNothingRawOnTheTerminal() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let file = dir.appendingPathComponent("hostile.jsonl").path
        var bytes = Data()
        bytes += Data(#"{"kind":"event","category":"0102","cell":"110101001001001","description":"\u001b]0;pwned\u0007\u001b[2Jhi","source":"web"}"#.utf8) + Data([0x0A])
        bytes += Data(#"{"kind":"event","category":"0102","cell":"\u001b[31m1101","description":"x","source":"web"}"#.utf8) + Data([0x0A])
        bytes += Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A])                          // invalid UTF-8
        bytes += Data(#"{"kind":"event","category":"0102","cell":"110101001001001","description":"'; DROP TABLE service_case; --","source":"web"}"#.utf8) + Data([0x0A])
        bytes += Data("{not json\n".utf8)
        bytes += Data(#"{"kind":"event","category":"0102","cell":"110101001001001","description":"\#(String(repeating: "长", count: 30_000))","source":"web"}"#.utf8) + Data([0x0A])
        try bytes.write(to: URL(fileURLWithPath: file))
        let result = try CLI.run(["import", "reports", file, "--skip-bad"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{1B}"))
        #expect(result.stderr.contains("hostile.jsonl:2: cell code '␛[31m1101' must be digits only"))
        #expect(result.stderr.contains("hostile.jsonl:3: not valid UTF-8"))
        #expect(result.stderr.contains("hostile.jsonl:5: not valid JSON"))
        #expect(result.stderr.contains("hostile.jsonl:6: description is 90000 bytes; the limit is 65536 bytes"))
        #expect(result.stdout.contains("imported 2 reports"))
        // Stored as given: the export (JSON escapes every control) gives back the exact text.
        let exported = try lines(CLI.run(["export", "cases", "--format", "jsonl", "--from", "2026-11-25T10:30:00+08:00"], db: db).stdout)
        #expect(exported.compactMap { $0["description"] as? String }.contains("\u{1B}]0;pwned\u{07}\u{1B}[2Jhi"))
        #expect(exported.compactMap { $0["description"] as? String }.contains("'; DROP TABLE service_case; --"))
        #expect(try caseCount(db) == 402)
        let shown = try CLI.run(["cases", "--limit", "3"], db: db)
        #expect(!shown.stdout.contains("\u{1B}"))
    }

    @Test func duplicatesAreOfferedAndAMergeCanBeUndoneUntilFiling() throws {
        let db = try CLI.demoCopy()
        func report(_ text: String) throws -> Int {
            let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0110", "--cell", "110101001001001",
                                    "--description", text, "--json"], db: db)
            return try #require(made.object["id"] as? Int, "\(made.stderr)")
        }
        let first = try report("占道经营 在门口")
        let second = try report("门口有人占道经营")
        let found = try CLI.run(["duplicates", String(second), "--json"], db: db)
        #expect(found.status == 0, "\(found.stderr)")
        let candidate = try #require(found.array.first { $0["id"] as? Int == first })
        #expect(candidate["cell_distance"] as? Int == 0 && candidate["age_minutes"] as? Int == 0)
        for key in ["id", "state", "kind", "category", "cell", "cell_distance", "meters", "age_minutes", "reported_at", "description"] {
            #expect(candidate[key] != nil, "\(key)")
        }
        let draft = try CLI.run(["duplicates", "--category", "0110", "--cell", "110101001001002", "--json"], db: db)
        #expect(draft.array.contains { $0["id"] as? Int == first && $0["cell_distance"] as? Int == 1 })
        #expect(try CLI.run(["duplicates", String(second)], db: db).stdout.contains(String(first)))

        #expect(try CLI.run(["case", "merge", String(second), "--as", "city-intake-1", "--to", String(first)], db: db).status == 0)
        let noReason = try CLI.run(["case", "unmerge", String(second), "--as", "city-intake-1"], db: db)
        #expect(noReason.status == 2 && noReason.stderr.contains("--note"))
        let wrongRole = try CLI.run(["case", "unmerge", String(second), "--as", "city-lead-1", "--note", "x"], db: db)
        #expect(wrongRole.status == 3)
        let undone = try CLI.run(["case", "unmerge", String(second), "--as", "city-intake-1", "--note", "two different stalls"], db: db)
        #expect(undone.status == 0, "\(undone.stderr)")
        #expect(undone.stdout.contains("unmerge cancelled → reported, 1 report back from case \(first)"))
        let shown = try CLI.run(["case", "show", String(second), "--json"], db: db).object
        #expect(shown["state"] as? String == "reported")
        #expect((shown["history"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["report", "merge", "unmerge"])
        let survivor = try CLI.run(["case", "show", String(first), "--json"], db: db).object
        #expect((survivor["history"] as? [[String: Any]])?.last?["action"] as? String == "unmerge")
        #expect((survivor["reports"] as? [Any])?.count == 1)
        let again = try CLI.run(["case", "unmerge", String(second), "--as", "city-intake-1", "--note", "x"], db: db)
        #expect(again.status == 4)
    }

    @Test func ctrlCDuringAnImportLeavesTheDatabaseAsItWas() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let file = dir.appendingPathComponent("big.csv")
        var text = "kind,category,cell,description,source\n"
        for i in 0..<300_000 { text += "event,0102,110101001001001,批量 \(i),web\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["import", "reports", file.path, "--db", db]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": dir.path, "CITYGRID_NOW": CLI.now]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationStatus == 130 {
            #expect(stderr.contains("interrupted; nothing was imported"))
            #expect(try caseCount(db) == 400)
        } else {
            let count = try caseCount(db)
            #expect(process.terminationStatus == 0 && count == 300_400, "finished before the signal: all of it")
        }
    }

    /// `--batch` commits as it goes: Ctrl-C rolls back only the open batch, names the line to resume from, and
    /// `--from-line` brings in the rest, nothing twice. Fed through a pipe, so the signal lands at a known point.
    @Test func aBatchedImportStoppedByCtrlCResumesFromTheLineItNames() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let before = try caseCount(db)
        let header = "kind,category,cell,description,source\n"
        func line(_ i: Int) -> String { "event,0102,110101001001001,批次 \(i),web\n" }

        let refused = try CLI.run(["import", "reports", "-", "--format", "csv", "--batch", "100"], db: db, stdin: Data((header + line(1)).utf8))
        #expect(refused.status != 0 && refused.stderr.contains("--skip-bad"), "\(refused.stderr)")

        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["import", "reports", "-", "--format", "csv", "--batch", "100", "--skip-bad", "--db", db]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": dir.path, "CITYGRID_NOW": CLI.now]
        let input = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // Lines 2–351: three full batches, and 50 records of a fourth that stays open while the input waits.
        try input.fileHandleForWriting.write(contentsOf: Data((header + (1...350).map(line).joined()).utf8))
        let deadline = Date().addingTimeInterval(60)
        while try caseCount(db) < before + 300 && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        kill(process.processIdentifier, SIGINT)
        // One more record: the import reads it, sees the request, and rolls back the open batch.
        try? input.fileHandleForWriting.write(contentsOf: Data(line(351).utf8))
        let stopBy = Date().addingTimeInterval(30)
        while process.isRunning && Date() < stopBy { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Issue.record("the import did not stop within 30 s of Ctrl-C")
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
        try? input.fileHandleForWriting.close()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 130)
        #expect(stderr.contains("interrupted: lines up to 301 are imported (300 reports in 3 batches); import the rest with --from-line 302"), "\(stderr)")
        #expect(try caseCount(db) == before + 300)

        let file = dir.appendingPathComponent("batch.csv")
        try (header + (1...351).map(line).joined()).write(to: file, atomically: true, encoding: .utf8)
        let rest = try CLI.run(["import", "reports", file.path, "--batch", "100", "--skip-bad", "--from-line", "302", "--json"], db: db)
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(rest.object["imported"] as? Int == 51 && rest.object["skipped"] as? Int == 300 && rest.object["batches"] as? Int == 1)
        #expect(rest.object["through_line"] as? Int == 352 && rest.object["interrupted"] as? Bool == false)
        let batch = try CLI.run(["cases", "--json"], db: db).array.compactMap { $0["description"] as? String }.filter { $0.hasPrefix("批次 ") }
        #expect(batch.count == 351 && Set(batch).count == 351)
    }

    /// The import bench passes --batch on and files a console's reports meanwhile; every one is counted.
    @Test func benchImportInBatchesCountsTheConsolesWritesDuringIt() throws {
        let db = CLI.temporaryDatabase()
        let result = try CLI.run(["bench-import", "--lines", "300", "--batch", "100", "--json"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        let o = result.object
        #expect(o["imported"] as? Int == 300 && o["batch"] as? Int == 100)
        let writes = try #require(o["console_writes"] as? Int)
        #expect(writes >= 1 && o["console_writes_refused"] as? Int == 0)
        #expect(o["cases_after"] as? Int == 300 + writes)
        #expect(o["console_wait_max_ms"] as? Double != nil)
    }

    func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }
}
