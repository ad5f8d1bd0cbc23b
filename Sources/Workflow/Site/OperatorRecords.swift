import Foundation
import GRDB

// The `operator` table as a GRDB record (issue 15): every read of an operator row goes through it. Role and tier are
// kept as their stored text and decoded strictly by `StoredValue` when mapped to the domain's `Operator`, so an
// unknown value is an error naming the operator and the value ("operator x has unknown role 'y'"), never a default.

/// A row of `operator`.
struct OperatorRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "operator"
    /// The operator's SSH keys (`operator_key`).
    static var sshKeys: HasManyAssociation<OperatorRecord, OperatorKeyRecord> {
        hasMany(OperatorKeyRecord.self, using: ForeignKey(["operator_id"]))
    }

    var id: Int64?
    var login: String
    var name: String
    /// `Role`'s stored text.
    var role: String
    var centerID: String?
    var departmentCode: String?
    var regionCode: String
    /// `Tier`'s stored text.
    var tier: String
    var patrolArea: String?
    /// False once disabled (`operator disable`).
    var active: Bool
    var unixUser: String?
    var passwordHash: String?
    var disabledAt: Int64?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, login, name, role, tier, active
        case centerID = "center_id", departmentCode = "department_code", regionCode = "region_code", patrolArea = "patrol_area"
        case unixUser = "unix_user", passwordHash = "password_hash", disabledAt = "disabled_at"
    }
    typealias Columns = CodingKeys

    /// A new, enabled operator without a password.
    init(login: String, name: String, role: Role, centerID: String?, departmentCode: String?, regionCode: String, tier: Tier,
         patrolArea: String?, unixUser: String?) {
        self.login = login; self.name = name; self.role = role.rawValue; self.centerID = centerID
        self.departmentCode = departmentCode; self.regionCode = regionCode; self.tier = tier.rawValue; self.patrolArea = patrolArea
        active = true; self.unixUser = unixUser
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The operator; an unknown role or tier is an error naming the operator (`StoredValue`).
    func operatorValue() throws(WorkflowError) -> Operator {
        let owner = "operator \(login)"
        var op = Operator(id: id ?? 0, login: login, name: name, role: try StoredValue.decode(role, "role", of: owner),
                          centerID: centerID, departmentCode: departmentCode, regionCode: regionCode, patrolAreaID: patrolArea,
                          tier: try StoredValue.decode(tier, "tier", of: owner))
        op.disabled = !active
        op.unixUser = unixUser
        return op
    }

    /// The operator with id or login `key` (a number is an id), disabled or not.
    static func find(_ db: Database, _ key: String) throws -> OperatorRecord? {
        if let id = Int64(key) { return try fetchOne(db, key: id) }
        return try filter(Columns.login == key).fetchOne(db)
    }

    /// Operators with how many SSH keys each has (`operator show`, `OperatorAccount`).
    static func accounts() -> QueryInterfaceRequest<AccountRecord> {
        annotated(with: sshKeys.count.forKey(AccountRecord.CodingKeys.keyCount.rawValue)).asRequest(of: AccountRecord.self)
    }

    /// An operator row and the count of its keys (`accounts`).
    struct AccountRecord: Decodable, FetchableRecord {
        var record: OperatorRecord
        var keyCount: Int

        enum CodingKeys: String, CodingKey { case record, keyCount = "key_count" }

        func account() throws(WorkflowError) -> OperatorAccount {
            OperatorAccount(op: try record.operatorValue(), disabledAt: record.disabledAt.map(Date.init(storageSeconds:)),
                            hasPassword: record.passwordHash != nil, keyCount: keyCount)
        }
    }
}
