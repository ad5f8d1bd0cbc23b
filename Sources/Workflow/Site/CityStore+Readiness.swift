import Foundation
import GRDB

extension CenterKind {
    /// The roles a center of this kind must have at least one active operator in before the site can run
    /// (docs/setup.md): a monitoring center takes reports in (intake) and files and closes them (shift lead); a command
    /// center dispatches, and files or closes them too where the site's rules say so (shift lead). Inspectors are counted
    /// through the patrol areas (every cell's area has one), supervisors are not needed for a case to travel.
    public func staffRoles(rules: CaseRules) -> [Role] {
        switch self {
        case .monitoring: [.intake, .shiftLead]
        case .command: rules.commandCentersNeedShiftLeads ? [.dispatcher, .shiftLead] : [.dispatcher]
        }
    }
}

/// The setup step that fixes a readiness finding. The CLI words each as the command to run (docs/setup.md walks a new
/// site from `init` to ready), with its placeholders (AREA, LOGIN, NAME, FILE) for what the operator chooses.
public enum SetupStep: Sendable, Equatable {
    /// Create the site.
    case createSite
    /// Import the grid's cells.
    case importGrid
    /// Put `cells` into the existing patrol area `area` of their community.
    case assignCells([String], area: String)
    /// Add a patrol area to `community` (which has none), then put `cells` into it.
    case addPatrolArea(community: String, thenAssign: [String])
    /// Add an operator of `role` to `center` (an inspector also walks `patrolArea`).
    case addOperator(role: Role, center: String, patrolArea: String? = nil)
    /// Add the center of `kind` and `tier` (of `district`, for a district center).
    case addCenter(CenterKind, tier: Tier, district: String?)
    /// Give `department` a unit in `district`.
    case serveDepartment(String, district: String)
    /// Give every department a unit in `district` (or each one by one).
    case serveEveryDepartment(district: String)
    /// Import the working calendar's days for a year.
    case importCalendar
}

/// Whether a site is ready to run (`citygrid doctor`, after the database checks): the grid, its patrol areas and their
/// inspectors, the centers the model needs and their staff, the departments' units, the working calendar. Each finding
/// names what is missing and carries the setup step that adds it.
extension CityStore {

    public func readiness(at now: Date) throws(WorkflowError) -> [DoctorCheck] {
        try read { db in try Self.readiness(db, at: now) }
    }

    static func readiness(_ db: Database, at now: Date) throws -> [DoctorCheck] {
        guard try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = 'model'") != nil else {
            return [DoctorCheck(name: "site", findings: [DoctorFinding("this database holds no site", fix: .createSite)], fix: .eachFindingsStep)]
        }
        let settings = try settings(db)
        let districts = try String.fetchAll(db, sql: "SELECT code FROM region WHERE level = 'district' ORDER BY code")
        return [
            DoctorCheck(name: "grid", findings: try gridFindings(db), fix: .eachFindingsStep),
            DoctorCheck(name: "patrol_areas", findings: try patrolAreaFindings(db, model: settings.model, city: settings.cityCode), fix: .eachFindingsStep),
            DoctorCheck(name: "centers", findings: try centerFindings(db, rules: settings.rules, districts: districts), fix: .eachFindingsStep),
            DoctorCheck(name: "departments", findings: try departmentFindings(db, districts: districts), fix: .eachFindingsStep),
            DoctorCheck(name: "calendar", findings: try calendarFindings(db, timeZone: settings.timeZone, at: now), fix: .eachFindingsStep),
        ]
    }

    /// The grid has cells, and every cell lies in a patrol area.
    static func gridFindings(_ db: Database) throws -> [DoctorFinding] {
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM region WHERE level = 'cell'") ?? 0 > 0 else {
            return [DoctorFinding("the grid has no cells", fix: .importGrid)]
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
                return DoctorFinding(what, fix: .assignCells(group.cells, area: area))
            }
            return DoctorFinding(what, fix: .addPatrolArea(community: group.community, thenAssign: group.cells))
        }
    }

    /// Every patrol area that holds cells has an active inspector.
    static func patrolAreaFindings(_ db: Database, model: ManagementModel, city: String) throws -> [DoctorFinding] {
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
            return DoctorFinding("patrol area \(id) (\(cells) cell\(cells == 1 ? "" : "s"), community \(community)) has no active inspector",
                                 fix: .addOperator(role: .inspector, center: center, patrolArea: id))
        }
    }

    /// Every center the model needs for these districts exists and has an active operator in each of its kind's roles.
    static func centerFindings(_ db: Database, rules: CaseRules, districts: [String]) throws -> [DoctorFinding] {
        let model = rules.model
        var staffed: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT DISTINCT center_id, role FROM operator WHERE active = 1 AND center_id IS NOT NULL") {
            staffed[row["center_id"], default: []].insert(row["role"])
        }
        let existing = Set(try String.fetchAll(db, sql: "SELECT id FROM center"))
        var findings: [DoctorFinding] = []
        for spec in model.centerSpecs(districts: districts) {
            let id = Center.id(kind: spec.kind, tier: spec.tier, district: spec.region)
            let place = spec.region.map { "district \($0) " } ?? "city "
            guard existing.contains(id) else {
                findings.append(DoctorFinding("the \(place)\(spec.kind.rawValue) center \(id) is missing",
                                              fix: .addCenter(spec.kind, tier: spec.tier, district: spec.region)))
                continue
            }
            for role in spec.kind.staffRoles(rules: rules) where !(staffed[id]?.contains(role.rawValue) ?? false) {
                // A command center's shift leads are there for the settings that name command centers: say which.
                let why = spec.kind == .command && role == .shiftLead
                    ? " (the site has command centers " + [rules.filingCenter == .command ? "file" : nil, rules.closingCenter == .command ? "close" : nil]
                        .compactMap { $0 }.joined(separator: " and ") + " cases)"
                    : ""
                findings.append(DoctorFinding("the \(place)\(spec.kind.rawValue) center \(id) has no active \(role.rawValue)\(why)",
                                              fix: .addOperator(role: role, center: id)))
            }
        }
        return findings
    }

    /// Every department a category names has a unit in every district: one line per district that lacks any.
    static func departmentFindings(_ db: Database, districts: [String]) throws -> [DoctorFinding] {
        let needed = try String.fetchAll(db, sql: "SELECT DISTINCT department FROM category ORDER BY department")
        var served: [String: Set<String>] = [:]
        for unit in try departmentUnits(db) { served[unit.districtCode, default: []].insert(unit.departmentCode) }
        return districts.compactMap { district in
            let missing = needed.filter { !(served[district]?.contains($0) ?? false) }
            guard !missing.isEmpty else { return nil }
            if missing.count == 1 {
                return DoctorFinding("department \(missing[0]) has no unit in district \(district)",
                                     fix: .serveDepartment(missing[0], district: district))
            }
            return DoctorFinding("district \(district) has no unit of \(missing.count) departments (\(missing.joined(separator: ", ")))",
                                 fix: .serveEveryDepartment(district: district))
        }
    }

    /// The working calendar has days (holidays or make-up workdays) in this year and the next.
    static func calendarFindings(_ db: Database, timeZone: String, at now: Date) throws -> [DoctorFinding] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try SiteSettings.timeZone(named: timeZone)
        let year = calendar.component(.year, from: now)
        return try [year, year + 1].compactMap { y in
            let days = try Int.fetchOne(db, sql: "SELECT count(*) FROM calendar_day WHERE date BETWEEN ? AND ?",
                                        arguments: ["\(y)-01-01", "\(y)-12-31"]) ?? 0
            return days > 0 ? nil : DoctorFinding("the working calendar has no holidays or make-up workdays for \(y)", fix: .importCalendar)
        }
    }
}
