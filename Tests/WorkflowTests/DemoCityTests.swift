@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

@Suite struct DemoCityTests {
    static let now = TestCity.at("2026-11-25T10:30:00+08:00")

    static func seeded(_ model: ManagementModel, cases: Int, seed: UInt64 = 3) throws -> (CityStore, DemoSummary) {
        let store = try CityStore.inMemory()
        let summary = try DemoCity.seed(into: store, options: DemoOptions(model: model, seed: seed, days: 5, cases: cases, now: now))
        return (store, summary)
    }

    @Test(arguments: ManagementModel.allCases)
    func everyModelIsStaffedAndItsHistoryObeysTheRules(model: ManagementModel) throws {
        let (store, summary) = try Self.seeded(model, cases: 600)
        #expect(summary.cells == 3193 && summary.components >= 100_000)
        #expect(summary.cases == 600)
        let operators = try store.operators()
        // Every center of the model has its people (a command center its shift lead, who files or closes where the
        // settings say; the city monitoring center its own inspectors in every model); every patrol area its inspector,
        // and with two tiers of monitoring one a district for the city center besides.
        for center in try store.centers() {
            let staff = operators.filter { $0.centerID == center.id }
            let roles = Set(staff.map(\.role))
            if center.kind == .command { #expect(roles.isSuperset(of: [.dispatcher, .shiftLead]), "\(center.id)") }
            if center.kind == .monitoring { #expect(roles.isSuperset(of: [.intake, .shiftLead, .inspector]), "\(center.id)") }
        }
        #expect(operators.filter { $0.role == .inspector }.count == summary.patrolAreas + (model.hasDistrictMonitoring ? summary.districts : 0))
        // Every filing and closing in the history is by a shift lead of the kind of center the model's default names.
        let rules = try store.settings().rules
        let kinds = Dictionary(uniqueKeysWithValues: try store.centers().map { ($0.id, $0.kind) })
        let (filings, closings) = try store.read { db in
            (try Row.fetchAll(db, sql: "SELECT DISTINCT center_id, role FROM history WHERE action = 'file'"),
             try Row.fetchAll(db, sql: "SELECT DISTINCT center_id, role FROM history WHERE action = 'close'"))
        }
        #expect(!filings.isEmpty && !closings.isEmpty)
        for (rows, kind) in [(filings, rules.filingCenter), (closings, rules.closingCenter)] {
            for row in rows {
                let center: String? = row["center_id"], role: String? = row["role"]
                #expect(kinds[center ?? ""] == kind && role == Role.shiftLead.rawValue, "\(model): \(row)")
            }
        }
        let problems = try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count }
        #expect(problems == 0, "foreign keys hold")
        // Component cases name components of their class in their cell (ids are drawn before the rows are written).
        let (named, matching) = try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE component_id IS NOT NULL") ?? 0,
             try Int.fetchOne(db, sql: """
                SELECT count(*) FROM service_case c JOIN component p ON p.id = c.component_id
                WHERE p.cell_code = c.cell_code AND p.category_code = c.category_code AND c.kind = 'component'
                """) ?? 0)
        }
        #expect(named > 0 && matching == named)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM component") } == summary.components)
        // The load skips CHECK evaluation; integrity_check evaluates every CHECK and NOT NULL again.
        let integrity = try store.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
        // And after the load the database enforces them again.
        #expect(throws: DatabaseError.self) {
            try store.writer.write { db in try db.execute(sql: "UPDATE service_case SET state = 'lost' WHERE id = 1") }
        }
        for c in try store.cases(CaseQuery()) {
            try LifecyclePropertyTests.checkInvariants(c, history: store.history(of: c.id))
        }
    }

    /// With two tiers of monitoring the city monitoring center takes reports in itself: its own inspectors' and calls
    /// to its intake, which its intake accepts; the districts' centers take the rest.
    @Test(arguments: [ManagementModel.twoMonitorOneCommand, .twoMonitorTwoCommand])
    func theCityMonitoringCenterHasItsOwnInspectorsAndIntake(model: ManagementModel) throws {
        let (store, _) = try Self.seeded(model, cases: 1500)
        let operators = Dictionary(uniqueKeysWithValues: try store.operators().map { ($0.id, $0) })
        let all = try store.cases(CaseQuery())
        let city = all.filter { $0.monitorCenterID == "CITY-M" }
        #expect(city.count > 20 && city.count < all.count / 2, "\(city.count) of \(all.count)")
        var reporters = Set<Role>()
        for c in city {
            let history = try store.history(of: c.id)
            let report = try #require(history.first?.entry)
            if let id = report.actorID, let reporter = operators[id] {
                #expect(reporter.centerID == "CITY-M", "case \(c.id) reported by \(reporter.login)")
                reporters.insert(reporter.role)
            }
            for entry in history.map(\.entry) where entry.action == "accept" || entry.action == "verify" {
                #expect(entry.centerID == "CITY-M" && entry.role == .intake, "case \(c.id): \(entry.action) by \(entry.centerID ?? "-")")
            }
        }
        #expect(reporters == [.inspector, .intake])
    }

    @Test func theHistoryLooksLikeACitysMonth() throws {
        let (store, _) = try Self.seeded(.oneMonitorTwoCommand, cases: 3000)
        let all = try store.cases(CaseQuery())
        let open = all.filter(\.state.isOpen)
        let closed = all.filter { $0.state == .closed }
        #expect(open.count > 30, "live work at the end of the history")
        #expect(open.contains { $0.isOverdue(at: Self.now) })
        #expect(open.contains { $0.dueState(at: Self.now) == .green })
        #expect(closed.count > all.count / 2)
        let overdueShare = Double(closed.filter { $0.closeType == .overdue }.count) / Double(closed.count)
        #expect(overdueShare > 0.03 && overdueShare < 0.35)
        #expect(all.contains { $0.reworkCount > 0 } && all.contains { $0.returnCount > 0 })
        #expect(all.contains { $0.state == .suspended } && all.contains(where: \.escalated))
        #expect(Set(all.map(\.source)).count >= 5)
        // Hotspots: the busiest cells carry far more than their share.
        var perCell: [String: Int] = [:]
        for c in all { perCell[c.cellCode, default: 0] += 1 }
        let top = perCell.values.sorted(by: >).prefix(30).reduce(0, +)
        #expect(Double(top) / Double(all.count) > 30.0 / 3193 * 4)
        #expect(all.allSatisfy { $0.reportedAt <= Self.now && $0.lastEventAt <= Self.now })
    }

    /// The demo has follow-ups (回访): the last days' closes with a reporter's phone have theirs, opened at the close by the
    /// store's rule; most are recorded, reached or not and with satisfaction, some still wait; and the satisfaction
    /// rate of the evaluation is the table's, hand-counted.
    @Test func theDemoCityHasFollowUpsOpenAndRecordedWithSatisfaction() throws {
        let (store, _) = try Self.seeded(.twoMonitorTwoCommand, cases: 600)
        // What a demo does as it starts: the bulk history has no follow-ups.
        let simulator = try DemoSimulator(store: store, seed: 3)
        let opened = simulator.followUpRecentCloses(at: Self.now)
        #expect(simulator.followUpRecentCloses(at: Self.now) == 0, "every recent close has its follow-ups now: nothing opened again")
        let summary = (followUps: opened, followUpsRecorded: try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM followup WHERE recorded_at IS NOT NULL") ?? 0 })
        #expect(summary.followUps > 0 && summary.followUpsRecorded > 0 && summary.followUpsRecorded < summary.followUps, "\(summary)")
        let counts = try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT count(*) AS tasks, count(recorded_at) AS recorded, sum(reached = 1) AS reached,
                       sum(satisfaction IN ('satisfied', 'basically-satisfied')) AS satisfied,
                       sum(flag = 'flagged') AS flagged,
                       (SELECT count(*) FROM followup f JOIN service_case c ON c.id = f.case_id
                        WHERE f.created_at <> c.closed_at) AS misplaced
                FROM followup
                """)!
        }
        #expect(counts["tasks"] as Int == summary.followUps && counts["recorded"] as Int == summary.followUpsRecorded)
        #expect((counts["misplaced"] as Int) == 0, "each task opened at its case's close")
        let reached: Int = counts["reached"], satisfied: Int = counts["satisfied"]
        #expect(reached > 0 && satisfied > 0 && satisfied <= reached)
        // Recorded by intake operators of each case's own monitoring center (district centers in this model).
        let recorders = try store.read { db in try String.fetchAll(db, sql: """
            SELECT DISTINCT o.login FROM followup f JOIN operator o ON o.id = f.recorded_by
            """) }
        #expect(!recorders.isEmpty && recorders.allSatisfy { $0.contains("-intake-") })
        let report = try store.evaluation(EvaluationQuery(period: try EvaluationPeriod(from: LocalDate(string: "2026-11-01")!,
                                                                                        to: LocalDate(string: "2026-11-26")!),
                                                          grouping: .city), at: Self.now)
        #expect(report.total.value(.satisfactionRate) == Double(satisfied) * 100 / Double(reached))
        #expect(report.total.value(.followUpRate) == Double(summary.followUpsRecorded) * 100 / Double(summary.followUps))
    }

    @Test func theSameSeedBuildsTheSameCity() throws {
        let (a, _) = try Self.seeded(.twoMonitorTwoCommand, cases: 500, seed: 9)
        let (b, _) = try Self.seeded(.twoMonitorTwoCommand, cases: 500, seed: 9)
        #expect(try a.cases(CaseQuery()) == b.cases(CaseQuery()))
        #expect(try a.operators() == b.operators())
        let (c, _) = try Self.seeded(.twoMonitorTwoCommand, cases: 500, seed: 10)
        #expect(try a.cases(CaseQuery()) != c.cases(CaseQuery()))
    }

    @Test func positionsFromOutsideMapToTheNearestCell() throws {
        let (store, _) = try Self.seeded(.centralized, cases: 0)
        let cell = try #require(try store.cells(inRegion: "110101").first)
        let found = try store.cell(nearLatitude: cell.lat + 0.0001, longitude: cell.lon - 0.0001)
        #expect(found?.code == cell.code)
        #expect(try store.cell(nearLatitude: 31.2, longitude: 121.5) == nil, "Shanghai is not in the demo city")
        #expect(throws: WorkflowError.self) { try store.cell(nearLatitude: 95, longitude: 0) }
    }
}
