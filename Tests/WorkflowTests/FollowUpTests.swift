import Foundation
import GRDB
import Testing
@testable import Workflow

/// Follow-ups (回访): opened when a public or hotline case closes, on working time; recorded by the monitoring
/// center's intake operators; a dissatisfied one reopens the case as the site's rule says.
@Suite struct FollowUpTests {
    /// Friday 27 November 2026, 16:00 in Beijing.
    static let friday16 = TestCity.at("2026-11-27T16:00:00+08:00")

    /// A hotline report (with the caller's phone) taken through the whole loop and closed at `closeAt`.
    static func closedHotlineCase(_ city: TestCity, phone: String? = "13800000001", source: ReportSource = .hotline,
                                  closeAt: Date = friday16) throws -> ServiceCase {
        let start = closeAt.addingTimeInterval(-6 * 3600)
        let c = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "路边垃圾",
                                                  source: source, reporterName: "刘先生", reporterPhone: phone),
                                      by: city.intakeA, at: start)
        try city.act(.verify, c.id, as: city.intakeA, to: "insp-a", at: start.after(1))
        try city.act(.confirm, c.id, as: "insp-a", at: start.after(2))
        let filed = try city.act(.file, c.id, as: try city.lead(.file, c.id), at: start.after(3))
        try city.act(.dispatch, c.id, as: city.dispatcher(for: filed), to: "SANIT", at: start.after(4))
        try city.act(.handle, c.id, as: "sanit-110101", at: start.after(30))
        try city.act(.check, c.id, as: city.intakeA, to: "insp-a", at: start.after(31))
        try city.act(.pass, c.id, as: "insp-a", at: start.after(32))
        return try city.act(.close, c.id, as: try city.lead(.close, c.id), at: closeAt)
    }

    static func tasks(_ city: TestCity, _ caseID: Int64) throws -> [FollowUpItem] {
        try city.store.followUps(ofCase: caseID, viewer: "city-supervisor")
    }

    @Test func closingAHotlineCaseOpensAFollowUpDueTwoWorkingDaysLaterAcrossTheWeekend() throws {
        let city = try TestCity(model: .centralized)
        let c = try Self.closedHotlineCase(city)
        let tasks = try Self.tasks(city, c.id)
        #expect(tasks.count == 1)
        let task = try #require(tasks.first).followUp
        #expect(task.contact == ReporterContact(channel: .phone, address: "13800000001"))
        #expect(task.createdAt == Self.friday16)
        // Friday 16:00–17:30 (90 min), Monday (450), Tuesday 08:30–12:00 (210) and 13:30–16:00 (150): 900 = 2 × 450.
        #expect(task.dueAt == TestCity.at("2026-12-01T16:00:00+08:00"))
        let rows = try city.store.history(of: c.id).map(\.entry)
        let opened = try #require(rows.last)
        #expect(opened.action == "follow-up" && opened.from == .closed && opened.to == .closed && opened.target == String(task.id))
        #expect(opened.actorID == nil)
    }

    @Test func aHolidayMovesTheFollowUpDeadline() throws {
        let city = try TestCity(model: .centralized)
        _ = try city.store.importCalendar([LocalDate(string: "2026-11-30")!: .holiday])
        let c = try Self.closedHotlineCase(city)
        let task = try #require(try Self.tasks(city, c.id).first).followUp
        // Monday is a holiday: the clock runs Friday's 90 minutes, then Tuesday and Wednesday.
        #expect(task.dueAt == TestCity.at("2026-12-02T16:00:00+08:00"))
    }

    @Test func theSiteSetsTheFollowUpWorkingDays() throws {
        let city = try TestCity(model: .centralized)
        try city.store.setFollowUpSettings(FollowUpSettings(workingDays: 1))
        let c = try Self.closedHotlineCase(city)
        let task = try #require(try Self.tasks(city, c.id).first).followUp
        #expect(task.dueAt == TestCity.at("2026-11-30T16:00:00+08:00"))
        #expect(throws: WorkflowError.self) { try FollowUpSettings(values: ["followup.working_days": "0"]) }
        #expect(throws: WorkflowError.self) { try FollowUpSettings(values: ["followup.reopen": "sometimes"]) }
    }

    @Test func onlyPublicAndHotlineReportersWithAContactAreFollowedUp() throws {
        let city = try TestCity(model: .centralized)
        let noPhone = try Self.closedHotlineCase(city, phone: nil)
        #expect(try Self.tasks(city, noPhone.id).isEmpty)
        let leader = try Self.closedHotlineCase(city, source: .leader)
        #expect(try Self.tasks(city, leader.id).isEmpty)
        let app = try Self.closedHotlineCase(city, source: .app)
        #expect(try Self.tasks(city, app.id).count == 1)
        // An inspector's own report has no public reporter.
        let c = try city.report(at: Self.friday16.addingTimeInterval(-3600))
        try city.act(.accept, c.id, as: city.intakeA, at: Self.friday16.addingTimeInterval(-3500))
        #expect(ReporterContact.of(reportPhone: "  ", email: "a@b.example") == ReporterContact(channel: .email, address: "a@b.example"))
        #expect(ReporterContact.of(reportPhone: nil, device: "dev-1") == ReporterContact(channel: .app, address: "dev-1"))
        #expect(!FollowUps.isFollowedUp(.inspector) && !FollowUps.isFollowedUp(.sensor))
    }

    @Test func theIntakeOperatorOfTheCasesCenterRecordsTheOutcome() throws {
        let city = try TestCity(model: .twoMonitorOneCommand)
        let c = try Self.closedHotlineCase(city)
        let later = Self.friday16.after(60)
        // Not intake: forbidden. Intake of the other district's center: not theirs.
        #expect(throws: WorkflowError.forbidden("follow-up record is for the intake role; 110101-lead is shift-lead")) {
            try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .satisfied), by: "110101-lead", at: later)
        }
        #expect(throws: WorkflowError.self) {
            try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .satisfied), by: "city-intake", at: later)
        }
        // Reached needs a satisfaction; not reached takes none.
        #expect(throws: WorkflowError.self) {
            try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true), by: city.intakeA, at: later)
        }
        #expect(throws: WorkflowError.self) {
            try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: false, satisfaction: .satisfied), by: city.intakeA, at: later)
        }
        #expect(try city.store.followUps(for: city.intakeA).map(\.followUp.caseID) == [c.id])
        let result = try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .basicallySatisfied, note: " 已回访 "),
                                                   by: city.intakeA, at: later)
        #expect(result.task.outcome == FollowUpOutcome(reached: true, satisfaction: .basicallySatisfied, note: "已回访"))
        #expect(result.reopened == nil)
        #expect(try city.store.followUps(for: city.intakeA).isEmpty)
        let row = try #require(try city.store.history(of: c.id).last).entry
        #expect(row.action == "follow-up-result" && row.target == "\(result.task.id) reached basically-satisfied" && row.note == "已回访" && !row.late)
        // Recorded once: a second record finds nothing open.
        #expect(throws: WorkflowError.self) {
            try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: false), by: city.intakeA, at: later.after(1))
        }
        // Dispatchers have no follow-ups.
        #expect(throws: WorkflowError.self) { try city.store.followUps(for: "city-dispatcher") }
    }

    @Test func aLateRecordIsMarkedLateInTheHistory() throws {
        let city = try TestCity(model: .centralized)
        let c = try Self.closedHotlineCase(city)
        try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: false), by: city.intakeA,
                                      at: TestCity.at("2026-12-01T16:01:00+08:00"))
        #expect(try #require(try city.store.history(of: c.id).last).entry.late)
    }

    @Test func byDefaultADissatisfiedFollowUpIsFlaggedForTheShiftLeadWhoReopensTheCase() throws {
        let city = try TestCity(model: .centralized)
        let c = try Self.closedHotlineCase(city)
        let later = Self.friday16.after(60)
        let recorded = try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied),
                                                     by: city.intakeA, at: later)
        #expect(recorded.task.flag == .flagged && recorded.reopened == nil)
        #expect(try city.store.serviceCase(c.id).state == .closed)
        // On the shift lead's list, not the intake operator's.
        #expect(try city.store.followUps(for: city.leadA).map(\.followUp.stage) == [.flagged])
        #expect(try city.store.followUps(for: city.intakeA).isEmpty)
        // The intake operator cannot decide; the shift lead needs a reason.
        #expect(throws: WorkflowError.self) {
            try city.store.decideFollowUp(.reopen, caseID: c.id, note: "不满意", by: city.intakeA, at: later.after(5))
        }
        #expect(throws: WorkflowError.refusal(.missingNote(verb: "reopen", meaning: .reason))) {
            try city.store.decideFollowUp(.reopen, caseID: c.id, note: " ", by: city.leadA, at: later.after(5))
        }
        let decided = try city.store.decideFollowUp(.reopen, caseID: c.id, note: "市民反映仍有垃圾", by: city.leadA, at: later.after(5))
        let reopened = try #require(decided.reopened)
        #expect(reopened.state == .dispatched && reopened.departmentCode == "SANIT" && reopened.reworkCount == 1)
        #expect(reopened.closedAt == nil && reopened.closeType == nil && reopened.deadline != nil)
        #expect(try city.store.serviceCase(c.id) == reopened)
        let row = try #require(try city.store.history(of: c.id).last).entry
        #expect(row.action == "reopen" && row.from == .closed && row.to == .dispatched && row.target == "SANIT")
        #expect(try city.store.followUps(for: city.leadA).isEmpty)
        // The department handles it again; closing again opens a new follow-up: each close is a round of feedback.
        try city.act(.handle, c.id, as: "sanit-110101", at: later.after(60))
        try city.act(.check, c.id, as: city.intakeA, to: "insp-a", at: later.after(61))
        try city.act(.pass, c.id, as: "insp-a", at: later.after(62))
        try city.act(.close, c.id, as: try city.lead(.close, c.id), at: later.after(63))
        #expect(try Self.tasks(city, c.id).map(\.followUp.stage) == [.reopened, .open])
        #expect(try city.store.read { db in try HistoryChain.verifyCase(db, c.id) }.values.allSatisfy { $0 })
    }

    @Test func theShiftLeadMayKeepTheCaseClosed() throws {
        let city = try TestCity(model: .centralized)
        let c = try Self.closedHotlineCase(city)
        try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied), by: city.intakeA,
                                      at: Self.friday16.after(10))
        let kept = try city.store.decideFollowUp(.keepClosed, caseID: c.id, note: "诉求超出处置范围", by: city.leadA, at: Self.friday16.after(20))
        #expect(kept.task.flag == .kept && kept.reopened == nil)
        #expect(try city.store.serviceCase(c.id).state == .closed)
        // Decided once.
        #expect(throws: WorkflowError.self) {
            try city.store.decideFollowUp(.reopen, caseID: c.id, note: "再议", by: city.leadA, at: Self.friday16.after(30))
        }
    }

    @Test func theAutomaticRuleReopensAtOnceAndNeverLeavesTheCaseClosed() throws {
        let city = try TestCity(model: .centralized)
        try city.store.setFollowUpSettings(FollowUpSettings(reopen: .automatic))
        let c = try Self.closedHotlineCase(city)
        let result = try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied),
                                                   by: city.intakeA, at: Self.friday16.after(10))
        #expect(result.task.flag == .reopened)
        #expect(try city.store.serviceCase(c.id).state == .dispatched)
        #expect(try city.store.history(of: c.id).suffix(2).map(\.entry.action) == ["follow-up-result", "reopen"])

        let other = try TestCity(model: .centralized)
        try other.store.setFollowUpSettings(FollowUpSettings(reopen: .never))
        let d = try Self.closedHotlineCase(other)
        let never = try other.store.recordFollowUp(caseID: d.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied),
                                                   by: other.intakeA, at: Self.friday16.after(10))
        #expect(never.task.flag == nil && never.task.stage == .recorded)
        #expect(try other.store.serviceCase(d.id).state == .closed)
    }

    @Test func theActionTableSaysWhoDecidesWhat() {
        #expect(FollowUpAction.record.spec.roles == .intake && FollowUpAction.record.spec.from == .open)
        #expect(FollowUpAction.reopen.spec.roles == .shiftLead && FollowUpAction.reopen.spec.from == .flagged)
        #expect(FollowUpAction.keepClosed.spec.note.required && !FollowUpAction.record.spec.note.required)
    }

    @Test func aReopenIsReworkInTheEvaluation() throws {
        let city = try TestCity(model: .centralized)
        let c = try Self.closedHotlineCase(city)
        try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied), by: city.intakeA,
                                      at: Self.friday16.after(10))
        try city.store.decideFollowUp(.reopen, caseID: c.id, note: "返工", by: city.leadA, at: Self.friday16.after(20))
        var replay = CaseReplay(facts: ReplayCase(id: c.id, cellCode: c.cellCode, category: "event:0102", fromInspector: false,
                                                  state: .dispatched, closeType: nil), dayOf: { Int($0 / 86_400) })
        struct Sink: ContributionSink {
            var counts: [EvaluationCounter: Int64] = [:]
            mutating func count(_ counter: EvaluationCounter, _ delta: Int64, day: Int, department: String?, operator: Int64?) {
                counts[counter, default: 0] += delta
            }
            mutating func stage(_ stage: EvaluationStage, seconds: Int64, day: Int, department: String?, operator: Int64?) {}
        }
        var sink = Sink()
        for record in try city.store.history(of: c.id) {
            let e = record.entry
            replay.apply(ReplayRow(seq: 0, at: Int64(e.at.timeIntervalSince1970), actor: e.actorID, action: HistoryAction(name: e.action),
                                   from: e.from, to: e.to, target: e.target, late: e.late), emit: true, into: &sink)
        }
        #expect(sink.counts[.assigned] == 1)
        #expect(sink.counts[.assignedClosed] == 0)
        #expect(sink.counts[.assignedReworked] == 1)
        #expect(HistoryAction(name: "reopen") == .reopen)
        let bytes = Array("reopen".utf8)
        #expect(bytes.withUnsafeBufferPointer { HistoryAction(bytes: $0) } == .reopen)
    }

    /// November 2026, by hand: five follow-ups opened by November's closes (a leader's report has none; a case closed
    /// on 1 December counts in December), four recorded (one of them in December), three reached, two of those
    /// satisfied or basically satisfied. 回访率 4/5 = 80 %; 满意率 2/3 = 66.7 %.
    @Test func followUpAndSatisfactionRatesOfASmallMonthByHand() throws {
        let city = try TestCity(model: .centralized)
        let a = try Self.closedHotlineCase(city)
        let b = try Self.closedHotlineCase(city, source: .app)
        let c = try Self.closedHotlineCase(city)
        let d = try Self.closedHotlineCase(city)
        _ = try Self.closedHotlineCase(city)                     // e: never recorded
        _ = try Self.closedHotlineCase(city, source: .leader)    // no follow-up
        let december = TestCity.at("2026-12-01T16:00:00+08:00")
        let g = try Self.closedHotlineCase(city, closeAt: december)
        let later = Self.friday16.after(30)
        try city.store.recordFollowUp(caseID: a.id, outcome: FollowUpOutcome(reached: true, satisfaction: .satisfied), by: city.intakeA, at: later)
        try city.store.recordFollowUp(caseID: b.id, outcome: FollowUpOutcome(reached: true, satisfaction: .basicallySatisfied), by: city.intakeA, at: later)
        try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied), by: city.intakeA, at: later)
        try city.store.recordFollowUp(caseID: d.id, outcome: FollowUpOutcome(reached: false), by: city.intakeA,
                                      at: TestCity.at("2026-12-01T09:00:00+08:00"))
        try city.store.recordFollowUp(caseID: g.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied), by: city.intakeA,
                                      at: december.after(10))
        let now = TestCity.at("2026-12-02T10:00:00+08:00")
        let november = EvaluationPeriod.month(containing: LocalDate(string: "2026-11-01")!)
        for grouping in [EvaluationGrouping.city, .district, .department] {
            let report = try city.store.evaluation(EvaluationQuery(period: november, grouping: grouping), at: now)
            let counts = report.total.counts
            #expect(counts[.followups] == 5 && counts[.followupsDone] == 4, "\(grouping)")
            #expect(counts[.followupsReached] == 3 && counts[.followupsSatisfied] == 2, "\(grouping)")
            #expect(report.total.value(.followUpRate) == 80, "\(grouping)")
            #expect(abs((report.total.value(.satisfactionRate) ?? 0) - 200.0 / 3) < 1e-9, "\(grouping)")
        }
        let byDepartment = try city.store.evaluation(EvaluationQuery(period: november, grouping: .department), at: now)
        #expect(byDepartment.rows.first { $0.key == "SANIT" }?.value(.followUpRate) == 80)
        // The intake operator who recorded: satisfaction 2/3; no tasks are given to operators, so no follow-up rate.
        let byOperator = try city.store.evaluation(EvaluationQuery(period: november, grouping: .operator), at: now)
        let intake = try #require(byOperator.rows.first { $0.key == city.intakeA })
        #expect(intake.value(.followUpRate) == nil)
        #expect(abs((intake.value(.satisfactionRate) ?? 0) - 200.0 / 3) < 1e-9)
        let decemberReport = try city.store.evaluation(
            EvaluationQuery(period: EvaluationPeriod.month(containing: LocalDate(string: "2026-12-01")!), grouping: .city), at: now)
        #expect(decemberReport.total.value(.followUpRate) == 100 && decemberReport.total.value(.satisfactionRate) == 0)
        // The monthly bulletin carries both.
        let bulletin = try city.store.monthlyBulletin(period: november, at: now)
        #expect(bulletin.totals.contains { $0.label == "satisfaction_rate" && $0.now == "66.7" })
        #expect(bulletin.totals.contains { $0.label == "follow_up_rate" && $0.now == "80.0" })
    }

    /// An Open311 requester who left only an email is followed up and told by email; `status_notes` carry the text
    /// their messages carry.
    @Test func anOpen311RequesterIsToldByEmailAndStatusNotesCarryTheSameText() throws {
        let city = try TestCity(model: .centralized)
        let (key, _) = try city.store.addAPIKey(name: "app", at: TestCity.monday9)
        let (filed, _) = try city.store.fileOpen311Request(
            ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "门口一堆纸箱"),
            requester: Open311Requester(email: "resident@example.org", firstName: "Mei"), apiKey: key, at: TestCity.monday9)
        let messages = try city.store.pendingNotices()
        #expect(messages.map(\.event) == [.received])
        #expect(messages.first?.channel == .email && messages.first?.contact == "resident@example.org")
        let listed = try #require(try city.store.open311Cases(Open311Filter(ids: [filed.id])).first)
        #expect(listed.publicNotice?.zh == messages.first?.text)
        try city.store.markNoticesTaken(messages.map(\.id), format: "jsonl", since: nil, at: TestCity.monday9.after(1))
        #expect(try city.store.pendingNotices().isEmpty)
        #expect(try city.store.pendingNotices(since: TestCity.monday9).count == 1)
        // English when the site says so.
        try city.store.setFollowUpSettings(FollowUpSettings(noticeLanguage: .en))
        #expect(try city.store.pendingNotices(since: TestCity.monday9).first?.text == listed.publicNotice?.en)
        // Every message of a case holds its public facts only: never the description, never a name.
        #expect(messages.allSatisfy { !$0.text.contains("纸箱") && $0.text.contains("暴露垃圾") })
        #expect(messages.allSatisfy { !$0.text.contains("Mei") })
    }

    @Test func onlyAnAdminExportsTheOutboxOnceOperatorsSignIn() throws {
        let city = try TestCity(model: .centralized)
        _ = try Self.closedHotlineCase(city)
        #expect(try city.store.pendingNotices().map(\.event) == [.received, .dispatched, .closed])
        let intake = try city.store.findOperator(city.intakeA)
        city.store.signIn(SignedIn(operatorID: intake.id, login: intake.login, via: .demo))
        #expect(throws: WorkflowError.self) { try city.store.pendingNotices() }
        #expect(throws: WorkflowError.self) { try city.store.markNoticesTaken([1], format: "jsonl", since: nil, at: Self.friday16.after(5)) }
    }

    /// Two callers about one problem, merged: each gets their own follow-up and their own messages, to their own phone,
    /// with nothing of the other's words; a record must name which follow-up when two wait.
    @Test func mergedReportersEachGetTheirOwnFollowUpAndMessages() throws {
        let city = try TestCity(model: .centralized)
        let start = Self.friday16.addingTimeInterval(-6 * 3600)
        let first = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "第一位的话",
                                                      source: .hotline, reporterPhone: "13800000011"), by: city.intakeA, at: start)
        let second = try city.store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "第二位的话",
                                                       source: .hotline, reporterPhone: "13800000022"), by: city.intakeA, at: start.after(1))
        try city.act(.merge, second.id, as: city.intakeA, to: String(first.id), at: start.after(2))
        try city.act(.verify, first.id, as: city.intakeA, to: "insp-a", at: start.after(3))
        try city.act(.confirm, first.id, as: "insp-a", at: start.after(4))
        let filed = try city.act(.file, first.id, as: try city.lead(.file, first.id), at: start.after(5))
        try city.act(.dispatch, first.id, as: city.dispatcher(for: filed), to: "SANIT", at: start.after(6))
        try city.act(.handle, first.id, as: "sanit-110101", at: start.after(30))
        try city.act(.check, first.id, as: city.intakeA, to: "insp-a", at: start.after(31))
        try city.act(.pass, first.id, as: "insp-a", at: start.after(32))
        try city.act(.close, first.id, as: try city.lead(.close, first.id), at: Self.friday16)
        let tasks = try Self.tasks(city, first.id).map(\.followUp)
        #expect(Set(tasks.map(\.contact.address)) == ["13800000011", "13800000022"])
        #expect(throws: WorkflowError.self) {
            try city.store.recordFollowUp(caseID: first.id, outcome: FollowUpOutcome(reached: false), by: city.intakeA, at: Self.friday16.after(5))
        }
        let chosen = try #require(tasks.first { $0.contact.address == "13800000022" })
        let result = try city.store.recordFollowUp(caseID: first.id, followUpID: chosen.id, outcome: FollowUpOutcome(reached: false),
                                                   by: city.intakeA, at: Self.friday16.after(5))
        #expect(result.task.id == chosen.id)
        let messages = try city.store.pendingNotices()
        let toSecond = messages.filter { $0.contact == "13800000022" }
        #expect(toSecond.map(\.event) == [.received, .dispatched, .closed, .followUp])
        #expect(messages.filter { $0.contact == "13800000011" }.map(\.event) == [.received, .dispatched, .closed])
        #expect(messages.allSatisfy { !$0.text.contains("第一位") && !$0.text.contains("第二位") })
        // The second caller's messages are about the case they are in now: received under their own number, then the
        // case that carried their report.
        #expect(toSecond.first?.caseID == second.id && toSecond.dropFirst().allSatisfy { $0.caseID == first.id })
    }
}
