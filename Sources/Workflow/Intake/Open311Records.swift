import Foundation
import GRDB

/// A row of `api_key` (GRDB record, issue 15): an Open311 key's prefix and salted hash; the key itself is never kept.
struct APIKeyRecord: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "api_key"

    var id: Int64?
    var name: String
    var prefix: String
    var salt: String
    var hash: String
    var createdAt: Int64
    var revokedAt: Int64?

    enum CodingKeys: String, CodingKey, ColumnExpression {
        case id, name, prefix, salt, hash
        case createdAt = "created_at", revokedAt = "revoked_at"
    }
    typealias Columns = CodingKeys

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    var apiKey: APIKey {
        APIKey(id: id ?? 0, name: name, prefix: prefix, createdAt: Date(storageSeconds: createdAt), revokedAt: revokedAt.map(Date.init(storageSeconds:)))
    }
}
