import Foundation
import GRDB
import Testing
@testable import Workflow

/// The stored rollups are an optimisation: whatever order actions and evaluations come in, the figures
/// equal a rebuild from the whole history.
@Suite struct EvaluationRollupTests {
    let t0 = TestCity.monday9
    static let period = EvaluationPeriod.month(containing: LocalDate(string: "2026-11-23")!)
    static let now = TestCity.at("2026-11-30T10:30:00+08:00")

    func snapshot(_ store: CityStore) throws -> [String: [String: EvaluationCounts]] {
        var result: [String: [String: EvaluationCounts]] = [:]
        for grouping in EvaluationGrouping.allCases {
            let report = try store.evaluation(EvaluationQuery(period: Self.period, grouping: grouping), at: Self.now)
            var rows: [String: EvaluationCounts] = ["TOTAL": report.total.counts]
            for row in report.rows { rows[row.key] = row.counts }
            result[grouping.rawValue] = rows
        }
        return result
    }

    func pending(_ store: CityStore) throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM eval_pending") ?? 0 }
    }

    @Test func newRowsAreQueuedAndCountedOnceTheirCaseIsSettled() throws {
        let city = try TestCity(model: .centralized)
        let first = try city.store.refreshEvaluation()
        #expect(first.rebuilt && first.casesCounted == 0)
        let c = try city.report(at: t0)
        #expect(try pending(city.store) == 1, "the trigger queues every new history row")
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        #expect(try city.store.refreshEvaluation().casesCounted == 0, "not yet filed: its rows wait")
        #expect(try pending(city.store) == 2)
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(10))
        #expect(try city.store.refreshEvaluation().casesCounted == 1)
        #expect(try pending(city.store) == 0)
        let stored = try city.store.read { db in
            try Int.fetchOne(db, sql: "SELECT sum(filed) FROM eval_rollup WHERE dim = 'district'") ?? 0
        }
        #expect(stored == 1)
        #expect(try city.store.refreshEvaluation().casesCounted == 0, "nothing new")
    }

    @Test(arguments: [ManagementModel.centralized, .oneMonitorTwoCommand])
    func incrementalFiguresEqualARebuildWhateverTheOrder(model: ManagementModel) throws {
        var rng = SeededGenerator(seed: model == .centralized ? 20261123 : 20261124)
        let city = try TestCity(model: model)
        var scripts = (0..<24).map { Self.script(for: $0, model: model, rng: &rng) }
        var cursor = Array(repeating: 0, count: scripts.count)
        var ids: [Int: Int64] = [:]
        var clock = t0
        var evaluations = 0
        while cursor.indices.contains(where: { cursor[$0] < scripts[$0].count }) {
            let open = cursor.indices.filter { cursor[$0] < scripts[$0].count }
            let i = open[Int.random(in: 0..<open.count, using: &rng)]
            clock = clock.after(Int.random(in: 1...25, using: &rng))
            try scripts[i][cursor[i]](city, &ids[i], clock)
            cursor[i] += 1
            if Int.random(in: 0..<8, using: &rng) == 0 {
                // Part-way through: an evaluation (refreshes, then counts what is queued on the fly).
                _ = try city.store.evaluation(EvaluationQuery(period: Self.period, grouping: .district), at: Self.now)
                evaluations += 1
            }
        }
        scripts.removeAll()
        #expect(evaluations > 3)
        let incremental = try snapshot(city.store)
        #expect(try city.store.refreshEvaluation(rebuild: true).rebuilt)
        let rebuilt = try snapshot(city.store)
        #expect(incremental.keys.sorted() == rebuilt.keys.sorted())
        for (grouping, rows) in rebuilt {
            for (key, counts) in rows {
                #expect(incremental[grouping]?[key] == counts, "\(grouping) \(key)")
            }
        }
        let total = try #require(rebuilt["city"]?["TOTAL"])
        #expect(total[.reports] >= 24 && total[.filed] > 5 && total[.closed] > 0)
        if model.hasDistrictCommand { #expect(total[.dispatched] > total[.dispatchedToDepartment], "city-to-district hops count as dispatches") }
    }

    @Test func withoutWritableRollupsTheFiguresAreTheSame() throws {
        // Rows queued but never added (a reader that cannot write) are counted on the fly.
        let city = try TestCity(model: .centralized)
        try city.store.refreshEvaluation()
        let c = try city.dispatchedCase()
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(60))
        let live = try city.store.read { db in try EvaluationRollups.evaluate(db, EvaluationQuery(period: Self.period, grouping: .district), now: Self.now) }
        #expect(try pending(city.store) == 5)
        let stored = try city.store.evaluation(EvaluationQuery(period: Self.period, grouping: .district), at: Self.now)
        #expect(try pending(city.store) == 0)
        #expect(live.rows.map(\.counts) == stored.rows.map(\.counts))
        #expect(live.total.counts[.handled] == 1)
    }

    @Test func aNewTimeZoneRebuildsTheRollups() throws {
        let city = try TestCity(model: .centralized)
        try city.store.refreshEvaluation()
        #expect(try city.store.refreshEvaluation().rebuilt == false)
        try city.store.write { db in try db.execute(sql: "UPDATE site SET value = 'Asia/Tokyo' WHERE key = 'timezone'") }
        #expect(try city.store.refreshEvaluation().rebuilt)
    }

    // MARK: Random case scripts

    typealias Step = (TestCity, inout Int64?, Date) throws -> Void

    /// A case's actions in order; which ones is random: public or inspector report, invalid or merged,
    /// returned, suspended and resumed, reworked, extended, escalated, cancelled part-way, urged.
    /// With district command centers the city dispatcher first passes the case to its district.
    static func script(for n: Int, model: ManagementModel, rng: inout SeededGenerator) -> [Step] {
        var steps: [Step] = []
        let cell = n % 3 == 0 ? TestCity.cellB : (n % 2 == 0 ? TestCity.cellA2 : TestCity.cellA)
        let inspector = cell == TestCity.cellB ? "insp-b" : "insp-a"
        let district = cell == TestCity.cellB ? "110102" : "110101"
        let publicReport = Bool.random(using: &rng)
        let categories = ["0102", "0104", "0501"]
        let category = categories[Int.random(in: 0..<categories.count, using: &rng)]
        let department = category == "0501" ? "ENFORCE" : "SANIT"
        let twoTier = model.hasDistrictCommand
        var holder = twoTier ? "\(district)-dispatcher" : "city-dispatcher"
        func act(_ action: CaseAction, as actor: String, to target: String? = nil, note: String? = nil, hours: Double? = nil) -> Step {
            { city, id, at in try city.act(action, id!, as: actor, to: target, note: note, hours: hours, at: at) }
        }
        steps.append { city, id, at in
            id = try city.report(by: publicReport ? "city-intake" : inspector, category: category, cell: cell,
                                 source: publicReport ? .hotline : nil, at: at).id
        }
        let fate = Int.random(in: 0..<(twoTier ? 11 : 10), using: &rng)
        if publicReport {
            steps.append(act(.verify, as: "city-intake", to: inspector))
            if fate == 0 { return steps + [act(.invalid, as: inspector, note: "nothing")] }
            steps.append(act(.confirm, as: inspector))
        } else {
            if fate == 0 {
                return steps + [{ city, id, at in
                    let other = try city.report(by: inspector, category: category, cell: cell, at: at)
                    try city.act(.merge, id!, as: "city-intake", to: String(other.id), at: at)
                }]
            }
            steps.append(act(.accept, as: "city-intake"))
        }
        if fate == 1 { return steps + [act(.reject, as: "city-lead", note: "not ours")] }
        steps.append { city, id, at in try city.act(.file, id!, as: try city.lead(.file, id!), at: at) }
        if twoTier { steps.append(act(.dispatch, as: "city-dispatcher", to: "\(district)-C")) }
        if fate == 2 { return steps + [act(.urge, as: "city-supervisor", note: "hurry")] }
        if fate == 3 {
            steps.append(act(.dispatch, as: holder, to: "ROADS"))
            steps.append(act(.requestReturn, as: "roads-\(district)", note: "not ours"))
            steps.append(act(.approve, as: holder))
        }
        steps.append(act(.dispatch, as: holder, to: department))
        if fate == 10 {
            steps.append(act(.escalate, as: holder, note: "beyond the district"))
            holder = "city-dispatcher"
            steps.append(act(.dispatch, as: holder, to: department))
        }
        let handler = "\(department.lowercased())-\(district)"
        if fate == 4 {
            steps.append(act(.requestSuspension, as: handler, note: "budget"))
            steps.append(act(.approve, as: holder))
            if Bool.random(using: &rng) { return steps + [act(.cancel, as: "city-lead", note: "dropped")] }
            steps.append(act(.resume, as: holder))
        }
        if fate == 5 {
            steps.append(act(.requestExtension, as: handler, note: "crew", hours: 2))
            steps.append(act(.approve, as: holder))
        }
        if fate == 6 { return steps + [act(.cancel, as: "city-lead", note: "wrongly filed")] }
        let rounds = fate == 7 ? 3 : (fate == 8 ? 2 : 1)
        for round in 0..<rounds {
            steps.append(act(.handle, as: handler))
            steps.append(act(.check, as: "city-intake", to: inspector))
            steps.append(act(round < rounds - 1 ? .fail : .pass, as: inspector))
        }
        if Int.random(in: 0..<4, using: &rng) == 0 { return steps }   // left checked, not yet closed
        steps.append { city, id, at in try city.act(.close, id!, as: try city.lead(.close, id!), at: at) }
        return steps
    }
}

/// A small deterministic generator (SplitMix64) so the random scripts are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
