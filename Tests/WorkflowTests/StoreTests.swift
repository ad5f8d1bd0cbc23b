import Foundation
import GRDB
import Testing
@testable import Workflow

@Suite struct StoreTests {
    let t0 = TestCity.monday9

    static func temporaryPath() -> String {
        let folder = TestFolder.root.appendingPathComponent("citygrid-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("site.sqlite").path
    }

    @Test func historyIsAppendOnlyInTheDatabaseItself() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report()
        #expect(throws: (any Error).self) {
            try city.store.writer.write { db in try db.execute(sql: "UPDATE history SET note = 'forged' WHERE case_id = ?", arguments: [c.id]) }
        }
        #expect(throws: (any Error).self) {
            try city.store.writer.write { db in try db.execute(sql: "DELETE FROM history") }
        }
        #expect(try city.store.history(of: c.id).count == 1)
    }

    @Test func migrationsAreNamedAndTheDatabaseUsesWALAndForeignKeys() throws {
        let path = Self.temporaryPath()
        let store = try CityStore.open(path: path, create: true)
        let (journal, foreignKeys, names) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        #expect(Array(names.prefix(2)) == ["v1 site, regions, categories, centers, operators", "v1 cases, reports, history"])
        #expect(names == Schema.migrator.migrations, "every registered migration ran, in order")
    }

    @Test func aDatabaseFromANewerSchemaIsRefusedClearly() throws {
        let path = Self.temporaryPath()
        let store = try CityStore.open(path: path, create: true)
        try store.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99 from the future')") }
        do {
            _ = try CityStore.open(path: path)
            Issue.record("opened a newer schema")
        } catch {
            #expect("\(error)".contains("newer version of citygrid"))
        }
    }

    @Test func aMissingFileIsNotCreatedByAccident() throws {
        let path = Self.temporaryPath()
        #expect(throws: WorkflowError.self) { try CityStore.open(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotADatabaseIsNamed() throws {
        let path = Self.temporaryPath()
        try Data("this is not sqlite, just text that is long enough to have a header".utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try CityStore.open(path: path)
            Issue.record("opened a text file")
        } catch {
            #expect("\(error)".contains("not a SQLite database"))
        }
    }

    @Test func aLockedDatabaseGivesUpWithAClearMessageAndWritesNothing() throws {
        let path = Self.temporaryPath()
        let store = try CityStore.open(path: path, create: true, busyTimeout: 0.2)
        try store.createSite(SiteSettings(model: .centralized), categories: [], departments: [])
        // Another process holds the write lock.
        let other = try DatabaseQueue(path: path)
        try other.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            do {
                try store.addDistrict(code: "110101", nameZh: "东城区", nameEn: "Dongcheng")
                Issue.record("wrote through a lock")
            } catch {
                #expect("\(error)".contains("locked by another process"))
            }
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try store.regions(level: .district).isEmpty)
    }

    @Test func casesAreListedByRegionDepartmentStateAndOverdue() throws {
        let city = try TestCity(model: .centralized)
        let a = try city.dispatchedCase()
        let b = try city.report(cell: TestCity.cellB, at: t0.after(1))
        _ = b
        #expect(try city.store.cases(CaseQuery(region: "110101")).map(\.id) == [a.id])
        #expect(try city.store.cases(CaseQuery(region: "110102001001")).count == 1)
        #expect(try city.store.cases(CaseQuery(region: "110000")).count == 2)
        #expect(try city.store.cases(CaseQuery(department: "sanit")).map(\.id) == [a.id])
        #expect(try city.store.cases(CaseQuery(states: [.reported])).count == 1)
        let evening = TestCity.at("2026-11-23T18:00:00+08:00")
        #expect(try city.store.cases(CaseQuery(overdueAt: evening)).map(\.id).contains(a.id))
        #expect(try city.store.cases(CaseQuery(overdueAt: t0.after(25))).isEmpty)
        #expect(throws: WorkflowError.notFound("no region 999999")) { try city.store.cases(CaseQuery(region: "999999")) }
    }

    @Test func needsMyActionShowsEachRoleItsOwnWork() throws {
        let city = try TestCity(model: .centralized)
        let reported = try city.report()
        let filed = try city.report(at: t0.after(1))
        try city.act(.accept, filed.id, as: "city-intake", at: t0.after(2))
        try city.act(.file, filed.id, as: try city.lead(.file, filed.id), at: t0.after(3))
        let now = t0.after(10)
        func queue(_ login: String) throws -> [Int64] {
            try city.store.needsAction(for: try city.store.findOperator(login), at: now).map(\.id)
        }
        #expect(try queue("city-intake") == [reported.id])
        #expect(try queue("city-dispatcher") == [filed.id])
        #expect(try queue("city-lead").isEmpty)
        #expect(try city.store.needsActionCount(for: try city.store.findOperator("city-dispatcher"), at: now) == 1)
        try city.act(.dispatch, filed.id, as: "city-dispatcher", to: "SANIT", at: t0.after(4))
        #expect(try queue("sanit-110101") == [filed.id])
        #expect(try queue("city-dispatcher").isEmpty)
        try city.act(.requestExtension, filed.id, as: "sanit-110101", hours: 2, at: t0.after(5))
        #expect(try queue("city-dispatcher") == [filed.id], "a pending request waits on the dispatcher")
        #expect(try queue("sanit-110101").isEmpty)
        let counts = try city.store.openCountsByCell(at: now)
        #expect(counts[TestCity.cellA]?.open == 2)
    }

    @Test func theReferenceTablesAreTheSharedOnes() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference")
        let categories = try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV)
        #expect(categories.count == 65)
        #expect(categories.contains { $0.key == CategoryKey(kind: .event, code: "0102") && $0.department == "SANIT" })
        #expect(try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV).count == 15)
        // Where the shared reference folder is present (CI, developers), the copies must not have drifted.
        for (name, copy) in [("categories.csv", ReferenceData.categoriesCSV), ("departments.csv", ReferenceData.departmentsCSV)] {
            if let original = try? String(contentsOf: shared.appendingPathComponent(name), encoding: .utf8) {
                #expect(original.trimmingCharacters(in: .whitespacesAndNewlines) == copy.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    @Test func malformedCategoryTablesNameTheLine() {
        let header = "kind,large_code,large_name_zh,large_name_en,small_code,code,name_zh,name_en,department,urgent,handle_limit,limit_unit\n"
        #expect(throws: WorkflowError.invalidInput("line 2: kind must be component or event, not 'thing'")) {
            try CategoryTable.parseCategories(csv: header + "thing,01,a,b,01,0101,x,y,SANIT,no,4,working_hours\n")
        }
        #expect(throws: WorkflowError.invalidInput("line 3: limit_unit must be hours, working_hours or working_days, not 'weeks'")) {
            try CategoryTable.parseCategories(csv: header + "event,01,a,b,01,0101,x,y,SANIT,no,4,working_hours\nevent,01,a,b,02,0102,x,y,SANIT,no,4,weeks\n")
        }
        #expect(throws: WorkflowError.invalidInput("line 1: missing column(s) code, name_zh, name_en, scope")) {
            try CategoryTable.parseDepartments(csv: "id,name\nA,b\n")
        }
    }
}
