import Foundation
import GRDB

extension CityStore {
    /// The hotline lines a hotline report may name: 12319 and 96150, then the site's own, by code.
    public func hotlineLines() throws(WorkflowError) -> [HotlineLine] {
        try read { db in try Self.hotlineLines(db) }
    }

    static func hotlineLines(_ db: Database) throws -> [HotlineLine] {
        let added = try Row.fetchAll(db, sql: "SELECT code, name FROM hotline_line ORDER BY code")
            .map { HotlineLine(code: $0["code"], name: $0["name"]) }
        return HotlineLine.builtIn + added
    }

    /// Adds a line of the site's own (an administrator's, `site add-line`): a code of 1–16 of A-Z a-z 0-9 . _ -, not
    /// one of the lines already known, and a name.
    @discardableResult
    public func addHotlineLine(code: String, name: String, by requested: String?, at now: Date) throws(WorkflowError) -> HotlineLine {
        let code = code.trimmingCharacters(in: .whitespaces)
        try OperatorRules.checkCode(code, what: "a hotline line's code", maxLength: 16)
        let lineName = try OperatorRules.checkName(name, what: "the line's name", maxCharacters: 40)
        return try write { db in
            let admin = try self.actingAdmin(db, requested)
            if try Self.hotlineLines(db).contains(where: { $0.code == code }) {
                throw WorkflowError.invalidInput("hotline line \(code) exists already")
            }
            try db.execute(sql: "INSERT INTO hotline_line(code, name, added_by, added_at) VALUES (?, ?, ?, ?)",
                           arguments: [code, lineName, admin.login, now.storageSeconds])
            try Self.appendAudit(db, AuditEvent(at: now, kind: .siteChanged, login: admin.login, via: admin.identifiedBy?.text,
                                                detail: "hotline line \(code) added"))
            return HotlineLine(code: code, name: lineName)
        }
    }
}

/// How many hotline reports came in on one line in a period (`line` nil: hotline reports that named none).
public struct HotlineLineCount: Sendable, Equatable {
    public var line: String?
    public var name: String?
    public var reports: Int
    public init(line: String?, name: String?, reports: Int) { self.line = line; self.name = name; self.reports = reports }
}

extension CityStore {
    /// The hotline reports of each line in a period (local days `from` included, `to` not, in the site's zone), inside
    /// `within` (a district, street, community or cell code) if given: every line the site knows, with 0 where none
    /// came in, then the hotline reports that named no line. A report counts on the day it was reported, merged or not.
    public func hotlineLineCounts(_ period: EvaluationPeriod, within: String?) throws(WorkflowError) -> [HotlineLineCount] {
        let calendar = try context().calendar
        let start = calendar.date(of: period.from, minuteOfDay: 0).storageSeconds
        let end = calendar.date(of: period.to, minuteOfDay: 0).storageSeconds
        return try read { db in
            var sql = "SELECT hotline_line, count(*) AS n FROM service_case WHERE source = 'hotline' AND reported_at >= ? AND reported_at < ?"
            var arguments: StatementArguments = [start, end]
            if let within {
                sql += " AND ? IN (district_code, street_code, community_code, cell_code)"
                arguments += [within]
            }
            var counts: [String?: Int] = [:]
            for row in try Row.fetchAll(db, sql: sql + " GROUP BY hotline_line", arguments: arguments) {
                counts[row["hotline_line"] as String?] = row["n"]
            }
            let lines = try Self.hotlineLines(db)
            var result = lines.map { HotlineLineCount(line: $0.code, name: $0.name, reports: counts[$0.code] ?? 0) }
            // A line stored on a case and no longer known (never: lines are not removed) still counts, by its code.
            for case let (line?, n) in counts where !lines.contains(where: { $0.code == line }) {
                result.append(HotlineLineCount(line: line, name: nil, reports: n))
            }
            result.append(HotlineLineCount(line: nil, name: nil, reports: counts[nil] ?? 0))
            return result
        }
    }
}
