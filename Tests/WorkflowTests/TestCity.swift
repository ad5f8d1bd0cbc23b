import Foundation
import Testing
@testable import Workflow

/// A small city for tests: two districts of one street, one community and four cells each, one patrol
/// area per community, the centers of the chosen model, and named operators.
struct TestCity {
    let store: CityStore
    let model: ManagementModel

    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// Monday 23 November 2026, 09:00 in Beijing.
    static let monday9 = at("2026-11-23T09:00:00+08:00")

    static func at(_ text: String) -> Date { try! InstantFormat(timeZone: zone).parse(text) }

    static let cellA = "110101001001001"   // district 110101, patrol area PA-A
    static let cellA2 = "110101001001002"
    static let cellB = "110102001001001"   // district 110102, patrol area PA-B

    /// The test city in memory, or in a new file at `path` (for tests that open a second connection). `filing` and
    /// `closing` are the site settings of who files and closes (nil: the model's default).
    init(model: ManagementModel = .oneMonitorTwoCommand, path: String? = nil, filing: CenterKind? = nil, closing: CenterKind? = nil) throws {
        self.model = model
        store = try path.map { try CityStore.open(path: $0, create: true) } ?? CityStore.inMemory()
        var settings = SiteSettings(model: model, cityCode: "110000")
        settings.filingCenter = filing
        settings.closingCenter = closing
        try store.createSite(settings,
                             categories: try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV),
                             departments: try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV))
        for (index, district) in ["110101", "110102"].enumerated() {
            try store.addDistrict(code: district, nameZh: "区\(index + 1)", nameEn: "District \(index + 1)")
            try store.addRegion(code: district + "001", level: .street, nameZh: "街道", nameEn: "Street")
            try store.addRegion(code: district + "001001", level: .community, nameZh: "社区", nameEn: "Community")
            let area = index == 0 ? "PA-A" : "PA-B"
            try store.addPatrolArea(id: area, communityCode: district + "001001", name: area)
            for n in 1...4 {
                try store.addCell(GridCell(code: district + "001001" + String(format: "%03d", n), nameZh: "网格\(n)",
                                           row: n, col: index * 10, lat: 39.9, lon: 116.4, patrolAreaID: area))
            }
        }
        let cityM = "CITY-M", cityC = "CITY-C"
        try store.addOperator(login: "city-intake", name: "王受理", role: .intake, centerID: cityM)
        try store.addOperator(login: "city-lead", name: "李值班", role: .shiftLead, centerID: cityM)
        try store.addOperator(login: "city-supervisor", name: "赵领导", role: .supervisor, centerID: cityM)
        if model.hasCityCommand {
            try store.addOperator(login: "city-dispatcher", name: "张派遣", role: .dispatcher, centerID: cityC)
        }
        for district in ["110101", "110102"] {
            if model.hasDistrictMonitoring {
                try store.addOperator(login: "\(district)-intake", name: "区受理", role: .intake, centerID: "\(district)-M")
                try store.addOperator(login: "\(district)-lead", name: "区值班", role: .shiftLead, centerID: "\(district)-M")
            }
            if model.hasDistrictCommand {
                try store.addOperator(login: "\(district)-dispatcher", name: "区派遣", role: .dispatcher, centerID: "\(district)-C")
            }
            for dept in ["SANIT", "STREET", "ENFORCE", "ROADS"] {
                try store.addOperator(login: "\(dept.lowercased())-\(district)", name: "\(dept)处置", role: .department,
                                      centerID: nil, departmentCode: dept, regionCode: district)
            }
        }
        let monitorA = model.hasDistrictMonitoring ? "110101-M" : cityM
        let monitorB = model.hasDistrictMonitoring ? "110102-M" : cityM
        try store.addOperator(login: "insp-a", name: "陈监督", role: .inspector, centerID: monitorA, patrolAreaID: "PA-A")
        try store.addOperator(login: "insp-a2", name: "周监督", role: .inspector, centerID: monitorA, patrolAreaID: "PA-A")
        try store.addOperator(login: "insp-b", name: "吴监督", role: .inspector, centerID: monitorB, patrolAreaID: "PA-B")
        // A shift lead in every command center, for sites that have command centers file or close (added last: the
        // operators above keep their ids).
        if model.hasCityCommand { try store.addOperator(login: "city-command-lead", name: "钱值班", role: .shiftLead, centerID: cityC) }
        for district in ["110101", "110102"] where model.hasDistrictCommand {
            try store.addOperator(login: "\(district)-command-lead", name: "区指挥值班", role: .shiftLead, centerID: "\(district)-C")
        }
    }

    /// The shift lead who files (`.file`) or closes (`.close`) the case under the site's settings: of its monitoring
    /// center, or of the command center that receives it (filing) or holds it (closing).
    func lead(_ action: CaseAction, _ c: ServiceCase) throws -> String {
        let center = try #require(try store.settings().rules.shiftLeadCenter(for: action, of: c))
        return try #require(try store.operators().first { $0.role == .shiftLead && $0.centerID == center }).login
    }

    /// `lead(_:_:)` for the case with id `id` as it is now.
    func lead(_ action: CaseAction, _ id: Int64) throws -> String { try lead(action, try store.serviceCase(id)) }

    /// The intake operator, shift lead and dispatcher that hold a case of district A under this model.
    var intakeA: String { model.hasDistrictMonitoring ? "110101-intake" : "city-intake" }
    var leadA: String { model.hasDistrictMonitoring ? "110101-lead" : "city-lead" }

    @discardableResult
    func report(by reporter: String = "insp-a", category: String = "0102", kind: CategoryKind = .event, cell: String = cellA,
                source: ReportSource? = nil, text: String = "暴露垃圾", at time: Date = monday9) throws -> ServiceCase {
        try store.report(ReportDraft(kind: kind, categoryCode: category, cellCode: cell, description: text, source: source),
                         by: reporter, at: time)
    }

    @discardableResult
    func act(_ action: CaseAction, _ id: Int64, as actor: String, to target: String? = nil, note: String? = nil,
             hours: Double? = nil, at time: Date) throws -> ServiceCase {
        try store.perform(ActionRequest(action: action, caseID: id, actor: actor, target: target, note: note, hours: hours), at: time)
    }

    /// An inspector's report taken to `dispatched` with SANIT, at the city or district command center as the model routes.
    func dispatchedCase(at start: Date = monday9) throws -> ServiceCase {
        let c = try report(at: start)
        try act(.accept, c.id, as: intakeA, at: start.after(5))
        let filed = try act(.file, c.id, as: try lead(.file, c), at: start.after(10))
        var dispatcher = filed.commandCenterID == "CITY-C" ? "city-dispatcher" : "110101-dispatcher"
        if filed.commandCenterID == "CITY-C" && model.hasDistrictCommand {
            try act(.dispatch, c.id, as: dispatcher, to: "110101-C", at: start.after(15))
            dispatcher = "110101-dispatcher"
        }
        return try act(.dispatch, c.id, as: dispatcher, to: "SANIT", at: start.after(20))
    }

    func dispatcher(for c: ServiceCase) -> String {
        c.commandCenterID == "CITY-C" ? "city-dispatcher" : "\(c.districtCode)-dispatcher"
    }

    func historyCount() throws -> Int {
        try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM history") ?? 0 }
    }
}

extension Date {
    /// `minutes` of wall-clock time later.
    func after(_ minutes: Int) -> Date { addingTimeInterval(Double(minutes * 60)) }
}
