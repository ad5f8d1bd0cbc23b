import ArgumentParser
import Foundation
import Workflow

// `citygrid center|department|patrol-area`: the site's centers, departments with their units, and patrol areas
// (docs/setup.md). Adding and assigning is an admin's (`--as` on an open site); listing is anyone's.

struct CenterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "center", abstract: "The monitoring and command centers: add one the site's model has, or list them.",
        subcommands: [CenterAdd.self, CenterList.self])
}

struct CenterAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a center the site's model has (ids CITY-M, CITY-C, <district>-M, <district>-C).",
        discussion: "Districts made by `import grid` get their centers with them; this adds one that is missing. Named after its region unless --name-zh/--name-en.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Option(help: "monitoring or command.") var kind: String
    @Option(help: "city or district.") var tier: String
    @Option(help: "The district's code (district centers).") var district: String?
    @Option(name: .customLong("name-zh"), help: "Chinese name.") var nameZh: String?
    @Option(name: .customLong("name-en"), help: "English name.") var nameEn: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            guard let kind = CenterKind(rawValue: kind) else { throw WorkflowError.invalidInput("--kind is monitoring or command, not '\(kind)'") }
            guard let tier = Tier(rawValue: tier) else { throw WorkflowError.invalidInput("--tier is city or district, not '\(tier)'") }
            let session = try store.session()
            let site = session.site
            let center = try site.addCenter(kind: kind, tier: tier, district: district, nameZh: nameZh, nameEn: nameEn,
                                          by: admin.actor, at: try session.now())
            if output.json { return try Output.json(CenterJSON(center, staff: [:])) }
            Output.line("added center \(center.id): \(center.nameZh) / \(center.nameEn)")
        }
    }
}

struct CenterList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the centers: id, kind, tier, region, names, active staff by role.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let site = try store.open().site
            var staff: [String: [String: Int]] = [:]
            for o in try site.operators() { if let c = o.centerID { staff[c, default: [:]][o.role.rawValue, default: 0] += 1 } }
            let centers = try site.centers()
            if output.json { return try Output.json(centers.map { CenterJSON($0, staff: staff[$0.id] ?? [:]) }) }
            Output.table(["ID", "KIND", "TIER", "REGION", "NAME", "STAFF"], centers.map { c in
                [c.id, c.kind.rawValue, c.tier.rawValue, c.regionCode, c.nameZh,
                 (staff[c.id] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")]
            })
        }
    }
}

struct CenterJSON: ExplicitNullEncodable {
    var id, kind, tier, region, name, name_en: String
    /// Active operators by role.
    var staff: [String: Int]
    init(_ c: Center, staff: [String: Int]) {
        id = c.id; kind = c.kind.rawValue; tier = c.tier.rawValue; region = c.regionCode; name = c.nameZh; name_en = c.nameEn
        self.staff = staff
    }
}

struct DepartmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "department", abstract: "The handling departments and the unit each has in every district.",
        subcommands: [DepartmentAdd.self, DepartmentServe.self, DepartmentList.self, DepartmentAddRegion.self])
}

struct DepartmentAddRegion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-region", abstract: "Make a street, town or community a handling unit (三级处置), named after it.",
        discussion: """
            The unit's code is the region's. A dispatcher may then send it the cases of its own cells; its staff are \
            department handlers of that code (operator add --role department --department CODE).
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The street's, town's (9 digits) or community's (12 digits) code.") var region: String
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let unit = try session.site.addRegionUnit(region: region, by: admin.actor, at: try session.now())
            if output.json { return try Output.json(DepartmentJSON(unit, units: [], categories: 0)) }
            Output.line("\(unit.scope) \(unit.code) is a handling unit: \(unit.nameZh) / \(unit.nameEn)")
        }
    }
}

struct CategoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "category", abstract: "Change a category (the list is `citygrid categories`).",
        subcommands: [CategoryCommunityLevel.self])
}

struct CategoryCommunityLevel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "community-level",
        abstract: "Mark a category community-level by default (小事不出社区), or no longer with --off.",
        discussion: "A dispatch of its cases then offers first the community holding the cell, when that community is a handling unit.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The category: KIND:CODE (event:0102), or CODE of an event.") var category: String
    @Flag(help: "No longer community-level.") var off = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let key = try CategoryKey.parse(category, defaultKind: .event)
            let session = try store.session()
            let changed = try session.site.setCommunityLevel(key, !off, by: admin.actor, at: try session.now())
            if output.json { return try Output.json(CategoryJSON(changed)) }
            Output.line("\(changed.kind.rawValue) \(changed.code) \(changed.nameZh) is \(changed.communityLevel ? "" : "not ")community-level")
        }
    }
}

struct DepartmentAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a department, with the units that serve districts.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Option(help: "Code: 1–16 of A-Z a-z 0-9 . _ -.") var code: String
    @Option(name: .customLong("name-zh"), help: "Chinese name.") var nameZh: String
    @Option(name: .customLong("name-en"), help: "English name.") var nameEn: String
    @Option(help: "What it handles (free text).") var scope: String = ""
    @Option(parsing: .upToNextOption, help: ArgumentHelp("Districts it serves, each with its unit's name.", valueName: "DISTRICT:UNIT"))
    var serves: [String] = []
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let pairs = try serves.map { text throws(WorkflowError) -> (district: String, unit: String) in
                guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex else {
                    throw WorkflowError.invalidInput("--serves takes DISTRICT:UNIT, not '\(text)'")
                }
                return (String(text[..<colon]), String(text[text.index(after: colon)...]))
            }
            let session = try store.session()
            let site = session.site
            let department = try site.addDepartment(code: code, nameZh: nameZh, nameEn: nameEn, scope: scope, serves: pairs,
                                                  by: admin.actor, at: try session.now())
            let units = try site.departmentUnits().filter { $0.departmentCode == department.code }
            if output.json { return try Output.json(DepartmentJSON(department, units: units, categories: 0)) }
            Output.line("added department \(department.code): \(department.nameZh) / \(department.nameEn)"
                        + (units.isEmpty ? "" : "; units: " + units.map { "\($0.districtCode) \($0.name)" }.joined(separator: ", ")))
        }
    }
}

struct DepartmentServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Name the unit of a department that handles its cases in a district.",
        discussion: """
            citygrid department serve CODE --district D --unit NAME names one unit (replacing the one there was). \
            --all-departments gives every department without a unit in district D one, named after the district and the \
            department (上城区供水公司); rename any later with CODE --unit NAME.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The department's code.") var code: String?
    @Option(help: "The district's code.") var district: String
    @Option(help: "The unit's name (default: the district's name and the department's).") var unit: String?
    @Flag(name: .customLong("all-departments"), help: "Every department without a unit in the district.") var allDepartments = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        if allDepartments == (code != nil) { throw ValidationError("give a department code or --all-departments") }
        if allDepartments && unit != nil { throw ValidationError("--unit names one department's unit; leave it out with --all-departments") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let now = try session.now()
            let units: [DepartmentUnit]
            if let code {
                units = [try site.serve(department: code, district: district, unit: unit, by: admin.actor, at: now)]
            } else {
                units = try site.serveEveryDepartment(district: district, by: admin.actor, at: now)
            }
            if output.json { return try Output.json(units.map(UnitJSON.init)) }
            if units.isEmpty { Output.line("every department has a unit in district \(district) already") }
            for u in units { Output.line("\(u.departmentCode) serves district \(u.districtCode) with unit \(u.name)") }
        }
    }
}

struct DepartmentList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the departments: code, names, categories, units by district.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let site = try store.open().site
            let units = Dictionary(grouping: try site.departmentUnits(), by: \.departmentCode)
            let categories = Dictionary(grouping: try site.categories(), by: \.department).mapValues(\.count)
            let departments = try site.departments()
            if output.json { return try Output.json(departments.map { DepartmentJSON($0, units: units[$0.code] ?? [], categories: categories[$0.code] ?? 0) }) }
            Output.table(["CODE", "NAME", "NAME (EN)", "CATEGORIES", "UNITS"], departments.map { d in
                [d.code, d.nameZh, d.nameEn, String(categories[d.code] ?? 0),
                 (units[d.code] ?? []).map { "\($0.districtCode) \($0.name)" }.joined(separator: "; ")]
            }, maxWidth: 80)
        }
    }
}

struct DepartmentJSON: ExplicitNullEncodable {
    var code, name, name_en, scope: String
    /// How many categories name it as their department.
    var categories: Int
    var units: [UnitJSON]
    /// The street, town or community this unit is (三级处置), null for a department.
    var region: String?
    init(_ d: Department, units: [DepartmentUnit], categories: Int) {
        code = d.code; name = d.nameZh; name_en = d.nameEn; scope = d.scope; self.categories = categories
        self.units = units.map(UnitJSON.init); region = d.regionCode
    }
}

struct UnitJSON: ExplicitNullEncodable {
    var department, district, unit: String
    init(_ u: DepartmentUnit) { department = u.departmentCode; district = u.districtCode; unit = u.name }
}

struct PatrolAreaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol-area", abstract: "Patrol areas (责任网格): list them, add one, assign cells and inspectors.",
        subcommands: [PatrolAreaList.self, PatrolAreaAdd.self, PatrolAreaAssign.self])
}

struct PatrolAreaList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List patrol areas: id, community, name, cells, active inspectors.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let areas = try store.open().site.patrolAreas()
            if output.json { return try Output.json(areas.map(PatrolAreaJSON.init)) }
            Output.table(["ID", "COMMUNITY", "NAME", "CELLS", "INSPECTORS"], areas.map { a in
                [a.id, a.communityCode, a.name, String(a.cells), a.inspectors.isEmpty ? "-" : a.inspectors.joined(separator: ", ")]
            })
        }
    }
}

struct PatrolAreaJSON: ExplicitNullEncodable {
    var id, community, district, name: String
    var cells: Int
    /// Logins of the active inspectors who walk it.
    var inspectors: [String]
    init(_ a: PatrolAreaSummary) {
        id = a.id; community = a.communityCode; district = a.districtCode; name = a.name; cells = a.cells; inspectors = a.inspectors
    }
}

struct PatrolAreaAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a patrol area in a community.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Option(help: "Id: 1–64 of A-Z a-z 0-9 . _ -.") var id: String
    @Option(help: "The community's 12-digit code.") var community: String
    @Option(help: "Its name.") var name: String

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            try site.addPatrolArea(id: id, community: community, name: name, by: admin.actor, at: try session.now())
            Output.line("added patrol area \(id) in community \(community)")
        }
    }
}

struct PatrolAreaAssign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign", abstract: "Put cells into a patrol area, or make an inspector walk it.",
        discussion: "--cells CODE,CODE… moves those cells (of the area's district) into the area; --inspector LOGIN makes that inspector walk it.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The patrol area's id.") var area: String
    @Option(help: ArgumentHelp("Cell codes, comma-separated.", valueName: "CODE,CODE…")) var cells: String?
    @Option(help: "An inspector's login.") var inspector: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func validate() throws {
        if (cells == nil) == (inspector == nil) { throw ValidationError("give --cells or --inspector") }
    }

    func run() throws {
        try guarded {
            let session = try store.session()
            let site = session.site
            let now = try session.now()
            if let cells {
                let codes = cells.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let moved = try site.assignCells(codes, to: area, by: admin.actor, at: now)
                if output.json { return try Output.json(AssignCellsJSON(area: area, cells: codes.count, moved: moved)) }
                Output.line("patrol area \(area): \(codes.count) cell\(codes.count == 1 ? "" : "s") (\(moved) moved in)")
            } else if let inspector {
                let op = try site.assignInspector(inspector, to: area, by: admin.actor, at: now)
                if output.json { return try Output.json(OperatorAccountJSON(try site.operatorAccount(String(op.id)), format: session.format)) }
                Output.line("\(op.login) walks patrol area \(area)")
            }
        }
    }
}

struct AssignCellsJSON: ExplicitNullEncodable {
    var area: String
    /// Cells named, and how many of them were in another area (or none) before.
    var cells, moved: Int
}
