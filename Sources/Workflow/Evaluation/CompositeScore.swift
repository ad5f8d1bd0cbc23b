/// Whom a composite score judges; each has its own weights (table `evaluation_weight`).
public enum EvaluationSubject: String, Sendable, Codable, CaseIterable {
    case inspector
    case shiftLead = "shift-lead"
    case dispatcher, region, department

    /// The subject of an operator's score, by role; other roles get none.
    public init?(role: Role) {
        switch role {
        case .inspector: self = .inspector
        case .shiftLead: self = .shiftLead
        case .dispatcher: self = .dispatcher
        default: return nil
        }
    }
}

/// One indicator's weight for one subject.
public struct EvaluationWeight: Sendable, Equatable, Codable {
    public var subject: EvaluationSubject
    public var indicator: Indicator
    public var weight: Double
    public init(subject: EvaluationSubject, indicator: Indicator, weight: Double) {
        self.subject = subject; self.indicator = indicator; self.weight = weight
    }
}

/// The weights and bands a site scores with. Kept in the database (`evaluation_weight`,
/// `evaluation_band`), seeded with the primer's figures; `default` is the same set, for tests.
public struct ScoringRules: Sendable, Equatable {
    public var weights: [EvaluationWeight]
    /// (band, lowest score in it), best first: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below.
    public var bands: [(band: String, minScore: Double)]

    public init(weights: [EvaluationWeight], bands: [(band: String, minScore: Double)]) {
        self.weights = weights
        self.bands = bands.sorted { $0.minScore > $1.minScore }
    }

    public static func == (a: ScoringRules, b: ScoringRules) -> Bool {
        a.weights == b.weights && a.bands.map(\.band) == b.bands.map(\.band) && a.bands.map(\.minScore) == b.bands.map(\.minScore)
    }

    /// The primer's weights (domain.md §7).
    public static let `default` = ScoringRules(weights: [
        .init(subject: .inspector, indicator: .validReportRate, weight: 40),
        .init(subject: .inspector, indicator: .missedReportRate, weight: 20),
        .init(subject: .inspector, indicator: .onTimeVerifyRate, weight: 20),
        .init(subject: .inspector, indicator: .onTimeCheckRate, weight: 20),
        .init(subject: .shiftLead, indicator: .onTimeFilingRate, weight: 25),
        .init(subject: .shiftLead, indicator: .accurateFilingRate, weight: 40),
        .init(subject: .shiftLead, indicator: .onTimeClosingRate, weight: 35),
        .init(subject: .dispatcher, indicator: .dispatchVolume, weight: 20),
        .init(subject: .dispatcher, indicator: .onTimeDispatchRate, weight: 40),
        .init(subject: .dispatcher, indicator: .accurateDispatchRate, weight: 40),
        .init(subject: .region, indicator: .publicReportShare, weight: 10),
        .init(subject: .region, indicator: .casesFiled, weight: 20),
        .init(subject: .region, indicator: .closureRate, weight: 30),
        .init(subject: .region, indicator: .onTimeClosureRate, weight: 40),
        .init(subject: .department, indicator: .casesHandled, weight: 10),
        .init(subject: .department, indicator: .closureRate, weight: 30),
        .init(subject: .department, indicator: .onTimeHandlingRate, weight: 30),
        .init(subject: .department, indicator: .reworkRate, weight: 30),
    ], bands: [("A", 90), ("B", 75), ("C", 60), ("D", 40), ("E", 0)])

    public func weights(for subject: EvaluationSubject) -> [EvaluationWeight] {
        weights.filter { $0.subject == subject && $0.weight > 0 }
    }

    /// The band of a score: the first (best) band whose lowest score it reaches; the last band otherwise.
    public func band(of score: Double) -> String {
        for b in bands where score >= b.minScore { return b.band }
        return bands.last?.band ?? "-"
    }
}

/// How one indicator contributed to a composite score.
public struct ScorePart: Sendable, Equatable {
    public var indicator: Indicator
    /// The indicator as computed (a percentage, or a count for volumes); nil is "n/a".
    public var value: Double?
    /// What the score uses, 0–100: the rate itself; 100 − rate for missed report and rework rates;
    /// for volumes, 100 × value / the largest value among the groups compared.
    public var score: Double?
    public var weight: Double
    /// score × weight / (sum of the weights of the indicators that have a score). Nil when n/a.
    public var points: Double?
    /// How a volume was counted when not as is: a region's cases filed are "per cell".
    public var basis: String?
}

/// A composite score (综合指标值) with how it was made.
public struct CompositeScore: Sendable, Equatable {
    public var subject: EvaluationSubject
    public var total: Double
    public var band: String
    public var parts: [ScorePart]
}

/// Composite scores, pure: indicator values in, scores out.
///
/// - Score = Σ points = Σ scoreᵢ·wᵢ / Σ wᵢ, the sums over the indicators that have a value. An indicator
///   with no value (zero denominator: nothing to judge) drops out and its weight is shared by the rest
///   in proportion, so nobody gains or loses points for work that did not arise. With all indicators
///   present and weights summing to 100, pointsᵢ = scoreᵢ·wᵢ/100, the published form.
/// - No rate with a value (only volumes, or nothing): no score (nil), no band. A region where nothing
///   happened is "n/a", not an E for having filed nothing.
/// - Volumes are normalised relative to the best in the group compared (the rows of one report with the
///   same subject): 100 × value / max. A group where every volume is 0 has no volume score. A region's
///   cases filed are counted per cell (`CityStore.evaluation` passes filed ÷ cells), so size alone does not score.
public enum CompositeScorer {
    /// `values(i)` gives each indicator's value; `volumeMax(i)` the largest value of a volume indicator
    /// among the groups compared.
    public static func score(subject: EvaluationSubject, rules: ScoringRules, values: (Indicator) -> Double?,
                             volumeMax: (Indicator) -> Double?) -> CompositeScore? {
        var parts: [ScorePart] = []
        for w in rules.weights(for: subject) {
            let value = values(w.indicator)
            var score: Double?
            if let value {
                if w.indicator.isVolume {
                    if let top = volumeMax(w.indicator), top > 0 { score = min(100, max(0, 100 * value / top)) }
                } else {
                    score = w.indicator.isInverted ? 100 - value : value
                }
            }
            parts.append(ScorePart(indicator: w.indicator, value: value, score: score, weight: w.weight, points: nil, basis: nil))
        }
        let available = parts.filter { $0.score != nil }.reduce(0) { $0 + $1.weight }
        guard available > 0, parts.contains(where: { !$0.indicator.isVolume && $0.score != nil }) else { return nil }
        var total = 0.0
        for i in parts.indices {
            if let score = parts[i].score {
                let points = score * parts[i].weight / available
                parts[i].points = points
                total += points
            }
        }
        // Banded as shown: to one decimal, so a printed 90.0 is never a B.
        return CompositeScore(subject: subject, total: total, band: rules.band(of: (total * 10).rounded() / 10), parts: parts)
    }
}
