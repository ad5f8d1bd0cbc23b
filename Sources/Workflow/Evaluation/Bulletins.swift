import Foundation

/// An open case on the daily exposure list (日曝光). No reporter, no phone number; the description has
/// anything phone-like masked and is cut short.
public struct ExposedCase: Sendable, Equatable {
    public var id: Int64
    public var category: String
    public var categoryName: String
    public var cellCode: String
    /// District / street / community names.
    public var place: String
    public var department: String?
    public var departmentName: String?
    public var state: CaseState
    public var deadline: Date
    /// Wall-clock minutes past the deadline at the bulletin's "now".
    public var overdueMinutes: Int
    public var urgeCount: Int
    public var description: String
}

/// 日曝光: the day's figures, the most overdue open cases, the worst regions and departments of the day.
public struct DailyBulletin: Sendable {
    public var date: LocalDate
    public var asOf: Date
    public var cityName: String
    /// The whole city on that day.
    public var day: EvaluationRow
    /// Open and past their deadline at `asOf`, most overdue first.
    public var overdueCases: [ExposedCase]
    public var regionLevel: EvaluationGrouping
    /// Worst first: most open cases overdue now, then lowest composite score of the day.
    public var worstRegions: [EvaluationRow]
    public var worstDepartments: [EvaluationRow]
    /// The history's hash chain as of the end of the day (or `asOf`, if earlier): printed so that a copy kept
    /// outside anchors the history (`citygrid verify --anchor SEQ:HASH`).
    public var chainHead: ChainLink = .start
    public var chainAsOf: Date = .distantPast
}

/// One line of a ranking: this month's row, last month's score.
public struct RankedRow: Sendable {
    public var rank: Int
    public var row: EvaluationRow
    public var previousScore: Double?
    public var previousBand: String?
    /// Score points up (+) or down (−) on last month; nil when either month has no score.
    public var change: Double? {
        guard let now = row.score?.total, let before = previousScore else { return nil }
        return now - before
    }
}

/// A ranking table of the monthly bulletin.
public struct RankingSection: Sendable {
    public var title: String
    public var titleZh: String
    public var subject: EvaluationSubject
    public var rows: [RankedRow]
    /// How many ranked rows fall in each band.
    public var bandCounts: [(band: String, count: Int)]
    /// For every ranked row (listed or not), bands gained on the previous period (+1 is one band better); nil when it
    /// had no band then.
    public var allBandChanges: [Int?] = []
    /// Rows left out of `rows` (inspectors: only the lowest and highest are listed).
    public var omitted: Int
}

/// 月通报 (and the quarterly 季度通报 and annual 年度通报: the same bulletin over a calendar quarter or year): totals with the
/// change on the previous period, rankings with bands and band changes for regions, departments and staff.
public struct MonthlyBulletin: Sendable {
    public var period: EvaluationPeriod
    public var previousPeriod: EvaluationPeriod
    public var asOf: Date
    public var cityName: String
    public var total: EvaluationRow
    public var previousTotal: EvaluationRow
    public var sections: [RankingSection]
    /// The weights and bands the scores were made with.
    public var rules: ScoringRules
    /// The accountability register's entries recorded in the period (问责), oldest first.
    public var accountability: [AccountabilityEntry] = []

    /// The bulletin's name by its period: 月通报 for a month, 季度通报 for a quarter, 年度通报 for a year.
    public var title: (zh: String, en: String) {
        switch period.calendarSpan {
        case .month: ("城市管理月通报", "Monthly bulletin")
        case .quarter: ("城市管理季度通报", "Quarterly bulletin")
        case .year: ("城市管理年度通报", "Annual bulletin")
        case .days: ("城市管理通报", "Bulletin")
        }
    }
}

extension RankingSection {
    /// How the ranked subjects' bands moved against the previous period: up (a better band), down, the same, and new
    /// (no band before). Over every ranked row, listed or not.
    public var bandChanges: (up: Int, down: Int, same: Int, new: Int) {
        var result = (up: 0, down: 0, same: 0, new: 0)
        for change in allBandChanges {
            switch change {
            case nil: result.new += 1
            case let step? where step > 0: result.up += 1
            case let step? where step < 0: result.down += 1
            default: result.same += 1
            }
        }
        return result
    }
}

extension CityStore {

    /// The daily exposure bulletin for `date` (figures of that day; overdue cases as of `now`).
    public func dailyBulletin(date: LocalDate, at now: Date, cases: Int = 20, worst: Int = 5,
                              regionLevel: EvaluationGrouping = .street) throws(WorkflowError) -> DailyBulletin {
        guard [.district, .street, .community].contains(regionLevel) else {
            throw .invalidInput("regions are ranked by district, street or community, not \(regionLevel.rawValue)")
        }
        let day = EvaluationPeriod.day(date)
        let regions = try evaluation(EvaluationQuery(period: day, grouping: regionLevel, stageTimes: false), at: now)
        let departments = try evaluation(EvaluationQuery(period: day, grouping: .department, stageTimes: false), at: now)
        let settings = try settings()
        // Worst first: most open cases overdue now (the backlog is what a daily exposure shows), then the
        // lowest composite score of the day. Groups with nothing overdue and nothing to judge are left out.
        func worstFirst(_ rows: [EvaluationRow]) -> [EvaluationRow] {
            let candidates = rows.filter { ($0.inputs.overdueNow ?? 0) > 0 || $0.score != nil }
            return Array(candidates.sorted {
                (-($0.inputs.overdueNow ?? 0), $0.score?.total ?? 101, $0.key) < (-($1.inputs.overdueNow ?? 0), $1.score?.total ?? 101, $1.key)
            }.prefix(max(0, worst)))
        }
        let chainAsOf = min(now, try context().calendar.date(of: date.adding(days: 1), minuteOfDay: 0))
        return DailyBulletin(
            date: date, asOf: now, cityName: settings.cityNameZh, day: regions.total,
            overdueCases: try exposedCases(at: now, limit: cases), regionLevel: regionLevel,
            worstRegions: worstFirst(regions.rows), worstDepartments: worstFirst(departments.rows.filter { $0.key != "-" }),
            // Up to the end of the day, or up to now (this second included) for a day not over yet.
            chainHead: try chainHead(before: chainAsOf == now ? now.addingTimeInterval(1) : chainAsOf), chainAsOf: chainAsOf)
    }

    /// The most overdue open cases at `now`, for exposure.
    public func exposedCases(at now: Date, limit: Int) throws(WorkflowError) -> [ExposedCase] {
        let list = try cases(CaseQuery(overdueAt: now, limit: max(0, limit)))
        let categories = Dictionary(try self.categories().map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let departments = Dictionary(try self.departments().map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var names: [String: String] = [:]
        for level in [RegionLevel.district, .street, .community] {
            for region in try regions(level: level) { names[region.code] = region.nameZh }
        }
        return list.compactMap { c in
            guard let deadline = c.deadline else { return nil }
            let text = EvaluationExport.maskPhoneNumbers(c.description)
            return ExposedCase(
                id: c.id, category: "\(c.kind.rawValue):\(c.categoryCode)", categoryName: categories[c.categoryKey]?.nameZh ?? c.categoryCode,
                cellCode: c.cellCode,
                place: [c.districtCode, c.streetCode, c.communityCode].map { names[$0] ?? $0 }.joined(separator: " "),
                department: c.departmentCode, departmentName: c.departmentCode.flatMap { departments[$0]?.nameZh },
                state: c.state, deadline: deadline, overdueMinutes: Int(now.timeIntervalSince(deadline) / 60),
                urgeCount: c.urgeCount, description: text.count > 40 ? String(text.prefix(40)) + "…" : text)
        }
    }

    /// The monthly bulletin for `period` (normally a calendar month), compared with the month before.
    public func monthlyBulletin(period: EvaluationPeriod, at now: Date, inspectors: Int = 10) throws(WorkflowError) -> MonthlyBulletin {
        let previous = period.previous
        func pair(_ grouping: EvaluationGrouping) throws(WorkflowError) -> (EvaluationReport, EvaluationReport) {
            (try evaluation(EvaluationQuery(period: period, grouping: grouping, stageTimes: grouping == .city), at: now),
             try evaluation(EvaluationQuery(period: previous, grouping: grouping, stageTimes: false), at: now))
        }
        let (city, cityBefore) = try pair(.city)
        var sections: [RankingSection] = []
        func section(_ title: String, _ zh: String, _ subject: EvaluationSubject, _ current: EvaluationReport,
                     _ before: EvaluationReport, filter: (EvaluationRow) -> Bool = { _ in true }, keep: Int? = nil) {
            let scored = current.ranked.filter(filter)
            let earlier = Dictionary(before.rows.compactMap { r in r.score.map { (r.key, $0) } }, uniquingKeysWith: { a, _ in a })
            var ranked = scored.enumerated().map { i, row in
                RankedRow(rank: i + 1, row: row, previousScore: earlier[row.key]?.total, previousBand: earlier[row.key]?.band)
            }
            var omitted = 0
            if let keep, ranked.count > 2 * keep {
                omitted = ranked.count - 2 * keep
                ranked = Array(ranked.prefix(keep)) + Array(ranked.suffix(keep))
            }
            var counts: [String: Int] = [:]
            for row in scored { counts[row.score!.band, default: 0] += 1 }
            let bands = current.rules.bands.map { (band: $0.band, count: counts[$0.band] ?? 0) }
            // Bands are listed best first: a smaller index is a better band.
            let order = Dictionary(current.rules.bands.enumerated().map { ($1.band, $0) }, uniquingKeysWith: { a, _ in a })
            let moves: [Int?] = scored.map { row in
                guard let now = row.score.flatMap({ order[$0.band] }), let before = earlier[row.key].flatMap({ order[$0.band] }) else { return nil }
                return before - now
            }
            var built = RankingSection(title: title, titleZh: zh, subject: subject, rows: ranked, bandCounts: bands, omitted: omitted)
            built.allBandChanges = moves
            sections.append(built)
        }
        let (districts, districtsBefore) = try pair(.district)
        section("Districts", "区", .region, districts, districtsBefore)
        let (streets, streetsBefore) = try pair(.street)
        section("Streets", "街道", .region, streets, streetsBefore)
        let (departments, departmentsBefore) = try pair(.department)
        section("Departments", "专业部门", .department, departments, departmentsBefore)
        let (operators, operatorsBefore) = try pair(.operator)
        section("Dispatchers", "派遣员", .dispatcher, operators, operatorsBefore, filter: { $0.role == .dispatcher })
        section("Shift leads", "值班长", .shiftLead, operators, operatorsBefore, filter: { $0.role == .shiftLead })
        section("Inspectors", "监督员", .inspector, operators, operatorsBefore, filter: { $0.role == .inspector }, keep: inspectors)
        let calendar = try context().calendar
        let held = try accountability(from: calendar.date(of: period.from, minuteOfDay: 0), to: calendar.date(of: period.to, minuteOfDay: 0))
        return MonthlyBulletin(period: period, previousPeriod: previous, asOf: now, cityName: try settings().cityNameZh,
                               total: city.total, previousTotal: cityBefore.total, sections: sections, rules: city.rules,
                               accountability: held)
    }
}

// MARK: Text

extension DailyBulletin {
    /// Markdown, ready to circulate. `keepAnchor` words the note under the chain head: how a copy kept outside
    /// checks the history later (the CLI names its `verify` command).
    public func markdown(format: InstantFormat, keepAnchor: (ChainLink) -> String) -> [String] {
        var lines = ["# 城市管理日曝光 Daily exposure — \(date)", "",
                     "\(cityName) · figures for \(date) · overdue cases as of \(format.string(asOf))", "",
                     "## The day (当日概况)", ""]
        let d = day
        lines += EvaluationExport.markdownTable(
            ["reports", "filed", "dispatched", "handled", "closed", "open overdue now", "on-time handling %", "on-time closure %", "Open311 on-time %",
             "follow-up % (回访率)", "satisfaction % (满意率)"],
            [[String(d.counts[.reports]), String(d.counts[.filed]), String(d.counts[.dispatched]), String(d.counts[.handled]),
              String(d.counts[.closed]), d.inputs.overdueNow.map(String.init) ?? "n/a", EvaluationExport.percent(d.value(.onTimeHandlingRate)),
              EvaluationExport.percent(d.value(.onTimeClosureRate)), EvaluationExport.percent(d.value(.open311OnTimeRate)),
              EvaluationExport.percent(d.value(.followUpRate)), EvaluationExport.percent(d.value(.satisfactionRate))]])
        lines += ["", "## Headline rates (发现率、处置率、解决率)", ""]
        lines += Self.headlineLines(d)
        lines += ["", "## Most overdue open cases (超期案件曝光)", ""]
        if overdueCases.isEmpty {
            lines.append("No open case is past its deadline.")
        } else {
            lines += EvaluationExport.markdownTable(Self.caseHeader, overdueCases.enumerated().map { Self.caseCells($0.offset + 1, $0.element, format) })
        }
        let plural = ["district": "districts", "street": "streets", "community": "communities"][regionLevel.rawValue] ?? regionLevel.rawValue
        lines += ["", "## Worst \(plural): most overdue now, then lowest score of the day (区域排名末位)", ""]
        lines += rankingLines(worstRegions, indicators: [.closureRate, .onTimeClosureRate, .publicReportShare])
        lines += ["", "## Worst departments: most overdue now, then lowest score of the day (部门排名末位)", ""]
        lines += rankingLines(worstDepartments, indicators: [.onTimeHandlingRate, .closureRate, .reworkRate])
        lines += ["", "Scores: composite of the day's indicators with the site's weights (A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below, as configured); n/a: nothing to judge that day."]
        lines += ["", "History chain (历史记录哈希链) as of \(format.string(chainAsOf)): `\(chainHead.anchor)` (\(chainHead.seq) rows). "
                  + keepAnchor(chainHead)]
        return lines
    }

    /// The source's three headline rates of a row, each with its numerator and denominator (docs/evaluation.md).
    static func headlineLines(_ row: EvaluationRow) -> [String] {
        EvaluationExport.markdownTable(["rate", "%", "numerator", "denominator"], Indicator.headline.map { i in
            let terms = row.inputs.terms(i)
            return ["\(i.title) (\(i.titleZh))", EvaluationExport.percent(terms?.value),
                    terms.map { String($0.numerator) } ?? "n/a", terms?.denominator.map(String.init) ?? "n/a"]
        })
    }

    static let caseHeader = ["#", "case", "category", "place", "cell", "department", "state", "deadline", "overdue (h)", "urged", "description"]

    static func caseCells(_ rank: Int, _ c: ExposedCase, _ format: InstantFormat) -> [String] {
        [String(rank), String(c.id), c.categoryName, c.place, c.cellCode, c.departmentName ?? c.department ?? "-", c.state.rawValue,
         format.string(c.deadline), String(format: "%.1f", Double(c.overdueMinutes) / 60), String(c.urgeCount), c.description]
    }

    private func rankingLines(_ rows: [EvaluationRow], indicators: [Indicator]) -> [String] {
        guard !rows.isEmpty else { return ["Nothing overdue and nothing to rank for this day."] }
        return EvaluationExport.markdownTable(
            ["#", "code", "name", "score", "band", "overdue now"] + indicators.map { "\($0.title) %" },
            rows.enumerated().map { i, r in
                [String(i + 1), r.key, r.name, EvaluationExport.score(r.score), r.score?.band ?? "n/a", r.inputs.overdueNow.map(String.init) ?? "n/a"]
                    + indicators.map { EvaluationExport.percent(r.value($0)) }
            })
    }

    /// One CSV table: a `section` column (`day`, `overdue_case`, `worst_region`, `worst_department`, `chain_head`)
    /// and the union of the sections' columns.
    public func csv(format: InstantFormat) -> (header: [String], rows: [[String]]) {
        let header = ["section", "rank", "key", "name", "place", "cell", "department", "state", "deadline", "overdue_hours", "urged",
                      "description", "score", "band", "overdue_now", "reports", "filed", "handled", "closed",
                      "on_time_handling_rate", "on_time_closure_rate", "closure_rate", "rework_rate", "open311_on_time_rate",
                      "follow_up_rate", "satisfaction_rate", "found_rate", "handling_rate", "resolution_rate"]
        func figures(_ r: EvaluationRow) -> [String] {
            [EvaluationExport.score(r.score), r.score?.band ?? "n/a", r.inputs.overdueNow.map(String.init) ?? "n/a",
             String(r.counts[.reports]), String(r.counts[.filed]), String(r.counts[.handled]), String(r.counts[.closed]),
             EvaluationExport.percent(r.value(.onTimeHandlingRate)), EvaluationExport.percent(r.value(.onTimeClosureRate)),
             EvaluationExport.percent(r.value(.closureRate)), EvaluationExport.percent(r.value(.reworkRate)),
             EvaluationExport.percent(r.value(.open311OnTimeRate)), EvaluationExport.percent(r.value(.followUpRate)),
             EvaluationExport.percent(r.value(.satisfactionRate))] + Indicator.headline.map { EvaluationExport.percent(r.value($0)) }
        }
        let blankCase = Array(repeating: "", count: 8)
        var rows: [[String]] = [["day", "", day.key, day.name] + blankCase + figures(day)]
        for (i, c) in overdueCases.enumerated() {
            rows.append(["overdue_case", String(i + 1), String(c.id), c.categoryName, c.place, c.cellCode, c.departmentName ?? c.department ?? "",
                         c.state.rawValue, format.string(c.deadline), String(format: "%.1f", Double(c.overdueMinutes) / 60),
                         String(c.urgeCount), c.description] + Array(repeating: "", count: header.count - 12))
        }
        for (i, r) in worstRegions.enumerated() { rows.append(["worst_region", String(i + 1), r.key, r.name] + blankCase + figures(r)) }
        for (i, r) in worstDepartments.enumerated() { rows.append(["worst_department", String(i + 1), r.key, r.name] + blankCase + figures(r)) }
        // The anchor: key SEQ:HASH (what `verify --anchor` takes), name the instant it is as of.
        rows.append(["chain_head", "", chainHead.anchor, format.string(chainAsOf)] + Array(repeating: "", count: header.count - 4))
        return (header, rows)
    }
}

extension MonthlyBulletin {
    /// The totals block: indicator, this month, last month, change.
    public var totals: [(label: String, now: String, before: String, change: String)] {
        var result: [(String, String, String, String)] = []
        for counter: EvaluationCounter in [.reports, .filed, .dispatched, .handled, .closed] {
            let a = total.counts[counter], b = previousTotal.counts[counter]
            result.append((counter.rawValue, String(a), String(b), Self.signed(Double(a - b), decimals: 0)))
        }
        let a = total.inputs.overdueNow ?? 0, b = previousTotal.inputs.overdueNow ?? 0
        result.append(("overdue_now", String(a), String(b), Self.signed(Double(a - b), decimals: 0)))
        for indicator in Indicator.allCases where !indicator.isVolume {
            let now = total.value(indicator), before = previousTotal.value(indicator)
            result.append((indicator.rawValue, EvaluationExport.percent(now), EvaluationExport.percent(before),
                           now.flatMap { n in before.map { Self.signed(n - $0, decimals: 1) } } ?? "n/a"))
        }
        for stage: EvaluationStage in [.handling, .total] {
            let now = total.stageTime(stage)
            result.append(("\(stage.rawValue)_avg_min / p90", "\(EvaluationExport.minutes(now.averageMinutes)) / \(now.p90Minutes.map(String.init) ?? "n/a")", "", ""))
        }
        return result
    }

    /// `+2.5`, `−1.0`, `0.0` (a change that rounds to nothing has no sign).
    static func signed(_ value: Double, decimals: Int) -> String {
        let text = String(format: "%.\(decimals)f", abs(value))
        guard Double(text) != 0 else { return text }
        return value > 0 ? "+" + text : "−" + text
    }

    /// Markdown, ready to circulate.
    public func markdown(format: InstantFormat) -> [String] {
        var lines = ["# \(title.zh) \(title.en) — \(period.name)", "",
                     "\(cityName) · \(period.inclusiveDescription) (compared with \(previousPeriod.inclusiveDescription)) · as of \(format.string(asOf))",
                     "", "## Headline rates (发现率、处置率、解决率)", ""]
        lines += EvaluationExport.markdownTable(["rate", "this period", "numerator / denominator", "previous", "change"],
                                                Indicator.headline.map { i in
            let now = total.inputs.terms(i), before = previousTotal.value(i)
            let parts = now.map { t in "\(t.numerator) / \(t.denominator.map(String.init) ?? "-")" } ?? "n/a"
            return ["\(i.title) (\(i.titleZh))", EvaluationExport.percent(now?.value), parts, EvaluationExport.percent(before),
                    now?.value.flatMap { n in before.map { Self.signed(n - $0, decimals: 1) } } ?? "n/a"]
        })
        lines += ["", "## Totals (总体情况)", ""]
        lines += EvaluationExport.markdownTable(["measure", "this period", "previous", "change"], totals.map { [$0.label, $0.now, $0.before, $0.change] })
        for section in sections {
            lines += ["", "## \(section.title) (\(section.titleZh))", ""]
            if section.rows.isEmpty {
                lines.append("Nothing to rank this period.")
                continue
            }
            lines.append("Bands: " + section.bandCounts.map { "\($0.band) \($0.count)" }.joined(separator: " · "))
            let moves = section.bandChanges
            lines.append("")
            lines.append("Band changes on the previous period (等级变化): \(moves.up) up · \(moves.down) down · \(moves.same) same · \(moves.new) new")
            lines.append("")
            let (header, rows) = rankingTable(section)
            lines += EvaluationExport.markdownTable(header, rows)
            if section.omitted > 0 { lines += ["", "(\(section.omitted) in between not listed: the \(section.rows.count / 2) highest and lowest are shown)"] }
        }
        lines += ["", "## Accountability (问责)", ""]
        if accountability.isEmpty {
            lines.append("No one was held accountable this period.")
        } else {
            lines += EvaluationExport.markdownTable(["case", "unit", "name", "measure", "recorded by", "at"], accountability.map {
                [String($0.caseID), $0.unit, $0.unitName, $0.measure, $0.recordedBy, format.string($0.recordedAt)]
            })
        }
        lines += ["", "Scores are composites of each subject's indicators with the site's weights; change is in score points against the previous period. Definitions: docs/evaluation.md."]
        return lines
    }

    public func rankingTable(_ section: RankingSection) -> (header: [String], rows: [[String]]) {
        let indicators = rules.weights(for: section.subject).map(\.indicator)
        let header = ["#", "key", "name", "score", "band", "previous", "previous band", "change"] + indicators.map(\.rawValue)
        let rows = section.rows.map { r in
            [String(r.rank), r.row.key, r.row.name, EvaluationExport.score(r.row.score), r.row.score?.band ?? "n/a",
             r.previousScore.map { String(format: "%.1f", $0) } ?? "n/a", r.previousBand ?? "n/a", r.change.map { Self.signed($0, decimals: 1) } ?? "n/a"]
                + indicators.map { i in Self.cell(r.row, i, subject: section.subject) }
        }
        return (header, rows)
    }

    /// An indicator as a ranking shows it; a region's cases filed with the per-cell figure its score uses.
    static func cell(_ row: EvaluationRow, _ indicator: Indicator, subject: EvaluationSubject) -> String {
        guard indicator.isVolume else { return EvaluationExport.percent(row.value(indicator)) }
        guard let value = row.value(indicator) else { return "n/a" }
        if subject == .region, indicator == .casesFiled, let cells = row.cellCount, cells > 0 {
            return String(format: "%.0f (%.2f/cell)", value, value / Double(cells))
        }
        return String(format: "%.0f", value)
    }

    /// One CSV table: `section` (`total`, `district`, `street`, `department`, `dispatcher`, `shift-lead`,
    /// `inspector`), rank, key, name, score, band, previous score, change, every indicator, and the previous band (last,
    /// so that the columns before it keep their places).
    public func csv() -> (header: [String], rows: [[String]]) {
        let indicators = Indicator.allCases
        let header = ["section", "rank", "key", "name", "score", "band", "previous_score", "change", "overdue_now"] + indicators.map(\.rawValue)
            + ["previous_band"]
        func values(_ r: EvaluationRow) -> [String] {
            indicators.map { i in i.isVolume ? r.value(i).map { String(format: "%.0f", $0) } ?? "n/a" : EvaluationExport.percent(r.value(i)) }
        }
        var rows: [[String]] = [["total", "", total.key, total.name, "n/a", "n/a", "n/a", "n/a", total.inputs.overdueNow.map(String.init) ?? "n/a"] + values(total) + ["n/a"]]
        let names = ["Districts": "district", "Streets": "street", "Departments": "department", "Dispatchers": "dispatcher",
                     "Shift leads": "shift-lead", "Inspectors": "inspector"]
        for section in sections {
            for r in section.rows {
                rows.append([names[section.title] ?? section.title, String(r.rank), r.row.key, r.row.name, EvaluationExport.score(r.row.score),
                             r.row.score?.band ?? "n/a", r.previousScore.map { String(format: "%.1f", $0) } ?? "n/a",
                             r.change.map { String(format: "%+.1f", $0) } ?? "n/a", r.row.inputs.overdueNow.map(String.init) ?? "n/a"] + values(r.row)
                            + [r.previousBand ?? "n/a"])
            }
        }
        return (header, rows)
    }
}
