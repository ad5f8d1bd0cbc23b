@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

@Suite struct DemoSimulatorTests {
    /// Wednesday 25 November 2026, 10:30 in Beijing: the end of the seeded history.
    static let now = TestCity.at("2026-11-25T10:30:00+08:00")

    static func seeded(_ model: ManagementModel, seed: UInt64 = 5) throws -> CityStore {
        let store = try CityStore.inMemory()
        _ = try DemoCity.seed(into: store, options: DemoOptions(model: model, seed: seed, days: 2, cases: 300, now: now))
        return store
    }

    /// Ticks a minute apart after the end of the history.
    static func ticks(_ count: Int, from start: Date = now) -> [Date] {
        (1...count).map { start.addingTimeInterval(Double($0 * 60)) }
    }

    /// Someone whose work the simulator would otherwise do often, a different role in each model.
    static func consoleOperator(_ model: ManagementModel) -> String {
        switch model {
        case .centralized: "sanit-110101"
        case .oneMonitorTwoCommand: "city-intake-1"
        case .twoMonitorOneCommand: "110101-dispatcher-1"
        case .twoMonitorTwoCommand: "110101-intake-1"
        }
    }

    static func historySince(_ store: CityStore, _ start: Date) throws -> [HistoryEntry] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT h.*, NULL AS actor_login, NULL AS actor_name FROM history h WHERE at > ? ORDER BY case_id, seq",
                             arguments: [start.storageSeconds]).map { try CityStore.historyRecord($0).entry }
        }
    }

    @Test(arguments: ManagementModel.allCases)
    func aSimulatedHourFilesReportsAndMovesCasesByTheRulesInEveryModel(model: ManagementModel) throws {
        let store = try Self.seeded(model)
        let human = try store.findOperator(Self.consoleOperator(model))
        var simulator = try DemoSimulator(store: store, seed: 5)
        #expect(simulator.usesDemoHotness)
        let times = Self.ticks(50)
        var events: [SimulatorEvent] = []
        for t in times { events += simulator.tick(at: t, excluding: human.id) }

        // New reports: real categories and cells, the seeder's sources, each filed by the right kind of reporter.
        let created = events.filter(\.isNewCase)
        #expect(created.count >= 20, "\(created.count) new cases in 50 ticks")
        let operators = Dictionary(uniqueKeysWithValues: try store.operators().map { ($0.id, $0) })
        var sources = Set<ReportSource>(), categories = Set<String>()
        var componentCases = 0, named = 0
        for event in created {
            guard case .reported(let source, let category, let cell) = event.change else { continue }
            let detail = try store.detail(event.caseID)
            let c = detail.serviceCase
            #expect(c.source == source && c.categoryKey == category && c.cellCode == cell)
            #expect(detail.category != nil, "case \(c.id) has a category of the site")
            #expect(times.contains(c.reportedAt), "reported at a tick")
            let report = try #require(detail.reports.first)
            switch source {
            case .inspector:
                let reporter = try #require(report.reporterID.flatMap { operators[$0] })
                #expect(reporter.role == .inspector)
                #expect(reporter.patrolAreaID == (try store.cellPlace(cell)).patrolAreaID, "the patrol area's own inspector")
            case .hotline, .leader:
                #expect(report.reporterID.flatMap { operators[$0] }?.role == .intake)
                #expect(report.reporterName?.hasPrefix("市民") == true && report.reporterPhone != nil)
            case .web, .app, .sensor:
                #expect(report.reporterID == nil)
            }
            if c.kind == .component {
                componentCases += 1
                if let component = c.componentID {
                    named += 1
                    let place = try store.read { db in
                        try String.fetchOne(db, sql: "SELECT cell_code || ' ' || category_code FROM component WHERE id = ?", arguments: [component])
                    }
                    #expect(place == "\(c.cellCode) \(c.categoryCode)", "component \(component) is of the class, in the cell")
                }
            }
            sources.insert(source)
            categories.insert(category.description)
        }
        #expect(sources.contains(.inspector) && sources.count >= 2)
        #expect(categories.count >= 5)
        // As in the seeded history, a component case names a real component unless its cell has none of the class.
        #expect(named * 2 >= componentCases, "\(named) of \(componentCases) component cases name a component")

        // Existing cases move, one step each, with a spread of actions.
        let moves = events.filter { !$0.isNewCase }
        #expect(moves.count >= 30, "\(moves.count) steps in 50 ticks")
        let actions = Set(moves.compactMap { if case .advanced(let action, _, _) = $0.change { action } else { nil } })
        #expect(actions.count >= 5, "actions: \(actions.map(\.rawValue).sorted())")
        #expect(moves.contains { event in
            guard event.caseID <= 300, case .advanced(_, let from, let to) = event.change else { return false }
            return from != to
        }, "cases from the seeded history move forward")

        // What the events say is exactly what was written: one history row per event, all at tick times. Besides them, a
        // closed public report opens its follow-up: a row of no operator's, on a case the simulator closed.
        let rows = try Self.historySince(store, Self.now)
        let written = rows.filter { $0.action != HistoryActionName.followUp }
        #expect(written.count == events.count)
        #expect(rows.filter { $0.action == HistoryActionName.followUp }.allSatisfy { row in
            row.actorID == nil && written.contains { $0.caseID == row.caseID && $0.action == CaseAction.close.rawValue }
        })
        #expect(written.filter { $0.action == "report" }.count == created.count)
        let tickSeconds = Set(times.map(\.storageSeconds))
        #expect(written.allSatisfy { tickSeconds.contains($0.at.storageSeconds) })
        #expect(!written.contains { $0.actorID == human.id }, "nothing is done as the operator at the console")
        #expect(!events.contains { $0.actor == human.login })

        for c in try store.cases(CaseQuery()) {
            try LifecyclePropertyTests.checkInvariants(c, history: store.history(of: c.id))
        }
    }

    @Test func theSameSeedGivesTheSameEvents() throws {
        let times = Self.ticks(30)
        func run(_ seed: UInt64) throws -> [SimulatorEvent] {
            let store = try Self.seeded(.twoMonitorTwoCommand)
            let human = try store.findOperator("city-dispatcher-1")
            var simulator = try DemoSimulator(store: store, seed: seed)
            return times.flatMap { simulator.tick(at: $0, excluding: human.id) }
        }
        let a = try run(5)
        #expect(!a.isEmpty)
        #expect(try run(5) == a)
        #expect(try run(6) != a)
    }

    @Test func casesWaitingOnTheConsoleOperatorAreMostlyLeftAlone() throws {
        // The same city twice: once with city-intake-1 at the console, once with nobody.
        let times = Self.ticks(50)
        func queueSteps(excluding login: String?) throws -> (queued: Int, total: Int) {
            let store = try Self.seeded(.oneMonitorTwoCommand)
            let intake = try store.findOperator("city-intake-1")
            let excluded = try login.map { try store.findOperator($0).id }
            var simulator = try DemoSimulator(store: store, seed: 5)
            var queued = 0, total = 0
            for t in times {
                let queue = Set(try store.needsAction(for: intake, at: t, limit: 100_000).map(\.id))
                for event in simulator.tick(at: t, excluding: excluded) where !event.isNewCase {
                    total += 1
                    if queue.contains(event.caseID) { queued += 1 }
                }
            }
            return (queued, total)
        }
        let atConsole = try queueSteps(excluding: "city-intake-1")
        let nobody = try queueSteps(excluding: nil)
        #expect(nobody.queued >= 15, "without a human, intake work is a good share of the steps: \(nobody)")
        #expect(atConsole.total >= 30)
        #expect(atConsole.queued <= 10 && atConsole.queued * 4 <= nobody.queued, "with city-intake-1 at the console: \(atConsole), without: \(nobody)")
    }

    @Test func aCaseChangedAfterTheTickIsLeftAlone() throws {
        let store = try Self.seeded(.centralized)
        var simulator = try DemoSimulator(store: store, seed: 5)
        // Ticks from before the end of the history: cases last changed later must not be touched.
        let early = Self.now.addingTimeInterval(-3 * 3600)
        var moved = 0
        for t in Self.ticks(20, from: early) {
            let before = Dictionary(uniqueKeysWithValues: try store.cases(CaseQuery(openOnly: true)).map { ($0.id, $0.lastEventAt) })
            for event in simulator.tick(at: t, excluding: nil) where !event.isNewCase {
                moved += 1
                #expect(before[event.caseID].map { $0 <= t } == true, "case \(event.caseID) changed after \(t)")
            }
        }
        #expect(moved > 0)
        for c in try store.cases(CaseQuery()) {
            try LifecyclePropertyTests.checkInvariants(c, history: store.history(of: c.id))
        }
    }

    @Test func aSiteThatIsNotTheDemoCityWeighsItsCellsAlike() throws {
        let city = try TestCity(model: .twoMonitorOneCommand)
        var simulator = try DemoSimulator(store: city.store, seed: 1)
        #expect(!simulator.usesDemoHotness)
        var events: [SimulatorEvent] = []
        for t in Self.ticks(40, from: TestCity.monday9) { events += simulator.tick(at: t, excluding: nil) }
        let created = events.filter(\.isNewCase)
        #expect(created.count >= 10)
        #expect(Set(try city.store.cases(CaseQuery()).map(\.districtCode)) == ["110101", "110102"])
        #expect(events.contains { !$0.isNewCase })
        for c in try city.store.cases(CaseQuery()) {
            try LifecyclePropertyTests.checkInvariants(c, history: city.store.history(of: c.id))
        }
    }

    /// Issue 15: the simulator takes what an action needs from the action table, so the store never refuses its
    /// arguments (a missing or wrong-kind target, hours outside the range, a missing note) in any model.
    @Test(arguments: ManagementModel.allCases)
    func theStoreNeverRefusesTheSimulatorsArguments(model: ManagementModel) throws {
        let store = try Self.seeded(model)
        var simulator = try DemoSimulator(store: store, seed: 5)
        var steps = 0
        for t in Self.ticks(120) { steps += simulator.tick(at: t, excluding: nil).filter { !$0.isNewCase }.count }
        #expect(steps >= 60)
        #expect(simulator.argumentRefusals.isEmpty, "\(simulator.argumentRefusals.map(\.text))")
    }

    /// Every action of the table, from every state it starts from: the arguments the simulator would hand in are the
    /// ones the table asks for, and the store's argument checks (target by kind, hours, note rule) accept them.
    @Test func theSimulatorsArgumentsFitEveryActionOfTheTable() throws {
        let store = try Self.seeded(.twoMonitorTwoCommand)
        var simulator = try DemoSimulator(store: store, seed: 5)
        let context = try store.context()
        let open = try store.cases(CaseQuery(openOnly: true))
        let actor = try #require(try store.operators().first)
        // A case whose cell an inspector walks, and another case for a merge to keep.
        let base = try #require(try open.first { try store.cellPlace($0.cellCode).patrolAreaID != nil })
        let other = try #require(open.first { $0.id != base.id })
        for action in CaseAction.allCases {
            let spec = action.spec
            for state in spec.from?.states ?? [.dispatched, .filed] {
                var c = base
                c.state = state
                c.pending = action == .refuse ? PendingRequest(kind: .return, hours: nil, note: "", requestedBy: actor.id, requestedAt: Self.now) : nil
                let step = DemoSimulator.Step(action: action, actor: actor, survivor: other.id)
                let built = simulator.arguments(for: step, of: c)
                let arguments = try #require(built, "\(action.rawValue) from \(state.rawValue)")
                let label = "\(action.rawValue) from \(state.rawValue): \(arguments)"
                #expect(spec.target.isTaken || arguments.target == nil, "\(label)")
                #expect(!spec.target.isRequired || arguments.target != nil, "\(label)")
                if let range = spec.hours {
                    #expect(arguments.hours.map(range.contains) == true, "\(label)")
                } else {
                    #expect(arguments.hours == nil, "\(label)")
                }
                #expect(!spec.note.required || arguments.note?.isBlank == false, "\(label)")
                // The store's own checks of the arguments: the target resolved by its kind, the hours, the note rule.
                let request = ActionRequest(action: action, caseID: c.id, actor: actor.login, target: arguments.target,
                                            note: arguments.note, hours: arguments.hours)
                do {
                    let command = try store.read { db in try CityStore.resolve(db, request, case: c, context: context) }
                    #expect(command.action == action, "\(label)")
                    try Lifecycle.checkNote(arguments.note, of: action)
                } catch {
                    Issue.record("\(label): \(error)")
                }
            }
        }
    }

    @Test func theCityIsBusierOnAWeekdayMorningThanAtNightOrOnSunday() throws {
        let city = try TestCity()
        let simulator = try DemoSimulator(store: city.store, seed: 1)
        let morning = simulator.activity(at: TestCity.at("2026-11-25T10:00:00+08:00"))
        let night = simulator.activity(at: TestCity.at("2026-11-25T03:00:00+08:00"))
        let sunday = simulator.activity(at: TestCity.at("2026-11-29T10:00:00+08:00"))
        #expect(morning > 1.5 && night < 0.5 && sunday < morning)
    }
}
