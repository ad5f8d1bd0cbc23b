@testable import CityGridDemo
import Foundation
import PropertyBased
import Testing
@testable import Workflow

/// Random operators try random actions on random cases. Whatever they do, no case reaches an
/// impossible state, a refusal writes nothing, and every case's history replays to its current state.
@Suite struct LifecyclePropertyTests {

    @Test func randomActionSequencesKeepEveryInvariant() async throws {
        await propertyCheck(count: 60, input: Gen.int(in: 0...3), Gen.int(in: 0...1_000_000).array(of: 5...80)) { modelIndex, steps in
            try Self.play(model: ManagementModel.allCases[modelIndex], steps: steps)
        }
    }

    static func play(model: ManagementModel, steps: [Int]) throws {
        let city = try TestCity(model: model)
        var now = TestCity.monday9
        var ids: [Int64] = []
        ids.append(try city.report(at: now).id)
        ids.append(try city.report(by: "city-intake", source: .hotline, at: now.after(1)).id)
        ids.append(try city.report(by: "city-intake", category: "0406", cell: TestCity.cellB, source: .web, at: now.after(2)).id)
        now = now.after(3)
        let operators = try city.store.operators()
        let targets = operators.map(\.login) + ["SANIT", "STREET", "ROADS", "CITY-C", "110101-C", "110102-C", "NOPE"] + ids.map(String.init)

        for step in steps {
            var r = DemoRandom(seed: UInt64(step))
            let action = CaseAction.allCases[r.int(in: 0..<CaseAction.allCases.count)]
            // Mostly someone of the right role, so the loop moves; sometimes anyone at all.
            let fitting = operators.filter { action.roles.contains($0.role) }
            let actor = (!fitting.isEmpty && r.chance(0.8)) ? r.pick(fitting) : r.pick(operators)
            let id = r.pick(ids)
            now = now.after(r.int(in: 0...240))
            let request = ActionRequest(action: action, caseID: id, actor: actor.login, target: r.pick(targets),
                                        note: r.chance(0.7) ? "reason \(step)" : nil, hours: r.chance(0.8) ? Double(r.int(in: 1...48)) : nil)
            let before = try city.historyCount()
            do {
                try city.store.perform(request, at: now)
                #expect(try city.historyCount() >= before + 1)
            } catch is WorkflowError {
                #expect(try city.historyCount() == before, "a refused \(action.rawValue) wrote history")
            }
            if r.chance(0.05) { ids.append(try city.report(at: now).id) }
        }
        for id in ids { try checkInvariants(city.store.serviceCase(id), history: city.store.history(of: id)) }
    }

    static func checkInvariants(_ c: ServiceCase, history: [HistoryRecord]) throws {
        let entries = history.map(\.entry)
        #expect(entries.first?.action == "report" && entries.first?.to == .reported)
        for (previous, next) in zip(entries, entries.dropFirst()) {
            #expect(next.from == previous.to, "case \(c.id): \(next.action) starts from \(String(describing: next.from)) after \(previous.to)")
            #expect(next.at >= previous.at, "case \(c.id): history goes back in time")
        }
        #expect(entries.last?.to == c.state, "case \(c.id): history ends in \(String(describing: entries.last?.to)) but the case is \(c.state)")
        switch c.state {
        case .closed, .cancelled:
            #expect(c.deadline == nil && c.pending == nil && c.assigneeID == nil)
            if c.state == .closed { #expect(c.closeType != nil) }
        case .suspended:
            #expect(c.deadline == nil && c.frozenRemainingMinutes != nil && c.departmentCode != nil)
        default:
            #expect(c.deadline != nil && c.warnAt != nil, "case \(c.id) is \(c.state) with no clock")
            if let deadline = c.deadline, let warn = c.warnAt { #expect(warn <= deadline) }
        }
        #expect((c.state == .verifying || c.state == .checking) == (c.assigneeID != nil))
        if c.pending != nil { #expect(c.state == .dispatched) }
        if [.dispatched, .handled, .checking, .checked].contains(c.state) { #expect(c.departmentCode != nil && c.commandCenterID != nil) }
        if c.state == .filed { #expect(c.commandCenterID != nil) }
        if c.state.isBeforeFiling { #expect(c.commandCenterID == nil) }
        #expect(c.reworkCount == entries.filter { $0.action == "fail" }.count)
        #expect(c.urgeCount == entries.filter { $0.action == "urge" }.count)
        #expect(c.priority == (entries.last { $0.action == "prioritize" || $0.action == "deprioritize" }?.action == "prioritize"))
    }
}
