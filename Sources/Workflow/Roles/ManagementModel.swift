/// The four management models of the primer (section 4). The site picks one; it decides which
/// centers exist and how a case travels between tiers.
public enum ManagementModel: String, Sendable, Codable, CaseIterable {
    /// 集中监督、集中指挥: one city monitoring center, one city command center.
    case centralized
    /// 一级监督、两级指挥: city monitoring; city command routes to district command centers.
    case oneMonitorTwoCommand = "one-monitor-two-command"
    /// 两级监督、一级指挥: city and district monitoring; district command centers dispatch.
    case twoMonitorOneCommand = "two-monitor-one-command"
    /// 两级监督、两级指挥: both tiers have both centers.
    case twoMonitorTwoCommand = "two-monitor-two-command"

    public var hasDistrictMonitoring: Bool { self == .twoMonitorOneCommand || self == .twoMonitorTwoCommand }
    public var hasDistrictCommand: Bool { self != .centralized }
    public var hasCityCommand: Bool { self != .twoMonitorOneCommand }

    /// The centers a site of this model has, for a city and its districts.
    public func centerSpecs(districts: [String]) -> [(kind: CenterKind, tier: Tier, region: String?)] {
        var specs: [(CenterKind, Tier, String?)] = [(.monitoring, .city, nil)]
        if hasCityCommand { specs.append((.command, .city, nil)) }
        for d in districts {
            if hasDistrictMonitoring { specs.append((.monitoring, .district, d)) }
            if hasDistrictCommand { specs.append((.command, .district, d)) }
        }
        return specs
    }
}
