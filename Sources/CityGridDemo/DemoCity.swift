import Foundation
import GRDB
import Workflow

/// What `seed-demo` builds.
public struct DemoOptions: Sendable {
    public var model: ManagementModel
    public var seed: UInt64
    /// Days of history that end at `now`.
    public var days: Int
    /// Cases in the history; nil means the default volume for `days` (about 700 a day).
    public var cases: Int?
    public var now: Date

    public init(model: ManagementModel = .oneMonitorTwoCommand, seed: UInt64 = 1, days: Int = 30, cases: Int? = nil, now: Date) {
        self.model = model; self.seed = seed; self.days = days; self.cases = cases; self.now = now
    }

    public var caseCount: Int { cases ?? days * 700 }
}

public struct DemoSummary: Sendable, Equatable {
    public var districts = 0
    public var streets = 0
    public var communities = 0
    public var cells = 0
    public var patrolAreas = 0
    public var operators = 0
    public var components = 0
    public var cases = 0
    public var openCases = 0
    public var historyRows = 0
    public var seconds: Double = 0
    /// Of the history: CPU seconds spent generating cases (summed over generator threads), wall seconds
    /// spent inserting them, and the writer thread's CPU seconds (rows and deferred indexes).
    public var generateSeconds: Double = 0
    public var insertSeconds: Double = 0
    public var writerCPUSeconds: Double = 0
    /// The part of `writerCPUSeconds` spent in the kernel on the writer's behalf (copying pages into the file).
    public var writerSystemSeconds: Double = 0
    /// Wall seconds of the writer building the deferred indexes, after the last row.
    public var indexSeconds: Double = 0
    /// Wall seconds of the writer from its first insert to its last index.
    public var writeSeconds: Double = 0
    /// Wall seconds before the history starts: grid and staff (components are written with the history).
    public var setupSeconds: Double = 0
}

/// The demo city: three districts (the first shaped like Beijing Dongcheng), every center of the
/// chosen model staffed, 100,000+ components, and days of realistic history ending at "now".
/// Same options, same city.
public enum DemoCity {
    public static let cityCode = "110000"

    public static func seed(into store: CityStore, options: DemoOptions,
                            progress: (@Sendable (String) -> Void)? = nil) throws(WorkflowError) -> DemoSummary {
        guard options.days >= 1, options.days <= 3660 else { throw .invalidInput("--days must be between 1 and 3660") }
        guard options.caseCount >= 0, options.caseCount <= 20_000_000 else { throw .invalidInput("--cases must be between 0 and 20000000") }
        let started = Date()
        let geography = DemoGeography.generate(seed: options.seed)
        let categories = try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV)
        let departments = try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV)
        try store.createSite(SiteSettings(model: options.model, cityCode: geography.city.code, cityNameZh: geography.city.nameZh,
                                          cityNameEn: geography.city.nameEn),
                             categories: categories, departments: departments,
                             createdAt: options.now.addingTimeInterval(-Double(options.days) * 86_400))
        let holidays: [LocalDate: DayKind]
        do { holidays = try CalendarExceptions.parse(csv: CalendarExceptions.chinaSample2026) } catch {
            throw .storage("the built-in holiday calendar does not parse: \(error)")
        }
        try store.importCalendar(holidays)
        // This year's and next year's calendar (what `doctor` wants): the statutory fixed dates for a year not built in.
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let year = gregorian.component(.year, from: options.now)
        for y in [year, year + 1] where !holidays.keys.contains(where: { $0.year == y }) {
            try store.importCalendar(CalendarExceptions.chinaStatutoryFixedDates(year: y))
        }

        var summary = DemoSummary()
        progress?("grid: \(geography.cells.count) cells in \(geography.districts.count) districts")
        try store.write { db in
            try insertGeography(db, geography)
            try insertStaff(db, geography: geography, model: options.model, departments: departments, seed: options.seed)
        }
        summary.districts = geography.districts.count
        summary.streets = geography.streets.count
        summary.communities = geography.communities.count
        summary.cells = geography.cells.count
        summary.patrolAreas = geography.patrolAreas.count
        summary.operators = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM operator") ?? 0 }

        let components = ComponentPlan(geography: geography, seed: options.seed)
        summary.components = components.count

        summary.setupSeconds = Date().timeIntervalSince(started)
        progress?("components and history: \(components.count) components, \(options.caseCount) cases over \(options.days) days")
        let history = try DemoHistory(store: store, geography: geography, components: components.index, options: options)
        // The components are written while the generators make the first chunks of history.
        let written = try history.write(progress: progress, first: { db in
            try components.insert(db, geography: geography, categories: categories, now: options.now)
        }, last: { db in try DemoCity.reconcileComponents(db) })
        summary.cases = written.cases
        summary.historyRows = written.historyRows
        summary.generateSeconds = written.generateCPU
        summary.insertSeconds = written.insertSeconds
        summary.writerCPUSeconds = written.writerCPU
        summary.writerSystemSeconds = written.writerSystem
        summary.indexSeconds = written.indexSeconds
        summary.writeSeconds = written.writeSeconds
        summary.openCases = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE is_open = 1") ?? 0 }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// The history was replayed without the store's component rule: this gives each component its cases' history
    /// (opened, then closed or cancelled) and makes one with an open case damaged, as `ComponentRules` would have.
    static func reconcileComponents(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO component_history(component_id, seq, at, actor_id, action, from_state, to_state, case_id, census_id, note)
            SELECT component_id, row_number() OVER (PARTITION BY component_id ORDER BY at, case_id, step), at, NULL, action,
                   'normal', to_state, case_id, NULL, 'demo history'
            FROM (
                SELECT component_id, reported_at AS at, id AS case_id, 0 AS step, 'case-opened' AS action, 'damaged' AS to_state
                FROM service_case WHERE component_id IS NOT NULL
                UNION ALL
                SELECT component_id, closed_at, id, 1, CASE state WHEN 'closed' THEN 'case-closed' ELSE 'case-cancelled' END, 'normal'
                FROM service_case WHERE component_id IS NOT NULL AND is_open = 0 AND closed_at IS NOT NULL
            );
            UPDATE component SET state = 'damaged'
            WHERE state IN ('intact', 'removed') AND id IN (SELECT component_id FROM service_case WHERE component_id IS NOT NULL AND is_open = 1);
            """)
    }

    // MARK: Geography

    static func insertGeography(_ db: Database, _ g: DemoGeography) throws {
        for d in g.districts { try CityStore.insertDistrict(db, code: d.code, nameZh: d.nameZh, nameEn: d.nameEn) }
        var region = try BulkInsert(db, sql: """
            INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code, grid_row, grid_col, lat, lon, patrol_area)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for s in g.streets {
            for v in [s.code, "street", s.nameZh, s.nameEn, s.districtCode, s.districtCode] { region.bind(v) }
            for _ in 0..<5 { region.bindNull() }
            try region.step()
        }
        for c in g.communities {
            for v in [c.code, "community", c.nameZh, c.nameEn, c.streetCode, CellCode.district(of: c.code)] { region.bind(v) }
            for _ in 0..<5 { region.bindNull() }
            try region.step()
        }
        var area = try BulkInsert(db, sql: "INSERT INTO patrol_area(id, community_code, name) VALUES (?, ?, ?)")
        for (i, p) in g.patrolAreas.enumerated() {
            area.bind(p.id); area.bind(p.communityCode); area.bind("责任网格 \(i + 1)")
            try area.step()
        }
        for cell in g.cells {
            let name = "单元网格 \(CellCode.serial(of: cell.code))"
            for v in [cell.code, "cell", name, "Cell \(CellCode.serial(of: cell.code))", cell.communityCode, cell.districtCode] { region.bind(v) }
            region.bind(cell.row); region.bind(cell.col); region.bind(cell.lat); region.bind(cell.lon); region.bind(cell.patrolAreaID)
            try region.step()
        }
    }

    // MARK: Staff

    /// Logins are predictable so scripts and demos can name them: `city-dispatcher-1`,
    /// `110101-dispatcher-1`, `110101-insp-001`, `sanit-110101`, `admin`.
    static func insertStaff(_ db: Database, geography g: DemoGeography, model: ManagementModel,
                            departments: [Department], seed: UInt64) throws {
        var random = DemoRandom(seed: seed, stream: 7)
        func add(_ login: String, _ role: Role, center: String?, department: String? = nil, region: String? = nil,
                 patrolArea: String? = nil) throws {
            _ = try CityStore.insertOperator(db, login: login, name: DemoNames.name(&random), role: role, centerID: center,
                                             departmentCode: department, regionCode: region, patrolAreaID: patrolArea)
        }
        let cityM = Center.id(kind: .monitoring, tier: .city, district: nil)
        let cityC = Center.id(kind: .command, tier: .city, district: nil)
        try add("admin", .admin, center: nil)
        for i in 1...4 { try add("city-intake-\(i)", .intake, center: cityM) }
        for i in 1...2 { try add("city-lead-\(i)", .shiftLead, center: cityM) }
        try add("city-supervisor", .supervisor, center: cityM)
        if model.hasCityCommand {
            for i in 1...3 { try add("city-dispatcher-\(i)", .dispatcher, center: cityC) }
        }
        for d in g.districts {
            if model.hasDistrictMonitoring {
                let m = Center.id(kind: .monitoring, tier: .district, district: d.code)
                for i in 1...2 { try add("\(d.code)-intake-\(i)", .intake, center: m) }
                try add("\(d.code)-lead-1", .shiftLead, center: m)
                try add("\(d.code)-supervisor", .supervisor, center: m)
            }
            if model.hasDistrictCommand {
                let c = Center.id(kind: .command, tier: .district, district: d.code)
                for i in 1...2 { try add("\(d.code)-dispatcher-\(i)", .dispatcher, center: c) }
                if !model.hasDistrictMonitoring { try add("\(d.code)-supervisor", .supervisor, center: c) }
            }
            for dept in departments {
                try add("\(dept.code.lowercased())-\(d.code)", .department, center: nil, department: dept.code, region: d.code)
                try db.execute(sql: "INSERT INTO department_unit(department_code, district_code, unit_name) VALUES (?, ?, ?)",
                               arguments: [dept.code, d.code, DepartmentUnit.defaultName(districtNameZh: d.nameZh, departmentNameZh: dept.nameZh)])
            }
        }
        // One inspector per patrol area, in the monitoring center that covers the district.
        var serial: [String: Int] = [:]
        for area in g.patrolAreas {
            let district = CellCode.district(of: area.communityCode)
            serial[district, default: 0] += 1
            let center = model.hasDistrictMonitoring ? Center.id(kind: .monitoring, tier: .district, district: district) : cityM
            try add("\(district)-insp-" + String(zeroPadded: serial[district]!, width: 3), .inspector, center: center, patrolArea: area.id)
        }
        // A shift lead in every command center, so the site may have command centers file or close cases (`CaseRules`)
        // under either setting. Added last, so the operators above keep their ids and names.
        if model.hasCityCommand { try add("city-command-lead-1", .shiftLead, center: cityC) }
        for d in g.districts where model.hasDistrictCommand {
            try add("\(d.code)-command-lead-1", .shiftLead, center: Center.id(kind: .command, tier: .district, district: d.code))
        }
        // In the two-tier monitoring models the city monitoring center has inspectors of its own besides its intake: one a
        // district, walking the patrol area of the district's busiest cell beside the district's inspector (the city's
        // own round), whose reports the city center takes in. Added last too.
        if model.hasDistrictMonitoring {
            var busiest: [String: (area: String, hotness: Double)] = [:]
            for cell in g.cells where cell.hotness > busiest[cell.districtCode]?.hotness ?? -1 {
                busiest[cell.districtCode] = (cell.patrolAreaID, cell.hotness)
            }
            for (i, d) in g.districts.enumerated() {
                guard let area = busiest[d.code]?.area else { continue }
                try add("city-insp-" + String(zeroPadded: i + 1, width: 3), .inspector, center: cityM, patrolArea: area)
            }
        }
        // Handling below the district (三级处置): the first street of the first district and its communities are handling
        // units, each with a handler (`street-110101001`, `community-110101001001`), and illegal flyers (event 0201) are
        // community-level, so their cases there go to the community's workstation. Last, so that the staff before keep
        // their names and ids.
        if let street = g.streets.first {
            let communities = g.communities.filter { $0.streetCode == street.code }
            for (code, zh, en, kind, login) in [(street.code, street.nameZh, street.nameEn, "street", "street-\(street.code)")]
                + communities.map({ ($0.code, $0.nameZh, $0.nameEn, "community", "community-\($0.code)") }) {
                try db.execute(sql: "INSERT INTO department(code, name_zh, name_en, scope, region_code) VALUES (?, ?, ?, ?, ?)",
                               arguments: [code, zh, en, kind, code])
                try add(login, .department, center: nil, department: code, region: street.districtCode)
            }
        }
        try db.execute(sql: "UPDATE category SET community_level = 1 WHERE kind = ? AND code = ?", arguments: [DemoOdds.communityLevel.kind.rawValue, DemoOdds.communityLevel.code])
    }

    // MARK: Components

    /// Component classes found on a typical street, with how many of each a cell holds on average.
    static let componentMix: [(code: String, perCell: Double, name: String)] = [
        ("0101", 3, "上水井盖"), ("0102", 3, "污水井盖"), ("0103", 2.5, "雨水井盖"), ("0104", 2.5, "雨水箅子"),
        ("0105", 1.5, "电力井盖"), ("0106", 1, "路灯井盖"), ("0107", 2, "通信井盖"), ("0110", 0.8, "热力井盖"),
        ("0111", 1, "燃气井盖"), ("0112", 0.3, "公安井盖"), ("0113", 0.6, "消防设施"), ("0115", 0.4, "通信交接箱"),
        ("0116", 0.5, "电力设施"), ("0117", 0.6, "电杆"), ("0118", 4, "路灯"), ("0123", 0.2, "邮筒"),
        ("0203", 0.4, "公交站亭"), ("0206", 1.2, "交通标志牌"), ("0209", 0.8, "隔离护栏"), ("0214", 0.3, "交通信号灯"),
        ("0301", 0.15, "公共厕所"), ("0305", 3, "垃圾箱"), ("0307", 1.2, "广告牌匾"), ("0402", 3.5, "行道树"),
        ("0405", 0.4, "绿地"), ("0501", 0.3, "宣传栏"),
    ]

    /// A demo component's owner: mostly its class's department, but as in a real city some have another owner
    /// (bins of the street office, lights on the roads authority's bridges, trees in compounds the street office
    /// keeps). By serial, so
    /// the random draws of the rest of the city stay as they were.
    static func owner(classCode: String, serial: Int, classDepartment: String) -> String {
        switch classCode {
        case "0305" where serial % 4 == 0: "STREET"
        case "0118" where serial % 6 == 0: "ROADS"
        case "0402" where serial % 5 == 0: "STREET"
        default: classDepartment
        }
    }

    /// The demo city's components, drawn before any is written: the history's generators need only the
    /// index (which ids each cell has), so they start while the writer is still inserting the rows.
    struct ComponentPlan: Sendable {
        let index: DemoComponentIndex
        /// The components in the order they were drawn: a cell's components of one mix entry, with consecutive serials.
        private let runs: [(cellIndex: Int, mix: Int, prefix: String, serials: Range<Int>)]
        /// Each component's state (an index into `states`), in the order the rows are written.
        private let stateIndexes: [UInt8]
        var count: Int { stateIndexes.count }

        static let states: [(name: String, share: Double)] = [("intact", 0.955), ("damaged", 0.025), ("missing", 0.01),
                                                              ("abandoned", 0.006), ("removed", 0.004)]

        init(geography g: DemoGeography, seed: UInt64) {
            var random = DemoRandom(seed: seed, stream: 11)
            var serial: [String: Int] = [:]
            var index = DemoComponentIndex()
            var stateIndexes: [UInt8] = []
            var runs: [(cellIndex: Int, mix: Int, prefix: String, serials: Range<Int>)] = []
            for (cellIndex, cell) in g.cells.enumerated() {
                for (m, mix) in DemoCity.componentMix.enumerated() {
                    let whole = Int(mix.perCell)
                    let count = whole + (random.chance(mix.perCell - Double(whole)) ? 1 : 0)
                    guard count > 0 else { continue }
                    let key = cell.districtCode + mix.code
                    let first = (serial[key] ?? 0) + 1
                    serial[key] = first + count - 1
                    index.add(cellIndex: cellIndex, classCode: mix.code, prefix: key, serials: first..<(first + count))
                    runs.append((cellIndex, m, key, first..<(first + count)))
                    for _ in 0..<count {
                        var roll = random.double()
                        var state = 0
                        for (k, s) in Self.states.enumerated() { if roll < s.share { state = k; break }; roll -= s.share }
                        stateIndexes.append(UInt8(state))
                    }
                }
            }
            self.index = index
            self.runs = runs
            self.stateIndexes = stateIndexes
        }

        /// Writes the rows, in the order they were drawn.
        func insert(_ db: Database, geography g: DemoGeography, categories: [Category], now: Date) throws {
            let owners = Dictionary(categories.filter { $0.kind == .component }.map { ($0.code, $0.department) }, uniquingKeysWith: { a, _ in a })
            let rows = try BatchInsert(db, table: "component", columns: ["id", "category_code", "name", "department", "cell_code", "state", "updated_at"])
            var buffer = ColumnBuffer(width: 7)
            buffer.reserve(rows: count, textBytes: count * 60)
            var next = 0
            let stamp = now.storageSeconds
            for run in runs {
                let mix = DemoCity.componentMix[run.mix], cell = g.cells[run.cellIndex].code
                for number in run.serials {
                    buffer.text(run.prefix + String(zeroPadded: number, width: 6)); buffer.text(mix.code); buffer.text("\(mix.name) \(number)")
                    buffer.text(DemoCity.owner(classCode: mix.code, serial: number, classDepartment: owners[mix.code] ?? "STREET")); buffer.text(cell)
                    buffer.text(Self.states[Int(stateIndexes[next])].name); buffer.int(stamp)
                    next += 1
                }
            }
            try rows.insert(buffer)
        }
    }
}

/// The components of each cell by class, so a generated component case can name a real component. A cell's
/// components of one class have consecutive serials, so a run (id prefix, serials) stands for all their ids.
struct DemoComponentIndex: Sendable {
    private struct Run: Sendable {
        var prefix: String
        var serials: Range<Int>
    }
    private var byCell: [Int: [String: [Run]]] = [:]
    private(set) var count = 0

    mutating func add(cellIndex: Int, classCode: String, prefix: String, serials: Range<Int>) {
        byCell[cellIndex, default: [:]][classCode, default: []].append(Run(prefix: prefix, serials: serials))
        count += serials.count
    }

    func pick(cellIndex: Int, classCode: String, _ random: inout DemoRandom) -> String? {
        guard let runs = byCell[cellIndex]?[classCode] else { return nil }
        let total = runs.reduce(0) { $0 + $1.serials.count }
        guard total > 0 else { return nil }
        var k = random.int(in: 0..<total)
        for run in runs {
            if k < run.serials.count { return run.prefix + String(zeroPadded: run.serials.lowerBound + k, width: 6) }
            k -= run.serials.count
        }
        return nil
    }
}
