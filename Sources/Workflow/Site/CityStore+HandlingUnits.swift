import Foundation
import GRDB

/// Handling below the district (三级处置, "小事不出社区"): streets, towns and communities as handling units beside the
/// departments, and the categories a community handles by default.
///
/// A street's, town's or community's unit is a `department` row whose code is the region's code (and `region_code` says
/// which region it is): cases, handlers (a department handler of that unit), queues, reassigning and the evaluation's
/// department figures treat it as any department; the lifecycle lets it take only the cases of its own cells.
public enum HandlingUnits {
    /// The units a dispatch of `c` may go to: the street (or town) and community units holding its cell first, then every
    /// department. Units of other regions are left out (the lifecycle would refuse them).
    public static func offered(for c: ServiceCase, departments: [Department]) -> [Department] {
        let below = departments.filter { d in d.handlingLevel != nil && HandlingLevel.of(unit: d.code, cell: c.cellCode) == d.handlingLevel }
            .sorted { $0.code.count < $1.code.count }   // the street before its community
        return below + departments.filter { $0.regionCode == nil }
    }

    /// The unit a dispatch of `c` defaults to: for a community-level category, the community holding the cell when it is
    /// a unit; else the case's department (chosen at filing); else the category's.
    public static func suggested(for c: ServiceCase, categories: [Category], departments: [Department]) -> String? {
        let category = categories.first { $0.key == c.categoryKey }
        if category?.communityLevel == true,
           let community = departments.first(where: { $0.handlingLevel == .community && HandlingLevel.of(unit: $0.code, cell: c.cellCode) == .community }) {
            return community.code
        }
        return c.departmentCode ?? category?.department
    }
}

extension CityStore {
    /// Makes a street, town or community a handling unit (`department add-region`): a department row with the region's
    /// code and names. Its staff are department handlers of that code (`operator add --role department`).
    @discardableResult
    public func addRegionUnit(region code: String, by requested: String?, at now: Date) throws(WorkflowError) -> Department {
        guard HandlingLevel.of(regionCode: code) != nil else {
            throw .invalidInput("'\(OperatorRules.printable(code))' is not a street's, town's or community's code (9 or 12 digits)")
        }
        return try write { db in
            let admin = try self.actingAdmin(db, requested)
            guard let row = try Row.fetchOne(db, sql: "SELECT level, name_zh, name_en, town FROM region WHERE code = ?", arguments: [code]),
                  let level = row["level"] as String?, level == "street" || level == "community" else {
                throw WorkflowError.notFound("no street, town or community \(code)")
            }
            if let existing = try DepartmentRecord.fetchOne(db, key: code) {
                guard existing.regionCode == code else {
                    throw WorkflowError.invalidInput("department \(code) exists already and is not region \(code)'s unit")
                }
                throw WorkflowError.invalidInput("\(code) is a handling unit already")
            }
            let kind = level == "community" ? "community" : (row["town"] == true ? "town" : "street")
            let unit = Department(code: code, nameZh: row["name_zh"], nameEn: row["name_en"], scope: kind, regionCode: code)
            try DepartmentRecord(unit).insert(db)
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "\(kind) \(code) made a handling unit (\(unit.nameZh) / \(unit.nameEn))"))
            return unit
        }
    }

    /// Marks a category community-level by default, or not (`category community-level`). Returns the category after.
    @discardableResult
    public func setCommunityLevel(_ key: CategoryKey, _ on: Bool, by requested: String?, at now: Date) throws(WorkflowError) -> Category {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            try db.execute(sql: "UPDATE category SET community_level = ? WHERE kind = ? AND code = ?", arguments: [on, key.kind.rawValue, key.code])
            guard db.changesCount > 0, let category = try Self.fetchCategories(db).first(where: { $0.key == key }) else {
                throw WorkflowError.notFound("no \(key.kind.rawValue) category \(key.code)")
            }
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "category \(key.kind.rawValue):\(key.code) community-level \(on ? "on" : "off")"))
            return category
        }
    }
}
