import Foundation
import GRDB

// The access tables as GRDB records (issue 15): what `CityStore+Access` and `CityStore+OperatorKeys` read and write.
// They are persistence types, mapped to the domain's values (`OperatorKey`, `AuditEvent`, `SignedIn`); a text column
// read into an enum is kept as its stored text here and decoded strictly by `StoredValue` when mapped, so an unknown
// value is an error naming the table's row and the value, never a default.

/// A row of `operator_key`.
struct OperatorKeyRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "operator_key"
    /// The operator the key belongs to (its login is shown with the key).
    static var owner: BelongsToAssociation<OperatorKeyRecord, OperatorLoginRecord> {
        belongsTo(OperatorLoginRecord.self, using: ForeignKey(["operator_id"]))
    }

    var id: Int64?
    var operatorID: Int64
    var algorithm: String
    var keyBase64: String
    var fingerprint: String
    var comment: String
    var addedAt: Int64

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, algorithm, fingerprint, comment
        case operatorID = "operator_id", keyBase64 = "key_base64", addedAt = "added_at"
    }

    typealias Columns = CodingKeys

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func key(login: String) -> OperatorKey {
        OperatorKey(id: id ?? 0, login: login, algorithm: algorithm, keyBase64: keyBase64, fingerprint: fingerprint,
                    comment: comment, addedAt: Date(storageSeconds: addedAt))
    }

    /// Keys with their owner's login, as listed and removed.
    static func withLogin() -> QueryInterfaceRequest<WithLogin> {
        annotated(withRequired: owner.select(OperatorLoginRecord.Columns.login)).asRequest(of: WithLogin.self)
    }

    /// A key and its owner's login (`withLogin`).
    struct WithLogin: Decodable, FetchableRecord {
        var record: OperatorKeyRecord
        var login: String
        var key: OperatorKey { record.key(login: login) }
    }
}

/// The `operator` table seen only for an operator's login (what a key or a session is joined to).
struct OperatorLoginRecord: TableRecord {
    static let databaseTableName = "operator"
    enum Columns { static let login = Column("login") }
}
