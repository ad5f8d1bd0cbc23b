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
}
