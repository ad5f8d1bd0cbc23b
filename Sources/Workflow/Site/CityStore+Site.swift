import Foundation
import GRDB

/// The site's configuration: which model, which city, which calendar and limits.
public struct SiteSettings: Sendable, Equatable {
    public var model: ManagementModel
    public var cityCode: String
    public var cityNameZh: String
    public var cityNameEn: String
    public var timeZone: String
    public var weeklySchedule: String
    public var limits: StageLimits
    /// How the site decides who is acting: `init` makes `signed` sites, the demo `open` ones.
    public var access: AccessMode
    /// The site settings `filing.center` and `closing.center`; nil where the site follows its model (`CaseRules`).
    public var filingCenter: CenterKind?
    public var closingCenter: CenterKind?
    /// The model and who files and closes, the settings or the model's defaults.
    public var rules: CaseRules { CaseRules(model: model, filingCenter: filingCenter, closingCenter: closingCenter) }

    public init(model: ManagementModel, cityCode: String = "110000", cityNameZh: String = "示范市",
                cityNameEn: String = "Demo City", timeZone: String = SiteSettings.defaultTimeZoneName,
                weeklySchedule: String = WeeklySchedule.standard.description, limits: StageLimits = StageLimits(),
                access: AccessMode = .open) {
        self.model = model; self.cityCode = cityCode; self.cityNameZh = cityNameZh; self.cityNameEn = cityNameEn
        self.timeZone = timeZone; self.weeklySchedule = weeklySchedule; self.limits = limits; self.access = access
    }
}

extension SiteSettings {
    /// The zone a stored name stands for. A name `TimeZone` does not know is refused with its value (a storage error:
    /// damage, a hand edit, or a newer system's zone), never read as another zone.
    static func timeZone(named name: String) throws(WorkflowError) -> TimeZone {
        guard let zone = TimeZone(identifier: name) else { throw .storage("the site's time zone '\(name)' is unknown") }
        return zone
    }
}

extension CityStore {

    /// Writes a new site: settings, the city region, reference categories and departments, and the
    /// model's city centers. District centers come with the districts (`addDistrict`).
    /// `createdAt` anchors the site's time window until a working calendar is imported (see `TimeWindow`).
    public func createSite(_ settings: SiteSettings, categories: [Category], departments: [Department],
                           createdAt: Date? = nil) throws(WorkflowError) {
        guard TimeZone(identifier: settings.timeZone) != nil else {
            throw .invalidInput("unknown time zone \(settings.timeZone)")
        }
        do { _ = try WeeklySchedule(parsing: settings.weeklySchedule) } catch {
            throw .invalidInput("working hours '\(settings.weeklySchedule)': \(error)")
        }
        try write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM site") == 0 else {
                throw WorkflowError.storage("this database already holds a site")
            }
            var pairs: [(String, String)] = [
                ("model", settings.model.rawValue), ("city_code", settings.cityCode),
                ("city_name_zh", settings.cityNameZh), ("city_name_en", settings.cityNameEn),
                ("timezone", settings.timeZone), ("weekly_schedule", settings.weeklySchedule),
                ("access", settings.access.rawValue),
            ]
            for key in StageLimits.keys { pairs.append(("limit.\(key)", String(settings.limits[key] ?? 0))) }
            if let kind = settings.filingCenter { pairs.append((CaseRules.filingKey, kind.rawValue)) }
            if let kind = settings.closingCenter { pairs.append((CaseRules.closingKey, kind.rawValue)) }
            for (key, value) in pairs {
                try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?)", arguments: [key, value])
            }
            try db.execute(sql: "INSERT INTO region(code, level, name_zh, name_en) VALUES (?, 'city', ?, ?)",
                           arguments: [settings.cityCode, settings.cityNameZh, settings.cityNameEn])
            for d in departments { try DepartmentRecord(d).insert(db) }
            for c in categories {
                try db.execute(sql: """
                    INSERT INTO category(kind, code, large_code, large_name_zh, large_name_en, name_zh, name_en,
                                         department, urgent, limit_value, limit_unit, community_level)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [c.kind.rawValue, c.code, c.largeCode, c.largeNameZh, c.largeNameEn, c.nameZh,
                                     c.nameEn, c.department, c.urgent, c.limitValue, c.limitUnit.rawValue, c.communityLevel])
            }
            for spec in settings.model.centerSpecs(districts: []) {
                try Self.insertCenter(db, kind: spec.kind, tier: spec.tier, district: nil, regionCode: settings.cityCode,
                                      regionNameZh: settings.cityNameZh, regionNameEn: settings.cityNameEn)
            }
            if let createdAt {
                try db.execute(sql: "UPDATE time_window SET site_created_at = ?", arguments: [createdAt.saturatedSeconds])
            }
        }
    }

    // MARK: Time window

    /// The site's time window: its setting, anchored on the calendar's first year or the site's creation day.
    public func timeWindow() throws(WorkflowError) -> TimeWindow {
        try read { db in try Self.timeWindow(db) }
    }

    static func timeWindow(_ db: Database) throws -> TimeWindow {
        // No stored zone (a database before its site is written): the site default. A stored name no TimeZone knows is
        // damage or a hand edit, refused with its value, never read as the default.
        let zoneName = try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = 'timezone'") ?? SiteSettings.defaultTimeZoneName
        let zone = try SiteSettings.timeZone(named: zoneName)
        var window = TimeWindow(timeZone: zone)
        // A database opened read-only before its "v9 time window" migration ran has no table yet: the defaults hold.
        if try db.tableExists("time_window"),
           let row = try Row.fetchOne(db, sql: "SELECT past_years, future_minutes, site_created_at FROM time_window WHERE id = 1") {
            window.pastYears = row["past_years"]
            window.futureMinutes = row["future_minutes"]
            if let created: Int64 = row["site_created_at"], TimeWindow.isPlausible(created) {
                let s = TimeWindow.clamped(Date(timeIntervalSince1970: Double(created)))
                let (y, m, d, _) = InstantText.civil(s, offset: zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(s))))
                window.anchor = LocalDate(year: y, month: m, day: d).map(TimeWindow.Anchor.siteCreated)
            }
        }
        // The calendar's first year wins: holidays are loaded a year at a time, from when the site's work starts.
        if let first = try String.fetchOne(db, sql: "SELECT min(date) FROM calendar_day").flatMap(LocalDate.init(string:)),
           let start = LocalDate(year: first.year, month: 1, day: 1) {
            window.anchor = .calendar(start)
        }
        return window
    }

    /// Changes the site's time window (nil keeps a number as it is).
    @discardableResult
    public func setTimeWindow(pastYears: Int?, futureMinutes: Int?) throws(WorkflowError) -> TimeWindow {
        if let pastYears, !TimeWindow.pastYearsRange.contains(pastYears) {
            throw .invalidInput("past years must be \(TimeWindow.pastYearsRange.lowerBound) to \(TimeWindow.pastYearsRange.upperBound), not \(pastYears)")
        }
        if let futureMinutes, !TimeWindow.futureMinutesRange.contains(futureMinutes) {
            throw .invalidInput("future minutes must be \(TimeWindow.futureMinutesRange.lowerBound) to \(TimeWindow.futureMinutesRange.upperBound), not \(futureMinutes)")
        }
        return try write { db in
            _ = try Self.settings(db)   // a site must exist
            try self.requireAdminWhenSigned(db)
            if let pastYears { try db.execute(sql: "UPDATE time_window SET past_years = ?", arguments: [pastYears]) }
            if let futureMinutes { try db.execute(sql: "UPDATE time_window SET future_minutes = ?", arguments: [futureMinutes]) }
            return try Self.timeWindow(db)
        }
    }

    static func insertCenter(_ db: Database, kind: CenterKind, tier: Tier, district: String?, regionCode: String,
                             regionNameZh: String, regionNameEn: String) throws {
        let id = Center.id(kind: kind, tier: tier, district: district)
        let zh = regionNameZh + (kind == .monitoring ? "城市管理监督中心" : "城市管理指挥中心")
        let en = "\(regionNameEn) \(kind == .monitoring ? "monitoring" : "command") center"
        try CenterRecord(Center(id: id, kind: kind, tier: tier, regionCode: regionCode, nameZh: zh, nameEn: en)).insert(db)
    }

    public func settings() throws(WorkflowError) -> SiteSettings {
        try read { db in try Self.settings(db) }
    }

    static func settings(_ db: Database) throws -> SiteSettings {
        let pairs = try Row.fetchAll(db, sql: "SELECT key, value FROM site")
        var values: [String: String] = [:]
        for row in pairs { values[row["key"]] = row["value"] }
        guard let modelText = values["model"] else {
            throw WorkflowError.storage("this database holds no site yet; run `citygrid init` or `citygrid seed-demo`")
        }
        guard let model = ManagementModel(rawValue: modelText) else {
            throw WorkflowError.storage("the site's model '\(modelText)' is unknown")
        }
        var limits = StageLimits()
        for key in StageLimits.keys { if let v = values["limit.\(key)"].flatMap(Int.init) { limits[key] = v } }
        func centerKind(_ key: String) throws -> CenterKind? {
            guard let text = values[key] else { return nil }
            guard let kind = CenterKind(rawValue: text) else { throw WorkflowError.storage("the site's \(key) '\(text)' is neither monitoring nor command") }
            return kind
        }
        var settings = SiteSettings(model: model, cityCode: values["city_code"] ?? "", cityNameZh: values["city_name_zh"] ?? "",
                                    cityNameEn: values["city_name_en"] ?? "", timeZone: values["timezone"] ?? SiteSettings.defaultTimeZoneName,
                                    weeklySchedule: values["weekly_schedule"] ?? WeeklySchedule.standard.description, limits: limits)
        settings.filingCenter = try centerKind(CaseRules.filingKey)
        settings.closingCenter = try centerKind(CaseRules.closingKey)
        return settings
    }

    /// Everything the lifecycle needs, read in one transaction.
    public func context() throws(WorkflowError) -> LifecycleContext {
        try read { db in try self.context(db) }
    }

    /// A cheap summary of the configuration tables: when it is unchanged the cached context still holds,
    /// so a transition does not rebuild the working calendar's tables every time.
    static let fingerprintSQL = """
        SELECT (SELECT ifnull(group_concat(key || '=' || value, ';'), '') FROM site) || '|' ||
               (SELECT count(*) || ':' || ifnull(max(date), '') || ':' || ifnull(sum(kind = 'holiday'), 0) || ':' || ifnull(sum(length(date) * rowid), 0) FROM calendar_day) || '|' ||
               (SELECT count(*) || ':' || ifnull(sum(limit_value * rowid), 0) || ':' || ifnull(sum(urgent * rowid), 0) FROM category) || '|' ||
               (SELECT count(*) FROM center) || '|' || (SELECT count(*) FROM department) || '|' ||
               (SELECT count(*) FROM hotline_line)
        """

    func context(_ db: Database) throws -> LifecycleContext {
        let fingerprint = try String.fetchOne(db, sql: Self.fingerprintSQL) ?? ""
        if let cached = contextCache.withLock({ $0 }), cached.fingerprint == fingerprint { return cached.context }
        let context = try Self.context(db)
        contextCache.withLock { $0 = (fingerprint, context) }
        return context
    }

    static func context(_ db: Database) throws -> LifecycleContext {
        let settings = try settings(db)
        let zone = try SiteSettings.timeZone(named: settings.timeZone)
        let weekly: WeeklySchedule
        do { weekly = try WeeklySchedule(parsing: settings.weeklySchedule) } catch {
            throw WorkflowError.storage("the site's working hours '\(settings.weeklySchedule)' are invalid: \(error)")
        }
        var exceptions: [LocalDate: DayKind] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT date, kind FROM calendar_day") {
            if let date = LocalDate(string: row["date"]), let kind = DayKind(rawValue: row["kind"]) { exceptions[date] = kind }
        }
        let calendar = WorkingCalendar(timeZone: zone, weekly: weekly, exceptions: exceptions)
        var categories: [CategoryKey: Category] = [:]
        for c in try fetchCategories(db) { categories[c.key] = c }
        var departments: [String: Department] = [:]
        for d in try fetchDepartments(db) { departments[d.code] = d }
        var centers: [String: Center] = [:]
        for c in try fetchCenters(db) { centers[c.id] = c }
        var context = LifecycleContext(model: settings.model, cityCode: settings.cityCode, calendar: calendar,
                                       limits: settings.limits, categories: categories, centers: centers, departments: departments,
                                       filingCenter: settings.filingCenter, closingCenter: settings.closingCenter)
        context.hotlineLines = Set(try hotlineLines(db).map(\.code))
        return context
    }

    // MARK: Reference tables

    public func categories() throws(WorkflowError) -> [Category] { try read { db in try Self.fetchCategories(db) } }
    public func departments() throws(WorkflowError) -> [Department] { try read { db in try Self.fetchDepartments(db) } }
    public func centers() throws(WorkflowError) -> [Center] { try read { db in try Self.fetchCenters(db) } }

    static func fetchCategories(_ db: Database) throws -> [Category] {
        try Row.fetchAll(db, sql: "SELECT * FROM category ORDER BY kind, code").map { row in
            let owner = "category \(row["kind"] as String? ?? "?"):\(row["code"] as String? ?? "?")"
            return Category(kind: try StoredValue.decode(row, "kind", of: owner), code: row["code"], largeCode: row["large_code"],
                     largeNameZh: row["large_name_zh"], largeNameEn: row["large_name_en"], nameZh: row["name_zh"],
                     nameEn: row["name_en"], department: row["department"], urgent: row["urgent"],
                     limitValue: row["limit_value"], limitUnit: try StoredValue.decode(row, "limit_unit", "limit unit", of: owner),
                     communityLevel: row["community_level"] ?? false)
        }
    }

    static func fetchDepartments(_ db: Database) throws -> [Department] {
        try DepartmentRecord.order(DepartmentRecord.Columns.code).fetchAll(db).map(\.department)
    }

    static func fetchCenters(_ db: Database) throws -> [Center] {
        try CenterRecord.listed.fetchAll(db).map { try $0.center() }
    }

    // MARK: Operators

    /// Finds an operator by numeric id or login name.
    public func findOperator(_ idOrLogin: String) throws(WorkflowError) -> Operator {
        try read { db in try Self.findOperator(db, idOrLogin) }
    }

    static func findOperator(_ db: Database, _ idOrLogin: String) throws -> Operator {
        let key = idOrLogin.trimmingCharacters(in: .whitespaces)
        let found = try findOperatorEvenDisabled(db, key)
        // A disabled operator may do nothing and may be given nothing: refused, by name, wherever it is named.
        if found.disabled { throw WorkflowError.forbidden("operator \(found.login) is disabled") }
        return found
    }

    /// The operator by id or login, disabled or not: for administration and display.
    static func findOperatorEvenDisabled(_ db: Database, _ idOrLogin: String) throws -> Operator {
        let key = idOrLogin.trimmingCharacters(in: .whitespaces)
        guard let record = try OperatorRecord.find(db, key) else { throw WorkflowError.notFound("no operator '\(key)'") }
        return try record.operatorValue()
    }

    public func operators() throws(WorkflowError) -> [Operator] {
        try read { db in
            try OperatorRecord.filter(OperatorRecord.Columns.active == true).order(OperatorRecord.Columns.id).fetchAll(db)
                .map { r throws(WorkflowError) in try r.operatorValue() }
        }
    }

    /// Adds an operator. Region and tier follow the center (or, for department handlers, the region given).
    @discardableResult
    public func addOperator(login: String, name: String, role: Role, centerID: String?, departmentCode: String? = nil,
                            regionCode: String? = nil, patrolAreaID: String? = nil) throws(WorkflowError) -> Operator {
        try write { db in try Self.insertOperator(db, login: login, name: name, role: role, centerID: centerID,
                                                  departmentCode: departmentCode, regionCode: regionCode, patrolAreaID: patrolAreaID) }
    }

    package static func insertOperator(_ db: Database, login: String, name: String, role: Role, centerID: String?, departmentCode: String?,
                               regionCode: String?, patrolAreaID: String?) throws -> Operator {
        let settings = try settings(db)
        var region = regionCode ?? settings.cityCode
        var tier: Tier = region == settings.cityCode ? .city : .district
        if let centerID {
            guard let center = try CenterRecord.fetchOne(db, key: centerID) else {
                throw WorkflowError.notFound("no center \(centerID)")
            }
            region = center.regionCode
            tier = try StoredValue.decode(center.tier, "tier", of: "center \(centerID)")
            if !role.centerKinds.isEmpty, !role.centerKinds.map(\.rawValue).contains(center.kind) {
                throw WorkflowError.invalidInput("a \(role.rawValue) works in a \(role.centerKindsText) center, not \(centerID)")
            }
        } else if !role.centerKinds.isEmpty {
            throw WorkflowError.invalidInput("a \(role.rawValue) needs a center")
        }
        if role == .department && departmentCode == nil {
            throw WorkflowError.invalidInput("a department handler needs a department")
        }
        if role == .inspector && patrolAreaID == nil {
            throw WorkflowError.invalidInput("an inspector needs a patrol area")
        }
        var record = OperatorRecord(login: login, name: name, role: role, centerID: centerID, departmentCode: departmentCode,
                                    regionCode: region, tier: tier, patrolArea: patrolAreaID, unixUser: nil)
        try record.insert(db)
        return try record.operatorValue()
    }

    // MARK: Calendar

    /// Merges holiday and make-up workday dates into the site calendar; returns how many were written.
    @discardableResult
    public func importCalendar(_ days: [LocalDate: DayKind]) throws(WorkflowError) -> Int {
        try write { db in
            try self.requireAdminWhenSigned(db)
            for (date, kind) in days {
                try db.execute(sql: "INSERT INTO calendar_day(date, kind) VALUES (?, ?) ON CONFLICT(date) DO UPDATE SET kind = excluded.kind",
                               arguments: [date.description, kind.rawValue])
            }
            return days.count
        }
    }
}
