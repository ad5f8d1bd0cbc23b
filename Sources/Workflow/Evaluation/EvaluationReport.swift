import Foundation

/// What to evaluate: a period, a grouping, optionally only the groups inside one region.
public struct EvaluationQuery: Sendable {
    public var period: EvaluationPeriod
    public var grouping: EvaluationGrouping
    /// A district, street or community code: only groups inside it (region groupings only; the total row
    /// is then that region's).
    public var within: String?
    /// Averages and 90th percentiles per stage (reads the stored histograms; a little slower).
    public var stageTimes: Bool

    public init(period: EvaluationPeriod, grouping: EvaluationGrouping, within: String? = nil, stageTimes: Bool = true) {
        self.period = period; self.grouping = grouping; self.within = within; self.stageTimes = stageTimes
    }
}

/// One group's figures: counts, indicators, stage times and composite score.
public struct EvaluationRow: Sendable {
    /// Region code, patrol area id, `kind:code` category, department code, operator login; the city code for the
    /// total; `-` for the open cases of no group (no department yet, a cell in no patrol area).
    public var key: String
    public var name: String
    public var nameEn: String?
    /// For operator rows.
    public var role: Role?
    public var operatorID: Int64?
    /// Cells in a region row (a patrol area's, a district's…); nil for other groupings and the total.
    public var cellCount: Int?
    public var inputs: IndicatorInputs
    public var score: CompositeScore?
    /// Patrol coverage (巡查覆盖率): cells visited within the site's interval ÷ cells, at `EvaluationReport.coverageAt`;
    /// nil where the grouping has none (cells, categories, departments, operators other than inspectors).
    public var patrolCoverage: CoverageRow?

    public var counts: EvaluationCounts { inputs.counts }

    public func value(_ indicator: Indicator) -> Double? { inputs.value(indicator) }

    public var stageTimes: [StageTime] { EvaluationStage.allCases.map { StageTime(stage: $0, counts: inputs.counts) } }

    public func stageTime(_ stage: EvaluationStage) -> StageTime { StageTime(stage: stage, counts: inputs.counts) }

    /// The subject whose weights score this row, if any.
    public var subject: EvaluationSubject? { score?.subject }
}

/// An evaluation: one row per group (every region of the level, every department; categories and
/// operators that had any event), and the total over everything the query covers.
public struct EvaluationReport: Sendable {
    public var period: EvaluationPeriod
    public var grouping: EvaluationGrouping
    public var within: String?
    /// The "now" of open-and-overdue counts.
    public var asOf: Date
    public var rows: [EvaluationRow]
    public var total: EvaluationRow
    public var rules: ScoringRules
    /// The instant patrol coverage is measured at (the period's end, or now), over the site's interval of hours.
    public var coverageAt: Date?
    public var coverageHours: Int?

    /// Rows with a composite score, best first (ties by key).
    public var ranked: [EvaluationRow] {
        rows.filter { $0.score != nil }.sorted {
            ($0.score!.total, $1.key) > ($1.score!.total, $0.key)
        }
    }
}

/// What a refresh of the stored rollups did.
public struct EvaluationRefresh: Sendable, Equatable {
    /// The rollups were rebuilt from the whole history (first use, new time zone or new definitions).
    public var rebuilt: Bool
    /// Cases whose new history rows were added to the rollups.
    public var casesCounted: Int
    public var seconds: Double
}
