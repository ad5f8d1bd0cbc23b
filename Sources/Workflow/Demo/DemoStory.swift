import Foundation

/// One case's life in the demo history: each step is a real lifecycle command by a real demo
/// operator, timed by sampling how long that stage took relative to its limit.
struct DemoStory {
    let history: DemoHistory
    var random: DemoRandom
    let now: Date
    var serviceCase: ServiceCase! = nil
    var entries: [HistoryEntry] = []
    var clock = Date.distantPast

    init(history: DemoHistory, random: DemoRandom, now: Date) {
        self.history = history
        self.random = random
        self.now = now
    }

    struct Result {
        var serviceCase: ServiceCase
        var reporter: (reporterID: Int64?, name: String?, phone: String?)
        var history: [HistoryEntry]
    }

    /// How reliably each department meets its handling limit: gives the evaluation board a spread.
    static let handlingOnTime: [String: Double] = [
        "SANIT": 0.93, "ENFORCE": 0.78, "CONSTR": 0.8, "ROADS": 0.83, "STREET": 0.88, "TRAFFIC": 0.85, "GREEN": 0.9,
        "WATER": 0.92, "DRAIN": 0.87, "POWER": 0.9, "LIGHT": 0.91, "TELECOM": 0.82, "GAS": 0.95, "HEAT": 0.9, "POLICE": 0.86,
    ]
    static let alternates = ["STREET", "ENFORCE", "SANIT", "ROADS", "GREEN", "TRAFFIC"]
    static let sources: [(ReportSource, Double)] = [(.inspector, 0.72), (.hotline, 0.13), (.web, 0.05), (.app, 0.06), (.leader, 0.01), (.sensor, 0.03)]

    mutating func play(id: Int64, arrival: Date) -> Result? {
        let g = history.geography
        let categoryIndex = history.categoryTable.pick(&random)
        let category = history.categories[categoryIndex]
        let cellIndex = (DemoHistory.clustered.contains(category.key.description) ? history.hotCells : history.mildCells).pick(&random)
        let cell = g.cells[cellIndex]
        let place = CellPlace(code: cell.code, communityCode: cell.communityCode, streetCode: cell.streetCode,
                              districtCode: cell.districtCode, patrolAreaID: cell.patrolAreaID)
        var roll = random.double()
        var source = ReportSource.inspector
        for (s, p) in Self.sources { if roll < p { source = s; break }; roll -= p }
        let ctx = history.context
        let cityM = Center.id(kind: .monitoring, tier: .city, district: nil)
        let districtM = Center.id(kind: .monitoring, tier: .district, district: cell.districtCode)
        let monitor = ctx.model.hasDistrictMonitoring ? districtM : cityM
        let inspector = history.directory.inspectors[cell.patrolAreaID]
        var reporter: Operator?
        var reporterName: String?
        var phone: String?
        switch source {
        case .inspector: reporter = inspector
        case .hotline, .leader:
            reporter = history.directory.intake(monitor, &random)
            reporterName = "市民" + String(random.pick(DemoNames.surnames)) + (random.chance(0.5) ? "先生" : "女士")
            phone = String(format: "13%d%08d", random.int(in: 0...9), random.int(in: 0...99_999_999))
        case .web, .app, .sensor: reporter = nil
        }
        let componentID = category.kind == .component ? history.components.pick(cellIndex: cellIndex, classCode: category.code, &random) : nil
        let community = history.communityNames[cell.communityCode] ?? ""
        let draft = ReportDraft(kind: category.kind, categoryCode: category.code, cellCode: cell.code,
                                description: describe(category, community: community), source: source,
                                reporterName: reporterName, reporterPhone: phone, componentID: componentID)
        guard var (c, entry) = try? Lifecycle.report(draft, id: id, cell: place, reporter: reporter, context: ctx, at: arrival) else {
            return nil
        }
        c.id = id
        entry.caseID = id
        serviceCase = c
        entries = [entry]
        clock = arrival
        run(place: place, inspector: inspector)
        return Result(serviceCase: serviceCase, reporter: (reporter?.id, reporterName ?? reporter?.name, phone), history: entries)
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
            if random.chance(0.4) { guard apply(.accept, by: intake, onTime: 0.96) else { return } }
            guard apply(.verify(inspector: inspector), by: intake, onTime: 0.95, patrolArea: place.patrolAreaID) else { return }
            if random.chance(0.11) {
                _ = apply(.invalid, by: inspector, onTime: 0.9, note: "现场未发现该问题")
                return
            }
            guard apply(.confirm, by: inspector, onTime: 0.9) else { return }
        }
        guard let lead = d.lead(monitor, &random) else { return }
        if random.chance(0.025) {
            _ = apply(.reject, by: lead, onTime: 0.95, note: "不属于城市管理范围")
            return
        }
        guard apply(.file(category: nil, department: nil), by: lead, onTime: 0.95) else { return }
        guard dispatchToDepartment() else { return }

        // Handling, with the department's requests along the way.
        var reworks = 0
        while true {
            let district = serviceCase.districtCode
            guard let handler = d.handler(serviceCase.departmentCode, district: district) else { return }
            let roll = random.double()
            if roll < 0.03 {
                guard apply(.request(.return, hours: nil), by: handler, onTime: 0.97, fraction: 0.15, note: "不属于本单位职责") else { return }
                guard let dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return }
                if random.chance(0.85) {
                    guard apply(.approve, by: dispatcher, onTime: 0.9, fraction: 0.1) else { return }
                    let current = serviceCase.departmentCode
                    let alternate = Self.alternates.filter { $0 != current }
                    guard apply(.dispatchToDepartment(random.pick(alternate)), by: dispatcher, onTime: 0.9) else { return }
                } else {
                    guard apply(.refuse, by: dispatcher, onTime: 0.9, fraction: 0.1, note: "属于贵单位职责，请处置") else { return }
                }
                continue
            } else if roll < 0.07 {
                let hours = random.pick([4.0, 8, 16, 24])
                guard apply(.request(.extension, hours: hours), by: handler, onTime: 0.97, fraction: 0.5, note: "需协调施工队伍") else { return }
                guard let dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return }
                let approved = random.chance(0.85)
                guard apply(approved ? .approve : .refuse, by: dispatcher, onTime: 0.9, fraction: 0.1,
                            note: approved ? nil : "请按期处置") else { return }
            } else if roll < 0.078 {
                guard apply(.request(.suspension, hours: nil), by: handler, onTime: 0.97, fraction: 0.3, note: "需立项解决，资金未到位") else { return }
                guard let dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return }
                guard apply(.approve, by: dispatcher, onTime: 0.9, fraction: 0.1) else { return }
                guard random.chance(0.5), advance(byCalendarDays: Double(random.int(in: 2...12))) else { return }
                guard apply(.resume, by: dispatcher, onTime: 1, fraction: 0) else { return }
            }
            if serviceCase.state != .dispatched { return }
            let onTime = Self.handlingOnTime[serviceCase.departmentCode ?? ""] ?? 0.9
            if !serviceCase.handledLate, serviceCase.urgeCount == 0, random.chance(0.35), willBeLate(onTime: onTime),
               let lead = d.lead(monitor, &random) {
                // Overdue work gets urged (督办) by the monitoring center.
                guard apply(.urge, by: lead, onTime: 0, fraction: 0, note: "已超期，请尽快处置") else { return }
            }
            guard apply(.handle, by: handler, onTime: onTime) else { return }
            guard let intake = d.intake(monitor, &random), let inspector else { return }
            guard apply(.check(inspector: inspector), by: intake, onTime: 0.95, patrolArea: place.patrolAreaID) else { return }
            if reworks < 2, random.chance(0.08) {
                reworks += 1
                guard apply(.fail, by: inspector, onTime: 0.9, note: "现场问题仍存在") else { return }
                continue
            }
            guard apply(.pass, by: inspector, onTime: 0.92) else { return }
            break
        }
        guard let closer = d.lead(monitor, &random) else { return }
        _ = apply(.close, by: closer, onTime: 0.95)
    }

    /// Dispatch, through a district command center where the model has one, with occasional escalation.
    private mutating func dispatchToDepartment() -> Bool {
        let d = history.directory
        let ctx = history.context
        guard var dispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return false }
        if ctx.centers[serviceCase.commandCenterID ?? ""]?.tier == .city, ctx.model.hasDistrictCommand, random.chance(0.7),
           let center = ctx.centers[Center.id(kind: .command, tier: .district, district: serviceCase.districtCode)] {
            guard apply(.dispatchToCenter(center), by: dispatcher, onTime: 0.93) else { return false }
            guard let districtDispatcher = d.dispatcher(center.id, &random) else { return false }
            dispatcher = districtDispatcher
        }
        if ctx.centers[serviceCase.commandCenterID ?? ""]?.tier == .district, ctx.model.hasCityCommand, random.chance(0.02) {
            guard apply(.escalate, by: dispatcher, onTime: 0.9, note: "跨区域问题，请市级协调") else { return false }
            guard let cityDispatcher = d.dispatcher(serviceCase.commandCenterID, &random) else { return false }
            dispatcher = cityDispatcher
        }
        let department = serviceCase.departmentCode ?? "STREET"
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
        case .working: return (try? budget.with(minutes: minutes).deadline(from: base, calendar: history.context.calendar)) ?? base
        }
    }

    private mutating func advance(byCalendarDays days: Double) -> Bool {
        let next = clock.addingTimeInterval(days * 86_400)
        guard next <= now else { return false }
        clock = next
        return true
    }

    /// Applies one command at its sampled time; false when that time is after `now` or the rules refuse.
    private mutating func apply(_ command: CaseCommand, by actor: Operator, onTime: Double, fraction: Double? = nil,
                                note: String? = nil, patrolArea: String? = nil) -> Bool {
        let at = nextTime(onTime: onTime, fraction: fraction)
        guard at <= now else { return false }
        guard let transition = try? Lifecycle.apply(command, note: note, to: serviceCase, by: actor, cellPatrolArea: patrolArea,
                                                    context: history.context, at: at) else { return false }
        serviceCase = transition.after
        entries.append(transition.entry)
        clock = at
        return true
    }

    private mutating func describe(_ category: Category, community: String) -> String {
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
