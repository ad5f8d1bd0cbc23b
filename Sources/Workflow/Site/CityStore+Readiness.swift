import Foundation
import GRDB

extension CenterKind {
    /// The roles a center of this kind must have at least one active operator in before the site can run
    /// (docs/setup.md): a monitoring center takes reports in (intake) and files and closes them (shift lead); a command
    /// center dispatches. Inspectors are counted through the patrol areas (every cell's area has one), supervisors are
    /// not needed for a case to travel.
    public var staffRoles: [Role] {
        switch self {
        case .monitoring: [.intake, .shiftLead]
        case .command: [.dispatcher]
        }
    }
}

/// Whether a site is ready to run (`citygrid doctor`, after the database checks): the grid, its patrol areas and their
/// inspectors, the centers the model needs and their staff, the departments' units, the working calendar. Each finding
/// is one line that ends with the command to run (docs/setup.md walks a new city from `init` to none).
extension CityStore {

    public func readiness(at now: Date) throws(WorkflowError) -> [DoctorCheck] {
        try read { db in try Self.readiness(db, at: now) }
    }

    /// The fix line every readiness check shares: the command is in each finding.
    static let readinessFix = "run the command each finding ends with (docs/setup.md walks a new site from init to ready)"

    static func readiness(_ db: Database, at now: Date) throws -> [DoctorCheck] {
        guard try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = 'model'") != nil else {
            return [DoctorCheck(name: "site", findings: ["this database holds no site; run: citygrid init"], fix: readinessFix)]
        }
        let settings = try settings(db)
        let districts = try String.fetchAll(db, sql: "SELECT code FROM region WHERE level = 'district' ORDER BY code")
        return [
            DoctorCheck(name: "grid", findings: try gridFindings(db), fix: readinessFix),
            DoctorCheck(name: "patrol_areas", findings: try patrolAreaFindings(db, model: settings.model, city: settings.cityCode), fix: readinessFix),
            DoctorCheck(name: "centers", findings: try centerFindings(db, model: settings.model, districts: districts), fix: readinessFix),
            DoctorCheck(name: "departments", findings: try departmentFindings(db, districts: districts), fix: readinessFix),
            DoctorCheck(name: "calendar", findings: try calendarFindings(db, timeZone: settings.timeZone, at: now), fix: readinessFix),
        ]
    }

    /// The grid has cells, and every cell lies in a patrol area.
    static func gridFindings(_ db: Database) throws -> [String] {
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM region WHERE level = 'cell'") ?? 0 > 0 else {
            return ["the grid has no cells; run: citygrid import grid FILE"]
        }
        var outside: [(community: String, cells: [String])] = []
        for code in try String.fetchAll(db, sql: "SELECT code FROM region WHERE level = 'cell' AND patrol_area IS NULL ORDER BY code") {
            let community = CellCode.community(of: code)
            if outside.last?.community == community { outside[outside.count - 1].cells.append(code) } else { outside.append((community, [code])) }
        }
        return try outside.map { group in
            let cells = group.cells.joined(separator: ",")
            let what = group.cells.count == 1 ? "cell \(cells) of community \(group.community) is in no patrol area"
                : "\(group.cells.count) cells of community \(group.community) are in no patrol area (\(cells))"
            if let area = try String.fetchOne(db, sql: "SELECT id FROM patrol_area WHERE community_code = ? ORDER BY id LIMIT 1", arguments: [group.community]) {
                return "\(what); run: citygrid patrol-area assign \(area) --cells \(cells)"
            }
            return "\(what); run: citygrid patrol-area add --id AREA --community \(group.community) --name NAME, "
                + "then citygrid patrol-area assign AREA --cells \(cells)"
        }
    }

    /// Every patrol area that holds cells has an active inspector.
    static func patrolAreaFindings(_ db: Database, model: ManagementModel, city: String) throws -> [String] {
        try Row.fetchAll(db, sql: """
            SELECT p.id, p.community_code, (SELECT count(*) FROM region r WHERE r.patrol_area = p.id AND r.level = 'cell') AS cells
            FROM patrol_area p
            WHERE NOT EXISTS (SELECT 1 FROM operator o WHERE o.patrol_area = p.id AND o.role = 'inspector' AND o.active = 1)
            ORDER BY p.id
            """).compactMap { row in
            let cells: Int = row["cells"]
            guard cells > 0 else { return nil }
            let id: String = row["id"], community: String = row["community_code"]
            let district = CellCode.district(of: community)
            let center = Center.id(kind: .monitoring, tier: model.hasDistrictMonitoring ? .district : .city,
                                   district: model.hasDistrictMonitoring ? district : nil)
            return "patrol area \(id) (\(cells) cell\(cells == 1 ? "" : "s"), community \(community)) has no active inspector; "
                + "run: citygrid operator add --login LOGIN --name NAME --role inspector --center \(center) --patrol-area \(id)"
        }
    }

    /// Every center the model needs for these districts exists and has an active operator in each of its kind's roles.
    static func centerFindings(_ db: Database, model: ManagementModel, districts: [String]) throws -> [String] {
        var staffed: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT center_id, role FROM operator WHERE active = 1 AND center_id IS NOT NULL") {
            staffed[row["center_id"], default: []].insert(row["role"])
        }
        let existing = Set(try String.fetchAll(db, sql: "SELECT id FROM center"))
        var findings: [String] = []
        for spec in model.centerSpecs(districts: districts) {
            let id = Center.id(kind: spec.kind, tier: spec.tier, district: spec.region)
            let place = spec.region.map { "district \($0) " } ?? "city "
            guard existing.contains(id) else {
                findings.append("the \(place)\(spec.kind.rawValue) center \(id) is missing; run: citygrid center add --kind \(spec.kind.rawValue) "
                                + "--tier \(spec.tier.rawValue)" + (spec.region.map { " --district \($0)" } ?? ""))
                continue
            }
            for role in spec.kind.staffRoles where !(staffed[id]?.contains(role.rawValue) ?? false) {
                findings.append("the \(place)\(spec.kind.rawValue) center \(id) has no active \(role.rawValue); "
                                + "run: citygrid operator add --login LOGIN --name NAME --role \(role.rawValue) --center \(id)")
            }
        }
        return findings
    }

    /// Every department a category names has a unit in every district: one line per district that lacks any.
    static func departmentFindings(_ db: Database, districts: [String]) throws -> [String] {
        let needed = try String.fetchAll(db, sql: "SELECT DISTINCT department FROM category ORDER BY department")
        var served: [String: Set<String>] = [:]
        for unit in try departmentUnits(db) { served[unit.districtCode, default: []].insert(unit.departmentCode) }
        return districts.compactMap { district in
            let missing = needed.filter { !(served[district]?.contains($0) ?? false) }
            guard !missing.isEmpty else { return nil }
            if missing.count == 1 {
                return "department \(missing[0]) has no unit in district \(district); "
                    + "run: citygrid department serve \(missing[0]) --district \(district) --unit NAME"
            }
            return "district \(district) has no unit of \(missing.count) departments (\(missing.joined(separator: ", "))); "
                + "run: citygrid department serve --all-departments --district \(district) (or department serve CODE --district \(district) --unit NAME for each)"
        }
    }

    /// The working calendar has days (holidays or make-up workdays) in this year and the next.
    static func calendarFindings(_ db: Database, timeZone: String, at now: Date) throws -> [String] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "Asia/Shanghai")!
        let year = calendar.component(.year, from: now)
        return try [year, year + 1].compactMap { y in
            let days = try Int.fetchOne(db, sql: "SELECT count(*) FROM calendar_day WHERE date BETWEEN ? AND ?",
                                        arguments: ["\(y)-01-01", "\(y)-12-31"]) ?? 0
            return days > 0 ? nil : "the working calendar has no holidays or make-up workdays for \(y); "
                + "run: citygrid calendar import FILE (the year's date,kind lines)"
        }
    }
}
