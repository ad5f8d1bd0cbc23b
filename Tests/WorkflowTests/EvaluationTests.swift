import Foundation
import Testing
@testable import Workflow

/// Each indicator fixed on small hand-computed cases, driven through the real lifecycle at fixed times.
/// Monday 23 November 2026 from 09:00 (working time, Asia/Shanghai); limits: accept, file, check, close
/// 30 working minutes, dispatch 60, exposed rubbish (0102) handled in 4 working hours.
@Suite struct EvaluationFormulaTests {
    let t0 = TestCity.monday9
    static let monday = LocalDate(string: "2026-11-23")!
    static let november = EvaluationPeriod.month(containing: monday)

    func evaluate(_ city: TestCity, _ grouping: EvaluationGrouping = .city, period: EvaluationPeriod = november,
                  at now: Date = TestCity.at("2026-11-25T10:30:00+08:00")) throws -> EvaluationReport {
        try city.store.evaluation(EvaluationQuery(period: period, grouping: grouping), at: now)
    }

    /// An inspector's report through the whole loop, every stage on time: 85 minutes in all.
    @discardableResult
    func onTimeLoop(_ city: TestCity, at start: Date, reporter: String = "insp-a", dept: String = "SANIT") throws -> ServiceCase {
        let c = try city.report(by: reporter, at: start)
        try city.act(.accept, c.id, as: "city-intake", at: start.after(5))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: start.after(10))
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: dept, at: start.after(15))
        try city.act(.handle, c.id, as: "\(dept.lowercased())-110101", at: start.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: start.after(65))
        try city.act(.pass, c.id, as: "insp-a", at: start.after(80))
        return try city.act(.close, c.id, as: try city.lead(.close, c.id), at: start.after(85))
    }

    @Test func nothingFiledGivesNotApplicableEverywhereAndNoScore() throws {
        let city = try TestCity(model: .centralized)
        for grouping in EvaluationGrouping.allCases {
            let report = try evaluate(city, grouping)
            for indicator in Indicator.allCases where !indicator.isVolume && indicator != .open311OnTimeRate {
                #expect(report.total.value(indicator) == nil, "\(grouping) \(indicator)")
            }
            #expect(report.total.value(.open311OnTimeRate) == nil, "0 closed + 0 overdue is n/a")
            #expect(report.total.value(.casesFiled) == 0)
            #expect(report.rows.allSatisfy { $0.score == nil }, "nothing to judge: no composite score, no band")
            #expect(report.total.stageTimes.allSatisfy { $0.averageMinutes == nil && $0.p90Minutes == nil && $0.count == 0 })
        }
        #expect(try evaluate(city, .district).rows.map(\.key) == ["110101", "110102"], "every district is listed, even idle")
        #expect(try evaluate(city, .department).rows.count == 15, "every department is listed")
    }

    @Test func aWholeLoopOnTimeScoresEveryRateAtOneHundred() throws {
        let city = try TestCity(model: .centralized)
        try onTimeLoop(city, at: t0)
        let total = try evaluate(city).total
        let c = total.counts
        #expect(c[.reports] == 1 && c[.reportsValid] == 1 && c[.filed] == 1 && c[.dispatched] == 1 && c[.handled] == 1)
        #expect(c[.checked] == 1 && c[.closed] == 1 && c[.closedOnTime] == 1 && c[.assigned] == 1 && c[.assignedClosed] == 1)
        for indicator: Indicator in [.validReportRate, .onTimeCheckRate, .onTimeFilingRate, .accurateFilingRate, .onTimeDispatchRate,
                                     .accurateDispatchRate, .onTimeHandlingRate, .closureRate, .onTimeClosureRate, .onTimeClosingRate,
                                     .open311OnTimeRate] {
            #expect(total.value(indicator) == 100, "\(indicator)")
        }
        #expect(total.value(.publicReportShare) == 0 && total.value(.missedReportRate) == 0 && total.value(.reworkRate) == 0)
        #expect(total.value(.onTimeVerifyRate) == nil, "nothing was verified")
        // Stage times: intake 5, filing 5, dispatch 5, handling 45, send-check 5, check 15, closing 5, total 85 minutes.
        let expected: [EvaluationStage: (Double, Int)] = [
            .intake: (5, 5), .filing: (5, 5), .dispatch: (5, 5), .handling: (45, 45), .sendCheck: (5, 5), .check: (15, 15),
            .closing: (5, 5), .total: (85, 90),
        ]
        for (stage, (average, p90)) in expected {
            let time = total.stageTime(stage)
            #expect(time.count == 1 && time.averageMinutes == average && time.p90Minutes == p90, "\(stage)")
        }
        #expect(total.stageTime(.verify).count == 0 && total.stageTime(.suspension).count == 0)
    }

    @Test func groupsGetTheirOwnEvents() throws {
        let city = try TestCity(model: .centralized)
        try onTimeLoop(city, at: t0)
        let departments = try evaluate(city, .department)
        let sanit = try #require(departments.rows.first { $0.key == "SANIT" })
        #expect(sanit.counts[.handled] == 1 && sanit.counts[.assigned] == 1 && sanit.counts[.closed] == 1)
        #expect(sanit.value(.closureRate) == 100 && sanit.value(.onTimeHandlingRate) == 100)
        #expect(departments.rows.first { $0.key == "ROADS" }?.counts.isZero == true)
        let cells = try evaluate(city, .cell)
        #expect(cells.rows.first { $0.key == TestCity.cellA }?.counts[.filed] == 1)
        #expect(cells.rows.filter { $0.counts[.filed] > 0 }.count == 1)
        let categories = try evaluate(city, .category)
        #expect(categories.rows.map(\.key) == ["event:0102"] && categories.rows[0].name == "暴露垃圾")
        let areas = try evaluate(city, .patrolArea)
        #expect(areas.rows.first { $0.key == "PA-A" }?.counts[.closed] == 1 && areas.rows.first { $0.key == "PA-B" }?.counts.isZero == true)
        let operators = try evaluate(city, .operator)
        // The centralized model's command center files and closes (its shift lead's figures).
        let lead = try #require(operators.rows.first { $0.key == "city-command-lead" })
        #expect(lead.role == .shiftLead && lead.counts[.filed] == 1 && lead.counts[.closed] == 1)
        let inspector = try #require(operators.rows.first { $0.key == "insp-a" })
        #expect(inspector.counts[.reports] == 1 && inspector.counts[.checked] == 1 && inspector.value(.missedReportRate) == 0)
        #expect(operators.rows.first { $0.key == "sanit-110101" }?.counts[.handled] == 1)
    }

    @Test func lateHandlingIsLateHandlingLateClosureAndCountsAgainstOpen311() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // dispatched 09:20, handling due 14:50
        let late = TestCity.at("2026-11-23T16:00:00+08:00")
        try city.act(.handle, c.id, as: "sanit-110101", at: late)
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: late.after(5))
        try city.act(.pass, c.id, as: "insp-a", at: late.after(10))
        try city.act(.close, c.id, as: try city.lead(.close, c.id), at: late.after(15))
        // A second case, still open and overdue at 25 Nov 10:30 (handling was due Monday 14:50).
        _ = try city.dispatchedCase(at: t0.after(1))
        let total = try evaluate(city).total
        #expect(total.counts[.handled] == 1 && total.counts[.handledLate] == 1)
        #expect(total.value(.onTimeHandlingRate) == 0)
        #expect(total.value(.onTimeClosureRate) == 0, "closed overdue")
        #expect(total.value(.onTimeClosingRate) == 100, "but the close itself was on time")
        #expect(total.value(.closureRate) == 50, "two standing assignments, one closed")
        #expect(total.inputs.overdueNow == 1)
        #expect(total.value(.open311OnTimeRate) == 0, "0 on time / (1 closed + 1 overdue)")
    }

    @Test func open311CountsTheOverdueBacklog() throws {
        let city = try TestCity(model: .centralized)
        try onTimeLoop(city, at: t0)
        _ = try city.dispatchedCase(at: t0.after(2))
        let total = try evaluate(city).total
        #expect(total.value(.onTimeClosureRate) == 100)
        #expect(total.value(.open311OnTimeRate) == 50, "1 on time / (1 closed + 1 overdue)")
        // Before the second case's deadline nothing is overdue yet.
        let early = try evaluate(city, at: TestCity.at("2026-11-23T12:00:00+08:00")).total
        #expect(early.inputs.overdueNow == 0 && early.value(.open311OnTimeRate) == 100)
        // A period that ended before the backlog was reported is not charged with it.
        let before = try evaluate(city, period: .day(LocalDate(string: "2026-11-22")!)).total
        #expect(before.inputs.overdueNow == 0)
    }

    @Test func reworkTwiceCountsTwoRoundsButOneReworkedCase() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        var t = t0.after(60)
        for round in 0..<3 {
            try city.act(.handle, c.id, as: "sanit-110101", at: t)
            try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t.after(5))
            try city.act(round < 2 ? .fail : .pass, c.id, as: "insp-a", at: t.after(10))
            t = t.after(30)
        }
        try city.act(.close, c.id, as: try city.lead(.close, c.id), at: t)
        let total = try evaluate(city).total
        #expect(total.counts[.handled] == 3 && total.counts[.checked] == 3 && total.counts[.checkFailed] == 2)
        #expect(total.counts[.assignedReworked] == 1)
        #expect(total.value(.reworkRate) == 100 && total.value(.closureRate) == 100)
        // Three handling rounds: 40 min (09:20 → 10:00), then 20 and 20 (each from the failed check).
        let handling = total.stageTime(.handling)
        #expect(handling.count == 3 && handling.averageMinutes == (40.0 + 20 + 20) / 3 && handling.p90Minutes == 45)
        #expect(total.stageTime(.check).count == 3)
    }

    @Test func everythingSuspendedLeavesNothingThatShouldBeClosed() throws {
        let city = try TestCity(model: .centralized)
        var ids: [Int64] = []
        for i in 0..<2 {
            let c = try city.dispatchedCase(at: t0.after(i))
            try city.act(.requestSuspension, c.id, as: "sanit-110101", note: "needs a budget", at: t0.after(30 + i))
            try city.act(.approve, c.id, as: "city-dispatcher", at: t0.after(40 + i))
            ids.append(c.id)
        }
        let total = try evaluate(city).total
        #expect(total.counts[.assigned] == 2 && total.counts[.assignedSuspended] == 2 && total.counts[.suspensions] == 2)
        #expect(total.inputs.shouldClose == 0)
        #expect(total.value(.closureRate) == nil && total.value(.reworkRate) == nil)
        #expect(total.inputs.overdueNow == 0, "a suspended clock does not run out")
        // Resuming one puts it back among the cases that should be closed; its suspension is timed.
        try city.act(.resume, ids[0], as: "city-dispatcher", at: TestCity.at("2026-11-24T09:00:00+08:00"))
        let after = try evaluate(city).total
        #expect(after.counts[.assignedSuspended] == 1 && after.inputs.shouldClose == 1 && after.value(.closureRate) == 0)
        #expect(after.stageTime(.suspension).count == 1 && after.stageTime(.suspension).averageMinutes == 24 * 60 - 40)
    }

    @Test func returnsCountAgainstTheDispatchAndMoveTheAssignment() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        try city.act(.requestReturn, c.id, as: "sanit-110101", note: "not ours", at: t0.after(30))
        try city.act(.approve, c.id, as: "city-dispatcher", at: t0.after(40))
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "STREET", at: t0.after(45))
        let total = try evaluate(city).total
        #expect(total.counts[.dispatched] == 2 && total.counts[.dispatchedToDepartment] == 2 && total.counts[.dispatchReturned] == 1)
        #expect(total.value(.accurateDispatchRate) == 50)
        #expect(total.counts[.assigned] == 1, "the returned assignment left the cohort")
        let departments = try evaluate(city, .department)
        let sanit = try #require(departments.rows.first { $0.key == "SANIT" })
        #expect(sanit.value(.accurateDispatchRate) == 0 && sanit.counts[.assigned] == 0 && sanit.value(.closureRate) == nil)
        let street = try #require(departments.rows.first { $0.key == "STREET" })
        #expect(street.value(.accurateDispatchRate) == 100 && street.counts[.assigned] == 1 && street.value(.closureRate) == 0)
        let dispatcher = try #require(try evaluate(city, .operator).rows.first { $0.key == "city-dispatcher" })
        #expect(dispatcher.value(.accurateDispatchRate) == 50 && dispatcher.value(.dispatchVolume) == 2)
    }

    @Test func validReportRateCountsInvalidAndMergedReportsButWaitsForUndecidedOnes() throws {
        let city = try TestCity(model: .centralized)
        // Valid: an inspector's report, filed.
        let valid = try city.report(at: t0)
        try city.act(.accept, valid.id, as: "city-intake", at: t0.after(5))
        try city.act(.file, valid.id, as: try city.lead(.file, valid.id), at: t0.after(10))
        // Invalid: a hotline report the inspector could not find.
        let ghost = try city.report(by: "city-intake", source: .hotline, at: t0.after(1))
        try city.act(.verify, ghost.id, as: "city-intake", to: "insp-a", at: t0.after(6))
        try city.act(.invalid, ghost.id, as: "insp-a", note: "nothing there", at: t0.after(50))   // 44 min: late
        // Duplicate: a second inspector's report of the same heap, merged.
        let twin = try city.report(by: "insp-a2", at: t0.after(2))
        try city.act(.merge, twin.id, as: "city-intake", to: String(valid.id), at: t0.after(12))
        // Undecided: reported, not yet accepted.
        try city.report(by: "city-intake", source: .web, at: t0.after(3))
        let total = try evaluate(city).total
        #expect(total.counts[.reports] == 4 && total.counts[.reportsPublic] == 2)
        #expect(total.counts[.reportsValid] == 1 && total.counts[.reportsInvalid] == 1 && total.counts[.reportsMerged] == 1)
        #expect(total.value(.validReportRate) == 100.0 / 3, "1 valid / 3 decided; the undecided one waits")
        #expect(total.value(.publicReportShare) == 50)
        #expect(total.counts[.verified] == 1 && total.counts[.verifiedLate] == 1 && total.value(.onTimeVerifyRate) == 0)
        let operators = try evaluate(city, .operator)
        #expect(operators.rows.first { $0.key == "insp-a2" }?.value(.validReportRate) == 0, "its one report was a duplicate")
        #expect(operators.rows.first { $0.key == "insp-a" }?.value(.validReportRate) == 100)
        #expect(operators.rows.first { $0.key == "insp-a" }?.value(.onTimeVerifyRate) == 0)
    }

    @Test func missedReportRateIsTheShareOfFiledCasesFoundByOthers() throws {
        let city = try TestCity(model: .centralized)
        // District A: one inspector's case, one hotline case (confirmed), both filed.
        let own = try city.report(at: t0)
        try city.act(.accept, own.id, as: "city-intake", at: t0.after(5))
        try city.act(.file, own.id, as: try city.lead(.file, own.id), at: t0.after(10))
        let public_ = try city.report(by: "city-intake", source: .hotline, at: t0.after(1))
        try city.act(.verify, public_.id, as: "city-intake", to: "insp-a2", at: t0.after(6))
        try city.act(.confirm, public_.id, as: "insp-a2", at: t0.after(20))
        try city.act(.file, public_.id, as: try city.lead(.file, public_.id), at: t0.after(25))
        // District B: a hotline case filed.
        let b = try city.report(by: "city-intake", cell: TestCity.cellB, source: .hotline, at: t0.after(2))
        try city.act(.verify, b.id, as: "city-intake", to: "insp-b", at: t0.after(6))
        try city.act(.confirm, b.id, as: "insp-b", at: t0.after(20))
        try city.act(.file, b.id, as: try city.lead(.file, b.id), at: t0.after(25))
        let districts = try evaluate(city, .district)
        #expect(districts.rows.first { $0.key == "110101" }?.value(.missedReportRate) == 50)
        #expect(districts.rows.first { $0.key == "110102" }?.value(.missedReportRate) == 100)
        #expect(try evaluate(city).total.value(.missedReportRate) == 200.0 / 3)
        let operators = try evaluate(city, .operator)
        // Both inspectors of PA-A share the area's figure; insp-b has PA-B's.
        #expect(operators.rows.first { $0.key == "insp-a" }?.value(.missedReportRate) == 50)
        #expect(operators.rows.first { $0.key == "insp-a2" }?.value(.missedReportRate) == 50)
        #expect(operators.rows.first { $0.key == "insp-b" }?.value(.missedReportRate) == 100)
        #expect(operators.rows.first { $0.key == "city-lead" }?.value(.missedReportRate) == nil, "not an inspector")
    }

    @Test func lateFilingAndDispatchAreCountedFromTheHistoryFlags() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(at: t0)
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(40))       // 35 working minutes after acceptance: late
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t0.after(50))
        let d = try city.report(at: t0.after(1))
        try city.act(.accept, d.id, as: "city-intake", at: t0.after(5))
        try city.act(.file, d.id, as: try city.lead(.file, d.id), at: t0.after(10))
        try city.act(.dispatch, d.id, as: "city-dispatcher", to: "SANIT", at: t0.after(75))   // 65 minutes: late
        let total = try evaluate(city).total
        #expect(total.counts[.filedLate] == 1 && total.value(.onTimeFilingRate) == 50)
        #expect(total.counts[.dispatchedLate] == 1 && total.value(.onTimeDispatchRate) == 50)
        #expect(total.stageTime(.filing).averageMinutes == (35.0 + 5) / 2 && total.stageTime(.filing).p90Minutes == 45)
    }

    @Test func cancellingAfterFilingMakesTheFilingInaccurateAndTheCaseNoLongerOwed() throws {
        let city = try TestCity(model: .centralized)
        try onTimeLoop(city, at: t0)
        let wrong = try city.dispatchedCase(at: t0.after(1))
        try city.act(.cancel, wrong.id, as: "city-lead", note: "filed twice", at: t0.after(90))
        let total = try evaluate(city).total
        #expect(total.counts[.filed] == 2 && total.counts[.filedVoid] == 1 && total.value(.accurateFilingRate) == 50)
        #expect(total.counts[.assigned] == 2 && total.counts[.assignedCancelled] == 1 && total.value(.closureRate) == 100)
        #expect(total.inputs.overdueNow == 0)
    }

    @Test func aCaseSpanningTwoPeriodsCountsEachEventInItsOwnPeriod() throws {
        let city = try TestCity(model: .centralized)
        let monday30 = TestCity.at("2026-11-30T16:00:00+08:00")
        let c = try city.dispatchedCase(at: monday30)   // reported, filed and dispatched on 30 November
        let tuesday = TestCity.at("2026-12-01T09:00:00+08:00")
        try city.act(.handle, c.id, as: "sanit-110101", at: tuesday)
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: tuesday.after(5))
        try city.act(.pass, c.id, as: "insp-a", at: tuesday.after(20))
        try city.act(.close, c.id, as: try city.lead(.close, c.id), at: tuesday.after(25))
        let now = TestCity.at("2026-12-02T09:00:00+08:00")
        let november = try evaluate(city, period: Self.november, at: now).total
        let december = try evaluate(city, period: .month(containing: LocalDate(string: "2026-12-01")!), at: now).total
        #expect(november.counts[.reports] == 1 && november.counts[.filed] == 1 && november.counts[.dispatched] == 1)
        #expect(november.counts[.closed] == 0 && november.counts[.handled] == 0)
        #expect(november.value(.closureRate) == 100, "the assignment made in November has been closed since")
        #expect(november.value(.onTimeClosureRate) == nil, "nothing was closed in November")
        #expect(december.counts[.filed] == 0 && december.counts[.handled] == 1 && december.counts[.closed] == 1)
        #expect(december.value(.onTimeClosureRate) == 100 && december.value(.closureRate) == nil)
        #expect(december.stageTime(.total).averageMinutes == Double(17 * 60 + 25))
        // A custom range across the boundary holds both halves.
        let both = try evaluate(city, period: try EvaluationPeriod(from: LocalDate(string: "2026-11-30")!, to: LocalDate(string: "2026-12-02")!), at: now).total
        #expect(both.counts[.filed] == 1 && both.counts[.closed] == 1)
    }

    @Test func periodsAreWholeLocalDays() throws {
        let city = try TestCity(model: .centralized)
        // 23:50 Beijing time on Monday is 15:50 UTC: it counts on Monday, the site's day.
        try city.report(category: "0403", at: TestCity.at("2026-11-23T23:50:00+08:00"))
        #expect(try evaluate(city, period: .day(Self.monday)).total.counts[.reports] == 1, "undecided reports are reports")
        let c = try city.store.cases(CaseQuery()).first!
        try city.act(.accept, c.id, as: "city-intake", at: TestCity.at("2026-11-24T00:05:00+08:00"))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: TestCity.at("2026-11-24T00:10:00+08:00"))
        let monday = try evaluate(city, period: .day(Self.monday)).total
        let tuesday = try evaluate(city, period: .day(Self.monday.adding(days: 1))).total
        #expect(monday.counts[.reports] == 1 && monday.counts[.filed] == 0)
        #expect(tuesday.counts[.reports] == 0 && tuesday.counts[.filed] == 1)
        #expect(try evaluate(city, period: .week(containing: Self.monday.adding(days: 3))).total.counts[.filed] == 1)
    }
}

@Suite struct EvaluationPeriodTests {
    @Test func weeksMonthsAndCustomRanges() throws {
        let wednesday = LocalDate(string: "2026-11-25")!
        #expect(EvaluationPeriod.week(containing: wednesday).description == "2026-11-23..2026-11-30")
        #expect(EvaluationPeriod.month(containing: wednesday).description == "2026-11-01..2026-12-01")
        #expect(try EvaluationPeriod.month(parsing: "2026-02").days == 28)
        #expect(try EvaluationPeriod.month(parsing: "2026-03").previous.description == "2026-02-01..2026-03-01")
        #expect(try EvaluationPeriod.month(parsing: "2027-01").previous.description == "2026-12-01..2027-01-01")
        #expect(EvaluationPeriod.day(wednesday).previous.description == "2026-11-24..2026-11-25")
        #expect(throws: WorkflowError.self) { try EvaluationPeriod.month(parsing: "2026-13") }
        #expect(throws: WorkflowError.self) { try EvaluationPeriod.month(parsing: "26-01") }
        #expect(throws: WorkflowError.self) { try EvaluationPeriod(from: wednesday, to: wednesday) }
        #expect(EvaluationPeriod.month(containing: wednesday).inclusiveDescription == "2026-11-01 – 2026-11-30")
    }
}
