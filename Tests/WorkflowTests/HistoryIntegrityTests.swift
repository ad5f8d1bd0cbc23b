@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

/// Issue 13, defect 3: the history cannot be replaced in the database, its hash chain shows any row written or changed
/// outside citygrid, and a database whose guards were dropped refuses to write until they are restored.
@Suite struct HistoryIntegrityTests {
    let t0 = TestCity.monday9

    func city(path: String? = nil) throws -> TestCity {
        let city = try TestCity(model: .centralized, path: path)
        let c = try city.report(at: t0)
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        try city.report(by: "insp-b", cell: TestCity.cellB, at: t0.after(6))
        return city
    }

    func historyRow(_ store: CityStore, _ caseID: Int64, _ seq: Int) throws -> Row? {
        try store.read { db in try Row.fetchOne(db, sql: "SELECT * FROM history WHERE case_id = ? AND seq = ?", arguments: [caseID, seq]) }
    }

    @Test func insertOrReplaceIsRefusedByTheDatabaseItself() throws {
        let city = try city()
        let before = try #require(try historyRow(city.store, 1, 0))
        // The same row with another action, at the next chain position with a plausible hash: the guards refuse it.
        #expect(throws: (any Error).self) {
            try city.store.writer.write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO history(case_id, seq, at, action, to_state, chain_seq, chain_hash)
                    VALUES (1, 0, 0, 'close', 'closed', (SELECT max(chain_seq) + 1 FROM history), zeroblob(32))
                    """)
            }
        }
        #expect(throws: (any Error).self) {
            try city.store.writer.write { db in try db.execute(sql: "REPLACE INTO history SELECT * FROM history WHERE case_id = 1 AND seq = 0") }
        }
        #expect(try historyRow(city.store, 1, 0) == before)
        // A plain insert that does not extend the chain is refused too.
        #expect(throws: (any Error).self) {
            try city.store.writer.write { db in
                try db.execute(sql: "INSERT INTO history(case_id, seq, at, action, to_state) VALUES (1, 5, 0, 'close', 'closed')")
            }
        }
        #expect(try city.store.verifyHistory().ok)
    }

    @Test func aForgedRowIsFoundByVerifyAndFlaggedInTheCase() throws {
        let city = try city()
        let head = try city.store.chainHead()
        // A forger who knows the chain's rules but not how to make the hash: the guards let the row in, the chain does not.
        try city.store.writer.write { db in
            try db.execute(sql: """
                INSERT INTO history(case_id, seq, at, actor_id, action, from_state, to_state, chain_seq, chain_hash)
                VALUES (1, 2, ?, NULL, 'close', 'accepted', 'closed', ?, randomblob(32))
                """, arguments: [t0.after(30).timeIntervalSince1970, head.seq + 1])
        }
        let result = try city.store.verifyHistory()
        #expect(!result.ok && result.findingCount == 1)
        #expect(result.findings.first?.kind == .changedRow && result.findings.first?.caseID == 1 && result.findings.first?.seq == 2)
        let detail = try city.store.detail(1)
        #expect(!detail.historyVerified)
        #expect(detail.history.map(\.verified) == [true, true, false])
        #expect(try city.store.detail(2).historyVerified, "the other case's rows are genuine")

        // With the guards dropped, a plain insert gets in, with no place in the chain.
        try city.store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER history_chain_append")
            try db.execute(sql: "INSERT INTO history(case_id, seq, at, action, to_state) VALUES (2, 1, 0, 'close', 'closed')")
        }
        let again = try city.store.verifyHistory()
        #expect(again.findings.map(\.kind) == [.missingTrigger, .unchainedRow, .changedRow])
        #expect(again.findings[1].caseID == 2 && again.findings[1].seq == 1)
        #expect(try city.store.detail(2).history.map(\.verified) == [true, false])
    }

    @Test func aChangedRowAndADeletedRowBreakTheChain() throws {
        let city = try city()
        try city.store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete")
            try db.execute(sql: "UPDATE history SET note = 'rewritten' WHERE case_id = 1 AND seq = 0")
        }
        let changed = try city.store.verifyHistory()
        #expect(changed.findings.filter { $0.kind == .changedRow }.map { [$0.caseID, Int64($0.seq ?? -1)] } == [[1, 0]])
        try city.store.writer.write { db in try db.execute(sql: "DELETE FROM history WHERE case_id = 1 AND seq = 1") }
        let deleted = try city.store.verifyHistory()
        #expect(deleted.findings.contains { $0.kind == .brokenLink && $0.caseID == 2 && $0.detail.contains("position 2 is missing") })
    }

    @Test func droppedTriggersAreFoundOnOpenAndEveryWriteIsRefusedUntilRestored() throws {
        let path = StoreTests.temporaryPath()
        let first = try city(path: path)
        try first.store.writer.write { db in try db.execute(sql: "DROP TRIGGER history_no_delete") }
        // Another process opens the file: it sees the guard missing.
        let store = try CityStore.open(path: path)
        let urge = ActionRequest(action: .urge, caseID: 1, actor: "city-lead")
        let refusal = try #require(store.writesRefused)
        #expect(refusal == .historyGuardsBroken(guards: ["trigger history_no_delete is missing"]))
        do {
            try store.perform(urge, at: t0.after(40))
            Issue.record("a write went through with a guard missing")
        } catch {
            #expect(error == .refusal(refusal) && error.exitCode == 6)
        }
        #expect(throws: BulkRefusal.self) {
            try store.performBulk(BulkRequest(action: .urge, selection: .ids([1]), actor: "city-lead", note: "x"), at: t0.after(41))
        }
        #expect(throws: WorkflowError.self) { try store.addDistrict(code: "110103", nameZh: "区3", nameEn: "D3") }
        var source = try CSVRecordSource(MemoryByteSource("kind,category,cell,description\nevent,0102,\(TestCity.cellA),x\n"))
        #expect(throws: WorkflowError.self) {
            try store.importReports(&source, reporter: "insp-a", channel: nil, at: t0.after(42), options: ImportOptions())
        }
        // The writer connection itself is query-only: no path writes by mistake.
        #expect(throws: (any Error).self) { try store.writer.write { db in try db.execute(sql: "DELETE FROM calendar_day") } }
        // Reads go on.
        #expect(try store.detail(1).history.count == 2)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM history") } == 3)

        let restored = try store.restoreHistoryGuards()
        #expect(restored.ok && restored.restored == ["history_no_delete"])
        #expect(store.writesRefused == nil)
        try store.perform(urge, at: t0.after(43))
        #expect(try store.verifyHistory().ok)
        #expect(try CityStore.open(path: path).writesRefused == nil)
    }

    @Test func guardsAreNotRestoredOverAForgedHistory() throws {
        let path = StoreTests.temporaryPath()
        let city = try city(path: path)
        try city.store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER history_chain_append")
            try db.execute(sql: "INSERT INTO history(case_id, seq, at, action, to_state) VALUES (1, 2, 0, 'close', 'closed')")
        }
        let store = try CityStore.open(path: path)
        #expect(store.writesRefused != nil)
        let refused = try store.restoreHistoryGuards()
        #expect(!refused.ok && refused.restored.isEmpty && refused.findings.contains { $0.kind == .unchainedRow })
        #expect(store.writesRefused != nil)
        #expect(try store.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'history_chain_append'") } == nil)
    }

    @Test func theChainSurvivesActionsBulkActionsMergesImportsAndUndo() throws {
        let city = try city()
        let ids = try (0..<3).map { i in try city.report(by: "city-intake", source: .hotline, text: "r \(i)", at: t0.after(10)).id }
        try city.act(.merge, ids[2], as: "city-intake", to: String(ids[1]), at: t0.after(11))
        for id in ids.prefix(2) { try city.act(.verify, id, as: "city-intake", to: "insp-a", at: t0.after(12)) }
        _ = try city.store.performBulk(BulkRequest(action: .urge, selection: .ids(Array(ids.prefix(2))), actor: "city-lead", note: "go"), at: t0.after(60))
        _ = try city.store.undoLastBulk(by: "city-lead", at: t0.after(61))
        let csv = "kind,category,cell,description\n" + (1...250).map { "event,0102,\(TestCity.cellA),imported \($0)" }.joined(separator: "\n")
        var batched = try CSVRecordSource(MemoryByteSource(csv))
        _ = try city.store.importReports(&batched, reporter: "insp-a", channel: nil, at: t0.after(70),
                                         options: ImportOptions(skipBad: true, batchSize: 40, batchPause: 0))
        try city.report(at: t0.after(71))
        var whole = try CSVRecordSource(MemoryByteSource(csv))
        _ = try city.store.importReports(&whole, reporter: "insp-a", channel: nil, at: t0.after(72), options: ImportOptions())
        let result = try city.store.verifyHistory()
        #expect(result.ok, "\(result.findings)")
        #expect(result.rows == Int64(try city.historyCount()) && result.head.seq == result.rows)
        #expect(try city.store.read { db in try Int.fetchOne(db, sql: "SELECT count(DISTINCT chain_seq) FROM history") } == Int(result.rows))
    }

    @Test func aSeededDemoCityVerifies() throws {
        // Several chunks, chained in order by the generators: BatchInsertTests.aCityOfSeveralChunksIsTheSameEveryTime.
        let store = try CityStore.inMemory()
        let summary = try DemoCity.seed(into: store, options: DemoOptions(seed: 5, days: 3, cases: 2_000, now: DemoCityTests.now))
        let result = try store.verifyHistory()
        #expect(result.ok, "\(result.findings.prefix(3))")
        #expect(result.rows == Int64(summary.historyRows) && result.head.seq == result.rows)
        #expect(try store.read { db in try CityStore.guardFindings(db) }.isEmpty, "the seeder puts back the guards it leaves out while loading")
        #expect(store.writesRefused == nil)
    }

    @Test func anAnchorFromEarlierStillMatchesUntilTheHistoryBeforeItIsRewritten() throws {
        let city = try city()
        let anchor = try city.store.chainHead()
        #expect(anchor.seq == 3)
        try city.act(.urge, 1, as: "city-lead", at: t0.after(50))
        let later = try city.store.verifyHistory(anchor: anchor)
        #expect(later.ok && later.anchorMatches == true && later.head.seq == 4)
        #expect(try ChainLink(anchor: anchor.anchor) == anchor)
        #expect(throws: WorkflowError.self) { try ChainLink(anchor: "3:abc") }

        // Someone rewrites the first row and recomputes the chain after it: every row verifies, the anchor does not.
        try city.store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER history_no_update")
            try db.execute(sql: "UPDATE history SET note = 'rewritten' WHERE case_id = 1 AND seq = 0")
            var head = ChainLink.start
            var encoder = ChainEncoder()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM history ORDER BY chain_seq") {
                encoder.start(previous: head.hash, seq: head.seq + 1)
                for column in CaseRows.historyColumns {
                    switch (row[column] as DatabaseValue).storage {
                    case .null: encoder.null()
                    case .int64(let i): encoder.int(i)
                    case .double(let d): encoder.double(d)
                    case .string(let s): encoder.text(s)
                    case .blob(let b): b.withUnsafeBytes { encoder.blob(bytes: $0) }
                    }
                }
                if let via = row["via"] as String? { encoder.text(via) }
                head = ChainLink(seq: head.seq + 1, hash: encoder.digest)
                try db.execute(sql: "UPDATE history SET chain_hash = ? WHERE chain_seq = ?", arguments: [Data(head.hash.bytes), head.seq])
            }
            try db.execute(sql: Schema.historyGuards[0].sql)
        }
        #expect(try city.store.verifyHistory().ok, "a recomputed chain is consistent in itself")
        let anchored = try city.store.verifyHistory(anchor: anchor)
        #expect(!anchored.ok && anchored.anchorMatches == false && anchored.findings.map(\.kind) == [.anchorMismatch])
        let beyond = try city.store.verifyHistory(anchor: ChainLink(seq: 99, hash: anchor.hash))
        #expect(beyond.findings.map(\.kind) == [.anchorMismatch])
    }

    @Test func theDailyBulletinPrintsTheChainHeadAsOfTheEndOfItsDay() throws {
        let city = try city()
        let monday = try #require(LocalDate(year: 2026, month: 11, day: 23))
        try city.act(.urge, 1, as: "city-lead", at: TestCity.at("2026-11-24T09:00:00+08:00"))
        let tuesday10 = TestCity.at("2026-11-24T10:00:00+08:00")
        let bulletin = try city.store.dailyBulletin(date: monday, at: tuesday10)
        #expect(bulletin.chainHead.seq == 3, "Tuesday's urge is after the end of Monday")
        #expect(bulletin.chainAsOf == TestCity.at("2026-11-24T00:00:00+08:00"))
        let format = InstantFormat(timeZone: TestCity.zone)
        let markdown = bulletin.markdown(format: format) { "Keep \($0.anchor)." }
        #expect(markdown.last?.hasSuffix("`\(bulletin.chainHead.anchor)` (3 rows). Keep \(bulletin.chainHead.anchor).") == true)
        #expect(bulletin.csv(format: format).rows.last?.prefix(3) == ["chain_head", "", bulletin.chainHead.anchor][...])
        let today = try city.store.dailyBulletin(date: try #require(LocalDate(year: 2026, month: 11, day: 24)), at: tuesday10)
        #expect(today.chainHead == (try city.store.chainHead()) && today.chainHead.seq == 4)
        #expect(try city.store.verifyHistory(anchor: bulletin.chainHead).ok)
    }

    @Test func theGuardListIsWhatTheMigrationsMake() throws {
        let store = try CityStore.inMemory()
        let found = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT name, type, sql FROM sqlite_master WHERE tbl_name = 'history' AND type IN ('trigger', 'index')")
                .reduce(into: [String: String]()) { $0[$1["name"]] = CityStore.normalized($1["sql"]) }
        }
        for guardItem in Schema.historyGuards {
            #expect(found[guardItem.name] == CityStore.normalized(guardItem.sql), "\(guardItem.name)")
        }
    }

    /// A database made before the chain: its rows are chained when it is opened, and it verifies.
    @Test func anOlderDatabaseIsChainedByItsMigration() throws {
        let path = StoreTests.temporaryPath()
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v6 open311 media url")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO region(code, level, name_zh, name_en, grid_row, grid_col) VALUES ('110101001001001', 'cell', 'c', 'c', 1, 1);
                INSERT INTO department(code, name_zh, name_en) VALUES ('SANIT', 's', 's');
                INSERT INTO category VALUES ('event', '0102', '01', 'l', 'l', 'n', 'n', 'SANIT', 0, 1, 'hours');
                INSERT INTO center(id, kind, tier, region_code, name_zh, name_en) VALUES ('CITY-M', 'monitoring', 'city', '110101001001001', 'm', 'm');
                """)
            for caseID in 1...3 {
                try db.execute(sql: """
                    INSERT INTO service_case(id, state, is_open, kind, category_code, cell_code, community_code, street_code, district_code,
                        source, description, reported_at, monitor_center, confirmed, urgent, stage_started_at, budget_minutes, last_event_at)
                    VALUES (?, 'reported', 1, 'event', '0102', '110101001001001', '110101001001', '110101001', '110101', 'web', 'x', 0,
                        'CITY-M', 0, 0, 0, 60, 0)
                    """, arguments: [caseID])
            }
            for caseID in 1...3 {
                for seq in 0..<4 {
                    try db.execute(sql: """
                        INSERT INTO history(case_id, seq, at, action, to_state, note) VALUES (?, ?, ?, 'report', 'reported', ?)
                        """, arguments: [caseID, seq, 1_700_000_000 + seq, seq == 2 ? nil : "note \(caseID)"])
                }
            }
        }
        try queue.close()
        let store = try CityStore.open(path: path)
        let result = try store.verifyHistory()
        #expect(result.ok && result.rows == 12 && result.head.seq == 12)
        #expect(store.writesRefused == nil)
        // An older database whose update trigger was dropped keeps it missing, so the check on open reports it.
        let path2 = StoreTests.temporaryPath()
        let older = try DatabaseQueue(path: path2)
        try Schema.migrator.migrate(older, upTo: "v6 open311 media url")
        try older.write { db in try db.execute(sql: "DROP TRIGGER history_no_update") }
        try older.close()
        #expect(try CityStore.open(path: path2).writesRefused == .historyGuardsBroken(guards: ["trigger history_no_update is missing"]))
    }

    /// The Open311 key hashes stay what the hand-written SHA-256 made: a key issued before swift-crypto still matches.
    @Test func anAPIKeyHashedByTheOldImplementationStillMatches() throws {
        let store = try CityStore.inMemory()
        try store.writer.write { db in
            // salt and hash as the hand-written SHA256.hex(salt + key) stored them.
            try db.execute(sql: """
                INSERT INTO api_key(name, prefix, salt, hash, created_at) VALUES ('partner', '01234567', '00112233445566778899aabbccddeeff',
                '366fa3d64e870718a34259561e24dde5d66ed839963841c988e6ca5d8d51cb21', 0)
                """)
        }
        #expect(try store.apiKey(matching: "0123456789abcdef0123456789abcdef01234567")?.name == "partner")
        #expect(try store.apiKey(matching: "0123456789abcdef0123456789abcdef01234568") == nil)
        #expect(Hashing.sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
