import Foundation
import GRDB
import Testing
@testable import Workflow

/// Handling below the district (issue 18, 三级处置, "小事不出社区"): streets, towns and communities as handling units,
/// community-level categories, towns, and the share of closes made below the district.
@Suite struct BelowDistrictTests {
    let t0 = TestCity.monday9
    static let november = EvaluationPeriod.month(containing: LocalDate(string: "2026-11-23")!)
    static let community = "110101001001"   // holds cellA
    static let street = "110101001"

    /// The test city (centralized: one command center) with an admin, the street and community of cell A made units,
    /// each with a handler, and a second street and community of district 110101 (holding none of the test cells).
    static func city() throws -> TestCity {
        let city = try TestCity(model: .centralized)
        try city.store.addOperator(login: "admin", name: "管理员", role: .admin, centerID: nil)
        try city.store.addRegion(code: "110101002", kind: .street, nameZh: "二街道", nameEn: "Second street")
        try city.store.addRegion(code: "110101001002", kind: .community, nameZh: "二社区", nameEn: "Second community")
        for code in [community, street, "110101001002", "110101002"] {
            try city.store.addRegionUnit(region: code, by: "admin", at: TestCity.monday9)
        }
        try city.store.addOperator(OperatorDraft(login: "community-a", name: "社区处置", role: .department, departmentCode: community,
                                                 regionCode: "110101"), by: "admin", at: TestCity.monday9)
        try city.store.addOperator(OperatorDraft(login: "street-a", name: "街道处置", role: .department, departmentCode: street,
                                                 regionCode: "110101"), by: "admin", at: TestCity.monday9)
        return city
    }

    /// A report of cell A filed and waiting for dispatch at the city command center.
    func filed(_ city: TestCity, at start: Date, category: String = "0102", cell: String = TestCity.cellA) throws -> ServiceCase {
        let c = try city.report(category: category, cell: cell, at: start)
        try city.act(.accept, c.id, as: "city-intake", at: start.after(5))
        return try city.act(.file, c.id, as: try city.lead(.file, c.id), at: start.after(10))
    }

    /// Dispatched to `unit`, handled by `handler`, checked, passed and closed.
    @discardableResult
    func loop(_ city: TestCity, to unit: String, handler: String, at start: Date) throws -> ServiceCase {
        let c = try filed(city, at: start)
        let dispatched = try city.act(.dispatch, c.id, as: "city-dispatcher", to: unit, at: start.after(15))
        #expect(dispatched.state == .dispatched && dispatched.departmentCode == unit)
        try city.act(.handle, c.id, as: handler, at: start.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: start.after(65))
        try city.act(.pass, c.id, as: "insp-a", at: start.after(80))
        return try city.act(.close, c.id, as: try city.lead(.close, c.id), at: start.after(85))
    }

    @Test func aCaseDispatchedToItsCommunityIsHandledThereAndClosed() throws {
        let city = try Self.city()
        let closed = try loop(city, to: Self.community, handler: "community-a", at: t0)
        #expect(closed.state == .closed && closed.departmentCode == Self.community)
        let history: [HistoryEntry] = try city.store.detail(closed.id).history.map(\.entry)
        let dispatches = history.filter { (entry: HistoryEntry) -> Bool in entry.action == "dispatch" }
        #expect(dispatches.map(\.target) == [Self.community])
        let handles = history.filter { (entry: HistoryEntry) -> Bool in entry.action == "handle" }
        #expect(handles.map(\.role) == [Role.department])
    }

    @Test func theStreetHoldingTheCellHandlesLikeADepartment() throws {
        let city = try Self.city()
        let closed = try loop(city, to: Self.street, handler: "street-a", at: t0)
        #expect(closed.state == .closed && closed.departmentCode == Self.street)
    }

    @Test func aCommunityOrStreetOutsideTheCellIsRefused() throws {
        let city = try Self.city()
        let c = try filed(city, at: t0)
        for (unit, level) in [("110101001002", HandlingLevel.community), ("110101002", .street), ("110102001001", .community)] {
            do {
                try city.act(.dispatch, c.id, as: "city-dispatcher", to: unit, at: t0.after(15))
                Issue.record("dispatch to \(unit) was taken")
            } catch let error {
                guard case .refusal(.unitOutsideCell(let id, let named, let said, let cell)) = error as? WorkflowError else {
                    Issue.record("\(unit): \(error)"); continue
                }
                #expect(id == c.id && named == unit && said == level && cell == TestCity.cellA)
                #expect((error as? WorkflowError)?.exitCode == 3)
            }
        }
        #expect(try city.store.serviceCase(c.id).state == .filed, "nothing changed")
        // The community of district B is a region but no unit: outside the cell all the same.
        // The cell's own community, once no longer a unit elsewhere, is refused as not a unit: see the next test.
    }

    @Test func aRegionThatHoldsTheCellButIsNoUnitIsRefusedAsSuch() throws {
        let city = try TestCity(model: .centralized)
        let c = try filed(city, at: t0)
        #expect(throws: WorkflowError.refusal(.regionNotHandlingUnit(region: Self.community, level: .community))) {
            try city.act(.dispatch, c.id, as: "city-dispatcher", to: Self.community, at: t0.after(15))
        }
    }

    @Test func anotherUnitsHandlerCannotHandleTheCommunitysCase() throws {
        let city = try Self.city()
        let c = try filed(city, at: t0)
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: Self.community, at: t0.after(15))
        #expect(throws: WorkflowError.refusal(.otherDepartment(caseID: c.id, department: Self.community, login: "street-a",
                                                               actorDepartment: Self.street))) {
            try city.act(.handle, c.id, as: "street-a", at: t0.after(60))
        }
        #expect(throws: WorkflowError.self) { try city.act(.handle, c.id, as: "sanit-110101", at: t0.after(60)) }
    }

    @Test func reassigningToAUnitOutsideTheCellIsRefused() throws {
        let city = try Self.city()
        let c = try filed(city, at: t0)
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "SANIT", at: t0.after(15))
        #expect(throws: WorkflowError.refusal(.unitOutsideCell(caseID: c.id, unit: "110101001002", level: .community, cell: TestCity.cellA))) {
            try city.act(.reassign, c.id, as: "city-dispatcher", to: "110101001002", note: "社区处理", at: t0.after(20))
        }
        let moved = try city.act(.reassign, c.id, as: "city-dispatcher", to: Self.community, note: "社区处理", at: t0.after(20))
        #expect(moved.departmentCode == Self.community)
    }

    @Test func aRegionUnitIsAnAdminsAndOnlyForStreetsTownsAndCommunities() throws {
        let city = try Self.city()
        #expect(throws: WorkflowError.self) { try city.store.addRegionUnit(region: "110102001", by: "city-lead", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.addRegionUnit(region: "110101", by: "admin", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.addRegionUnit(region: "110101009", by: "admin", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.addRegionUnit(region: Self.community, by: "admin", at: t0) }
        #expect(throws: WorkflowError.self) {
            try city.store.addDepartment(code: "110102001", nameZh: "假部门", nameEn: "Fake", by: "admin", at: t0)
        }
        let unit = try city.store.addRegionUnit(region: "110102001", by: "admin", at: t0)
        #expect(unit.regionCode == "110102001" && unit.handlingLevel == .street && unit.nameZh == "街道" && unit.scope == "street")
        #expect(try city.store.departments().contains(unit))
        // No unit of a department per district for a region's unit: `serve --all-departments` leaves it out.
        let served = try city.store.serveEveryDepartment(district: "110102", by: "admin", at: t0).map(\.departmentCode)
        #expect(!served.contains { $0.allSatisfy(\.isASCIIDigit) }, "\(served)")
    }

    // MARK: Community-level categories

    @Test func aCommunityLevelCategorySuggestsTheCommunityOnDispatch() throws {
        let city = try Self.city()
        let key = CategoryKey(kind: .event, code: "0201")
        let marked = try city.store.setCommunityLevel(key, true, by: "admin", at: t0)
        #expect(marked.communityLevel)
        #expect(try city.store.categories().first { $0.key == key }?.communityLevel == true)
        #expect(throws: WorkflowError.self) { try city.store.setCommunityLevel(key, false, by: "city-lead", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.setCommunityLevel(CategoryKey(kind: .event, code: "9999"), true, by: "admin", at: t0) }

        let flyers = try filed(city, at: t0, category: "0201")
        let rubbish = try filed(city, at: t0.after(1), category: "0102")
        let categories = try city.store.categories(), departments = try city.store.departments()
        #expect(HandlingUnits.suggested(for: flyers, categories: categories, departments: departments) == Self.community)
        #expect(HandlingUnits.suggested(for: rubbish, categories: categories, departments: departments) == "SANIT")
        // Offered: the cell's street and community first, then every department; never another region's unit.
        let offered = HandlingUnits.offered(for: flyers, departments: departments).map(\.code)
        #expect(Array(offered.prefix(2)) == [Self.street, Self.community])
        #expect(!offered.contains("110101001002") && !offered.contains("110101002") && offered.contains("SANIT"))

        try city.store.setCommunityLevel(key, false, by: "admin", at: t0)
        #expect(HandlingUnits.suggested(for: flyers, categories: try city.store.categories(), departments: departments) == "STREET")
    }

    // MARK: Towns

    @Test func aTownIsAStreetLevelRegionAndHandlesLikeAStreet() throws {
        let city = try Self.city()
        try city.store.addRegion(code: "110102100", kind: .town, nameZh: "某镇", nameEn: "A town")
        try city.store.addRegion(code: "110102100001", kind: .community, nameZh: "镇社区", nameEn: "Town community")
        try city.store.addCell(GridCell(code: "110102100001001", nameZh: "镇网格", row: 40, col: 40, lat: 39.9, lon: 116.4, patrolAreaID: "PA-B"))
        #expect(try city.store.regions(kind: .town).map(\.code) == ["110102100"])
        #expect(try city.store.regions(kind: .street).allSatisfy { !$0.isTown })
        #expect(try city.store.regions(level: .street).contains { $0.code == "110102100" && $0.kind == .town })
        let town = try city.store.addRegionUnit(region: "110102100", by: "admin", at: t0)
        #expect(town.scope == "town" && town.handlingLevel == .street)
        try city.store.addOperator(OperatorDraft(login: "town-b", name: "镇处置", role: .department, departmentCode: "110102100",
                                                 regionCode: "110102"), by: "admin", at: t0)
        let c = try city.report(by: "insp-b", cell: "110102100001001", at: t0)
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(5))
        try city.act(.file, c.id, as: try city.lead(.file, c.id), at: t0.after(10))
        #expect(throws: WorkflowError.refusal(.unitOutsideCell(caseID: c.id, unit: Self.street, level: .street, cell: "110102100001001"))) {
            try city.act(.dispatch, c.id, as: "city-dispatcher", to: Self.street, at: t0.after(15))
        }
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: "110102100", at: t0.after(15))
        let handled = try city.act(.handle, c.id, as: "town-b", at: t0.after(60))
        #expect(handled.state == .handled)
    }

    // MARK: The indicator

    /// Four closes in November: one dispatched to the community's unit, one to the street's, one to SANIT, and one
    /// dispatched to the community then reassigned to SANIT (as every department figure, the close counts for the
    /// standing assignment's unit: the community). By hand: community 2/4 = 50 %, street 1/4 = 25 %, below the
    /// district 3/4 = 75 %. By department: the community unit 2/2 = 100 % community, SANIT 0/1 = 0 %.
    @Test func theBelowDistrictSharesByHand() throws {
        let city = try Self.city()
        try loop(city, to: Self.community, handler: "community-a", at: t0)
        try loop(city, to: Self.street, handler: "street-a", at: t0.after(120))
        try loop(city, to: "SANIT", handler: "sanit-110101", at: t0.after(240))
        let start = t0.after(360)
        let c = try filed(city, at: start)
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: Self.community, at: start.after(15))
        try city.act(.reassign, c.id, as: "city-dispatcher", to: "SANIT", note: "专业部门处理", at: start.after(20))
        try city.act(.handle, c.id, as: "sanit-110101", at: start.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: start.after(65))
        try city.act(.pass, c.id, as: "insp-a", at: start.after(80))
        try city.act(.close, c.id, as: try city.lead(.close, c.id), at: start.after(85))
        // One more case dispatched to the community and still open: not a close, counts nowhere.
        let open = try filed(city, at: t0.after(500))
        try city.act(.dispatch, open.id, as: "city-dispatcher", to: Self.community, at: t0.after(515))

        let now = TestCity.at("2026-11-25T10:30:00+08:00")
        let total = try city.store.evaluation(EvaluationQuery(period: Self.november, grouping: .city), at: now).total
        #expect(total.counts[.closed] == 4 && total.counts[.closedCommunity] == 2 && total.counts[.closedStreet] == 1)
        #expect(total.value(.communityCloseShare) == 50)
        #expect(total.value(.streetCloseShare) == 25)
        #expect(total.value(.belowDistrictCloseShare) == 75)

        let byDepartment = try city.store.evaluation(EvaluationQuery(period: Self.november, grouping: .department), at: now)
        let community = try #require(byDepartment.rows.first { $0.key == Self.community })
        #expect(community.counts[.closed] == 2 && community.value(.communityCloseShare) == 100 && community.value(.streetCloseShare) == 0)
        let sanit = try #require(byDepartment.rows.first { $0.key == "SANIT" })
        #expect(sanit.value(.belowDistrictCloseShare) == 0 && sanit.counts[.closed] == 1)

        let byDistrict = try city.store.evaluation(EvaluationQuery(period: Self.november, grouping: .district), at: now)
        #expect(byDistrict.rows.first { $0.key == "110101" }?.value(.belowDistrictCloseShare) == 75)
        #expect(byDistrict.rows.first { $0.key == "110102" }?.value(.belowDistrictCloseShare) == nil, "nothing closed there: n/a")

        let bulletin = try city.store.monthlyBulletin(period: Self.november, at: now)
        let shares = Dictionary(bulletin.totals.map { ($0.label, $0.now) }, uniquingKeysWith: { a, _ in a })
        #expect(shares["community_close_share"] == "50.0" && shares["street_close_share"] == "25.0"
                && shares["below_district_close_share"] == "75.0", "\(shares)")
    }

    @Test func theMigrationAddsTheColumnsWithDefaults() throws {
        let city = try TestCity(model: .centralized)
        try city.store.read { db in
            #expect(try Bool.fetchOne(db, sql: "SELECT community_level FROM category WHERE kind = 'event' AND code = '0102'") == false)
            #expect(try Bool.fetchOne(db, sql: "SELECT town FROM region WHERE code = '110101001'") == false)
            #expect(try String.fetchOne(db, sql: "SELECT region_code FROM department WHERE code = 'SANIT'") == nil)
            let names = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            #expect(names.contains("v19 handling below the district"))
        }
    }
}
