import ArgumentParser
import Foundation
import Workflow

/// `citygrid followups`, `citygrid followup record|reopen|keep-closed` and `citygrid notify export`: feedback to the
/// public (回访, satisfaction, the reporters' outbox). The rules are Workflow's (`FollowUps`, `FollowUpAction`).
struct FollowUpJSON: Encodable {
    var id: Int64
    var case_id: Int64
    var report_id: Int64
    var stage: String
    var channel: String
    var contact: String
    var reporter_name: String?
    var created_at: String
    var due_at: String
    var overdue: Bool
    var reached: Bool?
    var satisfaction: String?
    var note: String?
    var recorded_by: String?
    var recorded_at: String?
    var decided_at: String?
    var decision_note: String?
    var category_code: String?
    var cell_code: String?
    var case_state: String?
    var description: String?

    init(_ f: FollowUp, item: FollowUpItem? = nil, format: InstantFormat, now: Date) {
        id = f.id; case_id = f.caseID; report_id = f.reportID; stage = f.stage.rawValue
        channel = f.contact.channel.rawValue; contact = f.contact.address; reporter_name = f.reporterName
        created_at = format.string(f.createdAt); due_at = format.string(f.dueAt); overdue = f.isOverdue(at: now)
        reached = f.outcome?.reached; satisfaction = f.outcome?.satisfaction?.rawValue; note = f.outcome?.note
        recorded_by = item?.recordedByLogin; recorded_at = f.recordedAt.map(format.string)
        decided_at = f.decidedAt.map(format.string); decision_note = f.decisionNote
        category_code = item?.categoryCode; cell_code = item?.cellCode; case_state = item?.caseState.rawValue
        description = item?.caseDescription
    }

    /// Every key, null when empty: a script reads the same fields whatever the stage.
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(case_id, forKey: .case_id); try c.encode(report_id, forKey: .report_id)
        try c.encode(stage, forKey: .stage); try c.encode(channel, forKey: .channel); try c.encode(contact, forKey: .contact)
        try c.encode(reporter_name, forKey: .reporter_name); try c.encode(created_at, forKey: .created_at); try c.encode(due_at, forKey: .due_at)
        try c.encode(overdue, forKey: .overdue); try c.encode(reached, forKey: .reached); try c.encode(satisfaction, forKey: .satisfaction)
        try c.encode(note, forKey: .note); try c.encode(recorded_by, forKey: .recorded_by); try c.encode(recorded_at, forKey: .recorded_at)
        try c.encode(decided_at, forKey: .decided_at); try c.encode(decision_note, forKey: .decision_note)
        try c.encode(category_code, forKey: .category_code); try c.encode(cell_code, forKey: .cell_code)
        try c.encode(case_state, forKey: .case_state); try c.encode(description, forKey: .description)
    }
    enum CodingKeys: String, CodingKey {
        case id, case_id, report_id, stage, channel, contact, reporter_name, created_at, due_at, overdue, reached, satisfaction, note
        case recorded_by, recorded_at, decided_at, decision_note, category_code, cell_code, case_state, description
    }
}

struct FollowUpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followups",
        abstract: "Follow-ups (回访) waiting in an operator's reach, earliest deadline first.",
        discussion: """
            A follow-up opens for each public or hotline reporter with a phone or Open311 contact when their case \
            closes, due in the site's follow-up working days (default 2). Intake operators see the open ones of their \
            monitoring center; shift leads also the dissatisfied ones flagged for their decision.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let s = try store.session()
            let now = try s.now()
            let items = try s.followUps.followUps(for: try s.acting(actor))
            if output.json { return try Output.json(items.map { FollowUpJSON($0.followUp, item: $0, format: s.format, now: now) }) }
            if items.isEmpty { return Output.line("no follow-ups waiting") }
            Output.table(["CASE", "TASK", "STAGE", "DUE", "CHANNEL", "CONTACT", "REPORTER"], items.map { item in
                let f = item.followUp
                return [String(f.caseID), String(f.id), f.stage.rawValue, s.format.string(f.dueAt) + (f.isOverdue(at: now) ? " overdue" : ""),
                        f.contact.channel.rawValue, f.contact.address, f.reporterName ?? ""]
            })
        }
    }
}

struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Record a follow-up (intake), or decide on a dissatisfied one (shift lead): record, reopen, keep-closed.",
        subcommands: [FollowUpRecord.self, FollowUpReopen.self, FollowUpKeepClosed.self])
}

/// `--followup ID`, for a case with several follow-ups waiting.
struct FollowUpTaskOption: ParsableArguments {
    @Option(name: .customLong("followup"), help: "The follow-up's id, when the case has several waiting (see `citygrid followups`).")
    var id: Int64?
}

struct FollowUpRecordJSON: Encodable {
    var followup: FollowUpJSON
    var case_state: String
    var reopened: Bool
}

struct FollowUpRecord: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a follow-up: reached or not, the reporter's satisfaction and a note (an intake operator of the case's monitoring center).",
        discussion: """
            A reached reporter's follow-up needs --satisfaction; one not reached takes none. A dissatisfied one is \
            flagged for the shift lead (or reopens the case, or does nothing, as the site's followup.reopen says).
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "The case id.") var caseID: Int64
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Flag(help: "The reporter was reached.") var reached = false
    @Flag(name: .customLong("not-reached"), help: "The reporter could not be reached.") var notReached = false
    @Option(help: "satisfied, basically-satisfied or dissatisfied (满意 / 基本满意 / 不满意).") var satisfaction: Satisfaction?
    @Option(help: "A note for the record.") var note: String?
    @OptionGroup var task: FollowUpTaskOption
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        guard reached != notReached else { throw ValidationError("give exactly one of --reached and --not-reached") }
    }

    func run() throws {
        try guarded {
            let s = try store.session()
            let now = try s.now(at)
            let result = try s.followUps.recordFollowUp(caseID: caseID, followUpID: task.id,
                                                        outcome: FollowUpOutcome(reached: reached, satisfaction: satisfaction, note: note),
                                                        by: try s.acting(actor), at: now)
            try FollowUpRecord.report(result, caseID: caseID, session: s, now: now, json: output.json)
        }
    }

    static func report(_ result: FollowUpRecording, caseID: Int64, session s: CommandSession, now: Date, json: Bool) throws {
        let state = try result.reopened?.state ?? s.cases.serviceCase(caseID).state
        if json {
            return try Output.json(FollowUpRecordJSON(followup: FollowUpJSON(result.task, format: s.format, now: now), case_state: state.rawValue,
                                                      reopened: result.reopened != nil))
        }
        let t = result.task
        var line = "case \(caseID): follow-up \(t.id) \(t.outcome?.label ?? t.stage.rawValue)"
        switch t.stage {
        case .flagged: line += ", flagged for the shift lead"
        case .reopened: line += ", case reopened for rework (\(state.rawValue))"
        case .kept: line += ", case kept closed"
        case .open, .recorded: break
        }
        Output.line(line)
    }
}

extension FollowUpRecord {
    /// `followup reopen` and `followup keep-closed`: the shift lead's decision on a dissatisfied follow-up, then the report.
    static func decide(_ action: FollowUpAction, caseID: Int64, note: String?, task: FollowUpTaskOption, store: StoreOptions,
                       actor: ActorOption<SharedHelp.Operator>, at: AtOption<SharedHelp.When>, json: Bool) throws {
        try guarded {
            let s = try store.session()
            let now = try s.now(at)
            let result = try s.followUps.decideFollowUp(action, caseID: caseID, followUpID: task.id, note: note, by: try s.acting(actor), at: now)
            try report(result, caseID: caseID, session: s, now: now, json: json)
        }
    }
}

struct FollowUpReopen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Send the case of a dissatisfied follow-up back to its department for rework (the shift lead of its monitoring center).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The case id.") var caseID: Int64
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Option(help: "Why (required).") var note: String?
    @OptionGroup var task: FollowUpTaskOption
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try FollowUpRecord.decide(.reopen, caseID: caseID, note: note, task: task, store: store, actor: actor, at: at, json: output.json)
    }
}

struct FollowUpKeepClosed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keep-closed",
        abstract: "Keep the case of a dissatisfied follow-up closed, with the reason (the shift lead of its monitoring center).")
    @OptionGroup var store: StoreOptions
    @Argument(help: "The case id.") var caseID: Int64
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Option(help: "Why (required).") var note: String?
    @OptionGroup var task: FollowUpTaskOption
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try FollowUpRecord.decide(.keepClosed, caseID: caseID, note: note, task: task, store: store, actor: actor, at: at, json: output.json)
    }
}

extension Satisfaction: ExpressibleByArgument {}

// MARK: Outbox

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "The reporters' outbox: messages (received, dispatched, closed, follow-up) for an SMS or mail gateway.",
        subcommands: [NotifyExport.self])
}

enum NotifyFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, csv
}

struct NotifyExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the messages not yet taken (or all since a time) and mark them taken.",
        discussion: """
            Each row is one message to one reporter: id, case_id, event, channel, contact, text, created_at, in the \
            site's language (notify.lang). A row holds only that reporter's own contact and the public text of their \
            case. Without --since, only messages no export has taken; with it, every message since then (again). \
            On a signed site, an admin's.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "Messages from this time on, taken before or not: a date (YYYY-MM-DD, site time) or ISO-8601 instant.") var since: String?
    @Option(help: "jsonl or csv.") var format: NotifyFormat = .jsonl
    @Option(help: "Write to this file (default: standard output).") var out: String?
    @OptionGroup var at: AtOption<SharedHelp.When>

    static let columns = ["id", "case_id", "event", "channel", "contact", "text", "created_at"]

    func run() throws {
        try guarded {
            let s = try store.session()
            let now = try s.now(at)
            let from = try since.map { text throws(WorkflowError) in try s.format.parse(text) }
            let messages = try s.followUps.pendingNotices(since: from)
            let format = s.format
            try ExportRun.write(columns: Self.columns, format: ExportFormat(rawValue: self.format.rawValue)!, out: out) { writer throws(WorkflowError) in
                for m in messages {
                    try writer.row([.int(m.id), .int(m.caseID), .text(m.event.rawValue), .text(m.channel.rawValue), .text(m.contact), .text(m.text),
                                    .text(format.string(m.createdAt))])
                }
                return messages.count
            }
            // Marked once written: a failed write loses nothing; a failed mark only sends them again.
            try s.followUps.markNoticesTaken(messages.map(\.id), format: self.format.rawValue, since: from, at: now)
        }
    }
}

// MARK: Settings

extension ReopenRule: ExpressibleByArgument {}
extension NoticeLanguage: ExpressibleByArgument {}

struct FollowUpSettingsJSON: Encodable {
    var working_days: Int
    var reopen: String
    var notify_lang: String
}

struct SiteSetFollowUp: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-followup",
        abstract: "Follow-up settings: working days to follow up a closed case, what a dissatisfied follow-up does, the reporters' language (an admin's).",
        discussion: """
            --reopen shift-lead (default): flagged for the shift lead, who reopens the case or keeps it closed; \
            automatic: the case goes back for rework at once; never: counted only. Without options, shows the settings.
            """)
    @OptionGroup var store: StoreOptions
    @Option(name: .customLong("working-days"), help: "Working days from the close to the follow-up's deadline, 1 to 30 (default 2).") var workingDays: Int?
    @Option(help: "shift-lead, automatic or never.") var reopen: ReopenRule?
    @Option(name: .customLong("notify-lang"), help: "zh or en: the language of the messages `notify export` sends.") var notifyLang: NoticeLanguage?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let s = try store.session()
            var settings = try s.followUps.followUpSettings()
            if workingDays != nil || reopen != nil || notifyLang != nil {
                if let workingDays { settings.workingDays = workingDays }
                if let reopen { settings.reopen = reopen }
                if let notifyLang { settings.noticeLanguage = notifyLang }
                try s.followUps.setFollowUpSettings(settings)
            }
            if output.json {
                return try Output.json(FollowUpSettingsJSON(working_days: settings.workingDays, reopen: settings.reopen.rawValue,
                                                            notify_lang: settings.noticeLanguage.rawValue))
            }
            Output.line("follow-ups: due \(settings.workingDays) working day\(settings.workingDays == 1 ? "" : "s") after the close; "
                        + "dissatisfied: \(settings.reopen.rawValue); messages in \(settings.noticeLanguage.rawValue)")
        }
    }
}
