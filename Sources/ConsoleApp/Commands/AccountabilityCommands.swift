import ArgumentParser
import Foundation
import Workflow

/// `citygrid accountability add|list`: the accountability register (问责, issue 18). The rule (a supervisor's, for a case
/// in their region; append-only) is Workflow's (`CityStore+Accountability.swift`).
struct AccountabilityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accountability",
        abstract: "The accountability register (问责): who was held accountable for an exposed case, and how. Append-only.",
        subcommands: [Add.self, List.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Record that a unit was held accountable for a case (a supervisor's); entries are never changed or deleted.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The case id.") var caseID: Int64
        @Option(help: ArgumentHelp("The unit held accountable: a department, center, street or community code.", valueName: "CODE")) var unit: String
        @Option(help: ArgumentHelp("What was done (约谈, 通报批评…).", valueName: "TEXT")) var measure: String
        @OptionGroup var actor: ActorOption<SupervisorHelp>
        @OptionGroup var at: AtOption<SharedHelp.When>
        @OptionGroup var output: OutputOptions<AccountabilityJSONHelp>
        enum SupervisorHelp: OptionHelp { static var help: ArgumentHelp { "The supervisor recording it." } }

        func run() throws {
            try guarded {
                let s = try store.session()
                let entry = try s.oversight.addAccountability(caseID: caseID, unit: unit, measure: measure, by: actor.actor, at: try s.now(at.at))
                if output.json { return try Output.json(AccountabilityJSON(entry, format: s.format)) }
                Output.line("accountability \(entry.id): case \(entry.caseID), \(entry.unit) (\(entry.unitName)): \(entry.measure)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "The register's entries, oldest first: all, or those recorded in a month or since a time.")
        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("Only this month (YYYY-MM).", valueName: "MONTH")) var month: String?
        @Option(help: "Only from this time on, ISO-8601.") var since: String?
        @OptionGroup var viewer: ActorOption<SharedHelp.Viewer>
        @OptionGroup var output: OutputOptions<AccountabilityJSONHelp>

        func validate() throws {
            if month != nil && since != nil { throw ValidationError("choose one of --month and --since") }
        }

        func run() throws {
            try guarded {
                let s = try store.session()
                let format = s.format
                var from: Date?, to: Date?
                if let month {
                    let period = try EvaluationPeriod.month(parsing: month)
                    let calendar = try s.site.context().calendar
                    from = calendar.date(of: period.from, minuteOfDay: 0)
                    to = calendar.date(of: period.to, minuteOfDay: 0)
                }
                if let since { from = try format.parse(since) }
                let entries = try s.oversight.accountability(from: from, to: to, viewer: try s.access.viewer(viewer.actor))
                if output.json { return try Output.json(entries.map { AccountabilityJSON($0, format: format) }) }
                if entries.isEmpty { return Output.line("no entries") }
                for e in entries {
                    Output.line("\(e.id)  \(format.string(e.recordedAt))  case \(e.caseID)  \(e.unit) (\(e.unitName))  by \(e.recordedBy): \(e.measure)")
                }
            }
        }
    }
}

enum AccountabilityJSONHelp: OptionHelp {
    static var help: ArgumentHelp { "Print JSON: {id, case, unit, unit_name, measure, recorded_by, recorded_at, via}." }
}

struct AccountabilityJSON: Encodable {
    var id: Int64
    var `case`: Int64
    var unit: String
    var unit_name: String
    var measure: String
    var recorded_by: String
    var recorded_at: String
    var via: String?

    init(_ e: AccountabilityEntry, format: InstantFormat) {
        id = e.id; `case` = e.caseID; unit = e.unit; unit_name = e.unitName; measure = e.measure
        recorded_by = e.recordedBy; recorded_at = format.string(e.recordedAt); via = e.via
    }
}
