/// The levels of the region tree. A cell code is 15 digits: district (6) + street (3) + community (3) + cell (3),
/// so every region's code is a prefix of its cells' codes (the city's own code aside).
public enum RegionLevel: String, Sendable, Codable, CaseIterable {
    case city, district, street, community, cell

    /// The length of a code at this level; the city code is a 6-digit administrative code too.
    public var codeLength: Int {
        switch self {
        case .city, .district: 6
        case .street: 9
        case .community: 12
        case .cell: 15
        }
    }
}

public struct Region: Sendable, Equatable, Codable {
    public var code: String
    public var level: RegionLevel
    public var nameZh: String
    public var nameEn: String
    public var parentCode: String?
    public var cellCount: Int
    /// A cell's centre and patrol area (nil for other levels).
    public var lat: Double?
    public var lon: Double?
    public var patrolAreaID: String?
    /// A street-level region that is a town (镇) rather than a street office (街道); always false at other levels.
    public var isTown: Bool
    public init(code: String, level: RegionLevel, nameZh: String, nameEn: String, parentCode: String?, cellCount: Int,
                lat: Double? = nil, lon: Double? = nil, patrolAreaID: String? = nil, isTown: Bool = false) {
        self.code = code; self.level = level; self.nameZh = nameZh; self.nameEn = nameEn
        self.parentCode = parentCode; self.cellCount = cellCount
        self.lat = lat; self.lon = lon; self.patrolAreaID = patrolAreaID; self.isTown = isTown
    }

    /// The region's kind as listings word it: its level, or `town` for a town at the street level.
    public var kind: RegionKind { isTown ? .town : RegionKind(level) }
}

/// What a region is, as imports and listings name it: a level of the tree, with towns (镇) beside streets (街道) at the
/// street level (a town is handled like a street: the grid is street or town → community → cell).
public enum RegionKind: String, Sendable, Codable, CaseIterable {
    case city, district, street, town, community, cell

    public init(_ level: RegionLevel) {
        switch level {
        case .city: self = .city
        case .district: self = .district
        case .street: self = .street
        case .community: self = .community
        case .cell: self = .cell
        }
    }

    /// The level of the tree it sits at.
    public var level: RegionLevel {
        switch self {
        case .city: .city
        case .district: .district
        case .street, .town: .street
        case .community: .community
        case .cell: .cell
        }
    }
}

/// A unit grid cell (万米单元网格) with its place on the city's grid and its centre point.
public struct GridCell: Sendable, Equatable, Codable {
    public var code: String
    public var nameZh: String
    public var row: Int
    public var col: Int
    public var lat: Double
    public var lon: Double
    public var patrolAreaID: String?
    public var place: CellPlace {
        CellPlace(cellCode: code, patrolAreaID: patrolAreaID)
    }
    public init(code: String, nameZh: String, row: Int, col: Int, lat: Double, lon: Double, patrolAreaID: String?) {
        self.code = code; self.nameZh = nameZh; self.row = row; self.col = col; self.lat = lat; self.lon = lon
        self.patrolAreaID = patrolAreaID
    }
}

public enum CellCode {
    /// A valid cell code is 15 ASCII digits. Older 14-digit codes are refused with a message saying so.
    public static func validate(_ code: String) throws(WorkflowError) {
        guard code.allSatisfy(\.isASCIIDigit) else {
            throw .invalidInput("cell code '\(code)' must be digits only")
        }
        if code.count == 14 {
            throw .invalidInput("cell code '\(code)' has 14 digits (an older form); CityGrid uses 15: district 6 + street 3 + community 3 + cell 3")
        }
        guard code.count == 15 else {
            throw .invalidInput("cell code '\(code)' must have 15 digits: district 6 + street 3 + community 3 + cell 3")
        }
    }
}

/// The regions a code belongs to, read from the code itself: a cell code is district (6) + street (3) +
/// community (3) + cell (3) digits, so each region's code is a prefix of its cells' codes. The one place that
/// slices codes; it works on any code of the tree (a community's code gives its street and district).
extension CellCode {
    public static func district(of code: some StringProtocol) -> String { String(code.prefix(RegionLevel.district.codeLength)) }
    public static func street(of code: some StringProtocol) -> String { String(code.prefix(RegionLevel.street.codeLength)) }
    public static func community(of code: some StringProtocol) -> String { String(code.prefix(RegionLevel.community.codeLength)) }
    /// A cell's own three digits, its number within its community ("单元网格 001").
    public static func serial(of code: some StringProtocol) -> String {
        String(code.suffix(RegionLevel.cell.codeLength - RegionLevel.community.codeLength))
    }
}

extension CellPlace {
    /// Cell `code` with its community, street and district, as its code says.
    public init(cellCode code: String, patrolAreaID: String?) {
        self.init(code: code, communityCode: CellCode.community(of: code), streetCode: CellCode.street(of: code),
                  districtCode: CellCode.district(of: code), patrolAreaID: patrolAreaID)
    }
}
