import Curses
import Foundation
import Workflow

/// The other half of update: what the effect runner found comes back here as a message, and the `:` commands are
/// turned into state changes and requests. Pure, like the key half: no store, no terminal, no clock.
extension ConsoleUpdate {

    // MARK: Messages

    static func receive(_ message: ConsoleMessage, _ s: inout ConsoleState) -> [Effect] {
        switch message {
        case .reloaded(let reading, let live, let followSelection):
            s.now = reading.at
            s.lastRefresh = reading.at
            let wasWaitingOnMe = s.queue.selected < s.queue.counts.needsMyAction
            s.queue.counts = reading.counts
            if let board = reading.board {
                s.queue.boardInfo = Dictionary(board.map { ($0.serviceCase.id, (ratio: $0.reading.ratioText, responsible: $0.responsible)) },
                                               uniquingKeysWith: { a, _ in a })
                s.queue.risks = Dictionary(board.compactMap { e in e.risk.flatMap { $0.atRisk ? (e.serviceCase.id, $0) : nil } },
                                           uniquingKeysWith: { a, _ in a })
                s.queue.boardReadings = Dictionary(board.map { ($0.serviceCase.id, $0.reading) }, uniquingKeysWith: { a, _ in a })
                s.queue.boardRows = OverdueBoardView.sorted(board.map { QueueEntry(serviceCase: $0.serviceCase, needsMyAction: false) }, s)
            }
            s.reach = reading.reach
            s.map.measures = reading.measures
            s.queue.selected = min(s.queue.selected, max(0, s.queue.total - 1))
            if followSelection {
                // After the operator's own action the cursor does not chase the case it moved: it lands on the next row
                // that waits on them (the one that took its place), or the last such row.
                s.detail.followsSelection = true
                s.queue.selectionID = nil
                if wasWaitingOnMe, reading.counts.needsMyAction > 0 {
                    s.queue.selected = min(s.queue.selected, reading.counts.needsMyAction - 1)
                }
            }
            var effects: [Effect] = s.queue.mode == .queue ? QueueArrivals.received(reading.needs, &s) : []
            if let layer = s.map.components { effects.append(.loadComponents(classCode: layer.classCode)) }
            if s.queue.mode == .followUps { effects.append(.loadFollowUps) }
            if s.queue.mode == .patrol { effects.append(.loadPatrolBoard) }
            if s.map.measure.usesWindow || s.map.hotspot || s.queue.mode == .evaluation {
                effects.append(.loadHeat(live: live))
            } else {
                MapData.rebuildModel(&s)
            }
            return effects + window(thenDetail: true, &s)
        case .windowLoaded(let window, let thenDetail):
            s.queue.entries = window.entries
            s.queue.windowStart = window.start
            if let risks = window.risks { s.queue.risks = risks }
            s.queue.duplicates = window.duplicates
            // The selected case stays selected wherever it moved.
            if let id = s.queue.selectionID, s.queue.selectedEntry?.serviceCase.id != id,
               let found = s.queue.entries.firstIndex(where: { $0.serviceCase.id == id }) {
                s.queue.selected = s.queue.windowStart + found
                keepSelectionVisible(&s)
            }
            s.queue.selectionID = s.queue.selectedEntry?.serviceCase.id
            guard thenDetail else { return [] }
            // After an action the case pane shows the highlighted row's case, whatever has the focus.
            if s.detail.followsSelection { s.detail.pinnedID = nil }
            s.detail.followsSelection = false
            return [.loadDetail(CasePane.caseID(s))]
        case .detailLoaded(let id, let result, let announce):
            s.queue.selectionID = s.queue.selectedEntry?.serviceCase.id ?? s.queue.selectionID
            guard let id else {
                s.detail = DetailState()
                return []
            }
            // A case the pane no longer shows (the cursor moved on since it was asked for) is dropped.
            guard id == CasePane.caseID(s) else { return [] }
            if s.detail.caseID != id { s.detail.scroll = 0 }
            s.detail.caseID = id
            switch result {
            case .success(let detail):
                s.detail.detail = detail
                s.detail.error = nil
                // The selected case's cell is marked; the cursor follows it only while the map is not being navigated.
                if s.focus == .map {
                    s.map.view.highlighted = detail.serviceCase.cellCode
                } else {
                    s.map.view = s.map.view.highlighting(detail.serviceCase.cellCode, in: s.map.model)
                }
            case .failure(let error):
                s.detail.detail = nil
                s.detail.error = s.lang.describe(error)
                if announce { s.status = StatusMessage(text: s.lang.describe(error), kind: .error) }
            }
            return []
        case .heatLoaded(let reading):
            if let reading {
                s.map.windowText = reading.windowText
                s.map.windowValues = reading.values
                s.map.windowFigures = reading.figures ?? reading.values.mapValues(GridFigure.count)
                s.map.windowPeriod = reading.period
                if let report = reading.report { s.evaluation.report = report }
            }
            finishHeat(&s)
            return []
        case .referenceLoaded(let r):
            applyReference(r, &s)
            return []
        case .operatorFound(let op):
            // The city as another operator sees it: a fresh state, keeping the screen's settings.
            var next = ConsoleState(viewer: op, lang: s.lang)
            (next.themeName, next.demo, next.width, next.height, next.colorDepth, next.commandHistory, next.access) =
                (s.themeName, s.demo, s.width, s.height, s.colorDepth, s.commandHistory, s.access)
            next.now = s.now
            next.filterHistory = s.filterHistory
            next.status = StatusMessage(text: s.lang.t("现在以 \(op.name)（\(s.lang.role(op.role.rawValue))）的视角查看",
                                                       "now seeing as \(op.login) (\(op.role.rawValue))"), kind: .ok)
            s = next
            return [.loadReference, .reload()]
        case .formData(let action, let c, let area, let workload, let bulk, let onDuty):
            if bulk == nil, let refusal = Lifecycle.precondition(of: action, on: c, by: s.viewer, rules: s.siteRules) {
                s.status = StatusMessage(text: "\(s.lang.action(action.rawValue)) \(c.id): \(s.lang.reason(refusal))", kind: .error)
                return []
            }
            // Those on duty for the cell (by the roster) first, the first of them chosen; then the area's own.
            let rostered = onDuty.compactMap { id in s.inspectors.first { $0.id == id } }
            let inspectors = rostered + s.inspectors.filter { ($0.patrolAreaID ?? "") == area && !onDuty.contains($0.id) }
            var form = FormBuilder.make(action, for: c, state: s, inspectors: inspectors, workload: workload)
            if let ids = bulk {
                form.bulkIDs = ids
                form.preview = s.lang.t("批量：\(ids.count) 件案件，全部成功或全部不变", "bulk: \(ids.count) cases, all or none")
                s.form = form
                return []
            }
            s.form = form
            return resolve([.preview], &s)
        case .reportFormAllowed:
            // The place is taken from the map's cursor only where the operator put it (the map has the keyboard), and
            // the form says so; never from the selected row.
            let cell = s.focus == .map ? s.map.view.cellUnderCursor(s.map.model)?.code : nil
            s.form = FormBuilder.newReport(state: s, cellNames: s.map.cellNames, preselectedCell: cell)
            return resolve([.preview], &s)
        case .previewed(let result):
            guard var form = s.form, form.bulkIDs == nil else { return [] }
            switch result {
            case .success(let after):
                form.previewIsError = false
                if let deadline = after.deadline {
                    let format = InstantFormat(timeZone: s.timeZone)
                    form.preview = s.lang.t("→ \(s.lang.state(after.state.rawValue))，期限 \(format.short(deadline))",
                                            "→ \(after.state.rawValue), due \(format.short(deadline))")
                } else {
                    form.preview = "→ " + s.lang.state(after.state.rawValue)
                }
            case .failure(let error) where FormCheck.isMissingInput(error):
                // Not filled in yet: nothing to say before the operator has typed; the submit checks it, in words.
                form.previewIsError = false
                form.preview = nil
            case .failure(let error):
                form.previewIsError = true
                form.preview = s.lang.describe(error)
            }
            s.form = form
            return []
        case .duplicates(let result):
            guard var form = s.form else { return [] }
            switch result {
            case .success(let candidates) where candidates.isEmpty:
                form.preview = s.lang.t("附近没有同类未结案件", "no open case of this category nearby")
                form.previewIsError = false
            case .success(let candidates):
                var lines = [s.lang.t("可能重复：\(candidates.count) 件（保存后可合并）", "possible duplicates: \(candidates.count) (merge after saving)")]
                for c in candidates.prefix(3) {
                    let place = c.cellDistance == 0 ? s.lang.t("同一网格", "same cell") : s.lang.t("相邻网格", "next cell")
                    lines.append("  #\(c.serviceCase.id) \(s.lang.state(c.serviceCase.state.rawValue)) · \(place) · \(DueText.age(c.serviceCase, now: s.now)) · \(c.serviceCase.description)")
                }
                form.preview = lines.joined(separator: "\n")
                form.previewIsError = false
            case .failure(let error):
                form.preview = s.lang.describe(error)
                form.previewIsError = true
            }
            s.form = form
            return []
        case .acted(let after, let action, let fromForm):
            if fromForm { s.form = nil }
            s.queue.ownWrites.insert(after.id)
            s.status = StatusMessage(text: s.lang.t("案件 \(after.id)：\(s.lang.action(action.rawValue)) → \(s.lang.state(after.state.rawValue))",
                                                    "case \(after.id): \(action.rawValue) → \(after.state.rawValue)"), kind: .ok)
            // A decision made from the inbox: back to the inbox, on the next request.
            if fromForm, s.inboxReturn != nil, action == .approve || action == .refuse { return [.reload(followSelection: true), .loadInbox] }
            return [.reload(followSelection: true)]
        case .reported(let made):
            s.form = nil
            if let line = made.line { s.lastHotlineLine = line }
            s.queue.ownWrites.insert(made.id)
            s.status = StatusMessage(text: s.lang.t("已上报，案件 \(made.id)", "reported as case \(made.id)"), kind: .ok)
            // The new case is selected, so the next key (a merge into a duplicate, a verify) acts on it.
            return [.reload(), .selectCase(made.id)]
        case .bulkDone(let action, let count, let undoable):
            s.form = nil
            s.queue.ownWrites.formUnion(s.queue.marked)
            s.queue.marked = []
            let undo = undoable ? s.lang.t("（u 撤销）", " (u undoes)") : ""
            s.status = StatusMessage(text: s.lang.t("批量\(s.lang.action(action.rawValue))：\(count) 件\(undo)",
                                                    "bulk \(action.rawValue): \(count) cases\(undo)"), kind: .ok)
            return [.reload(followSelection: true)]
        case .undone(let action, let count):
            s.status = StatusMessage(text: s.lang.t("已撤销批量\(s.lang.action(action.rawValue))：\(count) 件",
                                                    "undid bulk \(action.rawValue): \(count) cases"), kind: .ok)
            return [.reload(followSelection: true)]
        case .inboxLoaded(let items):
            let back = s.inboxReturn
            s.inboxReturn = nil
            guard !items.isEmpty else {
                let none = s.lang.t("没有待审批的申请", "no pending requests")
                // Back from a decision: what was done stays said.
                s.status = back != nil && s.status?.kind == .ok ? StatusMessage(text: s.status!.text + " · " + none, kind: .ok)
                    : StatusMessage(text: none, kind: .info)
                return []
            }
            let format = InstantFormat(timeZone: s.timeZone)
            s.overlay = .inbox(items.map { item in
                let effect = item.approved?.deadline.map { s.lang.t("批准后期限 ", "if approved, due ") + format.short($0) }
                    ?? item.approved.map { s.lang.t("批准后 ", "if approved → ") + s.lang.state($0.state.rawValue) }
                    ?? item.previewError ?? ""
                let kind = s.lang.action("request-" + item.request.kind.rawValue) + (item.request.hours.map { " \(Int($0))h" } ?? "")
                // A request this operator may not decide says who may; O and Z on it say so too.
                let who = item.canDecide ? nil : decider(of: item.serviceCase, s)
                return InboxLine(caseID: item.serviceCase.id,
                                 text: "#\(item.serviceCase.id) \(kind) \(item.requestedBy ?? "") “\(item.request.note)” · \(effect)"
                                    + (who.map { " · [\($0)]" } ?? ""),
                                 decider: who)
            }, selected: min(back ?? 0, items.count - 1))
            return []
        case .handoverLoaded(let handover):
            s.overlay = .document(title: s.lang.t(" 交接班 ", " Shift handover "),
                                  lines: s.lang.handoverLines(handover, format: InstantFormat(timeZone: s.timeZone)), scroll: 0)
            return []
        case .themeLoaded(let name, let problem):
            s.themeName = name
            s.status = problem.map { StatusMessage(text: s.lang.t("主题有问题（\($0)）", $0), kind: .error) } ?? StatusMessage(text: s.lang.t("主题：\(name)", "theme: \(name)"), kind: .ok)
            s.redrawRequested += 1
            return []
        case .unlocked:
            s.lock = nil
            s.redrawRequested += 1
            return [.reload()]
        case .unlockRefused(let refusal):
            guard var lock = s.lock else { return [] }
            SignInUpdate.refused(&lock, refusal)
            s.lock = lock
            return []
        case .locked(let hasPassword):
            // Everything behind the lock is kept; signing back in resumes it.
            if s.lock == nil { s.lock = SignInState.locked(login: s.viewer.login, hasPassword: hasPassword) }
            return []
        case .operatorDisabled:
            s.closing = .operatorDisabled
            s.shouldQuit = true
            s.form = nil
            return []
        case .fileProblem(let problem, let refusingWrite):
            if s.fileProblem == nil { s.fileProblem = problem }
            if refusingWrite, let found = s.fileProblem {
                s.status = StatusMessage(text: StoreNotice.refusal(found, s.lang), kind: .error)
            }
            return []
        case .simulatorNote(let note):
            s.simulatorNote = note
            return []
        case .clock(let now, let uptime):
            s.now = now
            MessageLog.tick(uptime, &s)
            return []
        case .status(let message):
            s.status = message
            return []
        case .exportAsks(let request): return exportAsks(request, &s)
        case .failed(let error):
            s.status = StatusMessage(text: s.lang.describe(error), kind: .error)
            return []
        case .bulkRefused(let refusal):
            s.status = StatusMessage(text: s.lang.describe(refusal), kind: .error)
            return []
        case .caseSelected(let id, let position): return caseSelected(id, position: position, &s)
        case .bulkChecked(let bulk, let action, let refusals): return bulkChecked(bulk, action: action, refusals: refusals, &s)
        case .reassignForm(let c, let choices, let bulk): return reassignForm(c, choices, bulk: bulk, &s)
        case .nearbyComponents(let cell, let classCode, let components):
            // Only for the form as it still is: the same class and cell.
            guard var form = s.form, form.isNewReport, let draft = form.draft(), draft.cellCode == cell, draft.categoryCode == classCode,
                  let i = form.fields.firstIndex(where: { $0.key == "component" }) else { return [] }
            form.fields[i].options = ComponentWording.intakeOptions(components, cell: cell, lang: s.lang)
            form.fields[i].selected = 0
            s.form = form
            return []
        case .componentsLoaded(let counts):
            s.map.componentCounts = counts
            MapData.rebuildModel(&s)
            return []
        case .routedForm(let action, let c, let routing, let suggested):
            let effects = receive(.formData(action, c, patrolArea: "", workload: nil, bulk: nil), &s)
            if var form = s.form, form.caseID == c.id, form.action == action {
                FormBuilder.showRouting(&form, routing: routing, suggested: suggested, lang: s.lang)
                s.form = form
            }
            return effects
        case .mergeForm(let c, let candidates): return mergeForm(c, candidates, &s)
        case .followUpsLoaded(let result): return FollowUpBoardUpdate.loaded(result, &s)
        case .followUpFormData(let action, let item, let c): return FollowUpBoardUpdate.formData(action, item, c, &s)
        case .followUpDone(let action, let result): return FollowUpBoardUpdate.done(action, result, &s)
        case .patrolBoardLoaded(let result): return PatrolBoardUpdate.loaded(result, &s)
        case .censusFormData(let reports, let requested): return PatrolBoardUpdate.formData(reports, requested: requested, &s)
        case .censusRecorded(let record): return PatrolBoardUpdate.recorded(record, &s)
        }
    }

    /// The reference data into the state: names, the grid, who the demo's role switcher offers.
    static func applyReference(_ r: ConsoleReference, _ s: inout ConsoleState) {
        s.categories = r.categories
        s.hotlineLines = r.hotlineLines
        s.departments = r.departments
        s.centers = r.centers
        s.siteRules = r.siteRules
        s.timeZone = r.timeZone
        s.readOnly = r.readOnly
        s.access = r.access
        if s.fileProblem == nil { s.fileProblem = r.fileProblem }
        s.bellEnabled = r.bellEnabled
        s.inspectors = r.operators.filter { $0.role == .inspector && s.viewer.canSee(district: CellCode.district(of: $0.patrolAreaID ?? "")) }
        if let center = s.centers.first(where: { $0.id == s.viewer.centerID }) {
            s.centerName = s.lang.t(center.nameZh, center.nameEn)
        } else if let dept = s.departments.first(where: { $0.code == s.viewer.departmentCode }) {
            s.centerName = s.lang.t(dept.nameZh, dept.nameEn) + " " + s.viewer.regionCode
        } else {
            s.centerName = s.viewer.regionCode
        }
        s.map.gridCells = r.gridCells
        s.map.cellNames = r.cellNames
        s.map.regionNamesEn = r.regionNamesEn
        s.map.neighbours = []
        var choices = roleChoices(r.operators)
        // Offer an inspector who has a verify or check task waiting, so that view is not empty.
        if let busy = r.busyInspector, let inspector = r.operators.first(where: { $0.id == busy }),
           let slot = choices.firstIndex(where: { $0.role == .inspector }) {
            choices[slot] = inspector
        }
        s.roleChoices = choices
    }

    /// One operator per role and tier, the ones with work waiting first: what the demo's role switcher offers.
    static func roleChoices(_ operators: [Operator]) -> [Operator] {
        let wanted = ["city-dispatcher-1", "110101-dispatcher-1", "city-intake-1", "110101-intake-1", "city-lead-1", "110101-lead-1",
                      "sanit-110101", "enforce-110101", "110101-insp-001", "city-supervisor", "110101-supervisor"]
        return wanted.compactMap { login in operators.first { $0.login == login } }
    }

    /// The map from the current figures: hotspot scores (over live measures too, so they follow every reload) and the
    /// drawn model.
    static func finishHeat(_ s: inout ConsoleState) {
        if s.map.hotspot {
            if s.map.neighbours.count != s.map.gridCells.count { s.map.neighbours = CellHotspots.neighbours(of: s.map.gridCells) }
            let measure = s.map.measure, map = s.map
            s.map.zScores = CellHotspots.zScores(cells: map.gridCells, neighbours: map.neighbours) { code in
                measure.usesWindow ? map.windowValues[code] ?? 0 : map.measures[code].map(measure.value) ?? 0
            }
        }
        MapData.rebuildModel(&s)
    }

    /// The rows around the selection, unless they are at hand (the overdue board is read whole).
    static func window(thenDetail: Bool, _ s: inout ConsoleState) -> [Effect] {
        if s.queue.mode == .board {
            return receive(.windowLoaded(QueueWindow(start: 0, entries: s.queue.boardRows, risks: nil, duplicates: s.queue.duplicates),
                                         thenDetail: thenDetail), &s)
        }
        return [.loadWindow(around: s.queue.selected, thenDetail: thenDetail)]
    }

    static func keepSelectionVisible(_ s: inout ConsoleState) {
        let q = s.queue
        if q.selected < q.scroll { s.queue.scroll = q.selected }
        if q.selected >= q.scroll + q.pageRows { s.queue.scroll = q.selected - q.pageRows + 1 }
    }

    // MARK: Layout

    /// Layout facts from the frame's size: the queue's rows per page and scroll, and the map fitted to its pane the
    /// first time it has cells. Run after every change, before drawing; render only reads them.
    static func settle(_ s: inout ConsoleState) {
        let layout = ConsoleLayout(width: s.width, height: s.height)
        guard !layout.tooSmall else { return }
        let queue = layout.queuePane(focus: s.focus).inset(by: 1)
        if queue.height >= 1, queue.width >= 4 {
            s.queue.pageRows = max(1, queue.height - 1)
            if s.queue.total > 0 { keepSelectionVisible(&s) }
        }
        let map = layout.mapPane(focus: s.focus).inset(by: 1)
        if !s.map.fitted, !s.map.model.cells.isEmpty, map.width > 0, map.height > 0 {
            s.map.view = MapViewState(model: s.map.model, fitting: map, highlighted: s.map.view.highlighted)
            s.map.fitted = true
        }
    }

    /// A new frame size: the map is fitted again, and a taller pane gets a bigger window of rows.
    static func resized(width: Int, height: Int, _ s: inout ConsoleState) -> [Effect] {
        let grew = width * height > s.width * s.height
        s.width = width
        s.height = height
        s.map.fitted = false
        settle(&s)
        return grew ? [.loadWindow(around: s.queue.selected)] : []
    }

    // MARK: Intents into requests

    /// Forms and the command line ask in intents (`.preview`, `.submit`, `.runCommand`); these become the requests
    /// the runner carries out.
    static func resolve(_ effects: [Effect], _ s: inout ConsoleState) -> [Effect] {
        var out: [Effect] = []
        for effect in effects {
            switch effect {
            case .preview:
                guard let form = s.form, form.followUp == nil, form.census == nil else { continue }
                if form.isNewReport {
                    if let draft = form.draft() {
                        out.append(.previewReport(draft))
                        if draft.kind == .component { out.append(.loadNearbyComponents(cell: draft.cellCode, classCode: draft.categoryCode)) }
                    }
                } else if form.bulkIDs == nil {
                    out.append(.previewAction(form.request(actor: s.viewer.login)))
                }
            case .submit:
                guard let form = s.form else { continue }
                if let target = form.followUp {
                    out.append(FollowUpForm.submit(form, target))
                } else if let target = form.census {
                    if let draft = CensusForm.draft(form, target) { out.append(.recordCensus(draft)) }
                } else if let ids = form.bulkIDs {
                    // Every marked case is checked before anything is written (`.bulkChecked`).
                    let request = form.request(actor: s.viewer.login)
                    out.append(.checkBulk(BulkRequest(action: form.action, selection: .ids(ids), actor: s.viewer.login,
                                                      target: request.target, note: request.note), action: form.action))
                } else if form.isNewReport {
                    if let draft = form.draft() { out.append(.report(draft)) }
                } else {
                    out.append(.perform(form.request(actor: s.viewer.login), fromForm: true))
                }
            case .runCommand(let text):
                out += runCommand(text, &s)
            default:
                out.append(effect)
            }
        }
        return out
    }

    // MARK: Command line

    static func runCommand(_ text: String, _ s: inout ConsoleState) -> [Effect] {
        switch ConsoleCommandParser.parse(text, actor: s.viewer.login) {
        case .failure(let error):
            s.status = StatusMessage(text: s.lang.t("命令有误（:\(error.message)）", ":" + error.message), kind: .error)
            return []
        case .success(let command):
            return self.command(command, &s)
        }
    }

    /// A typed command: filters, sorting, measures and language change here; what needs the store is requested.
    static func command(_ command: TypedCommand, _ s: inout ConsoleState) -> [Effect] {
        // Over a shown document, `:export` writes the document and keeps it; any other command closes it first.
        if case .export(let path) = command, let effects = exportDocument(path: path, &s) { return effects }
        if case .document = s.overlay { s.overlay = nil }
        switch command {
        case .quit: return perform(.quit, &s)
        case .help:
            s.overlay = .help
            return []
        case .undo: return [.undoBulk]
        case .inbox: return [.loadInbox]
        case .handover: return [.loadHandover]
        case .roles:
            if let refusal = operatorSwitchRefusal(s) {
                s.status = StatusMessage(text: refusal, kind: .error)
                return []
            }
            let current = s.roleChoices.firstIndex { $0.id == s.viewer.id } ?? 0
            s.overlay = .roleSwitcher(s.roleChoices, selected: current)
            return []
        case .openCase(let id):
            return CasePane.open(id, &s)
        case .filterText(let text):
            s.queue.filter.text = text
            return resetAndReload(&s)
        case .filterState(let state):
            s.queue.filter.states = [state]
            return resetAndReload(&s)
        case .filterOverdue:
            s.queue.filter.overdueOnly = true
            return resetAndReload(&s)
        case .filterDistrict(let code):
            s.queue.filter.region = code
            return resetAndReload(&s)
        case .filterCategory(let text):
            do {
                s.queue.filter.category = try CategoryKey.parse(text, defaultKind: .event)
                return resetAndReload(&s)
            } catch {
                s.status = StatusMessage(text: s.lang.describe(error), kind: .error)
                return []
            }
        case .clearFilter: return perform(.clearFilters, &s)
        case .sort(let column, let ascending):
            s.queue.sort = column
            s.queue.ascending = ascending
            return resetAndReload(&s)
        case .theme(let name): return [.loadTheme(name)]
        case .language(let lang):
            s.lang = lang
            MapData.rebuildModel(&s)
            return []
        case .measure(let m):
            s.map.measure = m
            return [.loadHeat()]
        case .measureCategory(let text):
            do {
                s.map.category = try CategoryKey.parse(text, defaultKind: .event)
                s.map.measure = .category
                return [.loadHeat()]
            } catch {
                s.status = StatusMessage(text: s.lang.describe(error), kind: .error)
                return []
            }
        case .components(let classCode, let on):
            guard on else {
                s.map.components = nil
                MapData.rebuildModel(&s)
                return []
            }
            if let classCode, !s.categories.contains(where: { $0.kind == .component && $0.code == classCode }) {
                s.status = StatusMessage(text: s.lang.t("没有部件类别 \(classCode)", "no component class \(classCode)"), kind: .error)
                return []
            }
            s.map.componentClass = classCode
            s.map.components = ComponentLayer(show: s.map.components?.show ?? .faulty, classCode: classCode)
            MapData.rebuildModel(&s)
            return [.loadComponents(classCode: classCode)]
        case .followUps: return FollowUpBoardUpdate.show(&s)
        case .patrol: return PatrolBoardUpdate.toggle(&s)
        case .census(let id): return PatrolBoardUpdate.openForm(id, &s)
        case .board(let grouping):
            s.evaluation.grouping = grouping
            s.queue.mode = .evaluation
            s.focus = .queue
            return [.loadHeat()]
        case .export(let path):
            var request = exportTable(s)
            request.path = path
            return [.export(request, overwrite: false)]
        case .switchOperator(let login):
            if let refusal = operatorSwitchRefusal(s) {
                s.status = StatusMessage(text: refusal, kind: .error)
                return []
            }
            return [.switchOperator(login)]
        case .action(let request):
            return [.perform(request, fromForm: false)]
        }
    }

    /// What is on screen as a table: the evaluation board (its title and period first, its columns and rows in screen
    /// order), the follow-ups board's tasks, or the queue's rows (deadlines in the site's zone).
    static func exportTable(_ s: ConsoleState) -> ExportRequest {
        if s.queue.mode == .evaluation, let board = EvaluationBoardLayout(s) {
            let header = board.columns.map { $0.header.replacingOccurrences(of: "↓", with: "").replacingOccurrences(of: "↑", with: "") }
            return ExportRequest(path: "", preamble: [board.title, board.period], header: header, rows: board.rows)
        }
        let format = InstantFormat(timeZone: s.timeZone)
        if s.queue.mode == .followUps, let items = s.followUps.items {
            // The follow-ups board: whom to call by when, as `citygrid followups --json` names the fields.
            let rows = items.map { item in
                let f = item.followUp
                return [String(f.caseID), String(f.id), f.stage.rawValue, format.string(f.dueAt), f.isOverdue(at: s.now) ? "true" : "false",
                        f.contact.channel.rawValue, f.contact.address, f.reporterName ?? "", item.categoryCode, item.caseDescription]
            }
            return ExportRequest(path: "", header: ["case_id", "id", "stage", "due_at", "overdue", "channel", "contact", "reporter_name",
                                                    "category_code", "description"], rows: rows)
        }
        if s.queue.mode == .patrol, let reading = s.patrol.reading {
            // The patrol board: each census's areas (as `census report --json` names them), then the neglected cells.
            var rows: [[String]] = []
            for report in reading.censuses {
                for a in report.areas {
                    rows.append(["census", String(report.census.id), report.census.classCode, a.patrolArea, "", String(a.expected), String(a.surveyed),
                                 String(a.confirmed), String(a.corrected), String(a.retired), String(a.added), ""])
                }
            }
            for cell in reading.neglected.cells {
                rows.append(["neglected", "", "", cell.patrolArea ?? "", cell.cellCode, "", "", "", "", "", "", cell.lastVisit.map(format.string) ?? ""])
            }
            return ExportRequest(path: "", header: ["section", "census", "class", "patrol_area", "cell", "expected", "surveyed", "confirmed",
                                                    "corrected", "retired", "added", "last_visit"], rows: rows)
        }
        let rows = s.queue.entries.map { e in
            let c = e.serviceCase
            return [String(c.id), c.state.rawValue, c.categoryCode, c.cellCode, c.departmentCode ?? "",
                    c.deadline.map { format.string($0) } ?? "", c.dueState(at: s.now)?.rawValue ?? ""]
        }
        return ExportRequest(path: "", header: ["id", "state", "category", "cell", "department", "deadline", "due_state"], rows: rows)
    }
}
