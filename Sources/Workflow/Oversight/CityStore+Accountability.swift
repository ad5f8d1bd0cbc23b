import Foundation
import GRDB

/// The accountability register (问责, issue 18): after a case is exposed (日曝光), a supervisor records which unit was
/// held accountable and how. The register is append-only like the history: the database refuses to change or delete
/// a row (triggers of "v17 accountability register"), so a correction is a further entry. The monthly bulletin lists the
/// month's entries.
public struct AccountabilityEntry: Sendable, Equatable {
    public var id: Int64
    public var caseID: Int64
    /// The unit held accountable: a department, a center or a region (a street office, a community) by its code.
    public var unit: String
    /// The unit's name (zh) as the register recorded it.
    public var unitName: String
    /// What was done ("约谈部门负责人", "通报批评").
    public var measure: String
    public var recordedBy: String
    public var recordedAt: Date
    /// How the supervisor was signed in (`via` as in the history).
    public var via: String?
}

extension CityStore {
    /// The longest measure text the register takes, in bytes.
    public static let accountabilityMeasureLimit = 4_096

    /// Records that `unit` was held accountable for case `caseID` by `measure`; a supervisor's, for a case in their
    /// region. Returns the entry as stored.
    @discardableResult
    public func addAccountability(caseID: Int64, unit: String, measure: String, by requested: String?, at now: Date) throws(WorkflowError) -> AccountabilityEntry {
        let measure = measure.trimmingCharacters(in: .whitespacesAndNewlines)
        try ReportText.refuseNUL(measure, field: "measure")
        guard ReportText.isVisible(measure) else { throw WorkflowError.invalidInput("the measure is empty: say what was done") }
        guard measure.utf8.count <= Self.accountabilityMeasureLimit else {
            throw WorkflowError.invalidInput("the measure is \(measure.utf8.count) bytes; the limit is \(Self.accountabilityMeasureLimit) bytes")
        }
        let unit = unit.trimmingCharacters(in: .whitespaces)
        return try write { db in
            let actor = try self.actor(db, requested)
            guard actor.role == .supervisor else {
                throw WorkflowError.forbidden("recording accountability is for the supervisor role; \(actor.login) is \(actor.role.rawValue)")
            }
            let c = try Self.fetchCase(db, caseID)
            guard actor.canSee(district: c.districtCode) else {
                throw WorkflowError.forbidden("case \(c.id) is in district \(c.districtCode), outside \(actor.login)'s region \(actor.regionCode)")
            }
            guard let name = try Self.unitName(db, unit) else {
                throw WorkflowError.notFound("no department, center or region has the code '\(unit)'")
            }
            try db.execute(sql: """
                INSERT INTO accountability(case_id, unit, unit_name, measure, recorded_by, recorded_at, via)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.id, unit, name, measure, actor.login, now.storageSeconds, actor.identifiedBy?.text])
            return AccountabilityEntry(id: db.lastInsertedRowID, caseID: c.id, unit: unit, unitName: name, measure: measure,
                                       recordedBy: actor.login, recordedAt: Date(storageSeconds: now.storageSeconds), via: actor.identifiedBy?.text)
        }
    }

    /// The register's entries recorded in [from, to) (either end open), oldest first; only cases `viewer` may see
    /// when a viewer is given.
    public func accountability(from: Date? = nil, to: Date? = nil, viewer: Operator? = nil) throws(WorkflowError) -> [AccountabilityEntry] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT a.id, a.case_id, a.unit, a.unit_name, a.measure, a.recorded_by, a.recorded_at, a.via, c.district_code
                FROM accountability a JOIN service_case c ON c.id = a.case_id
                WHERE a.recorded_at >= ? AND a.recorded_at < ?
                ORDER BY a.recorded_at, a.id
                """, arguments: [from?.storageSeconds ?? Int64.min, to?.storageSeconds ?? Int64.max])
            return rows.compactMap { row -> AccountabilityEntry? in
                if let viewer, !viewer.canSee(district: row["district_code"]) { return nil }
                return AccountabilityEntry(id: row["id"], caseID: row["case_id"], unit: row["unit"], unitName: row["unit_name"],
                                           measure: row["measure"], recordedBy: row["recorded_by"],
                                           recordedAt: Date(storageSeconds: row["recorded_at"]), via: row["via"])
            }
        }
    }

    /// The zh name of a department, center or region with this code; nil when none has it.
    static func unitName(_ db: Database, _ code: String) throws -> String? {
        for table in ["department", "center"] {
            if let name = try String.fetchOne(db, sql: "SELECT name_zh FROM \(table) WHERE \(table == "department" ? "code" : "id") = ?", arguments: [code]) {
                return name
            }
        }
        return try String.fetchOne(db, sql: "SELECT name_zh FROM region WHERE code = ? AND level <> 'cell'", arguments: [code])
    }
}
