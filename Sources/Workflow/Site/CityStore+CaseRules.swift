import Foundation
import GRDB

extension CityStore {
    /// Sets which kind of center's shift leads file (`filing`) and close (`closing`) cases; a nil leaves that setting
    /// as it is. An admin's. Audited. Returns the rules after the change. Operators of the named centers are not
    /// checked here: `doctor` reports a command center without shift leads.
    @discardableResult
    public func setCaseRules(filing: CenterKind?, closing: CenterKind?, by admin: String?, at now: Date) throws(WorkflowError) -> CaseRules {
        guard filing != nil || closing != nil else { throw .invalidInput("name the filing center, the closing center or both") }
        return try write { db in
            let actor = try self.actingAdmin(db, admin)
            for (key, kind) in [(CaseRules.filingKey, filing), (CaseRules.closingKey, closing)] {
                guard let kind else { continue }
                try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, kind.rawValue])
                try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: actor.login, via: actor.identifiedBy?.text,
                                                    detail: "\(key) = \(kind.rawValue)"))
            }
            return try Self.settings(db).rules
        }
    }
}
