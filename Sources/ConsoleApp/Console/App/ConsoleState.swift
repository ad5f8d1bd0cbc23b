import Curses
import Foundation
import Workflow

/// Which pane has the keyboard.
enum Pane: String, Sendable, CaseIterable {
    case queue, map, detail
}

/// The queue: a window of rows fetched around the selection, never the whole list.
struct QueueState: Sendable {
    var entries: [QueueEntry] = []
    /// Index in the full list of `entries[0]`.
    var windowStart = 0
    var counts = QueueCounts()
    var selected = 0
    var scroll = 0
    var sort = QueueSort.due
    var ascending = true
    var filter = QueueFilter()
    /// What the ● "new" mark means (`QueueArrivals`): when the console opened (its first refresh), and when each case
    /// was last highlighted.
    var openedAt: Date?
    var lookedAt: [Int64: Date] = [:]
    /// Cases that newly came to wait on the operator since they last looked at them.
    var arrived: Set<Int64> = []
    /// The cases waiting on the operator at the last refresh (nil before the first), to find arrivals; and the cases
    /// the operator's own writes moved since, never announced as arrivals.
    var needsSet: NeedsMeSet?
    var ownWrites: Set<Int64> = []
    /// The needs-me count flashes until this uptime (`ConsoleState.uptime`) after cases arrived.
    var flashUntil: TimeInterval?
    /// The selected case's id, kept so a refresh can find it again wherever it moved.
    var selectionID: Int64?
    /// `/` is being typed.
    var filterEditing = false
    /// Where ↑/↓ stand in the `/` history while it is typed (nil: the text being typed).
    var filterHistoryIndex: Int?
    /// Cases marked with Space for a bulk action.
    var marked: Set<Int64> = []
    /// The list shown: the queue, or the overdue board (worst first by share of the stage's limit used).
    var mode = QueueMode.queue
    /// Board rows: the ratio of the limit used and who holds the stage; and at-risk reasons, by case.
    var boardInfo: [Int64: (ratio: String, responsible: String)] = [:]
    /// Board rows: each case's stage clock (time left in the stage's own time), and the board's sort (`OverdueBoardView`).
    var boardReadings: [Int64: StageReading] = [:]
    var boardSort = OverdueBoardSort.ratio
    var boardAscending = false
    var risks: [Int64: RiskEstimate] = [:]
    /// How many likely duplicates each not-yet-filed case has.
    var duplicates: [Int64: Int] = [:]
    /// The overdue board's rows, read whole (the board is bounded).
    var boardRows: [QueueEntry] = []
    /// Rows of the list on screen, worked out by update from the frame's size (`ConsoleUpdate.settle`).
    var pageRows = 10
    var total: Int { counts.total }

    func entry(at index: Int) -> QueueEntry? {
        let i = index - windowStart
        return entries.indices.contains(i) ? entries[i] : nil
    }

    var selectedEntry: QueueEntry? { entry(at: selected) }
}

/// What the queue pane shows: the queue, the overdue board, the evaluation board, or the follow-ups (回访) waiting on
/// the monitoring center (`FollowUpBoardView`), or the patrol board (censuses' progress and neglected cells,
/// `PatrolBoardView`).
enum QueueMode: Sendable, Equatable { case queue, board, evaluation, followUps, patrol }

/// The patrol board: the open censuses in the viewer's region with their progress by patrol area, and the cells no
/// inspector visited within the site's patrol interval, as Workflow reads them.
struct PatrolBoardState: Sendable {
    /// Nil until the first reading.
    var reading: PatrolBoardReading?
    var selected = 0
    var scroll = 0
}

/// The follow-ups board: the follow-up tasks in the viewer's reach as Workflow lists them (`followUps(for:)`), earliest
/// deadline first; an intake operator records the open ones, a shift lead decides the flagged ones.
struct FollowUpBoardState: Sendable {
    /// Nil until the first reading.
    var items: [FollowUpItem]?
    var selected = 0
    var scroll = 0

    var selectedItem: FollowUpItem? {
        guard let items, items.indices.contains(selected) else { return nil }
        return items[selected]
    }
}

/// The evaluation board: ranked regions, departments or operators for the heatmap's window.
struct EvaluationBoardState: Sendable {
    var grouping = EvaluationGrouping.district
    var report: EvaluationReport?
    /// Column 2 is the composite score: ranked best first until the operator sorts otherwise.
    var sortColumn = 2
    var descending = true
    /// The highlighted row, the first row shown, and the first of the scrolled columns (`EvaluationBoardLayout`).
    var selected = 0
    var scroll = 0
    var firstColumn = 0
}

/// The grid map's data and view.
struct MapState: Sendable {
    var measure = MapMeasure.open
    var model = MapModel(cells: [], title: "", legendLabel: "")
    var view = MapViewState(cursorRow: 0, cursorCol: 0, zoom: 0, highlighted: nil)
    var measures: [String: CellMeasures] = [:]
    var cellNames: [String: String] = [:]
    /// The cells of the viewer's region, loaded once.
    var gridCells: [GridCell] = []
    var window = HeatWindow.days7
    /// How many windows back from the current one (0 = the one that contains today).
    var windowOffset = 0
    /// The window's dates as shown, e.g. "2026-11-19 – 2026-11-25".
    var windowText = ""
    var quantile = false
    /// Getis-Ord Gi* z-scores instead of the raw measure.
    var hotspot = false
    var category: CategoryKey?
    /// Per-cell values of a window measure.
    var windowValues: [String: Double] = [:]
    /// Per-cell terms of a window measure (a rate's numerator and denominator), what map blocks are summed from.
    var windowFigures: [String: GridFigure] = [:]
    /// The window's dates, for the title's short forms.
    var windowPeriod: EvaluationPeriod?
    /// English names of regions by code (`cellNames` holds the Chinese ones).
    var regionNamesEn: [String: String] = [:]
    /// The drill-down steps taken from the map, so Esc goes back up one level at a time.
    var drill: [MapDrillStep] = []
    var zScores: [String: Double] = [:]
    /// The map has been fitted to its pane once (later resizes keep the operator's zoom).
    var fitted = false
    /// Each grid cell's neighbours, for the hotspot scores; worked out once per region.
    var neighbours: [[Int]] = []
    /// The component layer (部件图层), nil when off: each cell's components of a class (or all) by state.
    var components: ComponentLayer?
    /// The class the component layer shows (`:components CODE`), nil for every class; kept while the layer is off.
    var componentClass: String?
    /// Each cell's components by state, as the layer last read them.
    var componentCounts: [String: ComponentCellCounts] = [:]
}

/// What the map's component layer shows: the components needing work (damaged, missing, abandoned) or all those in
/// place, of one class (`:components CODE`) or of every class.
struct ComponentLayer: Sendable, Equatable {
    enum Show: Sendable, Equatable { case faulty, present }
    var show = Show.faulty
    var classCode: String?

    func label(_ lang: Language, className: String?) -> String {
        let what = show == .faulty ? lang.t("部件：破损/丢失/废弃", "components: damaged/missing/abandoned")
            : lang.t("部件：在册", "components in place")
        guard let classCode else { return what }
        return what + " · " + classCode + (className.map { " " + $0 } ?? "")
    }
}

enum MapMeasure: String, Sendable, CaseIterable {
    case open, overdue, newToday = "new-today"
    /// Over the chosen window, from the evaluation rollups.
    case filed, onTimeClosure = "on-time-closure", rework
    /// Reports of one category over the window (`:measure category 0102`).
    case category
    /// Cells with a ping within the site's patrol interval (issue 17): 1 a cell, blocks count them.
    case patrolled

    func label(_ lang: Language) -> String {
        switch self {
        case .open: lang.t("未结案件", "open cases")
        case .overdue: lang.t("超期案件", "overdue cases")
        case .newToday: lang.t("今日新增", "new today")
        case .filed: lang.t("立案数", "cases filed")
        case .onTimeClosure: lang.t("按期结案率%", "on-time closure %")
        case .rework: lang.t("返工率%", "rework rate %")
        case .category: lang.t("类别上报数", "reports of category")
        case .patrolled: lang.t("时限内已巡查网格", "cells patrolled in interval")
        }
    }

    /// Measured over a time window rather than as of now.
    var usesWindow: Bool { self == .filed || self == .onTimeClosure || self == .rework || self == .category }

    /// The evaluation indicator a window measure shows per cell.
    var indicator: Indicator? {
        switch self {
        case .filed: .casesFiled
        case .onTimeClosure: .onTimeClosureRate
        case .rework: .reworkRate
        default: nil
        }
    }

    func value(_ m: CellMeasures) -> Double {
        switch self {
        case .open: Double(m.open)
        case .overdue: Double(m.overdue)
        case .newToday: Double(m.newToday)
        case .patrolled: Double(m.patrolled)
        case .filed, .onTimeClosure, .rework, .category: 0
        }
    }
}

/// The heatmap's time window, stepped back with `[` and forward with `]` (its dates are Workflow's; its name,
/// `MapPaneText.windowName`).
typealias HeatWindow = HeatmapWindow

struct DetailState: Sendable {
    var caseID: Int64?
    var detail: CaseDetail?
    var scroll = 0
    var error: String?
    /// Set by a write: the next refresh shows the highlighted row's case, whatever has the focus.
    var followsSelection = false
    /// A case opened by id (`:case`, the inbox) that the pane shows until the cursor moves; otherwise the pane always
    /// shows the highlighted row's case (`CasePane.caseID`).
    var pinnedID: Int64?
}

/// A message in the status line; refusals from Workflow land here word for word.
struct StatusMessage: Sendable, Equatable {
    enum Kind: Sendable { case info, ok, error }
    var text: String
    var kind: Kind
}

enum Overlay: Sendable, Equatable {
    case help
    /// A question waiting for y/n; `then` runs on yes.
    case confirm(String, ConfirmAction)
    case roleSwitcher([Operator], selected: Int)
    case actions(caseID: Int64, [CaseAction], selected: Int)
    /// Pending requests waiting on this dispatcher or lead, with what approving would do.
    case inbox([InboxLine], selected: Int)
    /// A read-only document (the shift handover), scrolled.
    case document(title: String, lines: [String], scroll: Int)
}

struct InboxLine: Sendable, Equatable {
    var caseID: Int64
    var text: String
    /// Who may decide the request when this operator may not ("a dispatcher of …"); nil when they may.
    var decider: String? = nil
}

/// Why a console closed without the operator quitting.
enum ConsoleClosing: Sendable, Equatable {
    /// An administrator disabled the operator at the console (`operator disable`).
    case operatorDisabled

    func message(_ lang: Language) -> String {
        switch self {
        case .operatorDisabled:
            lang.t("您的操作员账号已被管理员停用，控制台已关闭。", "Your operator account was disabled by an administrator; the console has closed.")
        }
    }
}

enum ConfirmAction: Sendable, Equatable {
    case quit
    case undoBulk
    /// Esc on a form with input: drop it.
    case discardForm
    /// A bulk action some marked cases would refuse: do it on the others.
    case bulkRest
    /// An export whose file exists: replace it; `back` is what was shown when it was asked (the handover), shown
    /// again after the answer.
    indirect case export(ExportRequest, back: Overlay?)
}

/// Everything the console shows. `update` changes it; `render` draws it; neither touches the terminal
/// or the database.
struct ConsoleState: Sendable {
    var viewer: Operator
    /// The site's management model: which actions exist at all (escalation needs a city command center).
    /// The site's model and who files and closes (`Lifecycle.availableActions` follows them).
    var siteRules = CaseRules(model: .oneMonitorTwoCommand)
    var siteModel: ManagementModel { siteRules.model }
    var centerName: String = ""
    var lang: Language
    var width = 80
    var height = 24
    var focus = Pane.queue
    var queue = QueueState()
    var evaluation = EvaluationBoardState()
    var followUps = FollowUpBoardState()
    var patrol = PatrolBoardState()
    var map = MapState()
    var detail = DetailState()
    var form: FormState?
    var commandLine: CommandLineState?
    var overlay: Overlay?
    /// The message beside the counters; every one set is kept in `messageLog` and fades (`MessageLog`).
    var status: StatusMessage? {
        didSet { MessageLog.record(status, in: &messageLog, since: &statusSince, at: now, uptime: uptime) }
    }
    var messageLog: [LoggedMessage] = []
    /// The uptime the current message was set at; and the process's uptime as the last tick or key brought it (the wall
    /// clock may be pinned by `CITYGRID_NOW`, so fading and flashing go by this).
    var statusSince: TimeInterval = 0
    var uptime: TimeInterval = 0
    /// Whether a case newly waiting on the operator rings the bell (the site's setting, or the operator's own).
    var bellEnabled = true
    /// The help overlay's first line shown (`HelpContent`).
    var helpScroll = 0
    /// Why the database may not be written (from the start), and what went wrong with its file (found later);
    /// either one refuses every action, and the second stays on the status line.
    var readOnly: ReadOnlyReason?
    var fileProblem: FileProblem?
    var reach = ReachCounts()
    var now = Date()
    var lastRefresh: Date?
    var themeName = "default"
    var colorDepth = ColorDepth.ansi16
    var demo = false
    /// The site's access mode: an `open` site is marked as a demo in the header; a `signed` one offers no operator
    /// switching and locks when idle.
    var access = AccessMode.open
    /// The idle lock's screen, drawn over everything while set; the panes, a form and the command line behind it
    /// are kept as they are (`SignInState`).
    var lock: SignInState?
    /// Why the console closed itself, said on the terminal after it is restored.
    var closing: ConsoleClosing?
    var simulatorNote: SimulatorNote?
    var shouldQuit = false
    /// Ctrl-L or a theme change: repaint every cell on the next frame. A count of requests, so the run loop keeps
    /// which it has done without writing into the state.
    var redrawRequested = 0
    var categories: [Category] = []
    /// The hotline lines a hotline report may name (12319, 96150 and the site's own).
    var hotlineLines: [HotlineLine] = HotlineLine.builtIn
    /// The line of the last hotline report this session filed: the intake form starts on it (a call-taker works one line).
    var lastHotlineLine: String?
    var departments: [Department] = []
    var centers: [Center] = []
    var inspectors: [Operator] = []
    /// Demo only: who the role switcher offers.
    var roleChoices: [Operator] = []
    /// The site's time zone (its settings, chosen at `init --timezone`): every time the console shows is in it.
    var timeZone = TimeZone(secondsFromGMT: 0)!
    var commandHistory: [String] = []
    /// The approvals inbox's row a decision (O/Z) was opened from: once it is made or cancelled, the inbox opens
    /// again there, on the next request.
    var inboxReturn: Int?
    /// The `/` filters kept with Enter, oldest first (`InputHistory`).
    var filterHistory: [String] = []
    var themeNames = ["default", "light", "high-contrast", "mono"]

    /// Tab completion for the command line, from what the console already knows.
    func completions(for text: String) -> [String] {
        ConsoleCommandParser.completions(
            for: text, caseIDs: queue.entries.map(\.serviceCase.id), departments: departments.map(\.code),
            centers: centers.filter { $0.kind == .command }.map(\.id), categories: categories.map(\.code),
            inspectors: inspectors.map(\.login), themes: themeNames)
    }

    init(viewer: Operator, lang: Language) {
        self.viewer = viewer
        self.lang = lang
    }

    var queueRows: Int { queue.pageRows }
}
