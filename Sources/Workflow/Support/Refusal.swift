import Foundation

/// A refusal the front ends word themselves: a missing or wrong argument of an action, an action's preconditions (who
/// may take it, from which state, who holds the stage, a pending request, the model's tiers, a patrol area), a rule
/// whose fix names another action, or one whose fix is a front end's command or option (the operator acting, replacing
/// a file, restoring the history's guards). Workflow words it in domain terms (`text`); the CLI words it with its flags
/// (`--to`, `--hours`, `--note`, `--as`, `--force`…), the console in Chinese or English with its own fields.
public enum Refusal: Sendable, Equatable {
    /// The action needs a target (of the kind its `spec` declares) and none was given.
    case missingTarget(CaseAction)
    /// An action whose target is a case (merge) got something that is not a case id.
    case targetNotACaseID(CaseAction, given: String)
    /// The action takes a number of hours (request-extension) and none was given.
    case missingHours(CaseAction)
    /// The hours given are outside the action's range.
    case hoursOutOfRange(CaseAction, HoursRange)
    /// The action needs a note: `verb` is the action's name (or `unmerge`), `meaning` what the note is.
    case missingNote(verb: String, meaning: NoteMeaning)
    /// Only an escalated case goes back down with return-to-district; any other goes with a dispatch.
    case notEscalated(caseID: Int64, districtCenter: String)
    /// An evaluation period whose end is not after its start.
    case emptyPeriod(from: LocalDate, to: LocalDate)
    /// A report's description shows nothing.
    case descriptionEmpty
    /// A report's description is longer than the site allows.
    case descriptionTooLong(bytes: Int, limit: Int)
    /// An open (demo) site acts as whoever is named, and nobody was.
    case actorNotNamed
    /// A batched import commits batch by batch, so it must skip bad records (a bad one cannot undo the batches before).
    case batchedImportMustSkipBad
    /// A site build's target file exists and replacing it was not asked for.
    case targetExists(path: String)
    /// The history's guards (`guards`: what is wrong with each) were found missing or altered when the store was
    /// opened: every write is refused until the history verifies and the guards are restored.
    case historyGuardsBroken(guards: [String])
    /// A follow-up whose reporter was reached records how satisfied they were, and none was given.
    case satisfactionMissing
    /// A follow-up whose reporter was not reached gave no satisfaction, and one was given.
    case satisfactionNotReached

    // The preconditions of an action (`Lifecycle.checkPreconditions`): who may take it, from which state, who holds
    // the stage, what a pending request or the model's tiers allow.

    /// `verb` (an action's name, or `unmerge`) is for `roles`; `login` has `role`.
    case wrongRole(verb: String, roles: [Role], login: String, role: Role)
    /// Moving a task is one role's: an inspector's task (`inspectorTask`, `checking` for a check task) the shift lead's,
    /// a dispatched case the dispatcher's.
    case reassignRole(caseID: Int64, inspectorTask: Bool, checking: Bool, login: String, role: Role)
    /// The case is in `state`, which `action` does not start from.
    case wrongState(caseID: Int64, state: CaseState, action: CaseAction)
    /// A case from a channel is filed only once an inspector confirmed it.
    case notConfirmed(caseID: Int64, source: ReportSource)
    /// The case belongs to another monitoring center than the actor's (`actorCenter`, nil for none).
    case otherMonitoringCenter(caseID: Int64, center: String, login: String, actorCenter: String?)
    /// Filing or closing the case (`action`) is for the shift leads of the center of `kind` the site's rules name
    /// (`center`, nil when the case has no such center), not of the actor's (`actorCenter`, nil for none).
    case siteCenterStage(action: CaseAction, caseID: Int64, kind: CenterKind, center: String?, login: String, actorCenter: String?)
    /// The case's verify (or check) task is not the acting inspector's.
    case taskNotAssigned(caseID: Int64, checking: Bool, login: String)
    /// The case is held by another command center (or none) than the actor's.
    case otherCommandCenter(caseID: Int64, center: String?, login: String, actorCenter: String?)
    /// The case is with another department (or none) than the actor's.
    case otherDepartment(caseID: Int64, department: String?, login: String, actorDepartment: String?)
    /// Only a district command center escalates; `holder` holds the case (nil: no command center).
    case onlyDistrictEscalates(caseID: Int64, holder: String?)
    /// The model has no city command center to escalate to.
    case noCityCommand(ManagementModel)
    /// The model has no city and district command tiers to send a case between.
    case noCommandTiers(ManagementModel)
    /// Only the city command center sends a case down to a district's (with `action`: dispatch, reassign,
    /// return-to-district); `holder` holds the case.
    case onlyCitySendsDown(CaseAction, caseID: Int64, holder: String?)
    /// The district command center named serves another district than the case's.
    case centerOfOtherDistrict(center: String, serves: String, caseID: Int64, district: String)
    /// The inspector named does not patrol the case's cell (`patrolArea`: the cell's patrol area, nil for none).
    case notInPatrolArea(login: String, cell: String, patrolArea: String?)
    /// `action` decides a pending request and the case has none.
    case noPendingRequest(caseID: Int64, action: CaseAction)
    /// A pending request blocks the action until the dispatcher decides it.
    case pendingRequest(caseID: Int64, kind: RequestKind)
    /// A merge into a case that is no longer open.
    case survivorNotOpen(caseID: Int64, state: CaseState)
    /// The case changed since the screen or form that acts on it was read (it is now in `state`): look again.
    case caseChanged(caseID: Int64, state: CaseState)
    /// A report in a cell outside the reporter's region.
    case cellOutsideRegion(cell: String, district: String, login: String, region: String)
    /// A reassign whose target does not suit the case's state: an inspector for a verify or check task, a department
    /// or a district command center for a dispatched case.
    case reassignTargetForState(caseID: Int64, state: CaseState, target: ReassignTarget)
    /// The actor's last bulk batch was undone already (at `undoneAt`); only the last one is undone, once.
    case bulkAlreadyUndone(login: String, batchID: Int64, action: CaseAction, undoneAt: Date)
    /// A bulk batch of an action that cannot be undone (see `BulkUndo`).
    case bulkNotUndoable(batchID: Int64, action: CaseAction)
    /// An unmerge of a case that was not merged into another (it is in `state`).
    case nothingToUnmerge(caseID: Int64, state: CaseState)
    /// An unmerge once the surviving case has been filed (it is in `state`).
    case unmergeAfterFiling(caseID: Int64, state: CaseState)

    /// A report named a hotline line and its source is not the hotline.
    case lineNotForSource(ReportSource)
    /// A hotline report named a line the site does not know (`known`: the lines it knows, sorted).
    case unknownLine(String, known: [String])
    /// `prioritize` on a case already marked priority.
    case alreadyPriority(caseID: Int64)
    /// `deprioritize` on a case not marked priority.
    case notPriority(caseID: Int64)
    /// A street's, town's or community's unit (`level`) that does not hold the case's cell: a case goes below the district
    /// only to the street (or town) or community it lies in.
    case unitOutsideCell(caseID: Int64, unit: String, level: HandlingLevel, cell: String)
    /// A street, town or community that holds the case's cell but is not a handling unit (no one there handles cases).
    case regionNotHandlingUnit(region: String, level: HandlingLevel)
    /// Starting or closing a census (`verb`) by someone other than a supervisor or a shift lead.
    case censusManagerRole(verb: String, login: String, role: Role)
    /// A record in a census that is closed.
    case censusClosed(censusID: Int64)
    /// A census record by someone other than an inspector.
    case censusRecorderRole(login: String, role: Role)
    /// A census record by an inspector whose patrol area (nil: none) the census does not survey.
    case noSurveyTask(censusID: Int64, login: String, patrolArea: String?)
    /// A census record that does not say what its finding needs (see `CensusRules.checkDraft`).
    case censusRecord(CensusRecordProblem)

    /// What is wrong with a census record as drafted.
    public enum CensusRecordProblem: Sendable, Equatable {
        case needsComponent(CensusRecordKind), removedIsRetire, confirmationChanges, correctionChangesNothing, retireTakesNoteOnly,
             addNeedsCell, nameEmpty, nameTooLong(bytes: Int)
    }

    /// What a reassign names.
    public enum ReassignTarget: String, Sendable, Equatable, CaseIterable { case inspector, department, districtCenter }

    /// What a refusal refuses: the input (invalid input, exit code 2), the actor's role, center, region or
    /// assignment (refused, exit code 3), the case's state (refused, exit code 4), or the database (exit code 6).
    public enum Kind: Sendable, Equatable {
        case input, forbidden, state, storage
    }

    public var kind: Kind {
        switch self {
        case .notEscalated, .wrongState, .notConfirmed, .noPendingRequest, .pendingRequest, .survivorNotOpen, .caseChanged,
             .reassignTargetForState, .bulkAlreadyUndone, .bulkNotUndoable, .nothingToUnmerge, .unmergeAfterFiling, .alreadyPriority,
             .notPriority, .censusClosed: .state
        case .wrongRole, .reassignRole, .otherMonitoringCenter, .siteCenterStage, .taskNotAssigned, .otherCommandCenter, .otherDepartment,
             .onlyDistrictEscalates, .noCityCommand, .noCommandTiers, .onlyCitySendsDown, .centerOfOtherDistrict, .notInPatrolArea,
             .cellOutsideRegion, .unitOutsideCell, .censusManagerRole, .censusRecorderRole, .noSurveyTask: .forbidden
        case .historyGuardsBroken: .storage
        default: .input
        }
    }

    /// A refusal of an action's preconditions (who, from which state, who holds the stage, a pending request, the
    /// model's tiers), not of its arguments: what a simulator or another console acting first runs into.
    public var isPrecondition: Bool {
        switch self {
        case .wrongRole, .reassignRole, .wrongState, .notConfirmed, .otherMonitoringCenter, .siteCenterStage, .taskNotAssigned, .otherCommandCenter,
             .otherDepartment, .onlyDistrictEscalates, .noCityCommand, .noCommandTiers, .onlyCitySendsDown, .centerOfOtherDistrict,
             .notInPatrolArea, .noPendingRequest, .pendingRequest, .survivorNotOpen, .alreadyPriority, .notPriority: true
        default: false
        }
    }

    /// The domain wording, in English: what is missing or wrong, never how a front end asks for it.
    public var text: String {
        switch self {
        case .missingTarget(let action): "\(action.rawValue) needs \(action.spec.target.noun)"
        case .targetNotACaseID(let action, let given): "\(action.rawValue) takes the id of another case, not '\(given)'"
        case .missingHours(let action): "\(action.rawValue) needs a number of hours"
        case .hoursOutOfRange(let action, let range):
            "\(action.rawValue) needs a number of hours more than \(range.aboveText) and at most \(range.atMostText)"
        case .missingNote(let verb, let meaning):
            switch meaning {
            case .reason, .remark: "\(verb) needs a reason"
            case .instructions: "\(verb) needs instructions for the district"
            }
        case .notEscalated(let id, let center): "case \(id) was not escalated; send it to a district by dispatching it to \(center)"
        case .emptyPeriod(let from, let to): "the period \(from)…\(to) is empty: its end is the first day not counted and must come after its start"
        case .descriptionEmpty: "description is empty"
        case .descriptionTooLong(let bytes, let limit): "description is \(bytes) bytes; the limit is \(limit) bytes"
        case .actorNotNamed: "this is an open (demo) site: name the operator acting"
        case .batchedImportMustSkipBad:
            "a batched import commits as it goes, so a bad record cannot undo the batches before it: a batched import must skip bad records"
        case .targetExists(let path): "\(path) already exists; replacing it must be asked for"
        case .satisfactionMissing: "a reached reporter's follow-up needs their satisfaction: satisfied, basically-satisfied or dissatisfied"
        case .satisfactionNotReached: "a reporter who was not reached gave no satisfaction; record only that they were not reached"
        case .historyGuardsBroken(let guards):
            "writes are refused: the history's guards are not as citygrid made them (\(guards.joined(separator: "; "))), so the history "
                + "may have been changed outside citygrid; verify the history, and once it verifies, restore its guards"
        case .wrongRole(let verb, let roles, let login, let role):
            "\(verb) is for the \(Self.names(roles)) role; \(login) is \(role.rawValue)"
        case .reassignRole(let id, let inspectorTask, let checking, let login, let role):
            inspectorTask ? "reassigning case \(id)'s \(checking ? "check" : "verify") task is for the shift-lead role; \(login) is \(role.rawValue)"
                          : "reassigning dispatched case \(id) is for the dispatcher role; \(login) is \(role.rawValue)"
        case .wrongState(let id, let state, let action):
            "case \(id) is \(state.rawValue); \(action.rawValue) needs \(action.fromStates.map { Self.names(Array($0)) } ?? "an open state")"
        case .notConfirmed(let id, let source):
            "case \(id) came from \(source.rawValue) and must be confirmed by an inspector (verify) before it is filed"
        case .otherMonitoringCenter(let id, let center, let login, let actorCenter):
            "case \(id) belongs to monitoring center \(center); \(login) works in \(actorCenter ?? "no center")"
        case .siteCenterStage(let action, let id, let kind, let center, let login, let actorCenter):
            "\(action == .file ? "filing" : "closing") case \(id) is for the shift leads of \(kind.rawValue) center \(center ?? "none") "
                + "by the site's setting; \(login) works in \(actorCenter ?? "no center")"
        case .taskNotAssigned(let id, let checking, let login):
            "case \(id)'s \(checking ? "check" : "verify") task is not assigned to \(login)"
        case .otherCommandCenter(let id, let center, let login, let actorCenter):
            "case \(id) is held by command center \(center ?? "none"); \(login) works in \(actorCenter ?? "no center")"
        case .otherDepartment(let id, let department, let login, let actorDepartment):
            "case \(id) is with department \(department ?? "none"); \(login) is in \(actorDepartment ?? "no department")"
        case .onlyDistrictEscalates(let id, let holder):
            "only a district command center escalates; case \(id) is held by \(holder ?? "no command center")"
        case .noCityCommand(let model): "the \(model.rawValue) model has no city command center to escalate to"
        case .noCommandTiers(let model): "the \(model.rawValue) model has no city and district command tiers to send a case between"
        case .onlyCitySendsDown(let action, let id, let holder):
            "only the city command center \(Self.sendsDown(action)) a district command center; case \(id) is held by \(holder ?? "no command center")"
        case .centerOfOtherDistrict(let center, let serves, let id, let district): "\(center) serves district \(serves); case \(id) is in \(district)"
        case .notInPatrolArea(let login, let cell, let area): "\(login) does not patrol cell \(cell) (its patrol area is \(area ?? "none"))"
        case .noPendingRequest(let id, let action): "case \(id) has no pending request to \(action.rawValue)"
        case .pendingRequest(let id, let kind):
            "case \(id) has a pending \(kind.rawValue) request; the dispatcher must approve or refuse it first"
        case .survivorNotOpen(let id, let state): "case \(id) is \(state.rawValue); merge needs an open case to merge into"
        case .caseChanged(let id, let state): "case \(id) changed since you opened it (it is now \(state.rawValue)); look again and retry"
        case .cellOutsideRegion(let cell, let district, let login, let region):
            "cell \(cell) is in district \(district), outside \(login)'s region \(region)"
        case .lineNotForSource(let source): "only a hotline report names a line; this report's source is \(source.rawValue)"
        case .unknownLine(let line, let known): "no hotline line \(line); the site's lines are \(known.joined(separator: ", "))"
        case .alreadyPriority(let id): "case \(id) is already marked priority"
        case .notPriority(let id): "case \(id) is not marked priority"
        case .reassignTargetForState(let id, let state, let target):
            switch target {
            case .inspector: "case \(id) is \(state.rawValue); only a verify or check task goes to another inspector"
            case .department: "case \(id) is \(state.rawValue); only a dispatched case goes to another department"
            case .districtCenter: "case \(id) is \(state.rawValue); only a dispatched case is re-dispatched to a district command center"
            }
        case .bulkAlreadyUndone(let login, let batch, let action, let undoneAt):
            "\(login)'s last bulk action (#\(batch), \(action.rawValue)) was already undone at \(undoneAt); only the last one can be undone"
        case .bulkNotUndoable(let batch, let action): "bulk #\(batch) (\(action.rawValue)) cannot be undone: \(BulkUndo.whyNot(action))"
        case .nothingToUnmerge(let id, let state): "case \(id) is \(state.rawValue) and was not merged into another case; nothing to unmerge"
        case .unmergeAfterFiling(let id, let state): "case \(id) is \(state.rawValue); unmerge is possible only until the surviving case is filed"
        case .unitOutsideCell(let id, let unit, let level, let cell):
            "\(level.rawValue) \(unit) does not hold case \(id)'s cell \(cell); a case goes only to the street or community its cell lies in"
        case .regionNotHandlingUnit(let region, let level):
            "\(level.rawValue) \(region) is not a handling unit; an administrator makes it one first"
        case .censusManagerRole(let verb, let login, let role): "\(verb) a census is for a supervisor or a shift lead; \(login) is \(role.rawValue)"
        case .censusClosed(let id): "census \(id) is closed; it takes no more records"
        case .censusRecorderRole(let login, let role): "census records are for inspectors; \(login) is \(role.rawValue)"
        case .noSurveyTask(let id, let login, let area): "census \(id) has no survey task for \(login)'s patrol area (\(area ?? "none"))"
        case .censusRecord(let problem):
            switch problem {
            case .needsComponent(let kind): "a census \(kind.rawValue) names the component (its 16-digit id)"
            case .removedIsRetire: "a component that is gone is retired, not given the state removed"
            case .confirmationChanges: "a confirmation changes nothing but perhaps the state; a different place, name or owner is a correction"
            case .correctionChangesNothing: "a correction says what differs: the cell, name, owner or state"
            case .retireTakesNoteOnly: "a retired component is removed; give only a note"
            case .addNeedsCell: "a new component needs its cell"
            case .nameEmpty: "a component's name cannot be empty"
            case .nameTooLong(let bytes): "name is \(bytes) bytes; the limit is 200"
            }
        }
    }

    /// Names in the order of their codes, joined with "or": "dispatcher or shift-lead".
    static func names<T: RawRepresentable<String>>(_ values: [T]) -> String {
        values.map(\.rawValue).sorted().joined(separator: " or ")
    }

    /// How the city sends a case down with `action`: "dispatches to".
    static func sendsDown(_ action: CaseAction) -> String {
        switch action {
        case .reassign: "re-dispatches to"
        case .returnToDistrict: "sends a case back down to"
        default: "dispatches to"
        }
    }
}

extension ActionTarget {
    /// What the target is, with its article: "an inspector".
    public var noun: String {
        switch self {
        case .none: "nothing"
        case .inspector: "an inspector"
        case .departmentOrCenter: "a department or command center"
        case .caseID: "the case to merge into"
        case .inspectorDepartmentOrCenter: "an inspector, department or command center"
        case .optionalDistrictCenter: "a district command center"
        }
    }
}

extension HoursRange {
    public var aboveText: String { Self.format(above) }
    public var atMostText: String { Self.format(atMost) }
    static func format(_ hours: Double) -> String { hours == hours.rounded() ? String(Int(hours)) : String(hours) }
}
