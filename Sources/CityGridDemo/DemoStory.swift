import Foundation
import Workflow

/// One case's life in the demo history: each step is a real lifecycle command by a real demo
/// operator, timed by sampling how long that stage took relative to its limit.
struct DemoStory {
    let history: DemoHistory
    var random: DemoRandom
    let now: Date
    /// Not optional: the seeder reads and writes it millions of times, and an optional would be unwrapped
    /// (copied) at each read.
    var serviceCase = ServiceCase.blank
    var entries: [HistoryEntry] = []
    var clock = Date.distantPast

    init(history: DemoHistory, random: DemoRandom, now: Date) {
        self.history = history
        self.random = random
        self.now = now
    }

    typealias Reporter = (id: Int64?, name: String?, phone: String?)


    /// Plays one case; its final state and history are then in `serviceCase` and `entries` (until the next
    /// call: one story plays a whole chunk, reusing its buffers). Returns the reporter, or nil when no
    /// report could be drawn.
    mutating func play(id: Int64, arrival: Date) -> Reporter? {
        let components = history.components
        let drawn = history.mix.draw(&random, directory: history.directory, model: history.context.model) { cellIndex, category, random in
            components.pick(cellIndex: cellIndex, classCode: category.code, &random)
        }
        guard let drawn, var (c, entry) = try? Lifecycle.report(drawn.draft, id: id, cell: drawn.place, reporter: drawn.reporter,
                                                                 context: history.context, at: arrival) else {
            return nil
        }
        c.id = id
        entry.caseID = id
        serviceCase = c
        entries.removeAll(keepingCapacity: true)
        entries.append(entry)
        clock = arrival
        run(place: drawn.place, inspector: drawn.inspector)
        return (drawn.reporter?.id, drawn.draft.reporterName ?? drawn.reporter?.name, drawn.draft.reporterPhone)
    }

    /// Plays the case forward until it closes, is cancelled, or the next step would come after `now`.
    private mutating func run(place: CellPlace, inspector: Operator?) {
        let d = history.directory
        let monitor = serviceCase.monitorCenterID
        // Intake: public reports are verified by the patrol area's inspector first.
        if serviceCase.source == .inspector {
            guard let intake = d.intake(monitor, &random), apply(.accept, by: intake, onTime: 0.96) else { return }
        } else {
            guard let intake = d.intake(monitor, &random), let inspector else { return }
            if random.chance(DemoOdds.acceptBeforeVerify) { guard apply(.accept, by: intake, onTime: 0.96) else { return } }
            guard apply(.verify(inspector: inspector), by: intake, onTime: 0.95, patrolArea: place.patrolAreaID) else { return }
            if random.chance(DemoOdds.invalid) {
                _ = apply(.invalid, by: inspector, onTime: 0.9)
                return
            }
            guard apply(.confirm, by: inspector, onTime: 0.9) else { return }
        }
        guard let lead = d.lead(monitor, &random) else { return }
        if random.chance(DemoOdds.reject) {
            _ = apply(.reject, by: lead, onTime: 0.95)
            return
        }
        // The lead above files where the monitoring center files (no second draw: those cities stay as they were).
        let filer = history.context.rules.shiftLeadCenter(for: .file, of: serviceCase) == monitor
            ? lead : d.lead(for: .file, of: serviceCase, rules: history.context.rules, &random)
        guard let filer, apply(.file(category: nil, department: nil), by: filer, onTime: 0.95) else { return }
        guard dispatchToDepartment() else { return }

        // Handling, with the department's requests along the way.
        var reworks = 0
        while true {
            let district = serviceCase.districtCode
            guard let handler = d.handler(serviceCase.departmentCode, district: district) else { return }
            let roll = random.double()
            if roll < DemoOdds.returnBelow {
                guard apply(.request(.return, hours: nil), by: handler, onTime: 0.97, fraction: 0.15) else { return }
                guard let dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return }
                if random.chance(DemoOdds.approveReturn) {
                    guard apply(.approve, by: dispatcher, onTime: 0.9, fraction: 0.1) else { return }
                    let current = serviceCase.departmentCode
                    let alternate = DemoOdds.alternates.filter { $0 != current }
                    guard apply(.dispatchToDepartment(random.pick(alternate)), by: dispatcher, onTime: 0.9) else { return }
                } else {
                    guard apply(.refuse, by: dispatcher, onTime: 0.9, fraction: 0.1) else { return }
                }
                continue
            } else if roll < DemoOdds.extensionBelow {
                // Hours inside the action table's range (read once, by the history).
                var hours: Double?
                if let range = history.extensionHours { hours = DemoOdds.requestedHours(in: range, &random) }
                guard apply(.request(.extension, hours: hours), by: handler, onTime: 0.97, fraction: 0.5) else { return }
                guard let dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return }
                let approved = random.chance(DemoOdds.approveExtension)
                guard apply(approved ? .approve : .refuse, by: dispatcher, onTime: 0.9, fraction: 0.1) else { return }
            } else if roll < DemoOdds.suspensionBelow {
                guard apply(.request(.suspension, hours: nil), by: handler, onTime: 0.97, fraction: 0.3) else { return }
                guard let dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return }
                guard apply(.approve, by: dispatcher, onTime: 0.9, fraction: 0.1) else { return }
                guard random.chance(DemoOdds.resumeWithinDays), advance(byCalendarDays: Double(random.int(in: 2...12))) else { return }
                guard apply(.resume, by: dispatcher, onTime: 1, fraction: 0) else { return }
            }
            if serviceCase.state != .dispatched { return }
            let onTime = DemoOdds.handlingOnTime[serviceCase.departmentCode ?? ""] ?? 0.9
            if !serviceCase.handledLate, serviceCase.urgeCount == 0, random.chance(DemoOdds.urgeOverdue), willBeLate(onTime: onTime),
               let lead = d.lead(monitor, &random) {
                // Overdue work gets urged (督办) by the monitoring center.
                guard apply(.urge, by: lead, onTime: 0, fraction: 0) else { return }
            }
            guard apply(.handle, by: handler, onTime: onTime) else { return }
            guard let intake = d.intake(monitor, &random), let inspector else { return }
            guard apply(.check(inspector: inspector), by: intake, onTime: 0.95, patrolArea: place.patrolAreaID) else { return }
            if reworks < DemoOdds.maxReworks, random.chance(DemoOdds.fail) {
                reworks += 1
                guard apply(.fail, by: inspector, onTime: 0.9) else { return }
                continue
            }
            guard apply(.pass, by: inspector, onTime: 0.92) else { return }
            break
        }
        guard let closer = d.lead(for: .close, of: serviceCase, rules: history.context.rules, &random) else { return }
        _ = apply(.close, by: closer, onTime: 0.95)
    }

    /// Dispatch, through a district command center where the model has one, with occasional escalation.
    private mutating func dispatchToDepartment() -> Bool {
        let d = history.directory
        let ctx = history.context
        guard var dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return false }
        if ctx.centers[serviceCase.commandCenterID ?? ""]?.tier == .city, ctx.model.hasDistrictCommand, random.chance(DemoOdds.viaDistrictCommand),
           let center = ctx.centers[Center.id(kind: .command, tier: .district, district: serviceCase.districtCode)] {
            guard apply(.dispatchToCenter(center), by: dispatcher, onTime: 0.93) else { return false }
            guard let districtDispatcher = d.dispatcher(center.id, &random) else { return false }
            dispatcher = districtDispatcher
        }
        if ctx.centers[serviceCase.commandCenterID ?? ""]?.tier == .district, ctx.model.hasCityCommand, random.chance(DemoOdds.escalate) {
            guard apply(.escalate, by: dispatcher, onTime: 0.9) else { return false }
            guard let cityDispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return false }
            dispatcher = cityDispatcher
        }
        var department = serviceCase.departmentCode ?? DemoOdds.afterEscalation
        // A community-level category's case goes to the community's workstation where the community is a handling unit.
        if serviceCase.categoryKey == DemoOdds.communityLevel, ctx.departments[serviceCase.communityCode]?.regionCode != nil {
            department = serviceCase.communityCode
        }
        return apply(.dispatchToDepartment(department), by: dispatcher, onTime: 0.93)
    }

    private mutating func willBeLate(onTime: Double) -> Bool { !random.chance(onTime) }

    /// Samples when the next step happens, relative to the current stage's limit: on time with
    /// probability `onTime` (somewhere in the budget), otherwise past it by an exponential overrun.
    /// `fraction`, when given, places the step at about that share of the budget instead.
    private mutating func nextTime(onTime: Double, fraction: Double?) -> Date {
        let budget = (try? history.context.budget(waitingIn: serviceCase.state, for: serviceCase)) ?? .working(minutes: 30)
        let share: Double
        if let fraction {
            share = fraction * (0.5 + random.double())
        } else if random.chance(onTime) {
            share = 0.08 + 0.86 * pow(random.double(), 1.3)
        } else {
            share = 1.02 + random.exponential(mean: 0.6)
        }
        let minutes = max(1, Int(Double(max(budget.minutes, 1)) * share))
        let base = max(clock, serviceCase.lastEventAt)
        switch budget {
        case .calendar: return base.addingTimeInterval(Double(minutes * 60))
        case .working: return (try? TimeBudget.working(minutes: minutes).deadline(from: base, calendar: history.context.calendar)) ?? base
        }
    }

    private mutating func advance(byCalendarDays days: Double) -> Bool {
        let next = clock.addingTimeInterval(days * 86_400)
        guard next <= now else { return false }
        clock = next
        return true
    }

    /// Applies one command at its sampled time; false when that time is after `now` or the rules refuse. The note is
    /// the one the action table's note rule asks for (`DemoOdds.note`): the command carries the rest of its arguments,
    /// typed by its target kind.
    private mutating func apply(_ command: CaseCommand, by actor: Operator, onTime: Double, fraction: Double? = nil,
                                patrolArea: String? = nil) -> Bool {
        let at = nextTime(onTime: onTime, fraction: fraction)
        guard at <= now else { return false }
        let action = command.action
        let note = DemoOdds.note(for: action, rule: action.spec.note, refusing: serviceCase.pending?.kind)
        var after: ServiceCase = serviceCase
        guard let (entry, _) = try? Lifecycle.apply(command, note: note, to: serviceCase, into: &after, by: actor, cellPatrolArea: patrolArea,
                                                    context: history.context, at: at) else { return false }
        serviceCase = consume after
        entries.append(entry)
        clock = at
        return true
    }
}

/// The odds and words of each decision the demo city's operators take. The seeder's stories and the
/// live simulator both decide by these, so a simulated hour looks like an hour of the seeded history.
enum DemoOdds {
    /// The demo's community-level category (小事不出社区): illegal flyers.
    static let communityLevel = CategoryKey(kind: .event, code: "0201")
    /// A public report is accepted before the verify task is sent.
    static let acceptBeforeVerify = 0.4
    /// The inspector finds nothing on site.
    static let invalid = 0.11
    /// The shift lead rejects a confirmed report (not city management's business).
    static let reject = 0.025
    /// With two tiers of monitoring, a report the city monitoring center takes in (by its own inspector, or a call
    /// to its intake) rather than the district's.
    static let cityMonitoring = 0.3
    /// The city command center routes a case through the district command center (two-tier command).
    static let viaDistrictCommand = 0.7
    /// A district command center escalates to the city.
    static let escalate = 0.02
    /// The department's next move on a dispatched case: a uniform roll below these asks for a return,
    /// an extension, a suspension; above them, it handles the case.
    static let returnBelow = 0.03
    static let extensionBelow = 0.07
    static let suspensionBelow = 0.078
    static let approveReturn = 0.85
    static let approveExtension = 0.85
    static let extensionHours: [Double] = [4, 8, 16, 24]
    /// A suspended case is resumed within days (otherwise it waits for its budget).
    static let resumeWithinDays = 0.5
    /// Work about to run late gets urged (督办) by the monitoring center.
    static let urgeOverdue = 0.35
    /// The inspector's check fails (rework), at most `maxReworks` times per case.
    static let fail = 0.08
    static let maxReworks = 2
    /// Departments a returned case goes to next.
    static let alternates = ["STREET", "ENFORCE", "SANIT", "ROADS", "GREEN", "TRAFFIC"]
    /// The department an escalated case (which lost its department) is dispatched to.
    static let afterEscalation = "STREET"
    /// How reliably each department meets its handling limit: gives the evaluation board a spread.
    static let handlingOnTime: [String: Double] = [
        "SANIT": 0.93, "ENFORCE": 0.78, "CONSTR": 0.8, "ROADS": 0.83, "STREET": 0.88, "TRAFFIC": 0.85, "GREEN": 0.9,
        "WATER": 0.92, "DRAIN": 0.87, "POWER": 0.9, "LIGHT": 0.91, "TELECOM": 0.82, "GAS": 0.95, "HEAT": 0.9, "POLICE": 0.86,
    ]

    enum Note {
        static let invalid = "现场未发现该问题"
        static let reject = "不属于城市管理范围"
        static let requestReturn = "不属于本单位职责"
        static let refuseReturn = "属于贵单位职责，请处置"
        static let requestExtension = "需协调施工队伍"
        static let refuseExtension = "请按期处置"
        static let requestSuspension = "需立项解决，资金未到位"
        static let urge = "已超期，请尽快处置"
        static let fail = "现场问题仍存在"
        static let escalate = "跨区域问题，请市级协调"
        /// Where the action table requires a note the demo has no words of its own for, by what the note is.
        static let reason = "经核实，按规定处理"
        static let instructions = "请区级指挥中心按职责处置"
    }

    /// The hours a department asks for: one of `extensionHours`, kept inside the action table's range (`spec.hours`).
    /// Draws one number, whatever the range.
    static func requestedHours(in range: HoursRange, _ random: inout DemoRandom) -> Double {
        let hours = random.pick(extensionHours)
        return range.contains(hours) ? hours : range.atMost
    }

    /// The note the demo's operators write with `action`, by the action table's note rule (`spec.note`): their usual
    /// words where they have some (a remark where the note is optional), and wherever the table requires a note and
    /// they have none, a reason or instructions as the rule says. `refusing`: the request a refusal answers.
    /// Constant strings: no allocation.
    static func note(for action: CaseAction, rule: NoteRule, refusing pending: RequestKind?) -> String? {
        if let words = words(for: action, refusing: pending) { return words }
        guard rule.required else { return nil }
        switch rule.meaning {
        case .reason, .remark: return Note.reason
        case .instructions: return Note.instructions
        }
    }

    private static func words(for action: CaseAction, refusing pending: RequestKind?) -> String? {
        switch action {
        case .invalid: Note.invalid
        case .reject: Note.reject
        case .escalate: Note.escalate
        case .requestReturn: Note.requestReturn
        case .requestExtension: Note.requestExtension
        case .requestSuspension: Note.requestSuspension
        case .refuse: pending == .return ? Note.refuseReturn : Note.refuseExtension
        case .urge: Note.urge
        case .fail: Note.fail
        default: nil
        }
    }
}

/// What a new report in the demo city looks like: its category (street order and rubbish dominate),
/// its cell (clustered categories crowd the hot cells), its source and reporter, and its words.
/// The seeder and the live simulator draw reports from this one mix.
struct DemoReportMix: Sendable {
    let categories: [Category]
    let categoryTable: WeightedTable
    /// The site's cells, and two weightings of them: by hotness squared (clustered categories) and by
    /// its square root (everything else).
    let cells: [CellPlace]
    let hotCells: WeightedTable
    let mildCells: WeightedTable
    /// Per category (by index): whether it crowds the hot cells (`DemoHistory.clustered`).
    let clustered: [Bool]
    /// Per cell (by index): its community's name, for the words of a report.
    let cellCommunityNames: [String]

    static let sources: [(ReportSource, Double)] = [(.inspector, 0.72), (.hotline, 0.13), (.web, 0.05), (.app, 0.06), (.leader, 0.01), (.sensor, 0.03)]

    /// Reports by hour of the local day: few at night, peaks mid-morning and mid-afternoon.
    static let hourly: [Double] = [0.15, 0.1, 0.08, 0.08, 0.1, 0.25, 0.6, 1.3, 2.2, 2.6, 2.5, 2.0, 1.3, 1.7, 2.3, 2.3, 2.0, 1.5,
                                   0.9, 0.7, 0.55, 0.45, 0.3, 0.2]
    /// Weekends and holidays see this share of a working day's reports.
    static let restDayFactor = 0.55

    /// `hotness` is one weight per cell (mean about 1); nil weights every cell alike.
    init(categories: [Category], cells: [CellPlace], hotness: [Double]?, communityNames: [String: String]) {
        self.categories = categories
        categoryTable = WeightedTable(categories.map { c in
            (c.kind == .event ? DemoHistory.eventWeights[c.code] : DemoHistory.componentWeights[c.code]) ?? 0.2
        })
        self.cells = cells
        let heat = hotness ?? Array(repeating: 1, count: cells.count)
        hotCells = WeightedTable(heat.map { $0 * $0 })
        mildCells = WeightedTable(heat.map { $0.squareRoot() })
        clustered = categories.map { DemoHistory.clustered.contains($0.key.description) }
        cellCommunityNames = cells.map { communityNames[$0.communityCode] ?? "" }
    }

    init(categories: [Category], geography g: DemoGeography) {
        var names: [String: String] = [:]
        for c in g.communities { names[c.code] = c.nameZh }
        self.init(categories: categories,
                  cells: g.cells.map { CellPlace(code: $0.code, communityCode: $0.communityCode, streetCode: $0.streetCode,
                                                 districtCode: $0.districtCode, patrolAreaID: $0.patrolAreaID) },
                  hotness: g.cells.map(\.hotness), communityNames: names)
    }

    struct Drawn: Sendable {
        var draft: ReportDraft
        var cellIndex: Int
        var place: CellPlace
        var category: Category
        /// The operator who files it: the patrol area's inspector, or an intake operator taking a call; nil for a channel.
        var reporter: Operator?
        /// The inspector who walks the cell (verifies and checks it).
        var inspector: Operator?
    }

    /// Draws one report. The reporter is never the operator `excluding`: a hotline call goes to another
    /// intake operator, and an inspector's own report is not drawn at all (nil). `component` names a
    /// real component of the class in the cell, when there is one.
    func draw(_ random: inout DemoRandom, directory: DemoDirectory, model: ManagementModel, excluding: Int64? = nil,
              component: (_ cellIndex: Int, _ category: Category, _ random: inout DemoRandom) -> String?) -> Drawn? {
        guard !categories.isEmpty, !cells.isEmpty else { return nil }
        let categoryIndex = categoryTable.pick(&random)
        let category = categories[categoryIndex]
        let cellIndex = (clustered[categoryIndex] ? hotCells : mildCells).pick(&random)
        let place = cells[cellIndex]
        var roll = random.double()
        var source = ReportSource.inspector
        for (s, p) in Self.sources { if roll < p { source = s; break }; roll -= p }
        var monitor = model.hasDistrictMonitoring ? Center.id(kind: .monitoring, tier: .district, district: place.districtCode)
                                                  : DemoDirectory.cityMonitoring
        // With two tiers of monitoring the city center takes some reports in itself: its own inspectors' where they
        // walk, and calls to its intake. Drawn only in those models, so the others' cities stay as they were.
        let cityWalks = directory.cityInspectors[place.patrolAreaID ?? ""] != nil
        if model.hasDistrictMonitoring, random.chance(DemoOdds.cityMonitoring),
           source == .inspector ? cityWalks : [.hotline, .leader].contains(source) {
            monitor = DemoDirectory.cityMonitoring
        }
        let inspector = directory.inspector(area: place.patrolAreaID, monitor: monitor)
        var reporter: Operator?
        var reporterName: String?
        var phone: String?
        switch source {
        case .inspector:
            reporter = inspector
            if let excluding, inspector?.id == excluding { return nil }
        case .hotline, .leader:
            let intake = (directory.intake[monitor] ?? []).filter { $0.id != excluding }
            reporter = intake.isEmpty ? nil : intake[random.int(in: 0..<intake.count)]
            reporterName = "市民" + String(random.pick(DemoNames.surnames)) + (random.chance(0.5) ? "先生" : "女士")
            phone = "13\(random.int(in: 0...9))" + String(zeroPadded: random.int(in: 0...99_999_999), width: 8)
        case .web, .app, .sensor: reporter = nil
        }
        let componentID = category.kind == .component ? component(cellIndex, category, &random) : nil
        let draft = ReportDraft(kind: category.kind, categoryCode: category.code, cellCode: place.code,
                                description: describe(category, community: cellCommunityNames[cellIndex], &random),
                                source: source, reporterName: reporterName, reporterPhone: phone, componentID: componentID)
        return Drawn(draft: draft, cellIndex: cellIndex, place: place, category: category, reporter: reporter, inspector: inspector)
    }

    private func describe(_ category: Category, community: String, _ random: inout DemoRandom) -> String {
        let what = category.nameZh
        switch random.int(in: 0..<5) {
        case 0: return "\(community)附近发现\(what)"
        case 1: return "\(community)路边\(what)，影响市容"
        case 2: return "群众反映\(community)一带\(what)"
        case 3: return "\(community)主路\(what)，请尽快处理"
        default: return "\(community)小区门口\(what)"
        }
    }
}
