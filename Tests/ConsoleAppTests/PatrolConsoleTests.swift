import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The console's side of rosters (issue 17): the verify form preselects who is on duty, the board shows tasks of
/// inspectors off duty.
@Suite struct PatrolConsoleTests {
    @Test func theVerifyFormListsTheInspectorsOnDutyFirstAndChoosesTheFirst() throws {
        var s = try ConsoleFixture.engine(as: "city-intake-1", width: 100, height: 30).state
        let c = try #require(s.queue.entries.first { [.reported, .accepted].contains($0.serviceCase.state) }?.serviceCase)
        let inspectors = s.inspectors.filter { $0.patrolAreaID != nil }
        let home = try #require(inspectors.first), away = try #require(inspectors.last)
        #expect(home.patrolAreaID != away.patrolAreaID)
        _ = ConsoleUpdate.receive(.formData(.verify, c, patrolArea: home.patrolAreaID ?? "", workload: nil, bulk: nil, onDuty: [away.id]), &s)
        let field = try #require(s.form?.fields.first { $0.key == "to" })
        #expect(field.options.first?.value == away.login && field.selected == 0)
        #expect(field.options.contains { $0.value == home.login })
        // Without a roster the area's own inspectors only, as before.
        _ = ConsoleUpdate.receive(.formData(.verify, c, patrolArea: home.patrolAreaID ?? "", workload: nil, bulk: nil), &s)
        #expect(s.form?.fields.first { $0.key == "to" }?.options.allSatisfy { option in
            inspectors.first { $0.login == option.value }?.patrolAreaID == home.patrolAreaID } == true)
    }

    @Test func aTaskOfAnInspectorOffDutyJoinsTheShiftLeadsBoardMarked() throws {
        let store = try ConsoleFixture.store()
        let task = try #require(try store.cases(CaseQuery(states: [.verifying, .checking])).first { $0.assigneeID != nil })
        let inspectors = try store.operators().filter { $0.role == .inspector && $0.patrolAreaID != nil }
        let other = try #require(inspectors.first { $0.id != task.assigneeID })
        // Today's roster has someone else on duty: the task's inspector is off.
        _ = try store.importRoster(Roster.parse(csv: "2026-11-25,day,\(other.patrolAreaID ?? ""),\(other.login)\n"))
        let engine = try ConsoleFixture.engine(as: "city-lead-1", width: 120, height: 40, store: store)
        engine.state.queue.mode = .board
        engine.reload()
        let holder = engine.state.queue.boardInfo[task.id]?.responsible
        #expect(holder?.hasSuffix(" (off duty)") == true, "\(String(describing: holder))")
        #expect(engine.state.queue.boardRows.contains { $0.serviceCase.id == task.id })
    }
}
