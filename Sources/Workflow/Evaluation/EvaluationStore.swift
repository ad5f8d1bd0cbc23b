import Foundation

/// Evaluation: the stored rollups, a period's figures, and the scoring weights and bands.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol EvaluationStore: Sendable {
    // CityStore+Evaluation.swift
    @discardableResult
    func refreshEvaluation(rebuild: Bool) throws(WorkflowError) -> EvaluationRefresh
    func evaluationRollupsAreCurrent() throws(WorkflowError) -> Bool
    func evaluation(_ query: EvaluationQuery, at now: Date) throws(WorkflowError) -> EvaluationReport
    func scoringRules() throws(WorkflowError) -> ScoringRules
    func setEvaluationWeight(subject: EvaluationSubject, indicator: Indicator, weight: Double) throws(WorkflowError)
    func setEvaluationBand(_ band: String, minScore: Double) throws(WorkflowError)
    // Bulletins.swift
    func dailyBulletin(date: LocalDate, at now: Date, cases: Int, worst: Int, regionLevel: EvaluationGrouping) throws(WorkflowError) -> DailyBulletin
    func monthlyBulletin(period: EvaluationPeriod, at now: Date, inspectors: Int) throws(WorkflowError) -> MonthlyBulletin
    // Grid/WindowFigures.swift
    func windowFigures(_ indicator: Indicator, period: EvaluationPeriod, within: String?, at now: Date,
                       cache: WindowFigureCache?) throws(WorkflowError) -> [String: IndicatorInputs]
}

extension CityStore: EvaluationStore {}
