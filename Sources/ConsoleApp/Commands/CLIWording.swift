import Workflow

/// How the CLI words Workflow's typed refusals: with its flags (`--to`, `--hours`, `--note`, `--from`, `--as`,
/// `--force`…), in the English the CLI has always printed. Scripts and tests read these lines; keep them word for word.
enum CLIWording {
    static func text(_ refusal: Refusal) -> String {
        switch refusal {
        case .missingTarget(let action): "\(action.rawValue) needs --to"
        case .targetNotACaseID(let action, let given): "\(action.rawValue) --to takes a case id, not '\(given)'"
        case .missingHours(let action): "\(action.rawValue) needs --hours N"
        case .hoursOutOfRange(let action, let range): "\(action.rawValue) needs --hours between \(range.aboveText) and \(range.atMostText)"
        case .missingNote(let verb, _): "\(verb) needs a reason in --note"
        case .notEscalated(let id, let center): "case \(id) was not escalated; send it to a district with dispatch --to \(center)"
        case .emptyPeriod(let from, let to): "the period \(from)…\(to) is empty: --to is the first day not counted and must come after --from"
        case .descriptionEmpty, .descriptionTooLong, .satisfactionMissing, .satisfactionNotReached: refusal.text
        case .wrongRole, .reassignRole, .wrongState, .notConfirmed, .otherMonitoringCenter, .siteCenterStage, .taskNotAssigned, .otherCommandCenter,
             .otherDepartment, .onlyDistrictEscalates, .noCityCommand, .noCommandTiers, .onlyCitySendsDown, .centerOfOtherDistrict,
             .notInPatrolArea, .noPendingRequest, .pendingRequest, .survivorNotOpen, .caseChanged, .cellOutsideRegion, .reassignTargetForState,
             .bulkAlreadyUndone, .bulkNotUndoable, .nothingToUnmerge, .unmergeAfterFiling,
             .alreadyPriority, .notPriority, .unitOutsideCell,
             .censusManagerRole, .censusClosed, .censusRecorderRole, .noSurveyTask, .censusRecord:
            refusal.text
        case .lineNotForSource(let source): "--line is for hotline reports; this report's source is \(source.rawValue)"
        case .unknownLine(let line, let known):
            "no hotline line \(line); the site's lines are \(known.joined(separator: ", ")) (citygrid site lines; an administrator adds one with site add-line)"
        case .regionNotHandlingUnit(let region, let level):
            "\(level.rawValue) \(region) is not a handling unit; an administrator makes it one with `citygrid department add-region \(region)`"
        case .actorNotNamed: "this is an open (demo) site: name the operator acting with --as LOGIN"
        case .batchedImportMustSkipBad:
            "a batched import commits as it goes, so a bad record cannot undo the batches before it: pass --skip-bad with --batch (refused records go to --rejects)"
        case .targetExists(let path): "\(path) already exists; pass --force to replace it"
        case .historyGuardsBroken(let guards):
            "writes are refused: the history's guards are not as citygrid made them (\(guards.joined(separator: "; "))), so the history "
                + "may have been changed outside citygrid. Check it with `citygrid verify`; once it verifies, `citygrid verify "
                + "--restore-triggers` restores the guards"
        }
    }

    /// The one stderr line for a refusal.
    static func describe(_ error: WorkflowError) -> String { error.description(wording: text) }
    static func describe(_ refusal: BulkRefusal) -> String { refusal.description(wording: text) }

    // MARK: `case ACTION` help, from the action table

    /// The actions of each target kind, in the table's order: "verify, check".
    static func actions(_ matching: (ActionSpec) -> Bool) -> String {
        CaseAction.allCases.filter { matching($0.spec) }.map(\.rawValue).joined(separator: ", ")
    }

    /// `--to`: what each action takes as its target.
    static var toHelp: String {
        let kinds = ActionTarget.allCases.filter(\.isTaken).map { kind -> String in
            let what = switch kind {
            case .none: ""
            case .inspector: "inspector"
            case .departmentOrCenter: "department or command center"
            case .caseID: "case id"
            case .inspectorDepartmentOrCenter: "inspector, department or command center"
            case .optionalDistrictCenter: "district command center, optional"
            }
            return "\(what) (\(actions { $0.target == kind }))"
        }
        return "Target: " + kinds.joined(separator: "; ") + "."
    }

    /// `--note`: which actions need one, and what it is.
    static var noteHelp: String {
        "Note; a reason for \(actions { $0.note == .reason }), the instructions for \(actions { $0.note == .instructions })."
    }

    /// `--hours`: which actions take hours, and their range.
    static var hoursHelp: String {
        let taking = CaseAction.allCases.filter { $0.spec.hours != nil }
        let range = taking.first?.spec.hours.map { " (more than \($0.aboveText), at most \($0.atMostText))" } ?? ""
        return "Hours, for \(taking.map(\.rawValue).joined(separator: ", "))\(range)."
    }

    static var categoryHelp: String { "New category for \(actions(\.takesCategoryAndDepartment)): CODE or KIND:CODE." }
    static var departmentHelp: String { "Department for \(actions(\.takesCategoryAndDepartment)), instead of the component's owner or the category's default." }

    /// One line per action: who, from where, and what it takes, for `case --help`.
    static var actionLines: String {
        CaseAction.allCases.map { action in
            "  \(action.rawValue): \(usage(action))"
        }.joined(separator: "\n")
    }

    /// The flags an action takes: `--to INSPECTOR --note REASON`.
    static func usage(_ action: CaseAction) -> String {
        let spec = action.spec
        var words: [String] = []
        switch spec.target {
        case .none: break
        case .inspector: words.append("--to INSPECTOR")
        case .departmentOrCenter: words.append("--to DEPARTMENT|CENTER")
        case .caseID: words.append("--to CASE-ID")
        case .inspectorDepartmentOrCenter: words.append("--to INSPECTOR|DEPARTMENT|CENTER")
        case .optionalDistrictCenter: words.append("[--to CENTER]")
        }
        if spec.takesCategoryAndDepartment { words.append("[--category CODE] [--department CODE]") }
        if spec.hours != nil { words.append("--hours N") }
        switch (spec.note.required, spec.note.meaning) {
        case (true, .instructions): words.append("--note INSTRUCTIONS")
        case (true, _): words.append("--note REASON")
        case (false, _): words.append("[--note TEXT]")
        }
        let roles = spec.roles.roles.map(\.rawValue).joined(separator: " or ")
        let from = spec.from.map { $0.states.map(\.rawValue).joined(separator: "|") } ?? "any open state"
        return "\(words.joined(separator: " ")); \(roles), from \(from)"
    }
}
