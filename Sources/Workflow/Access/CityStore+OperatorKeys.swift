import Foundation
import GRDB

/// An operator's SSH public key (`citygrid operator key add|list|remove`): what `serve-ssh` signs that operator in by.
public struct OperatorKey: Sendable, Hashable, Codable {
    public var id: Int64
    public var login: String
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, …
    public var algorithm: String
    /// The key as it stands in an OpenSSH public key line (base64 of the SSH wire form).
    public var keyBase64: String
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    public var fingerprint: String
    public var comment: String
    public var addedAt: Date

    public init(id: Int64, login: String, algorithm: String, keyBase64: String, fingerprint: String, comment: String, addedAt: Date) {
        self.id = id; self.login = login; self.algorithm = algorithm; self.keyBase64 = keyBase64
        self.fingerprint = fingerprint; self.comment = comment; self.addedAt = addedAt
    }

    /// The key algorithms `serve-ssh` verifies signatures of.
    public static let algorithms = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"]

    /// The SHA-256 fingerprint of a key's wire form, as OpenSSH prints it: `SHA256:` and unpadded base64.
    public static func fingerprint(blob: [UInt8]) -> String {
        "SHA256:" + Data(Hashing.sha256(blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    /// The fingerprint of a key given as in an OpenSSH line; nil when the text is not base64.
    public static func fingerprint(keyBase64: String) -> String? {
        Data(base64Encoded: keyBase64).map { fingerprint(blob: Array($0)) }
    }

    /// A key's comment as stored and shown: visible characters and single spaces, at most 200 bytes.
    public static func cleanComment(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if ReportText.isVisible(scalar) { out.unicodeScalars.append(scalar) }
            else if scalar.properties.isWhitespace, !out.isEmpty, out.last != " " { out.append(" ") }
            if out.utf8.count > 200 { out.removeLast(); break }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}

extension CityStore {

    /// Registers `login`'s public key (admin only). Refused: an algorithm `serve-ssh` cannot verify, a key whose wire
    /// form does not name its algorithm, a key already registered (to anyone). Recorded in the audit.
    @discardableResult
    public func addOperatorKey(login: String, algorithm: String, keyBase64: String, comment: String, by requested: String?,
                               at now: Date) throws(WorkflowError) -> OperatorKey {
        guard OperatorKey.algorithms.contains(algorithm) else {
            throw .invalidInput("\(algorithm.isEmpty ? "this" : "a \(algorithm)") key cannot be used: serve-ssh accepts \(OperatorKey.algorithms.joined(separator: ", ")) keys")
        }
        guard keyBase64.utf8.count <= 4096, let blob = Data(base64Encoded: keyBase64).map(Array.init),
              Self.wireAlgorithm(blob) == algorithm else {
            throw .invalidInput("not an OpenSSH \(algorithm) public key (its base64 part is damaged)")
        }
        let fingerprint = OperatorKey.fingerprint(blob: blob)
        let comment = OperatorKey.cleanComment(comment)
        return try write { db in
            let actor = try self.actingAdmin(db, requested)
            let target = try Self.findOperatorEvenDisabled(db, login)
            if let owner = try OperatorKeyRecord.withLogin().filter(OperatorKeyRecord.Columns.fingerprint == fingerprint).fetchOne(db) {
                throw WorkflowError.invalidInput("key \(fingerprint) is already registered to \(owner.login)")
            }
            var record = OperatorKeyRecord(operatorID: target.id, algorithm: algorithm, keyBase64: keyBase64, fingerprint: fingerprint,
                                           comment: comment, addedAt: now.storageSeconds)
            try record.insert(db)
            let key = record.key(login: target.login)
            try Self.appendAudit(db, AuditEvent(at: now, kind: .keyAdded, login: target.login, via: actor.identifiedBy?.text,
                                                by: actor.login, detail: "\(algorithm) \(fingerprint)"))
            return key
        }
    }

    /// The algorithm name an SSH public key's wire form starts with (a length-prefixed string).
    static func wireAlgorithm(_ blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = blob[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard length > 0, length <= 64, blob.count >= 4 + length else { return nil }
        return String(bytes: blob[4..<(4 + length)], encoding: .utf8)
    }

    /// Registered keys, oldest first; only `login`'s when given (admin only).
    public func operatorKeys(login: String? = nil, by requested: String?) throws(WorkflowError) -> [OperatorKey] {
        try read { db in
            _ = try self.actingAdmin(db, requested)
            var keys = OperatorKeyRecord.withLogin()
            if let login {
                keys = keys.filter(OperatorKeyRecord.Columns.operatorID == (try Self.findOperatorEvenDisabled(db, login).id))
            }
            return try keys.order(OperatorKeyRecord.Columns.id).fetchAll(db).map(\.key)
        }
    }

    /// Removes a key by its fingerprint (`SHA256:…`) or id (admin only). Recorded in the audit.
    @discardableResult
    public func removeOperatorKey(_ fingerprintOrID: String, by requested: String?, at now: Date) throws(WorkflowError) -> OperatorKey {
        let wanted = fingerprintOrID.trimmingCharacters(in: .whitespaces)
        return try write { db in
            let actor = try self.actingAdmin(db, requested)
            let keys = OperatorKeyRecord.withLogin()
            let found = if let id = Int64(wanted) {
                try keys.filter(OperatorKeyRecord.Columns.id == id).fetchOne(db)
            } else {
                try keys.filter(OperatorKeyRecord.Columns.fingerprint == (wanted.hasPrefix("SHA256:") ? wanted : "SHA256:" + wanted)).fetchOne(db)
            }
            guard let found else { throw WorkflowError.notFound("no operator key '\(wanted)' (see operator key list)") }
            let key = found.key
            _ = try found.record.delete(db)
            try Self.appendAudit(db, AuditEvent(at: now, kind: .keyRemoved, login: key.login, via: actor.identifiedBy?.text,
                                                by: actor.login, detail: "\(key.algorithm) \(key.fingerprint)"))
            return key
        }
    }

    /// The operator whose registered key has `fingerprint`, signed in by it (`ssh:FINGERPRINT`); nil when no operator
    /// has that key or the key is registered to someone other than `login`. A disabled operator is refused.
    public func operatorForKey(fingerprint: String, login: String) throws(WorkflowError) -> SignedIn? {
        try read { db in
            guard try db.tableExists("operator_key"),
                  let key = try OperatorKeyRecord.filter(OperatorKeyRecord.Columns.fingerprint == fingerprint).fetchOne(db) else { return nil }
            let op = try Self.findOperatorEvenDisabled(db, String(key.operatorID))
            guard op.login == login else { return nil }
            if op.disabled { throw WorkflowError.forbidden("operator \(op.login) is disabled") }
            return SignedIn(operatorID: op.id, login: op.login, via: .ssh(fingerprint))
        }
    }
}
