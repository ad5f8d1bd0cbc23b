import ArgumentParser
import Foundation
import Workflow

// The shift leads' commands (issue 6): overdue board, approvals inbox, workload, bulk actions and undo,
// automatic escalation for cron, and the shift handover. Each is the same Workflow call the console makes.

/// `2h05`, `45m`, `-1h10` (negative for overdue), `3d4h`.
enum Span {
    static func text(_ minutes: Int) -> String { DurationText.minutes(minutes, long: .daysAndHours) }
    /// A stage's time left as the overdue board words it: in the time its deadline counts (`DurationText.stage`).
    static func left(_ r: StageReading) -> String { DurationText.stage(r.remainingMinutes, calendarTime: r.calendarTime) }
}

/// What every lead command opens: the command's session, the site's context, and "now" (`--at` or the clock).
struct LeadSession {
    let session: CommandSession
    let context: LifecycleContext
    let now: Date

    init<H>(_ options: StoreOptions, at: AtOption<H>) throws(WorkflowError) {
        session = try options.session()
        context = try session.site.context()
        now = try session.now(at)
    }

    /// What the lead commands work on: the oversight views and bulk actions; operators as they act or are listed.
    var oversight: any OversightStore { session.oversight }
    var access: any AccessStore { session.access }
    var site: any SiteStore { session.site }
    var format: InstantFormat { session.format }
    var categories: [CategoryKey: Category] { context.categories }

    func acting<H>(_ actor: ActorOption<H>) throws(WorkflowError) -> String { try session.acting(actor) }
}

struct OverdueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overdue",
        abstract: "The overdue board: open cases in your reach past (red) or near (yellow) their deadline, worst first.",
        discussion: """
            Ranked by elapsed / budget of the current stage, in the stage's own time (working or calendar), so a
            30-minute verify 30 minutes late outranks a 15-day job an hour late. Grouped by stage and department;
            cases not yet late that recent handling times say will be are listed as at risk.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "Operator id or login (a shift lead, dispatcher or supervisor)." } }
    @Option(help: "At most N cases in the text listing.") var limit: Int?
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let s = try LeadSession(store, at: at)
            let viewer = try s.access.actor(actor.actor)
            let board = try s.oversight.overdueBoard(for: viewer, at: s.now, handlingTimes: nil)
            let red = board.entries.filter { $0.dueState == .red }.count
            if output.json {
                return try Output.json(OverdueJSON(
                    as: viewer.login, at: s.format.string(s.now), count: board.entries.count, red: red, yellow: board.entries.count - red,
                    cases: board.entries.map { BoardEntryJSON($0, categories: s.categories, format: s.format) },
                    by_stage: board.byStage.map(BoardGroupJSON.init), by_department: board.byDepartment.map(BoardGroupJSON.init),
                    at_risk: board.atRisk.map { BoardEntryJSON($0, categories: s.categories, format: s.format) },
                    off_duty: board.offDuty.map { BoardEntryJSON($0, categories: s.categories, format: s.format) }))
            }
            Output.line("overdue board for \(viewer.login) at \(s.format.string(s.now)): \(red) overdue, \(board.entries.count - red) due soon, \(board.atRisk.count) at risk")
            let shown = board.entries.prefix(limit ?? 200)
            Output.table(["ID", "STAGE", "CATEGORY", "WHO", "DUE", "LEFT", "USED", "PENDING", "RISK"], shown.map { e in
                let c = e.serviceCase
                return [String(c.id), c.state.rawValue, "\(c.categoryCode) \(s.categories[c.categoryKey]?.nameZh ?? "")", e.responsible,
                        e.dueState.rawValue, Span.left(e.reading), e.reading.ratioText + "×",
                        c.pending.map { $0.kind.rawValue } ?? "-", e.risk?.reason ?? "-"]
            }, maxWidth: 48)
            if shown.count < board.entries.count { Output.line("(first \(shown.count) of \(board.entries.count); --limit N for more)") }
            Output.line("by stage: " + board.byStage.map { "\($0.key) \($0.red)+\($0.yellow)" }.joined(separator: ", "))
            Output.line("by department: " + board.byDepartment.map { "\($0.key) \($0.red)+\($0.yellow)" }.joined(separator: ", "))
            if !board.atRisk.isEmpty {
                Output.line("at risk:")
                for e in board.atRisk.prefix(limit ?? 200) {
                    Output.line("  \(e.serviceCase.id)  \(e.risk?.reason ?? "")")
                }
            }
            if !board.offDuty.isEmpty {
                Output.line("tasks of inspectors off duty:")
                for e in board.offDuty.prefix(limit ?? 200) {
                    Output.line("  \(e.serviceCase.id)  \(e.serviceCase.state.rawValue)  \(e.responsible)  \(Span.left(e.reading))")
                }
            }
        }
    }
}

struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Pending return, extension and suspension requests in your reach, with the effect of approving each.",
        discussion: "Decide with citygrid case approve|refuse ID --as OP --note TEXT, or citygrid bulk approve --filter pending=extension.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "Operator id or login (a dispatcher or shift lead)." } }
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let s = try LeadSession(store, at: at)
            let viewer = try s.access.actor(actor.actor)
            let items = try s.oversight.inbox(for: viewer, at: s.now)
            if output.json { return try Output.json(items.map { InboxItemJSON($0, format: s.format, now: s.now) }) }
            Output.line("\(items.count) pending request\(items.count == 1 ? "" : "s") for \(viewer.login)")
            for item in items {
                let c = item.serviceCase, p = item.request
                Output.line("case \(c.id)  \(p.kind.rawValue)\(p.hours.map { " \(Span.text(Int($0 * 60)))" } ?? "")  from \(item.requestedBy ?? "?") (\(c.departmentCode ?? "-")) at \(s.format.short(p.requestedAt))")
                Output.line("  reason   \(p.note.isEmpty ? "-" : p.note)")
                let now = c.deadline.map { "due \(s.format.short($0))" } ?? "no clock"
                let effect: String
                if let after = item.approved {
                    switch p.kind {
                    case .extension: effect = "\(now) → due \(after.deadline.map(s.format.short) ?? "-")"
                    case .suspension: effect = "\(now) → suspended, \(Span.text(after.frozenRemainingMinutes ?? 0)) kept on the clock"
                    case .return: effect = "back to \(after.commandCenterID ?? "the dispatcher") to re-dispatch, due \(after.deadline.map(s.format.short) ?? "-")"
                    }
                } else {
                    effect = item.previewError ?? "-"
                }
                Output.line("  approve  \(effect)")
                if !item.canDecide { Output.line("  (you cannot decide: \(item.refusal ?? "-"))") }
            }
        }
    }
}

struct WorkloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workload",
        abstract: "Open work per inspector, department and district command center, for choosing where to reassign.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Option(name: .customLong("case"), help: "The case to reassign: shows only where its task may go.") var caseID: Int64?
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let s = try LeadSession(store, at: at)
            let viewer = try s.access.actor(actor.actor)
            let report = try s.oversight.workload(for: viewer, case: caseID, at: s.now)
            if output.json {
                return try Output.json(WorkloadReportJSON(as: viewer.login, case: caseID, inspectors: report.inspectors.map(WorkloadJSON.init),
                                                          departments: report.departments.map(WorkloadJSON.init),
                                                          centers: report.centers.map(WorkloadJSON.init)))
            }
            for (title, rows) in [("INSPECTOR", report.inspectors), ("DEPARTMENT", report.departments), ("CENTER", report.centers)] where !rows.isEmpty {
                Output.table([title, "NAME", "OPEN", "OVERDUE"], rows.map { [$0.key, $0.name, String($0.open), String($0.overdue)] })
            }
        }
    }
}

struct BulkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bulk",
        abstract: "One action on many cases in one transaction: all or none (citygrid bulk ACTION …), or undo your last one (citygrid bulk undo).",
        discussion: """
            Any case action except merge: reassign, urge, escalate, approve, refuse, return-to-district, resume, close…
            --to and --note apply to every case. If any case refuses, nothing is written and the refusal names the
            case (exit code of that refusal). Undo reverses your last batch with new history rows: urge → unurge,
            reassign → reassign back with the old clock; other actions cannot be undone, nor a batch whose cases
            changed since. Filters: overdue, pending[=KIND], state=S, department=D, region=CODE (all must match,
            within your reach).
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "undo, or a case action.") var action: String
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Option(help: "Case ids, comma-separated.") var ids: String?
    @Option(help: "overdue, pending[=KIND], state=S, department=D or region=CODE (repeatable).") var filter: [String] = []
    @Option(help: "Target for every case (inspector, department, center).") var to: String?
    @Option(help: "Note or reason, recorded on every case.") var note: String?
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        if action == "undo" {
            if ids != nil || !filter.isEmpty || to != nil { throw ValidationError("bulk undo takes only --as (and --at, --json)") }
            return
        }
        guard let parsed = CaseAction(rawValue: action) else {
            throw ValidationError("unknown action '\(action)'; use undo or one of: \(CaseAction.allCases.filter { $0 != .merge }.map(\.rawValue).joined(separator: ", "))")
        }
        if parsed == .merge { throw ValidationError("merge cannot be done in bulk: each case merges into its own survivor") }
        guard (ids != nil) != !filter.isEmpty else { throw ValidationError("give either --ids or --filter") }
        if let ids {
            let parts = ids.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts.isEmpty, parts.allSatisfy({ Int64($0) != nil }) else { throw ValidationError("--ids takes case ids separated by commas, not '\(ids)'") }
        }
    }

    func run() throws {
        let session: LeadSession
        do { session = try LeadSession(store, at: at) } catch {
            Output.error(error.description)
            throw ExitCode(error.exitCode)
        }
        let kind = CaseAction(rawValue: action) ?? .urge
        do {
            let result: BulkResult
            if action == "undo" {
                result = try session.oversight.undoLastBulk(by: try session.acting(actor), at: session.now)
            } else {
                let selection: BulkSelection
                if let ids {
                    selection = .ids(ids.split(separator: ",").compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) })
                } else {
                    var filters: [BulkFilter] = []
                    for text in filter.flatMap({ $0.split(separator: ",").map(String.init) }) {
                        do { filters.append(try BulkFilter.parse(text)) } catch { throw BulkRefusal(caseID: nil, error: error) }
                    }
                    selection = .filter(filters)
                }
                result = try session.oversight.performBulk(BulkRequest(action: kind, selection: selection, actor: try session.acting(actor), target: to, note: note),
                                                       at: session.now)
            }
            try report(result, session: session)
        } catch let refusal as BulkRefusal {
            Output.error(CLIWording.describe(refusal))
            if output.json {
                try? Output.json(BulkJSON(batch: nil, action: action == "undo" ? "undo" : kind.rawValue, done: false, undo: action == "undo",
                                          undoable: false, count: 0, cases: [], refused_case: refusal.caseID,
                                          reason: CLIWording.describe(refusal), exit_code: Int(refusal.exitCode)))
            }
            throw ExitCode(refusal.exitCode)
        } catch let error as WorkflowError {
            Output.error(CLIWording.describe(error))
            throw ExitCode(error.exitCode)
        }
    }

    func report(_ result: BulkResult, session s: LeadSession) throws {
        let logins = Dictionary((try s.site.operators()).map { ($0.id, $0.login) }, uniquingKeysWith: { a, _ in a })
        let isUndo = action == "undo"
        if output.json {
            let cases = zip(result.before, result.after).map { before, after in
                BulkCaseJSON(id: after.id, from: before.state.rawValue, to: after.state.rawValue, department: after.departmentCode,
                             command_center: after.commandCenterID, assignee: after.assigneeID.map { logins[$0] ?? String($0) },
                             deadline: after.deadline.map(s.format.string), urge_count: after.urgeCount, escalated: after.escalated)
            }
            return try Output.json(BulkJSON(batch: result.batchID, action: result.action.rawValue, done: true, undo: isUndo,
                                            undoable: !isUndo && result.undoable, count: cases.count, cases: cases,
                                            refused_case: nil, reason: nil, exit_code: 0))
        }
        Output.line(isUndo ? "undid bulk #\(result.batchID) (\(result.action.rawValue)) on \(result.after.count) case\(result.after.count == 1 ? "" : "s")"
                           : "bulk #\(result.batchID): \(result.action.rawValue) on \(result.after.count) case\(result.after.count == 1 ? "" : "s")\(result.undoable ? " (citygrid bulk undo reverses it)" : "")")
        for (before, after) in zip(result.before, result.after) {
            var line = "  case \(after.id): \(before.state.rawValue) → \(after.state.rawValue)"
            if let assignee = after.assigneeID, after.state == .verifying || after.state == .checking { line += ", task \(logins[assignee] ?? String(assignee))" }
            if let department = after.departmentCode, after.state == .dispatched { line += ", department \(department)" }
            if after.state == .filed, let center = after.commandCenterID { line += ", at \(center)" }
            if let deadline = after.deadline { line += ", due \(s.format.short(deadline))" }
            Output.line(line)
        }
    }
}

struct EscalateOverdueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalate-overdue",
        abstract: "Escalate to the city every district case overdue past the site's escalation.threshold (for cron; idempotent).",
        discussion: "Only in models with both a city and district command centers (one-monitor-two-command, two-monitor-two-command); elsewhere it does nothing.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let s = try LeadSession(store, at: at)
            let threshold = try s.oversight.oversightSettings().escalationThreshold
            let done = try s.oversight.autoEscalate(at: s.now)
            if output.json {
                return try Output.json(EscalateOverdueJSON(
                    at: s.format.string(s.now), model: s.context.model.rawValue, threshold: threshold, count: done.count,
                    cases: done.map { AutoEscalationJSON(id: $0.serviceCase.id, district: $0.serviceCase.districtCode, from_center: $0.fromCenter,
                                                         to_center: $0.serviceCase.commandCenterID ?? "", ratio: ($0.ratio * 1000).rounded() / 1000,
                                                         state: $0.serviceCase.state.rawValue) }))
            }
            guard s.context.model.hasDistrictCommand && s.context.model.hasCityCommand else {
                return Output.line("the \(s.context.model.rawValue) model has no district-to-city escalation; nothing to do")
            }
            Output.line("escalated \(done.count) case\(done.count == 1 ? "" : "s") past \(threshold)× their stage budget")
            for e in done { Output.line("  case \(e.serviceCase.id): \(e.fromCenter) → \(e.serviceCase.commandCenterID ?? "-") at \(String(format: "%.2f", e.ratio))×") }
        }
    }
}

struct HandoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "What the next shift inherits: open cases by stage, overdue, pending requests, escalations, counts since the shift began.",
        discussion: "The shift began at the last of the site's shift.starts (default 08:30 and 13:30) unless --since is given.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Option(help: "Start of the shift, ISO-8601 (default: the last shift start).") var since: String?
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(help: "Print Markdown.") var md = false

    func validate() throws {
        if output.json && md { throw ValidationError("choose one of --json and --md") }
    }

    func run() throws {
        try guarded {
            let s = try LeadSession(store, at: at)
            let viewer = try s.access.actor(actor.actor)
            let start = try since.map { text throws(WorkflowError) in try s.format.parse(text) }
            if let start, start > s.now { throw WorkflowError.invalidInput("--since \(s.format.string(start)) is after now") }
            let h = try s.oversight.handover(for: viewer, since: start, at: s.now)
            if output.json { return try Output.json(Self.json(h, session: s)) }
            md ? Self.markdown(h, session: s) : Self.text(h, session: s)
        }
    }

    static func json(_ h: Handover, session s: LeadSession) -> HandoverJSON {
        var stages: [String: Int] = [:]
        for state in CaseState.open { stages[state.rawValue] = 0 }
        for (state, count) in h.openByStage { stages[state.rawValue] = count }
        let c = h.sinceShift
        return HandoverJSON(
            as: h.viewer.login, since: s.format.string(h.since), at: s.format.string(h.at), open: h.open, due_soon: h.dueSoon,
            open_by_stage: stages, overdue_count: h.overdue.count,
            overdue: h.overdue.map { BoardEntryJSON($0, categories: s.categories, format: s.format) },
            pending_count: h.pending.count, pending: h.pending.map { InboxItemJSON($0, format: s.format, now: h.at) },
            escalated: h.escalated.map { EscalatedCaseJSON(id: $0.id, state: $0.state.rawValue, district: $0.districtCode, command_center: $0.commandCenterID,
                                                          deadline: $0.deadline.map(s.format.string), due_state: $0.dueState(at: h.at)?.rawValue) },
            escalations: h.escalations.map { EscalationJSON(case: $0.caseID, at: s.format.string($0.at), action: $0.action, from_center: $0.fromCenter,
                                                            to_center: $0.toCenter, actor: $0.actor, automatic: $0.automatic, note: $0.note) },
            since_shift: ShiftCountsJSON(reported: c.reported, filed: c.filed, dispatched: c.dispatched, handled: c.handled, closed: c.closed,
                                         cancelled: c.cancelled, escalated: c.escalated, returned_to_district: c.returnedToDistrict))
    }

    static func sinceLine(_ c: ShiftCounts) -> String {
        "reported \(c.reported), filed \(c.filed), dispatched \(c.dispatched), handled \(c.handled), closed \(c.closed), cancelled \(c.cancelled), escalated \(c.escalated), returned to district \(c.returnedToDistrict)"
    }

    static func text(_ h: Handover, session s: LeadSession) {
        for line in lines(h, format: s.format) { Output.line(line) }
    }

    /// The handover as plain lines: the CLI prints them, the console shows them.
    static func lines(_ h: Handover, format: InstantFormat) -> [String] {
        var out = ["handover for \(h.viewer.login), shift since \(format.string(h.since)), at \(format.string(h.at))",
                   "open \(h.open): " + h.openByStage.map { "\($0.state.rawValue) \($0.count)" }.joined(separator: ", "),
                   "overdue \(h.overdue.count), due soon \(h.dueSoon), pending requests \(h.pending.count), escalated now \(h.escalated.count)",
                   "since the shift began: " + sinceLine(h.sinceShift)]
        for e in h.overdue.prefix(20) {
            out.append("  overdue \(e.serviceCase.id) \(e.serviceCase.state.rawValue) \(e.responsible) \(Span.left(e.reading)) (\(e.reading.ratioText)×)")
        }
        for p in h.pending { out.append("  pending \(p.serviceCase.id) \(p.request.kind.rawValue) from \(p.requestedBy ?? "?"): \(p.request.note)") }
        for e in h.escalations {
            out.append("  \(e.action) \(e.caseID) \(e.fromCenter ?? "-") → \(e.toCenter ?? "-") at \(format.short(e.at)) by \(e.actor ?? "automatic")\(e.note.map { ": \($0)" } ?? "")")
        }
        return out
    }

    static func markdown(_ h: Handover, session s: LeadSession) {
        func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = ["# Handover: \(h.viewer.login) (\(h.viewer.name))", "",
                     "Shift since \(s.format.string(h.since)); handed over at \(s.format.string(h.at)).", "",
                     "## Open cases: \(h.open)", "", "| stage | open |", "|---|---|"]
        lines += h.openByStage.map { "| \($0.state.rawValue) | \($0.count) |" }
        lines += ["", "Due soon: \(h.dueSoon). Since the shift began: \(sinceLine(h.sinceShift)).", "",
                  "## Overdue: \(h.overdue.count)", "", "| case | stage | who | left | used |", "|---|---|---|---|---|"]
        lines += h.overdue.map { "| \($0.serviceCase.id) | \($0.serviceCase.state.rawValue) | \(cell($0.responsible)) | \(Span.left($0.reading)) | \($0.reading.ratioText)× |" }
        lines += ["", "## Pending requests: \(h.pending.count)", "", "| case | request | from | reason |", "|---|---|---|---|"]
        lines += h.pending.map { "| \($0.serviceCase.id) | \($0.request.kind.rawValue) | \(cell($0.requestedBy ?? "?")) | \(cell($0.request.note)) |" }
        lines += ["", "## Escalations", "", "Now escalated to the city: \(h.escalated.map { String($0.id) }.joined(separator: ", ").isEmpty ? "none" : h.escalated.map { String($0.id) }.joined(separator: ", ")).", "",
                  "| case | action | from | to | at | by | note |", "|---|---|---|---|---|---|---|"]
        lines += h.escalations.map { "| \($0.caseID) | \($0.action) | \($0.fromCenter ?? "-") | \($0.toCenter ?? "-") | \(s.format.short($0.at)) | \(cell($0.actor ?? "automatic")) | \(cell($0.note ?? "")) |" }
        for line in lines { Output.line(line) }
    }
}
