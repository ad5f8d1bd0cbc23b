/// Where below the district a handling unit sits (三级处置): a community's workstation (社区工作站), or a street's office
/// (街道办事处) or a town's government (镇), which sit at the street level of the region tree. A unit made from a region
/// (`department add-region`) has the region's code, so a case's unit and cell say the level without a lookup.
public enum HandlingLevel: String, Sendable, Codable, CaseIterable {
    case street, community

    /// The level of `unit` for a case in `cell`: the cell's community, its street (or town), or neither (a department,
    /// a region that does not hold the cell, or no unit).
    public static func of(unit: String?, cell: some StringProtocol) -> HandlingLevel? {
        guard let unit, unit.count == RegionLevel.street.codeLength || unit.count == RegionLevel.community.codeLength else { return nil }
        if unit == CellCode.community(of: cell) { return .community }
        if unit == CellCode.street(of: cell) { return .street }
        return nil
    }

    /// The level of a region code: a street's (or town's) 9 digits, or a community's 12.
    public static func of(regionCode code: String) -> HandlingLevel? {
        guard code.allSatisfy(\.isASCIIDigit) else { return nil }
        switch code.count {
        case RegionLevel.street.codeLength: return .street
        case RegionLevel.community.codeLength: return .community
        default: return nil
        }
    }
}
