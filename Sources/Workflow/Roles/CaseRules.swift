/// The site's rules for who takes a case through its stages: the management model, and which kind of center's
/// shift leads file (立案) and close (结案) cases, the site settings `filing.center` and `closing.center`. Unset, a
/// setting follows the model: the centralized model has the command center file and close (集中监督、集中指挥: the
/// command center files what the monitoring center accepted and closes what it checked), the other models the
/// monitoring center.
public struct CaseRules: Sendable, Equatable {
    public var model: ManagementModel
    public var filingCenter: CenterKind
    public var closingCenter: CenterKind

    public init(model: ManagementModel, filingCenter: CenterKind? = nil, closingCenter: CenterKind? = nil) {
        self.model = model
        self.filingCenter = filingCenter ?? model.defaultFilingCenter
        self.closingCenter = closingCenter ?? model.defaultFilingCenter   // the same default for both
    }

    /// The site settings' keys.
    public static let filingKey = "filing.center"
    public static let closingKey = "closing.center"

    /// The kind of center whose shift leads take `action`, for the two actions the settings decide (file, close);
    /// nil for every other action.
    public func center(for action: CaseAction) -> CenterKind? {
        switch action {
        case .file: filingCenter
        case .close: closingCenter
        default: nil
        }
    }

    /// The kind of center whose shift leads take `action`: the settings' for filing and closing, the monitoring
    /// center for every other shift lead's action (reject, urge, reassign, cancel).
    public func shiftLeadCenterKind(for action: CaseAction) -> CenterKind { center(for: action) ?? .monitoring }

    /// The center whose shift leads take `action` (file or close) on the case: its monitoring center, or the command
    /// center that receives it when filed (filing) or holds it (closing); nil for other actions, or a case no command
    /// center holds.
    public func shiftLeadCenter(for action: CaseAction, of c: ServiceCase) -> String? {
        switch center(for: action) {
        case .monitoring?: c.monitorCenterID
        case .command?: action == .file ? model.commandCenterAtFiling(districtCode: c.districtCode, monitorCenterID: c.monitorCenterID)
                                        : c.commandCenterID
        case nil: nil
        }
    }

    /// Whether any command center needs shift leads under these rules.
    public var commandCentersNeedShiftLeads: Bool { filingCenter == .command || closingCenter == .command }
}

extension ManagementModel {
    /// Which kind of center files and closes cases when the site leaves it to the model.
    public var defaultFilingCenter: CenterKind { self == .centralized ? .command : .monitoring }

    /// The command center a case goes to when it is filed: the city's, or (with district command) the district's;
    /// with both tiers of monitoring and command, the tier of the monitoring center that took it in.
    public func commandCenterAtFiling(districtCode: String, monitorCenterID: String) -> String {
        let city = Center.id(kind: .command, tier: .city, district: nil)
        let district = Center.id(kind: .command, tier: .district, district: districtCode)
        switch self {
        case .centralized, .oneMonitorTwoCommand: return city
        case .twoMonitorOneCommand: return district
        case .twoMonitorTwoCommand:
            return monitorCenterID == Center.id(kind: .monitoring, tier: .city, district: nil) ? city : district
        }
    }
}
