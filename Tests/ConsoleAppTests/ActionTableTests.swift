import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Each action declares once what it takes (`CaseAction.spec`); the CLI's help, the console's `:` line and its
/// completion, and the console's forms are derived from that table. These tests walk the table and read each
/// front end back, so a front end that keeps its own list (the `:` line once left out reassign) fails here.
@Suite struct ActionTableTests {

    /// `citygrid case --help` on one line: ArgumentParser wraps the text to its width.
    static let caseHelp: String = {
        let help = (try? CLI.run(["case", "--help"]))?.stdout ?? ""
        return help.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }()

    /// The help's line for `action`, up to the next action's: what it takes, and who may take it from which states.
    static func helpLine(_ action: CaseAction) -> (takes: String, roles: String, states: String)? {
        let text = caseHelp
        guard let start = text.range(of: " \(action.rawValue): ") else { return nil }
        let rest = text[start.upperBound...]
        let end = (CaseAction.allCases.compactMap { rest.range(of: " \($0.rawValue): ")?.lowerBound } + [rest.range(of: " USAGE:")?.lowerBound])
            .compactMap { $0 }.min() ?? rest.endIndex
        let line = String(rest[..<end])
        guard let split = line.range(of: "; ", options: .backwards), let from = line.range(of: ", from ", options: .backwards) else { return nil }
        return (String(line[..<split.lowerBound]), String(line[split.upperBound..<from.lowerBound]), String(line[from.upperBound...]))
    }

    @Test(arguments: CaseAction.allCases)
    func theCLIHelpSaysWhatTheTableSays(_ action: CaseAction) throws {
        let spec = action.spec
        let (line, roles, states) = try #require(Self.helpLine(action), "case --help has no line for \(action.rawValue): \(Self.caseHelp)")
        #expect(line.contains("--to") == spec.target.isTaken, "\(line)")
        #expect(line.contains("[--to") == (spec.target.isTaken && !spec.target.isRequired), "\(line)")
        #expect(line.contains("--hours") == (spec.hours != nil), "\(line)")
        #expect(line.contains("--category") == spec.takesCategoryAndDepartment, "\(line)")
        #expect(line.contains("--department") == spec.takesCategoryAndDepartment, "\(line)")
        #expect(line.contains("[--note") == !spec.note.required, "\(line)")
        #expect(line.contains(spec.note.meaning == .instructions ? "--note INSTRUCTIONS" : "--note REASON") == spec.note.required, "\(line)")
        #expect(Set(roles.components(separatedBy: " or ")) == Set(spec.roles.roles.map(\.rawValue)), "\(roles)")
        if let from = spec.from {
            #expect(Set(states.split(separator: "|").map(String.init)) == Set(from.states.map(\.rawValue)), "\(states)")
        } else {
            #expect(states == "any open state")
        }
        // The option help names every action that takes the option.
        if spec.target.isTaken { #expect(Self.caseHelp.contains("(\(CLIWording.actions { $0.target == spec.target }))")) }
        if spec.hours != nil { #expect(Self.caseHelp.contains("Hours, for \(action.rawValue)")) }
    }

    /// What a `:` line for the action looks like when every argument the table asks for is given.
    static func sampleLine(_ action: CaseAction, id: Int64 = 42) -> (line: String, target: String?) {
        let spec = action.spec
        var words = [action.rawValue, String(id)]
        var target: String?
        switch spec.target {
        case .none: break
        case .caseID: target = "7"
        case .optionalDistrictCenter: target = "110105-C"
        case .inspector, .departmentOrCenter, .inspectorDepartmentOrCenter: target = "somebody"
        }
        if let target { words.append(target) }
        if spec.hours != nil { words.append("4") }
        words += ["why", "so"]
        return (words.joined(separator: " "), target)
    }

    @Test(arguments: CaseAction.allCases)
    func theCommandLineTakesWhatTheTableSays(_ action: CaseAction) throws {
        let spec = action.spec
        let bare = ConsoleCommandParser.parse("\(action.rawValue) 42", actor: "me")
        let needsMore = spec.target.isRequired || spec.hours != nil
        if case .success = bare { #expect(!needsMore, "\(action.rawValue) 42 was accepted without its target or hours") }
        if case .failure(let error) = bare {
            #expect(needsMore, "\(action.rawValue) 42: \(error.message)")
            #expect(!error.message.contains("--"), "no CLI flag on the console: \(error.message)")
        }
        let (line, target) = Self.sampleLine(action)
        guard case .success(.action(let request)) = ConsoleCommandParser.parse(line, actor: "me") else {
            Issue.record("\(line) was not read as an action")
            return
        }
        #expect(request.action == action && request.caseID == 42)
        #expect(request.target == target, "\(line)")
        #expect(request.hours == (spec.hours != nil ? 4 : nil), "\(line)")
        #expect(request.note == "why so", "\(line)")
    }

    @Test(arguments: CaseAction.allCases)
    func completionOffersWhatTheTableSaysTheActionTakes(_ action: CaseAction) {
        let spec = action.spec
        let inspectors = ["insp-1"], departments = ["SANIT"], centers = ["110105-C"], categories = ["0102"], ids: [Int64] = [42, 43]
        func complete(_ line: String) -> Set<String> {
            Set(ConsoleCommandParser.completions(for: line, caseIDs: ids, departments: departments, centers: centers,
                                                 categories: categories, inspectors: inspectors, themes: []))
        }
        #expect(complete("").contains(action.rawValue))
        #expect(complete("\(action.rawValue) ") == Set(ids.map(String.init)))
        let expected: Set<String> = switch spec.target {
        case .none: spec.takesCategoryAndDepartment ? Set(CategoryKind.allCases.map(\.rawValue) + categories) : []
        case .inspector: Set(inspectors)
        case .departmentOrCenter: Set(departments + centers)
        case .caseID: Set(ids.map(String.init))
        case .inspectorDepartmentOrCenter: Set(inspectors + departments + centers)
        case .optionalDistrictCenter: Set(centers)
        }
        #expect(complete("\(action.rawValue) 42 ") == expected, "\(action.rawValue)")
    }

    @Test func theFormsHaveTheFieldsTheTableSays() throws {
        let engine = try ConsoleFixture.engine()
        let c = try #require(engine.state.queue.entries.first?.serviceCase)
        let inspector = try #require(try engine.store.operators().first { $0.role == .inspector })
        for action in CaseAction.allCases {
            let spec = action.spec
            for lang in Language.allCases {
                engine.state.lang = lang
                let form = FormBuilder.make(action, for: c, state: engine.state, inspectors: [inspector])
                let keys = form.fields.map(\.key)
                #expect((form.field("to") != nil) == spec.target.isTaken, "\(action) \(keys)")
                #expect(form.field("to").map(\.required) ?? false == spec.target.isRequired, "\(action)")
                #expect((form.field("hours") != nil) == (spec.hours != nil), "\(action) \(keys)")
                #expect((form.field("category") != nil) == spec.takesCategoryAndDepartment, "\(action) \(keys)")
                #expect((form.field("department") != nil) == spec.takesCategoryAndDepartment, "\(action) \(keys)")
                #expect(keys.last == "note" && form.field("note")?.required == spec.note.required, "\(action) \(keys)")
                #expect(form.fields.allSatisfy { !$0.label.contains("--") })
            }
        }
    }

    @Test func theDerivedAnswersOfCaseActionAreTheTables() {
        for action in CaseAction.allCases {
            let spec = action.spec
            #expect(action.needsTarget == spec.target.isRequired)
            #expect(action.needsNote == spec.note.required)
            #expect(action.roles == Set(Role.allCases.filter { spec.roles.contains($0) }))
            for role in Role.allCases { #expect(action.allows(role) == action.roles.contains(role)) }
            for state in CaseState.allCases {
                #expect(action.starts(from: state) == (state.isOpen && (action.fromStates?.contains(state) ?? true)), "\(action) \(state)")
            }
        }
    }
}

/// The console words Workflow's typed refusals itself, in Chinese or English, and never with a CLI flag.
@Suite struct ConsoleRefusalWordingTests {
    static var everyRefusal: [Refusal] {
        let range = HoursRange(above: 0, atMost: 2160)
        var all: [Refusal] = []
        for action in CaseAction.allCases {
            all += [.missingTarget(action), .targetNotACaseID(action, given: "x"), .missingHours(action), .hoursOutOfRange(action, range)]
            all += [.missingNote(verb: action.rawValue, meaning: action.spec.note.meaning)]
        }
        all += [.missingNote(verb: "unmerge", meaning: .reason), .notEscalated(caseID: 5, districtCenter: "110105-C"),
                .emptyPeriod(from: LocalDate(year: 2026, month: 11, day: 20)!, to: LocalDate(year: 2026, month: 11, day: 10)!),
                .descriptionEmpty, .descriptionTooLong(bytes: 70_000, limit: 65_536)]
        return all
    }

    @Test func everyRefusalIsWordedInBothLanguagesWithoutAFlag() {
        for refusal in Self.everyRefusal {
            let zh = Language.zh.refusal(refusal), en = Language.en.refusal(refusal)
            #expect(!zh.contains("--") && !en.contains("--"), "\(refusal): \(zh) / \(en)")
            #expect(zh.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "Chinese: \(zh)")
            #expect(!en.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "English: \(en)")
            #expect(!Language.zh.describe(WorkflowError.refusal(refusal)).contains("--"))
            // Workflow's own wording names no flag either; only the CLI adds them.
            #expect(!refusal.text.contains("--"), "\(refusal.text)")
        }
        #expect(CLIWording.text(.missingTarget(.dispatch)) == "dispatch needs --to")
        #expect(CLIWording.text(.missingNote(verb: "reject", meaning: .reason)) == "reject needs a reason in --note")
    }

    @Test(arguments: Language.allCases)
    func aMissingReasonOnTheCommandLineIsWordedForTheConsole(_ lang: Language) throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1", lang: lang)
        let c = try #require(try engine.store.cases(CaseQuery(openOnly: true)).first { $0.monitorCenterID == engine.state.viewer.centerID })
        engine.press(":")
        engine.type("reject \(c.id)")
        engine.press("enter")
        let text = try #require(engine.state.status?.text)
        #expect(engine.state.status?.kind == .error)
        #expect(!text.contains("--"), "\(text)")
        #expect(text.contains(lang == .zh ? "原因" : "needs a reason"), "\(text)")
        #expect(try engine.store.serviceCase(c.id).state == c.state, "nothing written")
    }

    @Test(arguments: Language.allCases)
    func aFormRefusalIsWordedForTheConsole(_ lang: Language) throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1", lang: lang)
        let c = try #require(try engine.store.cases(CaseQuery(openOnly: true)).first { $0.monitorCenterID == engine.state.viewer.centerID })
        // The form's own check catches a missing reason; the store's refusal, if it came, would be worded the same way.
        var form = FormBuilder.make(.cancel, for: c, state: engine.state, inspectors: [])
        #expect(form.validationErrors(lang)["note"] != nil)
        form.fields[form.fields.count - 1].text = "   "
        engine.state.form = form
        engine.run(ConsoleUpdate.resolve([.submit], &engine.state))
        let text = try #require(engine.state.status?.text)
        #expect(!text.contains("--"), "\(text)")
        #expect(text.contains(lang == .zh ? "原因" : "needs a reason"), "\(text)")
    }

    /// Found reading the `:` parser: it kept its own list of actions with a target and left out reassign, so the
    /// inspector's login became the note and the store asked for a target.
    @Test func aShiftLeadReassignsAVerifyTaskFromTheCommandLine() throws {
        let store = try ConsoleFixture.store()
        let c = try #require(try store.cases(CaseQuery(states: [.verifying])).first)
        let operators = try store.operators()
        let lead = try #require(operators.first { $0.role == .shiftLead && $0.centerID == c.monitorCenterID && $0.canSee(district: c.districtCode) })
        // A second inspector walking the same patrol area as the one who has the task.
        let place = try store.cellPlace(c.cellCode)
        let area = try #require(place.patrolAreaID)
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO operator(login, name, role, center_id, region_code, tier, patrol_area) VALUES ('relief-insp', '替班监督员', 'inspector', ?, ?, 'district', ?)",
                           arguments: [c.monitorCenterID, place.districtCode, area])
        }
        let inspector = try store.findOperator("relief-insp")
        let engine = try ConsoleFixture.engine(as: lead.login, store: store)
        engine.press(":")
        engine.type("reassign \(c.id) \(inspector.login) 原核实员休假")
        engine.press("enter")
        #expect(engine.state.status?.kind == .ok, "\(engine.state.status?.text ?? "")")
        let after = try engine.store.serviceCase(c.id)
        #expect(after.assigneeID == inspector.id)
        let last = try #require(try engine.store.history(of: c.id).last?.entry)
        #expect(last.action == "reassign" && last.target == inspector.login && last.note == "原核实员休假")
    }
}
