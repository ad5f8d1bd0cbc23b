import ArgumentParser
import Foundation
import Workflow

/// `citygrid roster …`: who walks which patrol area in which shift (issue 17).
struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster", abstract: "Rosters (排班): import them, show a day's, and the site's shift times.",
        subcommands: [RosterImport.self, RosterShow.self, RosterShifts.self])
}

/// Reads a small text file named on the command line, or standard input for `-`.
enum SmallTextFile {
    static func read(_ path: String, limitBytes: Int = 16 << 20) throws(WorkflowError) -> String {
        if path == "-" { return try TextArgument.read("-", limitBytes: limitBytes) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
              let data = FileManager.default.contents(atPath: path) else {
            throw WorkflowError.notFound("cannot read \(path)")
        }
        guard data.count <= limitBytes else { throw WorkflowError.invalidInput("\(path) is over \(limitBytes >> 20) MiB") }
        guard let text = String(data: data, encoding: .utf8) else { throw WorkflowError.invalidInput("\(path) is not UTF-8 text") }
        return text
    }
}

struct RosterImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a roster from CSV date,shift,patrol_area,inspector: each day in the file replaces that day's roster.",
        discussion: """
            The header row is optional; blank lines and lines starting with # are skipped. Shifts are the site's \
            (see 'roster shifts'); a night shift belongs to the day it starts. Strict: if any row is wrong (a bad \
            date, an unknown shift, patrol area or inspector, an area given twice for one shift) every such row is \
            named with its line and nothing is imported.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "CSV file, or - for standard input.") var file: String
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let text = try SmallTextFile.read(file)
            let lines: [RosterLine]
            do { lines = try Roster.parse(csv: text) } catch let error as RosterRefusal {
                throw WorkflowError.invalidInput("\(file): \(error.message)")
            }
            let result: RosterImportResult
            do { result = try store.open().patrol.importRoster(lines) } catch let error as WorkflowError {
                guard case .invalidInput(let message) = error else { throw error }
                throw WorkflowError.invalidInput("\(file): \(message)")
            }
            if output.json {
                return try Output.json(RosterImportJSON(imported: result.rows, days: result.days.map(\.description), replaced: result.replaced))
            }
            Output.line("imported \(result.rows) roster rows for \(result.days.count) day\(result.days.count == 1 ? "" : "s") (\(result.replaced) earlier rows of those days replaced)")
        }
    }
}

struct RosterImportJSON: Encodable {
    var imported: Int
    var days: [String]
    var replaced: Int
}

struct RosterShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a day's roster, with who is on duty now.")
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The day, YYYY-MM-DD (default: today).", valueName: "DATE")) var date: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now()
            let calendar = try session.site.context().calendar
            let day: LocalDate
            if let date {
                guard let parsed = LocalDate(string: date) else { throw WorkflowError.invalidInput("--date '\(date)' is not a date YYYY-MM-DD") }
                day = parsed
            } else {
                day = calendar.localDate(of: now)
            }
            let patrol = session.patrol
            let settings = try patrol.patrolSettings()
            let rows = try patrol.roster(from: day, to: day)
            let onDuty = Set(try patrol.onDuty(at: now).map { "\($0.date) \($0.shift) \($0.patrolArea)" })
            let format = session.format
            let json = rows.map { e in
                let interval = settings.shift(named: e.shift)?.interval(on: e.date, calendar: calendar)
                return RosterRowJSON(date: e.date.description, shift: e.shift, starts: interval.map { format.string($0.lowerBound) },
                                     ends: interval.map { format.string($0.upperBound) }, patrol_area: e.patrolArea,
                                     inspector: e.inspectorLogin, on_duty: onDuty.contains("\(e.date) \(e.shift) \(e.patrolArea)"))
            }
            if output.json {
                return try Output.json(RosterShowJSON(date: day.description, timezone: calendar.timeZone.identifier, now: format.string(now),
                                                      shifts: settings.shifts.map(ShiftJSON.init), rows: json))
            }
            Output.line("roster of \(day) · shifts \(settings.shifts.map(\.description).joined(separator: ", ")) · \(calendar.timeZone.identifier)")
            guard !json.isEmpty else { return Output.line("no roster for \(day)") }
            Output.table(["SHIFT", "STARTS", "ENDS", "AREA", "INSPECTOR", "NOW"], json.map {
                [$0.shift, $0.starts ?? "-", $0.ends ?? "-", $0.patrol_area, $0.inspector, $0.on_duty ? "on duty" : ""]
            })
        }
    }
}

struct ShiftJSON: Encodable {
    var name: String
    var start: String
    var end: String
    var minutes: Int
    init(_ s: ShiftTime) {
        name = s.name; minutes = s.minutes
        start = String(format: "%02d:%02d", s.start / 60, s.start % 60); end = String(format: "%02d:%02d", s.end / 60, s.end % 60)
    }
}

struct RosterRowJSON: ExplicitNullEncodable {
    var date: String
    var shift: String
    var starts: String?
    var ends: String?
    var patrol_area: String
    var inspector: String
    var on_duty: Bool
}

struct RosterShowJSON: Encodable {
    var date: String
    var timezone: String
    var now: String
    var shifts: [ShiftJSON]
    var rows: [RosterRowJSON]
}

struct RosterShifts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shifts", abstract: "Show or set the site's shifts and how often every cell should be patrolled.")
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("set"), help: ArgumentHelp("The shifts, NAME=HH:MM-HH:MM,… in local time; an end at or before the start is the next day.",
                                                         valueName: "SHIFTS"))
    var shifts: String?
    @Option(name: .customLong("interval-hours"), help: ArgumentHelp("Every cell should be visited within this many hours (coverage).", valueName: "HOURS"))
    var intervalHours: Int?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let patrol = try store.open().patrol
            var settings = try patrol.patrolSettings()
            if shifts != nil || intervalHours != nil {
                if let shifts { settings.shifts = try PatrolSettings.parseShifts(shifts) }
                if let intervalHours {
                    guard PatrolSettings.intervalRange.contains(intervalHours) else {
                        throw WorkflowError.invalidInput("--interval-hours must be 1 to \(PatrolSettings.intervalRange.upperBound)")
                    }
                    settings.intervalHours = intervalHours
                }
                try patrol.setPatrolSettings(settings)
            }
            if output.json { return try Output.json(PatrolSettingsJSON(shifts: settings.shifts.map(ShiftJSON.init), interval_hours: settings.intervalHours)) }
            Output.table(["SHIFT", "START", "END", "HOURS"], settings.shifts.map(ShiftJSON.init).map {
                [$0.name, $0.start, $0.end, String(format: "%g", Double($0.minutes) / 60)]
            })
            Output.line("every cell to be patrolled within \(settings.intervalHours) hours")
        }
    }
}

struct PatrolSettingsJSON: Encodable {
    var shifts: [ShiftJSON]
    var interval_hours: Int
}
