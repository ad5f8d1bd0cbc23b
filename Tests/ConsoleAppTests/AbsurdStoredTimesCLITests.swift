import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 13, defect 2: a database that already holds absurd times (written before the time window existed, or by
/// hand) crashes nothing. Before the fix `stats`, both bulletins and the console's evaluation board trapped in
/// `LocalDate(dayNumber:)` (exit 132), and the case urged "at" 9999-12-31 refused every later action.
@Suite struct AbsurdStoredTimesCLITests {
    /// Year −100000 (an import's `reported_at`) and 9999-12-31T23:59:59Z (`case urge 21000 --at …`).
    static let ancient: Int64 = -3_217_862_419_200
    static let future: Int64 = 253_402_300_799

    /// Writes the poison straight into the database with SQL: an open case urged "at" 9999-12-31, and settled cases
    /// copied with every time moved to year −100000, 9999-12-31, Int64.min and Int64.max. Returns the urged case and
    /// the copies' ids.
    static func poison(_ store: CityStore) throws -> (open: Int64, copies: [Int64]) {
        try store.write { db in
            // The poison is older than the history's hash chain (defect 3), which refuses rows not appended by
            // citygrid: its rows go in unchained, with the chain's insert guard put back after.
            try db.execute(sql: "DROP TRIGGER history_chain_append")
            defer { if let guardSQL = Schema.historyGuards.first(where: { $0.name == "history_chain_append" })?.sql { try? db.execute(sql: guardSQL) } }
            let open = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM service_case WHERE state = 'reported' ORDER BY id LIMIT 1"))
            let seq = try #require(try Int64.fetchOne(db, sql: "SELECT max(seq) FROM history WHERE case_id = ?", arguments: [open])) + 1
            try db.execute(sql: "INSERT INTO history(case_id, seq, at, action, from_state, to_state) VALUES (?, ?, ?, 'urge', 'reported', 'reported')",
                           arguments: [open, seq, future])
            try db.execute(sql: "UPDATE service_case SET last_event_at = ?, urge_count = urge_count + 1 WHERE id = ?", arguments: [future, open])
            let settled = try Int64.fetchAll(db, sql: """
                SELECT id FROM service_case WHERE state NOT IN ('reported','verifying','accepted') ORDER BY state = 'closed' DESC, id LIMIT 4
                """)
            try #require(settled.count == 4)
            let times = ["reported_at", "stage_started_at", "deadline", "warn_at", "filed_at", "dispatched_at", "handled_at", "closed_at",
                         "pending_at", "last_event_at"]
            var copies: [Int64] = []
            for (source, base) in zip(settled, [ancient, future, Int64.min, Int64.max]) {
                let id = 900_000 + source
                let shift = base == ancient ? "\(base) - (SELECT reported_at FROM service_case WHERE id = \(source)) + " : ""
                let set = times.map { "\($0) = CASE WHEN \($0) IS NULL THEN NULL ELSE \(shift.isEmpty ? String(base) : shift + $0) END" }
                try db.execute(sql: "CREATE TEMP TABLE poisoned AS SELECT * FROM service_case WHERE id = \(source)")
                try db.execute(sql: "UPDATE poisoned SET id = \(id), \(set.joined(separator: ", "))")
                try db.execute(sql: "INSERT INTO service_case SELECT * FROM poisoned; DROP TABLE poisoned")
                try db.execute(sql: """
                    INSERT INTO history(case_id, seq, at, actor_id, role, center_id, action, from_state, to_state, target, note, late)
                    SELECT \(id), seq, \(shift.isEmpty ? String(base) : shift + "at"), actor_id, role, center_id, action, from_state,
                           to_state, target, note, late
                    FROM history WHERE case_id = \(source)
                    """)
                copies.append(id)
            }
            return (open, copies)
        }
    }

    static func poisonedDemo() throws -> (db: String, open: Int64, copies: [Int64]) {
        let db = try CLI.demoCopy()
        let (open, copies) = try poison(try CityStore.open(path: db))
        return (db, open, copies)
    }

    @Test func statsBulletinsAndEvaluationSurviveAnyStoredTime() throws {
        let (db, open, copies) = try Self.poisonedDemo()
        let out = TestFolder.root.appendingPathComponent("citygrid-times-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        for arguments in [["stats"], ["stats", "--json"], ["stats", "--by", "department"], ["stats", "--rebuild"],
                          ["stats", "--from", "2026-11-01", "--to", "2026-12-01"], ["bulletin", "daily"], ["bulletin", "daily", "--md"],
                          ["bulletin", "monthly"], ["bulletin", "monthly", "--csv"], ["cases", "--json"], ["cases", "--overdue"],
                          ["case", "show", String(open)], ["overdue", "--as", "city-lead-1"], ["inbox", "--as", "city-lead-1"],
                          ["handover", "--as", "city-lead-1"], ["workload", "--as", "city-lead-1"], ["export", "cases", "--with-history", "--out", out]]
            + copies.map({ ["case", "show", String($0), "--json"] }) {
            let result = try CLI.run(arguments, db: db)
            #expect([0, 1, 2].contains(result.status), "\(arguments) exited \(result.status): \(result.stderr.suffix(600))")
            #expect(!result.stderr.contains("Fatal error"), "\(arguments): \(result.stderr.suffix(600))")
        }
    }

    @Test func theCaseUrgedAt9999TakesLaterActions() throws {
        let (db, open, _) = try Self.poisonedDemo()
        let urged = try CLI.run(["case", "urge", String(open), "--as", "city-lead-1", "--note", "again", "--json"], db: db)
        #expect(urged.status == 0, "\(urged.stderr)")
        #expect(urged.object["state"] as? String == "reported")
        #expect(try CLI.run(["case", "urge", String(open), "--as", "city-lead-1", "--at", "9999-12-31T23:59:59Z"], db: db).status == 2)
    }

    @Test func theConsoleEvaluationBoardSurvivesAnyStoredTime() throws {
        let store = try ConsoleFixture.store()
        _ = try Self.poison(store)
        for lang in [Language.en, .zh] {
            let engine = try ConsoleFixture.engine(as: "city-supervisor", lang: lang, store: store)
            engine.press("e")
            #expect(engine.state.queue.mode == .evaluation)
            #expect(engine.state.evaluation.report != nil, "\(engine.state.status?.text ?? "")")
            for grouping in EvaluationGrouping.allCases { engine.execute(.board(grouping)); _ = engine.render() }
            _ = engine.screen
        }
    }
}
