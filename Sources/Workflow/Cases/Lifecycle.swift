import Foundation

/// The closed loop's rules: who may do what, from which state, and what the clocks do.
/// Pure: no database, no clock reads. The store resolves arguments, calls `apply`, and writes the result.
public enum Lifecycle {

    // MARK: New reports

    /// Opens a case for a new report. `reporter` is nil for a channel (web, app, sensor) with no operator.
    public static func report(_ draft: ReportDraft, id: Int64, cell: CellPlace, reporter: Operator?,
                              context: LifecycleContext, at now: Date) throws(WorkflowError) -> (ServiceCase, HistoryEntry) {
        let source: ReportSource
        if let reporter {
            switch reporter.role {
            case .inspector:
                if let asked = draft.source, asked != .inspector {
                    throw .forbidden("an inspector's report has source inspector, not \(asked.rawValue)")
                }
                source = .inspector
            case .intake:
                let asked = draft.source ?? .hotline
                guard asked != .inspector else {
                    throw .forbidden("source inspector is for inspectors' own reports; \(reporter.login) is intake")
                }
                source = asked
            default:
                throw .forbidden("report is for inspectors, intake operators and channels; \(reporter.login) is \(reporter.role.rawValue)")
            }
            guard reporter.canSee(district: cell.districtCode) else {
                throw .refusal(.cellOutsideRegion(cell: cell.code, district: cell.districtCode, login: reporter.login, region: reporter.regionCode))
            }
        } else {
            guard let asked = draft.source, asked != .inspector else {
                throw .invalidInput("a report without an operator needs a channel source (hotline, web, app, leader, sensor)")
            }
            source = asked
        }
        let line = try checkLine(draft.line, source: source, context: context)
        try draft.checkText()
        let category = try context.category(CategoryKey(kind: draft.kind, code: draft.categoryCode))
        try validateDescription(draft.description, context: context)

        var serviceCase = ServiceCase(
            id: id, state: .reported, kind: draft.kind, categoryCode: draft.categoryCode, cellCode: cell.code,
            communityCode: cell.communityCode, streetCode: cell.streetCode, districtCode: cell.districtCode,
            componentID: draft.componentID, source: source, description: draft.description, reportedAt: now,
            monitorCenterID: context.monitorCenter(forDistrict: cell.districtCode, reporter: reporter),
            commandCenterID: nil, departmentCode: nil, assigneeID: nil, confirmed: !source.needsConfirmation,
            urgent: category.urgent || draft.urgent, stageStartedAt: now, deadline: nil, warnAt: nil, budgetMinutes: 0,
            frozenRemainingMinutes: nil, handledLate: false, filedAt: nil, dispatchedAt: nil, handledAt: nil,
            closedAt: nil, closeType: nil, reworkCount: 0, returnCount: 0, extensionCount: 0, urgeCount: 0,
            escalated: false, pending: nil, lastEventAt: now, line: line)
        try startClock(&serviceCase, at: now, context: context)
        let entry = HistoryEntry(caseID: id, at: now, actorID: reporter?.id, role: reporter?.role,
                                 centerID: reporter?.centerID, action: "report", from: nil, to: .reported,
                                 target: cell.code, note: "source \(source.rawValue)" + (line.map { " line \($0)" } ?? ""), via: (reporter?.identifiedBy ?? .system).text)
        return (serviceCase, entry)
    }

    /// The hotline line a report names: only a hotline report names one, and it must be a line the site knows
    /// (`LifecycleContext.hotlineLines`: 12319, 96150 and the lines an administrator added). Nil when none is named.
    public static func checkLine(_ asked: String?, source: ReportSource, context: LifecycleContext) throws(WorkflowError) -> String? {
        guard let line = asked?.trimmedWhitespace, !line.isEmpty else { return nil }
        guard source == .hotline else { throw .refusal(.lineNotForSource(source)) }
        guard context.hotlineLines.contains(line) else { throw .refusal(.unknownLine(line, known: context.hotlineLines.sorted())) }
        return line
    }

    public static func validateDescription(_ text: String, context: LifecycleContext) throws(WorkflowError) {
        try validateDescription(text, maxBytes: context.maxDescriptionBytes)
    }

    /// The one rule for a report's description, whatever the channel (CLI, console, import, Open311): something
    /// visible (`ReportText`: a text of only white space and controls, a NUL among them, is empty), no NUL, at most
    /// the site's bytes.
    public static func validateDescription(_ text: String, maxBytes: Int) throws(WorkflowError) {
        guard !text.isBlank else { throw .refusal(.descriptionEmpty) }
        try ReportText.refuseNUL(text, field: "description")
        let bytes = text.utf8.count
        guard bytes <= maxBytes else { throw .refusal(.descriptionTooLong(bytes: bytes, limit: maxBytes)) }
    }

    // MARK: Actions on a case

    public static func apply(_ command: CaseCommand, note: String? = nil, to current: ServiceCase, by actor: Operator,
                             cellPatrolArea: String? = nil, onDuty: Set<Int64> = [], context: LifecycleContext,
                             at now: Date) throws(WorkflowError) -> Transition {
        var after = current
        let (entry, merged) = try apply(command, note: note, to: current, into: &after, by: actor, cellPatrolArea: cellPatrolArea,
                                        onDuty: onDuty, context: context, at: now)
        return Transition(after: after, entry: entry, mergedInto: merged)
    }

    /// The rules of `apply`, writing the case after the action into `after`, which must start as a copy of
    /// `current`; on a refusal `after` may be half changed and is to be dropped. For callers that apply many
    /// actions in a row (the demo seeder replays millions): one copy of the case per action instead of three.
    package static func apply(_ command: CaseCommand, note: String?, to current: ServiceCase, into after: inout ServiceCase, by actor: Operator,
                      cellPatrolArea: String?, onDuty: Set<Int64> = [], context: LifecycleContext,
                      at now: Date) throws(WorkflowError) -> (entry: HistoryEntry, merged: (after: ServiceCase, entry: HistoryEntry)?) {
        let action = command.action
        let id = current.id
        try checkPreconditions(of: action, on: current, by: actor, rules: context.rules)
        // A last change outside every time CityGrid accepts (TimeWindow.limits: a 9999-12-31 written before the window
        // existed, or by hand) is a wrong time, not a reason to freeze the case until then: later actions go ahead.
        guard now >= current.lastEventAt || !TimeWindow.isPlausible(current.lastEventAt) else {
            let format = InstantFormat(timeZone: context.calendar.timeZone)
            throw .invalidInput("case \(id) last changed at \(format.string(current.lastEventAt)); an action cannot be dated before it")
        }
        let trimmedNote = note?.trimmedWhitespace
        try checkNote(trimmedNote, of: action)

        var target: String?
        var merged: (after: ServiceCase, entry: HistoryEntry)?
        let late = current.isOverdue(at: now)

        switch command {
        case .accept:
            after.state = .accepted
            try startClock(&after, at: now, context: context)

        case .verify(let inspector), .check(let inspector):
            try checkInspector(inspector, patrolArea: cellPatrolArea, onDuty: onDuty, case: current)
            after.state = action == .verify ? .verifying : .checking
            after.assigneeID = inspector.id
            target = inspector.login
            try startClock(&after, at: now, context: context)

        case .confirm:
            after.state = .accepted
            after.confirmed = true
            after.assigneeID = nil
            try startClock(&after, at: now, context: context)

        case .invalid:
            after.state = .cancelled
            after.assigneeID = nil
            after.closedAt = now
            stopClock(&after)

        case .file(let newCategory, let department):
            if let newCategory {
                let category = try context.category(newCategory)
                after.kind = category.kind
                after.categoryCode = category.code
                after.urgent = category.urgent
            }
            let category = try context.category(after.categoryKey)
            let chosen = department ?? category.department
            try checkUnit(chosen, for: current, context: context)
            let center = context.commandCenterAtFiling(after)
            guard context.centers[center] != nil else {
                throw .storage("the site has no command center \(center) for a \(context.model.rawValue) model")
            }
            after.state = .filed
            after.departmentCode = chosen
            after.commandCenterID = center
            after.filedAt = now
            target = center
            try startClock(&after, at: now, context: context)

        case .reject, .cancel:
            after.state = .cancelled
            after.assigneeID = nil
            after.pending = nil
            after.closedAt = now
            stopClock(&after)

        case .merge(let survivor):
            guard survivor.id != id else { throw .invalidInput("case \(id) cannot be merged into itself") }
            guard actor.canSee(district: survivor.districtCode) else {
                throw .notFound("no case \(survivor.id) in \(actor.login)'s region \(actor.regionCode)")
            }
            guard survivor.state.isOpen else {
                throw .refusal(.survivorNotOpen(caseID: survivor.id, state: survivor.state))
            }
            guard now >= survivor.lastEventAt || !TimeWindow.isPlausible(survivor.lastEventAt) else {
                throw .invalidInput("case \(survivor.id) last changed after the requested time")
            }
            after.state = .cancelled
            after.assigneeID = nil
            after.closedAt = now
            stopClock(&after)
            target = String(survivor.id)
            var survivorAfter = survivor
            survivorAfter.lastEventAt = now
            let survivorEntry = HistoryEntry(caseID: survivor.id, at: now, actorID: actor.id, role: actor.role,
                                             centerID: actor.centerID, action: "merge", from: survivor.state,
                                             to: survivor.state, target: String(id),
                                             note: trimmedNote.map { "merged case \(id): \($0)" } ?? "merged case \(id)",
                                             via: actor.identifiedBy?.text)
            merged = (survivorAfter, survivorEntry)

        case .dispatchToDepartment(let code):
            try checkUnit(code, for: current, context: context)
            after.state = .dispatched
            after.departmentCode = code
            if after.dispatchedAt == nil { after.dispatchedAt = now }
            after.handledLate = false
            target = code
            try startClock(&after, at: now, context: context)

        case .dispatchToCenter(let center):
            try checkCityToDistrict(center, for: current, context: context, action: action)
            after.state = .filed
            after.commandCenterID = center.id
            target = center.id
            try startClock(&after, at: now, context: context)

        case .escalate:
            target = try escalateToCity(&after, context: context, at: now)

        case .handle:
            after.state = .handled
            after.handledAt = now
            after.handledLate = current.deadline.map { now > $0 } ?? false
            try startClock(&after, at: now, context: context)

        case .request(let kind, let hours):
            if let range = action.spec.hours {
                guard let hours, range.contains(hours) else { throw .refusal(.hoursOutOfRange(action, range)) }
            }
            after.pending = PendingRequest(kind: kind, hours: kind == .extension ? hours : nil,
                                           note: trimmedNote ?? "", requestedBy: actor.id, requestedAt: now)
            target = hours.map { "\(formatHours($0)) h" }

        case .approve:
            let pending = try pendingRequest(of: current, for: action)
            after.pending = nil
            target = pending.kind.rawValue
            switch pending.kind {
            case .return:
                after.state = .filed
                after.departmentCode = nil
                after.returnCount += 1
                try startClock(&after, at: now, context: context)
            case .extension:
                try extend(&after, hours: pending.hours ?? 0, at: now, context: context)
                after.extensionCount += 1
            case .suspension:
                after.state = .suspended
                after.frozenRemainingMinutes = remainingMinutes(of: current, at: now, context: context)
                after.deadline = nil
                after.warnAt = nil
            }

        case .refuse:
            let pending = try pendingRequest(of: current, for: action)
            after.pending = nil
            target = pending.kind.rawValue

        case .resume:
            after.state = .dispatched
            let remaining = current.frozenRemainingMinutes ?? 0
            let budget = try context.budget(waitingIn: .dispatched, for: current) ?? .working(minutes: 0)
            after.deadline = remaining > 0 ? try deadline(budget.with(minutes: remaining), from: now, context: context) : now
            after.frozenRemainingMinutes = nil
            try refreshWarning(&after, at: now, context: context)

        case .pass:
            after.state = .checked
            after.assigneeID = nil
            try startClock(&after, at: now, context: context)

        case .fail:
            after.state = .dispatched
            after.assigneeID = nil
            after.reworkCount += 1
            after.handledLate = false
            target = current.departmentCode
            try startClock(&after, at: now, context: context)

        case .close:
            after.state = .closed
            after.closedAt = now
            after.closeType = current.handledLate ? .overdue : .normal
            stopClock(&after)

        case .urge:
            after.urgeCount += 1

        case .prioritize:
            after.priority = true

        case .deprioritize:
            after.priority = false

        case .reassign(let to):
            target = try reassign(&after, to: to, cellPatrolArea: cellPatrolArea, onDuty: onDuty, context: context, at: now)

        case .returnToDistrict(let center):
            try checkCityToDistrict(center, for: current, context: context, action: action)
            after.state = .filed
            after.commandCenterID = center.id
            after.departmentCode = nil
            after.escalated = false
            target = center.id
            try startClock(&after, at: now, context: context)
        }

        after.lastEventAt = now
        let entry = HistoryEntry(caseID: id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                 action: action.rawValue, from: current.state, to: after.state, target: target,
                                 note: trimmedNote?.isEmpty == false ? trimmedNote : nil, late: late, via: actor.identifiedBy?.text)
        return (entry, merged)
    }

    /// Moves a case from its district command center to the city's, clearing any department and pending
    /// request; the dispatch clock restarts at the city. Shared by `escalate` and automatic escalation.
    static func escalateToCity(_ c: inout ServiceCase, context: LifecycleContext, at now: Date) throws(WorkflowError) -> String {
        guard let holder = context.centers[c.commandCenterID ?? ""], holder.tier == .district else {
            throw .refusal(.onlyDistrictEscalates(caseID: c.id, holder: c.commandCenterID))
        }
        let city = Center.id(kind: .command, tier: .city, district: nil)
        guard context.model.hasCityCommand, context.centers[city] != nil else { throw .refusal(.noCityCommand(context.model)) }
        c.state = .filed
        c.commandCenterID = city
        c.departmentCode = nil
        c.pending = nil
        c.escalated = true
        try startClock(&c, at: now, context: context)
        return city
    }

    /// The new holder gets a fresh clock for the stage (the history row is marked late if the old one had
    /// run out, so the evaluation still counts the lateness against the stage).
    static func reassign(_ c: inout ServiceCase, to target: ReassignTarget, cellPatrolArea: String?, onDuty: Set<Int64> = [],
                         context: LifecycleContext, at now: Date) throws(WorkflowError) -> String {
        let id = c.id
        switch target {
        case .inspector(let inspector):
            guard c.state == .verifying || c.state == .checking else {
                throw .refusal(.reassignTargetForState(caseID: id, state: c.state, target: .inspector))
            }
            try checkInspector(inspector, patrolArea: cellPatrolArea, onDuty: onDuty, case: c)
            guard inspector.id != c.assigneeID else {
                throw .invalidInput("case \(id)'s task is already with \(inspector.login)")
            }
            c.assigneeID = inspector.id
        case .department(let code):
            guard c.state == .dispatched else {
                throw .refusal(.reassignTargetForState(caseID: id, state: c.state, target: .department))
            }
            try checkUnit(code, for: c, context: context)
            guard code != c.departmentCode else { throw .invalidInput("case \(id) is already with \(code)") }
            try checkNoPending(c)
            c.departmentCode = code
            c.handledLate = false
        case .center(let center):
            guard c.state == .dispatched else {
                throw .refusal(.reassignTargetForState(caseID: id, state: c.state, target: .districtCenter))
            }
            try checkCityToDistrict(center, for: c, context: context, action: .reassign)
            try checkNoPending(c)
            c.state = .filed
            c.commandCenterID = center.id
            c.departmentCode = nil
            c.handledLate = false
        }
        try startClock(&c, at: now, context: context)
        return target.label
    }

    /// An inspector's task is the shift lead's to move; a dispatched case is the dispatcher's.
    static func checkReassignRole(case c: ServiceCase, actor: Operator) throws(WorkflowError) {
        let inspectorTask = c.state == .verifying || c.state == .checking
        if inspectorTask ? actor.role != .shiftLead : actor.role != .dispatcher {
            throw .refusal(.reassignRole(caseID: c.id, inspectorTask: inspectorTask, checking: c.state == .checking, login: actor.login, role: actor.role))
        }
    }

    // MARK: Automatic escalation

    /// Escalates a case its district command center has let run past `threshold` times its stage budget,
    /// or returns nil when the case is not due for it. Pure, like `apply`; the row has no actor, and names
    /// the district center it leaves and the city center it goes to, so both tiers see it in the history.
    public static func autoEscalate(_ current: ServiceCase, threshold: Double, context: LifecycleContext,
                                    at now: Date) throws(WorkflowError) -> Transition? {
        guard context.model.hasDistrictCommand, context.model.hasCityCommand,
              current.state == .filed || current.state == .dispatched,
              let holder = context.centers[current.commandCenterID ?? ""], holder.kind == .command, holder.tier == .district,
              now >= current.lastEventAt,
              let reading = reading(of: current, at: now, context: context), reading.remainingMinutes < 0,
              reading.ratio >= threshold else { return nil }
        var after = current
        let city = try escalateToCity(&after, context: context, at: now)
        after.lastEventAt = now
        let note = "automatic: \(reading.ratioText)× of its \(current.state.rawValue) budget used (threshold \(StageReading.format(threshold))×)"
        let entry = HistoryEntry(caseID: current.id, at: now, actorID: nil, role: nil, centerID: holder.id, action: CaseAction.escalate.rawValue,
                                 from: current.state, to: after.state, target: city, note: note, late: true, via: Via.system.text)
        return Transition(after: after, entry: entry, mergedInto: nil)
    }

    /// How far the current stage's clock has run at `now`, in the stage's own kind of time; nil when
    /// no clock runs (closed, cancelled).
    public static func reading(of c: ServiceCase, at now: Date, context: LifecycleContext) -> StageReading? {
        guard c.state.isOpen, c.deadline != nil || c.frozenRemainingMinutes != nil else { return nil }
        let remaining = remainingMinutes(of: c, at: now, context: context)
        let calendar = c.urgent || isCalendarStage(c, context: context)
        return StageReading(budgetMinutes: c.budgetMinutes, remainingMinutes: remaining, calendarTime: calendar)
    }

    // MARK: What an operator may do now

    /// Whether `actor` may take `action` on the case now: region, role, state, who holds the stage, and what the
    /// case's situation allows (a pending request, an escalation, a confirmation). The one check of an action's
    /// preconditions: `apply` runs it first, and the screens ask it through `refusal(of:on:by:rules:)` and
    /// `availableActions`. The arguments (target, hours, note) are checked on submit.
    public static func checkPreconditions(of action: CaseAction, on c: ServiceCase, by actor: Operator,
                                          rules: CaseRules) throws(WorkflowError) {
        let id = c.id
        let model = rules.model
        // The model decides first: an action it does not have is refused to everyone, in every state.
        if action == .returnToDistrict, !(model.hasDistrictCommand && model.hasCityCommand) {
            throw .refusal(.noCommandTiers(model))
        }
        guard actor.canSee(district: c.districtCode) else {
            throw .notFound("no case \(id) in \(actor.login)'s region \(actor.regionCode)")
        }
        guard action.allows(actor.role) else {
            throw .refusal(.wrongRole(verb: action.rawValue, roles: Array(action.roles), login: actor.login, role: actor.role))
        }
        guard action.starts(from: c.state) else { throw .refusal(.wrongState(caseID: id, state: c.state, action: action)) }
        if action == .reassign { try checkReassignRole(case: c, actor: actor) }
        try checkHolder(of: action, case: c, actor: actor, rules: rules)
        switch action {
        case .file:
            guard c.confirmed || !c.source.needsConfirmation else {
                throw .refusal(.notConfirmed(caseID: id, source: c.source))
            }
        case .escalate:
            // The rule of `escalateToCity`: from a district command center, to the city's.
            let city = Center.id(kind: .command, tier: .city, district: nil)
            guard let holder = c.commandCenterID, holder != city else { throw .refusal(.onlyDistrictEscalates(caseID: id, holder: c.commandCenterID)) }
            guard model.hasCityCommand else { throw .refusal(.noCityCommand(model)) }
        case .approve, .refuse:
            _ = try pendingRequest(of: c, for: action)
        case .handle, .requestReturn, .requestExtension, .requestSuspension:
            try checkNoPending(c)
        case .reassign:
            if c.state == .dispatched { try checkNoPending(c) }
        case .prioritize:
            guard !c.priority else { throw .refusal(.alreadyPriority(caseID: id)) }
        case .deprioritize:
            guard c.priority else { throw .refusal(.notPriority(caseID: id)) }
        case .returnToDistrict:
            let city = Center.id(kind: .command, tier: .city, district: nil)
            guard c.commandCenterID == city else { throw .refusal(.onlyCitySendsDown(action, caseID: id, holder: c.commandCenterID)) }
            guard c.escalated else {
                throw .refusal(.notEscalated(caseID: id, districtCenter: Center.id(kind: .command, tier: .district, district: c.districtCode)))
            }
            try checkNoPending(c)
        default:
            break
        }
    }

    /// Why `actor` cannot take `action` on the case now, or nil if the action is open to them (its
    /// arguments are still checked on submit): `checkPreconditions`' refusal. Screens use it to show and
    /// explain disabled keys.
    public static func precondition(of action: CaseAction, on c: ServiceCase, by actor: Operator, rules: CaseRules) -> WorkflowError? {
        do { try checkPreconditions(of: action, on: c, by: actor, rules: rules) } catch { return error }
        return nil
    }

    /// `precondition(of:on:by:rules:)` as its message.
    public static func refusal(of action: CaseAction, on c: ServiceCase, by actor: Operator, rules: CaseRules) -> String? {
        precondition(of: action, on: c, by: actor, rules: rules)?.message
    }

    /// The actions `actor` may take on the case now, in the order of the loop.
    public static func availableActions(on c: ServiceCase, by actor: Operator, rules: CaseRules) -> [CaseAction] {
        CaseAction.allCases.filter { precondition(of: $0, on: c, by: actor, rules: rules) == nil }
    }

    // MARK: Who holds the stage

    /// Monitoring stages belong to the case's monitoring center, dispatch to its command center,
    /// inspector tasks to the assigned inspector, handling to the responsible department. Filing and closing belong to
    /// the shift leads of the center the site's rules name for them: the case's monitoring center, or the command
    /// center that receives the case when it is filed (filing) or holds it (closing).
    static func checkHolder(of action: CaseAction, case c: ServiceCase, actor: Operator, rules: CaseRules) throws(WorkflowError) {
        switch actor.role {
        case .shiftLead:
            guard let kind = rules.center(for: action) else { return try checkMonitoringCenter(of: c, actor: actor) }
            let holder = rules.shiftLeadCenter(for: action, of: c)
            guard let holder, actor.centerID == holder else {
                throw .refusal(.siteCenterStage(action: action, caseID: c.id, kind: kind, center: holder, login: actor.login, actorCenter: actor.centerID))
            }
        case .intake:
            try checkMonitoringCenter(of: c, actor: actor)
        case .inspector:
            guard c.assigneeID == actor.id else { throw .refusal(.taskNotAssigned(caseID: c.id, checking: c.state == .checking, login: actor.login)) }
        case .dispatcher:
            guard let holder = c.commandCenterID, actor.centerID == holder else {
                throw .refusal(.otherCommandCenter(caseID: c.id, center: c.commandCenterID, login: actor.login, actorCenter: actor.centerID))
            }
        case .department:
            guard let department = c.departmentCode, actor.departmentCode == department else {
                throw .refusal(.otherDepartment(caseID: c.id, department: c.departmentCode, login: actor.login, actorDepartment: actor.departmentCode))
            }
        case .supervisor, .admin:
            break
        }
    }

    /// A handling unit exists and may take the case: a department anywhere; a street's, town's or community's unit only
    /// for a case whose cell it holds (三级处置).
    static func checkUnit(_ code: String, for c: ServiceCase, context: LifecycleContext) throws(WorkflowError) {
        guard let unit = context.departments[code] else { throw .notFound("no department \(code)") }
        if let level = unit.handlingLevel, HandlingLevel.of(unit: unit.code, cell: c.cellCode) != level {
            throw .refusal(.unitOutsideCell(caseID: c.id, unit: unit.code, level: level, cell: c.cellCode))
        }
    }

    /// The monitoring center's stages (and its follow-ups) are its own operators'.
    static func checkMonitoringCenter(of c: ServiceCase, actor: Operator) throws(WorkflowError) {
        guard actor.centerID == c.monitorCenterID else {
            throw .refusal(.otherMonitoringCenter(caseID: c.id, center: c.monitorCenterID, login: actor.login, actorCenter: actor.centerID))
        }
    }

    /// `onDuty`: the inspectors the roster puts on the cell now (its area's, else the nearest area's on duty), who may
    /// take the task though the cell is not in their own patrol area.
    static func checkInspector(_ inspector: Operator, patrolArea: String?, onDuty: Set<Int64> = [], case c: ServiceCase) throws(WorkflowError) {
        guard inspector.role == .inspector else {
            throw .invalidInput("\(inspector.login) is \(inspector.role.rawValue), not an inspector")
        }
        if onDuty.contains(inspector.id) { return }
        guard let patrolArea, inspector.patrolAreaID == patrolArea else {
            throw .refusal(.notInPatrolArea(login: inspector.login, cell: c.cellCode, patrolArea: patrolArea))
        }
    }

    /// Sending a case from the city command center down to a district's: the model has both tiers of command,
    /// the city holds the case, and the target is the command center of the case's own district.
    static func checkCityToDistrict(_ center: Center, for c: ServiceCase, context: LifecycleContext, action: CaseAction) throws(WorkflowError) {
        guard context.model.hasDistrictCommand, context.model.hasCityCommand else { throw .refusal(.noCommandTiers(context.model)) }
        guard context.centers[c.commandCenterID ?? ""]?.tier == .city else {
            throw .refusal(.onlyCitySendsDown(action, caseID: c.id, holder: c.commandCenterID))
        }
        guard center.kind == .command, center.tier == .district else {
            throw .invalidInput("\(center.id) is not a district command center")
        }
        guard center.regionCode == c.districtCode else {
            throw .refusal(.centerOfOtherDistrict(center: center.id, serves: center.regionCode, caseID: c.id, district: c.districtCode))
        }
    }

    /// The note rule of the action table: a required note must show something; any note passes the text rule.
    static func checkNote(_ trimmedNote: String?, of action: CaseAction) throws(WorkflowError) {
        let rule = action.spec.note
        if rule.required, trimmedNote?.isBlank ?? true {
            throw .refusal(.missingNote(verb: action.rawValue, meaning: rule.meaning))
        }
        if let trimmedNote { try validateNote(trimmedNote) }
    }

    static func pendingRequest(of c: ServiceCase, for action: CaseAction) throws(WorkflowError) -> PendingRequest {
        guard let pending = c.pending else { throw .refusal(.noPendingRequest(caseID: c.id, action: action)) }
        return pending
    }

    static func checkNoPending(_ c: ServiceCase) throws(WorkflowError) {
        if let pending = c.pending {
            throw .refusal(.pendingRequest(caseID: c.id, kind: pending.kind))
        }
    }

    static func validateNote(_ note: String) throws(WorkflowError) {
        try ReportText.refuseNUL(note, field: "note")
        guard note.utf8.count <= 16_384 else {
            throw .invalidInput("note is \(note.utf8.count) bytes; the limit is 16384 bytes")
        }
    }

    // MARK: Clocks

    /// Starts the clock of the stage the case now waits in.
    static func startClock(_ c: inout ServiceCase, at now: Date, context: LifecycleContext) throws(WorkflowError) {
        c.stageStartedAt = now
        c.frozenRemainingMinutes = nil
        guard let budget = try context.budget(waitingIn: c.state, for: c) else {
            stopClock(&c)
            return
        }
        c.budgetMinutes = budget.minutes
        c.deadline = try deadline(budget, from: now, context: context)
        c.warnAt = try deadline(budget.with(minutes: budget.minutes * 4 / 5), from: now, context: context)
    }

    static func stopClock(_ c: inout ServiceCase) {
        c.deadline = nil
        c.warnAt = nil
        c.frozenRemainingMinutes = nil
    }

    static func deadline(_ budget: TimeBudget, from start: Date, context: LifecycleContext) throws(WorkflowError) -> Date {
        do { return try budget.deadline(from: start, calendar: context.calendar) } catch {
            throw .invalidInput("the working calendar has no working time to count a deadline in (\(error))")
        }
    }

    /// Minutes left on the current clock at `now`, negative once overdue.
    static func remainingMinutes(of c: ServiceCase, at now: Date, context: LifecycleContext) -> Int {
        guard let deadline = c.deadline else { return c.frozenRemainingMinutes ?? 0 }
        let kind: TimeBudget = c.urgent || isCalendarStage(c, context: context) ? .calendar(minutes: 0) : .working(minutes: 0)
        return now <= deadline ? kind.elapsed(from: now, to: deadline, calendar: context.calendar)
                               : -kind.elapsed(from: deadline, to: now, calendar: context.calendar)
    }

    static func isCalendarStage(_ c: ServiceCase, context: LifecycleContext) -> Bool {
        if case .calendar = (try? context.budget(waitingIn: c.state, for: c)) ?? .working(minutes: 0) { return true }
        return false
    }

    /// The yellow point is where 80% of the budget is used; recomputed after extensions and resumes.
    static func refreshWarning(_ c: inout ServiceCase, at now: Date, context: LifecycleContext) throws(WorkflowError) {
        let remaining = remainingMinutes(of: c, at: now, context: context)
        let used = c.budgetMinutes - remaining
        let toWarning = c.budgetMinutes * 4 / 5 - used
        let kind: TimeBudget = isCalendarStage(c, context: context) ? .calendar(minutes: 0) : .working(minutes: 0)
        c.warnAt = toWarning <= 0 ? now : try deadline(kind.with(minutes: toWarning), from: now, context: context)
    }

    static func extend(_ c: inout ServiceCase, hours: Double, at now: Date, context: LifecycleContext) throws(WorkflowError) {
        let minutes = Int((hours * 60).rounded())
        let kind: TimeBudget = isCalendarStage(c, context: context) ? .calendar(minutes: minutes) : .working(minutes: minutes)
        if let old = c.deadline { c.deadline = try deadline(kind, from: old, context: context) }
        c.budgetMinutes += minutes
        try refreshWarning(&c, at: now, context: context)
    }

    static func formatHours(_ hours: Double) -> String {
        hours == hours.rounded() ? String(Int(hours)) : String(hours)
    }
}
