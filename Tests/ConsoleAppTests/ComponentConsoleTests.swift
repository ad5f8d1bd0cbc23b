import Foundation
import Testing

/// Components in the console, in a real terminal (tmux): the map's component layer, and the dispatch form and case
/// pane naming the component's owner (issue 17, part 3).
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct ComponentConsoleTests {

    @Test func theComponentLayerTogglesByStateAndByClass() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "city-supervisor"), width: 120, height: 36)
        try tmux.waitFor("Grid map")
        try tmux.send("2")
        try tmux.send("a")
        try tmux.waitFor("components: damaged/missing/abandoned")
        let cell = try tmux.waitFor("the cell pane counts the components") { $0.contains("components normal") }
        #expect(cell.contains("components normal"))
        try tmux.send("a")
        try tmux.waitFor("components in place")
        try tmux.send(":")
        try tmux.type("components 0305")
        try tmux.send("Enter")
        try tmux.waitFor("components in place · 0305")
        try tmux.send(":")
        try tmux.type("components 9999")
        try tmux.send("Enter")
        try tmux.waitFor("no component class 9999")
        try tmux.send("a")
        try tmux.waitFor("the layer is off") { $0.contains("Grid map") && !$0.contains("components in place") }
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }

    @Test func theDispatchFormAndTheCasePaneNameTheComponentsOwner() throws {
        let db = try CLI.demoCopy()
        let bin = try ComponentCLITests.ownedBin(db)
        let made = try CLI.run(["report", "--as", bin.inspector, "--kind", "component", "--category", "0305", "--cell", bin.cell,
                                "--component", bin.id, "--description", "e2e bin", "--json"], db: db)
        let id = try #require(made.object["id"] as? Int)
        #expect(try CLI.run(["case", "accept", String(id), "--as", "city-intake-1"], db: db).status == 0)
        #expect(try CLI.run(["case", "file", String(id), "--as", "city-lead-1"], db: db).status == 0)
        #expect(try CLI.run(["case", "dispatch", String(id), "--as", "city-dispatcher-1", "--to", "110101-C"], db: db).status == 0)

        let tmux = try TmuxSession(command: ConsoleEndToEndTests.consoleCommand(db, as: "110101-dispatcher-1"), width: 120, height: 36)
        try tmux.waitFor("Queue: mine")
        try tmux.openCase(id)
        let pane = try tmux.waitFor("component \(bin.id)")
        #expect(pane.contains("owner STREET"), "the case pane names the component's owner")
        #expect(pane.contains("goes to STREET (owner of component \(bin.id))"))
        try tmux.send("D")
        try tmux.waitFor("dispatch case \(id)")
        let form = try tmux.waitFor("the form's reason") { $0.contains("dispatch case \(id)") && $0.contains("STREET") && $0.contains("(owner of component") }
        #expect(form.contains("Dispatch to"))
        try tmux.send("Enter")
        try tmux.waitFor("dispatch → dispatched")
        #expect(try CLI.run(["case", "show", String(id), "--json"], db: db).object["department"] as? String == "STREET")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}
