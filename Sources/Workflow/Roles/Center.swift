/// A monitoring (监督中心) or command (指挥中心) center at the city or a district tier.
public struct Center: Sendable, Hashable, Codable {
    public var id: String
    public var kind: CenterKind
    public var tier: Tier
    /// The city code for city centers, the district code for district centers.
    public var regionCode: String
    public var nameZh: String
    public var nameEn: String

    public init(id: String, kind: CenterKind, tier: Tier, regionCode: String, nameZh: String, nameEn: String) {
        self.id = id; self.kind = kind; self.tier = tier; self.regionCode = regionCode
        self.nameZh = nameZh; self.nameEn = nameEn
    }

    /// Center ids are readable: `CITY-M`, `CITY-C`, `110101-M`, `110101-C`.
    public static func id(kind: CenterKind, tier: Tier, district: String?) -> String {
        let suffix = kind == .monitoring ? "M" : "C"
        return tier == .city ? "CITY-\(suffix)" : "\(district ?? "?")-\(suffix)"
    }

    /// The kind of center an id made by `id(kind:tier:district:)` names, from its suffix; nil for anything else.
    public static func kind(ofID id: String) -> CenterKind? {
        if id.hasSuffix("-C") { return .command }
        if id.hasSuffix("-M") { return .monitoring }
        return nil
    }
}
