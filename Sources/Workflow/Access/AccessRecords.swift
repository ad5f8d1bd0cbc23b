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

/// A row of `signin_session`: a session a server started, found by the SHA-256 of its token.
struct SigninSessionRecord: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "signin_session"

    var tokenSHA256: String
    var operatorID: Int64
    /// How its operator was identified (`Via.text`).
    var via: String
    var startedAt: Int64
    var expiresAt: Int64

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case via
        case tokenSHA256 = "token_sha256", operatorID = "operator_id", startedAt = "started_at", expiresAt = "expires_at"
    }
    typealias Columns = CodingKeys
}

/// A row of `audit` (append-only: triggers refuse updates and deletes, so it is only inserted and fetched).
struct AuditRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "audit"

    var id: Int64?
    var at: Int64
    /// `AuditEvent.Kind`'s stored text, decoded strictly in `event()`.
    var event: String
    var login: String?
    var via: String?
    var byLogin: String?
    var address: String?
    var detail: String

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, at, event, login, via, address, detail
        case byLogin = "by_login"
    }
    typealias Columns = CodingKeys

    init(_ e: AuditEvent) {
        at = e.at.storageSeconds; event = e.kind.rawValue; login = e.login; via = e.via; byLogin = e.by
        address = e.address; detail = e.detail
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The event; an unknown kind is an error naming the row ("audit row 12 has unknown event 'x'").
    func auditEvent() throws(WorkflowError) -> AuditEvent {
        let id = id ?? 0
        return AuditEvent(id: id, at: Date(storageSeconds: at), kind: try StoredValue.decode(event, "event", of: "audit row \(id)"),
                          login: login, via: via, by: byLogin, address: address, detail: detail)
    }
}
