import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The console's component messages and keys, in update, with no store (issue 17, part 3): the dispatch form says
/// where a case goes and why, the intake form offers the nearest components, the map's component layer.
@Suite struct ComponentConsoleUpdateTests {
    @Test func theDispatchFormPreselectsTheOwnerAndSaysWhy() throws {
        var s = try ConsoleUpdateMessageTests.opened()
        var c = try #require(s.queue.entries.first { $0.serviceCase.state == .filed }?.serviceCase)
        c.departmentCode = "STREET"
        let routing = Routing(department: "STREET", reason: .componentOwner, componentID: "1101010305000001")
        let effects = ConsoleUpdate.receive(.routedForm(.dispatch, c, routing: routing, suggested: routing), &s)
        #expect(ConsoleUpdateMessageTests.names(effects) == ["previewAction(dispatch \(c.id))"])
        let to = try #require(s.form?.field("to"))
        #expect(to.value == "STREET" && to.origin == "owner of component 1101010305000001")
        // Someone's choice is named as one, with what the rule would have said.
        c.departmentCode = "ENFORCE"
        _ = ConsoleUpdate.receive(.routedForm(.dispatch, c, routing: Routing(department: "ENFORCE", reason: .chosen, componentID: routing.componentID),
                                              suggested: routing), &s)
        #expect(s.form?.field("to")?.origin == "chosen; the rule suggests STREET (owner of component 1101010305000001)")
    }

    @Test func theIntakeFormOffersTheNearestComponentsOfTheClassInTheCell() throws {
        var s = try ConsoleUpdateMessageTests.opened()
        let cell = try #require(s.map.gridCells.first?.code)
        var form = FormBuilder.newReport(state: s, cellNames: s.map.cellNames, preselectedCell: cell)
        let category = try #require(form.fields.firstIndex { $0.key == "category" })
        form.fields[category].selected = try #require(form.fields[category].visibleOptions.firstIndex { $0.value == "component:0305" })
        form.fields[category].picked = true
        s.form = form
        let near = [Component(id: "1101010305000001", classCode: "0305", name: "垃圾箱 1", department: "STREET", cellCode: cell, state: .normal,
                              updatedAt: .distantPast)]
        // An answer for another cell or class is dropped.
        _ = ConsoleUpdate.receive(.nearbyComponents(cell: cell, classCode: "0101", near), &s)
        #expect(s.form?.field("component")?.options.count == 1)
        _ = ConsoleUpdate.receive(.nearbyComponents(cell: cell, classCode: "0305", near), &s)
        let field = try #require(s.form?.field("component"))
        #expect(field.options.map(\.value) == ["", "1101010305000001"])
        #expect(field.options[1].detail == "this cell · owner STREET")
        #expect(s.form?.draft()?.componentID == nil, "nothing is chosen until the operator picks")
        var picked = try #require(s.form)
        let i = try #require(picked.fields.firstIndex { $0.key == "component" })
        picked.fields[i].picked = true
        picked.fields[i].selected = 1
        #expect(picked.draft()?.componentID == "1101010305000001")
        // A typed id that is not offered is taken as typed.
        picked.fields[i].text = "1101010305000099"
        #expect(picked.draft()?.componentID == "1101010305000099")
        // Preview asks for the nearest components with the duplicates.
        #expect(ConsoleUpdate.resolve([.preview], &s).contains { if case .loadNearbyComponents(cell, "0305") = $0 { true } else { false } })
    }

    @Test func theComponentLayerCyclesAndShowsItsCounts() throws {
        var s = try ConsoleUpdateMessageTests.opened(focus: .map)
        let cell = try #require(s.map.gridCells.first?.code)
        var effects = ConsoleUpdate.handle(.character("a"), &s)
        #expect(s.map.components == ComponentLayer(show: .faulty, classCode: nil))
        #expect(effects.contains { if case .loadComponents(nil) = $0 { true } else { false } })
        var counts = ComponentCellCounts()
        counts.byState = [.normal: 5, .damaged: 2, .missing: 1]
        _ = ConsoleUpdate.receive(.componentsLoaded([cell: counts]), &s)
        #expect(s.map.model.cells.first { $0.code == cell }?.value == 3, "damaged + missing")
        #expect(MapPaneText.title(s, width: 120).contains("components: damaged/missing/abandoned"))
        _ = ConsoleUpdate.handle(.character("a"), &s)
        #expect(s.map.model.cells.first { $0.code == cell }?.value == 8, "all in place")
        effects = ConsoleUpdate.receive(.reloaded(QueueReading(counts: QueueCounts(needsMyAction: 0, others: 0), board: nil, reach: ReachCounts(),
                                                              measures: [:], at: ConsoleFixture.now), live: true, followSelection: false), &s)
        #expect(effects.contains { if case .loadComponents = $0 { true } else { false } }, "a refresh reads the layer again")
        _ = ConsoleUpdate.handle(.character("a"), &s)
        #expect(s.map.components == nil && !MapPaneText.title(s, width: 120).contains("components"))
        #expect(ConsoleCommandParser.parse("components 0305", actor: "x") == .success(.components(classCode: "0305", on: true)))
        #expect(ConsoleCommandParser.parse("components off", actor: "x") == .success(.components(classCode: nil, on: false)))
        #expect((try? ConsoleCommandParser.parse("components x1", actor: "x").get()) == nil)
    }
}
