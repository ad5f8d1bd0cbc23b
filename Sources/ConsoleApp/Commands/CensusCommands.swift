import ArgumentParser
import Foundation
import Workflow

/// `citygrid census …`: component census campaigns (专项普查).
struct CensusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "census",
        abstract: "Component census campaigns (专项普查): start one, record what inspectors find, follow progress by area, close it.",
        subcommands: [CensusStart.self, CensusRecordCommand.self, CensusReportCommand.self, CensusClose.self, CensusList.self])
}

extension ComponentState: ExpressibleByArgument {}

struct CensusStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start a census of one component class: a survey task for each patrol area of the region (a supervisor or shift lead).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actorOption: ActorOption<SharedHelp.Operator>
    @Option(name: .customLong("class"), help: "4-digit component class (category code), e.g. 0101.") var classCode: String
    @Option(help: "District, street or community code (default: the operator's region).") var region: String?
    @Option(help: "When the survey is due, ISO-8601.") var due: String
    @OptionGroup var atOption: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        guard classCode.count == 4, classCode.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw ValidationError("--class takes a 4-digit class code, not '\(classCode)'") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now(atOption.at)
            let dueAt: Date
            do { dueAt = try session.format.parse(due) } catch { throw WorkflowError.invalidInput("--due '\(due)' is not an ISO-8601 time") }
            let report = try session.components.startCensus(classCode: classCode, region: region, due: dueAt,
                                                            by: try session.acting(actorOption.actor), at: now)
            if output.json { return try Output.json(CensusReportJSON(report, format: session.format)) }
            Output.line("census \(report.census.id): class \(report.census.classCode) in \(report.census.regionCode), due \(session.format.string(report.census.dueAt)); \(report.areas.count) patrol area\(report.areas.count == 1 ? "" : "s"), \(report.expected) components to survey")
        }
    }
}

struct CensusRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record what an inspector found: a component confirmed, corrected, added or retired.",
        discussion: """
            One of --confirm ID, --correct ID, --retire ID or --add. A confirmation may give the --state found; a correction \
            gives what differs (--cell, --name, --owner, --state); an addition gives its --cell (and may give --id, --name, \
            --owner, --state; without --id it is numbered after the largest serial of its class in the district). Nothing \
            changes a component until the census closes.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Census id.") var census: Int64
    @OptionGroup var actorOption: ActorOption<SharedHelp.Operator>
    @Option(help: "The component is there as recorded.") var confirm: String?
    @Option(help: "The component differs from the record.") var correct: String?
    @Option(help: "The component is gone.") var retire: String?
    @Flag(help: "A component not on record.") var add = false
    @Option(name: .customLong("id"), help: "With --add: the new component's 16-digit id.") var newID: String?
    @Option(help: "The component's cell (15 digits).") var cell: String?
    @Option(help: "The component's name.") var name: String?
    @Option(help: "The owning department's code; an empty value for the class's department.") var owner: String?
    @Option(help: "The state found: normal, damaged, missing or abandoned.") var state: ComponentState?
    @Option(help: "A remark.") var note: String?
    @OptionGroup var atOption: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    var draft: CensusRecordDraft {
        let kind: CensusRecordKind = confirm != nil ? .confirm : correct != nil ? .correct : retire != nil ? .retire : .add
        return CensusRecordDraft(censusID: census, kind: kind, componentID: confirm ?? correct ?? retire ?? newID, cellCode: cell,
                                 name: name, department: owner, state: state, note: note)
    }

    func validate() throws {
        let chosen = [confirm != nil, correct != nil, retire != nil, add].filter { $0 }.count
        guard chosen == 1 else { throw ValidationError("give exactly one of --confirm ID, --correct ID, --retire ID, --add") }
        if newID != nil, !add { throw ValidationError("--id is for --add; the others name the component they record") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now(atOption.at)
            let record = try session.components.recordCensus(draft, by: try session.acting(actorOption.actor), at: now)
            if output.json { return try Output.json(CensusRecordJSON(record, format: session.format)) }
            Output.line("census \(record.censusID): \(record.kind.rawValue) \(record.componentID) (record \(record.id), patrol area \(record.patrolArea))")
        }
    }
}

struct CensusReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "A census's progress by patrol area; once closed, what it changed.")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Census id.") var census: Int64
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(help: "Print Markdown.") var md = false

    func validate() throws {
        if output.json && md { throw ValidationError("choose one of --json and --md") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let report = try session.components.censusReport(census)
            CensusOutput.print(report, json: output.json, md: md, format: session.format)
        }
    }
}

struct CensusClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close", abstract: "Close a census: apply its records to the components and report what changed (a supervisor or shift lead).")

    @OptionGroup var store: StoreOptions
    @Argument(help: "Census id.") var census: Int64
    @OptionGroup var actorOption: ActorOption<SharedHelp.Operator>
    @OptionGroup var atOption: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(help: "Print Markdown.") var md = false

    func validate() throws {
        if output.json && md { throw ValidationError("choose one of --json and --md") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now(atOption.at)
            let report = try session.components.closeCensus(census, by: try session.acting(actorOption.actor), at: now)
            CensusOutput.print(report, json: output.json, md: md, format: session.format)
        }
    }
}

struct CensusList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every census, newest first.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let list = try session.components.censuses()
            if output.json { return try Output.json(list.map { CensusJSON($0, format: session.format) }) }
            Output.table(["ID", "CLASS", "REGION", "STATE", "DUE", "STARTED BY"], list.map { c in
                [String(c.id), c.classCode, c.regionCode, c.state.rawValue, session.format.string(c.dueAt), c.startedBy ?? "-"]
            })
        }
    }
}

// MARK: Output

struct CensusJSON: ExplicitNullEncodable {
    var id: Int64
    var `class`: String
    var region: String
    var state: String
    var due_at: String
    var started_by: String?
    var started_at: String
    var closed_by: String?
    var closed_at: String?

    init(_ c: Census, format: InstantFormat) {
        id = c.id; `class` = c.classCode; region = c.regionCode; state = c.state.rawValue; due_at = format.string(c.dueAt)
        started_by = c.startedBy; started_at = format.string(c.startedAt); closed_by = c.closedBy; closed_at = c.closedAt.map(format.string)
    }
}

struct CensusAreaJSON: ExplicitNullEncodable {
    var patrol_area: String
    var expected: Int
    var surveyed: Int
    var confirmed: Int
    var corrected: Int
    var retired: Int
    var added: Int
    var percent: Double?
}

struct CensusChangeJSON: ExplicitNullEncodable {
    var component: String
    var kind: String
    var changes: [String]
}

struct CensusReportJSON: ExplicitNullEncodable {
    var census: CensusJSON
    var expected: Int
    var surveyed: Int
    var areas: [CensusAreaJSON]
    var changes: [CensusChangeJSON]

    init(_ r: CensusReport, format: InstantFormat) {
        census = CensusJSON(r.census, format: format); expected = r.expected; surveyed = r.surveyed
        areas = r.areas.map { a in
            CensusAreaJSON(patrol_area: a.patrolArea, expected: a.expected, surveyed: a.surveyed, confirmed: a.confirmed,
                           corrected: a.corrected, retired: a.retired, added: a.added, percent: a.percent.map { ($0 * 10).rounded() / 10 })
        }
        changes = r.changes.map { CensusChangeJSON(component: $0.componentID, kind: $0.kind.rawValue, changes: $0.changes) }
    }
}

struct CensusRecordJSON: ExplicitNullEncodable {
    var id: Int64
    var census: Int64
    var patrol_area: String
    var kind: String
    var component: String
    var cell: String?
    var name: String?
    var owner: String?
    var state: String?
    var note: String?
    var recorded_by: String?
    var recorded_at: String

    init(_ r: CensusRecord, format: InstantFormat) {
        id = r.id; census = r.censusID; patrol_area = r.patrolArea; kind = r.kind.rawValue; component = r.componentID; cell = r.cellCode
        name = r.name; owner = r.department; state = r.state?.rawValue; note = r.note; recorded_by = r.recordedBy
        recorded_at = format.string(r.recordedAt)
    }
}

enum CensusOutput {
    static func print(_ r: CensusReport, json: Bool, md: Bool, format: InstantFormat) {
        if json { return (try? Output.json(CensusReportJSON(r, format: format))) ?? () }
        let c = r.census
        let percent = { (a: CensusAreaProgress) in a.percent.map { String(format: "%.1f%%", $0) } ?? "-" }
        let header = ["PATROL AREA", "EXPECTED", "SURVEYED", "%", "CONFIRMED", "CORRECTED", "RETIRED", "ADDED"]
        let rows = r.areas.map { a in
            [a.patrolArea, String(a.expected), String(a.surveyed), percent(a), String(a.confirmed), String(a.corrected), String(a.retired), String(a.added)]
        }
        let title = "census \(c.id): class \(c.classCode) in \(c.regionCode), \(c.state.rawValue), due \(format.string(c.dueAt)); surveyed \(r.surveyed) of \(r.expected)"
        if md {
            Output.line("# " + title)
            Output.line()
            Output.line("| " + header.joined(separator: " | ") + " |")
            Output.line("|" + header.map { _ in "---" }.joined(separator: "|") + "|")
            for row in rows { Output.line("| " + row.map(markdownCell).joined(separator: " | ") + " |") }
            if c.state == .closed {
                Output.line()
                Output.line("## Changes (\(r.changes.filter { !$0.changes.isEmpty }.count))")
                for change in r.changes where !change.changes.isEmpty {
                    Output.line("- \(change.componentID) \(change.kind.rawValue): \(change.changes.map(markdownCell).joined(separator: "; "))")
                }
            }
            return
        }
        Output.line(title)
        Output.table(header, rows)
        if c.state == .closed {
            let changed = r.changes.filter { !$0.changes.isEmpty }
            Output.line("changes (\(changed.count))")
            for change in changed { Output.line("  \(change.componentID)  \(change.kind.rawValue)  \(change.changes.joined(separator: "; "))") }
        }
    }

    /// A table cell of Markdown: no pipe or line break of its own.
    static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
