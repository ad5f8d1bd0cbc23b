import Foundation
import Workflow

/// What `ConsoleUpdate` asks of the outside world: reads and writes of the store, files, themes. `ConsoleEngine`
/// runs each request and hands what it found back to update as a `ConsoleMessage`; update never sees the store.
enum Effect: Sendable {
    /// Counts (or the overdue board), reach and the cells' figures: a refresh (→ `.reloaded`). `live`: it follows
    /// someone else's write; `followSelection`: the case pane then shows the highlighted row whatever has the focus.
    case reload(live: Bool = false, followSelection: Bool = false)
    /// The rows around the selection (→ `.windowLoaded`); `thenDetail` loads the selection's case after.
    case loadWindow(around: Int, thenDetail: Bool = false)
    /// One case for the case pane (→ `.detailLoaded`); `announce` puts a failure on the status line too.
    case loadDetail(Int64?, announce: Bool = false)
    /// The heatmap's window figures and the evaluation board (→ `.heatLoaded`).
    case loadHeat(live: Bool = false)
    /// Each cell's components of a class (nil: all) by state, for the map's component layer (→ `.componentsLoaded`).
    case loadComponents(classCode: String?)
    /// The intake form's component choices: the components of a class nearest a cell (→ `.nearbyComponents`).
    case loadNearbyComponents(cell: String, classCode: String)
    /// The case, its patrol area and (for reassign) the workload a form needs (→ `.formData`).
    case openForm(CaseAction, Int64)
    case openBulkForm(CaseAction, [Int64])
    /// Asks whether writes are allowed before the hotline form opens (→ `.reportFormAllowed`).
    case openReportForm
    /// What an action would do, without writing (→ `.previewed`); for a new report, its likely duplicates (→ `.duplicates`).
    case previewAction(ActionRequest)
    case previewReport(ReportDraft)
    /// Intents of the forms and the command line, turned into requests by `ConsoleUpdate.resolve` (never run as such).
    case preview, submit, runCommand(String)
    /// Writes (→ `.acted`, `.reported`, `.bulkDone`, `.undone`, or `.status` with the refusal).
    case perform(ActionRequest, fromForm: Bool)
    case report(ReportDraft)
    case performBulk(BulkRequest, action: CaseAction)
    case undoBulk
    case loadInbox
    case loadHandover
    /// Writes a table or a shown document (→ `.status`); `overwrite`: the operator agreed to replace an existing file
    /// (else → `.exportAsks`).
    case export(ExportRequest, overwrite: Bool)
    case loadTheme(String)
    /// Finds the operator to see the city as (→ `.operatorFound`), then the reference data (→ `.referenceLoaded`).
    case switchOperator(String)
    case loadReference
    /// The idle lock's password, to resume the console (→ `.unlocked` / `.unlockRefused`).
    case unlock(String)
    /// Locks the console for the operator at it: the store signs out and the lock is audited (→ `.locked`).
    case lock
    /// Whether an administrator has disabled the operator at the console (→ `.operatorDisabled`, or nothing).
    case checkOperatorActive
    /// Whether the store's file is still the one opened (→ `.fileProblem`, or nothing).
    case checkFile
    /// Demo only: what the live simulator did last (→ `.simulatorNote`, or nothing).
    case readSimulatorNote
    /// Finds a case's row in the queue and selects it (→ `.caseSelected`).
    case selectCase(Int64)
    /// Checks a bulk action case by case without writing (→ `.bulkChecked`).
    case checkBulk(BulkRequest, action: CaseAction)
    /// The follow-up tasks waiting on the viewer (→ `.followUpsLoaded`); a task's case for a follow-up form
    /// (→ `.followUpFormData`); the follow-up writes, by the store's own calls (→ `.followUpDone`, or the refusal).
    case loadFollowUps
    case openFollowUpForm(FollowUpAction, FollowUpItem)
    case recordFollowUp(caseID: Int64, taskID: Int64, FollowUpOutcome)
    case decideFollowUp(FollowUpAction, caseID: Int64, taskID: Int64, note: String?)
    /// The patrol board's reading: open censuses over the viewer's region and the neglected cells (→ `.patrolBoardLoaded`);
    /// the censuses a census form may record in, the one asked for or (nil) every open one (→ `.censusFormData`); a
    /// census record, by the store's own call as `citygrid census record` makes it (→ `.censusRecorded`, or the refusal).
    case loadPatrolBoard
    case openCensusForm(Int64?)
    case recordCensus(CensusRecordDraft)
    /// Rings the terminal's bell once (cases newly wait on the operator; nothing comes back).
    case bell
}

/// What a request found, for `ConsoleUpdate.receive`.
enum ConsoleMessage: Sendable {
    case reloaded(QueueReading, live: Bool, followSelection: Bool)
    case windowLoaded(QueueWindow, thenDetail: Bool)
    case detailLoaded(id: Int64?, Result<CaseDetail, WorkflowError>, announce: Bool)
    /// Nil figures: a live refresh found the window's figures young enough to keep.
    case heatLoaded(HeatReading?)
    case referenceLoaded(ConsoleReference)
    case operatorFound(Operator)
    /// `onDuty`: the inspectors the roster has on duty for the case's cell, the first preselected (issue 17).
    case formData(CaseAction, ServiceCase, patrolArea: String, workload: WorkloadReport?, bulk: [Int64]?, onDuty: [Int64] = [])
    /// The dispatch or filing form of one case, with where the case goes and why (`ComponentRules.route`): its
    /// routing now, and the rule's suggestion when someone chose otherwise.
    case routedForm(CaseAction, ServiceCase, routing: Routing?, suggested: Routing?)
    case componentsLoaded([String: ComponentCellCounts])
    case nearbyComponents(cell: String, classCode: String, [Component])
    case reportFormAllowed
    case previewed(Result<ServiceCase, WorkflowError>)
    case duplicates(Result<[DuplicateCandidate], WorkflowError>)
    case acted(ServiceCase, CaseAction, fromForm: Bool)
    case reported(ServiceCase)
    case bulkDone(CaseAction, count: Int, undoable: Bool)
    case undone(CaseAction, count: Int)
    case inboxLoaded([InboxItem])
    case handoverLoaded(Handover)
    case themeLoaded(name: String, problem: String?)
    case unlocked
    case unlockRefused(SignInRefusal)
    /// The console locked itself after the idle time; `hasPassword`: the operator has a password to resume with.
    case locked(hasPassword: Bool)
    /// An administrator disabled the operator at the console: it closes, and nothing more is done or written.
    case operatorDisabled
    /// The store's file is no longer the one opened (the first problem found stays); `refusingWrite`: found as an
    /// action was about to write, which is not done.
    case fileProblem(FileProblem, refusingWrite: Bool)
    /// Demo only: the live simulator's last step, for the status line.
    case simulatorNote(SimulatorNote)
    /// The wall clock and the process's uptime, read by the runner once per key or idle tick: the time shown and
    /// deadlines; messages fading and the count's flash (uptime, as the wall clock may be pinned).
    case clock(Date, uptime: TimeInterval)
    /// A status line message (an export's result, a write refused before it reached the store).
    case status(StatusMessage)
    /// `:export` found a file there: the operator is asked before it is replaced.
    case exportAsks(ExportRequest)
    case failed(WorkflowError)
    /// A bulk action or its undo refused: nothing was written, and the refusing case is named.
    case bulkRefused(BulkRefusal)
    /// Where a case stands in the queue (nil: the queue does not hold it).
    case caseSelected(Int64, position: Int?)
    /// The cases of a bulk action that would refuse it, with why (empty: all would take it).
    case bulkChecked(BulkRequest, action: CaseAction, refusals: [Int64: WorkflowError])
    /// A reassign form's data: where each case may go, by the reassign rule.
    case reassignForm(ServiceCase, [ReassignChoices], bulk: [Int64]?)
    /// A merge form's data: the case's likely duplicates, to merge into.
    case mergeForm(ServiceCase, [DuplicateCandidate])
    /// The follow-ups board's tasks, earliest deadline first.
    case followUpsLoaded(Result<[FollowUpItem], WorkflowError>)
    /// A follow-up form's data: the task and its case, for the action's preconditions.
    case followUpFormData(FollowUpAction, FollowUpItem, ServiceCase)
    /// A follow-up recorded, or a dissatisfied one decided.
    case followUpDone(FollowUpAction, FollowUpRecording)
    /// The patrol board's reading.
    case patrolBoardLoaded(Result<PatrolBoardReading, WorkflowError>)
    /// The censuses a census form may be for (`requested`: the id the operator named, if any).
    case censusFormData([CensusReport], requested: Int64?)
    /// A census record stored.
    case censusRecorded(CensusRecord)
}

/// The patrol board's reading: the open censuses over the viewer's region (newest first, each with its progress by
/// patrol area) and the cells not visited within the site's interval (longest unvisited first).
struct PatrolBoardReading: Sendable, Equatable {
    var censuses: [CensusReport]
    var neglected: NeglectedCells
}

/// A refresh's reading of the queue's counts (or the overdue board's rows), the viewer's reach and the cells' figures.
struct QueueReading: Sendable {
    var counts: QueueCounts
    /// On the overdue board: every row, with its ratio, holder and at-risk reason.
    var board: [BoardEntry]?
    var reach: ReachCounts
    var measures: [String: CellMeasures]
    var at: Date
    /// Who waits on the viewer now (the queue, not the overdue board), to find arrivals.
    var needs: NeedsMeSet? = nil
}

/// The rows fetched around the selection, with their at-risk reasons and likely duplicate counts.
struct QueueWindow: Sendable {
    var start: Int
    var entries: [QueueEntry]
    /// Nil while the handling times are not read yet (the flags wait for the first idle moment).
    var risks: [Int64: RiskEstimate]?
    var duplicates: [Int64: Int]
}

/// The heatmap's window figures: its dates, the per-cell values of a window measure, and the evaluation board.
struct HeatReading: Sendable {
    var windowText: String
    var values: [String: Double]
    var report: EvaluationReport?
    /// The values' terms per cell (a rate's numerator and denominator); nil when the values are counts.
    var figures: [String: GridFigure]? = nil
    var period: EvaluationPeriod? = nil
}

/// What does not change while the console runs: categories, centers, the grid, who may be switched to.
struct ConsoleReference: Sendable {
    var categories: [Category]
    var hotlineLines: [HotlineLine] = HotlineLine.builtIn
    var departments: [Department]
    var centers: [Center]
    /// The model and who files and closes.
    var siteRules: CaseRules
    var timeZone: TimeZone
    var operators: [Operator]
    var gridCells: [GridCell]
    var cellNames: [String: String]
    /// English names of regions by code.
    var regionNamesEn: [String: String] = [:]
    /// The inspector with a verify or check task waiting, offered by the demo's role switcher.
    var busyInspector: Int64?
    var readOnly: ReadOnlyReason?
    var fileProblem: FileProblem?
    /// The site's access mode (open demo or signed).
    var access: AccessMode
    /// Whether arrivals ring the bell (the site's setting, or the viewer's own preference).
    var bellEnabled = true
}
