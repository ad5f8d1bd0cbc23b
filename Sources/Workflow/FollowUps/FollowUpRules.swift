import Foundation

/// What a dissatisfied follow-up does to its case (`followup.reopen`).
public enum ReopenRule: String, Sendable, Codable, CaseIterable {
    /// The follow-up is flagged on the shift lead's board; the shift lead reopens the case or keeps it closed.
    case shiftLead = "shift-lead"
    /// The case goes back for rework as the follow-up is recorded.
    case automatic
    /// Nothing: the dissatisfaction is counted, the case stays closed.
    case never
}

/// The follow-up site settings (keys in the `site` table; defaults when a key is absent).
public struct FollowUpSettings: Sendable, Equatable {
    /// `followup.working_days`: working days from the close to the follow-up's deadline.
    public var workingDays = 2
    /// `followup.reopen`: what a dissatisfied follow-up does.
    public var reopen = ReopenRule.shiftLead
    /// `notify.lang`: the language of the messages an export sends to reporters.
    public var noticeLanguage = NoticeLanguage.zh

    public init(workingDays: Int = 2, reopen: ReopenRule = .shiftLead, noticeLanguage: NoticeLanguage = .zh) {
        self.workingDays = workingDays; self.reopen = reopen; self.noticeLanguage = noticeLanguage
    }

    public static let keys = ["followup.working_days", "followup.reopen", "notify.lang"]

    /// Reads the settings from the site's key/value pairs; a malformed value is named, not ignored.
    public init(values: [String: String]) throws(WorkflowError) {
        if let text = values["followup.working_days"] {
            guard let days = Int(text), (1...30).contains(days) else {
                throw .invalidInput("site setting followup.working_days is '\(text)'; it must be 1 to 30 working days")
            }
            workingDays = days
        }
        if let text = values["followup.reopen"] {
            guard let rule = ReopenRule(rawValue: text) else {
                throw .invalidInput("site setting followup.reopen is '\(text)'; it must be \(ReopenRule.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            reopen = rule
        }
        if let text = values["notify.lang"] {
            guard let lang = NoticeLanguage(rawValue: text) else {
                throw .invalidInput("site setting notify.lang is '\(text)'; it must be zh or en")
            }
            noticeLanguage = lang
        }
    }

    public var values: [String: String] {
        ["followup.working_days": String(workingDays), "followup.reopen": reopen.rawValue, "notify.lang": noticeLanguage.rawValue]
    }
}

/// A follow-up task to open, with its history row (the row's target is filled with the task's id once stored).
public struct NewFollowUp: Sendable, Equatable {
    public var reportID: Int64
    public var contact: ReporterContact
    public var reporterName: String?
    public var dueAt: Date
    public var entry: HistoryEntry
}

/// What a follow-up action did: the task after it, the case's history rows to append in order, and the case after
/// it when the action reopened it.
public struct FollowUpRecording: Sendable {
    public var task: FollowUp
    public var entries: [HistoryEntry]
    public var reopened: ServiceCase?
}

/// The follow-up rules (回访). Pure: no database, no clock reads.
public enum FollowUps {
    /// Reports from the public or a hotline are followed up; inspectors', leaders' and sensors' are not.
    public static func isFollowedUp(_ source: ReportSource) -> Bool {
        switch source {
        case .hotline, .web, .app: true
        case .inspector, .leader, .sensor: false
        }
    }

    /// The follow-up deadline of a task opened at `start`: `settings.workingDays` working days of the site's calendar.
    public static func deadline(from start: Date, settings: FollowUpSettings, context: LifecycleContext) throws(WorkflowError) -> Date {
        try Lifecycle.deadline(.workingDays(settings.workingDays, of: context.calendar.weekly), from: start, context: context)
    }

    /// The tasks a case's close opens: one per public or hotline report with a contact, except reports that still
    /// have an open task (a case closed again after a reopen is not called twice for the same round).
    public static func tasks(forClosed c: ServiceCase, candidates: [FollowUpCandidate], alreadyOpen: Set<Int64>,
                             settings: FollowUpSettings, context: LifecycleContext, at now: Date) throws(WorkflowError) -> [NewFollowUp] {
        guard c.state == .closed, c.closeType != .error else { return [] }
        var result: [NewFollowUp] = []
        for candidate in candidates where isFollowedUp(candidate.source) && !alreadyOpen.contains(candidate.reportID) {
            guard let contact = candidate.contact else { continue }
            let due = try deadline(from: now, settings: settings, context: context)
            let entry = HistoryEntry(caseID: c.id, at: now, actorID: nil, role: nil, centerID: c.monitorCenterID, action: HistoryActionName.followUp,
                                     from: .closed, to: .closed, target: nil, note: "report \(candidate.reportID) by \(contact.channel.rawValue)",
                                     via: Via.system.text)
            result.append(NewFollowUp(reportID: candidate.reportID, contact: contact, reporterName: candidate.reporterName, dueAt: due, entry: entry))
        }
        return result
    }

    /// Records a follow-up's outcome. A reached reporter needs a satisfaction; an unreached one has none. A dissatisfied
    /// outcome reopens the case (rule `automatic`), flags the task for the shift lead (`shift-lead`) or does nothing (`never`).
    public static func record(_ outcome: FollowUpOutcome, on task: FollowUp, of c: ServiceCase, by actor: Operator,
                              settings: FollowUpSettings, context: LifecycleContext, at now: Date) throws(WorkflowError) -> FollowUpRecording {
        try FollowUpAction.checkPreconditions(of: .record, on: task, of: c, by: actor)
        if outcome.reached, outcome.satisfaction == nil {
            throw .refusal(.satisfactionMissing)
        }
        if !outcome.reached, outcome.satisfaction != nil {
            throw .refusal(.satisfactionNotReached)
        }
        let note = try checkedNote(outcome.note, of: .record)
        guard now >= task.createdAt else {
            throw .invalidInput("follow-up \(task.id) was opened after the requested time; it cannot be recorded before it")
        }
        var after = task
        after.outcome = FollowUpOutcome(reached: outcome.reached, satisfaction: outcome.satisfaction, note: note)
        after.recordedBy = actor.id
        after.recordedAt = now
        var reopened: Transition?
        if outcome.satisfaction == .dissatisfied {
            switch settings.reopen {
            case .never: break
            case .shiftLead: after.flag = .flagged
            case .automatic:
                // The rule reopens the case when it still can (a case reopened already, or closed as an error, stays).
                if Lifecycle.reopenRefusal(c) == nil {
                    reopened = try Lifecycle.reopen(c, note: "dissatisfied follow-up \(task.id)", by: actor, context: context, at: now)
                    after.flag = .reopened
                    after.decidedAt = now
                }
            }
        }
        let entry = HistoryEntry(caseID: c.id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                 action: HistoryActionName.followUpResult, from: c.state, to: c.state,
                                 target: "\(task.id) \(after.outcome!.label)", note: note, late: now > task.dueAt,
                                 via: actor.identifiedBy?.text)
        return FollowUpRecording(task: after, entries: [entry] + [reopened?.entry].compactMap { $0 }, reopened: reopened?.after)
    }

    /// The shift lead's decision on a flagged follow-up: reopen its case for rework, or keep it closed.
    public static func decide(_ action: FollowUpAction, on task: FollowUp, of c: ServiceCase, note: String?, by actor: Operator,
                              context: LifecycleContext, at now: Date) throws(WorkflowError) -> FollowUpRecording {
        guard action != .record else { throw .invalidInput("record is not a shift lead's decision") }
        try FollowUpAction.checkPreconditions(of: action, on: task, of: c, by: actor)
        let reason = try checkedNote(note, of: action)
        var after = task
        after.decidedBy = actor.id
        after.decidedAt = now
        after.decisionNote = reason
        if action == .reopen {
            after.flag = .reopened
            let transition = try Lifecycle.reopen(c, note: "dissatisfied follow-up \(task.id): \(reason ?? "")", by: actor,
                                                  context: context, at: now)
            // The reopen's row says which follow-up it answers; the task keeps no row of its own for it.
            return FollowUpRecording(task: after, entries: [transition.entry], reopened: transition.after)
        }
        after.flag = .kept
        let entry = HistoryEntry(caseID: c.id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                 action: HistoryActionName.keepClosed, from: c.state, to: c.state, target: String(task.id), note: reason,
                                 via: actor.identifiedBy?.text)
        return FollowUpRecording(task: after, entries: [entry], reopened: nil)
    }

    static func checkedNote(_ note: String?, of action: FollowUpAction) throws(WorkflowError) -> String? {
        let trimmed = note?.trimmedWhitespace
        let rule = action.spec.note
        if rule.required, trimmed?.isBlank ?? true {
            throw .refusal(.missingNote(verb: action.rawValue, meaning: rule.meaning))
        }
        guard let trimmed, !trimmed.isBlank else { return nil }
        try Lifecycle.validateNote(trimmed)
        return trimmed
    }
}

/// The history actions of follow-ups, as stored (the case actions' names are `CaseAction`'s raw values).
public enum HistoryActionName {
    /// A follow-up task opened as the case closed (no actor: the close opened it).
    public static let followUp = "follow-up"
    /// A follow-up recorded; the target is the task's id and outcome (`12 reached satisfied`, `12 not-reached`).
    public static let followUpResult = "follow-up-result"
    /// A closed case sent back for rework after a dissatisfied follow-up.
    public static let reopen = "reopen"
    /// The shift lead kept a dissatisfied follow-up's case closed; the target is the task's id.
    public static let keepClosed = "keep-closed"
}

extension Lifecycle {
    /// Why a closed case cannot go back for rework, or nil when it can: it must be closed (not cancelled, not open),
    /// not closed as an error (wrongly filed: nothing to rework), and have had a department.
    public static func reopenRefusal(_ c: ServiceCase) -> WorkflowError? {
        do { try checkReopenable(c) } catch { return error }
        return nil
    }

    static func checkReopenable(_ c: ServiceCase) throws(WorkflowError) {
        guard c.state == .closed else {
            throw .wrongState("case \(c.id) is \(c.state.rawValue); only a closed case is reopened for rework")
        }
        guard c.closeType != .error else {
            throw .wrongState("case \(c.id) was closed as an error (wrongly filed); there is nothing to rework")
        }
        guard c.departmentCode != nil else {
            throw .wrongState("case \(c.id) was never with a department; there is no one to rework it")
        }
    }

    /// A closed case goes back for rework (返工) to the department that handled it, as a failed check does: the
    /// handling clock starts again, the rework count rises, the close is undone (its row stays in the history).
    public static func reopen(_ current: ServiceCase, note: String?, by actor: Operator, context: LifecycleContext,
                              at now: Date) throws(WorkflowError) -> Transition {
        try checkReopenable(current)
        guard now >= current.lastEventAt || !TimeWindow.isPlausible(current.lastEventAt) else {
            let format = InstantFormat(timeZone: context.calendar.timeZone)
            throw .invalidInput("case \(current.id) last changed at \(format.string(current.lastEventAt)); an action cannot be dated before it")
        }
        var after = current
        after.state = .dispatched
        after.closedAt = nil
        after.closeType = nil
        after.assigneeID = nil
        after.reworkCount += 1
        after.handledLate = false
        try startClock(&after, at: now, context: context)
        after.lastEventAt = now
        let entry = HistoryEntry(caseID: current.id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                 action: HistoryActionName.reopen, from: .closed, to: .dispatched, target: current.departmentCode,
                                 note: note, via: actor.identifiedBy?.text)
        return Transition(after: after, entry: entry, mergedInto: nil)
    }
}
