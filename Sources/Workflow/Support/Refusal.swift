/// A refusal the front ends word themselves: a missing or wrong argument of an action, a rule whose fix
/// names another action, or one whose fix is a front end's command or option (the operator acting, replacing a file,
/// restoring the history's guards). Workflow words it in domain terms (`text`); the CLI words it with its flags
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

    /// What a refusal refuses: the input (invalid input, exit code 2), the case's state (refused, exit code 4), or
    /// the database (exit code 6).
    public enum Kind: Sendable, Equatable {
        case input, state, storage
    }

    public var kind: Kind {
        switch self {
        case .notEscalated: .state
        case .historyGuardsBroken: .storage
        default: .input
        }
    }

    /// A refusal of the case's state (exit code 4), not of the input (exit code 2).
    public var isStateRefusal: Bool { kind == .state }

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
        case .historyGuardsBroken(let guards):
            "writes are refused: the history's guards are not as citygrid made them (\(guards.joined(separator: "; "))), so the history "
                + "may have been changed outside citygrid; verify the history, and once it verifies, restore its guards"
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
