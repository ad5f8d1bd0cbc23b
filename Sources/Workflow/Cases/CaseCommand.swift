/// An action on a case with its arguments already resolved by the store (operators, cases and
/// centers looked up), so the lifecycle itself needs no I/O.
public enum CaseCommand: Sendable {
    case accept
    case verify(inspector: Operator)
    case confirm
    case invalid
    case file(category: CategoryKey?, department: String?)
    case reject
    case cancel
    /// Boxed: a whole case inline would make every command the size of a case.
    indirect case merge(into: ServiceCase)
    case dispatchToDepartment(String)
    case dispatchToCenter(Center)
    case escalate
    case handle
    case request(RequestKind, hours: Double?)
    case approve
    case refuse
    case resume
    case check(inspector: Operator)
    case pass
    case fail
    case close
    case urge
    /// The task goes to someone else; see ``ReassignTarget``.
    case reassign(ReassignTarget)
    /// Back from the city command center to this district command center.
    case returnToDistrict(Center)
    /// A supervisor's priority mark, set and cleared.
    case prioritize
    case deprioritize

    public var action: CaseAction {
        switch self {
        case .accept: .accept
        case .verify: .verify
        case .confirm: .confirm
        case .invalid: .invalid
        case .file: .file
        case .reject: .reject
        case .cancel: .cancel
        case .merge: .merge
        case .dispatchToDepartment, .dispatchToCenter: .dispatch
        case .escalate: .escalate
        case .handle: .handle
        case .request(let kind, _):
            switch kind {
            case .return: .requestReturn
            case .extension: .requestExtension
            case .suspension: .requestSuspension
            }
        case .approve: .approve
        case .refuse: .refuse
        case .resume: .resume
        case .check: .check
        case .pass: .pass
        case .fail: .fail
        case .close: .close
        case .urge: .urge
        case .reassign: .reassign
        case .returnToDistrict: .returnToDistrict
        case .prioritize: .prioritize
        case .deprioritize: .deprioritize
        }
    }
}

/// Where a reassigned task goes: an inspector's verify or check task to another inspector, a dispatched
/// case to another department or to a district command center (a re-dispatch).
public enum ReassignTarget: Sendable {
    case inspector(Operator)
    case department(String)
    case center(Center)

    public var label: String {
        switch self {
        case .inspector(let op): op.login
        case .department(let code): code
        case .center(let center): center.id
        }
    }
}

/// What a command did: the case after it, the history rows to append, and for a merge the
/// surviving case after it.
public struct Transition: Sendable {
    public var after: ServiceCase
    public var entry: HistoryEntry
    /// The surviving case of a merge and its history row. Boxed: a merge is rare, and the pair inline
    /// would triple the size of every transition the lifecycle returns.
    public var mergedInto: (after: ServiceCase, entry: HistoryEntry)? {
        get { merged?.value }
        set { merged = newValue.map(MergedBox.init) }
    }
    private var merged: MergedBox?

    public init(after: ServiceCase, entry: HistoryEntry, mergedInto: (after: ServiceCase, entry: HistoryEntry)?) {
        self.after = after
        self.entry = entry
        merged = mergedInto.map(MergedBox.init)
    }

    private final class MergedBox: Sendable {
        let value: (after: ServiceCase, entry: HistoryEntry)
        init(_ value: (after: ServiceCase, entry: HistoryEntry)) { self.value = value }
    }
}

/// A new report as the CLI, a form or a channel hands it in.
public struct ReportDraft: Sendable {
    public var kind: CategoryKind
    public var categoryCode: String
    public var cellCode: String
    public var description: String
    public var source: ReportSource?
    public var reporterName: String?
    public var reporterPhone: String?
    public var componentID: String?
    /// The hotline line the call came in on (hotline reports only).
    public var line: String?
    /// The reporter judged it urgent: its clocks run on calendar time even if its category's do not.
    /// (It can raise urgency, never lower an urgent category's.)
    public var urgent = false

    public init(kind: CategoryKind, categoryCode: String, cellCode: String, description: String, source: ReportSource? = nil,
                reporterName: String? = nil, reporterPhone: String? = nil, componentID: String? = nil, urgent: Bool = false, line: String? = nil) {
        self.kind = kind; self.categoryCode = categoryCode; self.cellCode = cellCode; self.description = description
        self.source = source; self.reporterName = reporterName; self.reporterPhone = reporterPhone; self.componentID = componentID
        self.urgent = urgent; self.line = line
    }
}

/// Where a cell sits in the region tree, and which patrol area walks it.
public struct CellPlace: Sendable, Equatable {
    public var code: String
    public var communityCode: String
    public var streetCode: String
    public var districtCode: String
    public var patrolAreaID: String?
    public init(code: String, communityCode: String, streetCode: String, districtCode: String, patrolAreaID: String?) {
        self.code = code; self.communityCode = communityCode; self.streetCode = streetCode
        self.districtCode = districtCode; self.patrolAreaID = patrolAreaID
    }
}
