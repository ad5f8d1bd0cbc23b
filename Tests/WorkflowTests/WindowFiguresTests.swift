@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

/// A window heatmap's per-cell figures (`windowFigures`) are the full evaluation's, for every indicator and window,
/// before and after new writes, and with rows still queued.
@Suite struct WindowFiguresTests {
    /// Wednesday 25 November 2026, 10:30 in Beijing: the end of the seeded history.
    static let now = TestCity.at("2026-11-25T10:30:00+08:00")
    static let today = LocalDate(year: 2026, month: 11, day: 25)!

    static func periods() throws -> [EvaluationPeriod] {
        var periods: [EvaluationPeriod] = []
        for window in HeatmapWindow.allCases {
            for back in 0...1 { periods.append(try window.period(endingOn: today, back: back)) }
        }
        return periods
    }

    /// Every indicator over `periods`, for the whole city and inside a district: each cell's value equals the
    /// evaluation's, and so do the counts the value is made of. Returns how many cells had a value.
    @discardableResult
    static func compare(_ store: CityStore, at now: Date, periods: [EvaluationPeriod], refresh: Bool = true,
                        read: (Indicator, EvaluationPeriod, String?) throws -> [String: IndicatorInputs]) throws -> Int {
        let district = try #require(try store.read { db in try String.fetchOne(db, sql: "SELECT min(code) FROM region WHERE level = 'district'") })
        var valued = 0
        for within in [nil, district] {
            for period in periods {
                let query = EvaluationQuery(period: period, grouping: .cell, within: within, stageTimes: false)
                let report = refresh ? try store.evaluation(query, at: now)
                    : try store.read { db in try EvaluationRollups.evaluate(db, query, now: now) }
                for indicator in Indicator.allCases {
                    let figures = try read(indicator, period, within)
                    #expect(Set(figures.keys) == Set(report.rows.map(\.key)), "\(indicator) \(period) \(within ?? "city")")
                    for row in report.rows {
                        let cell = try #require(figures[row.key], "\(row.key)")
                        #expect(cell.value(indicator) == row.value(indicator), "\(indicator) \(period) \(row.key)")
                        for counter in indicator.counters {
                            #expect(cell.counts[counter] == row.counts[counter], "\(indicator) \(counter) \(period) \(row.key)")
                        }
                        if row.value(indicator) != nil { valued += 1 }
                    }
                }
            }
        }
        return valued
    }

    @Test func cellFiguresEqualTheEvaluationForEveryIndicatorAndWindowAfterNewWrites() throws {
        let store = try CityStore.inMemory()
        _ = try DemoCity.seed(into: store, options: DemoOptions(seed: 11, days: 40, cases: 1500, now: Self.now))
        let periods = try Self.periods()
        let valued = try Self.compare(store, at: Self.now, periods: periods) { indicator, period, within in
            try store.windowFigures(indicator, period: period, within: within, at: Self.now)
        }
        #expect(valued > 1000, "\(valued) cell values compared")
        // The same through a cache of days: every day of the windows is read once.
        let cache = WindowFigureCache()
        try Self.compare(store, at: Self.now, periods: periods) { indicator, period, within in
            try store.windowFigures(indicator, period: period, within: within, at: Self.now, cache: cache)
        }
        let windowDays = Set(periods.flatMap { $0.from.dayNumber..<$0.to.dayNumber }).count
        #expect(cache.daysRead == windowDays)

        let filedToday = try Self.filed(store, periods[0], at: Self.now)
        // New writes: the simulator reports, files, dispatches, handles and closes; the figures follow.
        var simulator = try DemoSimulator(store: store, seed: 3)
        var clock = Self.now
        var events = 0
        for _ in 0..<90 {
            clock = clock.addingTimeInterval(60)
            events += simulator.tick(at: clock, excluding: nil).count
        }
        #expect(events > 50)
        let pending = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM eval_pending") ?? 0 }
        #expect(pending > 0, "the writes are queued, not yet in the rollups")
        // Read as a reader that cannot refresh: the queued rows are counted on the fly.
        try Self.compare(store, at: clock, periods: periods, refresh: false) { indicator, period, within in
            try store.read { db in try EvaluationRollups.cellFigures(db, indicator, period: period, within: within, now: clock) }
        }
        // And as the console reads: refreshing first.
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM eval_pending") ?? 0 } == pending)
        try Self.compare(store, at: clock, periods: periods) { indicator, period, within in
            try store.windowFigures(indicator, period: period, within: within, at: clock)
        }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM eval_pending") ?? 0 } < pending, "refreshed")
        // The cache follows the writes, reading again only the days the refresh changed.
        let read = cache.daysRead
        try Self.compare(store, at: clock, periods: periods) { indicator, period, within in
            try store.windowFigures(indicator, period: period, within: within, at: clock, cache: cache)
        }
        let changed = cache.daysRead - read
        #expect(changed >= 1 && changed < windowDays, "\(changed) of \(windowDays) days read again")
        // A rebuild changes every day.
        try store.refreshEvaluation(rebuild: true)
        try Self.compare(store, at: clock, periods: periods) { indicator, period, within in
            try store.windowFigures(indicator, period: period, within: within, at: clock, cache: cache)
        }
        let allDays = Set(periods.flatMap { $0.from.dayNumber..<$0.to.dayNumber })
        let stamped = try store.read { db in try Int.fetchAll(db, sql: "SELECT day FROM eval_day_stamp") }.filter(allDays.contains).count
        #expect(stamped > 30 && cache.daysRead - read - changed == stamped, "days with rollups are read again")
        #expect(try Self.filed(store, periods[0], at: clock) > filedToday, "today's new filings are on the map")
    }

    static func filed(_ store: CityStore, _ period: EvaluationPeriod, at now: Date) throws -> Int64 {
        try store.windowFigures(.casesFiled, period: period, at: now).values.map { $0.counts[.filed] }.reduce(0, +)
    }

    @Test func aBadRegionLimitIsRefused() throws {
        let store = try CityStore.inMemory()
        _ = try DemoCity.seed(into: store, options: DemoOptions(seed: 2, days: 2, cases: 50, now: Self.now))
        let period = EvaluationPeriod.day(Self.today)
        #expect(throws: WorkflowError.self) { try store.windowFigures(.casesFiled, period: period, within: "abc", at: Self.now) }
        #expect(throws: WorkflowError.self) { try store.windowFigures(.casesFiled, period: period, within: "999999", at: Self.now) }
    }
}

extension WindowFiguresTests {
    /// The map's category measure: a category's reports per cell in the window, hand-counted, read from the covering
    /// index alone (the plan names it), in a region or the whole city.
    @Test func categoryCountsAreHandCountedFromTheCoveringIndex() throws {
        let city = try TestCity()
        let t0 = TestCity.monday9
        try city.report(category: "0102", cell: TestCity.cellA, at: t0)
        try city.report(category: "0102", cell: TestCity.cellA, at: t0.after(60))
        try city.report(category: "0102", cell: TestCity.cellA2, at: t0.after(120))
        try city.report(by: "insp-b", category: "0102", cell: TestCity.cellB, at: t0.after(180))
        try city.report(category: "0103", kind: .component, cell: TestCity.cellA, at: t0.after(30))   // another category
        try city.report(category: "0102", cell: TestCity.cellA, at: t0.after(60 * 24 * 3))  // after the window
        let key = CategoryKey(kind: .event, code: "0102")
        let end = t0.after(60 * 24)
        #expect(try city.store.categoryCounts(key, from: t0, to: end, region: nil) == [TestCity.cellA: 2, TestCity.cellA2: 1, TestCity.cellB: 1])
        #expect(try city.store.categoryCounts(key, from: t0, to: end, region: "110101") == [TestCity.cellA: 2, TestCity.cellA2: 1])
        #expect(try city.store.categoryCounts(key, from: t0.after(1), to: end, region: nil)[TestCity.cellA] == 1, "from is included, to is not")
        let plan = try city.store.read { db in
            let (sql, arguments) = try CityStore.categoryCountsQuery(db, key, from: t0, to: end, region: "110101")
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("COVERING INDEX case_category_reported") }, "\(plan)")
    }
}
