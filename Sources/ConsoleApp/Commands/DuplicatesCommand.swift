import ArgumentParser
import Foundation
import Workflow

struct DuplicatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Likely duplicates of a case (or of a report about to be filed): open cases of the same category in the same or a neighbouring cell, reported within the site's window.",
        discussion: """
            citygrid duplicates ID [--as OP] [--json]
            citygrid duplicates --kind event --category 0102 --cell CODE     (a report not yet filed)
            citygrid duplicates --set-window-hours 24                        (the site's window; default 24 h)
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "Case id.") var id: String?
    @OptionGroup var actor: ActorOption<SharedHelp.Viewer>
    @Option(help: "event or component (with --category and --cell, instead of ID).") var kind: CategoryKind = .event
    @Option(help: "4-digit category code, for a report not yet filed.") var category: String?
    @Option(help: "15-digit cell code, for a report not yet filed.") var cell: String?
    @Option(name: .customLong("window-hours"), help: "Use this window instead of the site's.") var windowHours: Double?
    @Option(name: .customLong("set-window-hours"), help: "Set the site's duplicate window, in hours.") var setWindowHours: Double?
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        if let id, Int64(id) == nil { throw ValidationError("case id must be a number, not '\(id)'") }
        if id == nil && setWindowHours == nil && (category == nil || cell == nil) {
            throw ValidationError("give a case ID, or --category and --cell, or --set-window-hours H")
        }
        if let windowHours, !(windowHours > 0 && windowHours <= 2160) { throw ValidationError("--window-hours must be between 0 and 2160") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let cases = session.cases
            if let hours = setWindowHours {
                try cases.setDuplicateWindow(hours: hours)
                if id == nil && category == nil {
                    if output.json { return try Output.json(["window_hours": hours]) }
                    return Output.line("duplicate window: \(TableWriterFormat.hours(hours)) h")
                }
            }
            let context = try session.site.context()
            let format = InstantFormat(timeZone: context.calendar.timeZone)
            let now = try session.now(at)
            let viewer = try session.access.viewer(actor.actor)
            let rule = windowHours.map { DuplicateRule(windowHours: $0) }
            let found: [DuplicateCandidate]
            if let id {
                found = try cases.likelyDuplicates(ofCase: Int64(id)!, at: now, viewer: viewer, rule: rule)
            } else {
                let draft = ReportDraft(kind: kind, categoryCode: category!, cellCode: cell!, description: "-")
                found = try cases.likelyDuplicates(of: draft, at: now, viewer: viewer, rule: rule)
            }
            if output.json { return try Output.json(found.map { DuplicateJSON($0, format: format) }) }
            if found.isEmpty { return Output.line("no likely duplicates") }
            Output.table(["ID", "STATE", "CATEGORY", "CELL", "STEPS", "METRES", "AGE", "DESCRIPTION"], found.map { d in
                let c = d.serviceCase
                return [String(c.id), c.state.rawValue, "\(c.kind.rawValue) \(c.categoryCode)", c.cellCode, String(d.cellDistance),
                        d.meters.map { String(Int($0.rounded())) } ?? "-", TableWriterFormat.age(d.age), c.description]
            }, maxWidth: 40)
        }
    }
}

struct DuplicateJSON: ExplicitNullEncodable {
    var id: Int64
    var state: String
    var kind: String
    var category: String
    var cell: String
    var cell_distance: Int
    var meters: Double?
    var age_minutes: Int
    var reported_at: String
    var source: String
    var description: String

    init(_ d: DuplicateCandidate, format: InstantFormat) {
        let c = d.serviceCase
        id = c.id; state = c.state.rawValue; kind = c.kind.rawValue; category = c.categoryCode; cell = c.cellCode
        cell_distance = d.cellDistance; meters = d.meters.map { ($0 * 10).rounded() / 10 }; age_minutes = Int((d.age / 60).rounded(.down))
        reported_at = format.string(c.reportedAt); source = c.source.rawValue; description = c.description
    }
}

enum TableWriterFormat {
    static func hours(_ h: Double) -> String { h == h.rounded() ? String(Int(h)) : String(h) }

    static func age(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60)
        if minutes < 0 { return "in \(-minutes)m" }
        return DurationText.minutes(minutes, long: .hours)
    }
}
