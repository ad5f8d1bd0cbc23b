@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

/// Issue 13, defect 2: whatever time a database holds (written before the time window existed, or by hand), every
/// view survives it: evaluation, both bulletins, the overdue board and later actions give figures or a clear
/// error, never a trap in `LocalDate(dayNumber:)` (exit 132).
@Suite struct AbsurdStoredTimesTests {
    static let now = TestCity.at("2026-11-25T10:30:00+08:00")

    /// Year −100000 (an import's `reported_at`), 9999-12-31T23:59:59Z (`case urge --at`), and the extremes of Int64.
    static let ancient: Int64 = -3_217_862_419_200
    static let future: Int64 = 253_402_300_799

    /// Writes straight into the database what the unfixed CLI let through: an open case urged "at" 9999-12-31, and
    /// settled cases copied with every time moved to year −100000, 9999-12-31, Int64.min and Int64.max.
    /// Returns the id of the urged open case.
    @discardableResult
    static func poison(_ store: CityStore) throws -> Int64 {
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
            let settled = try Int64.fetchAll(db, sql: "SELECT id FROM service_case WHERE state = 'closed' ORDER BY id LIMIT 4")
            try #require(settled.count == 4)
            let times = ["reported_at", "stage_started_at", "deadline", "warn_at", "filed_at", "dispatched_at", "handled_at", "closed_at",
                         "pending_at", "last_event_at"]
            for (source, base) in zip(settled, [ancient, future, Int64.min, Int64.max]) {
                let id = 900_000 + source
                // Keep the case's own spans where they fit in Int64 (year −100000), else every time is the extreme itself.
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
            }
            return open
        }
    }

    static func seeded() throws -> CityStore {
        let store = try CityStore.inMemory()
        _ = try DemoCity.seed(into: store, options: DemoOptions(model: .oneMonitorTwoCommand, seed: 5, days: 3, cases: 300, now: now))
        return store
    }

    @Test func everyViewSurvivesAnyStoredTime() throws {
        let store = try Self.seeded()
        try Self.poison(store)
        let today = LocalDate(string: "2026-11-25")!
        for grouping in EvaluationGrouping.allCases {
            for period in [EvaluationPeriod.day(today), .month(containing: today)] {
                #expect(throws: Never.self, "\(grouping) \(period)") {
                    _ = try store.evaluation(EvaluationQuery(period: period, grouping: grouping), at: Self.now)
                }
            }
        }
        try store.refreshEvaluation(rebuild: true)
        let daily = try store.dailyBulletin(date: today, at: Self.now)
        #expect(daily.date == today)
        _ = try store.monthlyBulletin(period: .month(containing: today), at: Self.now)
        let supervisor = try store.findOperator("city-supervisor")
        _ = try store.overdueBoard(for: supervisor, at: Self.now)
        _ = try store.handlingTimes(at: Self.now)
    }

    @Test func aCaseUrgedAt9999TakesLaterActions() throws {
        let store = try Self.seeded()
        let open = try Self.poison(store)
        let urged = try store.perform(ActionRequest(action: .urge, caseID: open, actor: "city-lead-1", note: "again"), at: Self.now)
        #expect(urged.lastEventAt == Self.now)
        #expect(urged.urgeCount >= 2)
    }

    @Test func aPlausibleLaterTimeStillRefusesABackdatedActionClearly() throws {
        let city = try TestCity()
        let made = try city.report()
        do {
            _ = try city.act(.urge, made.id, as: city.leadA, note: "again", at: made.reportedAt.addingTimeInterval(-3600))
            Issue.record("a backdated action was accepted")
        } catch {
            #expect("\(error)".contains("last changed at \(InstantFormat(timeZone: TestCity.zone).string(made.reportedAt))"))
        }
    }

    @Test func localDateSaturatesInsteadOfTrapping() {
        #expect(LocalDate(dayNumber: .min) == LocalDate(string: "0001-01-01"))
        #expect(LocalDate(dayNumber: .max) == LocalDate(string: "9999-12-31"))
        #expect(LocalDate(exactDayNumber: 2_932_897) == nil && LocalDate(exactDayNumber: -719_163) == nil)
        #expect(LocalDate(exactDayNumber: 2_932_896) == LocalDate(string: "9999-12-31"))
        #expect(LocalDate(exactDayNumber: -719_162) == LocalDate(string: "0001-01-01"))
        #expect(LocalDate(string: "9999-12-31")!.adding(days: .max) == LocalDate(string: "9999-12-31"))
        let calendar = WorkingCalendar(timeZone: TestCity.zone, weekly: .standard)
        for seconds in [Double(Int64.min), Double(Int64.max), -.greatestFiniteMagnitude, .infinity, .nan, Double(Self.ancient), Double(Self.future)] {
            let date = Date(timeIntervalSince1970: seconds)
            _ = calendar.localDate(of: date)
            #expect((0..<1440).contains(calendar.minuteOfDay(of: date)))
            _ = calendar.isWorkingTime(date)
        }
    }
}
