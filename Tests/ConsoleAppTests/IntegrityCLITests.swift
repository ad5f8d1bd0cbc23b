import Foundation
import Testing

/// Issue 13, defects 3 and 6, through the built binary: the history refuses an outside client's REPLACE, `verify` and
/// `doctor` find what an outside client forged or dropped, writes wait for the guards; a batched import killed at any
/// point resumes exactly after its last committed line, and a rerun of the same file is refused with that line.
@Suite(.serialized) struct IntegrityCLITests {

    func folder() -> URL {
        let url = TestFolder.root.appendingPathComponent("citygrid-integrity-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the `sqlite3` shell on the file, as an outside client would.
    @discardableResult
    func sqlite(_ db: String, _ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-bail", db, sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func anOutsideClientCannotReplaceARowAndAForgedOneIsFoundAndFlagged() throws {
        let db = try CLI.demoCopy()
        let ok = try CLI.run(["verify", "--json"], db: db)
        #expect(ok.status == 0, "\(ok.stderr)")
        let head = try #require(ok.object["head"] as? String)
        let rows = try #require(ok.object["rows"] as? Int)
        #expect(head.count == 64 && ok.object["head_seq"] as? Int == rows && ok.object["ok"] as? Bool == true)
        #expect((ok.object["findings"] as? [Any])?.isEmpty == true && ok.object["findings_total"] as? Int == 0)
        #expect(ok.object.keys.sorted() == ["anchor", "findings", "findings_total", "head", "head_seq", "ok", "restored", "rows", "writes_refused"])
        let text = try CLI.run(["verify"], db: db)
        #expect(text.status == 0 && text.stdout.contains("history verified: \(rows) rows, head \(rows):\(head)"))

        let before = try sqlite(db, "SELECT action FROM history WHERE case_id = 1 AND seq = 0").output
        let replace = try sqlite(db, """
            INSERT OR REPLACE INTO history(case_id, seq, at, action, to_state, chain_seq, chain_hash)
            SELECT case_id, seq, at, 'close', 'closed', (SELECT max(chain_seq) + 1 FROM history), chain_hash FROM history WHERE case_id = 1 AND seq = 0
            """)
        #expect(replace.status != 0 && replace.output.contains("cannot be replaced"), "\(replace.output)")
        let plain = try sqlite(db, "INSERT INTO history(case_id, seq, at, action, to_state) VALUES (1, 90, 0, 'close', 'closed')")
        #expect(plain.status != 0 && plain.output.contains("hash chain"), "\(plain.output)")
        #expect(try sqlite(db, "SELECT action FROM history WHERE case_id = 1 AND seq = 0").output == before)

        // A forger who gives the next chain position and some hash gets past the guards; the chain finds the row.
        let forged = try sqlite(db, """
            INSERT INTO history(case_id, seq, at, action, from_state, to_state, chain_seq, chain_hash)
            SELECT 1, max(seq) + 1, 1795000000, 'close', 'checked', 'closed', (SELECT max(chain_seq) + 1 FROM history), randomblob(32)
            FROM history WHERE case_id = 1
            """)
        #expect(forged.status == 0, "\(forged.output)")
        let found = try CLI.run(["verify", "--json"], db: db)
        #expect(found.status == 1)
        let finding = try #require((found.object["findings"] as? [[String: Any]])?.first)
        #expect(finding["kind"] as? String == "changed_row" && finding["case_id"] as? Int == 1 && finding["chain_seq"] as? Int == rows + 1)
        #expect(Set(finding.keys) == ["kind", "case_id", "seq", "chain_seq", "detail"])
        #expect(found.object["ok"] as? Bool == false && found.object["findings_total"] as? Int == 1)
        let listed = try CLI.run(["verify"], db: db)
        #expect(listed.status == 1 && listed.stdout.contains("changed_row  case 1 seq"))

        let shown = try CLI.run(["case", "show", "1", "--json"], db: db)
        #expect(shown.object["history_verified"] as? Bool == false)
        let history = try #require(shown.object["history"] as? [[String: Any]])
        #expect(history.last?["verified"] as? Bool == false && history.dropLast().allSatisfy { $0["verified"] as? Bool == true })
        let shownText = try CLI.run(["case", "show", "1"], db: db)
        #expect(shownText.stdout.contains("NOT VERIFIED") && shownText.stdout.contains("[unverified]"))
        #expect(try CLI.run(["case", "show", "2", "--json"], db: db).object["history_verified"] as? Bool == true)

        let doctor = try CLI.run(["doctor", "--json"], db: db)
        #expect(doctor.status == 1)
        let checks = try #require(doctor.object["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["integrity", "schema", "history_guards", "history_chain", "stored_values",
                                                         "grid", "patrol_areas", "centers", "departments", "calendar"])
        #expect(checks.map { $0["ok"] as? Bool } == [true, true, true, false, true, true, true, true, true, true])
        #expect((checks[3]["fix"] as? String)?.contains("citygrid verify") == true && checks.first?["fix"] is NSNull)
    }

    @Test func aDroppedTriggerIsFoundOnOpenAndWritesWaitUntilItIsRestored() throws {
        let db = try CLI.demoCopy()
        let open = try #require(try CLI.run(["cases", "--state", "dispatched", "--json", "--limit", "1"], db: db).array.first?["id"] as? Int)
        #expect(try sqlite(db, "DROP TRIGGER history_no_update").status == 0)
        let refused = try CLI.run(["case", "urge", String(open), "--as", "city-lead-1"], db: db)
        #expect(refused.status == 6)
        #expect(refused.stderr.contains("writes are refused") && refused.stderr.contains("history_no_update")
                && refused.stderr.contains("citygrid verify --restore-triggers"), "\(refused.stderr)")
        #expect(try CLI.run(["case", "show", String(open)], db: db).status == 0, "reads go on")
        let doctor = try CLI.run(["doctor"], db: db)
        #expect(doctor.status == 1 && doctor.stdout.contains("FAIL  history_guards") && doctor.stdout.contains("--restore-triggers"))
        let check = try CLI.run(["verify", "--json"], db: db)
        #expect(check.status == 1 && check.object["writes_refused"] as? Bool == true)
        #expect((check.object["findings"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["missing_trigger"])

        let restored = try CLI.run(["verify", "--restore-triggers", "--json"], db: db)
        #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
        #expect(restored.object["restored"] as? [String] == ["history_no_update"] && restored.object["writes_refused"] as? Bool == false)
        #expect(try CLI.run(["case", "urge", String(open), "--as", "city-lead-1"], db: db).status == 0)
        #expect(try CLI.run(["doctor"], db: db).status == 0)
        #expect(try sqlite(db, "UPDATE history SET note = 'x' WHERE case_id = 1").status != 0, "the trigger is back")
    }

    @Test func theDailyBulletinCarriesTheChainHeadThatVerifyChecks() throws {
        let db = try CLI.demoCopy()
        let bulletin = try CLI.run(["bulletin", "daily", "--date", "2026-11-24"], db: db)
        #expect(bulletin.status == 0, "\(bulletin.stderr)")
        let line = try #require(bulletin.stdout.split(separator: "\n").first { $0.hasPrefix("History chain") })
        #expect(line.contains("as of 2026-11-25T00:00:00+08:00"))
        let anchor = try #require(line.split(separator: "`").dropFirst().first.map(String.init))
        #expect(anchor.split(separator: ":").count == 2)
        let csv = try CLI.run(["bulletin", "daily", "--date", "2026-11-24", "--csv"], db: db)
        #expect(csv.stdout.contains("chain_head,,\(anchor),2026-11-25T00:00:00+08:00"))
        let checked = try CLI.run(["verify", "--anchor", anchor, "--json"], db: db)
        #expect(checked.status == 0 && (checked.object["anchor"] as? [String: Any])?["matches"] as? Bool == true)
        let wrong = anchor.dropLast() + (anchor.hasSuffix("0") ? "1" : "0")
        let mismatch = try CLI.run(["verify", "--anchor", String(wrong)], db: db)
        #expect(mismatch.status == 1 && mismatch.stdout.contains("anchor_mismatch"))
        #expect(try CLI.run(["verify", "--anchor", "12:xyz"], db: db).status == 2)
    }

    // MARK: Batched imports (defect 6)

    static let lines = 12_000

    func reportsFile(_ dir: URL) throws -> URL {
        let file = dir.appendingPathComponent("reports.csv")
        var text = "kind,category,cell,description,source\n"
        for i in 1...Self.lines { text += "event,0102,110101001001001,resume \(i),web\n" }
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func start(_ arguments: [String], db: String, dir: URL) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments + ["--db", db]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": dir.path, "CITYGRID_NOW": CLI.now]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        return (process, err)
    }

    func imported(_ db: String) throws -> [String] {
        try sqlite(db, "SELECT description FROM service_case WHERE description LIKE 'resume %' ORDER BY id").output
            .split(separator: "\n").map(String.init)
    }

    /// kill -9 at random points, several times, resuming each time: every line goes in exactly once.
    @Test func aBatchedImportKilledAgainAndAgainResumesExactlyAfterItsLastCommittedLine() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let file = try reportsFile(dir)
        let command = ["import", "reports", file.path, "--batch", "250", "--skip-bad"]
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for round in 0..<5 {
            let resume = try sqlite(db, "SELECT count(*) FROM import_progress WHERE state = 'running'").output == "1"
            let (process, _) = try start(command + (resume ? ["--resume"] : []), db: db, dir: dir)
            Thread.sleep(forTimeInterval: Double.random(in: 0.3...(0.6 + 0.3 * Double(round)), using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            let committed = try imported(db)
            // Whatever was killed, the record and the rows agree: lines 2…through_line are in, once each.
            let through = Int(try sqlite(db, "SELECT ifnull(max(through_line), 0) FROM import_progress").output) ?? -1
            #expect(committed == (2..<max(2, through + 1)).map { "resume \($0 - 1)" }, "round \(round): the record names exactly what is in")
            #expect(committed.count % 250 == 0 || committed.count == Self.lines)
        }
        #expect(kills >= 1, "at least one import was killed mid-way")

        let done = try sqlite(db, "SELECT count(*) FROM import_progress WHERE state = 'done'").output == "1"
        if !done {
            let (through, rerun) = (try sqlite(db, "SELECT through_line FROM import_progress WHERE state = 'running'").output,
                                    try CLI.run(command, db: db))
            if !through.isEmpty {
                // A rerun without --resume is refused, naming the line and the command.
                #expect(rerun.status == 4)
                #expect(rerun.stderr.contains("lines up to \(through) are imported") && rerun.stderr.contains("Continue after line \(through) with: citygrid import reports"), "\(rerun.stderr)")
                #expect(rerun.stderr.contains("--resume"))
                let rest = try CLI.run(command + ["--resume", "--json"], db: db)
                #expect(rest.status == 0, "\(rest.stderr)")
                #expect(rest.object["from_line"] as? Int == Int(through)! + 1 && rest.object["resumed"] as? Bool == true)
            }
        }
        let all = try imported(db)
        #expect(all == (1...Self.lines).map { "resume \($0)" }, "every line once, in order")
        #expect(try sqlite(db, "PRAGMA integrity_check").output == "ok")
        #expect(try CLI.run(["verify"], db: db).status == 0)
        // Imported completely: the same file again is refused, --again imports it once more.
        let again = try CLI.run(command, db: db)
        #expect(again.status == 4 && again.stderr.contains("already imported") && again.stderr.contains("--again"), "\(again.stderr)")
        #expect(try CLI.run(command + ["--resume"], db: db).status == 4)
        let copy = try CLI.run(["import", "reports", file.path, "--again", "--json"], db: db)
        #expect(copy.status == 0 && copy.object["imported"] as? Int == Self.lines)
    }

    /// SIGTERM is Ctrl-C's twin: the open batch is rolled back and the line to continue after is printed with the command.
    @Test func aSigtermedBatchedImportSaysWhereToResume() throws {
        let db = try CLI.demoCopy(), dir = folder()
        let file = try reportsFile(dir)
        let command = ["import", "reports", file.path, "--batch", "200", "--skip-bad"]
        let (process, err) = try start(command, db: db, dir: dir)
        let deadline = Date().addingTimeInterval(60)
        while try imported(db).count < 400 && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if process.terminationStatus == 0 { return }   // finished before the signal: nothing to resume
        #expect(process.terminationStatus == 143)
        let through = try sqlite(db, "SELECT through_line FROM import_progress").output
        #expect(stderr.contains("interrupted: lines up to \(through) are imported"), "\(stderr)")
        #expect(stderr.contains("continue after line \(through) with: citygrid import reports \(file.path) --batch 200 --skip-bad"), "\(stderr)")
        #expect(stderr.contains("--resume"))
        #expect(try imported(db).count == Int(through)! - 1)
        #expect(try CLI.run(command, db: db).status == 4)
        let rest = try CLI.run(["import", "reports", file.path, "--resume"], db: db)
        #expect(rest.status == 0, "\(rest.stderr)")
        #expect(try imported(db) == (1...Self.lines).map { "resume \($0)" })
    }
}

extension IntegrityCLITests {
    /// A case whose stored state this version does not know: `case show` names it and fails cleanly, `doctor` lists it.
    @Test func anUnknownStoredStateIsNamedByCaseShowAndDoctor() throws {
        let db = try CLI.demoCopy()
        #expect(try sqlite(db, "PRAGMA ignore_check_constraints = ON; UPDATE service_case SET state = 'lost' WHERE id = 1").status == 0)
        let shown = try CLI.run(["case", "show", "1"], db: db)
        #expect(shown.status != 0 && shown.stderr.contains("case 1 has unknown state 'lost'"), "\(shown.stderr)")
        let doctor = try CLI.run(["doctor"], db: db)
        #expect(doctor.status == 1 && doctor.stdout.contains("stored_values") && doctor.stdout.contains("case 1 has unknown state 'lost'"),
                "\(doctor.stdout)\(doctor.stderr)")
    }
}
