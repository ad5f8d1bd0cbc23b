import ArgumentParser
import Foundation
import Workflow

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar", abstract: "The working calendar: holidays and make-up workdays.",
                                                    subcommands: [CalendarImport.self, CalendarShow.self])
}

struct CalendarImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import",
                                                    abstract: "Merge holidays and make-up workdays from a CSV file of date,kind (kind holiday or workday).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "CSV file, or - for standard input.") var file: String
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let text: String
            if file == "-" {
                text = try TextArgument.read("-", limitBytes: 4 << 20)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw WorkflowError.notFound("cannot read \(file)")
                }
                guard let decoded = String(data: data, encoding: .utf8) else {
                    throw WorkflowError.invalidInput("\(file) is not UTF-8 text")
                }
                text = decoded
            }
            let days: [LocalDate: DayKind]
            do { days = try CalendarExceptions.parse(csv: text) } catch {
                throw WorkflowError.invalidInput("\(file): \(error)")
            }
            let count = try store.open().site.importCalendar(days)
            let holidays = days.values.filter { $0 == .holiday }.count
            if output.json {
                try Output.json(["imported": count, "holidays": holidays, "workdays": count - holidays])
            } else {
                Output.line("imported \(count) days (\(holidays) holidays, \(count - holidays) make-up workdays)")
            }
        }
    }
}

struct CalendarShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show working hours day by day.")
    @OptionGroup var store: StoreOptions
    @Option(help: "First day, YYYY-MM-DD (default: today).") var from: String?
    @Option(help: "Last day, YYYY-MM-DD (default: 13 days after --from).") var to: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let context = try session.site.context()
            let calendar = context.calendar
            let today = calendar.localDate(of: try session.now())
            func day(_ text: String?, _ fallback: LocalDate) throws(WorkflowError) -> LocalDate {
                guard let text else { return fallback }
                guard let date = LocalDate(string: text) else { throw .invalidInput("'\(text)' is not a date YYYY-MM-DD") }
                return date
            }
            let first = try day(from, today)
            let last = try day(to, first.adding(days: 13))
            guard first <= last else { throw WorkflowError.invalidInput("--from is after --to") }
            guard last.dayNumber - first.dayNumber <= 3660 else { throw WorkflowError.invalidInput("at most 3661 days at once") }
            let names = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
            var rows: [DayJSON] = []
            for n in first.dayNumber...last.dayNumber {
                let date = LocalDate(dayNumber: n)
                let hours = calendar.intervals(on: date).map { r in
                    String(format: "%02d:%02d-%02d:%02d", r.lowerBound / 60, r.lowerBound % 60, r.upperBound / 60, r.upperBound % 60)
                }
                let kind = calendar.exceptions[date]?.rawValue ?? (hours.isEmpty ? "off" : "working")
                rows.append(DayJSON(date: date.description, weekday: names[date.weekday], kind: kind, hours: hours,
                                    minutes: calendar.scheduledMinutes(on: date)))
            }
            if output.json { return try Output.json(CalendarJSON(timezone: calendar.timeZone.identifier, weekly: calendar.weekly.description, days: rows)) }
            Output.line("time zone \(calendar.timeZone.identifier); weekly hours: \(calendar.weekly.description)")
            Output.table(["DATE", "DAY", "KIND", "HOURS"], rows.map { [$0.date, $0.weekday, $0.kind, $0.hours.joined(separator: ", ")] })
        }
    }
}

struct DayJSON: Encodable {
    var date: String
    var weekday: String
    var kind: String
    var hours: [String]
    var minutes: Int
}

struct CalendarJSON: Encodable {
    var timezone: String
    var weekly: String
    var days: [DayJSON]
}
