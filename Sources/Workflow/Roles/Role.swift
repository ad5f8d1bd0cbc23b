/// An operator has exactly one role. The raw values are the CLI's words.
public enum Role: String, Sendable, Codable, CaseIterable {
    case inspector, intake
    case shiftLead = "shift-lead"
    case dispatcher, department, supervisor, admin

    /// Which kind of center the role sits in; departments and admins sit in none.
    public var centerKind: CenterKind? {
        switch self {
        case .inspector, .intake, .shiftLead: .monitoring
        case .dispatcher: .command
        case .supervisor: nil   // either kind
        case .department, .admin: nil
        }
    }

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
