import Curses
import Foundation
import Workflow

/// Runs the console: keys go through `ConsoleUpdate`, the effects it returns are carried out here
/// against the store, and `render` turns the state into a frame. The run loop and the tests drive it
/// the same way.
final class ConsoleEngine {
    let store: CityStore
    var state: ConsoleState
    private(set) var theme: Theme
    private let clock: @Sendable () -> Date
    private var inspectorsByArea: [String: [Operator]] = [:]
    private var firstLoad = true
    /// Demo only: who the role switcher offers, and the live simulator (told who is at the console).
    var roleChoices: [Operator] = []
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
    static let activeCheckSeconds: TimeInterval = 1

    init(store: CityStore, viewer: Operator, lang: Language, theme: Theme, themeName: String, clock: @escaping @Sendable () -> Date) {
        self.store = store
        self.theme = theme
        self.clock = clock
        state = ConsoleState(viewer: viewer, lang: lang)
        state.themeName = themeName
    }

    /// Loads what does not change while the console runs, then the first data.
    func start() throws(WorkflowError) {
        state.readOnly = store.access.readOnlyReason
        state.access = try store.accessMode()
        signedIn = store.signedIn
        if state.access == .signed {
            idle = IdleLock(limit: IdleLock.limit(siteMinutes: try store.idleLockMinutes(), environment: ProcessInfo.processInfo.environment),
                            lastKey: uptime())
        }
        try loadReference()
        reload()
    }

    private func loadReference() throws(WorkflowError) {
        state.categories = try store.categories()
        state.departments = try store.departments()
        state.centers = try store.centers()
        state.siteModel = try store.settings().model
        let operators = try store.operators()
        let inspectors = operators.filter { $0.role == .inspector && state.viewer.canSee(district: CellCode.district(of: $0.patrolAreaID ?? "")) }
        state.inspectors = inspectors
        inspectorsByArea = Dictionary(grouping: inspectors, by: { $0.patrolAreaID ?? "" })
        if let center = state.centers.first(where: { $0.id == state.viewer.centerID }) {
            state.centerName = state.lang.t(center.nameZh, center.nameEn)
        } else if let dept = state.departments.first(where: { $0.code == state.viewer.departmentCode }) {
            state.centerName = state.lang.t(dept.nameZh, dept.nameEn) + " " + state.viewer.regionCode
        } else {
            state.centerName = state.viewer.regionCode
        }
        // A district operator's map is their district; a city operator's the whole city.
        state.map.gridCells = try store.cells(inRegion: state.viewer.tier == .district ? state.viewer.regionCode : nil)
        var names: [String: String] = [:]
        for r in try store.regions(level: .community) { names[r.code] = r.nameZh }
        for r in try store.regions(level: .street) { names[r.code] = r.nameZh }
        state.map.cellNames = names
        roleChoices = Self.roleChoices(operators)
        // Offer an inspector who has a verify or check task waiting, so that view is not empty.
        if let busy = try store.cases(CaseQuery(states: [.verifying, .checking], limit: 1)).first?.assigneeID,
           let inspector = operators.first(where: { $0.id == busy }),
           let slot = roleChoices.firstIndex(where: { $0.role == .inspector }) {
            roleChoices[slot] = inspector
        }
    }

    /// One operator per role and tier, the ones with work waiting first: what the demo's role switcher offers.
    static func roleChoices(_ operators: [Operator]) -> [Operator] {
        let wanted = ["city-dispatcher-1", "110101-dispatcher-1", "city-intake-1", "110101-intake-1", "city-lead-1", "110101-lead-1",
                      "sanit-110101", "enforce-110101", "110101-insp-001", "city-supervisor", "110101-supervisor"]
        return wanted.compactMap { login in operators.first { $0.login == login } }
    }

    // MARK: Keys and effects

    /// Handles one key; false when the console should stop.
    @discardableResult
    func handle(_ key: Key) -> Bool {
        state.now = clock()
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
        state.now = clock()
        guard stillActive() else { return true }
        if lockIfIdle() { return true }
        // Nothing behind the lock is reloaded; resuming catches up.
        if state.lock != nil { return false }
        if let note = simulator?.lastNote { state.simulatorNote = note }
        // A file removed or replaced is found here within a poll; from then on nothing is reloaded as if live.
        if state.fileProblem != nil { return false }
        if checkFile() != nil { return true }
        if handlingTimesDeferred {
            handlingTimesDeferred = false
            reload()
            return true
        }
        if changed { reload(live: true) }
        return changed
    }

    // MARK: Disabled operator, idle lock

    /// Polled at most every `activeCheckSeconds`, on keys and on idle ticks alike: false, with the console set to
    /// close, once an administrator has disabled the operator at it. From then on nothing more is done or written.
    func stillActive() -> Bool {
        if state.closing != nil { return false }
        let now = uptime()
        if let last = lastActiveCheck, now - last < Self.activeCheckSeconds, now >= last { return true }
        lastActiveCheck = now
        // A failed read is the file checks' business (the status line), not a reason to close.
        guard let active = try? store.operatorIsActive(state.viewer.id), !active else { return true }
        state.closing = .operatorDisabled
        state.shouldQuit = true
        state.form = nil
        return false
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
        let hasPassword = (try? store.hasPassword(state.viewer.id)) ?? true
        state.lock = SignInState.locked(login: state.viewer.login, hasPassword: hasPassword)
        store.signOut()
        let seconds = idle.limit.map { " after \(Int($0)) s without a key" } ?? ""
        try? store.audit(AuditEvent(at: clock(), kind: .idleLock, login: state.viewer.login, via: signedIn?.via.text,
                                    address: ConsoleSignIn.address, detail: "locked" + seconds))
    }

    /// The lock screen's password: the same operator's resumes exactly where they were.
    func unlock(_ password: String) {
        guard var lock = state.lock, lock.mode == .locked else { return }
        let now = clock()
        switch ConsoleSignIn.attempt(store, login: state.viewer.login, password: password, at: now) {
        case .success(let who) where who.operatorID == state.viewer.id:
            // The session goes on as it started (a bound Unix account stays `unix:` in the history).
            store.signIn(signedIn ?? who)
            try? store.audit(AuditEvent(at: now, kind: .idleLock, login: who.login, via: who.via.text, address: ConsoleSignIn.address,
                                        detail: "resumed"))
            state.lock = nil
            idle.lastKey = uptime()
            state.redrawRequested = true
            reload()
        case .success:
            SignInUpdate.refused(&lock, .notAccepted)
            state.lock = lock
        case .failure(let refusal):
            SignInUpdate.refused(&lock, refusal)
            state.lock = lock
        }
    }

    func run(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .reload: reload()
            case .loadWindow: loadWindow()
            case .loadDetail(let id): loadDetail(id)
            case .openForm(let action, let id): openForm(action, id)
            case .preview: preview()
            case .submit: submit()
            case .runCommand(let text): runCommand(text)
            case .switchOperator(let login): switchOperator(login)
            case .redraw: state.redrawRequested = true
            case .openBulkForm(let action, let ids): openBulkForm(action, ids)
            case .loadHeat: loadHeat()
            case .openReportForm:
                if writesRefused() { continue }
                // The place is prefilled from the map's cursor, so a dispatcher can point at it on the map.
                let cell = state.map.view.cellUnderCursor(state.map.model)?.code ?? state.detail.detail?.serviceCase.cellCode
                state.form = FormBuilder.newReport(state: state, cellNames: state.map.cellNames, preselectedCell: cell)
                previewReport()
            case .undoBulk: undoBulk()
            case .unlock(let password): unlock(password)
            }
        }
    }

    /// The clock for a write, or nil (with the reason in the status line, in the console's language) when it lies
    /// outside the site's time window (a machine clock set back to 1970, a CITYGRID_NOW years off): nothing is
    /// saved with an absurd time.
    func writeClock() -> Date? {
        let now = clock()
        let window: TimeWindow
        do { window = try store.timeWindow() } catch { fail(error); return nil }
        guard !window.contains(now, now: now) else { return now }
        let f = InstantFormat(timeZone: window.timeZone)
        let from = f.string(window.earliest(now: now)), to = f.string(window.latest(now: now))
        state.status = StatusMessage(text: state.lang.t("时钟 \(f.string(now)) 超出本站时间窗口（\(from) 至 \(to)），未保存",
                                                        "the clock \(f.string(now)) is outside the site's time window (\(from) to \(to)); nothing saved"),
                                     kind: .error)
        return nil
    }

    func fail(_ error: WorkflowError) {
        state.status = StatusMessage(text: error.description, kind: .error)
    }

    /// Asks the store whether its file is still the one opened; a problem, once found, stays in the state.
    @discardableResult
    func checkFile() -> FileProblem? {
        if state.fileProblem == nil, let problem = store.fileProblem() { state.fileProblem = problem }
        return state.fileProblem
    }

    /// True, with the reason on the status line, when no action may write: the console is read-only, or the
    /// file is no longer the one it opened. Checked before a form opens and again before it is submitted.
    func writesRefused() -> Bool {
        if let problem = checkFile() {
            state.status = StatusMessage(text: StoreNotice.refusal(problem, state.lang), kind: .error)
            return true
        }
        if let why = state.readOnly {
            state.status = StatusMessage(text: StoreNotice.readOnlyRefusal(why, state.lang), kind: .error)
            return true
        }
        return false
    }

    // MARK: Loading

    /// Reloads counts, the window around the selection, the status counts, the map and the detail,
    /// keeping the selected case selected wherever it moved.
    /// `live`: the reload follows someone else's write, not the viewer's key; window heatmaps and the
    /// evaluation board then reuse figures younger than `heatLifetime`.
    func reload(live: Bool = false) {
        let now = clock()
        state.now = now
        do {
            let viewer = state.viewer
            if state.queue.mode == .board {
                try loadBoard(now: now)
            } else {
                state.queue.counts = try store.queueCounts(for: viewer, filter: state.queue.filter, at: now)
            }
            let total = state.queue.total
            state.queue.selected = min(state.queue.selected, max(0, total - 1))
            try fetchWindow(around: state.queue.selected)
            if let id = state.queue.selectionID, state.queue.selectedEntry?.serviceCase.id != id,
               let found = state.queue.entries.firstIndex(where: { $0.serviceCase.id == id }) {
                state.queue.selected = state.queue.windowStart + found
                keepSelectionVisible()
            }
            state.queue.selectionID = state.queue.selectedEntry?.serviceCase.id
            markNewArrivals()
            state.reach = try store.reachCounts(for: viewer, at: now)
            let calendar = try store.context().calendar
            let dayStart = calendar.date(of: calendar.localDate(of: now), minuteOfDay: 0)
            state.map.measures = try store.cellMeasures(region: viewer.tier == .district ? viewer.regionCode : nil, at: now, dayStart: dayStart)
            if state.map.measure.usesWindow || state.map.hotspot || state.queue.mode == .evaluation {
                loadHeat(live: live)
            } else {
                MapData.rebuildModel(&state)
            }
            let detailID = state.focus == .detail ? (state.detail.caseID ?? state.queue.selectionID) : state.queue.selectionID
            loadDetail(detailID)
            state.lastRefresh = now
        } catch {
            fail(error)
        }
    }

    private func markNewArrivals() {
        let ids = Set(state.queue.entries.map(\.serviceCase.id))
        if firstLoad {
            firstLoad = false
        } else {
            state.queue.newIDs.formUnion(ids.subtracting(state.queue.knownIDs))
        }
        state.queue.knownIDs.formUnion(ids)
    }

    /// The overdue board replaces the queue's rows: every case past or near its limit in the viewer's
    /// reach, worst first by the share of its stage's limit used. It is bounded, so it is read whole.
    private func loadBoard(now: Date) throws(WorkflowError) {
        let board = try store.overdueBoard(for: state.viewer, at: now, handlingTimes: currentHandlingTimes(evenIfDeferred: true))
        // The live filter narrows the board too: id, text, cell or department.
        let words = state.queue.filter.text.split(whereSeparator: \.isWhitespace).map(String.init)
        let matching = board.entries.filter { e in
            let c = e.serviceCase
            return words.allSatisfy { w in
                String(c.id).hasPrefix(w) || c.description.contains(w) || c.cellCode.hasPrefix(w) || c.departmentCode == w.uppercased()
            }
        }
        let rows = matching.prefix(2000)
        state.queue.counts = QueueCounts(needsMyAction: 0, others: rows.count)
        state.queue.boardInfo = Dictionary(rows.map { ($0.serviceCase.id, (ratio: $0.reading.ratioText, responsible: $0.responsible)) },
                                           uniquingKeysWith: { a, _ in a })
        state.queue.risks = Dictionary(rows.compactMap { e in e.risk.flatMap { $0.atRisk ? (e.serviceCase.id, $0.reason) : nil } },
                                       uniquingKeysWith: { a, _ in a })
        boardRows = rows.map { QueueEntry(serviceCase: $0.serviceCase, needsMyAction: false) }
    }

    private var boardRows: [QueueEntry] = []

    /// Handling times of the cases closed in the last weeks, behind the at-risk flags. They move slowly, and
    /// reading them costs a scan of tens of thousands of closed cases, so a reload (every write anyone makes)
    /// reuses them for `handlingTimesLifetime`.
    /// The queue's flags wait for the first idle moment after the first frame, which should not wait for them
    /// (the overdue board, which is about risk, reads them at once).
    private var handlingTimesCache: (at: Date, times: HandlingTimes)?
    private var handlingTimesDeferred = true
    static let handlingTimesLifetime: TimeInterval = 600

    private func currentHandlingTimes(evenIfDeferred: Bool = false) -> HandlingTimes? {
        if handlingTimesDeferred && !evenIfDeferred { return nil }
        if let cache = handlingTimesCache, abs(state.now.timeIntervalSince(cache.at)) < Self.handlingTimesLifetime { return cache.times }
        guard let times = try? store.handlingTimes(at: state.now) else { return nil }
        handlingTimesCache = (state.now, times)
        return times
    }

    private func fetchWindow(around index: Int) throws(WorkflowError) {
        if state.queue.mode == .board {
            state.queue.entries = boardRows
            state.queue.windowStart = 0
            return
        }
        let page = max(10, state.queue.pageRows)
        let start = max(0, index - page * 2)
        state.queue.entries = try store.queueWindow(for: state.viewer, filter: state.queue.filter, sort: state.queue.sort,
                                                    ascending: state.queue.ascending, offset: start, limit: page * 5,
                                                    needsTotal: state.queue.counts.needsMyAction, at: state.now)
        state.queue.windowStart = start
        // At-risk flags for the rows in the window: handling cases likely to miss their limit.
        if let times = currentHandlingTimes(), let context = try? store.context() {
            var risks: [Int64: String] = [:]
            for entry in state.queue.entries where entry.serviceCase.state == .dispatched {
                if let estimate = times.estimate(for: entry.serviceCase, at: state.now, context: context), estimate.atRisk {
                    risks[entry.serviceCase.id] = estimate.reason
                }
            }
            state.queue.risks = risks
        }
        // Likely duplicates among reports not yet filed: a marker the intake operator can act on (merge).
        let early = state.queue.entries.filter { $0.serviceCase.state.isBeforeFiling }.map(\.serviceCase.id)
        state.queue.duplicates = early.isEmpty ? [:] : (try? store.likelyDuplicateCounts(ofCases: early, at: state.now, viewer: state.viewer)) ?? [:]
    }

    private func keepSelectionVisible() {
        let q = state.queue
        if q.selected < q.scroll { state.queue.scroll = q.selected }
        if q.selected >= q.scroll + q.pageRows { state.queue.scroll = q.selected - q.pageRows + 1 }
    }

    func loadWindow() {
        do {
            try fetchWindow(around: state.queue.selected)
            state.queue.selectionID = state.queue.selectedEntry?.serviceCase.id
            markNewArrivals()
        } catch { fail(error) }
    }

    func loadDetail(_ id: Int64?) {
        state.queue.selectionID = state.queue.selectedEntry?.serviceCase.id ?? state.queue.selectionID
        guard let id else {
            state.detail = DetailState()
            return
        }
        if state.detail.caseID != id { state.detail.scroll = 0 }
        state.detail.caseID = id
        do {
            state.detail.detail = try store.detail(id, viewer: state.viewer)
            state.detail.error = nil
            // The selected case's cell is marked; the cursor follows it only while the map is not being navigated.
            if state.focus == .map {
                state.map.view.highlighted = state.detail.detail?.serviceCase.cellCode
            } else {
                state.map.view = state.map.view.highlighting(state.detail.detail?.serviceCase.cellCode, in: state.map.model)
            }
        } catch {
            state.detail.detail = nil
            state.detail.error = error.description
        }
    }

    // MARK: Forms

    func openForm(_ action: CaseAction, _ id: Int64) {
        if writesRefused() { return }
        do {
            let c = try store.serviceCase(id)
            if let reason = Lifecycle.refusal(of: action, on: c, by: state.viewer, model: state.siteModel) {
                state.status = StatusMessage(text: "\(state.lang.action(action.rawValue)) \(id): \(reason)", kind: .error)
                return
            }
            let area = try store.cellPlace(c.cellCode).patrolAreaID ?? ""
            let workload = action == .reassign ? try store.workload(for: state.viewer, case: id, at: clock()) : nil
            state.form = FormBuilder.make(action, for: c, state: state, inspectors: inspectorsByArea[area] ?? [], workload: workload)
            preview()
        } catch { fail(error) }
    }

    /// For a new report: open cases of the same category nearby, before anything is saved.
    func previewReport() {
        guard var form = state.form, let draft = form.draft() else { return }
        do {
            let candidates = try store.likelyDuplicates(of: draft, at: clock(), viewer: state.viewer)
            if candidates.isEmpty {
                form.preview = state.lang.t("附近没有同类未结案件", "no open case of this category nearby")
            } else {
                var lines = [state.lang.t("可能重复：\(candidates.count) 件（保存后可合并）", "possible duplicates: \(candidates.count) (merge after saving)")]
                for c in candidates.prefix(3) {
                    let place = c.cellDistance == 0 ? state.lang.t("同一网格", "same cell") : state.lang.t("相邻网格", "next cell")
                    lines.append("  #\(c.serviceCase.id) \(state.lang.state(c.serviceCase.state.rawValue)) · \(place) · \(DueText.age(c.serviceCase, now: state.now)) · \(c.serviceCase.description)")
                }
                form.preview = lines.joined(separator: "\n")
            }
            form.previewIsError = false
        } catch {
            form.preview = error.description
            form.previewIsError = true
        }
        state.form = form
    }

    private func submitReport(_ form: FormState) {
        guard let draft = form.draft() else { return }
        guard let writeNow = writeClock() else { return }
        do {
            let made = try store.report(draft, by: state.viewer.login, at: writeNow)
            state.form = nil
            state.status = StatusMessage(text: state.lang.t("已上报，案件 \(made.id)", "reported as case \(made.id)"), kind: .ok)
            reload()
        } catch {
            state.status = StatusMessage(text: error.description, kind: .error)
        }
    }

    /// Shows what the action would do (its new deadline), computed by Workflow without writing.
    func preview() {
        if state.form?.isNewReport == true { return previewReport() }
        guard var form = state.form, form.bulkIDs == nil else { return }
        let request = form.request(actor: state.viewer.login)
        let format = (try? store.context()).map { InstantFormat(timeZone: $0.calendar.timeZone) }
        do {
            let after = try store.preview(request, at: clock())
            form.previewIsError = false
            if let deadline = after.deadline, let format {
                form.preview = state.lang.t("→ \(state.lang.state(after.state.rawValue))，期限 \(format.short(deadline))",
                                            "→ \(after.state.rawValue), due \(format.short(deadline))")
            } else {
                form.preview = "→ " + state.lang.state(after.state.rawValue)
            }
        } catch {
            form.previewIsError = true
            form.preview = error.description
        }
        state.form = form
    }

    // MARK: Heatmap and evaluation board

    private var neighbours: [[Int]] = []

    /// The window [from, to) in local days: the current one shifted back `windowOffset` times.
    func heatPeriod() throws(WorkflowError) -> EvaluationPeriod {
        let calendar = try store.context().calendar
        let today = calendar.localDate(of: clock())
        let back = state.map.windowOffset
        switch state.map.window {
        case .today: return EvaluationPeriod.day(today.adding(days: -back))
        case .days7: return try EvaluationPeriod(from: today.adding(days: -6 - 7 * back), to: today.adding(days: 1 - 7 * back))
        case .days30: return try EvaluationPeriod(from: today.adding(days: -29 - 30 * back), to: today.adding(days: 1 - 30 * back))
        case .month:
            var period = EvaluationPeriod.month(containing: today)
            for _ in 0..<back { period = period.previous }
            return period
        }
    }

    /// Loads what the heatmap's measure needs for its window, the hotspot scores, and the evaluation board.
    /// What the window figures were read for, and when: a live reload reuses them while they are this young.
    private struct HeatInputs: Equatable {
        var period: EvaluationPeriod
        var measure: MapMeasure
        var category: CategoryKey?
        var board: EvaluationGrouping?
    }
    private var lastHeat: (inputs: HeatInputs, at: Date)?
    /// A month of rollups per cell is a fifth of a second on a million cases: live reloads (every write anyone
    /// makes) redo it at most this often; the viewer's own keys and commands redo it at once.
    static let heatLifetime: TimeInterval = 15

    func loadHeat(live: Bool = false) {
        do {
            let period = try heatPeriod()
            let calendar = try store.context().calendar
            state.map.windowText = "\(period.from) – \(period.to.adding(days: -1))"
            let region = state.viewer.tier == .district ? state.viewer.regionCode : nil
            let inputs = HeatInputs(period: period, measure: state.map.measure, category: state.map.category,
                                    board: state.queue.mode == .evaluation ? state.evaluation.grouping : nil)
            let now = clock()
            if live, let last = lastHeat, last.inputs == inputs, abs(now.timeIntervalSince(last.at)) < Self.heatLifetime {
                finishHeat()
                return
            }
            lastHeat = (inputs, now)
            switch state.map.measure {
            case .filed, .onTimeClosure, .rework:
                let report = try store.evaluation(EvaluationQuery(period: period, grouping: .cell, within: region, stageTimes: false), at: clock())
                var values: [String: Double] = [:]
                for row in report.rows {
                    switch state.map.measure {
                    case .filed: values[row.key] = row.value(.casesFiled) ?? 0
                    case .onTimeClosure: values[row.key] = (row.value(.onTimeClosureRate) ?? 0) * 100
                    default: values[row.key] = (row.value(.reworkRate) ?? 0) * 100
                    }
                }
                state.map.windowValues = values
            case .category:
                let key = state.map.category ?? CategoryKey(kind: .event, code: "0102")
                let counts = try store.categoryCounts(key, from: calendar.date(of: period.from, minuteOfDay: 0),
                                                      to: calendar.date(of: period.to, minuteOfDay: 0), region: region)
                state.map.windowValues = counts.mapValues(Double.init)
            default:
                state.map.windowValues = [:]
            }
            if state.queue.mode == .evaluation {
                state.evaluation.report = try store.evaluation(EvaluationQuery(period: period, grouping: state.evaluation.grouping,
                                                                               within: region, stageTimes: false), at: clock())
            }
            finishHeat()
        } catch { fail(error) }
    }

    /// The map from the current figures: hotspot scores (over live measures too, so they follow every reload)
    /// and the drawn model.
    private func finishHeat() {
        if state.map.hotspot {
            let cells = state.map.gridCells
            if neighbours.count != cells.count { neighbours = Hotspot.gridNeighbours(rows: cells.map(\.row), cols: cells.map(\.col)) }
            let measure = state.map.measure
            let values = cells.map { cell in
                measure.usesWindow ? state.map.windowValues[cell.code] ?? 0 : state.map.measures[cell.code].map(measure.value) ?? 0
            }
            let z = Hotspot.getisOrdGiStar(values: values, neighbours: neighbours)
            state.map.zScores = Dictionary(uniqueKeysWithValues: zip(cells.map(\.code), z))
        }
        MapData.rebuildModel(&state)
    }

    /// What is on screen, to a file: the evaluation board, or the queue's rows; Markdown or CSV by extension.
    func export(to path: String) {
        let markdown = path.lowercased().hasSuffix(".md")
        var header: [String]
        var rows: [[String]]
        if state.queue.mode == .evaluation, let report = state.evaluation.report {
            (header, rows) = EvaluationExport.table(report, full: false)
        } else {
            header = ["id", "state", "category", "cell", "department", "deadline", "due_state"]
            rows = state.queue.entries.map { e in
                let c = e.serviceCase
                return [String(c.id), c.state.rawValue, c.categoryCode, c.cellCode, c.departmentCode ?? "",
                        c.deadline.map { InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).string($0) } ?? "",
                        c.dueState(at: state.now)?.rawValue ?? ""]
            }
        }
        let text: String
        if markdown {
            text = EvaluationExport.markdownTable(header, rows).joined(separator: "\n") + "\n"
        } else {
            text = CSVText.table([header] + rows, ending: "\n")
        }
        // The same rule as the command line's outputs (`OutputTarget`): a device or FIFO is written through, never
        // replaced; a regular file through a renamed temporary file. Standard output is the screen: refused.
        let expanded = (path as NSString).expandingTildeInPath
        let target = try? OutputTarget.resolve(expanded)
        if target == .standardOutput {
            state.status = StatusMessage(text: state.lang.t("请给出导出文件名", "name a file to export to"), kind: .error)
            return
        }
        if case .folder = target {
            state.status = StatusMessage(text: state.lang.t("\(path) 是文件夹，请给出文件名", "\(path) is a folder, not a file"), kind: .error)
            return
        }
        do throws(WorkflowError) {
            let file = try OutputFile(path: expanded, interactive: true)
            try file.write(text)
            try file.commit()
            state.status = StatusMessage(text: state.lang.t("已导出 \(rows.count) 行到 \(path)", "exported \(rows.count) rows to \(path)"), kind: .ok)
        } catch {
            var reason: String
            switch error {
            case .storage(let message), .invalidInput(let message), .forbidden(let message), .wrongState(let message), .notFound(let message):
                reason = message
            }
            if reason.hasPrefix("cannot write \(expanded): ") { reason.removeFirst("cannot write \(expanded): ".count) }
            state.status = StatusMessage(text: state.lang.t("无法写入 \(path)：", "cannot write \(path): ") + reason, kind: .error)
        }
    }

    // MARK: Bulk actions

    /// One form for several marked cases; the submit is one transaction, all or none.
    func openBulkForm(_ action: CaseAction, _ ids: [Int64]) {
        if writesRefused() { return }
        do {
            guard let first = ids.first else { return }
            let c = try store.serviceCase(first)
            let area = try store.cellPlace(c.cellCode).patrolAreaID ?? ""
            let workload = action == .reassign ? try store.workload(for: state.viewer, case: first, at: clock()) : nil
            var form = FormBuilder.make(action, for: c, state: state, inspectors: inspectorsByArea[area] ?? [], workload: workload)
            form.bulkIDs = ids
            form.preview = state.lang.t("批量：\(ids.count) 件案件，全部成功或全部不变", "bulk: \(ids.count) cases, all or none")
            state.form = form
        } catch { fail(error) }
    }

    private func submitBulk(_ form: FormState, ids: [Int64]) {
        let request = form.request(actor: state.viewer.login)
        let bulk = BulkRequest(action: form.action, selection: .ids(ids), actor: state.viewer.login, target: request.target, note: request.note)
        guard let writeNow = writeClock() else { return }
        do {
            let result = try store.performBulk(bulk, at: writeNow)
            state.form = nil
            state.queue.marked = []
            let undo = result.undoable ? state.lang.t("（u 撤销）", " (u undoes)") : ""
            state.status = StatusMessage(text: state.lang.t("批量\(state.lang.action(form.action.rawValue))：\(result.after.count) 件\(undo)",
                                                            "bulk \(form.action.rawValue): \(result.after.count) cases\(undo)"), kind: .ok)
            reload()
        } catch {
            // Nothing was written; the refusing case is named.
            state.status = StatusMessage(text: error.description, kind: .error)
        }
    }

    func undoBulk() {
        if writesRefused() { return }
        guard let writeNow = writeClock() else { return }
        do {
            let result = try store.undoLastBulk(by: state.viewer.login, at: writeNow)
            state.status = StatusMessage(text: state.lang.t("已撤销批量\(state.lang.action(result.action.rawValue))：\(result.after.count) 件",
                                                            "undid bulk \(result.action.rawValue): \(result.after.count) cases"), kind: .ok)
            reload()
        } catch {
            state.status = StatusMessage(text: error.description, kind: .error)
        }
    }

    func submit() {
        guard let form = state.form else { return }
        if writesRefused() { return }
        if let ids = form.bulkIDs { return submitBulk(form, ids: ids) }
        if form.isNewReport { return submitReport(form) }
        let request = form.request(actor: state.viewer.login)
        guard let writeNow = writeClock() else { return }
        do {
            let after = try store.perform(request, at: writeNow)
            state.form = nil
            state.status = StatusMessage(text: state.lang.t("案件 \(after.id)：\(state.lang.action(form.action.rawValue)) → \(state.lang.state(after.state.rawValue))",
                                                            "case \(after.id): \(form.action.rawValue) → \(after.state.rawValue)"), kind: .ok)
            reload()
        } catch {
            // The form stays open with its input; the refusal is the status line, word for word.
            state.status = StatusMessage(text: error.description, kind: .error)
        }
    }

    // MARK: Command line

    func runCommand(_ text: String) {
        switch ConsoleCommandParser.parse(text, actor: state.viewer.login) {
        case .failure(let error):
            state.status = StatusMessage(text: ":" + error.message, kind: .error)
        case .success(let command):
            execute(command)
        }
    }

    func execute(_ command: TypedCommand) {
        switch command {
        case .quit:
            run(ConsoleUpdate.perform(.quit, &state))
        case .help:
            state.overlay = .help
        case .undo:
            undoBulk()
        case .inbox:
            do {
                let format = InstantFormat(timeZone: try store.context().calendar.timeZone)
                let items = try store.inbox(for: state.viewer, at: clock())
                guard !items.isEmpty else {
                    state.status = StatusMessage(text: state.lang.t("没有待审批的申请", "no pending requests"), kind: .info)
                    return
                }
                state.overlay = .inbox(items.map { item in
                    let effect = item.approved?.deadline.map { state.lang.t("批准后期限 ", "if approved, due ") + format.short($0) }
                        ?? item.approved.map { state.lang.t("批准后 ", "if approved → ") + state.lang.state($0.state.rawValue) }
                        ?? item.previewError ?? ""
                    let kind = state.lang.action("request-" + item.request.kind.rawValue) + (item.request.hours.map { " \(Int($0))h" } ?? "")
                    return InboxLine(caseID: item.serviceCase.id,
                                     text: "#\(item.serviceCase.id) \(kind) \(item.requestedBy ?? "") “\(item.request.note)” · \(effect)")
                }, selected: 0)
            } catch { fail(error) }
        case .handover:
            do {
                let h = try store.handover(for: state.viewer, since: nil, at: clock())
                let format = InstantFormat(timeZone: try store.context().calendar.timeZone)
                state.overlay = .document(title: state.lang.t(" 交接班 ", " Shift handover "), lines: HandoverCommand.lines(h, format: format), scroll: 0)
            } catch { fail(error) }
        case .roles:
            if let refusal = ConsoleUpdate.operatorSwitchRefusal(state) {
                state.status = StatusMessage(text: refusal, kind: .error)
                return
            }
            let current = roleChoices.firstIndex { $0.id == state.viewer.id } ?? 0
            state.overlay = .roleSwitcher(roleChoices, selected: current)
        case .openCase(let id):
            state.focus = .detail
            loadDetail(id)
            if let error = state.detail.error { state.status = StatusMessage(text: error, kind: .error) }
        case .filterText(let text):
            state.queue.filter.text = text
            run(ConsoleUpdate.resetAndReload(&state))
        case .filterState(let s):
            state.queue.filter.states = [s]
            run(ConsoleUpdate.resetAndReload(&state))
        case .filterOverdue:
            state.queue.filter.overdueOnly = true
            run(ConsoleUpdate.resetAndReload(&state))
        case .filterDistrict(let code):
            state.queue.filter.region = code
            run(ConsoleUpdate.resetAndReload(&state))
        case .filterCategory(let text):
            do {
                state.queue.filter.category = try CityStore.parseCategory(text, defaultKind: .event)
                run(ConsoleUpdate.resetAndReload(&state))
            } catch { fail(error) }
        case .clearFilter:
            run(ConsoleUpdate.perform(.clearFilters, &state))
        case .sort(let column, let ascending):
            state.queue.sort = column
            state.queue.ascending = ascending
            run(ConsoleUpdate.resetAndReload(&state))
        case .theme(let name):
            setTheme(name)
        case .language(let lang):
            state.lang = lang
            MapData.rebuildModel(&state)
        case .measure(let m):
            state.map.measure = m
            loadHeat()
        case .measureCategory(let text):
            do {
                state.map.category = try CityStore.parseCategory(text, defaultKind: .event)
                state.map.measure = .category
                loadHeat()
            } catch { fail(error) }
        case .board(let grouping):
            state.evaluation.grouping = grouping
            state.queue.mode = .evaluation
            state.focus = .queue
            loadHeat()
        case .export(let path):
            export(to: path)
        case .switchOperator(let login):
            switchOperator(login)
        case .action(let request):
            if writesRefused() { return }
            guard let writeNow = writeClock() else { return }
            do {
                let after = try store.perform(request, at: writeNow)
                state.status = StatusMessage(text: state.lang.t("案件 \(after.id)：\(state.lang.action(request.action.rawValue)) → \(state.lang.state(after.state.rawValue))",
                                                                "case \(after.id): \(request.action.rawValue) → \(after.state.rawValue)"), kind: .ok)
                reload()
            } catch { fail(error) }
        }
    }

    func setTheme(_ name: String) {
        let result = Theme.load(nameOrPath: name, searchDirectories: ThemeFiles.searchDirectories())
        theme = result.theme
        state.themeName = name
        if let problem = result.problem {
            state.status = StatusMessage(text: "\(problem)", kind: .error)
        } else {
            state.status = StatusMessage(text: state.lang.t("主题：\(name)", "theme: \(name)"), kind: .ok)
        }
        state.redrawRequested = true
    }

    func switchOperator(_ login: String) {
        if let refusal = ConsoleUpdate.operatorSwitchRefusal(state) {
            state.status = StatusMessage(text: refusal, kind: .error)
            return
        }
        do {
            let op = try store.findOperator(login)
            let keep = (state.lang, state.themeName, state.demo, state.width, state.height, state.colorDepth, state.commandHistory, state.access)
            state = ConsoleState(viewer: op, lang: keep.0)
            (state.themeName, state.demo, state.width, state.height, state.colorDepth, state.commandHistory, state.access) = (keep.1, keep.2, keep.3, keep.4, keep.5, keep.6, keep.7)
            state.readOnly = store.access.readOnlyReason
            state.fileProblem = store.fileProblem()
            firstLoad = true
            simulator?.setExcluded(op.id)
            try loadReference()
            reload()
            state.status = StatusMessage(text: state.lang.t("现在以 \(op.name)（\(state.lang.role(op.role.rawValue))）的视角查看",
                                                            "now seeing as \(op.login) (\(op.role.rawValue))"), kind: .ok)
        } catch { fail(error) }
    }

    // MARK: Drawing

    func render() -> ScreenBuffer {
        ConsoleRender.render(&state, theme: theme)
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
