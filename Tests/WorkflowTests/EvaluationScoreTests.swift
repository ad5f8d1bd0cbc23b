import Foundation
import Testing
@testable import Workflow

/// Composite scores and bands from known indicator values, and the weights as site configuration.
@Suite struct EvaluationScoreTests {
    func score(_ subject: EvaluationSubject, _ values: [Indicator: Double], max: [Indicator: Double] = [:],
               rules: ScoringRules = .default) -> CompositeScore? {
        CompositeScorer.score(subject: subject, rules: rules, values: { values[$0] }, volumeMax: { max[$0] })
    }

    @Test func regionScoreIsTheWeightedSumWithTheVolumeRelativeToTheBest() throws {
        // public share 30 × 10% + filed 50 of the best 100 → 50 × 20% + closure 90 × 30% + on-time closure 80 × 40%
        let s = try #require(score(.region, [.publicReportShare: 30, .casesFiled: 50, .closureRate: 90, .onTimeClosureRate: 80],
                                   max: [.casesFiled: 100]))
        #expect(s.total == 3 + 10 + 27 + 32 && s.band == "C")
        #expect(s.parts.map(\.indicator) == [.publicReportShare, .casesFiled, .closureRate, .onTimeClosureRate])
        #expect(s.parts.map(\.weight) == [10, 20, 30, 40])
        #expect(s.parts.map(\.points) == [3, 10, 27, 32])
        #expect(s.parts[1].value == 50 && s.parts[1].score == 50)
    }

    @Test func missedReportAndReworkRatesAreInverted() throws {
        let inspector = try #require(score(.inspector, [.validReportRate: 95, .missedReportRate: 10, .onTimeVerifyRate: 90,
                                                        .onTimeCheckRate: 100]))
        // 95 × .4 + (100 − 10) × .2 + 90 × .2 + 100 × .2 = 38 + 18 + 18 + 20
        #expect(inspector.total == 94 && inspector.band == "A")
        #expect(inspector.parts[1].value == 10 && inspector.parts[1].score == 90 && inspector.parts[1].points == 18)
        let department = try #require(score(.department, [.casesHandled: 40, .closureRate: 80, .onTimeHandlingRate: 70, .reworkRate: 20],
                                             max: [.casesHandled: 80]))
        // 50 × .1 + 80 × .3 + 70 × .3 + (100 − 20) × .3 = 5 + 24 + 21 + 24
        #expect(department.total == 74 && department.band == "C")
    }

    @Test func anIndicatorWithNothingToJudgeDropsOutAndItsWeightIsShared() throws {
        // A shift lead who closed nothing: filing 25 and accuracy 40 share the whole 100.
        let lead = try #require(score(.shiftLead, [.onTimeFilingRate: 80, .accurateFilingRate: 100]))
        #expect(abs(lead.total - (80 * 25 + 100 * 40) / 65.0) < 1e-9)
        #expect(lead.parts.last?.indicator == .onTimeClosingRate && lead.parts.last?.points == nil && lead.parts.last?.value == nil)
        #expect(abs(lead.parts[0].points! - 80 * 25 / 65.0) < 1e-9)
        // Only a volume, or nothing at all: no score.
        #expect(score(.dispatcher, [.dispatchVolume: 12], max: [.dispatchVolume: 20]) == nil)
        #expect(score(.region, [:]) == nil)
        // A volume when every group's volume is 0 has no score either; the rates carry the total.
        let idle = try #require(score(.dispatcher, [.dispatchVolume: 0, .onTimeDispatchRate: 50, .accurateDispatchRate: 100],
                                      max: [.dispatchVolume: 0]))
        #expect(idle.total == 75 && idle.parts[0].score == nil)
    }

    @Test func bandsFollowThePrimerAndTheShownScore() throws {
        let rules = ScoringRules.default
        #expect([100, 90, 89.9, 75, 74.99, 60, 59.9, 40, 39.9, 0].map(rules.band(of:)) == ["A", "A", "B", "B", "C", "C", "D", "D", "E", "E"])
        // 89.96 is shown as 90.0 and banded A; 89.94 is shown as 89.9 and banded B.
        #expect(score(.region, [.closureRate: 89.96])?.band == "A")
        #expect(score(.region, [.closureRate: 89.94])?.band == "B")
    }

    @Test func weightsAndBandsAreSiteConfiguration() throws {
        let city = try TestCity(model: .centralized)
        #expect(try city.store.scoringRules() == .default, "seeded with the primer's weights")
        try city.store.setEvaluationWeight(subject: .region, indicator: .publicReportShare, weight: 0)
        try city.store.setEvaluationWeight(subject: .region, indicator: .open311OnTimeRate, weight: 25)
        try city.store.setEvaluationBand("A", minScore: 95)
        let rules = try city.store.scoringRules()
        #expect(rules.weights(for: .region).map(\.indicator) == [.casesFiled, .closureRate, .onTimeClosureRate, .open311OnTimeRate])
        #expect(rules.band(of: 94) == "B")
        #expect(throws: WorkflowError.self) { try city.store.setEvaluationWeight(subject: .region, indicator: .closureRate, weight: -1) }
        #expect(throws: WorkflowError.self) { try city.store.setEvaluationBand("B", minScore: 120) }
    }

    @Test func reportsScoreEachRowWithItsSubjectsWeights() throws {
        let city = try TestCity(model: .centralized)
        let t0 = TestCity.monday9
        // District A: two inspector cases closed on time. District B: one hotline case closed overdue.
        for i in 0..<2 {
            let c = try city.dispatchedCase(at: t0.after(i))
            try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(60 + i))
            try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t0.after(65 + i))
            try city.act(.pass, c.id, as: "insp-a", at: t0.after(70 + i))
            try city.act(.close, c.id, as: try city.lead(.close, c.id), at: t0.after(75 + i))
        }
        let b = try city.report(by: "city-intake", cell: TestCity.cellB, source: .hotline, at: t0)
        try city.act(.verify, b.id, as: "city-intake", to: "insp-b", at: t0.after(5))
        try city.act(.confirm, b.id, as: "insp-b", at: t0.after(10))
        try city.act(.file, b.id, as: try city.lead(.file, b.id), at: t0.after(15))
        try city.act(.dispatch, b.id, as: "city-dispatcher", to: "SANIT", at: t0.after(20))
        let late = TestCity.at("2026-11-23T17:00:00+08:00")
        try city.act(.handle, b.id, as: "sanit-110102", at: late)
        try city.act(.check, b.id, as: "city-intake", to: "insp-b", at: late.after(5))
        try city.act(.pass, b.id, as: "insp-b", at: late.after(10))
        try city.act(.close, b.id, as: try city.lead(.close, b.id), at: late.after(15))
        let report = try city.store.evaluation(EvaluationQuery(period: .month(containing: LocalDate(string: "2026-11-23")!), grouping: .district),
                                               at: TestCity.at("2026-11-25T10:30:00+08:00"))
        let a = try #require(report.rows.first { $0.key == "110101" }?.score)
        let bScore = try #require(report.rows.first { $0.key == "110102" }?.score)
        // A: public share 0 (×10) + filed 2 of best 2 (×20) + closure 100 (×30) + on time 100 (×40) = 90 → A.
        #expect(a.subject == .region && a.total == 90 && a.band == "A")
        // B: public share 100 (×10) + filed 1 of 2 → 50 (×20) + closure 100 (×30) + on time 0 (×40) = 50 → D.
        #expect(bScore.total == 50 && bScore.band == "D")
        #expect(report.ranked.map(\.key) == ["110101", "110102"])
        #expect(report.total.score == nil, "the total is not ranked")
        let departments = try city.store.evaluation(EvaluationQuery(period: .month(containing: LocalDate(string: "2026-11-23")!),
                                                                    grouping: .department), at: TestCity.at("2026-11-25T10:30:00+08:00"))
        let sanit = try #require(departments.rows.first { $0.key == "SANIT" }?.score)
        // handled 3 of best 3 → 100 (×10) + closure 100 (×30) + on-time handling 2/3 (×30) + (100 − rework 0) (×30)
        #expect(abs(sanit.total - (10 + 30 + 20 + 30)) < 1e-9 && sanit.subject == .department)
        #expect(departments.rows.filter { $0.score != nil }.map(\.key) == ["SANIT"], "departments with nothing to judge have no score")
    }
}
