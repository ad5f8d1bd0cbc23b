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

    public init(kind: CategoryKind, code: String, largeCode: String, largeNameZh: String, largeNameEn: String,
                nameZh: String, nameEn: String, department: String, urgent: Bool, limitValue: Double, limitUnit: LimitUnit) {
        self.kind = kind; self.code = code; self.largeCode = largeCode; self.largeNameZh = largeNameZh
        self.largeNameEn = largeNameEn; self.nameZh = nameZh; self.nameEn = nameEn; self.department = department
        self.urgent = urgent; self.limitValue = limitValue; self.limitUnit = limitUnit
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

/// A handling department (专业部门).
public struct Department: Sendable, Hashable, Codable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var scope: String
    public init(code: String, nameZh: String, nameEn: String, scope: String) {
        self.code = code; self.nameZh = nameZh; self.nameEn = nameEn; self.scope = scope
    }
}
