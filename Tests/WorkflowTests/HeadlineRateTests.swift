import Foundation
import Testing
@testable import Workflow

/// The source's three headline rates (发现率、处置率、解决率), hand-computed over a month, a quarter and a year of a
/// small city (docs/evaluation.md, "Headline rates"), driven through the real lifecycle at fixed times.
@Suite struct HeadlineRateTests {
    static let september = TestCity.at("2026-09-14T09:00:00+08:00")   // a Monday
    static let october = TestCity.at("2026-10-26T09:00:00+08:00")     // a Monday
    static let november = TestCity.monday9                            // Monday 23 November
    static let january = TestCity.at("2027-01-11T09:00:00+08:00")     // a Monday
    static let now = TestCity.at("2027-01-20T10:30:00+08:00")

    func evaluate(_ city: TestCity, _ period: EvaluationPeriod, _ grouping: EvaluationGrouping = .city,
                  at now: Date = now) throws -> EvaluationReport {
        try city.store.evaluation(EvaluationQuery(period: period, grouping: grouping), at: now)
    }

    /// Reported (an inspector's report accepted, or a public one verified and confirmed) and filed.
    @discardableResult
    func filed(_ city: TestCity, public isPublic: Bool = false, at t: Date) throws -> ServiceCase {
        let c = isPublic ? try city.report(by: "city-intake", source: .hotline, at: t) : try city.report(at: t)
        if isPublic {
            try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: t.after(1))
            try city.act(.confirm, c.id, as: "insp-a", at: t.after(2))
        } else {
            try city.act(.accept, c.id, as: "city-intake", at: t.after(1))
        }
        return try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t.after(3))
    }

    func dispatched(_ city: TestCity, public isPublic: Bool = false, at t: Date) throws -> ServiceCase {
        let c = try filed(city, public: isPublic, at: t)
        return try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t.after(4))
    }

    func handled(_ city: TestCity, public isPublic: Bool = false, at t: Date) throws -> ServiceCase {
        let c = try dispatched(city, public: isPublic, at: t)
        return try city.act(.handle, c.id, as: "sanit-110101", at: t.after(30))
    }

    /// Checked and passed after handling, then closed at `close` (default: 10 minutes after the pass).
    @discardableResult
    func closed(_ city: TestCity, _ c: ServiceCase, checkAt t: Date, close: Date? = nil) throws -> ServiceCase {
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t)
        try city.act(.pass, c.id, as: "insp-a", at: t.after(5))
        return try city.act(.close, c.id, as: try city.lead(.close, c.id), at: close ?? t.after(10))
    }

    /// The city of the tests: nine reports over September 2026 – January 2027 (the comments say which rates each enters).
    func smallCity() throws -> TestCity {
        let city = try TestCity(model: .centralized)
        // September (Q3): S1, a hotline case, the whole loop. Found by others; handled; resolved.
        let s1 = try handled(city, public: true, at: Self.september)
        try closed(city, s1, checkAt: Self.september.after(40))
        // October: O1, an inspector's case, the whole loop in October. Found; handled; resolved.
        let o1 = try handled(city, at: Self.october)
        try closed(city, o1, checkAt: Self.october.after(40))
        // O2, a hotline case filed, dispatched and handled in October, closed only on 23 November: October's cohort.
        let o2 = try handled(city, public: true, at: Self.october.after(60))
        try closed(city, o2, checkAt: Self.october.after(100), close: Self.november.after(200))
        // November: N1, an inspector's case, the whole loop. Found; handled; resolved.
        let n1 = try handled(city, at: Self.november)
        try closed(city, n1, checkAt: Self.november.after(40))
        // N2, an inspector's case handled, its check failed: rework. Found; owed, not handled (the report no longer
        // stands); not resolved.
        let n2 = try handled(city, at: Self.november.after(1))
        try city.act(.check, n2.id, as: "city-intake", to: "insp-a", at: Self.november.after(50))
        try city.act(.fail, n2.id, as: "insp-a", at: Self.november.after(55))
        // N3, a hotline case dispatched and suspended (挂账). Found by others; out of "should close"; in "should
        // resolve", not resolved.
        let n3 = try dispatched(city, public: true, at: Self.november.after(2))
        try city.act(.requestSuspension, n3.id, as: "sanit-110101", note: "needs a budget", at: Self.november.after(60))
        try city.act(.approve, n3.id, as: "city-dispatcher", at: Self.november.after(65))
        // N4, an inspector's case handled, then cancelled as wrongly filed. Found (it was filed); out of both cohorts.
        let n4 = try handled(city, at: Self.november.after(3))
        try city.act(.cancel, n4.id, as: "city-lead", note: "filed twice", at: Self.november.after(90))
        // N5, an inspector's case handled, waiting for its check. Found; handled; not resolved.
        _ = try handled(city, at: Self.november.after(4))
        // N6, a second inspector's report of N2's heap, merged before filing: never filed, in no rate.
        let n6 = try city.report(by: "insp-a2", at: Self.november.after(5))
        try city.act(.merge, n6.id, as: "city-intake", to: String(n2.id), at: Self.november.after(70))
        // N7, a hotline case filed, not dispatched yet. Found by others; not owed handling; not resolved.
        try filed(city, public: true, at: Self.november.after(7))
        // January 2027: J1, a hotline case filed, not dispatched. Found by others; not resolved.
        try filed(city, public: true, at: Self.january)
        return city
    }

    func expect(_ row: EvaluationRow, found: (Int64, Int64)?, handling: (Int64, Int64)?, resolution: (Int64, Int64)?,
                _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for (indicator, expected) in [(Indicator.foundRate, found), (.handlingRate, handling), (.resolutionRate, resolution)] {
            let terms = row.inputs.terms(indicator)
            #expect(terms?.numerator == expected?.0 && terms?.denominator == expected?.1,
                    "\(label) \(indicator.rawValue): \(String(describing: terms))", sourceLocation: sourceLocation)
            let value = expected.flatMap { $0.1 > 0 ? 100 * Double($0.0) / Double($0.1) : nil }
            #expect(row.value(indicator) == value, "\(label) \(indicator.rawValue)", sourceLocation: sourceLocation)
        }
    }

    @Test func monthQuarterAndYearFiguresAreTheHandComputedOnes() throws {
        let city = try smallCity()
        // November. Filed: N1 N2 N3 N4 N5 N7 = 6, by others N3 N7 = 2 → found 4/6 = 66.7 %.
        // Assigned: N1 N2 N3 N4 N5 = 5, less cancelled N4 and suspended N3 → should close 3 (N1 N2 N5); handled and
        // standing: N1 (closed), N5 → 2/3 = 66.7 % (N2's handling fell with its failed check, N4's with its cancel).
        // Should resolve: 6 filed − 1 wrongly filed (N4) = 5; closed: N1 → 1/5 = 20 %. O2, closed in November, is
        // October's.
        let november = try evaluate(city, .month(containing: LocalDate(string: "2026-11-01")!))
        expect(november.total, found: (4, 6), handling: (2, 3), resolution: (1, 5), "November")
        #expect(november.total.counts[.closed] == 2, "N1 and O2 closed in November")
        #expect(november.total.value(.closureRate) == 100.0 / 3, "the closure rate excuses the suspension as the handling rate does")
        // October. Filed O1 O2, by others O2 → 1/2. Assigned O1 O2, both handled → 2/2. Both since closed → 2/2.
        let october = try evaluate(city, .month(containing: LocalDate(string: "2026-10-01")!))
        expect(october.total, found: (1, 2), handling: (2, 2), resolution: (2, 2), "October")
        // Q4 2026 = October + November (December had nothing): found 5/8 = 62.5 %, handling 4/5 = 80 %,
        // resolution 3/7 = 42.9 %.
        let q4 = try evaluate(city, try .quarter(parsing: "2026Q4"))
        expect(q4.total, found: (5, 8), handling: (4, 5), resolution: (3, 7), "2026Q4")
        #expect(q4.total.value(.resolutionRate) == 300.0 / 7)
        // Q3 2026: S1 alone, a hotline case → found 0/1 = 0 %, handling 1/1, resolution 1/1.
        expect(try evaluate(city, try .quarter(parsing: "2026Q3")).total, found: (0, 1), handling: (1, 1), resolution: (1, 1), "2026Q3")
        // 2026 = Q3 + Q4: found 5/9 = 55.6 %, handling 5/6 = 83.3 %, resolution 4/8 = 50 %.
        let year = try evaluate(city, try .year(parsing: "2026"))
        expect(year.total, found: (5, 9), handling: (5, 6), resolution: (4, 8), "2026")
        #expect(year.total.value(.foundRate) == 500.0 / 9 && year.total.value(.handlingRate) == 500.0 / 6)
        // 2027: J1 only, filed, never dispatched: found 0/1, handling n/a (nothing owed), resolution 0/1.
        expect(try evaluate(city, try .year(parsing: "2027")).total, found: (0, 1), handling: (0, 0), resolution: (0, 1), "2027")
        #expect(try evaluate(city, try .year(parsing: "2027")).total.value(.handlingRate) == nil, "0 / 0 is n/a, not 0 %")
    }

    @Test func everyGroupingGetsTheRatesThatApplyToIt() throws {
        let city = try smallCity()
        let november = EvaluationPeriod.month(containing: LocalDate(string: "2026-11-01")!)
        // Regions by their own filings: every November case is in district 110101.
        let districts = try evaluate(city, november, .district)
        let a = try #require(districts.rows.first { $0.key == "110101" })
        expect(a, found: (4, 6), handling: (2, 3), resolution: (1, 5), "110101")
        let b = try #require(districts.rows.first { $0.key == "110102" })
        #expect(b.value(.foundRate) == nil && b.value(.handlingRate) == nil && b.value(.resolutionRate) == nil)
        // A department: the handling rate of its assignments; found and resolution rates are not a department's.
        let sanit = try #require(try evaluate(city, november, .department).rows.first { $0.key == "SANIT" })
        expect(sanit, found: (0, 0), handling: (2, 3), resolution: (0, 0), "SANIT")
        #expect(sanit.value(.foundRate) == nil && sanit.value(.resolutionRate) == nil)
        // Operators: an inspector has the found rate of the patrol area walked (PA-A: 4/6), the shift lead who filed has
        // the resolution rate of the filings; no operator has a handling rate (the assignment has no operator).
        let operators = try evaluate(city, november, .operator)
        let inspector = try #require(operators.rows.first { $0.key == "insp-a" })
        #expect(inspector.inputs.terms(.foundRate) == IndicatorTerms(numerator: 4, denominator: 6))
        #expect(inspector.value(.foundRate).map { $0 + inspector.value(.missedReportRate)! } == 100)
        let lead = try #require(operators.rows.first { $0.key == "city-command-lead" }, "the centralized model's filer")
        #expect(lead.value(.foundRate) == nil, "a shift lead finds nothing")
        #expect(lead.inputs.terms(.resolutionRate) == IndicatorTerms(numerator: 1, denominator: 5))
        #expect(operators.rows.allSatisfy { $0.value(.handlingRate) == nil })
        // Categories: all of it is exposed rubbish.
        let rubbish = try #require(try evaluate(city, november, .category).rows.first { $0.key == "event:0102" })
        expect(rubbish, found: (4, 6), handling: (2, 3), resolution: (1, 5), "event:0102")
    }

    @Test func aReopenedCaseIsNeitherHandledNorResolvedUntilClosedAgain() throws {
        let city = try TestCity(model: .centralized)
        let c = try FollowUpTests.closedHotlineCase(city)
        let month = EvaluationPeriod.month(containing: LocalDate(string: "2026-11-01")!)
        let at = FollowUpTests.friday16.after(120)
        expect(try evaluate(city, month, at: at).total, found: (0, 1), handling: (1, 1), resolution: (1, 1), "closed")
        try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied),
                                      by: city.intakeA, at: FollowUpTests.friday16.after(60))
        try city.store.decideFollowUp(.reopen, caseID: c.id, note: "市民反映仍有垃圾", by: city.leadA, at: FollowUpTests.friday16.after(65))
        #expect(try city.store.serviceCase(c.id).state == .dispatched, "reopened for rework")
        expect(try evaluate(city, month, at: at).total, found: (0, 1), handling: (0, 1), resolution: (0, 1), "reopened")
        // Handled and closed again: counted once more, not twice.
        let later = FollowUpTests.friday16.after(90)
        try city.act(.handle, c.id, as: "sanit-110101", at: later)
        try city.act(.check, c.id, as: city.intakeA, to: "insp-a", at: later.after(1))
        try city.act(.pass, c.id, as: "insp-a", at: later.after(2))
        try city.act(.close, c.id, as: try city.lead(.close, c.id), at: later.after(3))
        expect(try evaluate(city, month, at: at).total, found: (0, 1), handling: (1, 1), resolution: (1, 1), "closed again")
    }

    @Test func theIncrementalRollupsAgreeWithARebuild() throws {
        let city = try smallCity()
        let year = try EvaluationPeriod.year(parsing: "2026")
        // The first evaluation built the rollups; later actions were queued and added. A rebuild must agree.
        _ = try evaluate(city, year)
        let n7 = try filed(city, at: TestCity.at("2026-11-24T09:00:00+08:00"))
        try city.act(.dispatch, n7.id, as: "city-dispatcher", to: "SANIT", at: TestCity.at("2026-11-24T09:10:00+08:00"))
        try city.act(.handle, n7.id, as: "sanit-110101", at: TestCity.at("2026-11-24T09:40:00+08:00"))
        let incremental = try evaluate(city, year).total
        try city.store.refreshEvaluation(rebuild: true)
        let rebuilt = try evaluate(city, year).total
        for indicator in Indicator.headline { #expect(incremental.inputs.terms(indicator) == rebuilt.inputs.terms(indicator)) }
        expect(rebuilt, found: (6, 10), handling: (6, 7), resolution: (4, 9), "2026 with one more handled case")
    }

    @Test func centersSumTheirOwnPeople() throws {
        // Two monitoring tiers: each district's monitoring center has its own inspectors and shift lead.
        let city = try TestCity(model: .twoMonitorOneCommand)
        let t = TestCity.monday9
        // District A: an inspector's case and a hotline case, both filed by 110101-lead.
        let own = try city.report(by: "insp-a", at: t)
        try city.act(.accept, own.id, as: "110101-intake", at: t.after(1))
        try city.act(.file, own.id, as: "110101-lead", at: t.after(2))
        let hotline = try city.report(by: "110101-intake", source: .hotline, at: t.after(3))
        try city.act(.verify, hotline.id, as: "110101-intake", to: "insp-a2", at: t.after(4))
        try city.act(.confirm, hotline.id, as: "insp-a2", at: t.after(5))
        try city.act(.file, hotline.id, as: "110101-lead", at: t.after(6))
        // District B: an inspector's case filed by 110102-lead.
        let b = try city.report(by: "insp-b", cell: TestCity.cellB, at: t.after(7))
        try city.act(.accept, b.id, as: "110102-intake", at: t.after(8))
        try city.act(.file, b.id, as: "110102-lead", at: t.after(9))
        let report = try city.store.evaluation(EvaluationQuery(period: .month(containing: LocalDate(string: "2026-11-01")!),
                                                               grouping: .center), at: TestCity.at("2026-11-25T10:30:00+08:00"))
        // Monitoring centers first, then command centers; every center is listed.
        #expect(report.rows.map(\.key).prefix(3).sorted() == ["110101-M", "110102-M", "CITY-M"])
        let a = try #require(report.rows.first { $0.key == "110101-M" })
        // 110101-M: its inspectors reported 1 (insp-a), verified 1 (insp-a2); its shift lead filed 2, one found by others.
        #expect(a.counts[.reports] == 2 && a.counts[.verified] == 1 && a.counts[.filed] == 2, "insp-a's report and the intake's hotline entry")
        #expect(a.inputs.terms(.foundRate) == IndicatorTerms(numerator: 1, denominator: 2))
        #expect(a.value(.missedReportRate) == 50, "the complement, on the same filings")
        #expect(a.value(.validReportRate) == 100)
        let bRow = try #require(report.rows.first { $0.key == "110102-M" })
        #expect(bRow.inputs.terms(.foundRate) == IndicatorTerms(numerator: 1, denominator: 1))
        let cityM = try #require(report.rows.first { $0.key == "CITY-M" })
        #expect(cityM.counts.isZero && cityM.value(.foundRate) == nil)
        #expect(report.rows.allSatisfy { $0.score == nil && $0.inputs.overdueNow == nil })
        // The total is the city's.
        #expect(report.total.inputs.terms(.foundRate) == IndicatorTerms(numerator: 2, denominator: 3))
    }
}
