import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 16, the forms: the intake form guesses nothing and names what it lists, no form shows an error before
/// anything is typed, Esc asks before input is dropped, the inbox's O and Z act, reassign offers only where the rule
/// lets a case go, a bulk action is checked case by case, merge offers the duplicates, the handover exports, Ctrl-C quits.
@Suite struct ConsoleFormsTests {
    /// The form alone, drawn on an empty screen of the console's size: its lines, blank ones and trailing blanks dropped.
    static func formLines(_ engine: ConsoleEngine) -> [String] {
        let s = engine.state
        guard let form = s.form else { return [] }
        var b = ScreenBuffer(width: s.width, height: s.height)
        FormView.draw(&b, form, s, theme: engine.theme, area: ConsoleLayout(width: s.width, height: s.height).body)
        return b.lines().map(FrameAssert.trimmed).filter { !$0.isEmpty }
    }

    static func expectLines(_ actual: [String], _ expected: [String], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if actual != expected { print("FORM-BEGIN \(name)\n" + actual.joined(separator: "\n") + "\nFORM-END \(name)") }
        #expect(actual == expected, "\(name)", sourceLocation: sourceLocation)
    }

    // MARK: The intake form

    @Test(arguments: [Language.en, .zh])
    func theIntakeFormGuessesNothingAndNamesItsSources(_ lang: Language) throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: lang, as: "city-intake-1")
        engine.press("n")
        let form = try #require(engine.state.form)
        #expect(form.field("category")?.value == nil && form.field("cell")?.value == nil, "nothing pre-filled")
        #expect(form.preview == nil && form.errors.isEmpty, "no error before anything is typed")
        Self.expectLines(Self.formLines(engine), Self.intakeOpened[lang]!, "intake-opened-\(lang)")
    }

    static let intakeOpened: [Language: [String]] = [
        .en: [
            "              ┌  New report (hotline intake)  ───────────────────────────────────────┐",
            "              │* Source          hotline call                                        │",
            "              │                  › hotline call                                      │",
            "              │                    website                                           │",
            "              │                    mobile app                                        │",
            "              │                    leader's instruction                              │",
            "              │                    sensor                                            │",
            "              │  Hotline line    12319 城管热线                                      │",
            "              │* Category        — choose —                                          │",
            "              │  Community       — choose —                                          │",
            "              │* Where (cell)    — choose —                                          │",
            "              │  Component (id)  — choose —                                          │",
            "              │  Landmark                                                            │",
            "              │  Urgency         normal                                              │",
            "              │* Description                                                         │",
            "              │  Caller                                                              │",
            "              │  Phone (private)                                                     │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │Enter submit · Tab next field · Esc cancel (nothing saved)            │",
            "              └──────────────────────────────────────────────────────────────────────┘",
        ],
        .zh: [
            "              ┌  新上报（热线受理）  ────────────────────────────────────────────────┐",
            "              │* 来源           热线电话                                             │",
            "              │                 › 热线电话                                           │",
            "              │                   网站                                               │",
            "              │                   手机应用                                           │",
            "              │                   领导批示                                           │",
            "              │                   物联感知                                           │",
            "              │  热线号码       12319 城管热线                                       │",
            "              │* 类别           — 请选择 —                                           │",
            "              │  社区           — 请选择 —                                           │",
            "              │* 位置（网格）   — 请选择 —                                           │",
            "              │  部件（编号）   — 请选择 —                                           │",
            "              │  地标                                                                │",
            "              │  紧急程度       一般                                                 │",
            "              │* 问题描述                                                            │",
            "              │  来电人                                                              │",
            "              │  电话（不公开）                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │                                                                      │",
            "              │Enter 提交 · Tab 下一项 · Esc 取消（不保存）                          │",
            "              └──────────────────────────────────────────────────────────────────────┘",
        ],
    ]

    @Test func theDescriptionTakesSeveralLinesAndWraps() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "city-intake-1")
        engine.press("n")
        while let form = engine.state.form, form.fields[form.focus].key != "description" { engine.press("tab") }
        engine.type("Rubbish bags piled against the north wall of the school, spilling onto the pavement by the gate.")
        engine.press("enter")
        engine.type("Caller says it has been there three days.")
        #expect(engine.state.form?.field("description")?.text.contains("\n") == true, "Enter starts a new line in the description")
        Self.expectLines(Self.formLines(engine), Self.intakeDescription, "intake-description")
        engine.press("tab")
        #expect(engine.state.form?.fields[engine.state.form!.focus].key == "caller", "Tab moves on")
    }

    static let intakeDescription: [String] = [
        "              ┌  New report (hotline intake)  ───────────────────────────────────────┐",
        "              │* Source          hotline call                                        │",
        "              │  Hotline line    12319 城管热线                                      │",
        "              │* Category        — choose —                                          │",
        "              │  Community       — choose —                                          │",
        "              │* Where (cell)    — choose —                                          │",
        "              │  Component (id)  — choose —                                          │",
        "              │  Landmark                                                            │",
        "              │  Urgency         normal                                              │",
        "              │* Description     Rubbish bags piled against the north wall of the    │",
        "              │                  school, spilling onto the pavement by the gate.     │",
        "              │                  Caller says it has been there three days.▏          │",
        "              │  Caller                                                              │",
        "              │  Phone (private)                                                     │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │                                                                      │",
        "              │Enter new line · Tab next field · Esc cancel                          │",
        "              └──────────────────────────────────────────────────────────────────────┘",
    ]

    @Test func aCommunityFirstNarrowsTheCellsWhichAreSorted() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "city-intake-1")
        engine.press("n")
        let cells = try #require(engine.state.form?.field("cell")?.options.map(\.value))
        #expect(cells == cells.sorted(), "the cell list is sorted")
        engine.press("tab tab tab")
        #expect(engine.state.form?.fields[engine.state.form!.focus].key == "community")
        engine.press("down down")
        let community = try #require(engine.state.form?.field("community")?.value)
        let shown = try #require(engine.state.form?.field("cell")?.visibleOptions.map(\.value))
        #expect(!shown.isEmpty && shown.allSatisfy { $0.hasPrefix(community) } && shown == shown.sorted())
        #expect(engine.state.form?.field("cell")?.value == nil, "the cell is still to be chosen")
        engine.press("tab down")
        #expect(engine.state.form?.field("cell")?.value == shown.first)
    }

    @Test func theMapCursorIsTakenOnlyWhereTheOperatorPutItAndSaysSo() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "city-intake-1")
        engine.press("n")
        #expect(engine.state.form?.field("cell")?.value == nil, "the selected row's cell is not taken")
        engine.press("esc")
        engine.press("2")
        let cell = try #require(engine.state.map.view.cellUnderCursor(engine.state.map.model)?.code)
        engine.press("n")
        #expect(engine.state.form?.field("cell")?.value == cell)
        #expect(Self.formLines(engine).contains { $0.contains("(from map cursor)") })
    }

    @Test func afterSavingTheNewCaseIsSelected() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "city-intake-1")
        engine.press("n tab tab")
        engine.type("Exposed rubbish")
        engine.press("tab tab")
        engine.type("110101001001001")
        while let form = engine.state.form, form.fields[form.focus].key != "description" { engine.press("tab") }
        engine.type("rubbish at the gate")
        engine.press("tab enter")
        #expect(engine.state.form == nil, "\(engine.state.status?.text ?? "")")
        let made = try #require(try engine.store.cases(CaseQuery()).max { $0.id < $1.id })
        #expect(made.description == "rubbish at the gate" && made.source == .hotline)
        #expect(engine.state.queue.selectedEntry?.serviceCase.id == made.id, "the new case's row is highlighted")
        #expect(engine.state.detail.caseID == made.id, "and shown in the case pane")
    }

    // MARK: Errors on submit only, Esc asks

    @Test func noFormShowsAnErrorBeforeAnythingIsTyped() throws {
        // A department's extension request: hours and a reason are missing until typed.
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en, as: "sanit-110101")
        let c = try #require(engine.state.queue.entries.first { $0.serviceCase.state == .dispatched && $0.serviceCase.pending == nil }?.serviceCase)
        engine.execute(.openCase(c.id))
        engine.press("X")
        let form = try #require(engine.state.form)
        #expect(form.action == .requestExtension && !form.previewIsError && form.preview == nil, "\(form.preview ?? "")")
        let lines = Self.formLines(engine)
        #expect(!lines.contains { $0.contains("needs") || $0.contains("--") || $0.contains("⚠") }, "\(lines)")
        engine.press("enter")
        #expect(engine.state.form?.errors["hours"] == "required", "checked on submit, in words")
    }

    @Test func escOnAFormWithInputAsksFirst() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en)
        engine.press("D")
        try #require(engine.state.form != nil)
        engine.press("esc")
        #expect(engine.state.form == nil, "an untouched form closes at once")
        engine.press("D down")
        engine.press("esc")
        guard case .confirm(let question, .discardForm) = engine.state.overlay else { Issue.record("no question"); return }
        #expect(question == "Discard what was entered? (y/n)")
        engine.press("n")
        #expect(engine.state.form != nil && engine.state.overlay == nil, "kept")
        engine.press("esc y")
        #expect(engine.state.form == nil && engine.state.status?.text == "cancelled; nothing was changed")
    }

    // MARK: Ctrl-C

    @Test func ctrlCQuitsLikeQAndAsksWhenAFormHasInput() throws {
        let engine = try ConsoleFrameTests.engine(width: 100, height: 30, lang: .en)
        var s = engine.state
        _ = ConsoleUpdate.handle(.ctrl("c"), &s)
        #expect(s.shouldQuit, "no form: quits")
        s = engine.state
        s.overlay = .help
        _ = ConsoleUpdate.handle(.ctrl("c"), &s)
        #expect(s.shouldQuit, "over an overlay too")
        engine.press("D down")
        engine.handle(.ctrl("c"))
        #expect(!engine.state.shouldQuit)
        engine.handle(.ctrl("c"))
        #expect(engine.state.shouldQuit, "a second Ctrl-C at the question quits")
    }
}
