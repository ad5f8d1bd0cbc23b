import ArgumentParser
import Curses
import Foundation
import Workflow

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Report a problem: opens a case in state reported.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var actorOption: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "Operator id or login (an inspector or intake operator); on a signed site, the signed-in operator." } }
    @Option(help: "event or component.") var kind: CategoryKind
    @Option(help: "4-digit category code.") var category: String
    @Option(help: "15-digit cell code.") var cell: String
    @Option(help: "What is wrong; - reads it from standard input.") var description: String
    @Option(help: "inspector, hotline, web, app, leader or sensor.") var source: ReportSource?
    @Option(help: "16-digit component id, for a component case.") var component: String?
    @Option(help: "The hotline line the call came in on: 12319, 96150 or a line the site added (site lines); hotline reports only.")
    var line: String?
    @Option(name: .customLong("reporter-name"), help: "The caller's name (hotline).") var reporterName: String?
    @Option(name: .customLong("reporter-phone"), help: "The caller's phone (never printed).") var reporterPhone: String?
    @OptionGroup var atOption: AtOption<SharedHelp.When>
    @Flag(help: "Urgent: the case's clocks run on calendar time even if its category's do not.") var urgent = false
    @OptionGroup var output: OutputOptions<JSONHelp>
    enum JSONHelp: OptionHelp { static var help: ArgumentHelp { "Print JSON: {\"id\": …, \"state\": …}." } }

    // The shared option groups, read under the names the body uses.
    var actor: String? { actorOption.actor }
    var at: String? { atOption.at }
    var json: Bool { output.json }

    func run() throws {
        try guarded {
            let db = try store.open()
            let context = try db.site.context()
            let now = try CommandSession(db).now(at)
            let text = try TextArgument.read(description, limitBytes: context.maxDescriptionBytes)
            let draft = ReportDraft(kind: kind, categoryCode: category, cellCode: cell, description: text, source: source,
                                    reporterName: reporterName, reporterPhone: reporterPhone, componentID: component, urgent: urgent,
                                    line: line)
            let created = try db.cases.report(draft, by: try acting(actor, db.access), at: now)
            if json {
                try Output.json(["id": .int(created.id), "state": .string(created.state.rawValue),
                                 "deadline": created.deadline.map { .string(InstantFormat(timeZone: context.calendar.timeZone).string($0)) } ?? .null,
                                 "line": created.line.map { .string($0) } ?? .null] as [String: JSONScalar])
            } else {
                Output.line(String(created.id))
            }
        }
    }
}

/// A small JSON value for ad-hoc objects.
enum JSONScalar: Encodable {
    case int(Int64), string(String), null
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .int(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .null: try c.encodeNil()
        }
    }
}

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Act on a case (citygrid case ACTION ID --as OP), or show it (citygrid case show ID).",
        discussion: """
            Actions: \(CaseAction.allCases.map(\.rawValue).joined(separator: ", ")), and unmerge \
            (citygrid case unmerge ID --as OP --note REASON: ID is the merged, cancelled case; its reports go back to it \
            and it reopens as it was, while the surviving case is not yet filed).

            What each action takes, who may take it, and from which states:
            \(CLIWording.actionLines)
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: "show, or an action.") var action: String
    @Argument(help: "Case id.") var id: String
    @OptionGroup var actorOption: ActorOption<SharedHelp.Operator>
    @Option(help: ArgumentHelp(CLIWording.toHelp)) var to: String?
    @Option(help: ArgumentHelp(CLIWording.noteHelp)) var note: String?
    @Option(help: ArgumentHelp(CLIWording.hoursHelp)) var hours: Double?
    @Option(help: ArgumentHelp(CLIWording.categoryHelp)) var category: String?
    @Option(help: ArgumentHelp(CLIWording.departmentHelp)) var department: String?
    @Option(name: .customLong("component-state"), help: "close: what becomes of the case's component, normal (repaired, the default) or removed.")
    var componentState: ComponentOutcome?
    @OptionGroup var atOption: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(name: .customLong("dry-run"), help: "Check the action with every rule of a real one and say what it would do; write nothing.") var dryRun = false
    @Flag(help: "prioritize: clear the priority mark instead (the same as deprioritize).") var clear = false

    // The shared option groups, read under the names the body uses.
    var actor: String? { actorOption.actor }
    var at: String? { atOption.at }
    var json: Bool { output.json }

    func validate() throws {
        if dryRun, action == "show" || action == "unmerge" { throw ValidationError("--dry-run takes a case action, not \(action)") }
        guard action == "show" || action == "unmerge" || CaseAction(rawValue: action) != nil else {
            throw ValidationError("unknown action '\(action)'; use show, unmerge or one of: \(CaseAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Int64(id) != nil else { throw ValidationError("case id must be a number, not '\(id)'") }
        if let hours, !(hours > 0) { throw ValidationError("--hours must be positive") }
        if clear, action != CaseAction.prioritize.rawValue { throw ValidationError("--clear goes with prioritize, not \(action)") }
    }

    func run() throws {
        try guarded {
            let db = try store.open()
            let context = try db.site.context()
            let format = InstantFormat(timeZone: context.calendar.timeZone)
            let caseID = Int64(id)!
            let now = try CommandSession(db).now(at)
            let viewer = try db.access.viewer(actor)
            let cases = db.cases
            if action == "show" {
                let detail = try cases.detail(caseID, viewer: viewer)
                if json { return try Output.json(CaseJSON(detail.serviceCase, detail: detail, format: format, now: now)) }
                CaseText.print(detail, format: format, now: now)
                return
            }
            if action == "unmerge" {
                let result = try cases.unmerge(caseID, by: try acting(actor, db.access), note: note, at: now)
                if json { return try Output.json(CaseJSON(result.duplicate, detail: try cases.detail(caseID, viewer: nil), format: format, now: now)) }
                return Output.line("case \(caseID): unmerge cancelled → \(result.duplicate.state.rawValue), \(result.movedReports) report\(result.movedReports == 1 ? "" : "s") back from case \(result.survivor.id)")
            }
            let chosen = clear ? CaseAction.deprioritize : CaseAction(rawValue: action)!
            let request = ActionRequest(action: chosen, caseID: caseID, actor: try acting(actor, db.access), target: to,
                                        note: note, hours: hours, category: category, department: department,
                                        componentOutcome: componentState)
            let before = try cases.serviceCase(caseID)
            if dryRun {
                // The same lookups and rules as the action itself (`CityStore.preview`), nothing written.
                let after = try cases.preview(request, at: now)
                if json { return try Output.json(CaseJSON(after, detail: nil, format: format, now: now)) }
                return Output.line("case \(caseID): \(action) would take it \(before.state.rawValue) → \(after.state.rawValue) (nothing written)")
            }
            let after = try cases.perform(request, at: now)
            if json {
                let detail = try cases.detail(caseID, viewer: nil)
                return try Output.json(CaseJSON(after, detail: detail, format: format, now: now))
            }
            var line = "case \(caseID): \(action) \(before.state.rawValue) → \(after.state.rawValue)"
            if let department = after.departmentCode, after.state == .dispatched || after.state == .filed {
                line += ", department \(department)"
                if let routing = try db.components.routing(ofCase: caseID) {
                    line += " (\(CLIWording.routingReason(routing, suggested: try db.components.suggestedRouting(ofCase: caseID))))"
                }
            }
            if after.state == .closed, let component = try cases.detail(caseID, viewer: nil).component {
                line += ", component \(component.id) \(component.state.rawValue)"
            }
            if let deadline = after.deadline {
                line += ", due \(format.string(deadline)) (\(after.dueState(at: now)?.rawValue ?? "-"))"
            }
            if let close = after.closeType { line += ", closed \(close.rawValue)" }
            Output.line(line)
        }
    }
}

struct CasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "List cases.")

    @OptionGroup var store: StoreOptions
    @Option(help: "Only this state (repeatable).") var state: [CaseState] = []
    @Flag(help: "Only open cases past their stage deadline, most overdue first.") var overdue = false
    @Flag(help: "Only open cases.") var open = false
    @Option(help: "District, street, community or cell code.") var region: String?
    @Option(help: "Department code.") var department: String?
    @Option(help: "At most N cases.") var limit: Int?
    @OptionGroup var actorOption: ActorOption<SharedHelp.Viewer>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(help: "Print CSV.") var csv = false

    // The shared option groups, read under the names the body uses.
    var actor: String? { actorOption.actor }
    var json: Bool { output.json }

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() throws {
        try guarded {
            let db = try store.open()
            let context = try db.site.context()
            let format = InstantFormat(timeZone: context.calendar.timeZone)
            let now = try CommandSession(db).now()
            let viewer = try db.access.viewer(actor)
            let list = try db.cases.cases(CaseQuery(states: state.isEmpty ? nil : state, openOnly: open, overdueAt: overdue ? now : nil,
                                              region: region, department: department, limit: limit ?? (json || csv ? nil : 200),
                                              viewer: viewer))
            let categories = Dictionary(context.categories.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            if json {
                return try Output.json(list.map { CaseJSON($0, category: categories[$0.categoryKey], format: format, now: now) })
            }
            let header = ["id", "state", "kind", "category", "category_name", "cell", "district", "department", "source",
                          "reported_at", "deadline", "due_state", "close_type", "rework_count", "description"]
            let rows: [[String]] = list.map { c in
                [String(c.id), c.state.rawValue, c.kind.rawValue, c.categoryCode, categories[c.categoryKey]?.nameZh ?? "", c.cellCode,
                 c.districtCode, c.departmentCode ?? "", c.source.rawValue, format.string(c.reportedAt),
                 c.deadline.map(format.string) ?? "", c.dueState(at: now)?.rawValue ?? "", c.closeType?.rawValue ?? "",
                 String(c.reworkCount), c.description]
            }
            if csv {
                // CSV cells from untrusted text are made terminal-safe like any other listing.
                return Output.raw(CSVText.table([header] + rows.map { $0.map(TerminalText.sanitize) }, ending: "\n"))
            }
            Output.table(["ID", "STATE", "CATEGORY", "CELL", "DEPT", "DUE", "DEADLINE", "DESCRIPTION"], list.map { c in
                [String(c.id), c.state.rawValue, "\(c.categoryCode) \(categories[c.categoryKey]?.nameZh ?? "")", c.cellCode,
                 c.departmentCode ?? "-", c.dueState(at: now)?.rawValue ?? "-", c.deadline.map(format.short) ?? "-", c.description]
            }, maxWidth: 40)
            if limit == nil && list.count == 200 { Output.line("(first 200; use --limit N for more)") }
        }
    }
}

/// The human form of `case show`.
enum CaseText {
    static func print(_ d: CaseDetail, format: InstantFormat, now: Date) {
        let c = d.serviceCase
        Output.line("case \(c.id)  \(c.state.rawValue)  \(c.kind.rawValue) \(c.categoryCode) \(d.category?.nameZh ?? "") / \(d.category?.nameEn ?? "")")
        Output.line("  where     \(c.cellCode)  \(d.districtName ?? "") \(d.streetName ?? "") \(d.communityName ?? "")")
        Output.line("  source    \(c.source.rawValue)\(c.line.map { " line \($0)" } ?? ""), reported \(format.string(c.reportedAt))")
        Output.line("  centers   monitoring \(c.monitorCenterID), command \(c.commandCenterID ?? "-")")
        Output.line("  dept      \(c.departmentCode ?? "-")\(d.assignee.map { "   task: \($0.login) \($0.name)" } ?? "")")
        if let component = d.component {
            Output.line("  component \(component.id) \(component.name)  \(component.state.rawValue)  owner \(component.department.map { "\($0) \(d.componentOwnerName?.zh ?? "")" } ?? "unknown")")
        }
        if let routing = d.routing { Output.line("  routing   \(routing.department) (\(CLIWording.routingReason(routing, suggested: nil)))") }
        if let deadline = c.deadline {
            Output.line("  due       \(format.string(deadline))  \(c.dueState(at: now)?.rawValue ?? "-")  (budget \(c.budgetMinutes) min)")
        } else if c.state == .suspended {
            Output.line("  clock     stopped (suspended), \(c.frozenRemainingMinutes ?? 0) min left")
        }
        if let close = c.closeType { Output.line("  closed    \(close.rawValue) at \(c.closedAt.map(format.string) ?? "-")") }
        Output.line("  counts    rework \(c.reworkCount), returns \(c.returnCount), extensions \(c.extensionCount), urged \(c.urgeCount)\(c.escalated ? ", escalated" : "")\(c.priority ? ", priority" : "")")
        if let p = c.pending {
            Output.line("  PENDING   \(p.kind.rawValue)\(p.hours.map { " \($0) h" } ?? "") since \(format.string(p.requestedAt)): \(p.note)")
        }
        Output.line("  text      \(c.description)")
        if let request = d.publicRequest {
            Output.line("  open311   address \(request.address ?? "-"), picture \(request.mediaURL ?? "-")")
        }
        Output.line("reports (\(d.reports.count))")
        for r in d.reports {
            Output.line("  #\(r.id) \(format.string(r.reportedAt)) \(r.source.rawValue) \(r.reporterName ?? "")\(r.originalCaseID != c.id ? " (from case \(r.originalCaseID))" : ""): \(r.description)")
        }
        Output.line("history (\(d.history.count))" + (d.historyVerified ? "" : "  NOT VERIFIED: rows marked [unverified] were written or changed outside citygrid (see `citygrid verify`)"))
        for h in d.history {
            let e = h.entry
            var line = "  \(format.string(e.at))  \(e.action)  \(e.from?.rawValue ?? "-") → \(e.to.rawValue)  by \(h.actorLogin ?? (e.action == CaseAction.escalate.rawValue ? "automatic" : "channel"))"
            if let role = e.role { line += " (\(role.rawValue))" }
            if let via = e.via, via != "demo", via != "system" { line += " via \(via)" }
            if let target = e.target { line += "  → \(target)" }
            if e.late { line += "  [late]" }
            if let note = e.note { line += "  \"\(note)\"" }
            if !h.verified { line += "  [unverified]" }
            Output.line(line)
        }
    }
}
