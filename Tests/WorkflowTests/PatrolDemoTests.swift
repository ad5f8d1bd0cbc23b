@testable import CityGridDemo
import Foundation
import Testing
@testable import Workflow

/// The demo's inspectors walk their areas (issue 17), and the map's "patrolled" measure reads the visits.
@Suite struct PatrolDemoTests {
    @Test func theSimulatorWalksTheLastIntervalOnceAndKeepsWalking() throws {
        let store = try DemoSimulatorTests.seeded(.oneMonitorTwoCommand)
        let now = DemoSimulatorTests.now
        var simulator = try DemoSimulator(store: store, seed: 5)
        let written = simulator.walkRecentPatrols(at: now)
        #expect(written > 0)
        #expect(simulator.walkRecentPatrols(at: now) == 0, "the interval has visits now: nothing written again")
        let coverage = try store.patrolCoverage(by: .patrolArea, hours: nil, at: now)
        #expect(coverage.total.visited > 0 && coverage.total.visited < coverage.total.cells, "most cells walked, a few areas neglected")
        #expect(try store.neglectedCells(within: nil, at: now, limit: 10).total == coverage.total.cells - coverage.total.visited)
        // Live ticks ping too.
        let before = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patrol_ping") ?? 0 }
        for tick in DemoSimulatorTests.ticks(20, from: now.addingTimeInterval(60)) { _ = simulator.tick(at: tick, excluding: nil) }
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM patrol_ping") ?? 0 } > before)
        // The map's measure marks exactly the visited cells.
        let measures = try store.cellMeasures(region: nil, at: now, dayStart: now.addingTimeInterval(-3600))
        let visits = try store.cellVisits(hours: 24, at: now)
        #expect(Set(measures.filter { $0.value.patrolled == 1 }.keys) == Set(visits.keys))
    }
}
