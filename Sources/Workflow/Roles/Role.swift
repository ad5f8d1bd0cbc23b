/// An operator has exactly one role. The raw values are the CLI's words.
public enum Role: String, Sendable, Codable, CaseIterable {
    case inspector, intake
    case shiftLead = "shift-lead"
    case dispatcher, department, supervisor, admin

    /// The kinds of center the role works in; empty for roles that need no center (departments, admins, and
    /// supervisors, who may sit in a center of either kind). A shift lead works in a monitoring center, or in a command
    /// center where the site has command centers file or close cases (`CaseRules`).
    public var centerKinds: [CenterKind] {
        switch self {
        case .inspector, .intake: [.monitoring]
        case .shiftLead: [.monitoring, .command]
        case .dispatcher: [.command]
        case .supervisor, .department, .admin: []
        }
    }

    /// `centerKinds` in words: "monitoring", "monitoring or command".
    public var centerKindsText: String { centerKinds.map(\.rawValue).joined(separator: " or ") }

    public var nameZh: String {
        switch self {
        case .inspector: "监督员"
        case .intake: "受理员"
        case .shiftLead: "值班长"
        case .dispatcher: "派遣员"
        case .department: "专业部门"
        case .supervisor: "领导"
        case .admin: "系统管理员"
        }
    }
}

public enum CenterKind: String, Sendable, Codable, CaseIterable {
    case monitoring, command
}

public enum Tier: String, Sendable, Codable, CaseIterable {
    case city, district
}
