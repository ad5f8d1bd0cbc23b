import Foundation
import GRDB
import Workflow

/// One thing the simulator did in a tick, for the console's status line.
public struct SimulatorEvent: Sendable, Equatable, CustomStringConvertible {
    public enum Change: Sendable, Equatable {
        /// A new report opened a case.
        case reported(source: ReportSource, category: CategoryKey, cell: String)
        /// An open case moved one step (`from == to` for an urge or a department's request).
        case advanced(action: CaseAction, from: CaseState, to: CaseState)
    }

    public var caseID: Int64
    public var change: Change
    /// Login of the operator who acted; nil for a report from a channel (web, app, sensor).
    public var actor: String?
    /// One line: `#1234 new: 暴露垃圾 (hotline, 110101001001001)` or `#1234 dispatch filed → dispatched (city-dispatcher-2)`.
    public var summary: String

    public var isNewCase: Bool { if case .reported = change { true } else { false } }
    public var description: String { summary }
}

/// Makes a demo city feel alive: on every tick the city's other operators file a few new reports and
/// move a few open cases one realistic step, each through the store as the operator whose work it is.
///
/// - Reports arrive about 0.8 a tick on average (more in the day, fewer at night and on rest days),
///   0–2 a tick, with the seeder's mix of categories, cells (hotspots in the demo city), sources and reporters.
/// - 0–3 open cases advance per tick, chosen among the most pressing, a random slice by deadline, the newest
///   reports, pending requests and suspensions, weighted by how much of their stage's budget has gone.
/// - Never as `excluding` (the human at the console); cases waiting in that operator's own queue
///   (`needsAction`: their role and center, or their assignment) are left alone in 9 ticks of 10, and a
///   tick takes at most one of them, so the console's work is not taken away.
/// - Every action happens at `now`; a case changed after `now`, or less than a minute before it, is left alone.
/// - A refusal from the store (someone acted first) is skipped; each store call is its own transaction.
/// - Same seed, same starting database and same `now`s: same events.
public struct DemoSimulator: Sendable {
    public let store: CityStore
    /// Mean new reports per tick over a day; the hour of day and rest days scale it.
    public var meanReportsPerTick = 0.8
    /// Mean steps per tick over a day, before the cap of `maxStepsPerTick`.
    public var meanStepsPerTick = 1.8
    public var maxReportsPerTick = 2
    public var maxStepsPerTick = 3
    /// The chance per tick that a colleague takes one case out of the excluded operator's own queue.
    public var excludedQueueChance = 0.1
    /// A case changed less than this long before `now` is not touched again yet.
    public var minimumGap: TimeInterval = 60

    private let context: LifecycleContext
    private let directory: DemoDirectory
    private let mix: DemoReportMix
    private let operatorsByID: [Int64: Operator]
    private let cellIndexByCode: [String: Int]
    private var random: DemoRandom
    /// Inspectors walking their areas (pings).
    private var patrols: DemoPatrols
    /// Refusals of the simulator's own arguments (`WorkflowError.refusal`: a target, hours or note the action table
    /// does not allow). None, unless the simulator asks for what the table refuses; the tests check.
    private(set) var argumentRefusals: [Refusal] = []

    /// Whether the cells were weighted by the demo geography's hotness (false: every cell alike).
    public let usesDemoHotness: Bool
    /// The seed, for the follow-ups' own stream (`DemoFollowUps`).
    private let seed: UInt64

    /// Loads the site's model, operators, categories and cells. `seed` drives every choice; on the demo city
    /// (city code 110000 with the demo's cell count) it also regenerates the demo geography for the cells'
    /// hotness, so pass the `seed-demo` seed to keep the history's hotspots. Other sites weigh cells alike.
    public init(store: CityStore, seed: UInt64) throws(WorkflowError) {
        self.store = store
        self.seed = seed
        context = try store.context()
        let operators = try store.operators()
        directory = DemoDirectory(operators)
        operatorsByID = Dictionary(operators.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let cells = try store.cells().sorted { $0.code < $1.code }
        var names: [String: String] = [:]
        for community in try store.regions(level: .community) { names[community.code] = community.nameZh }
        // Hotness lives only in the generated geography. The demo city's grid positions do not depend on the
        // seed, so looking hotness up by position works even if the city was seeded with another seed.
        var hotness: [Double]?
        if context.cityCode == DemoCity.cityCode {
            let geography = DemoGeography.generate(seed: seed)
            if geography.cells.count == cells.count {
                hotness = cells.map { cell in geography.cellIndex(row: cell.row, col: cell.col).map { geography.cells[$0].hotness } ?? 1 }
            }
        }
        usesDemoHotness = hotness != nil
        mix = DemoReportMix(categories: try store.categories(), cells: cells.map(\.place), hotness: hotness, communityNames: names)
        var index: [String: Int] = [:]
        for (i, cell) in cells.enumerated() { index[cell.code] = i }
        cellIndexByCode = index
        random = DemoRandom(seed: seed, stream: 0x5133)
        patrols = DemoPatrols(cells: cells, inspectors: directory.inspectors, seed: seed)
    }

    /// The inspectors' tracks of the site's patrol interval before `now`, when no cell was visited in it (a demo started
    /// on a city with no recent pings): the map's "patrolled" measure has something to show from the start. The count written.
    @discardableResult
    public mutating func walkRecentPatrols(at now: Date) -> Int {
        guard let hours = try? store.patrolSettings().intervalHours, (try? store.cellVisits(hours: hours, at: now))?.isEmpty == true else { return 0 }
        let pings = patrols.history(hours: hours, before: now)
        guard !pings.isEmpty else { return 0 }
        return (try? store.importPings(pings, at: now))?.imported ?? 0
    }

    /// The follow-ups of the last days' closes, opened and mostly recorded (`DemoFollowUps`), when a demo starts: the
    /// bulk history has none. Nothing when every recent close has its own already. The tasks opened.
    @discardableResult
    public func followUpRecentCloses(at now: Date) -> Int {
        (try? DemoFollowUps.seed(store, now: now, seed: seed))?.opened ?? 0
    }

    // MARK: Ticks

    /// Files 0–2 new reports and advances 0–3 open cases by one step each, all at `now`, never as `operatorID`.
    public mutating func tick(at now: Date, excluding operatorID: Int64?) -> [SimulatorEvent] {
        let activity = activity(at: now)
        var events: [SimulatorEvent] = []
        let reports = poisson(mean: meanReportsPerTick * activity, cap: maxReportsPerTick)
        for _ in 0..<reports {
            if let event = fileReport(at: now, excluding: operatorID) { events.append(event) }
        }
        let steps = poisson(mean: meanStepsPerTick * activity, cap: maxStepsPerTick)
        if steps > 0 {
            for c in chooseCases(steps, at: now, excluding: operatorID) {
                if let event = advance(c, at: now, excluding: operatorID) { events.append(event) }
            }
        }
        let pings = patrols.tick(at: now)
        if !pings.isEmpty { _ = try? store.importPings(pings, at: now) }
        return events
    }

    /// How busy the city is at `now` relative to its daily mean: the seeder's hourly curve, flattened
    /// (night shifts still work), and lighter on rest days.
    func activity(at now: Date) -> Double {
        let calendar = context.calendar
        let hourly = DemoReportMix.hourly
        let mean = hourly.reduce(0, +) / Double(hourly.count)
        let hour = min(23, max(0, calendar.minuteOfDay(of: now) / 60))
        let day = calendar.isWorkingDay(calendar.localDate(of: now)) ? 1.0 : DemoReportMix.restDayFactor
        return (0.4 + 0.6 * hourly[hour] / mean) * day
    }

    private mutating func poisson(mean: Double, cap: Int) -> Int {
        let limit = exp(-max(0, mean))
        var k = 0
        var product = random.double()
        while product > limit, k < cap {
            k += 1
            product *= random.double()
        }
        return k
    }

    // MARK: New reports

    private mutating func fileReport(at now: Date, excluding: Int64?) -> SimulatorEvent? {
        let store = store, mix = mix
        var random = random
        defer { self.random = random }
        let drawn = mix.draw(&random, directory: directory, model: context.model, excluding: excluding) { cellIndex, category, random in
            let code = mix.cells[cellIndex].code
            let ids = (try? store.read { db in
                try String.fetchAll(db, sql: "SELECT id FROM component WHERE cell_code = ? AND category_code = ? AND state <> 'removed' ORDER BY id",
                                    arguments: [code, category.code])
            }) ?? []
            return ids.isEmpty ? nil : ids[random.int(in: 0..<ids.count)]
        }
        guard let drawn, let c = try? store.report(drawn.draft, by: drawn.reporter.map { String($0.id) }, at: now) else { return nil }
        let source = drawn.draft.source ?? c.source
        return SimulatorEvent(caseID: c.id, change: .reported(source: source, category: c.categoryKey, cell: c.cellCode),
                              actor: drawn.reporter?.login,
                              summary: "#\(c.id) new: \(drawn.category.nameZh) (\(source.rawValue), \(c.cellCode))")
    }

    // MARK: Choosing cases

    /// Up to `count` distinct open cases, drawn by weight from a pool of candidates.
    private mutating func chooseCases(_ count: Int, at now: Date, excluding: Int64?) -> [ServiceCase] {
        let pivot = random.double()
        guard let pool = try? store.read({ db in try Self.candidates(db, pivot: pivot) }), !pool.isEmpty else { return [] }
        let waiting = waitingOnExcluded(pool, excluding: excluding, at: now)
        // The console's own queue is the human's work: most ticks leave it alone, and a tick takes at most one of it.
        var mayTakeFromQueue = !waiting.isEmpty && random.chance(excludedQueueChance)
        var weights = pool.map { c -> Double in
            guard c.lastEventAt <= now, now.timeIntervalSince(c.lastEventAt) >= minimumGap else { return 0 }
            return waiting.contains(c.id) && !mayTakeFromQueue ? 0 : urgency(c, at: now)
        }
        var chosen: [ServiceCase] = []
        while chosen.count < count {
            let table = WeightedTable(weights)
            guard table.total > 0 else { break }
            let i = table.pick(&random)
            chosen.append(pool[i])
            weights[i] = 0
            if mayTakeFromQueue, waiting.contains(pool[i].id) {
                mayTakeFromQueue = false
                for (j, c) in pool.enumerated() where waiting.contains(c.id) { weights[j] = 0 }
            }
        }
        return chosen
    }

    /// Open cases an operator could work on now, as the city's queues present them: the most pressing,
    /// a random slice by deadline, the newest reports, requests awaiting approval and suspensions.
    /// Each query is served by one of the case indexes. Sorted by id, without duplicates.
    static func candidates(_ db: Database, pivot: Double) throws -> [ServiceCase] {
        var rows: [Row] = []
        rows += try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE is_open = 1 AND deadline IS NOT NULL ORDER BY deadline, id LIMIT 20")
        let latest = try Int64.fetchOne(db, sql: """
            SELECT deadline FROM service_case WHERE is_open = 1 AND deadline IS NOT NULL ORDER BY deadline DESC LIMIT 1
            """)
        if let earliest: Int64 = rows.first?["deadline"], let latest {
            let at = earliest + Int64(Double(latest - earliest) * pivot)
            rows += try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE is_open = 1 AND deadline >= ? ORDER BY deadline, id LIMIT 20",
                                     arguments: [at])
        }
        // `+is_open`: walk the report-time index from its newest end rather than sort every open case.
        rows += try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE +is_open = 1 ORDER BY reported_at DESC, id DESC LIMIT 20")
        rows += try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE pending_kind IS NOT NULL AND is_open = 1 ORDER BY pending_at, id LIMIT 10")
        rows += try Row.fetchAll(db, sql: "SELECT * FROM service_case WHERE state = 'suspended' ORDER BY reported_at, id LIMIT 10")
        var seen = Set<Int64>()
        return try rows.map(CaseRows.serviceCase).filter { seen.insert($0.id).inserted }.sorted { $0.id < $1.id }
    }

    /// Ids of the cases among `pool` that sit in the excluded operator's "needs my action" queue (the
    /// store's own definition of it). Supervisors and admins only read, so nothing waits on them.
    private func waitingOnExcluded(_ pool: [ServiceCase], excluding: Int64?, at now: Date) -> Set<Int64> {
        guard let id = excluding, let op = operatorsByID[id], op.role != .supervisor, op.role != .admin else { return [] }
        let branches = CityStore.needsActionBranches(for: op, rules: context.rules, at: now)
        let ids = pool.map(\.id)
        let list = ids.map { _ in "?" }.joined(separator: ",")
        let found = try? store.read { db in
            var found: [Int64] = []
            for branch in branches {
                var arguments = branch.arguments
                arguments += StatementArguments(ids)
                found += try Int64.fetchAll(db, sql: "SELECT id FROM service_case WHERE is_open = 1 AND \(branch.sql) AND id IN (\(list))",
                                            arguments: arguments)
            }
            return found
        }
        return Set(found ?? [])
    }

    /// How pressing a case is: the share of its stage's budget already gone (capped, so the overdue backlog
    /// does not crowd out fresh reports), plus a floor so fresh cases move too. Pending requests are answered
    /// within hours; a suspension (waiting for budget or a project) is rarely resumed, and not within two days.
    func urgency(_ c: ServiceCase, at now: Date) -> Double {
        let elapsed: TimeInterval
        let span: TimeInterval
        if c.state == .suspended {
            return now.timeIntervalSince(c.lastEventAt) < 2 * 86_400 ? 0 : 0.03
        } else if let pending = c.pending {
            elapsed = now.timeIntervalSince(pending.requestedAt)
            span = 2 * 3600
        } else if let deadline = c.deadline, deadline > c.stageStartedAt {
            elapsed = now.timeIntervalSince(c.stageStartedAt)
            span = deadline.timeIntervalSince(c.stageStartedAt)
        } else {
            elapsed = now.timeIntervalSince(c.stageStartedAt)
            span = 3600
        }
        return 0.15 + min(1.5, max(0, elapsed / span))
    }

    // MARK: One step

    /// What an operator decides to do with a case: the action and who takes it, and where the decision picks the
    /// target itself, the command center it sends the case to or the case a merge keeps. The rest of the arguments
    /// come from the action table (`arguments(for:of:)`).
    struct Step {
        var action: CaseAction
        var actor: Operator
        /// A command center the case goes to rather than a department (dispatch, reassign), or the district's
        /// (return-to-district; nil there means the case's own district).
        var center: Center? = nil
        /// The case a merge keeps.
        var survivor: Int64? = nil
    }

    /// What a step hands in with its action.
    struct Arguments: Equatable {
        var target: String?
        var note: String?
        var hours: Double?
    }

    private mutating func advance(_ c: ServiceCase, at now: Date, excluding: Int64?) -> SimulatorEvent? {
        guard c.lastEventAt <= now, let step = nextStep(for: c, at: now, excluding: excluding),
              let arguments = arguments(for: step, of: c), step.actor.id != excluding else { return nil }
        let request = ActionRequest(action: step.action, caseID: c.id, actor: String(step.actor.id), target: arguments.target,
                                    note: arguments.note, hours: arguments.hours)
        let after: ServiceCase
        do throws(WorkflowError) {
            after = try store.perform(request, at: now)
        } catch {
            // Someone may have acted first (the console, another process): the store refuses and writes nothing.
            // A refusal of the arguments themselves would be the simulator's mistake: kept for the tests.
            if case .refusal(let refusal) = error, !refusal.isPrecondition { argumentRefusals.append(refusal) }
            return nil
        }
        var summary = "#\(c.id) \(step.action.rawValue) \(c.state.rawValue) → \(after.state.rawValue)"
        if let target = arguments.target { summary += " to \(target)" }
        summary += " (\(step.actor.login))"
        return SimulatorEvent(caseID: c.id, change: .advanced(action: step.action, from: c.state, to: after.state),
                              actor: step.actor.login, summary: summary)
    }

    /// The arguments of a step as the action table (`CaseAction.spec`, read once) asks for them: a target of the
    /// action's target kind, hours inside its range, and a note by its note rule (`DemoOdds.note`). Nil when the city
    /// has no target of that kind for the case (no inspector walks its cell, a merge names no case to keep).
    mutating func arguments(for step: Step, of c: ServiceCase) -> Arguments? {
        let spec = step.action.spec
        var arguments = Arguments(note: DemoOdds.note(for: step.action, rule: spec.note, refusing: c.pending?.kind))
        switch spec.target {
        case .none:
            break
        case .inspector:
            guard let inspector = inspector(of: c) else { return nil }
            arguments.target = inspector.login
        case .departmentOrCenter:
            arguments.target = step.center?.id ?? department(for: c)
        case .inspectorDepartmentOrCenter:
            // A dispatched case goes to a command center or another department; an inspector's task to the cell's inspector.
            if c.state == .dispatched {
                arguments.target = step.center?.id ?? random.pick(DemoOdds.alternates)
            } else {
                guard let inspector = inspector(of: c) else { return nil }
                arguments.target = inspector.login
            }
        case .caseID:
            guard let survivor = step.survivor else { return nil }
            arguments.target = String(survivor)
        case .optionalDistrictCenter:
            arguments.target = step.center?.id
        }
        if let range = spec.hours { arguments.hours = DemoOdds.requestedHours(in: range, &random) }
        return arguments
    }

    /// The next step of a case as the demo city's operators take it (the odds of `DemoOdds`), by an operator
    /// who holds that stage and is not `excluding`; nil when nobody can take it now.
    mutating func nextStep(for c: ServiceCase, at now: Date, excluding: Int64?) -> Step? {
        let monitor = c.monitorCenterID
        switch c.state {
        case .reported:
            guard let intake = pick(directory.intake[monitor], excluding) else { return nil }
            if c.source == .inspector || random.chance(DemoOdds.acceptBeforeVerify) { return Step(action: .accept, actor: intake) }
            guard inspector(of: c) != nil else { return Step(action: .accept, actor: intake) }
            return Step(action: .verify, actor: intake)

        case .accepted:
            if c.confirmed || c.source == .inspector {
                guard let lead = pick(directory.leads[monitor], excluding) else { return nil }
                if random.chance(DemoOdds.reject) { return Step(action: .reject, actor: lead) }
                // Filing is the monitoring center's lead's, or the shift lead's of the center the site's rules name.
                let filing = context.rules.shiftLeadCenter(for: .file, of: c) ?? ""
                if filing == monitor { return Step(action: .file, actor: lead) }
                guard let filer = pick(directory.leads[filing], excluding) else { return nil }
                return Step(action: .file, actor: filer)
            }
            guard let intake = pick(directory.intake[monitor], excluding) else { return nil }
            return Step(action: .verify, actor: intake)

        case .verifying:
            guard let inspector = assignee(of: c, excluding) else { return nil }
            if random.chance(DemoOdds.invalid) { return Step(action: .invalid, actor: inspector) }
            return Step(action: .confirm, actor: inspector)

        case .filed:
            guard let dispatcher = pick(directory.dispatchers[c.commandCenterID ?? ""], excluding) else { return nil }
            let holder = context.centers[c.commandCenterID ?? ""]
            if holder?.tier == .city, context.model.hasDistrictCommand, !c.escalated, random.chance(DemoOdds.viaDistrictCommand),
               let district = context.centers[Center.id(kind: .command, tier: .district, district: c.districtCode)] {
                return Step(action: .dispatch, actor: dispatcher, center: district)
            }
            if holder?.tier == .district, context.model.hasCityCommand, random.chance(DemoOdds.escalate) {
                return Step(action: .escalate, actor: dispatcher)
            }
            return Step(action: .dispatch, actor: dispatcher)

        case .dispatched:
            if let pending = c.pending {
                guard let dispatcher = pick(directory.dispatchers[c.commandCenterID ?? ""], excluding) else { return nil }
                switch pending.kind {
                case .return:
                    if random.chance(DemoOdds.approveReturn) { return Step(action: .approve, actor: dispatcher) }
                    return Step(action: .refuse, actor: dispatcher)
                case .extension:
                    if random.chance(DemoOdds.approveExtension) { return Step(action: .approve, actor: dispatcher) }
                    return Step(action: .refuse, actor: dispatcher)
                case .suspension:
                    return Step(action: .approve, actor: dispatcher)
                }
            }
            if c.isOverdue(at: now), c.urgeCount == 0, random.chance(DemoOdds.urgeOverdue),
               let lead = pick(directory.leads[monitor], excluding) {
                return Step(action: .urge, actor: lead)
            }
            guard let handler = handler(of: c), handler.id != excluding else { return nil }
            let roll = random.double()
            if roll < DemoOdds.returnBelow {
                if c.returnCount < 2 { return Step(action: .requestReturn, actor: handler) }
            } else if roll < DemoOdds.extensionBelow {
                if c.extensionCount < 2 { return Step(action: .requestExtension, actor: handler) }
            } else if roll < DemoOdds.suspensionBelow {
                return Step(action: .requestSuspension, actor: handler)
            }
            return Step(action: .handle, actor: handler)

        case .suspended:
            guard let dispatcher = pick(directory.dispatchers[c.commandCenterID ?? ""], excluding) else { return nil }
            return Step(action: .resume, actor: dispatcher)

        case .handled:
            guard let intake = pick(directory.intake[monitor], excluding) else { return nil }
            return Step(action: .check, actor: intake)

        case .checking:
            guard let inspector = assignee(of: c, excluding) else { return nil }
            if c.reworkCount < DemoOdds.maxReworks, random.chance(DemoOdds.fail) {
                return Step(action: .fail, actor: inspector)
            }
            return Step(action: .pass, actor: inspector)

        case .checked:
            guard let lead = pick(directory.leads[context.rules.shiftLeadCenter(for: .close, of: c) ?? ""], excluding) else { return nil }
            return Step(action: .close, actor: lead)

        case .closed, .cancelled:
            return nil
        }
    }

    /// The department a filed case goes to: the one set at filing; after a return another one; after an
    /// escalation (which clears it) the category's own.
    private mutating func department(for c: ServiceCase) -> String {
        // A community-level category's case goes to its community's workstation where there is one (三级处置).
        if context.categories[c.categoryKey]?.communityLevel == true, context.departments[c.communityCode]?.regionCode == c.communityCode,
           c.returnCount == 0 {
            return c.communityCode
        }
        if let code = c.departmentCode { return code }
        if c.returnCount > 0 { return random.pick(DemoOdds.alternates) }
        return context.categories[c.categoryKey]?.department ?? DemoOdds.afterEscalation
    }

    private mutating func pick(_ list: [Operator]?, _ excluding: Int64?) -> Operator? {
        let candidates = (list ?? []).filter { $0.id != excluding }
        return candidates.isEmpty ? nil : candidates[random.int(in: 0..<candidates.count)]
    }

    /// The inspector who walks the case's cell.
    private func inspector(of c: ServiceCase) -> Operator? {
        guard let index = cellIndexByCode[c.cellCode], let area = mix.cells[index].patrolAreaID else { return nil }
        return directory.inspector(area: area, monitor: c.monitorCenterID)
    }

    private func assignee(of c: ServiceCase, _ excluding: Int64?) -> Operator? {
        guard let id = c.assigneeID, id != excluding else { return nil }
        return operatorsByID[id]
    }

    /// The responsible department's unit in the case's district (or a city-wide unit).
    private func handler(of c: ServiceCase) -> Operator? {
        directory.handler(c.departmentCode, district: c.districtCode) ?? directory.handler(c.departmentCode, district: context.cityCode)
    }
}
