import Foundation

/// What the pure lifecycle needs to know of the site: its model, calendar, limits and reference tables.
/// The store loads it once per command; tests build it by hand.
public struct LifecycleContext: Sendable {
    /// The model, and which centers file and close.
    public var rules: CaseRules
    public var model: ManagementModel { rules.model }
    public var cityCode: String
    public var calendar: WorkingCalendar
    public var limits: StageLimits
    public var categories: [CategoryKey: Category]
    public var centers: [String: Center]
    public var departments: [String: Department]
    /// Longest description a report may carry, in UTF-8 bytes.
    public var maxDescriptionBytes: Int
    /// The codes of the hotline lines a hotline report may name: the built-in ones and those the site added.
    public var hotlineLines: Set<String> = Set(HotlineLine.builtIn.map(\.code))

    public init(model: ManagementModel, cityCode: String, calendar: WorkingCalendar, limits: StageLimits = StageLimits(),
                categories: [CategoryKey: Category], centers: [String: Center], departments: [String: Department],
                maxDescriptionBytes: Int = 65_536, filingCenter: CenterKind? = nil, closingCenter: CenterKind? = nil) {
        self.rules = CaseRules(model: model, filingCenter: filingCenter, closingCenter: closingCenter); self.cityCode = cityCode; self.calendar = calendar; self.limits = limits
        self.categories = categories; self.centers = centers; self.departments = departments
        self.maxDescriptionBytes = maxDescriptionBytes
    }

    public func category(_ key: CategoryKey) throws(WorkflowError) -> Category {
        guard let category = categories[key] else { throw .notFound("no \(key.kind.rawValue) category \(key.code)") }
        return category
    }

    /// The clock of the stage a case waits in, or nil where no clock runs.
    public func budget(waitingIn state: CaseState, for serviceCase: ServiceCase) throws(WorkflowError) -> TimeBudget? {
        if state == .dispatched {
            let category = try category(serviceCase.categoryKey)
            return category.handlingBudget(standardDayMinutes: calendar.weekly.standardDayMinutes)
        }
        guard let minutes = limits.minutes(waitingIn: state) else { return nil }
        return serviceCase.urgent ? .calendar(minutes: minutes) : .working(minutes: minutes)
    }

    /// The monitoring center that takes a new report, by the site's model.
    public func monitorCenter(forDistrict district: String, reporter: Operator?) -> String {
        guard model.hasDistrictMonitoring else { return Center.id(kind: .monitoring, tier: .city, district: nil) }
        if let centerID = reporter?.centerID, let center = centers[centerID], center.kind == .monitoring,
           center.tier == .city || center.regionCode == district {
            return centerID
        }
        return Center.id(kind: .monitoring, tier: .district, district: district)
    }

    /// The command center a newly filed case goes to, by the site's model.
    public func commandCenterAtFiling(_ serviceCase: ServiceCase) -> String {
        model.commandCenterAtFiling(districtCode: serviceCase.districtCode, monitorCenterID: serviceCase.monitorCenterID)
    }
}

extension TimeBudget {
    func with(minutes: Int) -> TimeBudget {
        switch self {
        case .working: .working(minutes: minutes)
        case .calendar: .calendar(minutes: minutes)
        }
    }
}
