import Foundation
import GRDB

/// Whether the console rings the terminal bell when cases newly wait on the operator: a site setting (`site` key
/// `console.bell`, on unless set off) and each operator's own preference (`site` key `console.bell.operator.ID`),
/// which wins when set. Kept as `site` keys like `session.idle_lock_minutes`, so no table changes.
public struct BellSettings: Sendable, Equatable {
    /// The site's setting: what operators without a preference get.
    public var site: Bool
    /// The operator's own preference; nil follows the site.
    public var operatorPreference: Bool?
    public init(site: Bool, operatorPreference: Bool?) { self.site = site; self.operatorPreference = operatorPreference }
    /// Whether the bell rings for the operator.
    public var rings: Bool { operatorPreference ?? site }
}

extension CityStore {
    static let siteBellKey = "console.bell"
    static func operatorBellKey(_ id: Int64) -> String { "console.bell.operator.\(id)" }

    /// The site's bell setting, and the operator's preference when an operator is named.
    public func bellSettings(operatorID: Int64?) throws(WorkflowError) -> BellSettings {
        try read { db in
            func flag(_ key: String) throws -> Bool? {
                try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = ?", arguments: [key]).map { $0 != "off" }
            }
            return BellSettings(site: try flag(Self.siteBellKey) ?? true, operatorPreference: try operatorID.flatMap { try flag(Self.operatorBellKey($0)) })
        }
    }

    /// Turns the bell on or off for the whole site (operators' own preferences still win); an admin's. Audited.
    public func setSiteBell(_ on: Bool, by admin: String?, at now: Date) throws(WorkflowError) {
        try write { db in
            let actor = try self.actingAdmin(db, admin)
            try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [Self.siteBellKey, on ? "on" : "off"])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: actor.login, via: actor.identifiedBy?.text,
                                                detail: "\(Self.siteBellKey) = \(on ? "on" : "off")"))
        }
    }

    /// An operator's own bell preference (nil: follow the site). The operator may set their own; an admin anyone's.
    /// Returns the operator's settings after the change.
    @discardableResult
    public func setOperatorBell(_ idOrLogin: String, _ on: Bool?, by requested: String?, at now: Date) throws(WorkflowError) -> BellSettings {
        try write { db in
            let actor = try self.actor(db, requested)
            let target = try Self.findOperator(db, idOrLogin)
            guard actor.id == target.id || actor.role == .admin else {
                throw WorkflowError.forbidden("only \(target.login) or an admin may set \(target.login)'s bell; \(actor.login) is a \(actor.role.rawValue)")
            }
            let key = Self.operatorBellKey(target.id)
            if let on {
                try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, on ? "on" : "off"])
            } else {
                try db.execute(sql: "DELETE FROM site WHERE key = ?", arguments: [key])
            }
            try Self.appendAudit(db, AuditEvent(at: now, kind: .operatorChanged, login: target.login, via: actor.identifiedBy?.text,
                                                by: actor.login, detail: "console bell = \(on.map { $0 ? "on" : "off" } ?? "site")"))
        }
        return try bellSettings(operatorID: try findOperator(idOrLogin).id)
    }
}
