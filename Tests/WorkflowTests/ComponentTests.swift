import Foundation
import GRDB
import Testing
@testable import Workflow

/// Components as first-class objects (issue 17, part 3): owner routing and its fallback, a component's state through
/// a case, its history, the v16 migration of old component rows.
@Suite struct ComponentTests {
    let t0 = TestCity.monday9
    /// A litter bin (class 0305, whose department is SANIT) in cell A, owned by the street office.
    static let bin = "1101010305000001"
    /// A litter bin in cell A owned by its class's department.
    static let orphanBin = "1101010305000002"
    /// A litter bin in cell A2.
    static let nearBin = "1101010305000003"
    /// A removed litter bin in cell A.
    static let removedBin = "1101010305000004"

    static func city() throws -> TestCity {
        let city = try TestCity(model: .centralized)
        try city.store.write { db in
            for (id, owner, cell, state) in [(bin, "STREET", TestCity.cellA, "intact"), (orphanBin, "SANIT", TestCity.cellA, "intact"),
                                             (nearBin, "SANIT", TestCity.cellA2, "intact"), (removedBin, "SANIT", TestCity.cellA, "removed")] {
                try db.execute(sql: """
                    INSERT INTO component(id, category_code, name, department, cell_code, state, updated_at) VALUES (?, '0305', ?, ?, ?, ?, 0)
                    """, arguments: [id, "垃圾箱 \(id.suffix(1))", owner, cell, state])
            }
        }
        return city
    }

    func report(_ city: TestCity, component: String?, kind: CategoryKind = .component, category: String = "0305",
                at time: Date) throws -> ServiceCase {
        try city.store.report(ReportDraft(kind: kind, categoryCode: category, cellCode: TestCity.cellA, description: "垃圾箱破损",
                                          componentID: component), by: "insp-a", at: time)
    }

    /// Report, accept, file: the filed case.
    func filed(_ city: TestCity, component: String?, department: String? = nil, at start: Date) throws -> ServiceCase {
        let c = try report(city, component: component, at: start)
        try city.act(.accept, c.id, as: "city-intake", at: start.after(5))
        return try city.store.perform(ActionRequest(action: .file, caseID: c.id, actor: try city.lead(.file, c.id), department: department), at: start.after(10))
    }

    /// From filed to closed, with the component outcome chosen at close.
    @discardableResult
    func close(_ city: TestCity, _ c: ServiceCase, outcome: ComponentOutcome? = nil, at start: Date) throws -> ServiceCase {
        let department = c.departmentCode!
        try city.act(.dispatch, c.id, as: "city-dispatcher", to: department, at: start.after(15))
        try city.act(.handle, c.id, as: "\(department.lowercased())-110101", at: start.after(60))
        try city.act(.check, c.id, as: "city-intake", to: "insp-a", at: start.after(65))
        try city.act(.pass, c.id, as: "insp-a", at: start.after(80))
        return try city.store.perform(ActionRequest(action: .close, caseID: c.id, actor: try city.lead(.close, c.id), componentOutcome: outcome),
                                      at: start.after(85))
    }

    func state(_ city: TestCity, _ id: String) throws -> ComponentState { try city.store.component(id).component.state }

    // MARK: Routing

    @Test func theRuleRoutesToTheOwnerThenTheCategoryAndNamesAChoice() throws {
        let bins = try #require(try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV).first { $0.kind == .component && $0.code == "0305" })
        #expect(bins.department == "SANIT")
        #expect(ComponentRules.route(kind: .component, category: bins, componentID: Self.bin, componentOwner: "STREET", asked: nil)
            == Routing(department: "STREET", reason: .componentOwner, componentID: Self.bin))
        #expect(ComponentRules.route(kind: .component, category: bins, componentID: Self.orphanBin, componentOwner: nil, asked: nil)
            == Routing(department: "SANIT", reason: .categoryDefault, componentID: Self.orphanBin))
        #expect(ComponentRules.route(kind: .component, category: bins, componentID: nil, componentOwner: nil, asked: nil).reason == .categoryDefault)
        // An event is the place's first (先属地): an owner does not route it.
        #expect(ComponentRules.route(kind: .event, category: bins, componentID: Self.bin, componentOwner: "STREET", asked: nil).department == "SANIT")
        #expect(ComponentRules.route(kind: .component, category: bins, componentID: Self.bin, componentOwner: "STREET", asked: "ENFORCE")
            == Routing(department: "ENFORCE", reason: .chosen, componentID: Self.bin))
        #expect(ComponentRules.route(kind: .component, category: bins, componentID: Self.bin, componentOwner: "STREET", asked: "STREET").reason == .componentOwner)
    }

    @Test func aComponentCaseIsFiledToItsOwner() throws {
        let city = try Self.city()
        let c = try filed(city, component: Self.bin, at: t0)
        #expect(c.departmentCode == "STREET", "the bin's owner, not the class's SANIT")
        #expect(try city.store.routing(ofCase: c.id) == Routing(department: "STREET", reason: .componentOwner, componentID: Self.bin))
        let detail = try city.store.detail(c.id, viewer: nil)
        #expect(detail.component?.id == Self.bin && detail.component?.department == "STREET")
        #expect(detail.routing?.reason == .componentOwner)
    }

    @Test func aCaseWithoutAComponentGoesToTheCategorysDepartment() throws {
        let city = try Self.city()
        let none = try filed(city, component: nil, at: t0.after(1))
        #expect(none.departmentCode == "SANIT")
        #expect(try city.store.routing(ofCase: none.id) == Routing(department: "SANIT", reason: .categoryDefault, componentID: nil))
        let owned = try filed(city, component: Self.orphanBin, at: t0)
        let ownedRouting = try city.store.routing(ofCase: owned.id)
        #expect(owned.departmentCode == "SANIT" && ownedRouting?.reason == .componentOwner)
    }

    @Test func aShiftLeadsChoiceWinsAndIsSaidToBeAChoice() throws {
        let city = try Self.city()
        let c = try filed(city, component: Self.bin, department: "ENFORCE", at: t0)
        #expect(c.departmentCode == "ENFORCE")
        #expect(try city.store.routing(ofCase: c.id)?.reason == .chosen)
        #expect(try city.store.suggestedRouting(ofCase: c.id) == Routing(department: "STREET", reason: .componentOwner, componentID: Self.bin))
    }

    // MARK: State through a case

    @Test func aCaseMakesItsComponentDamagedWhileOpenAndNormalWhenClosed() throws {
        let city = try Self.city()
        #expect(try state(city, Self.bin) == .normal)
        let c = try filed(city, component: Self.bin, at: t0)
        #expect(try state(city, Self.bin) == .damaged)
        let closed = try close(city, c, at: t0)
        #expect(closed.state == .closed)
        let detail = try city.store.component(Self.bin)
        #expect(detail.component.state == .normal)
        #expect(detail.openCases.isEmpty)
        #expect(detail.history.map(\.action) == ["case-opened", "case-closed"])
        #expect(detail.history.map(\.from) == [.normal, .damaged] && detail.history.map(\.to) == [.damaged, .normal])
        #expect(detail.history.allSatisfy { $0.caseID == c.id })
        #expect(detail.history[1].actorLogin == "city-command-lead", "the centralized model's command center closes")
    }

    @Test func closingCanRemoveTheComponent() throws {
        let city = try Self.city()
        let c = try filed(city, component: Self.bin, at: t0)
        try close(city, c, outcome: .removed, at: t0)
        #expect(try state(city, Self.bin) == .removed)
        // A removed component takes no new case.
        #expect(throws: WorkflowError.self) { try report(city, component: Self.bin, at: t0.after(200)) }
        #expect(throws: WorkflowError.self) { try report(city, component: Self.removedBin, at: t0.after(200)) }
    }

    @Test func aCancelledCaseGivesTheComponentBackItsStateBefore() throws {
        let city = try Self.city()
        let c = try report(city, component: Self.bin, at: t0)
        #expect(try state(city, Self.bin) == .damaged)
        try city.act(.cancel, c.id, as: "city-lead", note: "wrong bin", at: t0.after(5))
        #expect(try state(city, Self.bin) == .normal)
        #expect(try city.store.component(Self.bin).history.map(\.action) == ["case-opened", "case-cancelled"])
    }

    @Test func anotherOpenCaseKeepsTheComponentDamaged() throws {
        let city = try Self.city()
        let first = try filed(city, component: Self.bin, at: t0)
        _ = try report(city, component: Self.bin, at: t0.after(1))
        try close(city, first, at: t0)
        #expect(try state(city, Self.bin) == .damaged, "the second case is still open")
        #expect(try city.store.component(Self.bin).history.last?.note == "1 other open case")
    }

    @Test func theOutcomeIsOnlyForClosingAComponentCase() throws {
        let city = try Self.city()
        let c = try report(city, component: nil, at: t0)
        #expect(throws: WorkflowError.self) {
            try city.store.perform(ActionRequest(action: .accept, caseID: c.id, actor: "city-intake", componentOutcome: .removed), at: t0.after(1))
        }
        #expect(try city.store.serviceCase(c.id).state == .reported, "the refusal wrote nothing")
        #expect(ComponentRules.stateOnEnd(.damaged, closed: true, outcome: nil, before: .normal, otherOpenCases: 0) == .normal)
        #expect(ComponentRules.stateOnEnd(.damaged, closed: true, outcome: .removed, before: .normal, otherOpenCases: 2) == .removed)
        #expect(ComponentRules.stateOnEnd(.missing, closed: false, outcome: nil, before: .normal, otherOpenCases: 0) == nil)
        #expect(try ComponentRules.stateOnOpen(.missing, componentID: Self.bin) == nil)
    }

    @Test func aReportNamesAComponentOfItsOwnClass() throws {
        let city = try Self.city()
        #expect(throws: WorkflowError.self) { try report(city, component: Self.bin, category: "0301", at: t0) }
        #expect(throws: WorkflowError.self) { try report(city, component: Self.bin, kind: .event, category: "0102", at: t0) }
        #expect(throws: WorkflowError.self) { try report(city, component: "110101030500000", at: t0) }
        #expect(try city.store.component(Self.bin).history.isEmpty, "the refusals wrote nothing")
    }

    // MARK: Finding components

    @Test func theNearestComponentsOfAClassAreThoseOfTheCellFirst() throws {
        let city = try Self.city()
        let near = try city.store.nearestComponents(cell: TestCity.cellA, classCode: "0305", radius: 1, limit: 10)
        #expect(near.map(\.id) == [Self.bin, Self.orphanBin, Self.nearBin], "the cell's own by id, then the cell beside it; removed ones left out")
        #expect(try city.store.nearestComponents(cell: TestCity.cellA, classCode: "0305", radius: 0, limit: 10).count == 2)
        let counts = try city.store.componentCountsByCell(classCode: "0305")
        #expect(counts[TestCity.cellA]?.byState == [.normal: 2, .removed: 1])
        #expect(counts[TestCity.cellA]?.present == 2)
    }

    // MARK: Migration

    @Test func v16KeepsEveryComponentAndReadsIntactAsNormal() throws {
        let path = StoreTests.temporaryPath()
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v13 evaluation day stamps")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO department(code, name_zh, name_en) VALUES ('WATER', '供水', 'Water');
                    INSERT INTO region(code, level, name_zh, name_en, grid_row, grid_col) VALUES ('110101001001001', 'cell', '网格', 'Cell', 1, 1);
                    INSERT INTO component VALUES ('1101010101000001', '0101', '井盖 1', 'WATER', '110101001001001', 'intact', 5);
                    INSERT INTO component VALUES ('1101010101000002', '0101', '井盖 2', 'WATER', '110101001001001', 'missing', 6);
                    """)
            }
            try Schema.migrator.migrate(queue)
            let rows = try queue.read { db in try Row.fetchAll(db, sql: "SELECT id, department, state, updated_at FROM component ORDER BY id") }
            // The stored names stay; `intact` reads as normal.
            #expect(rows.map { ComponentState(stored: $0["state"] as String) } == [.normal, .missing])
            #expect(rows.map { $0["department"] as String } == ["WATER", "WATER"])
            #expect(rows.map { $0["updated_at"] as Int } == [5, 6])
            #expect(ComponentState.normal.stored == "intact" && ComponentState(stored: "normal") == nil)
            #expect(try queue.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'component_history'") } == true)
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    @Test func componentHistoryIsAppendOnly() throws {
        let city = try Self.city()
        _ = try report(city, component: Self.bin, at: t0)
        #expect(throws: (any Error).self) { try city.store.write { db in try db.execute(sql: "UPDATE component_history SET note = 'x'") } }
        #expect(throws: (any Error).self) { try city.store.write { db in try db.execute(sql: "DELETE FROM component_history") } }
    }
}

/// The demo seeder's bulk-load file is made by the same migrations, v16's table rebuild among them.
@Suite struct ComponentBulkLoadTests {
    @Test func aBulkLoadFileMigratesThroughV16() throws {
        let path = StoreTests.temporaryPath()
        do {
            let store = try CityStore.createForBulkLoad(path: path)
            #expect(try store.read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = 'component_history'") } == true)
            try store.createSite(SiteSettings(model: .centralized, cityCode: "110000"),
                                 categories: try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV),
                                 departments: try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV))
            do { _ = try store.refreshEvaluation(rebuild: true) } catch { Issue.record("refresh: \(error)") }
            do { try store.finishBulkLoad() } catch { Issue.record("finish: \(error)") }
        } catch {
            Issue.record("\(error)")
        }
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension ComponentTests {
    /// A dissatisfied follow-up reopens a component case: its component is damaged again while the case is open, and
    /// its history names the reopening.
    @Test func aCaseReopenedAfterItsFollowUpDamagesItsComponentAgain() throws {
        let city = try Self.city()
        let start = TestCity.monday9
        let c = try city.store.report(ReportDraft(kind: .component, categoryCode: "0305", cellCode: TestCity.cellA, description: "垃圾箱破损",
                                                  source: .hotline, reporterName: "刘先生", reporterPhone: "13800000001",
                                                  componentID: Self.orphanBin), by: "city-intake", at: start)
        try city.act(.verify, c.id, as: "city-intake", to: "insp-a", at: start.after(1))
        try city.act(.confirm, c.id, as: "insp-a", at: start.after(2))
        let filed = try city.act(.file, c.id, as: try city.lead(.file, c.id), at: start.after(3))
        try close(city, filed, at: start.after(4))
        #expect(try state(city, Self.orphanBin) == .normal)
        try city.store.recordFollowUp(caseID: c.id, outcome: FollowUpOutcome(reached: true, satisfaction: .dissatisfied),
                                      by: "city-intake", at: start.after(200))
        try city.store.decideFollowUp(.reopen, caseID: c.id, note: "仍未修好", by: "city-lead", at: start.after(210))
        #expect(try city.store.serviceCase(c.id).state.isOpen)
        #expect(try state(city, Self.orphanBin) == .damaged)
        let history = try city.store.component(Self.orphanBin).history
        #expect(history.last?.action == "case-reopened" && history.last?.caseID == c.id, "\(history.map(\.action))")
    }
}
