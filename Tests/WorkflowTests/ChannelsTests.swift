import Foundation
import Testing
@testable import Workflow

/// Issue 18, channels: a hotline report's line, the leader's instruction (领导批示) as a source, and a supervisor's
/// priority mark on a case.
@Suite struct ChannelsTests {
    let t0 = TestCity.monday9

    @discardableResult
    func hotline(_ city: TestCity, line: String?, source: ReportSource = .hotline, at time: Date? = nil) throws -> ServiceCase {
        try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "来电：暴露垃圾",
                                          source: source, line: line), by: "city-intake", at: time ?? t0)
    }

    @Test func aHotlineReportKeepsItsLineAndOnlyAKnownLineOfTheHotline() throws {
        let city = try TestCity(model: .centralized)
        let c = try hotline(city, line: " 12319 ")
        #expect(c.line == "12319")
        #expect(try city.store.serviceCase(c.id).line == "12319", "stored")
        #expect(try city.store.history(of: c.id).first?.entry.note == "source hotline line 12319")
        #expect(try hotline(city, line: nil).line == nil)
        #expect(try hotline(city, line: "96150").line == "96150")
        #expect(throws: WorkflowError.refusal(.lineNotForSource(.web))) { try hotline(city, line: "12319", source: .web) }
        #expect(throws: WorkflowError.refusal(.unknownLine("12345", known: ["12319", "96150"]))) { try hotline(city, line: "12345") }
        // An administrator adds a line of the site's own; then it is known.
        try city.store.addOperator(login: "admin", name: "管理员", role: .admin, centerID: nil)
        #expect(throws: WorkflowError.self) { try city.store.addHotlineLine(code: "12345", name: "市长热线", by: "city-intake", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.addHotlineLine(code: "12319", name: "重复", by: "admin", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.addHotlineLine(code: "12 345", name: "市长热线", by: "admin", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.addHotlineLine(code: "12345", name: "\u{1B}[31m", by: "admin", at: t0) }
        try city.store.addHotlineLine(code: "12345", name: "市长热线", by: "admin", at: t0)
        #expect(try city.store.hotlineLines().map(\.code) == ["12319", "96150", "12345"])
        #expect(try hotline(city, line: "12345").line == "12345")
    }

    @Test func hotlineReportsAreCountedByLineOverAPeriod() throws {
        let city = try TestCity(model: .centralized)
        try city.store.addOperator(login: "admin", name: "管理员", role: .admin, centerID: nil)
        try city.store.addHotlineLine(code: "12345", name: "市长热线", by: "admin", at: t0)
        // Monday: two on 12319, one on 12345, one with no line, one web report (not counted); Tuesday: one on 12319.
        for line in ["12319", "12319", "12345", nil] { try hotline(city, line: line) }
        try hotline(city, line: nil, source: .web)
        try hotline(city, line: "12319", at: TestCity.at("2026-11-24T10:00:00+08:00"))
        // One in district 110102, outside a `within` of 110101.
        _ = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellB, description: "来电",
                                          source: .hotline, line: "96150"), by: "city-intake", at: t0)
        let monday = try EvaluationPeriod(from: LocalDate(string: "2026-11-23")!, to: LocalDate(string: "2026-11-24")!)
        let counts = try city.store.hotlineLineCounts(monday, within: nil)
        #expect(counts == [HotlineLineCount(line: "12319", name: "城管热线", reports: 2),
                           HotlineLineCount(line: "96150", name: "96150 热线", reports: 1),
                           HotlineLineCount(line: "12345", name: "市长热线", reports: 1),
                           HotlineLineCount(line: nil, name: nil, reports: 1)])
        #expect(try city.store.hotlineLineCounts(monday, within: "110101").map(\.reports) == [2, 0, 1, 1])
        let week = try EvaluationPeriod(from: LocalDate(string: "2026-11-23")!, to: LocalDate(string: "2026-11-30")!)
        #expect(try city.store.hotlineLineCounts(week, within: nil).map(\.reports) == [3, 1, 1, 1])
    }

    @Test func aLeadersInstructionIsAcceptedAndFiledWithoutVerificationThroughTheLoop() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(by: "city-intake", source: .leader)
        #expect(c.source == .leader && c.confirmed, "an instruction needs no inspector's confirmation")
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        #expect(try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(10)).state == .filed)
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t0.after(15))
        try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: t0.after(65))
        try city.act(.pass, c.id, as: "insp-a", at: t0.after(80))
        #expect(try city.act(.close, c.id, as: try city.lead(.close, c.id), at: t0.after(85)).closeType == .normal)
        #expect(try city.store.history(of: c.id).map(\.entry.action) == ["report", "accept", "file", "dispatch", "handle", "check", "pass", "close"])
        // The other channel sources still wait for an inspector; only the hotline names a line.
        for source in [ReportSource.hotline, .web, .app, .sensor] { #expect(source.needsConfirmation) }
        #expect(!ReportSource.inspector.needsConfirmation && !ReportSource.leader.needsConfirmation)
        #expect(throws: WorkflowError.refusal(.lineNotForSource(.leader))) { try hotline(city, line: "12319", source: .leader) }
    }

    @Test func aSupervisorSetsAndClearsPriorityAndTheHistoryKeepsBoth() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.dispatchedCase()
        #expect(!c.priority)
        #expect(throws: WorkflowError.refusal(.wrongRole(verb: "prioritize", roles: [.supervisor], login: "city-dispatcher", role: .dispatcher))) {
            try city.act(.prioritize, c.id, as: "city-dispatcher", at: t0.after(30))
        }
        #expect(throws: WorkflowError.self) { try city.act(.prioritize, c.id, as: "city-lead", at: t0.after(30)) }
        #expect(throws: WorkflowError.refusal(.notPriority(caseID: c.id))) { try city.act(.deprioritize, c.id, as: "city-supervisor", at: t0.after(30)) }
        let marked = try city.act(.prioritize, c.id, as: "city-supervisor", note: "市领导关注", at: t0.after(30))
        #expect(marked.priority && marked.state == .dispatched && marked.deadline == c.deadline, "the mark changes nothing else")
        #expect(try city.store.serviceCase(c.id).priority)
        #expect(throws: WorkflowError.refusal(.alreadyPriority(caseID: c.id))) { try city.act(.prioritize, c.id, as: "city-supervisor", at: t0.after(31)) }
        let cleared = try city.act(.deprioritize, c.id, as: "city-supervisor", at: t0.after(40))
        #expect(!cleared.priority)
        let rows = try city.store.history(of: c.id).suffix(2).map(\.entry)
        #expect(rows.map(\.action) == ["prioritize", "deprioritize"])
        #expect(rows.first?.note == "市领导关注" && rows.first?.role == .supervisor && rows.first?.from == .dispatched && rows.first?.to == .dispatched)
        // Closed cases take no mark.
        #expect(!CaseAction.prioritize.starts(from: .closed) && CaseAction.prioritize.starts(from: .reported))
    }

    @Test func priorityComesFirstAmongEqualsAfterUrgentInTheQueue() throws {
        let city = try TestCity(model: .centralized)
        // Three hotline reports waiting on the intake operator, due in the order made; the last is marked priority.
        let first = try hotline(city, line: nil)
        let second = try hotline(city, line: nil, at: t0.after(1))
        let third = try hotline(city, line: nil, at: t0.after(2))
        let intake = try city.store.findOperator("city-intake")
        #expect(try city.store.needsAction(for: intake, at: t0.after(3)).map(\.id) == [first.id, second.id, third.id])
        try city.act(.prioritize, third.id, as: "city-supervisor", at: t0.after(3))
        #expect(try city.store.needsAction(for: intake, at: t0.after(4)).map(\.id) == [third.id, first.id, second.id])
        // An urgent case still comes before a priority one.
        let urgent = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "急",
                                                       source: .hotline, urgent: true), by: "city-intake", at: t0.after(5))
        #expect(try city.store.needsAction(for: intake, at: t0.after(6)).map(\.id) == [urgent.id, third.id, first.id, second.id])
    }
}
