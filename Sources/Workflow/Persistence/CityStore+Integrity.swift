import Foundation
import GRDB

/// What `verify` found: the chain walked from its first row to its head, and the history's guards.
public struct HistoryVerification: Sendable {
    /// History rows read (chained or not).
    public var rows: Int64
    /// The chain's last position and hash.
    public var head: ChainLink
    /// At most `findingLimit` findings, in the order found; `findingCount` counts them all.
    public var findings: [IntegrityFinding]
    public var findingCount: Int
    /// The anchor asked for and whether the chain has that hash at that position.
    public var anchor: ChainLink?
    public var anchorMatches: Bool?
    /// Guards recreated by `restoreHistoryGuards`.
    public var restored: [String] = []

    public var ok: Bool { findingCount == 0 }
}

/// One check of `doctor`: what it looked at, what it found, and what fixes it. Each front end words the fixes (the CLI
/// as the commands to run).
public struct DoctorCheck: Sendable, Equatable {
    public var name: String
    public var findings: [DoctorFinding]
    /// What to do when it fails.
    public var fix: Fix
    public var ok: Bool { findings.isEmpty }

    public init(name: String, findings: [DoctorFinding], fix: Fix) {
        self.name = name; self.findings = findings; self.fix = fix
    }

    /// What to do when a check fails.
    public enum Fix: Sendable, Equatable {
        /// SQLite finds `file` damaged: restore it from a backup (SQLite's recovery may save what it can).
        case restoreFromBackup(file: String)
        /// Migrations are not applied: open the database with this citygrid as a user who can write it.
        case migrate
        /// The history's guards are missing or altered: verify the history, then restore the guards.
        case restoreHistoryGuards
        /// The history's chain does not verify: compare it with a daily bulletin's anchor and restore `file` from a
        /// backup made before the first finding.
        case restoreChangedHistory
        /// A row holds a value this citygrid does not know: restore `file` from a backup, or upgrade citygrid.
        case restoreOrUpgrade(file: String)
        /// A readiness check: each finding carries its own setup step (`DoctorFinding.fix`).
        case eachFindingsStep
    }
}

/// What a check found: the problem, in domain words, and the setup step that fixes it when there is one.
public struct DoctorFinding: Sendable, Equatable {
    public var problem: String
    public var fix: SetupStep?

    public init(_ problem: String, fix: SetupStep? = nil) {
        self.problem = problem; self.fix = fix
    }
}

extension CityStore {
    /// How many findings a verification keeps (it counts them all).
    public static let findingLimit = 1_000

    /// Why every write is refused, when the history's guards were found missing on open (see `checkHistoryGuards`).
    public var writesRefused: Refusal? { integrityRefusal.withLock { $0 } }

    /// Called when the store is opened: if a guard of the history (a trigger, the chain's index) is missing or not the
    /// one citygrid made, the history may have been changed behind its back, so every write is refused until the
    /// guards are restored (`restoreHistoryGuards`); reads go on. The writer connection is made query-only as well, so
    /// no path can write by mistake.
    func checkHistoryGuards() throws(WorkflowError) {
        let findings = try read { db in try Self.guardFindings(db) }
        guard !findings.isEmpty else { return }
        integrityRefusal.withLock { $0 = .historyGuardsBroken(guards: findings.map(\.detail)) }
        do {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA query_only = 1") }
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// Throws the refusal when writes are refused (guards missing on open).
    func refuseWritesIfGuardsMissing() throws(WorkflowError) {
        if let refusal = writesRefused { throw .refusal(refusal) }
    }

    /// The guards of the history (`Schema.historyGuards`) that are missing or differ from what citygrid made.
    static func guardFindings(_ db: Database) throws -> [IntegrityFinding] {
        try brokenGuards(db).map(\.finding)
    }

    static func brokenGuards(_ db: Database) throws -> [(name: String, finding: IntegrityFinding)] {
        var present: [String: (type: String, sql: String)] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'history' AND type IN ('trigger', 'index')") {
            present[row["name"]] = (row["type"], row["sql"] ?? "")
        }
        var broken: [(String, IntegrityFinding)] = []
        for expected in Schema.historyGuards {
            guard let found = present[expected.name] else {
                broken.append((expected.name, IntegrityFinding(kind: expected.type == "index" ? .missingIndex : .missingTrigger,
                                                               detail: "\(expected.type) \(expected.name) is missing")))
                continue
            }
            if found.type != expected.type || normalized(found.sql) != normalized(expected.sql) {
                broken.append((expected.name, IntegrityFinding(kind: .alteredTrigger,
                                                               detail: "\(expected.type) \(expected.name) is not the one citygrid made")))
            }
        }
        return broken
    }

    /// SQL with every run of white space made one space, for comparing definitions.
    static func normalized(_ sql: String) -> String {
        sql.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Walks the whole history's hash chain and checks the guards: every row recomputed from its content and the row
    /// before. With `anchor`, also whether the chain still has that hash at that position (a head printed in an
    /// earlier daily bulletin). Reads one snapshot; takes seconds per million rows.
    public func verifyHistory(anchor: ChainLink? = nil) throws(WorkflowError) -> HistoryVerification {
        try read { db in try Self.verifyHistory(db, anchor: anchor) }
    }

    static func verifyHistory(_ db: Database, anchor: ChainLink?) throws -> HistoryVerification {
        var findings: [IntegrityFinding] = []
        var count = 0
        func found(_ finding: IntegrityFinding) {
            count += 1
            if findings.count < findingLimit { findings.append(finding) }
        }
        for finding in try guardFindings(db) { found(finding) }
        let walk = try HistoryChain.walk(db, anchor: anchor?.seq, found: found)
        var matches: Bool?
        if let anchor {
            matches = walk.atAnchor == anchor.hash
            if walk.atAnchor == nil {
                found(IntegrityFinding(kind: .anchorMismatch, chainSeq: anchor.seq,
                                       detail: "the chain ends at \(walk.head.seq), before the anchor's position \(anchor.seq): rows were removed"))
            } else if matches == false {
                found(IntegrityFinding(kind: .anchorMismatch, chainSeq: anchor.seq,
                                       detail: "the chain's hash at \(anchor.seq) is \(walk.atAnchor!.hex), not the anchor's \(anchor.hash.hex): the history up to there was rewritten"))
            }
        }
        return HistoryVerification(rows: walk.rows, head: walk.head, findings: findings, findingCount: count,
                                   anchor: anchor, anchorMatches: matches)
    }

    /// Recreates the history's missing or altered guards, only if the chain verifies (else returns the findings and
    /// changes nothing), and lifts the refusal of writes. Guards in place are left alone. One immediate transaction:
    /// nothing can change the history between the check and the restore.
    public func restoreHistoryGuards() throws(WorkflowError) -> HistoryVerification {
        try requireAdminWhenSigned()
        do {
            return try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA query_only = 0")
                var result: HistoryVerification?
                try db.inTransaction(.immediate) {
                    var verification = try Self.verifyHistory(db, anchor: nil)
                    let broken = try Self.brokenGuards(db)
                    guard verification.findingCount == broken.count else {
                        result = verification
                        return .rollback
                    }
                    for guardItem in Schema.historyGuards where broken.contains(where: { $0.name == guardItem.name }) {
                        try db.execute(sql: "DROP \(guardItem.type.uppercased()) IF EXISTS \(guardItem.name)")
                        try db.execute(sql: guardItem.sql)
                    }
                    verification.restored = broken.map(\.name)
                    verification.findings.removeAll { [.missingTrigger, .missingIndex, .alteredTrigger].contains($0.kind) }
                    verification.findingCount = verification.findings.count
                    result = verification
                    return .commit
                }
                if result!.ok {
                    integrityRefusal.withLock { $0 = nil }
                } else if writesRefused != nil {
                    try db.execute(sql: "PRAGMA query_only = 1")
                }
                return result!
            }
        } catch {
            throw Self.translate(error, path: path ?? ":memory:")
        }
    }

    /// The chain's position and hash as of `instant` (see `HistoryChain.head(_:before:)`): what the daily bulletin
    /// prints for the end of its day.
    public func chainHead(before instant: Date) throws(WorkflowError) -> ChainLink {
        try read { db in try HistoryChain.head(db, before: instant.storageSeconds) }
    }

    /// The chain's head now.
    public func chainHead() throws(WorkflowError) -> ChainLink {
        try read { db in try HistoryChain.head(db) }
    }

    // MARK: Doctor

    /// The checks of `citygrid doctor`, in order: each looks at one thing and says what to run if it fails.
    public func doctor() throws(WorkflowError) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        let file = path ?? ":memory:"
        checks.append(DoctorCheck(
            name: "integrity", findings: try read { db in
                let lines = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                return lines == ["ok"] ? [] : lines.prefix(100).map { DoctorFinding("SQLite: \($0)") }
            },
            fix: .restoreFromBackup(file: file)))
        checks.append(DoctorCheck(
            name: "schema", findings: try read { db in
                let applied = Set(try Schema.migrator.appliedIdentifiers(db))
                let missing = Schema.migrator.migrations.filter { !applied.contains($0) }
                return missing.map { DoctorFinding("migration '\($0)' is not applied") }
            },
            fix: .migrate))
        checks.append(DoctorCheck(
            name: "history_guards", findings: try read { db in try Self.guardFindings(db).map { DoctorFinding($0.detail) } },
            fix: .restoreHistoryGuards))
        let verification = try read { db in
            var result = try Self.verifyHistory(db, anchor: nil)
            result.findings.removeAll { [.missingTrigger, .missingIndex, .alteredTrigger].contains($0.kind) }
            return result
        }
        checks.append(DoctorCheck(
            name: "history_chain",
            findings: verification.findings.prefix(100).map { f in
                DoctorFinding((f.caseID.map { "case \($0) seq \(f.seq ?? 0): " } ?? "") + "\(f.kind.rawValue): \(f.detail)")
            },
            fix: .restoreChangedHistory))
        checks.append(DoctorCheck(
            name: "stored_values", findings: try read { db in try StoredValue.findings(db).map { DoctorFinding($0) } },
            fix: .restoreOrUpgrade(file: file)))
        return checks
    }
}
