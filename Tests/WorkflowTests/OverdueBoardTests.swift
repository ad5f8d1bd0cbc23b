import Foundation
import Testing
@testable import Workflow

/// The shift lead's overdue board: ranked by how far through its budget each stage is, grouped by stage and
/// department, and at-risk flags from recent handling times.
@Suite struct OverdueBoardTests {
    let monday = TestCity.monday9   // 2026-11-23 09:00

    /// A 15-working-day job (event 0101, ENFORCE) dispatched three weeks before, due Monday 09:00.
    func longJob(_ city: TestCity) throws -> ServiceCase {
        let start = TestCity.at("2026-11-02T08:50:00+08:00")
        let c = try city.report(category: "0101", at: start)
        try city.act(.accept, c.id, as: "city-intake", at: start.after(2))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: start.after(5))
        return try city.act(.dispatch, c.id, as: "city-dispatcher", to: "ENFORCE", at: start.after(10))
    }

    /// A hotline report sent to insp-a to verify at `at` (30 working minutes).
    func verifyTask(_ city: TestCity, at time: Date) throws -> ServiceCase {
        let c = try city.report(by: "city-intake", source: .hotline, at: time.after(-5))
        return try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: time)
    }

    @Test func shortStageLateByHalfAnHourOutranksLongJobLateByAnHour() throws {
        let city = try TestCity(model: .centralized)
        let job = try longJob(city)
        #expect(job.deadline == TestCity.at("2026-11-23T09:00:00+08:00"))
        let verify = try verifyTask(city, at: monday)            // due 09:30
        let nearly = try verifyTask(city, at: monday.after(35))   // due 10:05, yellow from 09:59
        let now = monday.after(60)                                // 10:00
        let board = try city.store.overdueBoard(for: city.store.findOperator("city-lead"), at: now)
        #expect(board.entries.map(\.serviceCase.id) == [verify.id, job.id, nearly.id])
        let first = board.entries[0], second = board.entries[1], third = board.entries[2]
        #expect(first.reading.ratio == 2.0 && first.reading.overdueMinutes == 30 && first.dueState == .red)
        #expect(second.reading.overdueMinutes == 60 && second.reading.ratio < 1.01, "an hour late on 15 working days")
        #expect(third.dueState == .yellow && third.reading.remainingMinutes == 5)
        #expect(first.responsible == "insp-a" && first.responsibleKind == .inspector)
        #expect(second.responsible == "ENFORCE" && second.responsibleKind == .department)
        #expect(board.byStage.map(\.key) == ["verifying", "dispatched"])
        #expect(board.byStage[0].caseIDs == [verify.id, nearly.id] && board.byStage[0].red == 1 && board.byStage[0].yellow == 1)
        #expect(board.byDepartment.map(\.key) == ["-", "ENFORCE"] || board.byDepartment.map(\.key) == ["ENFORCE", "-"])
        #expect(board.byDepartment.first { $0.key == "ENFORCE" }?.caseIDs == [job.id])
    }

    @Test func boardShowsOnlyTheViewersReach() throws {
        let city = try TestCity(model: .twoMonitorOneCommand)
        let c = try city.report(at: monday)                      // district A's monitoring center
        try city.act(.accept, c.id, as: "110101-intake", at: monday.after(1))
        let now = monday.after(120)                               // filing is long overdue
        #expect(try city.store.overdueBoard(for: city.store.findOperator("110101-lead"), at: now).entries.map(\.serviceCase.id) == [c.id])
        #expect(try city.store.overdueBoard(for: city.store.findOperator("110102-lead"), at: now).entries.isEmpty)
        #expect(try city.store.overdueBoard(for: city.store.findOperator("city-lead"), at: now).entries.isEmpty)
    }

    @Test func pendingRequestMakesTheCommandCenterResponsible() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        try city.act(.requestExtension, c.id, as: "sanit-110101", note: "crew busy", hours: 2, at: monday.after(30))
        let board = try city.store.overdueBoard(for: city.store.findOperator("city-dispatcher"), at: monday.after(400))
        let entry = try #require(board.entries.first)
        #expect(entry.responsible == "CITY-C" && entry.serviceCase.pending?.kind == .extension)
    }

    /// Three 0102 cases SANIT handled in 300 working minutes the week before (the limit is 240).
    func slowHistory(_ city: TestCity) throws {
        for day in 0..<3 {
            let start = TestCity.at("2026-11-16T08:50:00+08:00").addingTimeInterval(Double(day) * 86_400)
            let c = try city.report(at: start)
            try city.act(.accept, c.id, as: "city-intake", at: start.after(2))
            try city.act(.file, c.id, as: try city.lead(.file, c.id), at: start.after(5))
            try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: start.after(10))   // 09:00
            try city.act(.handle, c.id, as: "sanit-110101", at: start.after(400))                    // 15:30: 300 working min
            try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: start.after(405))
            try city.act(.pass, c.id, as: "insp-a", at: start.after(410))
            try city.act(.close, c.id, as: try city.lead(.close, c.id), at: start.after(415))
        }
        var settings = OversightSettings()
        settings.riskMinSamples = 3
        try city.store.setOversightSettings(settings)
    }

    @Test func caseIsFlaggedAtRiskWhenTheDepartmentUsuallyNeedsLongerThanIsLeft() throws {
        let city = try TestCity(model: .centralized)
        try slowHistory(city)
        let c = try city.report(at: monday.after(-10))
        try city.act(.accept, c.id, as: "city-intake", at: monday.after(-8))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: monday.after(-5))
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: monday)
        let now = monday.after(60)
        let board = try city.store.overdueBoard(for: city.store.findOperator("city-dispatcher"), at: now)
        #expect(board.entries.isEmpty, "the case is still green")
        let flagged = try #require(board.atRisk.first)
        #expect(flagged.serviceCase.id == c.id)
        let risk = try #require(flagged.risk)
        #expect(risk.sampleSize == 3 && risk.medianMinutes == 300 && risk.expectedMinutes == 300 && risk.windowDays == 30)
        #expect(risk.elapsedMinutes == 60 && risk.remainingMinutes == 180 && risk.budgetMinutes == 240 && risk.atRisk)
        #expect(risk.reason == "SANIT usually needs 5 h for 0102; 3 h left")
    }

    @Test func tooFewSimilarCasesRaiseNoFlag() throws {
        let city = try TestCity(model: .centralized)
        try slowHistory(city)
        var settings = OversightSettings()
        settings.riskMinSamples = 4
        try city.store.setOversightSettings(settings)
        let c = try city.dispatchedCase()
        #expect(try city.store.overdueBoard(for: city.store.findOperator("city-dispatcher"), at: c.lastEventAt.after(30)).atRisk.isEmpty)
    }

    @Test func expectedTimeIsTheMedianOfCasesThatRanAtLeastAsLong() throws {
        let key = CategoryKey(kind: .event, code: "0102")
        let samples = [30, 60, 90, 120, 400, 500].map { HandlingSample(department: "SANIT", category: key, minutes: $0) }
        let times = HandlingTimes(samples: samples, windowDays: 30, minSamples: 5)
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // dispatched 09:20, 240 working minutes
        let context = try city.store.context()
        let early = try #require(times.estimate(for: c, at: c.lastEventAt.after(10), context: context))
        #expect(early.medianMinutes == 105 && early.expectedMinutes == 105 && !early.atRisk)
        // After 2 hours only the two slow cases ran as long: they took 400 and 500 minutes.
        let later = try #require(times.estimate(for: c, at: c.lastEventAt.after(130), context: context))
        #expect(later.conditionalSampleSize == 2 && later.expectedMinutes == 450 && later.atRisk)
    }

    @Test func stageReadingUsesTheStagesOwnKindOfTime() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()   // 4 working hours from 09:20: due 14:50
        let context = try city.store.context()
        // 19:00 is after hours: the working clock stopped at 17:30 (160 + 240 working minutes since 09:20).
        let evening = try #require(Lifecycle.reading(of: c, at: TestCity.at("2026-11-23T19:00:00+08:00"), context: context))
        #expect(evening.elapsedMinutes == 400 && evening.remainingMinutes == -160 && !evening.calendarTime)
    }
}

@Suite struct ShiftClockTests {
    let zone = TestCity.zone

    @Test(arguments: [
        ("2026-11-23T10:00:00+08:00", "2026-11-23T08:30:00+08:00"),
        ("2026-11-23T13:30:00+08:00", "2026-11-23T13:30:00+08:00"),
        ("2026-11-23T20:00:00+08:00", "2026-11-23T13:30:00+08:00"),
        ("2026-11-23T07:00:00+08:00", "2026-11-22T13:30:00+08:00"),
    ])
    func shiftStartsAtTheLastBoundary(now: String, start: String) {
        #expect(ShiftClock.start(before: TestCity.at(now), starts: [510, 810], timeZone: zone) == TestCity.at(start))
    }

    @Test func shiftStartsAreParsedAndMalformedSettingsAreNamed() throws {
        #expect(try OversightSettings.parseShiftStarts("13:30, 08:30") == [510, 810])
        #expect(throws: WorkflowError.self) { try OversightSettings.parseShiftStarts("8h30") }
        #expect(throws: WorkflowError.self) { try OversightSettings(values: ["escalation.threshold": "0.5"]) }
        #expect(try OversightSettings(values: [:]).escalationThreshold == 1.5)
    }
}
