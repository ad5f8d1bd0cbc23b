import Foundation
import GRDB

/// An operator as an administrator sees it: how it can sign in, whether and since when it is disabled.
public struct OperatorAccount: Sendable {
    public var op: Operator
    public var disabledAt: Date?
    public var hasPassword: Bool
    public var keyCount: Int

    /// How the operator can sign in: `unix:NAME` (a bound Unix account), `password`, `ssh-key`. Empty when it cannot
    /// (on an open site it is named with `--as`).
    public var access: [String] {
        var ways: [String] = []
        if let user = op.unixUser { ways.append("unix:\(user)") }
        if hasPassword { ways.append("password") }
        if keyCount > 0 { ways.append("ssh-key") }
        return ways
    }
}

/// A new operator as an administrator describes it (`operator add`).
public struct OperatorDraft: Sendable {
    public var login: String
    public var name: String
    public var role: Role
    public var centerID: String?
    public var departmentCode: String?
    /// The city or a district; follows the center when there is one.
    public var regionCode: String?
    public var patrolAreaID: String?
    public var unixUser: String?

    public init(login: String, name: String, role: Role, centerID: String? = nil, departmentCode: String? = nil,
                regionCode: String? = nil, patrolAreaID: String? = nil, unixUser: String? = nil) {
        self.login = login; self.name = name; self.role = role; self.centerID = centerID; self.departmentCode = departmentCode
        self.regionCode = regionCode; self.patrolAreaID = patrolAreaID; self.unixUser = unixUser
    }
}

/// Changes to an operator (`operator set`): nil keeps a field. A new role drops what it has no use for (a department
/// handler has no center, only an inspector has a patrol area) and keeps the rest where it still fits.
public struct OperatorChanges: Sendable {
    public var name: String?
    public var role: Role?
    public var centerID: String?
    public var departmentCode: String?
    public var regionCode: String?
    public var patrolAreaID: String?
    /// `.some(nil)` unbinds the Unix account.
    public var unixUser: String??

    public init(name: String? = nil, role: Role? = nil, centerID: String? = nil, departmentCode: String? = nil,
                regionCode: String? = nil, patrolAreaID: String? = nil, unixUser: String?? = nil) {
        self.name = name; self.role = role; self.centerID = centerID; self.departmentCode = departmentCode
        self.regionCode = regionCode; self.patrolAreaID = patrolAreaID; self.unixUser = unixUser
    }

    public var isEmpty: Bool {
        name == nil && role == nil && centerID == nil && departmentCode == nil && regionCode == nil && patrolAreaID == nil
            && unixUser == nil
    }
}

/// The unit of a department that handles its cases in one district.
public struct DepartmentUnit: Sendable, Hashable {
    public var departmentCode: String
    public var districtCode: String
    public var name: String

    public init(departmentCode: String, districtCode: String, name: String) {
        self.departmentCode = departmentCode; self.districtCode = districtCode; self.name = name
    }

    /// The name a unit gets when none is given: the district's name and the department's (东城区供水公司).
    public static func defaultName(districtNameZh: String, departmentNameZh: String) -> String {
        districtNameZh + departmentNameZh
    }
}

/// A patrol area with its cells and the active inspectors who walk it.
public struct PatrolAreaSummary: Sendable {
    public var id: String
    public var communityCode: String
    public var name: String
    public var cells: Int
    public var inspectors: [String]
    public var districtCode: String { CellCode.district(of: communityCode) }
}

/// Site administration (docs/setup.md): operators, centers, departments and their units, patrol areas. Every change is
/// an admin's: the acting operator is resolved and checked inside the write transaction (`actingAdmin`), whatever
/// front end asks, and recorded in the audit.
extension CityStore {

    // MARK: Operators

    /// Every operator, disabled ones too, with how each can sign in.
    public func operatorAccounts() throws(WorkflowError) -> [OperatorAccount] {
        try read { db in
            try OperatorRecord.accounts().order(OperatorRecord.Columns.id).fetchAll(db).map { a throws(WorkflowError) in try a.account() }
        }
    }

    /// One operator by login or id, disabled or not.
    public func operatorAccount(_ idOrLogin: String) throws(WorkflowError) -> OperatorAccount {
        try read { db in
            let op = try Self.findOperatorEvenDisabled(db, idOrLogin)
            guard let account = try OperatorRecord.accounts().filter(key: op.id).fetchOne(db) else {
                throw WorkflowError.notFound("no operator '\(idOrLogin)'")
            }
            return try account.account()
        }
    }

    /// The site's first operator, an admin, made by `citygrid init` and bound to the Unix account that ran it.
    /// Refused once the site has an admin.
    @discardableResult
    public func addFirstAdmin(login: String, name: String, unixUser: String?, at now: Date) throws(WorkflowError) -> Operator {
        try OperatorRules.checkLogin(login)
        let name = try OperatorRules.checkName(name, what: "the admin's name")
        if let unixUser { try OperatorRules.checkUnixUser(unixUser) }
        return try write { db in
            if let admin = try String.fetchOne(db, sql: "SELECT login FROM operator WHERE role = 'admin' LIMIT 1") {
                throw WorkflowError.forbidden("this site has an admin already (\(admin)); an admin adds the others with `operator add`")
            }
            var op = try Self.insertOperator(db, login: login, name: name, role: .admin, centerID: nil, departmentCode: nil,
                                             regionCode: nil, patrolAreaID: nil)
            try db.execute(sql: "UPDATE operator SET unix_user = ? WHERE id = ?", arguments: [unixUser, op.id])
            op.unixUser = unixUser
            try Self.appendAudit(db, AuditEvent(at: now, kind: .operatorAdded, login: login, via: unixUser.map { Via.unix($0).text },
                                                address: "local", detail: "first admin, made by citygrid init" + (unixUser.map { ", Unix account \($0)" } ?? "")))
            return op
        }
    }

    /// Adds an operator (`operator add`). `requested` names the acting admin (nil: the signed-in one).
    @discardableResult
    public func addOperator(_ draft: OperatorDraft, by requested: String?, at now: Date) throws(WorkflowError) -> Operator {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            try OperatorRules.checkLogin(draft.login)
            let name = try OperatorRules.checkName(draft.name, what: "the name")
            if try Int64.fetchOne(db, sql: "SELECT id FROM operator WHERE login = ?", arguments: [draft.login]) != nil {
                throw WorkflowError.invalidInput("login \(draft.login) is taken")
            }
            let place = try Self.placement(db, role: draft.role, centerID: draft.centerID, departmentCode: draft.departmentCode,
                                           regionCode: draft.regionCode, patrolAreaID: draft.patrolAreaID)
            if let user = draft.unixUser { try Self.checkUnixUserFree(db, user, for: nil) }
            var record = OperatorRecord(login: draft.login, name: name, role: draft.role, centerID: draft.centerID,
                                        departmentCode: draft.departmentCode, regionCode: place.region, tier: place.tier,
                                        patrolArea: draft.patrolAreaID, unixUser: draft.unixUser)
            try record.insert(db)
            let op = try record.operatorValue()
            try Self.appendAudit(db, AuditEvent(at: now, kind: .operatorAdded, login: op.login, via: admin.identifiedBy?.text,
                                                by: admin.login, detail: Self.describe(op)))
            return op
        }
    }

    /// Changes an operator (`operator set`). An admin cannot change their own role, and the last enabled admin stays one.
    @discardableResult
    public func changeOperator(_ idOrLogin: String, _ changes: OperatorChanges, by requested: String?, at now: Date) throws(WorkflowError) -> Operator {
        guard !changes.isEmpty else { throw .invalidInput("nothing to change") }
        return try write { db in
            let admin = try self.actingAdmin(db, requested)
            let old = try Self.findOperatorEvenDisabled(db, idOrLogin)
            let name = try changes.name.map { n throws(WorkflowError) in try OperatorRules.checkName(n, what: "the name") } ?? old.name
            let role = changes.role ?? old.role
            if old.role == .admin && role != .admin {
                try Self.keepAnAdmin(db, removing: old)
                if old.id == admin.id { throw WorkflowError.forbidden("an admin cannot change their own role; another admin can") }
            }
            let center: String? = role == .department || role == .admin ? changes.centerID : (changes.centerID ?? old.centerID)
            let department = role == .department ? (changes.departmentCode ?? old.departmentCode) : changes.departmentCode
            let area = role == .inspector ? (changes.patrolAreaID ?? old.patrolAreaID) : changes.patrolAreaID
            var region = changes.regionCode
            if region == nil && center == nil && (role == .department || role == .supervisor) && old.centerID == nil { region = old.regionCode }
            let place = try Self.placement(db, role: role, centerID: center, departmentCode: department, regionCode: region,
                                           patrolAreaID: area)
            var unixUser = old.unixUser
            if let wanted = changes.unixUser {
                if let user = wanted { try Self.checkUnixUserFree(db, user, for: old.id) }
                unixUser = wanted
            }
            try db.execute(sql: """
                UPDATE operator SET name = ?, role = ?, center_id = ?, department_code = ?, region_code = ?, tier = ?, patrol_area = ?,
                    unix_user = ? WHERE id = ?
                """, arguments: [name, role.rawValue, center, department, place.region, place.tier.rawValue, area, unixUser, old.id])
            let new = try Self.findOperatorEvenDisabled(db, String(old.id))
            let diff = Self.difference(old, new)
            if !diff.isEmpty {
                try Self.appendAudit(db, AuditEvent(at: now, kind: .operatorChanged, login: new.login, via: admin.identifiedBy?.text,
                                                    by: admin.login, detail: diff))
            }
            return new
        }
    }

    /// Disables an operator: refused everything from their next action on, their server sessions ended. Returns false
    /// when it was disabled already. An admin cannot disable themselves, nor the last enabled admin.
    @discardableResult
    public func disableOperator(_ idOrLogin: String, by requested: String?, at now: Date) throws(WorkflowError) -> Bool {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            let target = try Self.findOperatorEvenDisabled(db, idOrLogin)
            if target.disabled { return false }
            if target.role == .admin { try Self.keepAnAdmin(db, removing: target) }
            if target.id == admin.id { throw WorkflowError.forbidden("an admin cannot disable themselves; another admin can") }
            try db.execute(sql: "UPDATE operator SET active = 0, disabled_at = ? WHERE id = ?", arguments: [now.storageSeconds, target.id])
            try db.execute(sql: "DELETE FROM signin_session WHERE operator_id = ?", arguments: [target.id])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .operatorDisabled, login: target.login, via: admin.identifiedBy?.text,
                                                by: admin.login))
            return true
        }
    }

    /// Enables a disabled operator again. Returns false when it was enabled already.
    @discardableResult
    public func enableOperator(_ idOrLogin: String, by requested: String?, at now: Date) throws(WorkflowError) -> Bool {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            let target = try Self.findOperatorEvenDisabled(db, idOrLogin)
            if !target.disabled { return false }
            if let user = target.unixUser { try Self.checkUnixUserFree(db, user, for: target.id) }
            try db.execute(sql: "UPDATE operator SET active = 1, disabled_at = NULL WHERE id = ?", arguments: [target.id])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .operatorEnabled, login: target.login, via: admin.identifiedBy?.text,
                                                by: admin.login))
            return true
        }
    }

    /// Refuses a change that would leave the site without an enabled admin.
    static func keepAnAdmin(_ db: Database, removing target: Operator) throws {
        let others = try Int.fetchOne(db, sql: "SELECT count(*) FROM operator WHERE role = 'admin' AND active = 1 AND id <> ?",
                                      arguments: [target.id]) ?? 0
        if others == 0 && !target.disabled {
            throw WorkflowError.forbidden("\(target.login) is the site's last enabled admin: add another admin first")
        }
    }

    static func checkUnixUserFree(_ db: Database, _ user: String, for id: Int64?) throws {
        try OperatorRules.checkUnixUser(user)
        if let holder = try String.fetchOne(db, sql: "SELECT login FROM operator WHERE unix_user = ? AND id IS NOT ?", arguments: [user, id]) {
            throw WorkflowError.invalidInput("Unix account \(user) is already bound to \(holder)")
        }
    }

    /// Where an operator of `role` works, checked: the center fits the role, the region is the city or a district (the
    /// center's when there is one), the department and the patrol area exist and the role has use for them.
    static func placement(_ db: Database, role: Role, centerID: String?, departmentCode: String?, regionCode: String?,
                          patrolAreaID: String?) throws -> (region: String, tier: Tier) {
        let city = try settings(db).cityCode
        var region: String
        var tier: Tier
        if let centerID {
            if role == .department || role == .admin {
                throw WorkflowError.invalidInput("a \(role.rawValue) works in no center; leave out the center")
            }
            guard let center = try CenterRecord.fetchOne(db, key: centerID) else {
                throw WorkflowError.notFound("no center \(centerID)")
            }
            if !role.centerKinds.isEmpty, !role.centerKinds.map(\.rawValue).contains(center.kind) {
                throw WorkflowError.invalidInput("a \(role.rawValue) works in a \(role.centerKindsText) center, not in \(centerID) (a \(center.kind) center)")
            }
            region = center.regionCode
            tier = try StoredValue.decode(center.tier, "tier", of: "center \(centerID)")
            if let regionCode, regionCode != region {
                throw WorkflowError.invalidInput("center \(centerID) is in region \(region), not \(regionCode): leave out the region")
            }
        } else {
            if !role.centerKinds.isEmpty {
                throw WorkflowError.invalidInput("a \(role.rawValue) works in a \(role.centerKindsText) center: give the center")
            }
            region = regionCode ?? city
            guard let level = try String.fetchOne(db, sql: "SELECT level FROM region WHERE code = ?", arguments: [region]) else {
                throw WorkflowError.notFound("no region \(region)")
            }
            guard level == "city" || level == "district" else {
                throw WorkflowError.invalidInput("an operator's region is the city or a district; \(region) is a \(level)")
            }
            tier = level == "city" ? .city : .district
            if role == .admin && tier != .city {
                throw WorkflowError.invalidInput("an admin's region is the city (\(city))")
            }
        }
        if role == .department {
            guard let departmentCode else { throw WorkflowError.invalidInput("a department handler needs a department") }
            guard try DepartmentRecord.exists(db, key: departmentCode) else {
                throw WorkflowError.notFound("no department \(departmentCode)")
            }
        } else if departmentCode != nil {
            throw WorkflowError.invalidInput("only a department handler has a department")
        }
        if role == .inspector {
            guard let patrolAreaID else { throw WorkflowError.invalidInput("an inspector needs a patrol area") }
            guard let community = try String.fetchOne(db, sql: "SELECT community_code FROM patrol_area WHERE id = ?", arguments: [patrolAreaID]) else {
                throw WorkflowError.notFound("no patrol area \(patrolAreaID)")
            }
            let district = CellCode.district(of: community)
            if tier == .district && district != region {
                throw WorkflowError.invalidInput("patrol area \(patrolAreaID) is in district \(district), outside \(centerID ?? region)'s district \(region)")
            }
        } else if patrolAreaID != nil {
            throw WorkflowError.invalidInput("only an inspector has a patrol area")
        }
        return (region, tier)
    }

    /// One line saying where an operator works, for the audit.
    static func describe(_ op: Operator) -> String {
        var parts = ["role \(op.role.rawValue)", "name \(op.name)"]
        if let c = op.centerID { parts.append("center \(c)") }
        if let d = op.departmentCode { parts.append("department \(d)") }
        parts.append("region \(op.regionCode)")
        if let a = op.patrolAreaID { parts.append("patrol area \(a)") }
        if let u = op.unixUser { parts.append("Unix account \(u)") }
        return parts.joined(separator: ", ")
    }

    /// What changed between two versions of an operator, for the audit (`field: old → new`).
    static func difference(_ a: Operator, _ b: Operator) -> String {
        func text(_ s: String?) -> String { s ?? "-" }
        var parts: [String] = []
        for (field, x, y) in [("name", a.name, b.name), ("role", a.role.rawValue, b.role.rawValue), ("center", text(a.centerID), text(b.centerID)),
                              ("department", text(a.departmentCode), text(b.departmentCode)), ("region", a.regionCode, b.regionCode),
                              ("patrol area", text(a.patrolAreaID), text(b.patrolAreaID)), ("Unix account", text(a.unixUser), text(b.unixUser))]
        where x != y {
            parts.append("\(field): \(x) → \(y)")
        }
        return parts.joined(separator: "; ")
    }

    // MARK: Centers

    /// Adds a center the site's model has (`center add`): its id as `Center.id` makes it, its names from its region's
    /// unless given. Refused when the model has no such center or it exists.
    @discardableResult
    public func addCenter(kind: CenterKind, tier: Tier, district: String?, nameZh: String? = nil, nameEn: String? = nil,
                          by requested: String?, at now: Date) throws(WorkflowError) -> Center {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            let settings = try Self.settings(db)
            let regionCode: String
            switch tier {
            case .city:
                if let district { throw WorkflowError.invalidInput("a city center has no district (\(district))") }
                regionCode = settings.cityCode
            case .district:
                guard let district else { throw WorkflowError.invalidInput("a district center needs its district") }
                guard try String.fetchOne(db, sql: "SELECT level FROM region WHERE code = ?", arguments: [district]) == "district" else {
                    throw WorkflowError.notFound("no district \(district)")
                }
                regionCode = district
            }
            let allowed = settings.model.centerSpecs(districts: [regionCode]).contains { $0.kind == kind && $0.tier == tier }
            guard allowed else {
                throw WorkflowError.invalidInput("a \(settings.model.rawValue) site has no \(tier.rawValue) \(kind.rawValue) center")
            }
            let id = Center.id(kind: kind, tier: tier, district: tier == .district ? regionCode : nil)
            if try CenterRecord.exists(db, key: id) {
                throw WorkflowError.invalidInput("center \(id) exists already")
            }
            guard let region = try Row.fetchOne(db, sql: "SELECT name_zh, name_en FROM region WHERE code = ?", arguments: [regionCode]) else {
                throw WorkflowError.notFound("no region \(regionCode)")
            }
            try Self.insertCenter(db, kind: kind, tier: tier, district: tier == .district ? regionCode : nil, regionCode: regionCode,
                                  regionNameZh: region["name_zh"], regionNameEn: region["name_en"])
            if let nameZh {
                try CenterRecord.filter(key: id).updateAll(db, CenterRecord.Columns.nameZh.set(to: try OperatorRules.checkName(nameZh, what: "the center's name")))
            }
            if let nameEn {
                try CenterRecord.filter(key: id).updateAll(db, CenterRecord.Columns.nameEn.set(to: try OperatorRules.checkName(nameEn, what: "the center's English name")))
            }
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "center \(id) added (\(tier.rawValue) \(kind.rawValue), region \(regionCode))"))
            guard let center = try Self.fetchCenters(db).first(where: { $0.id == id }) else { throw WorkflowError.storage("center \(id) was not written") }
            return center
        }
    }

    // MARK: Departments and their units

    /// Every department's units, by department code.
    public func departmentUnits() throws(WorkflowError) -> [DepartmentUnit] {
        try read { db in try Self.departmentUnits(db) }
    }

    static func departmentUnits(_ db: Database) throws -> [DepartmentUnit] {
        guard try db.tableExists("department_unit") else { return [] }
        return try DepartmentUnitRecord.order(DepartmentUnitRecord.Columns.departmentCode, DepartmentUnitRecord.Columns.districtCode)
            .fetchAll(db).map(\.unit)
    }

    /// Adds a department (`department add`), with the units that serve districts (`serves`: district code and unit name).
    @discardableResult
    public func addDepartment(code: String, nameZh: String, nameEn: String, scope: String = "", serves: [(district: String, unit: String)] = [],
                              by requested: String?, at now: Date) throws(WorkflowError) -> Department {
        try OperatorRules.checkCode(code, what: "a department code", maxLength: 16)
        let serves = serves.map { ($0.district, $0.unit) }
        return try write { db in
            let admin = try self.actingAdmin(db, requested)
            let zh = try OperatorRules.checkName(nameZh, what: "the department's name")
            let en = try OperatorRules.checkName(nameEn, what: "the department's English name")
            let scopeText = scope.isEmpty ? "" : try OperatorRules.checkName(scope, what: "the department's scope", maxCharacters: 200)
            if try DepartmentRecord.exists(db, key: code) {
                throw WorkflowError.invalidInput("department \(code) exists already")
            }
            // A region's code is its unit's (a unit's level is read from its code and the case's cell).
            if let level = try String.fetchOne(db, sql: "SELECT level FROM region WHERE code = ?", arguments: [code]) {
                throw WorkflowError.invalidInput("\(code) is a \(level)'s code; a department's code names no region")
            }
            try DepartmentRecord(Department(code: code, nameZh: zh, nameEn: en, scope: scopeText)).insert(db)
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "department \(code) added (\(zh) / \(en))"))
            for (district, unit) in serves {
                try Self.serve(db, department: code, district: district, unit: unit, admin: admin, at: now)
            }
            return Department(code: code, nameZh: zh, nameEn: en, scope: scopeText)
        }
    }

    /// Names the unit of `department` that serves `district` (`department serve`); nil `unit` gives the default name
    /// (the district's and the department's). Replaces the unit there was.
    @discardableResult
    public func serve(department: String, district: String, unit: String?, by requested: String?, at now: Date) throws(WorkflowError) -> DepartmentUnit {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            return try Self.serve(db, department: department, district: district, unit: unit, admin: admin, at: now)
        }
    }

    /// Gives every department without a unit in `district` one with the default name. Returns the units made.
    @discardableResult
    public func serveEveryDepartment(district: String, by requested: String?, at now: Date) throws(WorkflowError) -> [DepartmentUnit] {
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            let missing = try String.fetchAll(db, sql: """
                SELECT code FROM department WHERE region_code IS NULL
                  AND code NOT IN (SELECT department_code FROM department_unit WHERE district_code = ?) ORDER BY code
                """, arguments: [district])
            try Self.requireDistrict(db, district)
            return try missing.map { code in try Self.serve(db, department: code, district: district, unit: nil, admin: admin, at: now) }
        }
    }

    static func requireDistrict(_ db: Database, _ district: String) throws {
        guard try String.fetchOne(db, sql: "SELECT level FROM region WHERE code = ?", arguments: [district]) == "district" else {
            throw WorkflowError.notFound("no district \(district)")
        }
    }

    @discardableResult
    static func serve(_ db: Database, department: String, district: String, unit: String?, admin: Operator, at now: Date) throws -> DepartmentUnit {
        guard let departmentName = try DepartmentRecord.fetchOne(db, key: department)?.nameZh else {
            throw WorkflowError.notFound("no department \(department)")
        }
        guard let districtName = try String.fetchOne(db, sql: "SELECT name_zh FROM region WHERE code = ? AND level = 'district'", arguments: [district]) else {
            throw WorkflowError.notFound("no district \(district)")
        }
        let name = try unit.map { u throws(WorkflowError) in try OperatorRules.checkName(u, what: "the unit's name") }
            ?? DepartmentUnit.defaultName(districtNameZh: districtName, departmentNameZh: departmentName)
        try DepartmentUnitRecord(departmentCode: department, districtCode: district, unitName: name).save(db)
        try appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                       detail: "department \(department) serves district \(district) with unit \(name)"))
        return DepartmentUnit(departmentCode: department, districtCode: district, name: name)
    }

    // MARK: Patrol areas

    /// Every patrol area with its number of cells and its active inspectors.
    public func patrolAreas() throws(WorkflowError) -> [PatrolAreaSummary] {
        try read { db in
            var inspectors: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT login, patrol_area FROM operator WHERE role = 'inspector' AND active = 1 AND patrol_area IS NOT NULL ORDER BY login
                """) {
                inspectors[row["patrol_area"], default: []].append(row["login"])
            }
            return try Row.fetchAll(db, sql: """
                SELECT p.id, p.community_code, p.name,
                       (SELECT count(*) FROM region r WHERE r.patrol_area = p.id AND r.level = 'cell') AS cells
                FROM patrol_area p ORDER BY p.id
                """).map { row in
                PatrolAreaSummary(id: row["id"], communityCode: row["community_code"], name: row["name"], cells: row["cells"],
                                  inspectors: inspectors[row["id"]] ?? [])
            }
        }
    }

    /// Adds a patrol area in a community (`patrol-area add`).
    public func addPatrolArea(id: String, community: String, name: String, by requested: String?, at now: Date) throws(WorkflowError) {
        try OperatorRules.checkCode(id, what: "a patrol area id")
        try write { db in
            let admin = try self.actingAdmin(db, requested)
            let areaName = try OperatorRules.checkName(name, what: "the patrol area's name")
            guard try String.fetchOne(db, sql: "SELECT level FROM region WHERE code = ?", arguments: [community]) == "community" else {
                throw WorkflowError.notFound("no community \(community)")
            }
            if try PatrolAreaRecord.exists(db, key: id) {
                throw WorkflowError.invalidInput("patrol area \(id) exists already")
            }
            try PatrolAreaRecord(id: id, communityCode: community, name: areaName).insert(db)
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "patrol area \(id) added in community \(community)"))
        }
    }

    /// Puts cells into a patrol area (`patrol-area assign AREA --cells`): each must exist and lie in the area's district
    /// (an inspector of a district center walks only that district). Returns how many cells moved.
    @discardableResult
    public func assignCells(_ codes: [String], to area: String, by requested: String?, at now: Date) throws(WorkflowError) -> Int {
        guard !codes.isEmpty else { throw .invalidInput("no cells given") }
        for code in codes { try CellCode.validate(code) }
        return try write { db in
            let admin = try self.actingAdmin(db, requested)
            guard let community = try PatrolAreaRecord.fetchOne(db, key: area)?.communityCode else {
                throw WorkflowError.notFound("no patrol area \(area)")
            }
            let district = CellCode.district(of: community)
            var moved = 0
            for code in codes {
                let place = try Self.cellPlace(db, code)
                guard place.districtCode == district else {
                    throw WorkflowError.invalidInput("cell \(code) is in district \(place.districtCode), patrol area \(area) in \(district)")
                }
                if place.patrolAreaID != area {
                    try db.execute(sql: "UPDATE region SET patrol_area = ? WHERE code = ? AND level = 'cell'", arguments: [area, code])
                    moved += 1
                }
            }
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "patrol area \(area): cells \(codes.joined(separator: ","))"))
            return moved
        }
    }

    /// Makes an inspector walk a patrol area (`patrol-area assign AREA --inspector LOGIN`).
    @discardableResult
    public func assignInspector(_ idOrLogin: String, to area: String, by requested: String?, at now: Date) throws(WorkflowError) -> Operator {
        _ = try requireAdmin(requested)
        let target = try read { db in try Self.findOperatorEvenDisabled(db, idOrLogin) }
        guard target.role == .inspector else {
            throw .invalidInput("\(target.login) is a \(target.role.rawValue), not an inspector")
        }
        return try changeOperator(String(target.id), OperatorChanges(patrolAreaID: area), by: requested, at: now)
    }
}
