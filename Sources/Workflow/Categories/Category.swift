/// Components (部件) are fixed city property with an owner; events (事件) are happenings.
public enum CategoryKind: String, Sendable, Codable, CaseIterable {
    case component, event
}

/// How a category's handling limit is counted.
public enum LimitUnit: String, Sendable, Codable, CaseIterable {
    /// Calendar hours, round the clock (urgent categories).
    case hours
    case workingHours = "working_hours"
    case workingDays = "working_days"
}

/// A standard large/small class with its default department, urgency and handling limit.
public struct Category: Sendable, Hashable, Codable {
    public var kind: CategoryKind
    /// Four digits: two of the large class, two of the small class.
    public var code: String
    public var largeCode: String
    public var largeNameZh: String
    public var largeNameEn: String
    public var nameZh: String
    public var nameEn: String
    public var department: String
    public var urgent: Bool
    public var limitValue: Double
    public var limitUnit: LimitUnit
    /// Community-level by default (小事不出社区): a dispatch of its case goes to the community holding the cell when that
    /// community is a handling unit (`HandlingUnits.suggested`); an admin sets it (`category community-level`).
    public var communityLevel: Bool

    public init(kind: CategoryKind, code: String, largeCode: String, largeNameZh: String, largeNameEn: String,
                nameZh: String, nameEn: String, department: String, urgent: Bool, limitValue: Double, limitUnit: LimitUnit,
                communityLevel: Bool = false) {
        self.kind = kind; self.code = code; self.largeCode = largeCode; self.largeNameZh = largeNameZh
        self.largeNameEn = largeNameEn; self.nameZh = nameZh; self.nameEn = nameEn; self.department = department
        self.urgent = urgent; self.limitValue = limitValue; self.limitUnit = limitUnit; self.communityLevel = communityLevel
    }

    public var key: CategoryKey { CategoryKey(kind: kind, code: code) }

    /// The handling stage's budget: urgent categories and `hours` limits run on calendar time.
    public func handlingBudget(standardDayMinutes: Int) -> TimeBudget {
        switch limitUnit {
        case .hours: .calendar(minutes: Int((limitValue * 60).rounded()))
        case .workingHours: urgent ? .calendar(minutes: Int((limitValue * 60).rounded()))
                                   : .working(minutes: Int((limitValue * 60).rounded()))
        case .workingDays: urgent ? .calendar(minutes: Int((limitValue * 24 * 60).rounded()))
                                  : .working(minutes: Int((limitValue * Double(standardDayMinutes)).rounded()))
        }
    }
}

/// Category codes repeat across kinds (component 0101 is a water cover, event 0101 a shack).
public struct CategoryKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public var kind: CategoryKind
    public var code: String
    public init(kind: CategoryKind, code: String) { self.kind = kind; self.code = code }
    public var description: String { "\(kind.rawValue) \(code)" }
}

/// A handling department (专业部门), or a street, town or community made a handling unit below the district (三级处置):
/// then `regionCode` is that region's, and so is `code`.
public struct Department: Sendable, Hashable, Codable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var scope: String
    /// The street, town or community this unit is, nil for a department.
    public var regionCode: String?
    public init(code: String, nameZh: String, nameEn: String, scope: String, regionCode: String? = nil) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.scope = scope; self.regionCode = regionCode
    }

    /// Street or community, for a unit made from a region; nil for a department.
    public var handlingLevel: HandlingLevel? { regionCode.flatMap(HandlingLevel.of(regionCode:)) }
}
