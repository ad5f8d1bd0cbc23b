import ArgumentParser
import Curses
import CityGridDemo
import Foundation
import Workflow

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an empty site database.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Management model: centralized, one-monitor-two-command, two-monitor-one-command, two-monitor-two-command.")
    var model: ManagementModel = .oneMonitorTwoCommand
    @Option(name: .customLong("city-code"), help: "The city's 6-digit administrative code.") var cityCode = "110000"
    @Option(name: .customLong("city-name"), help: "The city's name.") var cityName = "示范市"
    @Option(help: "Time zone of the working calendar.") var timezone = SiteSettings.defaultTimeZoneName
    @Option(name: .customLong("working-hours"), help: "Weekly working hours, e.g. \"mon-fri 08:30-12:00,13:30-17:30\".")
    var workingHours = WeeklySchedule.standard.description
    @Option(name: .customLong("admin-login"), help: "Login of the site's first operator, an admin bound to the Unix account running init.")
    var adminLogin = "admin"
    @Option(name: .customLong("admin-name"), help: "That admin's name.") var adminName = "Administrator"
    @Flag(help: "Replace an existing database file.") var force = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        guard cityCode.count == 6, cityCode.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ValidationError("--city-code must be 6 digits")
        }
    }

    func run() throws {
        try guarded {
            let path = store.path
            let created = try Now.beforeSite(nil)
            // The site signs its operators in; its first is an admin bound to whoever ran init.
            guard let unixUser = UnixAccount.current() else {
                throw WorkflowError.invalidInput("this process's user (uid \(geteuid())) has no account name to bind the admin to; run init as a named account")
            }
            try OperatorRules.checkLogin(adminLogin)
            _ = try OperatorRules.checkName(adminName, what: "--admin-name")
            try SiteBuild.build(at: path, replace: force) { temporary throws(WorkflowError) in
                let db = try CityStore.open(path: temporary, create: true)
                try db.createSite(SiteSettings(model: model, cityCode: cityCode, cityNameZh: cityName, cityNameEn: cityName,
                                               timeZone: timezone, weeklySchedule: workingHours, access: .signed),
                                  categories: try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV),
                                  departments: try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV),
                                  createdAt: created)
                try db.addFirstAdmin(login: adminLogin, name: adminName, unixUser: unixUser, at: created)
                return (db, ())
            }
            if output.json {
                try Output.json(["path": path, "model": model.rawValue, "city": cityCode, "access": AccessMode.signed.rawValue,
                                 "admin": adminLogin, "unix_user": unixUser])
            } else {
                Output.line("created \(path): \(model.rawValue) site for city \(cityCode)")
                Output.line("admin \(adminLogin) is bound to Unix account \(unixUser); next: citygrid doctor (docs/setup.md)")
            }
        }
    }
}

struct SeedDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Build the demo city: three districts, staffed centers, 100,000+ components, and days of history ending now.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Management model.") var model: ManagementModel = .oneMonitorTwoCommand
    @Option(help: "Random seed: the same seed builds the same city.") var seed: UInt64 = 1
    @Option(help: "Days of history, ending now.") var days = 30
    @Option(help: "Cases in the history (default: 700 a day).") var cases: Int?
    @Flag(help: "Replace an existing database file.") var force = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        guard (1...3660).contains(days) else { throw ValidationError("--days must be between 1 and 3660") }
        if let cases, !(0...20_000_000).contains(cases) { throw ValidationError("--cases must be between 0 and 20000000") }
    }

    func run() throws {
        try guarded {
            let path = store.path
            _ = try SiteBuild.target(path, replace: force)     // refused before minutes of work, not after
            let now = try Now.beforeSite(nil)
            let showProgress = isatty(STDERR_FILENO) == 1 && !output.json
            let progress: (@Sendable (String) -> Void)? = showProgress ? { @Sendable message in Output.progress("seed-demo: " + message) } : nil
            let options = DemoOptions(model: model, seed: seed, days: days, cases: cases, now: now)
            let summary = try SiteFiles.seedDemo(at: path, replace: force, options: options, progress: progress)
            if output.json {
                try Output.json(SeedJSON(path: path, model: model.rawValue, seed: seed, districts: summary.districts,
                                         streets: summary.streets, communities: summary.communities, cells: summary.cells,
                                         patrol_areas: summary.patrolAreas, operators: summary.operators,
                                         components: summary.components, cases: summary.cases, open_cases: summary.openCases,
                                         history_rows: summary.historyRows, seconds: summary.seconds))
            } else {
                Output.line("demo city in \(path) (\(model.rawValue), seed \(seed))")
                Output.line("  \(summary.districts) districts, \(summary.streets) streets, \(summary.communities) communities, \(summary.cells) cells, \(summary.patrolAreas) patrol areas")
                Output.line("  \(summary.operators) operators, \(summary.components) components")
                Output.line("  \(summary.cases) cases (\(summary.openCases) open), \(summary.historyRows) history rows, in \(String(format: "%.1f", summary.seconds)) s")
            }
        }
    }
}

struct SeedJSON: Encodable {
    var path: String
    var model: String
    var seed: UInt64
    var districts, streets, communities, cells, patrol_areas, operators, components, cases, open_cases, history_rows: Int
    var seconds: Double
}

/// Creating a site never overwrites an existing database silently, and never leaves half a site: the new file
/// is built beside the target and renamed into place when complete (`SiteBuild`).
enum SiteFiles {
    /// Seeds a demo city as a bulk load into a temporary file, switches it to WAL and renames it over `path`
    /// (with `replace`; otherwise an existing `path` is refused). A failed or killed load leaves `path` as it was.
    static func seedDemo(at path: String, replace: Bool, options: DemoOptions, buildEvaluation: Bool = true,
                         progress: (@Sendable (String) -> Void)?) throws(WorkflowError) -> DemoSummary {
        try SiteBuild.build(at: path, replace: replace) { temporary throws(WorkflowError) in
            let store = try CityStore.createForBulkLoad(path: temporary)
            let summary = try DemoCity.seed(into: store, options: options, progress: progress)
            if buildEvaluation {
                // The evaluation's daily totals, built once now rather than on the first `stats` or heatmap.
                progress?("evaluation totals")
                _ = try store.refreshEvaluation(rebuild: true)
            }
            try store.finishBulkLoad()
            return (store, summary)
        }
    }
}

/// `citygrid site`: the site's settings, and the time window its admin may change.
struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site", abstract: "The site's settings: show them, or change the time window, the console bell, follow-ups, who files and closes, or the hotline lines.",
        subcommands: [SiteShow.self, SiteSetTimeWindow.self, SiteSetBell.self, SiteSetFollowUp.self, SiteSetFilingCenter.self,
                      SiteSetClosingCenter.self, SiteAddLine.self, SiteLines.self])
}

struct SiteShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the site's settings and its time window as of now.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let settings = try site.settings()
            let window = try site.timeWindow()
            let now = try session.clock()
            try SiteText.print(settings, window: window, lines: try site.hotlineLines(), now: now, json: output.json)
        }
    }
}

struct SiteSetTimeWindow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-time-window",
        abstract: "Change how far back and ahead a time (--at, an import's reported_at, the clock) may lie.",
        discussion: """
            Times before the working calendar's first year (else the site's creation day) minus --past-years years, or \
            more than --future-minutes after the clock, are refused. Defaults: 10 years, 5 minutes.
            """)
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("past-years"), help: "Years before the calendar's start, 0 to 100.") var pastYears: Int?
    @Option(name: .customLong("future-minutes"), help: "Minutes after the clock, 0 to 1440.") var futureMinutes: Int?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        guard pastYears != nil || futureMinutes != nil else { throw ValidationError("give --past-years, --future-minutes or both") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let window = try site.setTimeWindow(pastYears: pastYears, futureMinutes: futureMinutes)
            let now = try session.clock()
            try SiteText.print(try site.settings(), window: window, lines: try site.hotlineLines(), now: now, json: output.json)
        }
    }
}

/// `citygrid site set-filing-center monitoring|command`: whose shift leads file (立案) cases.
struct SiteSetFilingCenter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-filing-center",
        abstract: "Which center's shift leads file cases: monitoring or command (an admin's).",
        discussion: """
            Unset, the model decides: in the centralized model the command center files, in the others the monitoring \
            center. Command centers need active shift leads to file (doctor reports a center without one).
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "monitoring or command.") var center: String
    @OptionGroup var actor: ActorOption<SharedHelp.AdminOnOpenSite>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws { try SiteText.setCenter(.filing, to: center, store: store, actor: actor.actor, json: output.json) }
}

/// `citygrid site set-closing-center monitoring|command`: whose shift leads close (结案) cases.
struct SiteSetClosingCenter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-closing-center",
        abstract: "Which center's shift leads close cases: monitoring or command (an admin's).",
        discussion: """
            Unset, the model decides: in the centralized model the command center closes, in the others the monitoring \
            center. Command centers need active shift leads to close (doctor reports a center without one).
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "monitoring or command.") var center: String
    @OptionGroup var actor: ActorOption<SharedHelp.AdminOnOpenSite>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws { try SiteText.setCenter(.closing, to: center, store: store, actor: actor.actor, json: output.json) }
}

/// Who files and closes, for `site set-filing-center`, `site set-closing-center` and `doctor --json`.
struct CaseRulesJSON: Encodable {
    var model, filing_center, closing_center: String
    /// Whether the setting is unset, so the model's default holds.
    var filing_center_default, closing_center_default: Bool

    init(_ settings: SiteSettings) {
        let rules = settings.rules
        model = rules.model.rawValue
        filing_center = rules.filingCenter.rawValue; closing_center = rules.closingCenter.rawValue
        filing_center_default = settings.filingCenter == nil; closing_center_default = settings.closingCenter == nil
    }
}

enum SiteText {
    /// Who files and closes, as `site show` and `doctor` put it: "filing: command center shift leads (the centralized
    /// model's default)".
    static func caseRulesLines(_ s: SiteSettings) -> [String] {
        let rules = s.rules
        func line(_ what: String, _ kind: CenterKind, set: Bool) -> String {
            "\(what): \(kind.rawValue) center shift leads" + (set ? "" : " (the \(rules.model.rawValue) model's default)")
        }
        return [line("filing", rules.filingCenter, set: s.filingCenter != nil), line("closing", rules.closingCenter, set: s.closingCenter != nil)]
    }

    enum CaseStage { case filing, closing }

    /// `set-filing-center` and `set-closing-center`: the one setting changed, then who files and closes now.
    static func setCenter(_ stage: CaseStage, to text: String, store: StoreOptions, actor: String?, json: Bool) throws {
        try guarded {
            let s = try store.session()
            let center = try centerKind(text)
            try s.site.setCaseRules(filing: stage == .filing ? center : nil, closing: stage == .closing ? center : nil, by: actor, at: try s.now())
            try printCaseRules(try s.site.settings(), json: json)
        }
    }

    /// The argument of `set-filing-center` and `set-closing-center`; anything else is refused as input (exit 2).
    static func centerKind(_ text: String) throws -> CenterKind {
        guard let kind = CenterKind(rawValue: text) else { throw WorkflowError.invalidInput("a center is monitoring or command, not '\(text)'") }
        return kind
    }

    static func printCaseRules(_ settings: SiteSettings, json: Bool) throws {
        if json { return try Output.json(CaseRulesJSON(settings)) }
        for line in caseRulesLines(settings) { Output.line(line) }
    }
    static func print(_ s: SiteSettings, window: TimeWindow, lines: [HotlineLine], now: Date, json: Bool) throws {
        let format = InstantFormat(timeZone: window.timeZone)
        let anchor: String? = switch window.anchor {
        case .calendar(let d)?, .siteCreated(let d)?: d.description
        case nil: nil
        }
        let anchorKind = switch window.anchor {
        case .calendar?: "calendar"
        case .siteCreated?: "site-created"
        case nil: "clock"
        }
        if json {
            return try Output.json(SiteJSON(
                model: s.model.rawValue, city_code: s.cityCode, city_name: s.cityNameZh, city_name_en: s.cityNameEn, timezone: s.timeZone,
                working_hours: s.weeklySchedule, filing_center: s.rules.filingCenter.rawValue, closing_center: s.rules.closingCenter.rawValue,
                time_window: TimeWindowJSON(past_years: window.pastYears, future_minutes: window.futureMinutes, anchor: anchor,
                                            anchor_kind: anchorKind, earliest: format.string(window.earliest(now: now)),
                                            latest: format.string(window.latest(now: now))),
                hotline_lines: lines.map(HotlineLineJSON.init)))
        }
        Output.line("site      \(s.cityCode) \(s.cityNameZh) / \(s.cityNameEn), \(s.model.rawValue)")
        Output.line("time zone \(s.timeZone); working hours \(s.weeklySchedule)")
        for line in caseRulesLines(s) { Output.line(line) }
        Output.line("time window: \(window.rule)")
        Output.line("  now accepts \(format.string(window.earliest(now: now))) to \(format.string(window.latest(now: now)))")
        Output.line("hotline lines: " + lines.map { "\($0.code) \(TerminalText.sanitize($0.name))" }.joined(separator: ", "))
    }
}

struct SiteJSON: Encodable {
    var model, city_code, city_name, city_name_en, timezone, working_hours: String
    /// Which kind of center's shift leads file and close cases (the setting, else the model's default).
    var filing_center, closing_center: String
    var time_window: TimeWindowJSON
    var hotline_lines: [HotlineLineJSON]
}

struct TimeWindowJSON: Encodable {
    var past_years, future_minutes: Int
    var anchor: String?
    var anchor_kind, earliest, latest: String

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(past_years, forKey: .past_years); try c.encode(future_minutes, forKey: .future_minutes)
        try c.encode(anchor, forKey: .anchor); try c.encode(anchor_kind, forKey: .anchor_kind)
        try c.encode(earliest, forKey: .earliest); try c.encode(latest, forKey: .latest)
    }
    enum CodingKeys: String, CodingKey { case past_years, future_minutes, anchor, anchor_kind, earliest, latest }
}
