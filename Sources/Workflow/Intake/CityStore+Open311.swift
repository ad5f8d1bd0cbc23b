import Foundation
import GRDB

/// An api key for the Open311 service. The key itself is shown once when issued; the database keeps its first
/// 8 characters (to find it and to tell keys apart) and a salted SHA-256 of the whole key.
public struct APIKey: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var prefix: String
    public var createdAt: Date
    public var revokedAt: Date?
    public var isActive: Bool { revokedAt == nil }
}

/// What an Open311 client tells about the requester: kept for the center, never returned by the service.
public struct Open311Requester: Sendable, Equatable {
    public var address: String?
    public var lat: Double?
    public var lon: Double?
    public var email: String?
    public var firstName: String?
    public var lastName: String?
    public var phone: String?
    public var deviceID: String?
    public var accountID: String?
    public init(address: String? = nil, lat: Double? = nil, lon: Double? = nil, email: String? = nil, firstName: String? = nil,
                lastName: String? = nil, phone: String? = nil, deviceID: String? = nil, accountID: String? = nil) {
        self.address = address; self.lat = lat; self.lon = lon; self.email = email; self.firstName = firstName
        self.lastName = lastName; self.phone = phone; self.deviceID = deviceID; self.accountID = accountID
    }

    /// Applies the report text rule (`ReportText`) to every text field, by its Open311 name.
    public func checkText() throws(WorkflowError) {
        for (field, value) in [("address_string", address), ("email", email), ("first_name", firstName), ("last_name", lastName),
                               ("phone", phone), ("device_id", deviceID), ("account_id", accountID)] {
            try ReportText.refuseNUL(value, field: field)
        }
    }
}

/// A case as the Open311 service shows it: public fields only.
public struct Open311Case: Sendable {
    public var serviceCase: ServiceCase
    public var category: Category?
    public var departmentNameEn: String?
    public var departmentNameZh: String?
    public var cellLat: Double?
    public var cellLon: Double?
    public var address: String?
    public var token: String?
    /// The picture the request was posted with (public, unlike the requester's details).
    public var mediaURL: String?
    /// The last history row's action and note (the close or cancellation), for `status_notes`.
    public var lastAction: String?
    public var lastNote: String?
    /// What the case's reporters are told of its stage (`Notice.status`), the same text as their messages; nil when
    /// cancelled.
    public var publicNotice: Notice?
}

/// The filters of `GET requests`.
public struct Open311Filter: Sendable {
    public var ids: [Int64]?
    public var categories: [CategoryKey]?
    public var from: Date?
    public var to: Date?
    public var open: Bool?
    public var limit: Int
    /// Rows skipped first (paging: `(page - 1) * page_size`).
    public var offset: Int
    public init(ids: [Int64]? = nil, categories: [CategoryKey]? = nil, from: Date? = nil, to: Date? = nil, open: Bool? = nil, limit: Int = 1000,
                offset: Int = 0) {
        self.ids = ids; self.categories = categories; self.from = from; self.to = to; self.open = open; self.limit = limit
        self.offset = offset
    }
}

extension CityStore {
    static let apiKeyPrefixLength = 8

    /// Issues a new key: 40 random hex digits (160 bits). Returns the key record and the key, which is not kept.
    public func addAPIKey(name: String, at now: Date) throws(WorkflowError) -> (APIKey, String) {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.utf8.count <= 200 else { throw .invalidInput("an api key needs a name of 1 to 200 bytes") }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidInput("an api key's name cannot hold control characters")
        }
        try requireAdminWhenSigned()
        let secret = Hex.random(bytes: 20)
        let salt = Hex.random(bytes: 16)
        let prefix = String(secret.prefix(Self.apiKeyPrefixLength))
        let hash = Hashing.sha256Hex(Array((salt + secret).utf8))
        let key = try write { db in
            var record = APIKeyRecord(name: name, prefix: prefix, salt: salt, hash: hash, createdAt: now.storageSeconds)
            try record.insert(db)
            return record.apiKey
        }
        return (key, secret)
    }

    public func apiKeys() throws(WorkflowError) -> [APIKey] {
        try read { db in try APIKeyRecord.order(APIKeyRecord.Columns.id).fetchAll(db).map(\.apiKey) }
    }

    @discardableResult
    public func revokeAPIKey(id: Int64, at now: Date) throws(WorkflowError) -> APIKey {
        try write { db in
            try self.requireAdminWhenSigned(db)
            guard var record = try APIKeyRecord.fetchOne(db, key: id) else { throw WorkflowError.notFound("no api key \(id)") }
            guard record.revokedAt == nil else { throw WorkflowError.wrongState("api key \(id) was already revoked") }
            record.revokedAt = now.storageSeconds
            try record.update(db, columns: [APIKeyRecord.Columns.revokedAt])
            return record.apiKey
        }
    }

    /// The key record a presented key belongs to (active or revoked), or nil for a key never issued.
    public func apiKey(matching presented: String) throws(WorkflowError) -> APIKey? {
        guard presented.utf8.count == 40, presented.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        let prefix = String(presented.prefix(Self.apiKeyPrefixLength))
        return try read { db in
            guard let record = try APIKeyRecord.filter(APIKeyRecord.Columns.prefix == prefix).fetchOne(db) else { return nil }
            let stored = record.hash
            let computed = Hashing.sha256Hex(Array((record.salt + presented).utf8))
            // Compare every byte whatever the first difference.
            var difference: UInt8 = 0
            for (a, b) in zip(computed.utf8, stored.utf8) { difference |= a ^ b }
            return difference == 0 && computed.utf8.count == stored.utf8.count ? record.apiKey : nil
        }
    }

    /// Files a public request: the same `report` as the CLI's (source web, no operator), then its token and the
    /// requester's private details. Returns the case and the token.
    public func fileOpen311Request(_ draft: ReportDraft, requester: Open311Requester, mediaURL: String? = nil, apiKey: APIKey,
                                   at now: Date) throws(WorkflowError) -> (ServiceCase, String) {
        try requester.checkText()
        try ReportText.refuseNUL(mediaURL, field: "media_url")
        var draft = draft
        draft.source = .web
        let name = [requester.firstName, requester.lastName].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        if draft.reporterName == nil, !name.isEmpty { draft.reporterName = name }
        if draft.reporterPhone == nil { draft.reporterPhone = requester.phone }
        let token = Hex.random(bytes: 12)
        let request = draft
        // The case and its token in one transaction: a request is never filed without the token that finds it.
        let filed = try write { db in
            let filed = try self.insertReport(db, request, by: nil, via: .apiKey(apiKey.prefix), at: now)
            try db.execute(sql: """
                INSERT INTO open311_request(case_id, token, api_key_id, address, lat, lon, email, first_name, last_name, phone,
                                            device_id, account_id, created_at, media_url)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [filed.id, token, apiKey.id, requester.address, requester.lat, requester.lon, requester.email,
                                 requester.firstName, requester.lastName, requester.phone, requester.deviceID, requester.accountID,
                                 now.storageSeconds, mediaURL])
            try Self.noticeReceived(db, filed, context: try self.context(db), at: now)
            return filed
        }
        return (filed, token)
    }

    /// The case a token was issued for.
    public func caseID(forToken token: String) throws(WorkflowError) -> Int64? {
        try read { db in try Int64.fetchOne(db, sql: "SELECT case_id FROM open311_request WHERE token = ?", arguments: [token]) }
    }

    /// Cases for `GET requests`: by ids (other filters ignored, as the spec says), else by category, reported
    /// window and open/closed; newest first, at most `limit` (1000 at most) after skipping `offset`.
    public func open311Cases(_ filter: Open311Filter) throws(WorkflowError) -> [Open311Case] {
        try read { db in
            var clauses: [String] = []
            var arguments: StatementArguments = []
            if let ids = filter.ids {
                if ids.isEmpty { return [] }
                clauses.append("c.id IN (\(ids.map { _ in "?" }.joined(separator: ",")))")
                arguments += StatementArguments(ids)
            } else {
                if let keys = filter.categories {
                    if keys.isEmpty { return [] }
                    clauses.append("(" + keys.map { _ in "(c.kind = ? AND c.category_code = ?)" }.joined(separator: " OR ") + ")")
                    for key in keys { arguments += [key.kind.rawValue, key.code] }
                }
                if let from = filter.from { clauses.append("c.reported_at >= ?"); arguments += [from.storageSeconds] }
                if let to = filter.to { clauses.append("c.reported_at <= ?"); arguments += [to.storageSeconds] }
                if let open = filter.open { clauses.append("c.is_open = ?"); arguments += [open ? 1 : 0] }
            }
            var sql = """
                SELECT c.*, r.lat AS cell_lat, r.lon AS cell_lon, o.address AS o311_address, o.token AS o311_token, o.media_url AS o311_media_url,
                       d.name_en AS department_name_en, d.name_zh AS department_name_zh
                FROM service_case c
                LEFT JOIN region r ON r.code = c.cell_code
                LEFT JOIN open311_request o ON o.case_id = c.id
                LEFT JOIN department d ON d.code = c.department
                """
            if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
            sql += " ORDER BY c.reported_at DESC, c.id DESC LIMIT \(max(0, min(filter.limit, 1000))) OFFSET \(max(0, filter.offset))"
            let categories = Dictionary(try Self.fetchCategories(db).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
            let context = try self.context(db)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                let c = try CaseRows.serviceCase(row)
                var last: Row?
                if !c.state.isOpen {
                    last = try Row.fetchOne(db, sql: """
                    SELECT action, note FROM history WHERE case_id = ? AND action NOT IN ('follow-up', 'follow-up-result', 'keep-closed')
                    ORDER BY seq DESC LIMIT 1
                    """, arguments: [c.id])
                }
                return Open311Case(serviceCase: c, category: categories[c.categoryKey],
                                   departmentNameEn: row["department_name_en"], departmentNameZh: row["department_name_zh"],
                                   cellLat: row["cell_lat"], cellLon: row["cell_lon"], address: row["o311_address"],
                                   token: row["o311_token"], mediaURL: row["o311_media_url"], lastAction: last?["action"], lastNote: last?["note"],
                                   publicNotice: Notice.status(of: c, context: context))
            }
        }
    }
}
