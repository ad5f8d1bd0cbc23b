import Curses
import Foundation
import Workflow

/// What the console needs of a site's store, by concept (each protocol lives beside its domain in Workflow).
/// `CityStore` (SQLite) is the one backend today.
typealias ConsoleBackend = CaseStore & OversightStore & EvaluationStore & GridStore & SiteStore & AccessStore & StoreFileStatus & PatrolStore
    & ComponentStore & FollowUpStore

/// Runs the console: keys and idle ticks go through `ConsoleUpdate`, which changes the state and asks for effects;
/// this runner carries each effect out against the store and hands the answer back to update as a message. It keeps
/// only what is not the screen's state: the store, the clock, the theme, caches of slow reads, the idle lock's timer.
final class ConsoleEngine {
    let store: any ConsoleBackend
    var state: ConsoleState
    private(set) var theme: Theme
    private let clock: @Sendable () -> Date
    /// Demo only: the live simulator (told who is at the console).
    var simulator: SimulatorThread?
    /// The process's monotonic clock in seconds, for the idle lock and the disabled-operator poll (the wall clock may
    /// be pinned by `CITYGRID_NOW`). Tests set their own.
    var uptime: () -> TimeInterval = { ProcessInfo.processInfo.systemUptime }
    /// On a signed site: when the console locks itself (`IdleLock`), and who the store had signed in at the start,
    /// restored when the same operator resumes.
    var idle = IdleLock(limit: nil, lastKey: 0)
    private(set) var signedIn: SignedIn?
    /// Uptime of the last check that the viewer is still an active operator.
    private var lastActiveCheck: TimeInterval?
    /// Bells asked for (`Effect.bell`) and not yet rung by the run loop on its terminal.
    private(set) var pendingBells = 0
    static let activeCheckSeconds: TimeInterval = 1

    init(store: any ConsoleBackend, viewer: Operator, lang: Language, theme: Theme, themeName: String, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.theme = theme
        self.clock = clock
        state = ConsoleState(viewer: viewer, lang: lang)
        state.themeName = themeName
    }

    var roleChoices: [Operator] { state.roleChoices }

    /// Loads what does not change while the console runs, then the first data.
    func start() throws(WorkflowError) {
        tick()
        _ = ConsoleUpdate.receive(.referenceLoaded(try reference()), &state)
        signedIn = store.signedIn
        if state.access == .signed {
            idle = IdleLock(limit: IdleLock.limit(siteMinutes: try store.idleLockMinutes(), environment: ProcessInfo.processInfo.environment),
                            lastKey: uptime())
        }
        ConsoleUpdate.settle(&state)
        reload()
    }

    // MARK: Keys and ticks

    /// Handles one key; false when the console should stop.
    @discardableResult
    func handle(_ key: Key) -> Bool {
        tick()
        guard stillActive() else { return false }
        if key == .resize { return true }
        // A key after the idle time finds the console locked, and is not acted on.
        if lockIfIdle() { return true }
        if state.lock == nil { idle.lastKey = uptime() }
        run(ConsoleUpdate.handle(key, &state))
        return !state.shouldQuit
    }

    /// Called when no key came within the poll interval: refresh if anyone wrote. True when the data was reloaded.
    @discardableResult
    func refresh(changed: Bool) -> Bool {
        tick()
        guard stillActive() else { return true }
        if lockIfIdle() { return true }
        // Nothing behind the lock is reloaded; resuming catches up.
        if state.lock != nil { return false }
        if simulator != nil { run([.readSimulatorNote]) }
        // A file removed or replaced is found here within a poll; from then on nothing is reloaded as if live.
        if state.fileProblem != nil { return false }
        run([.checkFile])
        if state.fileProblem != nil { return true }
        if handlingTimesDeferred {
            handlingTimesDeferred = false
            reload()
            return true
        }
        if changed { reload(live: true) }
        return changed
    }

    /// The wall clock and the process's uptime, read once per key or idle tick and handed to update like any other
    /// reading (the time shown and deadlines; messages fading and the count's flash).
    private func tick() { run(ConsoleUpdate.receive(.clock(clock(), uptime: uptime()), &state)) }

    /// True once for each bell asked for since the last call: the run loop rings its terminal's.
    func takeBell() -> Bool {
        guard pendingBells > 0 else { return false }
        pendingBells = 0
        return true
    }

    /// A new terminal size: the layout is worked out again, and a taller pane may need more rows.
    func resize(width: Int, height: Int) {
        run(ConsoleUpdate.resized(width: width, height: height, &state))
    }

    /// A refresh, as the `reload` request (kept for tests and the run loop).
    func reload(live: Bool = false) { run([.reload(live: live)]) }

    /// A typed command, as the command line runs it.
    func execute(_ command: TypedCommand) { run(ConsoleUpdate.command(command, &state)) }

    func runCommand(_ text: String) { run(ConsoleUpdate.runCommand(text, &state)) }

    // MARK: Disabled operator, idle lock

    /// Polled at most every `activeCheckSeconds`, on keys and on idle ticks alike: false, with the console set to
    /// close, once an administrator has disabled the operator at it. From then on nothing more is done or written.
    func stillActive() -> Bool {
        if state.closing != nil { return false }
        let now = uptime()
        if let last = lastActiveCheck, now - last < Self.activeCheckSeconds, now >= last { return true }
        lastActiveCheck = now
        run([.checkOperatorActive])
        return state.closing == nil
    }

    /// Locks the console when it has been idle too long; true when it just locked.
    @discardableResult
    func lockIfIdle() -> Bool {
        guard state.lock == nil, idle.isDue(at: uptime()) else { return false }
        lock()
        return true
    }

    /// Locks the console to its sign-in screen for the operator at it, keeping everything behind it. The store is
    /// signed out meanwhile, so nothing can act as the operator until they sign back in.
    func lock() {
        guard state.lock == nil else { return }
        run([.lock])
    }

    // MARK: The effect runner

    /// Carries out each request, depth first: what a request's answer asks for runs before the next request.
    /// The layout is settled once all have run.
    func run(_ effects: [Effect]) {
        for effect in effects {
            guard let message = perform(effect) else { continue }
            run(ConsoleUpdate.receive(message, &state))
        }
        ConsoleUpdate.settle(&state)
    }

    /// One request against the store (or a file, or the theme files); nil when there is nothing to report.
    func perform(_ effect: Effect) -> ConsoleMessage? {
        switch effect {
        case .reload(let live, let follow):
            return capture { .reloaded(try readQueue(), live: live, followSelection: follow) }
        case .loadWindow(let index, let thenDetail):
            return capture { .windowLoaded(try readWindow(around: index), thenDetail: thenDetail) }
        case .loadDetail(let id, let announce):
            guard let id else { return .detailLoaded(id: nil, .failure(.notFound("")), announce: false) }
            do throws(WorkflowError) {
                return .detailLoaded(id: id, .success(try store.detail(id, viewer: state.viewer)), announce: announce)
            } catch {
                return .detailLoaded(id: id, .failure(error), announce: announce)
            }
        case .loadHeat(let live):
            return capture { .heatLoaded(try readHeat(live: live)) }
        case .loadComponents(let classCode):
            return capture { .componentsLoaded(try store.componentCountsByCell(classCode: classCode)) }
        case .loadNearbyComponents(let cell, let classCode):
            return capture { .nearbyComponents(cell: cell, classCode: classCode,
                                               try store.nearestComponents(cell: cell, classCode: classCode, radius: 1, limit: 30)) }
        case .openForm(let action, let id):
            if let refusal = writesRefused() { return refusal }
            return capture { try formData(action, id, bulk: nil) }
        case .openBulkForm(let action, let ids):
            if let refusal = writesRefused() { return refusal }
            guard let first = ids.first else { return nil }
            return capture { try formData(action, first, bulk: ids) }
        case .openReportForm:
            if let refusal = writesRefused() { return refusal }
            return .reportFormAllowed
        case .previewAction(let request):
            do throws(WorkflowError) { return .previewed(.success(try store.preview(request, at: clock()))) } catch { return .previewed(.failure(error)) }
        case .previewReport(let draft):
            do throws(WorkflowError) {
                return .duplicates(.success(try store.likelyDuplicates(of: draft, at: clock(), viewer: state.viewer, rule: nil)))
            } catch { return .duplicates(.failure(error)) }
        case .perform(let request, let fromForm):
            return write { now in .acted(try store.perform(request, at: now), request.action, fromForm: fromForm) }
        case .report(let draft):
            return write { now in .reported(try store.report(draft, by: state.viewer.login, at: now)) }
        case .performBulk(let bulk, let action):
            return write { now in
                let result = try store.performBulk(bulk, at: now)
                return .bulkDone(action, count: result.after.count, undoable: result.undoable)
            }
        case .undoBulk:
            return write { now in
                let result = try store.undoLastBulk(by: state.viewer.login, at: now)
                return .undone(result.action, count: result.after.count)
            }
        case .loadInbox:
            return capture { .inboxLoaded(try store.inbox(for: state.viewer, at: clock())) }
        case .loadHandover:
            return capture { .handoverLoaded(try store.handover(for: state.viewer, since: nil, at: clock())) }
        case .export(let request, let overwrite):
            return ConsoleExport.write(request, overwrite: overwrite, lang: state.lang)
        case .loadTheme(let name):
            let result = Theme.load(nameOrPath: name, searchDirectories: ThemeFiles.searchDirectories())
            theme = result.theme
            return .themeLoaded(name: name, problem: result.problem.map { "\($0)" })
        case .switchOperator(let login):
            return capture {
                let op = try store.findOperator(login)
                simulator?.setExcluded(op.id)
                return .operatorFound(op)
            }
        case .loadReference:
            return capture { .referenceLoaded(try reference()) }
        case .unlock(let password):
            return unlock(password)
        case .lock:
            guard state.lock == nil else { return nil }
            let hasPassword = (try? store.hasPassword(state.viewer.id)) ?? true
            store.signOut()
            let seconds = idle.limit.map { " after \(Int($0)) s without a key" } ?? ""
            try? store.audit(AuditEvent(at: clock(), kind: .idleLock, login: state.viewer.login, via: signedIn?.via.text,
                                        address: ConsoleSignIn.address, detail: "locked" + seconds))
            return .locked(hasPassword: hasPassword)
        case .checkOperatorActive:
            // A failed read is the file checks' business (the status line), not a reason to close.
            guard let active = try? store.operatorIsActive(state.viewer.id), !active else { return nil }
            return .operatorDisabled
        case .checkFile:
            guard state.fileProblem == nil, let problem = store.fileProblem() else { return nil }
            return .fileProblem(problem, refusingWrite: false)
        case .readSimulatorNote:
            return simulator?.lastNote.map { .simulatorNote($0) }
        case .selectCase(let id):
            let q = state.queue
            return capture {
                .caseSelected(id, position: try store.queuePosition(of: id, for: state.viewer, filter: q.filter, sort: q.sort,
                                                                    ascending: q.ascending, at: clock()))
            }
        case .checkBulk(let bulk, let action):
            if let refusal = writesRefused() { return refusal }
            guard case .ids(let ids) = bulk.selection else { return nil }
            // Each case as the bulk action would take it, without writing: every refusal is found, not just the first.
            var refusals: [Int64: WorkflowError] = [:]
            for id in ids {
                let single = ActionRequest(action: action, caseID: id, actor: bulk.actor, target: bulk.target, note: bulk.note)
                do throws(WorkflowError) { _ = try store.preview(single, at: clock()) } catch { refusals[id] = error }
            }
            return .bulkChecked(bulk, action: action, refusals: refusals)
        case .loadFollowUps:
            do throws(WorkflowError) { return .followUpsLoaded(.success(try store.followUps(for: state.viewer.login))) } catch {
                return .followUpsLoaded(.failure(error))
            }
        case .openFollowUpForm(let action, let item):
            if let refusal = writesRefused() { return refusal }
            return capture { .followUpFormData(action, item, try store.serviceCase(item.followUp.caseID)) }
        case .recordFollowUp(let caseID, let taskID, let outcome):
            return write { now in
                .followUpDone(.record, try store.recordFollowUp(caseID: caseID, followUpID: taskID, outcome: outcome, by: state.viewer.login, at: now))
            }
        case .decideFollowUp(let action, let caseID, let taskID, let note):
            return write { now in
                .followUpDone(action, try store.decideFollowUp(action, caseID: caseID, followUpID: taskID, note: note, by: state.viewer.login, at: now))
            }
        case .loadPatrolBoard:
            // The viewer's region: a district operator sees their district's; the city's see every one.
            let viewer = state.viewer
            let region = viewer.tier == .city ? nil : viewer.regionCode
            do throws(WorkflowError) {
                return .patrolBoardLoaded(.success(PatrolBoardReading(
                    censuses: try store.openCensuses(within: region),
                    neglected: try store.neglectedCells(within: region, at: clock(), limit: PatrolBoardView.neglectedLimit))))
            } catch {
                return .patrolBoardLoaded(.failure(error))
            }
        case .openCensusForm(let id):
            if let refusal = writesRefused() { return refusal }
            return capture {
                .censusFormData(try id.map { [try store.censusReport($0)] } ?? store.openCensuses(within: nil), requested: id)
            }
        case .recordCensus(let draft):
            return write { now in .censusRecorded(try store.recordCensus(draft, by: state.viewer.login, at: now)) }
        case .bell:
            pendingBells += 1
            return nil
        case .preview, .submit, .runCommand:
            // Intents are resolved by update; one that reaches here is resolved now.
            run(ConsoleUpdate.resolve([effect], &state))
            return nil
        }
    }

    private func capture(_ body: () throws -> ConsoleMessage) -> ConsoleMessage {
        do { return try body() } catch { return .failed(Self.workflowError(error)) }
    }

    static func workflowError(_ error: any Error) -> WorkflowError {
        error as? WorkflowError ?? .storage("\(error)")
    }

    /// A write: refused while the file is read-only or no longer the one opened, or while the clock is outside the
    /// site's time window; the refusal (or the store's) comes back as the status line.
    private func write(_ body: (Date) throws -> ConsoleMessage) -> ConsoleMessage {
        if let refusal = writesRefused() { return refusal }
        let now = clock()
        do {
            let window = try store.timeWindow()
            if let refusal = ConsoleUpdate.clockRefusal(now, window: window, lang: state.lang) { return .status(refusal) }
            return try body(now)
        } catch let refusal as BulkRefusal {
            return .bulkRefused(refusal)
        } catch { return .failed(Self.workflowError(error)) }
    }

    // MARK: Reading

    private func reference() throws(WorkflowError) -> ConsoleReference {
        let viewer = state.viewer
        var names: [String: String] = [:]
        var namesEn: [String: String] = [:]
        for level in [RegionLevel.city, .district, .street, .community] {
            for r in try store.regions(level: level, parent: nil) { (names[r.code], namesEn[r.code]) = (r.nameZh, r.nameEn) }
        }
        var reference = ConsoleReference(
            categories: try store.categories(), departments: try store.departments(), centers: try store.centers(),
            siteRules: try store.settings().rules, timeZone: try store.context().calendar.timeZone, operators: try store.operators(),
            gridCells: try store.cells(inRegion: viewer.tier == .district ? viewer.regionCode : nil), cellNames: names,
            busyInspector: try store.cases(CaseQuery(states: [.verifying, .checking], limit: 1)).first?.assigneeID,
            readOnly: store.access.readOnlyReason, fileProblem: store.fileProblem(), access: try store.accessMode(),
            bellEnabled: (try? store.bellSettings(operatorID: viewer.id).rings) ?? true)
        reference.regionNamesEn = namesEn
        reference.hotlineLines = try store.hotlineLines()
        return reference
    }

    private func readQueue() throws(WorkflowError) -> QueueReading {
        let now = clock()
        let viewer = state.viewer
        var counts: QueueCounts
        var board: [BoardEntry]?
        if state.queue.mode == .board {
            let read = try store.overdueBoard(for: viewer, at: now, handlingTimes: currentHandlingTimes(at: now, evenIfDeferred: true))
            // Tasks whose inspector the roster has off duty join the board (issue 17), their holder marked so.
            let offDuty = Set(read.offDuty.map(\.serviceCase.id))
            let listed = Set(read.entries.map(\.serviceCase.id))
            let marked = (read.entries + read.offDuty.filter { !listed.contains($0.serviceCase.id) }).map { entry in
                var e = entry
                if offDuty.contains(e.serviceCase.id) { e.responsible += state.lang.t("（下班）", " (off duty)") }
                return e
            }
            // The live filter narrows the board too: id, text, cell or department.
            let rows = Array(OverdueBoard.matching(marked, text: state.queue.filter.text).prefix(2000))
            counts = QueueCounts(needsMyAction: 0, others: rows.count)
            board = rows
        } else {
            counts = try store.queueCounts(for: viewer, filter: state.queue.filter, at: now)
        }
        let calendar = try store.context().calendar
        let dayStart = calendar.date(of: calendar.localDate(of: now), minuteOfDay: 0)
        let measures = try store.cellMeasures(region: viewer.tier == .district ? viewer.regionCode : nil, at: now, dayStart: dayStart)
        return QueueReading(counts: counts, board: board, reach: try store.reachCounts(for: viewer, at: now), measures: measures, at: now,
                            needs: try store.needsActionIDs(for: viewer, at: now))
    }

    private func readWindow(around index: Int) throws(WorkflowError) -> QueueWindow {
        let q = state.queue
        let page = max(10, q.pageRows)
        let start = max(0, index - page * 2)
        let entries = try store.queueWindow(for: state.viewer, filter: q.filter, sort: q.sort, ascending: q.ascending, offset: start,
                                            limit: page * 5, needsTotal: q.counts.needsMyAction, at: state.now)
        // At-risk flags for the rows in the window: handling cases likely to miss their limit.
        var risks: [Int64: RiskEstimate]?
        if let times = currentHandlingTimes(at: state.now), let context = try? store.context() {
            risks = times.atRisk(entries.map(\.serviceCase), at: state.now, context: context)
        }
        // Likely duplicates among reports not yet filed: a marker the intake operator can act on (merge).
        let early = entries.filter { $0.serviceCase.state.isBeforeFiling }.map(\.serviceCase.id)
        let duplicates = early.isEmpty ? [:] : (try? store.likelyDuplicateCounts(ofCases: early, at: state.now, viewer: state.viewer)) ?? [:]
        return QueueWindow(start: start, entries: entries, risks: risks, duplicates: duplicates)
    }

    /// Handling times of the cases closed in the last weeks, behind the at-risk flags. They move slowly, and
    /// reading them costs a scan of tens of thousands of closed cases, so a reload (every write anyone makes)
    /// reuses them for `handlingTimesLifetime`.
    /// The queue's flags wait for the first idle moment after the first frame, which should not wait for them
    /// (the overdue board, which is about risk, reads them at once).
    private var handlingTimesCache: (at: Date, times: HandlingTimes)?
    private var handlingTimesDeferred = true
    static let handlingTimesLifetime: TimeInterval = 600

    private func currentHandlingTimes(at now: Date, evenIfDeferred: Bool = false) -> HandlingTimes? {
        if handlingTimesDeferred && !evenIfDeferred { return nil }
        if let cache = handlingTimesCache, abs(now.timeIntervalSince(cache.at)) < Self.handlingTimesLifetime { return cache.times }
        guard let times = try? store.handlingTimes(at: now) else { return nil }
        handlingTimesCache = (now, times)
        return times
    }

    /// What the window figures were read for, and when: a live reload reuses them while they are this young.
    private struct HeatInputs: Equatable {
        var period: EvaluationPeriod
        var measure: MapMeasure
        var category: CategoryKey?
        var board: EvaluationGrouping?
    }
    private var lastHeat: (inputs: HeatInputs, at: Date)?
    /// The window heatmap's days in memory: a reload reads only the days whose rollups changed.
    private let windowCache = WindowFigureCache()
    /// The evaluation board (a whole evaluation, tenths of a second on a million cases): live reloads (every write anyone
    /// makes) redo it at most this often; the viewer's own keys and commands redo it at once. The map's figures are read
    /// on every reload: indicators from the day cache (`windowFigures`), a category's reports from its covering index.
    static let heatLifetime: TimeInterval = 15

    /// The heatmap's window figures and the evaluation board (no board when a live reload may keep the last one).
    private func readHeat(live: Bool) throws(WorkflowError) -> HeatReading? {
        let now = clock()
        let calendar = try store.context().calendar
        let period = try state.map.window.period(endingOn: calendar.localDate(of: now), back: state.map.windowOffset)
        let region = state.viewer.tier == .district ? state.viewer.regionCode : nil
        let inputs = HeatInputs(period: period, measure: state.map.measure, category: state.map.category,
                                board: state.queue.mode == .evaluation ? state.evaluation.grouping : nil)
        let keepBoard = live && lastHeat.map { $0.inputs == inputs && abs(now.timeIntervalSince($0.at)) < Self.heatLifetime } == true
        if !keepBoard { lastHeat = (inputs, now) }
        var values: [String: Double] = [:]
        var figures: [String: GridFigure]?
        switch state.map.measure {
        case .filed, .onTimeClosure, .rework:
            let indicator = state.map.measure.indicator!
            let cells = try store.windowFigures(indicator, period: period, within: region, at: now, cache: windowCache)
            figures = WindowHeatmap.figures(cells, indicator: indicator)
            values = WindowHeatmap.values(cells, indicator: indicator)
        case .category:
            let key = state.map.category ?? CategoryKey(kind: .event, code: "0102")
            let counts = try store.categoryCounts(key, from: calendar.date(of: period.from, minuteOfDay: 0),
                                                  to: calendar.date(of: period.to, minuteOfDay: 0), region: region)
            values = counts.mapValues(Double.init)
        default:
            break
        }
        var report: EvaluationReport?
        if state.queue.mode == .evaluation && !keepBoard {
            report = try store.evaluation(EvaluationQuery(period: period, grouping: state.evaluation.grouping, within: region, stageTimes: false), at: now)
        }
        return HeatReading(windowText: WindowHeatmap.text(period), values: values, report: report, figures: figures, period: period)
    }

    private func formData(_ action: CaseAction, _ id: Int64, bulk: [Int64]?) throws(WorkflowError) -> ConsoleMessage {
        let c = try store.serviceCase(id)
        // Reassign offers only where the rule lets each case go; merge offers the case's likely duplicates.
        if action == .reassign {
            return .reassignForm(c, try store.reassignChoices(for: state.viewer, cases: bulk ?? [id], at: clock()), bulk: bulk)
        }
        if action == .merge, bulk == nil {
            return .mergeForm(c, try store.likelyDuplicates(ofCase: id, at: clock(), viewer: state.viewer, rule: nil))
        }
        if bulk == nil, action == .dispatch || action == .file {
            return .routedForm(action, c, routing: try store.routing(ofCase: id), suggested: try store.suggestedRouting(ofCase: id))
        }
        let area = try store.cellPlace(c.cellCode).patrolAreaID ?? ""
        let workload = action == .reassign ? try store.workload(for: state.viewer, case: id, at: clock()) : nil
        // On a site with a roster, the inspectors on duty for the cell now, the one a task goes to first.
        let onDuty = action.spec.target == .inspector ? try store.dutyCover(cell: c.cellCode, at: clock())?.inspectorIDs ?? [] : []
        return .formData(action, c, patrolArea: area, workload: workload, bulk: bulk, onDuty: onDuty)
    }

    // MARK: The file, writes, the lock

    /// Why no action may write, as the message that refuses it: the file is no longer the one the console opened (the
    /// problem already found, or one the store finds now), or the console is read-only. Checked before a form opens and
    /// again before it is submitted.
    func writesRefused() -> ConsoleMessage? {
        if let problem = state.fileProblem ?? store.fileProblem() { return .fileProblem(problem, refusingWrite: true) }
        if let why = state.readOnly { return .status(StatusMessage(text: StoreNotice.readOnlyRefusal(why, state.lang), kind: .error)) }
        return nil
    }

    /// The lock screen's password: the same operator's resumes exactly where they were.
    private func unlock(_ password: String) -> ConsoleMessage? {
        guard let lock = state.lock, lock.mode == .locked else { return nil }
        let now = clock()
        switch ConsoleSignIn.attempt(store, login: state.viewer.login, password: password, at: now) {
        case .success(let who) where who.operatorID == state.viewer.id:
            // The session goes on as it started (a bound Unix account stays `unix:` in the history).
            store.signIn(signedIn ?? who)
            try? store.audit(AuditEvent(at: now, kind: .idleLock, login: who.login, via: who.via.text, address: ConsoleSignIn.address,
                                        detail: "resumed"))
            idle.lastKey = uptime()
            return .unlocked
        case .success:
            return .unlockRefused(.notAccepted)
        case .failure(let refusal):
            return .unlockRefused(refusal)
        }
    }

    // MARK: Drawing

    func render() -> ScreenBuffer {
        ConsoleUpdate.settle(&state)
        return ConsoleRender.render(state, theme: theme)
    }
}

/// Where theme files are looked for, besides the built-in ones.
enum ThemeFiles {
    static func searchDirectories() -> [String] {
        var dirs: [String] = []
        let env = ProcessInfo.processInfo.environment
        let config = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        dirs.append((config as NSString).appendingPathComponent("citygrid/themes"))
        dirs.append((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent("themes"))
        return dirs
    }
}
