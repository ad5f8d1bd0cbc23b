/// The actions a history row can record, by their stored names.
enum HistoryAction: UInt8, Sendable {
    case report, accept, verify, confirm, invalid, file, reject, cancel, merge, dispatch, escalate, handle
    case requestReturn, requestExtension, requestSuspension, approve, refuse, resume, check, pass, fail, close, urge
    /// A closed case sent back for rework after a dissatisfied follow-up.
    case reopen
    /// A follow-up task opened at a close; its outcome recorded.
    case followUp, followUpResult
    case other

    /// The rows whose target the replay reads (the rollup build reads no other target).
    var keepsTarget: Bool { self == .dispatch || self == .approve || self == .followUp || self == .followUpResult }

    static let byName: [String: HistoryAction] = [
        "report": .report, "accept": .accept, "verify": .verify, "confirm": .confirm, "invalid": .invalid,
        "file": .file, "reject": .reject, "cancel": .cancel, "merge": .merge, "dispatch": .dispatch,
        "escalate": .escalate, "handle": .handle, "request-return": .requestReturn,
        "request-extension": .requestExtension, "request-suspension": .requestSuspension, "approve": .approve,
        "refuse": .refuse, "resume": .resume, "check": .check, "pass": .pass, "fail": .fail, "close": .close, "urge": .urge,
        "reopen": .reopen, "follow-up": .followUp, "follow-up-result": .followUpResult,
    ]

    init(name: String) { self = Self.byName[name] ?? .other }

    /// Decodes a stored name without making a String: the rollup build reads millions of rows.
    /// (length, first and third byte) tells the names apart; the whole name is then compared.
    init(bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n >= 4 else { self = .other; return }
        let candidate: HistoryAction = switch (n, bytes[0], bytes[2]) {
        case (6, 0x72, 0x70): .report       // r?p
        case (6, 0x61, 0x63): .accept
        case (6, 0x76, 0x72): .verify
        case (7, 0x63, 0x6E): .confirm
        case (7, 0x69, 0x76): .invalid
        case (4, 0x66, 0x6C): .file
        case (6, 0x72, 0x6A): .reject
        case (6, 0x63, 0x6E): .cancel
        case (5, 0x6D, 0x72): .merge
        case (8, 0x64, 0x73): .dispatch
        case (8, 0x65, 0x63): .escalate
        case (6, 0x68, 0x6E): .handle
        case (14, _, _): .requestReturn
        case (17, _, _): .requestExtension
        case (18, _, _): .requestSuspension
        case (7, 0x61, 0x70): .approve
        case (6, 0x72, 0x66): .refuse
        case (6, 0x72, 0x73): .resume
        case (5, 0x63, 0x65): .check
        case (4, 0x70, 0x73): .pass
        case (4, 0x66, 0x69): .fail
        case (5, 0x63, 0x6F): .close
        case (4, 0x75, 0x67): .urge
        case (6, 0x72, 0x6F): .reopen     // r?o
        case (9, 0x66, 0x6C): .followUp
        case (16, 0x66, 0x6C): .followUpResult
        default: .other
        }
        guard candidate != .other, let name = Self.names[candidate], name.count == n,
              zip(name, bytes).allSatisfy({ $0 == $1 }) else { self = .other; return }
        self = candidate
    }

    static let names: [HistoryAction: [UInt8]] = Dictionary(uniqueKeysWithValues: byName.map { ($1, Array($0.utf8)) })
}

extension CaseState {
    /// Decodes a stored state without making a String; (length, first byte) tells them apart.
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        guard let first = bytes.first else { return nil }
        let candidate: CaseState? = switch (bytes.count, first) {
        case (8, 0x72): .reported
        case (9, 0x76): .verifying
        case (8, 0x61): .accepted
        case (5, 0x66): .filed
        case (10, 0x64): .dispatched
        case (7, 0x68): .handled
        case (8, 0x63): .checking
        case (7, 0x63): .checked
        case (6, 0x63): .closed
        case (9, 0x63): .cancelled
        case (9, 0x73): .suspended
        default: nil
        }
        guard let candidate, candidate.rawValue.utf8.elementsEqual(bytes) else { return nil }
        self = candidate
    }
}

/// What the replay needs to know of a case besides its history. All of it is fixed once the case is
/// settled (filed or cancelled): the cell never changes, the category only at filing, the close type
/// once closed. That is why a case's rows are counted only once it is settled (see `CityStore+Evaluation`).
struct ReplayCase: Sendable {
    var id: Int64
    var cellCode: String
    /// `kind:code`, e.g. `event:0102`.
    var category: String
    var fromInspector: Bool
    var state: CaseState
    var closeType: CloseType?

    /// Before filing, the category may still change: the case's counts wait until it is filed or cancelled.
    var isSettled: Bool { !state.isBeforeFiling }
}

/// One history row as the replay reads it. `target` is kept only where `HistoryAction.keepsTarget`.
struct ReplayRow: Sendable {
    var seq: Int
    /// Unix seconds.
    var at: Int64
    var actor: Int64?
    var action: HistoryAction
    var from: CaseState?
    var to: CaseState
    var target: String?
    var late: Bool
}

/// Where a replay's counts go. The case's cell and category are implied (the sink knows which case it is
/// counting); `department` and `operator` are the other groups a count belongs to, when it has them.
protocol ContributionSink {
    mutating func count(_ counter: EvaluationCounter, _ delta: Int64, day: Int, department: String?, operator: Int64?)
    mutating func stage(_ stage: EvaluationStage, seconds: Int64, day: Int, department: String?, operator: Int64?)
}

/// Plays one case's history, in order, and says what each row adds to the counts. Pure: the same rows
/// always give the same counts, whenever and however often they are played, so counts can be kept
/// incrementally (rows already counted are replayed with `emit: false` to rebuild the state).
///
/// The rules, row by row, are the definitions of docs/evaluation.md; each count's comment in
/// `EvaluationCounter` says which event, which day and which groups.
struct CaseReplay {
    let facts: ReplayCase
    let dayOf: (Int64) -> Int

    /// The standing assignment to a department: the cohort entry the closure and rework rates count.
    struct Assignment {
        var day: Int
        var department: String
        var dispatcher: Int64?
        var reworked = false
        /// Its handling report stands (counted in `assignedHandled`).
        var handled = false
    }

    private var reportAt: Int64?
    private var reportDay = 0
    private var reporter: Int64?
    private var intakeStart: Int64?
    private var verifyStart: Int64?
    private var filingStart: Int64?
    private var dispatchStart: Int64?
    private var filing: (day: Int, actor: Int64?)?
    /// The case's close is counted in `filedClosed` (a reopen takes it back).
    private var closeCounted = false
    private(set) var assignment: Assignment?
    private var roundStart: Int64?
    private var suspendedSince: Int64?
    private var suspendedInRound: Int64 = 0
    private var sendCheckStart: Int64?
    private var checkStart: Int64?
    private var closingStart: Int64?
    /// Each follow-up's day (the day its case closed), by task id: its outcome counts on that day.
    private var followUpDays: [Substring: Int] = [:]

    init(facts: ReplayCase, dayOf: @escaping (Int64) -> Int) {
        self.facts = facts
        self.dayOf = dayOf
    }

    mutating func apply(_ row: ReplayRow, emit: Bool, into sink: inout some ContributionSink) {
        let day = dayOf(row.at)
        let dept = assignment?.department
        func count(_ counter: EvaluationCounter, _ delta: Int64 = 1, day: Int, department: String? = nil, operator op: Int64? = nil) {
            if emit && delta != 0 { sink.count(counter, delta, day: day, department: department, operator: op) }
        }
        func stage(_ stage: EvaluationStage, from start: Int64?, department: String? = nil, operator op: Int64? = nil) {
            guard emit, let start else { return }
            sink.stage(stage, seconds: max(0, row.at - start), day: day, department: department, operator: op)
        }
        /// The standing assignment's handling report stands (`true`) or no longer does: the handling rate's numerator.
        func markHandled(_ handled: Bool) {
            guard let a = assignment, a.handled != handled else { return }
            count(.assignedHandled, handled ? 1 : -1, day: a.day, department: a.department)
            assignment?.handled = handled
        }
        /// The assignment is withdrawn (return approved, escalated back): it leaves the cohort.
        func withdraw() {
            guard let a = assignment else { return }
            count(.assigned, -1, day: a.day, department: a.department)
            if a.reworked { count(.assignedReworked, -1, day: a.day, department: a.department) }
            if a.handled { count(.assignedHandled, -1, day: a.day, department: a.department) }
            assignment = nil
            roundStart = nil
        }
        let late: Int64 = row.late ? 1 : 0

        switch row.action {
        case .report:
            reportAt = row.at
            reportDay = day
            reporter = row.actor
            intakeStart = row.at
            count(.reports, day: day, operator: row.actor)
            if !facts.fromInspector { count(.reportsPublic, day: day, operator: row.actor) }

        case .accept:
            stage(.intake, from: intakeStart, operator: row.actor)
            intakeStart = nil
            filingStart = row.at

        case .verify:
            stage(.intake, from: intakeStart, operator: row.actor)
            intakeStart = nil
            filingStart = nil
            verifyStart = row.at

        case .confirm, .invalid:
            count(.verified, day: day, operator: row.actor)
            count(.verifiedLate, late, day: day, operator: row.actor)
            stage(.verify, from: verifyStart, operator: row.actor)
            verifyStart = nil
            if row.action == .confirm {
                filingStart = row.at
            } else {
                count(.reportsInvalid, day: reportDay, operator: reporter)
            }

        case .file:
            count(.filed, day: day, operator: row.actor)
            count(.filedLate, late, day: day, operator: row.actor)
            if !facts.fromInspector { count(.filedByOthers, day: day, operator: row.actor) }
            stage(.filing, from: filingStart, operator: row.actor)
            filingStart = nil
            filing = (day, row.actor)
            count(.reportsValid, day: reportDay, operator: reporter)
            dispatchStart = row.at

        case .reject, .cancel:
            if row.from?.isBeforeFiling ?? false {
                count(.reportsInvalid, day: reportDay, operator: reporter)
            } else {
                if let filing { count(.filedVoid, day: filing.day, operator: filing.actor) }
                if closeCounted, let filing {   // wrongly filed: out of both resolution terms
                    count(.filedClosed, -1, day: filing.day, operator: filing.actor)
                    closeCounted = false
                }
                markHandled(false)
                if let a = assignment {
                    count(.assignedCancelled, day: a.day, department: a.department)
                    if row.from == .suspended {
                        count(.assignedSuspended, -1, day: a.day, department: a.department)
                        stage(.suspension, from: suspendedSince, department: a.department, operator: row.actor)
                    }
                }
            }
            suspendedSince = nil

        case .merge:
            // The duplicate's row goes to `cancelled`; the survivor's row keeps its state and counts nothing.
            if row.to == .cancelled { count(.reportsMerged, day: reportDay, operator: reporter) }

        case .dispatch:
            let toDepartment = row.to == .dispatched
            let target = toDepartment ? row.target : nil
            count(.dispatched, day: day, department: target, operator: row.actor)
            count(.dispatchedLate, late, day: day, department: target, operator: row.actor)
            stage(.dispatch, from: dispatchStart, department: target, operator: row.actor)
            if toDepartment, let target {
                count(.dispatchedToDepartment, day: day, department: target, operator: row.actor)
                assignment = Assignment(day: day, department: target, dispatcher: row.actor)
                count(.assigned, day: day, department: target)
                roundStart = row.at
                suspendedInRound = 0
                dispatchStart = nil
            } else {
                dispatchStart = row.at   // now waiting at the district command center
            }

        case .escalate:
            count(.escalated, day: day, operator: row.actor)
            withdraw()
            dispatchStart = row.at

        case .handle:
            count(.handled, day: day, department: dept, operator: row.actor)
            count(.handledLate, late, day: day, department: dept, operator: row.actor)
            if emit, let start = roundStart {
                sink.stage(.handling, seconds: max(0, row.at - start - suspendedInRound), day: day, department: dept, operator: row.actor)
            }
            roundStart = nil
            sendCheckStart = row.at
            markHandled(true)

        case .approve:
            switch row.target {
            case "return":
                if let a = assignment {
                    count(.dispatchReturned, day: a.day, department: a.department, operator: a.dispatcher)
                }
                withdraw()
                dispatchStart = row.at
            case "extension":
                count(.extended, day: day, department: dept, operator: row.actor)
            case "suspension":
                count(.suspensions, day: day, department: dept, operator: row.actor)
                if let a = assignment { count(.assignedSuspended, day: a.day, department: a.department) }
                suspendedSince = row.at
            default:
                break
            }

        case .resume:
            if let since = suspendedSince {
                stage(.suspension, from: since, department: dept, operator: row.actor)
                suspendedInRound += max(0, row.at - since)
            }
            suspendedSince = nil
            if let a = assignment { count(.assignedSuspended, -1, day: a.day, department: a.department) }

        case .check:
            stage(.sendCheck, from: sendCheckStart, department: dept, operator: row.actor)
            sendCheckStart = nil
            checkStart = row.at

        case .pass, .fail:
            count(.checked, day: day, department: dept, operator: row.actor)
            count(.checkedLate, late, day: day, department: dept, operator: row.actor)
            stage(.check, from: checkStart, department: dept, operator: row.actor)
            checkStart = nil
            if row.action == .pass {
                closingStart = row.at
            } else {
                count(.checkFailed, day: day, department: dept, operator: row.actor)
                if let a = assignment, !a.reworked {
                    count(.assignedReworked, day: a.day, department: a.department)
                    assignment?.reworked = true
                }
                markHandled(false)
                roundStart = row.at   // rework: the handling clock restarts
                suspendedInRound = 0
            }

        case .close:
            count(.closed, day: day, department: dept, operator: row.actor)
            if facts.closeType == .normal { count(.closedOnTime, day: day, department: dept, operator: row.actor) }
            switch HandlingLevel.of(unit: dept, cell: facts.cellCode) {
            case .community: count(.closedCommunity, day: day, department: dept, operator: row.actor)
            case .street: count(.closedStreet, day: day, department: dept, operator: row.actor)
            case nil: break
            }
            count(.closeLate, late, day: day, department: dept, operator: row.actor)
            stage(.closing, from: closingStart, department: dept, operator: row.actor)
            stage(.total, from: reportAt, department: dept)
            closingStart = nil
            if let a = assignment { count(.assignedClosed, day: a.day, department: a.department) }
            if facts.closeType == .error, let filing { count(.filedVoid, day: filing.day, operator: filing.actor) }
            if facts.closeType != .error, let filing, !closeCounted {
                count(.filedClosed, day: filing.day, operator: filing.actor)
                closeCounted = true
            }
            markHandled(true)   // a closed case is handled, whatever the rows before said

        case .urge:
            count(.urged, day: day, department: dept, operator: row.actor)

        case .reopen:
            // The close is undone: the assignment is owed again, and it has been reworked (as a failed check is); the
            // case is neither handled nor resolved until it is closed again.
            markHandled(false)
            if closeCounted, let filing {
                count(.filedClosed, -1, day: filing.day, operator: filing.actor)
                closeCounted = false
            }
            if let a = assignment {
                count(.assignedClosed, -1, day: a.day, department: a.department)
                if !a.reworked {
                    count(.assignedReworked, day: a.day, department: a.department)
                    assignment?.reworked = true
                }
            }
            roundStart = row.at
            suspendedInRound = 0

        case .followUp:
            count(.followups, day: day, department: dept)
            if let id = row.target { followUpDays[Substring(id)] = day }

        case .followUpResult:
            // Target: `ID reached satisfied`, `ID reached dissatisfied`, `ID not-reached`.
            let words = (row.target ?? "").split(separator: " ")
            guard let id = words.first else { break }
            let taskDay = followUpDays[id] ?? day
            count(.followupsDone, day: taskDay, department: dept, operator: row.actor)
            if words.count > 1, words[1] == "reached" {
                count(.followupsReached, day: taskDay, department: dept, operator: row.actor)
                if words.count > 2, let satisfaction = Satisfaction(rawValue: String(words[2])), satisfaction.isSatisfied {
                    count(.followupsSatisfied, day: taskDay, department: dept, operator: row.actor)
                }
            }

        case .requestReturn, .requestExtension, .requestSuspension, .refuse, .other:
            break
        }
    }
}
