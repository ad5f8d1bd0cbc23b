import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 13, defect 8, the console's channel: the intake form follows the one text rule (`ReportText`).
@Suite struct NULTextConsoleTests {
    /// A new-report form filled up to the description, which gets `description`.
    func fill(_ engine: ConsoleEngine, cell: String, description: String) throws {
        engine.press("n")
        engine.press("tab tab")   // past the source and the hotline line
        engine.type("Exposed rubbish")
        engine.press("tab tab")
        engine.type(cell)
        for _ in 0..<10 {
            guard let form = engine.state.form, form.fields[form.focus].key != "description" else { break }
            engine.press("tab")
        }
        let form = try #require(engine.state.form)
        try #require(form.fields[form.focus].key == "description")
        engine.type(description)
    }

    @Test func aNULInTheDescriptionIsRefusedAndTheFormKeepsWhatWasTyped() throws {
        let store = try ConsoleFixture.store()
        let before = try store.cases(CaseQuery()).count
        let cell = try #require(try store.cases(CaseQuery()).first?.cellCode)
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        try fill(engine, cell: cell, description: "rubbish\u{0} by the gate")
        engine.press("tab enter")
        #expect(engine.state.form != nil, "the form stays open")
        #expect(engine.state.form?.field("description")?.text == "rubbish\u{0} by the gate", "nothing typed is lost")
        #expect(engine.state.status?.text.contains("NUL") == true, "\(engine.state.status?.text ?? "no status")")
        #expect(try store.cases(CaseQuery()).count == before)
    }

    @Test func aDescriptionThatShowsNothingIsRequiredStill() throws {
        let store = try ConsoleFixture.store()
        let before = try store.cases(CaseQuery()).count
        let cell = try #require(try store.cases(CaseQuery()).first?.cellCode)
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        try fill(engine, cell: cell, description: " \u{200B}\u{3000}\u{FEFF} ")
        engine.press("tab enter")
        #expect(engine.state.form?.errors["description"] == "required", "\(String(describing: engine.state.form?.errors))")
        #expect(try store.cases(CaseQuery()).count == before)
    }

    @Test func tabsAndOtherControlsAreStoredAsTyped() throws {
        let store = try ConsoleFixture.store()
        let cell = try #require(try store.cases(CaseQuery()).first?.cellCode)
        let engine = try ConsoleFixture.engine(as: "city-intake-1", store: store)
        try fill(engine, cell: cell, description: "rubbish\tby the \u{7}gate")
        engine.press("tab enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let made = try #require(try store.cases(CaseQuery()).max { $0.id < $1.id })
        #expect(made.description.hasPrefix("rubbish\tby the \u{7}gate"), "\(made.description.debugDescription)")
    }
}
