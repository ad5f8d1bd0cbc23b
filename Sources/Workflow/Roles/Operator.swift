/// A person who uses CityGrid. One role, in one center or one department, bounded to one region.
public struct Operator: Sendable, Hashable, Codable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: Role
    public var centerID: String?
    public var departmentCode: String?
    /// The city code (sees every district) or a district code (sees only that district).
    public var regionCode: String
    /// Inspectors walk one patrol area.
    public var patrolAreaID: String?
    public var tier: Tier
    /// Disabled operators may do nothing and are refused everywhere (`operator disable`).
    public var disabled: Bool = false
    /// The local Unix account this operator is bound to (`operator set --unix-user`), if any.
    public var unixUser: String?
    /// How this operator was identified when it is the one acting (set by `CityStore` as it resolves an actor;
    /// nil for an operator merely looked up). Copied into the history rows it writes (`via`).
    public var identifiedBy: Via?

    public init(id: Int64, login: String, name: String, role: Role, centerID: String?, departmentCode: String?,
                regionCode: String, patrolAreaID: String?, tier: Tier) {
        self.id = id; self.login = login; self.name = name; self.role = role; self.centerID = centerID
        self.departmentCode = departmentCode; self.regionCode = regionCode; self.patrolAreaID = patrolAreaID
        self.tier = tier
    }

    /// City-tier operators see every district; district operators only their own.
    public func canSee(district: String) -> Bool { tier == .city || regionCode == district }
}
