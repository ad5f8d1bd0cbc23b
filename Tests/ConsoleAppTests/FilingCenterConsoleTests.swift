import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 18: the console's actions menu and its queue follow the site's settings of who files and closes.
@Suite struct FilingCenterConsoleTests {
    @Test func theActionsMenuAndTheQueueFollowWhoFilesAndCloses() throws {
        let store = try ConsoleFixture.store()   // one-monitor-two-command: the monitoring center files and closes
        let monitoringLead = try ConsoleFixture.engine(as: "city-lead-1", store: store)
        #expect(monitoringLead.state.siteRules == CaseRules(model: .oneMonitorTwoCommand))
        let c = try #require(monitoringLead.state.queue.entries.map(\.serviceCase).first { $0.state == .accepted })
        // The lead's first cases wait on them: filing is in the menu.
        monitoringLead.state.queue.selected = try #require(monitoringLead.state.queue.entries.firstIndex { $0.serviceCase.id == c.id })
        monitoringLead.press("x")
        guard case .actions(_, let before, _) = monitoringLead.state.overlay else { Issue.record("no actions menu"); return }
        #expect(before.contains(.file))

        try store.setCaseRules(filing: .command, closing: .command, by: "admin", at: ConsoleFixture.now)
        // The city command center's shift lead now has the case in the queue, and filing in the menu.
        let commandLead = try ConsoleFixture.engine(as: "city-command-lead-1", store: store)
        #expect(commandLead.state.siteRules.filingCenter == .command)
        let index = try #require(commandLead.state.queue.entries.firstIndex { $0.serviceCase.id == c.id })
        commandLead.state.queue.selected = index
        commandLead.press("x")
        guard case .actions(let id, let after, _) = commandLead.state.overlay else { Issue.record("no actions menu"); return }
        #expect(id == c.id && after == [.file])
        #expect(after == Lifecycle.availableActions(on: c, by: commandLead.state.viewer, rules: commandLead.state.siteRules))
        // The monitoring center's lead no longer has filing to do: the case leaves their needs-action part of the queue,
        // and filing leaves the menu.
        let again = try ConsoleFixture.engine(as: "city-lead-1", store: store)
        #expect(!Lifecycle.availableActions(on: c, by: again.state.viewer, rules: again.state.siteRules).contains(.file))
        #expect(try !store.needsActionIDs(for: again.state.viewer, at: ConsoleFixture.now).ids.contains(c.id))
        #expect(try store.needsActionIDs(for: commandLead.state.viewer, at: ConsoleFixture.now).ids.contains(c.id))
    }

    /// The keys a shift lead is offered (the help overlay's case actions, the footer's hints) follow the settings too:
    /// filing and closing where the settings put them, the monitoring center's other actions only in a monitoring center.
    @Test func theOfferedKeysFollowWhoFilesAndCloses() throws {
        let store = try ConsoleFixture.store()
        func offered(_ login: String) throws -> (keys: Set<CaseAction>, help: [String]) {
            let engine = try ConsoleFixture.engine(as: login, store: store)
            let keys = Set(CaseAction.allCases.filter { RoleKeys.allows(.caseAction($0), engine.state) })
            return (keys, HelpContent.entries(engine.state).map(\.text))
        }
        // By the model (one-monitor-two-command): the monitoring center's shift lead files and closes.
        let before = try offered("city-lead-1")
        #expect(before.keys.isSuperset(of: [.file, .close, .reject, .urge]))
        #expect(before.help.contains { $0.hasPrefix("  F ") } && before.help.contains { $0.hasPrefix("  L ") })
        #expect(try offered("city-command-lead-1").keys.isEmpty)

        try store.setCaseRules(filing: .command, closing: .command, by: "admin", at: ConsoleFixture.now)
        let monitoring = try offered("city-lead-1"), command = try offered("city-command-lead-1")
        #expect(!monitoring.keys.contains(.file) && !monitoring.keys.contains(.close) && monitoring.keys.isSuperset(of: [.reject, .urge]))
        #expect(!monitoring.help.contains { $0.hasPrefix("  F ") } && !monitoring.help.contains { $0.hasPrefix("  L ") })
        #expect(command.keys == [.file, .close])
        #expect(command.help.contains { $0.hasPrefix("  F ") } && command.help.contains { $0.hasPrefix("  L ") }
                && !command.help.contains { $0.hasPrefix("  J ") })

        // Closing back with the monitoring center: only filing stays with the command center.
        try store.setCaseRules(filing: nil, closing: .monitoring, by: "admin", at: ConsoleFixture.now)
        #expect(try offered("city-command-lead-1").keys == [.file])
        #expect(try offered("city-lead-1").keys.contains(.close))
    }
}
