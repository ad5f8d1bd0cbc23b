import ArgumentParser
import Foundation
import Workflow

/// `citygrid component show ID`: a component (部件) with its identity, owner, state and history.
struct ComponentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "component",
        abstract: "Show a city component (部件): class, owner, cell, state, open cases and history.",
        subcommands: [ComponentShow.self])
}

struct ComponentShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One component by its 16-digit id.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "16-digit component id.") var id: String
    @OptionGroup var output: OutputOptions<JSONHelp>
    enum JSONHelp: OptionHelp {
        static var help: ArgumentHelp { "Print JSON: id, class, name, cell, department, state, open_cases, history[]." }
    }

    func validate() throws {
        guard Component.isWellFormedID(id) else { throw ValidationError("component id must be 16 digits (district 6 + class 4 + serial 6), not '\(id)'") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let detail = try session.components.component(id)
            let format = session.format
            if output.json { return try Output.json(ComponentJSON(detail, format: format)) }
            ComponentText.print(detail, format: format)
        }
    }
}

struct ComponentHistoryJSON: ExplicitNullEncodable {
    var seq: Int
    var at: String
    var actor: String?
    var action: String
    var from: String?
    var to: String
    var `case`: Int64?
    var census: Int64?
    var note: String?
}

struct ComponentJSON: ExplicitNullEncodable {
    var id: String
    var `class`: String
    var class_name: String?
    var class_name_en: String?
    var name: String
    var cell: String
    /// The owning department; null when the owner is not known (its cases go to the class's department).
    var department: String?
    var department_name: String?
    var state: String
    var updated_at: String
    var open_cases: [Int64]
    var history: [ComponentHistoryJSON]

    init(_ d: ComponentDetail, format: InstantFormat) {
        let c = d.component
        id = c.id; `class` = c.classCode; class_name = d.className?.zh; class_name_en = d.className?.en; name = c.name
        cell = c.cellCode; department = c.department; department_name = d.departmentName?.zh; state = c.state.rawValue
        updated_at = format.string(c.updatedAt); open_cases = d.openCases
        history = d.history.map { h in
            ComponentHistoryJSON(seq: h.seq, at: format.string(h.at), actor: h.actorLogin, action: h.action, from: h.from?.rawValue,
                                 to: h.to.rawValue, case: h.caseID, census: h.censusID, note: h.note)
        }
    }
}

/// The human form of `component show`.
enum ComponentText {
    static func print(_ d: ComponentDetail, format: InstantFormat) {
        let c = d.component
        Output.line("component \(c.id)  \(c.state.rawValue)  class \(c.classCode) \(d.className?.zh ?? "") / \(d.className?.en ?? "")")
        Output.line("  name      \(c.name)")
        Output.line("  cell      \(c.cellCode)")
        Output.line("  owner     \(c.department.map { "\($0) \(d.departmentName?.zh ?? "")" } ?? "unknown (cases go to the class's department)")")
        Output.line("  updated   \(format.string(c.updatedAt))")
        Output.line("  open      \(d.openCases.isEmpty ? "no open case" : d.openCases.map { "case \($0)" }.joined(separator: ", "))")
        Output.line("history (\(d.history.count))")
        for h in d.history {
            var line = "  \(format.string(h.at))  \(h.action)  \(h.from?.rawValue ?? "-") → \(h.to.rawValue)"
            if let login = h.actorLogin { line += "  by \(login)" }
            if let id = h.caseID { line += "  case \(id)" }
            if let id = h.censusID { line += "  census \(id)" }
            if let note = h.note { line += "  \"\(note)\"" }
            Output.line(line)
        }
    }
}
