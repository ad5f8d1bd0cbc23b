@testable import CityGridDemo
import Foundation
import GRDB
import Testing
@testable import Workflow

/// Site administration (docs/setup.md): the rules an admin's changes are held to, in Workflow, whatever front end asks.
@Suite struct AdministrationTests {
    let t0 = TestCity.monday9

    /// The test city with an admin (`admin`) and a second one (`admin2`).
    func city(_ model: ManagementModel = .oneMonitorTwoCommand) throws -> TestCity {
        let city = try TestCity(model: model)
        try city.store.addOperator(login: "admin", name: "管理员", role: .admin, centerID: nil)
        try city.store.addOperator(login: "admin2", name: "管理员二", role: .admin, centerID: nil)
        return city
    }

    func expectError(_ kind: (WorkflowError) -> Bool, containing text: String = "", _ body: () throws -> Void,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("no error (expected one containing '\(text)')", sourceLocation: sourceLocation)
        } catch let error as WorkflowError {
            #expect(kind(error), "\(error)", sourceLocation: sourceLocation)
            #expect(text.isEmpty || error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    static func isForbidden(_ e: WorkflowError) -> Bool { if case .forbidden = e { true } else { false } }
    static func isInvalid(_ e: WorkflowError) -> Bool { if case .invalidInput = e { true } else { false } }
    static func isNotFound(_ e: WorkflowError) -> Bool { if case .notFound = e { true } else { false } }

    // MARK: Text

    @Test(arguments: ["a", "city-lead-1", "110101-insp-001", "x.y_z", String(repeating: "a", count: 64)])
    func goodLogins(login: String) throws {
        try OperatorRules.checkLogin(login)
    }

    @Test(arguments: ["", String(repeating: "a", count: 65), "Alice", "-lead", ".lead", "_x", "a b", "王", "a\u{1b}[31m", "a\nb", "1234"])
    func badLoginsAreRefused(login: String) {
        #expect(throws: WorkflowError.self) { try OperatorRules.checkLogin(login) }
    }

    @Test(arguments: ["王\u{1b}[2J", "a\nb", "evil\u{202e}txt", "x\u{7f}", "x\u{85}y", "zero\u{200b}width", "  "])
    func namesWithControlCharactersAreRefused(name: String) {
        #expect(throws: WorkflowError.self) { _ = try OperatorRules.checkName(name, what: "the name") }
    }

    @Test func namesAreTrimmed() throws {
        #expect(try OperatorRules.checkName("  王小明 ", what: "the name") == "王小明")
    }

    // MARK: Who may

    @Test func onlyAnAdminAddsChangesDisablesAndEnables() throws {
        let city = try city()
        let draft = OperatorDraft(login: "new-intake", name: "新受理", role: .intake, centerID: "CITY-M")
        for actor in ["city-lead", "city-supervisor", "insp-a"] {
            expectError(Self.isForbidden, containing: "only an admin") { try city.store.addOperator(draft, by: actor, at: t0) }
            expectError(Self.isForbidden, containing: "only an admin") { try city.store.disableOperator("city-intake", by: actor, at: t0) }
            expectError(Self.isForbidden, containing: "only an admin") { try city.store.enableOperator("city-intake", by: actor, at: t0) }
            expectError(Self.isForbidden, containing: "only an admin") {
                try city.store.changeOperator("city-intake", OperatorChanges(name: "x"), by: actor, at: t0)
            }
            expectError(Self.isForbidden, containing: "only an admin") { try city.store.addPatrolArea(id: "PA-X", community: "110101001001", name: "x", by: actor, at: t0) }
            expectError(Self.isForbidden, containing: "only an admin") { try city.store.serveEveryDepartment(district: "110101", by: actor, at: t0) }
        }
        let added = try city.store.addOperator(draft, by: "admin", at: t0)
        #expect(added.centerID == "CITY-M" && added.tier == .city && added.regionCode == "110000")
    }

    @Test func onASignedSiteTheSignedInAdminActsWithoutBeingNamed() throws {
        let city = try city()
        try city.store.setPassword(of: "admin", to: "the admin's passphrase", by: "admin", at: t0)
        try city.store.setAccessMode(.signed, by: "admin", at: t0)
        let draft = OperatorDraft(login: "new-intake", name: "新受理", role: .intake, centerID: "CITY-M")
        expectError(Self.isForbidden, containing: "nobody is signed in") { try city.store.addOperator(draft, by: nil, at: t0) }
        let lead = try city.store.findOperator("city-lead")
        city.store.signIn(SignedIn(operatorID: lead.id, login: lead.login, via: .unix("lead")))
        expectError(Self.isForbidden, containing: "only an admin") { try city.store.addOperator(draft, by: nil, at: t0) }
        expectError(Self.isForbidden, containing: "signed in as city-lead") { try city.store.addOperator(draft, by: "admin", at: t0) }
        let admin = try city.store.findOperator("admin")
        city.store.signIn(SignedIn(operatorID: admin.id, login: admin.login, via: .unix("root")))
        try city.store.addOperator(draft, by: nil, at: t0)
        let event = try #require(try city.store.auditEvents(login: "new-intake").last)
        #expect(event.kind == .operatorAdded && event.by == "admin" && event.via == "unix:root")
    }

    // MARK: Where an operator works

    @Test func placementRules() throws {
        let city = try city(.twoMonitorTwoCommand)
        let before = try city.store.operatorAccounts().count
        func add(_ draft: OperatorDraft) throws { try city.store.addOperator(draft, by: "admin", at: t0) }
        expectError(Self.isInvalid, containing: "command center") { try add(OperatorDraft(login: "d1", name: "派", role: .dispatcher, centerID: "CITY-M")) }
        expectError(Self.isInvalid, containing: "monitoring center") { try add(OperatorDraft(login: "i1", name: "受", role: .intake)) }
        expectError(Self.isNotFound, containing: "no center") { try add(OperatorDraft(login: "i1", name: "受", role: .intake, centerID: "NOPE")) }
        expectError(Self.isNotFound, containing: "no department") {
            try add(OperatorDraft(login: "h1", name: "处", role: .department, departmentCode: "NOPE", regionCode: "110101"))
        }
        expectError(Self.isInvalid, containing: "needs a department") { try add(OperatorDraft(login: "h1", name: "处", role: .department)) }
        expectError(Self.isInvalid, containing: "is a street") {
            try add(OperatorDraft(login: "h1", name: "处", role: .department, departmentCode: "SANIT", regionCode: "110101001"))
        }
        expectError(Self.isNotFound, containing: "no region") {
            try add(OperatorDraft(login: "h1", name: "处", role: .department, departmentCode: "SANIT", regionCode: "999999"))
        }
        expectError(Self.isInvalid, containing: "needs a patrol area") { try add(OperatorDraft(login: "p1", name: "巡", role: .inspector, centerID: "110101-M")) }
        expectError(Self.isNotFound, containing: "no patrol area") {
            try add(OperatorDraft(login: "p1", name: "巡", role: .inspector, centerID: "110101-M", patrolAreaID: "NOPE"))
        }
        expectError(Self.isInvalid, containing: "outside") {
            try add(OperatorDraft(login: "p1", name: "巡", role: .inspector, centerID: "110101-M", patrolAreaID: "PA-B"))
        }
        expectError(Self.isInvalid, containing: "only an inspector") {
            try add(OperatorDraft(login: "i1", name: "受", role: .intake, centerID: "CITY-M", patrolAreaID: "PA-A"))
        }
        expectError(Self.isInvalid, containing: "leave out the region") {
            try add(OperatorDraft(login: "i1", name: "受", role: .intake, centerID: "110101-M", regionCode: "110102"))
        }
        expectError(Self.isInvalid, containing: "the city") { try add(OperatorDraft(login: "a3", name: "管", role: .admin, regionCode: "110101")) }
        expectError(Self.isInvalid, containing: "taken") { try add(OperatorDraft(login: "insp-a", name: "巡", role: .inspector, centerID: "CITY-M", patrolAreaID: "PA-A")) }
        expectError(Self.isInvalid, containing: "control character") { try add(OperatorDraft(login: "i1", name: "受\u{1b}]0;x\u{7}", role: .intake, centerID: "CITY-M")) }
        expectError(Self.isInvalid, containing: "a-z") { try add(OperatorDraft(login: "I1", name: "受", role: .intake, centerID: "CITY-M")) }
        // The city monitoring center's inspector walks any district; a district one only its own.
        try add(OperatorDraft(login: "p1", name: "巡", role: .inspector, centerID: "CITY-M", patrolAreaID: "PA-B"))
        try add(OperatorDraft(login: "h1", name: "处", role: .department, departmentCode: "SANIT", regionCode: "110102"))
        let handler = try city.store.findOperator("h1")
        #expect(handler.tier == .district && handler.regionCode == "110102" && handler.centerID == nil)
        #expect(try city.store.operatorAccounts().count == before + 2, "only the two good ones were added")
    }

    @Test func aUnixAccountIsBoundToOneOperatorOnly() throws {
        let city = try city()
        try city.store.addOperator(OperatorDraft(login: "i1", name: "受", role: .intake, centerID: "CITY-M", unixUser: "alice"), by: "admin", at: t0)
        expectError(Self.isInvalid, containing: "already bound to i1") {
            try city.store.addOperator(OperatorDraft(login: "i2", name: "受", role: .intake, centerID: "CITY-M", unixUser: "alice"), by: "admin", at: t0)
        }
        expectError(Self.isInvalid, containing: "already bound to i1") {
            try city.store.changeOperator("city-lead", OperatorChanges(unixUser: .some("alice")), by: "admin", at: t0)
        }
        expectError(Self.isInvalid, containing: "Unix account name") {
            try city.store.changeOperator("city-lead", OperatorChanges(unixUser: .some("bad name")), by: "admin", at: t0)
        }
        try city.store.changeOperator("i1", OperatorChanges(unixUser: .some(nil)), by: "admin", at: t0)
        try city.store.changeOperator("city-lead", OperatorChanges(unixUser: .some("alice")), by: "admin", at: t0)
        #expect(try city.store.identify(unixUser: "alice")?.login == "city-lead")
        #expect(try city.store.operatorAccount("city-lead").access == ["unix:alice"])
    }

    @Test func aNewRoleDropsWhatItHasNoUseFor() throws {
        let city = try city()
        let intake = try city.store.changeOperator("insp-a2", OperatorChanges(role: .intake), by: "admin", at: t0)
        #expect(intake.role == .intake && intake.patrolAreaID == nil && intake.centerID == "CITY-M")
        expectError(Self.isInvalid, containing: "command center") {
            try city.store.changeOperator("city-lead", OperatorChanges(role: .dispatcher), by: "admin", at: t0)
        }
        let dispatcher = try city.store.changeOperator("city-lead", OperatorChanges(role: .dispatcher, centerID: "CITY-C"), by: "admin", at: t0)
        #expect(dispatcher.centerID == "CITY-C")
        let handler = try city.store.changeOperator("city-intake", OperatorChanges(role: .department, departmentCode: "ROADS", regionCode: "110101"),
                                                    by: "admin", at: t0)
        #expect(handler.centerID == nil && handler.departmentCode == "ROADS" && handler.regionCode == "110101" && handler.tier == .district)
        let renamed = try city.store.changeOperator("sanit-110102", OperatorChanges(name: "新名字"), by: "admin", at: t0)
        #expect(renamed.regionCode == "110102" && renamed.departmentCode == "SANIT")
        expectError(Self.isNotFound) { try city.store.changeOperator("nobody", OperatorChanges(name: "x"), by: "admin", at: t0) }
        expectError(Self.isInvalid, containing: "nothing to change") { try city.store.changeOperator("insp-a", OperatorChanges(), by: "admin", at: t0) }
        let changes = try city.store.auditEvents().filter { $0.kind == .operatorChanged }
        #expect(changes.count == 4)
        #expect(changes.first?.detail.contains("role: inspector → intake") == true && changes.first?.detail.contains("patrol area: PA-A → -") == true)
    }

    // MARK: Disable and enable

    @Test func aDisabledOperatorIsRefusedFromTheNextActionOnAndEnabledActsAgain() throws {
        let city = try city()
        let c = try city.report()
        #expect(try city.store.disableOperator("city-intake", by: "admin", at: t0.after(1)))
        #expect(try city.store.disableOperator("city-intake", by: "admin", at: t0.after(1)) == false, "twice is a no-op")
        expectError(Self.isForbidden, containing: "disabled") { try city.act(.accept, c.id, as: "city-intake", at: t0.after(2)) }
        let account = try city.store.operatorAccount("city-intake")
        #expect(account.op.disabled && account.disabledAt == t0.after(1))
        #expect(try city.store.operators().contains { $0.login == "city-intake" } == false, "the active list leaves it out")
        #expect(try city.store.operatorAccounts().contains { $0.op.login == "city-intake" }, "the admin's list keeps it")
        #expect(try city.store.enableOperator("city-intake", by: "admin", at: t0.after(3)))
        try city.act(.accept, c.id, as: "city-intake", at: t0.after(4))
        let kinds = try city.store.auditEvents(login: "city-intake").map(\.kind)
        #expect(kinds == [.operatorDisabled, .operatorEnabled])
        #expect(try city.store.auditEvents(login: "city-intake").allSatisfy { $0.by == "admin" })
    }

    @Test func anAdminCannotDisableThemselvesNorTheLastAdmin() throws {
        let city = try city()
        expectError(Self.isForbidden, containing: "themselves") { try city.store.disableOperator("admin", by: "admin", at: t0) }
        expectError(Self.isForbidden, containing: "their own role") {
            try city.store.changeOperator("admin", OperatorChanges(role: .supervisor, centerID: "CITY-M"), by: "admin", at: t0)
        }
        try city.store.disableOperator("admin2", by: "admin", at: t0)
        expectError(Self.isForbidden, containing: "disabled") { try city.store.disableOperator("admin", by: "admin2", at: t0) }
        expectError(Self.isForbidden, containing: "last enabled admin") { try city.store.disableOperator("admin", by: "admin", at: t0) }
        try city.store.enableOperator("admin2", by: "admin", at: t0)
        try city.store.changeOperator("admin2", OperatorChanges(role: .supervisor, centerID: "CITY-M"), by: "admin", at: t0)
        expectError(Self.isForbidden, containing: "last enabled admin") {
            try city.store.changeOperator("admin", OperatorChanges(role: .supervisor, centerID: "CITY-M"), by: "admin", at: t0)
        }
    }

    @Test func disablingEndsTheOperatorsServerSessions() throws {
        let city = try city()
        let lead = try city.store.findOperator("city-lead")
        let token = try city.store.startSession(for: SignedIn(operatorID: lead.id, login: lead.login, via: .password), at: t0)
        try city.store.disableOperator("city-lead", by: "admin", at: t0)
        try city.store.enableOperator("city-lead", by: "admin", at: t0)
        #expect(throws: WorkflowError.self) { try city.store.resumeSession(token: token, at: t0) }
    }

    @Test func theFirstAdminIsMadeOnce() throws {
        let store = try CityStore.inMemory()
        try store.createSite(SiteSettings(model: .centralized, access: .signed), categories: [], departments: [])
        let admin = try store.addFirstAdmin(login: "root-admin", name: "管理员", unixUser: "root", at: t0)
        #expect(admin.role == .admin && admin.unixUser == "root")
        #expect(try store.identify(unixUser: "root")?.login == "root-admin")
        expectError(Self.isForbidden, containing: "has an admin already") { try store.addFirstAdmin(login: "other", name: "x", unixUser: nil, at: t0) }
        #expect(try store.auditEvents().map(\.kind) == [.operatorAdded])
    }

    // MARK: Centers, departments, patrol areas

    @Test func centersFollowTheModel() throws {
        let city = try city(.centralized)
        expectError(Self.isInvalid, containing: "no district command center") {
            try city.store.addCenter(kind: .command, tier: .district, district: "110101", by: "admin", at: t0)
        }
        expectError(Self.isInvalid, containing: "exists already") { try city.store.addCenter(kind: .monitoring, tier: .city, district: nil, by: "admin", at: t0) }
        expectError(Self.isNotFound, containing: "no district") { try city.store.addCenter(kind: .command, tier: .district, district: "999999", by: "admin", at: t0) }
        expectError(Self.isForbidden) { try city.store.addCenter(kind: .command, tier: .district, district: "110101", by: "city-lead", at: t0) }
        // A district whose centers were never made (written outside citygrid): the admin adds them.
        let other = try self.city(.twoMonitorTwoCommand)
        try other.store.write { db in
            try db.execute(sql: "INSERT INTO region(code, level, name_zh, name_en, parent_code, district_code) VALUES ('110105', 'district', '朝阳区', 'Chaoyang', '110000', '110105')")
        }
        let center = try other.store.addCenter(kind: .command, tier: .district, district: "110105", nameEn: "Chaoyang dispatch", by: "admin", at: t0)
        #expect(center.id == "110105-C" && center.nameZh == "朝阳区城市管理指挥中心" && center.nameEn == "Chaoyang dispatch")
        let missing = try other.store.readiness(at: t0).first { $0.name == "centers" }?.findings ?? []
        #expect(missing.contains { $0 == DoctorFinding("the district 110105 monitoring center 110105-M is missing",
                                                       fix: .addCenter(.monitoring, tier: .district, district: "110105")) })
    }

    @Test func departmentsAndTheirUnits() throws {
        let city = try city()
        let added = try city.store.addDepartment(code: "SNOW", nameZh: "除雪队", nameEn: "Snow clearing", serves: [("110101", "东城除雪队")], by: "admin", at: t0)
        #expect(added.code == "SNOW")
        #expect(try city.store.departmentUnits().filter { $0.departmentCode == "SNOW" }.map(\.name) == ["东城除雪队"])
        expectError(Self.isInvalid, containing: "exists already") { try city.store.addDepartment(code: "SNOW", nameZh: "x", nameEn: "x", by: "admin", at: t0) }
        expectError(Self.isInvalid, containing: "department code") { try city.store.addDepartment(code: "SN OW", nameZh: "x", nameEn: "x", by: "admin", at: t0) }
        expectError(Self.isNotFound, containing: "no district") {
            try city.store.addDepartment(code: "ICE", nameZh: "x", nameEn: "x", serves: [("999999", "u")], by: "admin", at: t0)
        }
        #expect(try city.store.departments().contains { $0.code == "ICE" } == false, "a refused add leaves nothing")
        expectError(Self.isNotFound, containing: "no department") { try city.store.serve(department: "NOPE", district: "110101", unit: nil, by: "admin", at: t0) }
        let unit = try city.store.serve(department: "WATER", district: "110102", unit: nil, by: "admin", at: t0)
        #expect(unit.name == "区2供水公司")
        let renamed = try city.store.serve(department: "WATER", district: "110102", unit: "西城供水所", by: "admin", at: t0)
        #expect(renamed.name == "西城供水所")
        let made = try city.store.serveEveryDepartment(district: "110102", by: "admin", at: t0)
        #expect(made.count == 15, "every department but WATER, which had one")
        #expect(try city.store.serveEveryDepartment(district: "110102", by: "admin", at: t0).isEmpty)
        let findings = try city.store.readiness(at: t0).first { $0.name == "departments" }?.findings ?? []
        #expect(findings.count == 1 && findings[0].problem.contains("district 110101") && findings[0].fix == .serveEveryDepartment(district: "110101"))
    }

    @Test func patrolAreasTakeCellsOfTheirDistrictAndInspectors() throws {
        let city = try city()
        try city.store.addPatrolArea(id: "PA-A2", community: "110101001001", name: "东二", by: "admin", at: t0)
        expectError(Self.isInvalid, containing: "exists already") { try city.store.addPatrolArea(id: "PA-A2", community: "110101001001", name: "x", by: "admin", at: t0) }
        expectError(Self.isNotFound, containing: "no community") { try city.store.addPatrolArea(id: "PA-Z", community: "110101001999", name: "x", by: "admin", at: t0) }
        expectError(Self.isInvalid, containing: "patrol area id") { try city.store.addPatrolArea(id: "PA Z", community: "110101001001", name: "x", by: "admin", at: t0) }
        expectError(Self.isInvalid, containing: "district 110102") { try city.store.assignCells([TestCity.cellB], to: "PA-A2", by: "admin", at: t0) }
        expectError(Self.isNotFound, containing: "no cell") { try city.store.assignCells(["110101001001099"], to: "PA-A2", by: "admin", at: t0) }
        expectError(Self.isInvalid, containing: "15 digits") { try city.store.assignCells(["1101"], to: "PA-A2", by: "admin", at: t0) }
        expectError(Self.isNotFound, containing: "no patrol area") { try city.store.assignCells([TestCity.cellA], to: "NOPE", by: "admin", at: t0) }
        #expect(try city.store.assignCells([TestCity.cellA2, TestCity.cellA], to: "PA-A2", by: "admin", at: t0) == 2)
        expectError(Self.isInvalid, containing: "not an inspector") { try city.store.assignInspector("city-lead", to: "PA-A2", by: "admin", at: t0) }
        try city.store.assignInspector("insp-a2", to: "PA-A2", by: "admin", at: t0)
        let areas = Dictionary(uniqueKeysWithValues: try city.store.patrolAreas().map { ($0.id, $0) })
        #expect(areas["PA-A2"]?.cells == 2 && areas["PA-A2"]?.inspectors == ["insp-a2"] && areas["PA-A"]?.cells == 2 && areas["PA-A"]?.inspectors == ["insp-a"])
        // The inspector walks the cells of the new area now.
        let c = try city.report(by: "insp-a2", cell: TestCity.cellA)
        #expect(c.cellCode == TestCity.cellA)
    }

    // MARK: Readiness

    @Test func readinessNamesWhatIsMissingUntilTheSiteIsReady() throws {
        let city = try city()
        var findings = try city.store.readiness(at: t0)
        #expect(findings.map(\.name) == ["grid", "patrol_areas", "centers", "departments", "calendar"])
        #expect(findings.first { $0.name == "calendar" }?.findings.count == 2)
        for district in ["110101", "110102"] { try city.store.serveEveryDepartment(district: district, by: "admin", at: t0) }
        try city.store.importCalendar(CalendarExceptions.china2026)
        try city.store.importCalendar(CalendarExceptions.chinaStatutoryFixedDates(year: 2027))
        findings = try city.store.readiness(at: t0)
        #expect(findings.allSatisfy { $0.ok }, "\(findings.flatMap(\.findings))")

        try city.store.disableOperator("110102-dispatcher", by: "admin", at: t0)
        try city.store.disableOperator("insp-b", by: "admin", at: t0)
        try city.store.write { db in try db.execute(sql: "UPDATE region SET patrol_area = NULL WHERE code = ?", arguments: [TestCity.cellA2]) }
        findings = try city.store.readiness(at: t0)
        let lines = Dictionary(uniqueKeysWithValues: findings.map { ($0.name, $0.findings) })
        #expect(lines["centers"] == [DoctorFinding("the district 110102 command center 110102-C has no active dispatcher",
                                                   fix: .addOperator(role: .dispatcher, center: "110102-C"))])
        #expect(lines["patrol_areas"]?.count == 1 && lines["patrol_areas"]?[0].problem.contains("patrol area PA-B") == true
                && lines["patrol_areas"]?[0].fix == .addOperator(role: .inspector, center: "CITY-M", patrolArea: "PA-B"))
        #expect(lines["grid"] == [DoctorFinding("cell \(TestCity.cellA2) of community 110101001001 is in no patrol area",
                                                fix: .assignCells([TestCity.cellA2], area: "PA-A"))])
        // A year later the next year's calendar is wanted.
        let nextYear = try InstantFormat(timeZone: TestCity.zone).parse("2027-01-04T09:00:00+08:00")
        #expect(try city.store.readiness(at: nextYear).first { $0.name == "calendar" }?.findings.first?.problem.contains("2028") == true)
    }

    @Test func theDemoCityIsReady() throws {
        for model in ManagementModel.allCases {
            let store = try CityStore.inMemory()
            let now = try InstantFormat(timeZone: TestCity.zone).parse("2026-11-25T10:30:00+08:00")
            _ = try DemoCity.seed(into: store, options: DemoOptions(model: model, seed: 3, days: 1, cases: 20, now: now))
            let findings = try store.readiness(at: now).flatMap(\.findings)
            #expect(findings.isEmpty, "\(model): \(findings)")
        }
    }
}
