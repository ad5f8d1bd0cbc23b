import Foundation
import GRDB

// The site's reference tables as GRDB records (issue 15): centers, departments and their units. A text column read
// into an enum is kept as its stored text and decoded strictly by `StoredValue` when mapped to the domain's value,
// so an unknown value is an error naming the row and the value ("center X has unknown tier 'y'"), never a default.

/// A row of `center`.
struct CenterRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "center"

    var id: String
    /// `CenterKind`'s stored text.
    var kind: String
    /// `Tier`'s stored text.
    var tier: String
    var regionCode: String
    var nameZh: String
    var nameEn: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, kind, tier
        case regionCode = "region_code", nameZh = "name_zh", nameEn = "name_en"
    }
    typealias Columns = CodingKeys

    init(_ c: Center) {
        id = c.id; kind = c.kind.rawValue; tier = c.tier.rawValue; regionCode = c.regionCode; nameZh = c.nameZh; nameEn = c.nameEn
    }

    func center() throws(WorkflowError) -> Center {
        let owner = "center \(id)"
        return Center(id: id, kind: try StoredValue.decode(kind, "kind", of: owner), tier: try StoredValue.decode(tier, "tier", of: owner),
                      regionCode: regionCode, nameZh: nameZh, nameEn: nameEn)
    }

    /// Centers in the order they are listed: by tier, region, kind.
    static var listed: QueryInterfaceRequest<CenterRecord> { order(Columns.tier, Columns.regionCode, Columns.kind) }
}

/// A row of `department`.
struct DepartmentRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "department"

    var code: String
    var nameZh: String
    var nameEn: String
    var scope: String
    var regionCode: String?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case code, scope
        case nameZh = "name_zh", nameEn = "name_en", regionCode = "region_code"
    }
    typealias Columns = CodingKeys

    init(_ d: Department) { code = d.code; nameZh = d.nameZh; nameEn = d.nameEn; scope = d.scope; regionCode = d.regionCode }

    var department: Department { Department(code: code, nameZh: nameZh, nameEn: nameEn, scope: scope, regionCode: regionCode) }
}

/// A row of `department_unit`: which unit of a department serves a district.
struct DepartmentUnitRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "department_unit"

    var departmentCode: String
    var districtCode: String
    var unitName: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case departmentCode = "department_code", districtCode = "district_code", unitName = "unit_name"
    }
    typealias Columns = CodingKeys

    var unit: DepartmentUnit { DepartmentUnit(departmentCode: departmentCode, districtCode: districtCode, name: unitName) }
}

/// A row of `patrol_area`: the cells an inspector walks, within one community.
struct PatrolAreaRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "patrol_area"

    var id: String
    var communityCode: String
    var name: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, name
        case communityCode = "community_code"
    }
    typealias Columns = CodingKeys
}
