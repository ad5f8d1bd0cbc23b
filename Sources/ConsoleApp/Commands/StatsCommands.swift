import ArgumentParser
import Curses
import Foundation
import Workflow

extension EvaluationGrouping: ExpressibleByArgument {}

/// `citygrid stats`: every indicator, stage times and composite scores of a period, grouped.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Evaluation figures of a period: indicators, stage times and composite scores with bands, grouped.",
        discussion: """
            A period is whole days in the site's time zone, --from included, --to not (the first day not counted);
            by default the current month up to now. Each event counts on its own day: filing on the day filed,
            closure on the day closed (definitions: docs/evaluation.md). Rates are percentages; n/a means nothing
            to count (a zero denominator). The last row, TOTAL, is the whole city (or the --within region).
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("First day counted (YYYY-MM-DD).", valueName: "DATE")) var from: String?
    @Option(help: ArgumentHelp("First day not counted (YYYY-MM-DD); default: tomorrow, i.e. up to now.", valueName: "DATE")) var to: String?
    @Option(help: ArgumentHelp("A calendar month instead of --from/--to (YYYY-MM).", valueName: "MONTH")) var month: String?
    @Option(help: ArgumentHelp("A calendar quarter instead of --from/--to (YYYYQn, e.g. 2027Q1).", valueName: "QUARTER")) var quarter: String?
    @Option(help: ArgumentHelp("A calendar year instead of --from/--to (YYYY).", valueName: "YEAR")) var year: String?
    @Option(help: "district, street, community, cell, patrol-area, category, department, operator, center or city.") var by: EvaluationGrouping = .district
    @Option(help: ArgumentHelp("Only groups inside this district, street or community (region groupings).", valueName: "CODE")) var within: String?
    @Option(help: ArgumentHelp("Show how one row's composite score was made (its key, e.g. 110101 or a login).", valueName: "KEY")) var explain: String?
    @Flag(help: "Rebuild the stored daily rollups from the whole history first.") var rebuild = false
    @Flag(help: "Print the scoring weights and bands (site configuration) instead of figures.") var weights = false
    @Option(name: .customLong("set-weight"), parsing: .singleValue,
            help: ArgumentHelp("Set a weight: SUBJECT:INDICATOR=WEIGHT, e.g. region:closure_rate=35 (0 removes it). Repeatable.",
                               valueName: "SPEC"))
    var setWeight: [String] = []
    @Option(name: .customLong("set-band"), parsing: .singleValue,
            help: ArgumentHelp("Set a band's lowest score: BAND=SCORE, e.g. A=92. Repeatable.", valueName: "SPEC"))
    var setBand: [String] = []
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(help: "Print CSV (every count, indicator and stage time).") var csv = false
    @Flag(help: "Print Markdown.") var md = false

    func validate() throws {
        if [output.json, csv, md].filter({ $0 }).count > 1 { throw ValidationError("choose one of --json, --csv and --md") }
        if [from != nil || to != nil, month != nil, quarter != nil, year != nil].filter({ $0 }).count > 1 {
            throw ValidationError("choose one of --from/--to, --month, --quarter and --year")
        }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let evaluation = session.evaluation
            if weights || !setWeight.isEmpty || !setBand.isEmpty { return try configure(evaluation) }
            let settings = try session.site.settings()
            let zone = session.timeZone
            let now = try session.now()
            let period = try month.map(EvaluationPeriod.month(parsing:)) ?? quarter.map(EvaluationPeriod.quarter(parsing:))
                ?? year.map(EvaluationPeriod.year(parsing:))
                ?? StatsDates.period(from: from, to: to, now: now, zone: zone)
            StatsDates.announceBuild(evaluation, forced: rebuild)
            if rebuild { try evaluation.refreshEvaluation(rebuild: true) }
            let report = try evaluation.evaluation(EvaluationQuery(period: period, grouping: by, within: within), at: now)
            let format = InstantFormat(timeZone: zone)
            if let explain {
                guard let row = report.rows.first(where: { $0.key == explain }) ?? (explain == "TOTAL" ? report.total : nil) else {
                    throw WorkflowError.notFound("no row '\(explain)' in the \(by.rawValue) figures")
                }
                return try explainRow(row, report: report)
            }
            let lines = try session.site.hotlineLineCounts(period, within: within)
            if output.json { return try Output.json(StatsJSON(report, format: format, lines: lines)) }
            if csv {
                let table = EvaluationExport.table(report, full: true)
                return try StatsCSV.print(table.header, table.rows)
            }
            let table = EvaluationExport.table(report, full: false)
            let title = "stats \(period.inclusiveDescription) by \(by.rawValue)\(within.map { " within \($0)" } ?? "") · as of \(format.string(now))"
            if md {
                Output.line("# \(settings.cityNameZh) · \(title)")
                Output.line()
                for line in EvaluationExport.markdownTable(table.header, table.rows) { Output.line(line) }
                Output.line()
                Output.line("Rates in %; n/a: nothing to count. Score: composite with the site's weights; band A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below (as configured).")
                return
            }
            Output.line(title)
            Output.table(table.header.map { Self.shortLabels[$0] ?? $0.uppercased() }, table.rows, maxWidth: 24)
            Output.line("rates in %: found (发现率), handling (处置率), resolution (解决率); valid reports, missed reports, on-time filing, dispatch, handling; closure; on-time closure; rework; Open311 on-time")
            Output.line("hotline reports by line: " + lines.map { "\($0.line ?? "none") \($0.reports)" }.joined(separator: ", "))
        }
    }

    /// Column titles of the terminal table (CSV and Markdown keep the field names).
    static let shortLabels: [String: String] = [
        "valid_report_rate": "VALID%", "missed_report_rate": "MISSED%", "on_time_filing_rate": "FILE%",
        "on_time_dispatch_rate": "DISP%", "on_time_handling_rate": "HANDLE%", "closure_rate": "CLOSURE%",
        "on_time_closure_rate": "ONTIME%", "rework_rate": "REWORK%", "open311_on_time_rate": "OPEN311%", "overdue_now": "OVERDUE",
        "found_rate": "FOUND%", "handling_rate": "HANDLING%", "resolution_rate": "RESOLVED%",
    ]

    /// `--weights`, `--set-weight`, `--set-band`: the scoring rules, changed first if asked.
    private func configure(_ evaluation: any EvaluationStore) throws {
        for spec in setWeight {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            let names = parts.first?.split(separator: ":").map(String.init) ?? []
            guard parts.count == 2, names.count == 2, let weight = Double(parts[1]) else {
                throw WorkflowError.invalidInput("--set-weight takes SUBJECT:INDICATOR=WEIGHT, not '\(spec)'")
            }
            guard let subject = EvaluationSubject(rawValue: names[0]) else {
                throw WorkflowError.invalidInput("unknown subject '\(names[0])'; subjects: \(EvaluationSubject.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let indicator = Indicator(rawValue: names[1]) else {
                throw WorkflowError.invalidInput("unknown indicator '\(names[1])'; indicators: \(Indicator.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            try evaluation.setEvaluationWeight(subject: subject, indicator: indicator, weight: weight)
        }
        for spec in setBand {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let score = Double(parts[1]) else {
                throw WorkflowError.invalidInput("--set-band takes BAND=SCORE, not '\(spec)'")
            }
            try evaluation.setEvaluationBand(parts[0], minScore: score)
        }
        let rules = try evaluation.scoringRules()
        if output.json {
            return try Output.json(WeightsJSON(
                weights: rules.weights.map { WeightJSON(subject: $0.subject.rawValue, indicator: $0.indicator.rawValue, weight: $0.weight) },
                bands: rules.bands.map { BandJSON(band: $0.band, min_score: $0.minScore) }))
        }
        let header = ["subject", "indicator", "weight"]
        let rows = rules.weights.map { [$0.subject.rawValue, $0.indicator.rawValue, String(format: "%g", $0.weight)] }
        let bandLine = "bands: " + rules.bands.map { "\($0.band) ≥ \(String(format: "%g", $0.minScore))" }.joined(separator: ", ")
        if csv { return try StatsCSV.print(header, rows) }
        if md {
            for line in EvaluationExport.markdownTable(header, rows) { Output.line(line) }
            Output.line()
            Output.line(bandLine)
            return
        }
        Output.table(header.map { $0.uppercased() }, rows)
        Output.line(bandLine)
    }

    private func explainRow(_ row: EvaluationRow, report: EvaluationReport) throws {
        guard let score = row.score else {
            if output.json { return try Output.json(StatsRowJSON(row)) }
            Output.line("\(row.key) \(row.name): no composite score (nothing to judge, or no weights for this kind of group)")
            return
        }
        if output.json { return try Output.json(StatsRowJSON(row)) }
        let table = EvaluationExport.breakdown(score)
        if csv { return try StatsCSV.print(table.header, table.rows) }
        let head = "\(row.key) \(row.name): \(String(format: "%.1f", score.total)) \(score.band) (\(score.subject.rawValue) weights, \(report.period.inclusiveDescription))"
        if md {
            Output.line("## " + head)
            Output.line()
            for line in EvaluationExport.markdownTable(table.header, table.rows) { Output.line(line) }
            return
        }
        Output.line(head)
        Output.table(table.header.map { $0.uppercased() }, table.rows)
        Output.line("points = score × weight / (sum of the weights of the indicators with a value)")
    }
}

/// `citygrid bulletin daily|monthly|quarterly|annual`: the daily exposure list and the periodic bulletins.
struct BulletinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulletin",
        abstract: "Bulletins ready to circulate: daily exposure (日曝光), monthly (月通报), quarterly and annual bulletins, as Markdown or CSV.",
        subcommands: [Daily.self, Monthly.self, Quarterly.self, Annual.self])

    struct Daily: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "daily",
            abstract: "The day's figures, the most overdue open cases (as of now) and the lowest-scoring regions and departments of the day.")

        @OptionGroup var store: StoreOptions
        @Option(help: ArgumentHelp("The day (YYYY-MM-DD); default: today.", valueName: "DATE")) var date: String?
        @Option(help: "How many overdue cases to list.") var cases = 20
        @Option(help: "How many regions and departments to list.") var worst = 5
        @Option(help: "Regions ranked: district, street or community.") var level: EvaluationGrouping = .street
        @Flag(help: "Print CSV.") var csv = false
        @Flag(help: "Print Markdown (the default).") var md = false

        func validate() throws {
            if csv && md { throw ValidationError("choose one of --csv and --md") }
            guard (0...1000).contains(cases), (0...1000).contains(worst) else { throw ValidationError("--cases and --worst take 0 to 1000") }
        }

        func run() throws {
            try guarded {
                let session = try store.session()
                let evaluation = session.evaluation
                let zone = session.timeZone
                let now = try session.now()
                let day = try date.map(StatsDates.parse) ?? StatsDates.today(now, zone: zone)
                StatsDates.announceBuild(evaluation, forced: false)
                let bulletin = try evaluation.dailyBulletin(date: day, at: now, cases: cases, worst: worst, regionLevel: level)
                let format = InstantFormat(timeZone: zone)
                if csv {
                    let table = bulletin.csv(format: format)
                    return try StatsCSV.print(table.header, table.rows)
                }
                for line in bulletin.markdown(format: format, keepAnchor: CLIWording.keepAnchor) { Output.line(line) }
            }
        }
    }

    typealias Monthly = PeriodicBulletin<MonthSpan>
    typealias Quarterly = PeriodicBulletin<QuarterSpan>
    typealias Annual = PeriodicBulletin<YearSpan>
}

/// What makes a periodic bulletin's command: its name, its period's flag and how that flag's text (or today) gives the period.
protocol BulletinSpan {
    static var command: String { get }
    static var abstract: String { get }
    static var flag: String { get }
    static var valueName: String { get }
    static var help: String { get }
    static func period(_ text: String?, today: LocalDate) throws(WorkflowError) -> EvaluationPeriod
}

enum MonthSpan: BulletinSpan {
    static let command = "monthly", flag = "month", valueName = "MONTH"
    static let abstract = "A month's totals with month-on-month change, and rankings with bands of districts, streets, departments and staff."
    static let help = "The month (YYYY-MM); default: the current month up to now."
    static func period(_ text: String?, today: LocalDate) throws(WorkflowError) -> EvaluationPeriod {
        if let text { return try EvaluationPeriod.month(parsing: text) }
        return .month(containing: today)
    }
}

enum QuarterSpan: BulletinSpan {
    static let command = "quarterly", flag = "quarter", valueName = "QUARTER"
    static let abstract = "A quarter's bulletin (季度通报): totals with the change on the previous quarter, rankings with bands and band changes."
    static let help = "The quarter (YYYYQn, e.g. 2027Q1); default: the current quarter up to now."
    static func period(_ text: String?, today: LocalDate) throws(WorkflowError) -> EvaluationPeriod {
        if let text { return try EvaluationPeriod.quarter(parsing: text) }
        return .quarter(containing: today)
    }
}

enum YearSpan: BulletinSpan {
    static let command = "annual", flag = "year", valueName = "YEAR"
    static let abstract = "A year's bulletin (年度通报): totals with the change on the previous year, rankings with bands and band changes."
    static let help = "The year (YYYY); default: the current year up to now."
    static func period(_ text: String?, today: LocalDate) throws(WorkflowError) -> EvaluationPeriod {
        if let text { return try EvaluationPeriod.year(parsing: text) }
        return try EvaluationPeriod.year(today.year)
    }
}

/// `bulletin monthly|quarterly|annual`: one bulletin over a calendar period, compared with the one before, as Markdown or CSV.
struct PeriodicBulletin<Span: BulletinSpan>: ParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: Span.command, abstract: Span.abstract) }

    @OptionGroup var store: StoreOptions
    @Option(name: .customLong(Span.flag), help: ArgumentHelp(Span.help, valueName: Span.valueName)) var period: String?
    @Option(help: "Inspectors listed at each end of their ranking.") var inspectors = 10
    @Flag(help: "Print CSV.") var csv = false
    @Flag(help: "Print Markdown (the default).") var md = false

    func validate() throws {
        if csv && md { throw ValidationError("choose one of --csv and --md") }
        guard (0...1000).contains(inspectors) else { throw ValidationError("--inspectors takes 0 to 1000") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let evaluation = session.evaluation
            let zone = session.timeZone
            let now = try session.now()
            let chosen = try Span.period(period, today: StatsDates.today(now, zone: zone))
            StatsDates.announceBuild(evaluation, forced: false)
            let bulletin = try evaluation.monthlyBulletin(period: chosen, at: now, inspectors: inspectors)
            if csv {
                let table = bulletin.csv()
                return try StatsCSV.print(table.header, table.rows)
            }
            for line in bulletin.markdown(format: InstantFormat(timeZone: zone)) { Output.line(line) }
        }
    }
}

/// Dates on the command line: `YYYY-MM-DD` in the site's time zone.
enum StatsDates {
    static func parse(_ text: String) throws(WorkflowError) -> LocalDate {
        guard let date = LocalDate(string: text.trimmingCharacters(in: .whitespaces)) else {
            throw .invalidInput("'\(text)' is not a date; use YYYY-MM-DD such as 2026-11-25")
        }
        return date
    }

    /// Says on a terminal's stderr when the daily rollups are about to be built from the whole history.
    static func announceBuild(_ evaluation: any EvaluationStore, forced: Bool) {
        guard isatty(STDERR_FILENO) == 1, forced || !((try? evaluation.evaluationRollupsAreCurrent()) ?? true) else { return }
        Output.progress("citygrid: building the evaluation's daily rollups from the whole history (once; about 20 s per million cases)")
    }

    static func today(_ now: Date, zone: TimeZone) -> LocalDate {
        WorkingCalendar(timeZone: zone, weekly: .standard).localDate(of: now)
    }

    /// `--from` and `--to` with their defaults: the current month up to now.
    static func period(from: String?, to: String?, now: Date, zone: TimeZone) throws(WorkflowError) -> EvaluationPeriod {
        let today = today(now, zone: zone)
        let start = try from.map(parse)
        let end = try to.map(parse)
        switch (start, end) {
        case let (start?, end?): return try EvaluationPeriod(from: start, to: end)
        case let (start?, nil): return try EvaluationPeriod(from: start, to: start <= today ? today.adding(days: 1) : start.adding(days: 1))
        case let (nil, end?): return try EvaluationPeriod(from: EvaluationPeriod.month(containing: end.adding(days: -1)).from, to: end)
        case (nil, nil): return try EvaluationPeriod(from: EvaluationPeriod.month(containing: today).from, to: today.adding(days: 1))
        }
    }
}

/// CSV on standard output, each cell made terminal-safe, and text that a spreadsheet would run as a
/// formula (a leading =, +, -, @ not followed by a number) quoted with an apostrophe.
enum StatsCSV {
    static func cell(_ text: String) -> String {
        let clean = TerminalText.sanitize(text)
        guard let first = clean.first, "=+-@".contains(first) else { return clean }
        if Double(clean) != nil { return clean }
        return "'" + clean
    }

    static func print(_ header: [String], _ rows: [[String]]) throws {
        Output.raw(CSVText.table([header] + rows.map { $0.map(cell) }, ending: "\n"))
    }
}

// MARK: JSON

struct StatsJSON: ExplicitNullEncodable {
    var from: String
    /// The first day not counted.
    var to: String
    var grouping: String
    var within: String?
    var as_of: String
    /// Patrol coverage's instant (the period's end, or now) and window in hours.
    var patrol_coverage_at: String?
    var patrol_coverage_hours: Int?
    var rows: [StatsRowJSON]
    var total: StatsRowJSON
    /// Hotline reports of the period by the line they came in on (the whole period, within the region if given).
    var hotline_lines: [HotlineLineCountJSON]

    init(_ report: EvaluationReport, format: InstantFormat, lines: [HotlineLineCount]) {
        from = report.period.from.description; to = report.period.to.description; grouping = report.grouping.rawValue
        within = report.within; as_of = format.string(report.asOf)
        patrol_coverage_at = report.coverageAt.map(format.string); patrol_coverage_hours = report.coverageHours
        rows = report.rows.map(StatsRowJSON.init); total = StatsRowJSON(report.total)
        hotline_lines = lines.map { HotlineLineCountJSON(line: $0.line, name: $0.name, reports: $0.reports) }
    }
}

struct HotlineLineCountJSON: ExplicitNullEncodable {
    var line: String?
    var name: String?
    var reports: Int
}

struct StatsRowJSON: ExplicitNullEncodable {
    var key: String
    var name: String
    var name_en: String?
    var role: String?
    var counts: [String: Int64]
    var overdue_now: Int?
    var should_close: Int64
    /// Filed less wrongly filed: the resolution rate's denominator.
    var should_resolve: Int64
    /// Percentages to two decimals (volumes as counts); null when there is nothing to count.
    var indicators: [String: NullableNumber]
    /// The headline rates' numerators and denominators (发现率、处置率、解决率); null where a rate does not apply.
    var terms: [String: TermsJSON?]
    var stage_times: [StageTimeJSON]
    var score: ScoreJSON?
    /// 巡查覆盖率's terms: cells visited within the site's interval (numerator) and cells (denominator); null where the
    /// grouping has no cells (docs/evaluation.md).
    var patrol_coverage: TermsJSON?

    init(_ row: EvaluationRow) {
        key = row.key; name = row.name; name_en = row.nameEn; role = row.role?.rawValue
        var counts: [String: Int64] = [:]
        for counter in EvaluationCounter.allCases { counts[counter.rawValue] = row.counts[counter] }
        self.counts = counts
        overdue_now = row.inputs.overdueNow; should_close = row.inputs.shouldClose; should_resolve = row.inputs.shouldResolve
        var terms: [String: TermsJSON?] = [:]
        for indicator in Indicator.headline {
            terms[indicator.rawValue] = .some(row.inputs.terms(indicator).map { TermsJSON(numerator: $0.numerator, denominator: $0.denominator ?? 0) })
        }
        self.terms = terms
        var indicators: [String: NullableNumber] = [:]
        for indicator in Indicator.allCases { indicators[indicator.rawValue] = NullableNumber(value: row.value(indicator).map(Self.round)) }
        indicators["patrol_coverage"] = NullableNumber(value: row.patrolCoverage?.rate.map(Self.round))
        self.indicators = indicators
        patrol_coverage = row.patrolCoverage.map { TermsJSON(numerator: Int64($0.visited), denominator: Int64($0.cells)) }
        stage_times = row.stageTimes.map { StageTimeJSON(stage: $0.stage.rawValue, count: $0.count,
                                                         average_minutes: $0.averageMinutes.map(Self.round), p90_minutes: $0.p90Minutes) }
        score = row.score.map { s in
            ScoreJSON(subject: s.subject.rawValue, total: Self.round(s.total), band: s.band, parts: s.parts.map { p in
                ScorePartJSON(indicator: p.indicator.rawValue, value: p.value.map(Self.round), score: p.score.map(Self.round),
                              weight: p.weight, points: p.points.map(Self.round))
            })
        }
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
}

/// A rate's terms: value = 100 × numerator / denominator (n/a when the denominator is 0).
struct TermsJSON: ExplicitNullEncodable {
    var numerator: Int64
    var denominator: Int64
}

/// A number or `null` inside a dictionary (a dictionary would drop a nil value's key).
struct NullableNumber: Encodable {
    var value: Double?
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

struct WeightsJSON: ExplicitNullEncodable {
    var weights: [WeightJSON]
    var bands: [BandJSON]
}

struct WeightJSON: ExplicitNullEncodable {
    var subject: String
    var indicator: String
    var weight: Double
}

struct BandJSON: ExplicitNullEncodable {
    var band: String
    var min_score: Double
}

struct StageTimeJSON: ExplicitNullEncodable {
    var stage: String
    var count: Int64
    var average_minutes: Double?
    /// 90% took at most this many minutes (upper bound of the histogram bucket).
    var p90_minutes: Int?
}

struct ScoreJSON: ExplicitNullEncodable {
    var subject: String
    var total: Double
    var band: String
    var parts: [ScorePartJSON]
}

struct ScorePartJSON: ExplicitNullEncodable {
    var indicator: String
    var value: Double?
    var score: Double?
    var weight: Double
    var points: Double?
}
