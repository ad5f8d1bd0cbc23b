import Foundation
import GRDB
import Testing
@testable import Workflow

/// A stored value this version does not know (damage, a hand edit, a newer writer) is an error that names the row,
/// never read as a default; `doctor` lists every such value.
@Suite struct StoredValueTests {
    /// Writes `sql` past the CHECK and foreign key constraints, as an outside client could.
    func corrupt(_ store: CityStore, _ sql: String) throws {
        try store.writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF")
            defer { try? db.execute(sql: "PRAGMA ignore_check_constraints = OFF; PRAGMA foreign_keys = ON") }
            try db.execute(sql: sql)
        }
    }

    @Test func anUnknownCaseStateKindOrSourceIsNamedNotDefaulted() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(at: TestCity.monday9)
        try corrupt(city.store, "UPDATE service_case SET state = 'lost' WHERE id = \(c.id)")
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown state 'lost'")) { try city.store.serviceCase(c.id) }
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown state 'lost'")) { try city.store.detail(c.id) }
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown state 'lost'")) { try city.store.refreshEvaluation(rebuild: true) }

        try corrupt(city.store, "UPDATE service_case SET state = 'reported', source = 'pigeon' WHERE id = \(c.id)")
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown source 'pigeon'")) { try city.store.serviceCase(c.id) }
        try corrupt(city.store, "UPDATE service_case SET source = 'hotline', kind = 'rumour' WHERE id = \(c.id)")
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown kind 'rumour'")) { try city.store.serviceCase(c.id) }
        try corrupt(city.store, "UPDATE service_case SET kind = 'event', close_type = 'vanished' WHERE id = \(c.id)")
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown close type 'vanished'")) { try city.store.serviceCase(c.id) }
        try corrupt(city.store, "UPDATE service_case SET close_type = NULL, pending_kind = 'holiday' WHERE id = \(c.id)")
        #expect(throws: WorkflowError.storage("case \(c.id) has unknown pending request 'holiday'")) { try city.store.serviceCase(c.id) }
        try corrupt(city.store, "UPDATE service_case SET pending_kind = NULL WHERE id = \(c.id)")
        #expect(try city.store.serviceCase(c.id).state == .reported)
    }

    @Test func anUnknownRoleTierOrUnitIsNamed() throws {
        let city = try TestCity(model: .centralized)
        try corrupt(city.store, "UPDATE operator SET role = 'mayor' WHERE login = 'insp-a'")
        #expect(throws: WorkflowError.storage("operator insp-a has unknown role 'mayor'")) { try city.store.findOperator("insp-a") }
        try corrupt(city.store, "UPDATE center SET tier = 'galaxy' WHERE id = 'CITY-M'")
        #expect(throws: WorkflowError.storage("center CITY-M has unknown tier 'galaxy'")) { try city.store.centers() }
        try corrupt(city.store, "UPDATE category SET limit_unit = 'moons' WHERE kind = 'event' AND code = (SELECT min(code) FROM category WHERE kind = 'event')")
        #expect(throws: WorkflowError.self) { try city.store.categories() }
    }

    /// An operator row written with raw SQL with a role this version does not know: every reader of operators
    /// (`OperatorRecord`) names it as damage, never reads it as some role, whether found by login, id, Unix account,
    /// as an account, in a list, as a case's assignee, or as an evaluation's group.
    @Test func anOperatorRowWithAnUnknownRoleIsAStorageErrorWhereverItIsRead() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(at: TestCity.monday9)
        try corrupt(city.store, """
            INSERT INTO operator(login, name, role, center_id, department_code, region_code, tier, patrol_area, unix_user)
            SELECT 'mayor-1', 'Mayor', 'mayor', center_id, department_code, region_code, tier, patrol_area, 'mayor'
            FROM operator WHERE login = 'insp-a'
            """)
        let id = try #require(try city.store.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM operator WHERE login = 'mayor-1'") })
        try corrupt(city.store, "UPDATE service_case SET assignee = \(id) WHERE id = \(c.id)")
        let damage = WorkflowError.storage("operator mayor-1 has unknown role 'mayor'")
        #expect(throws: damage) { try city.store.findOperator("mayor-1") }
        #expect(throws: damage) { try city.store.findOperator(String(id)) }
        #expect(throws: damage) { try city.store.operatorAccount("mayor-1") }
        #expect(throws: damage) { try city.store.operatorAccounts() }
        #expect(throws: damage) { try city.store.operators() }
        #expect(throws: damage) { try city.store.identify(unixUser: "mayor") }
        #expect(throws: damage) { try city.store.detail(c.id) }
        #expect(throws: damage) {
            try city.store.evaluation(EvaluationQuery(period: EvaluationFormulaTests.november, grouping: .operator), at: TestCity.at("2026-11-25T10:30:00+08:00"))
        }
        // The others read as they were.
        #expect(try city.store.findOperator("insp-a").role == .inspector)
        #expect(try city.store.operatorAccount("insp-a").keyCount == 0)
    }

    @Test func anUnknownAuditEventIsNamedByItsRow() throws {
        let city = try TestCity(model: .centralized)
        try city.store.audit(AuditEvent(at: TestCity.monday9, kind: .signIn, login: "insp-a"))
        // The audit is append-only (triggers refuse updates), so the damage is a row written with an unknown event.
        try corrupt(city.store, "INSERT INTO audit(at, event, login, detail) VALUES (\(TestCity.monday9.storageSeconds), 'teleported', 'insp-a', '')")
        let id = try city.store.read { db in try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit") } ?? 0
        #expect(throws: WorkflowError.storage("audit row \(id) has unknown event 'teleported'")) { try city.store.auditEvents(since: nil, login: "insp-a", limit: 10) }
        #expect(try city.store.auditEvents(since: nil, login: "insp-b", limit: 10).isEmpty)
    }

    @Test func doctorListsEveryUnknownValueWithoutFailingItself() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(at: TestCity.monday9)
        #expect(try city.store.doctor().first { $0.name == "stored_values" }?.ok == true)
        try corrupt(city.store, "UPDATE service_case SET state = 'lost', source = 'pigeon' WHERE id = \(c.id)")
        try corrupt(city.store, "UPDATE operator SET role = 'mayor' WHERE login = 'insp-a'")
        let check = try #require(try city.store.doctor().first { $0.name == "stored_values" })
        #expect(check.findings.map(\.problem) == ["case \(c.id) has unknown state 'lost'", "case \(c.id) has unknown source 'pigeon'",
                                                "operator insp-a has unknown role 'mayor'"])
        #expect(check.findings.allSatisfy { $0.fix == nil } && check.fix == .restoreOrUpgrade(file: ":memory:"))
    }

    @Test func everyEnumColumnTheStoreReadsIsCheckedAndNamesARealColumn() throws {
        let store = try CityStore.inMemory()
        _ = try store.read { db in try StoredValue.findings(db) }
        #expect(Set(StoredValue.columns.map { "\($0.table).\($0.column)" }).count == StoredValue.columns.count)
    }
}
