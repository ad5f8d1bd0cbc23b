import Foundation
import GRDB

/// What an unmerge did.
public struct UnmergeResult: Sendable {
    public var duplicate: ServiceCase
    public var survivor: ServiceCase
    /// Reports moved back from the survivor to the duplicate (its own, and those merged into it before).
    public var movedReports: Int
}

extension CityStore {

    // MARK: The window

    /// The duplicate rule with the site's window (`duplicate.window_hours`, 24 h unless set).
    public func duplicateRule() throws(WorkflowError) -> DuplicateRule {
        try read { db in try Self.duplicateRule(db) }
    }

    static func duplicateRule(_ db: Database) throws -> DuplicateRule {
        let text = try String.fetchOne(db, sql: "SELECT value FROM site WHERE key = ?", arguments: [DuplicateRule.settingKey])
        guard let text, let hours = Double(text), hours > 0 else { return DuplicateRule() }
        return DuplicateRule(windowHours: hours)
    }

    public func setDuplicateWindow(hours: Double) throws(WorkflowError) {
        guard hours.isFinite, hours > 0, hours <= 24 * 90 else {
            throw .invalidInput("the duplicate window must be between 0 and 2160 hours, not \(hours)")
        }
        try write { db in
            try db.execute(sql: "INSERT INTO site(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [DuplicateRule.settingKey, String(hours)])
        }
    }

    // MARK: Candidates

    /// Open cases that may be the same problem as a report about to be filed at `now`.
    public func likelyDuplicates(of draft: ReportDraft, at now: Date, viewer: Operator? = nil,
                                 rule: DuplicateRule? = nil) throws(WorkflowError) -> [DuplicateCandidate] {
        try CellCode.validate(draft.cellCode)
        return try read { db in
            try Self.likelyDuplicates(db, key: CategoryKey(kind: draft.kind, code: draft.categoryCode), cell: draft.cellCode,
                                      reference: now, excluding: nil, viewer: viewer, rule: try rule ?? Self.duplicateRule(db), now: now)
        }
    }

    /// Open cases that may be the same problem as case `id`: reported within the window before or after it.
    public func likelyDuplicates(ofCase id: Int64, at now: Date, viewer: Operator? = nil,
                                 rule: DuplicateRule? = nil) throws(WorkflowError) -> [DuplicateCandidate] {
        try read { db in
            let c = try Self.fetchCase(db, id)
            if let viewer, !viewer.canSee(district: c.districtCode) {
                throw WorkflowError.notFound("no case \(id) in \(viewer.login)'s region \(viewer.regionCode)")
            }
            return try Self.likelyDuplicates(db, key: c.categoryKey, cell: c.cellCode, reference: c.reportedAt, excluding: id,
                                             viewer: viewer, rule: try rule ?? Self.duplicateRule(db), now: now)
        }
    }

    /// How many likely duplicates each open case has, for a marker on a screenful of queue rows.
    public func likelyDuplicateCounts(ofCases ids: [Int64], at now: Date, viewer: Operator? = nil) throws(WorkflowError) -> [Int64: Int] {
        try read { db in
            let rule = try Self.duplicateRule(db)
            var counts: [Int64: Int] = [:]
            for id in ids {
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM service_case WHERE id = ?", arguments: [id]) else { continue }
                let c = try CaseRows.serviceCase(row)
                guard c.state.isOpen else { continue }
                let found = try Self.likelyDuplicates(db, key: c.categoryKey, cell: c.cellCode, reference: c.reportedAt,
                                                      excluding: id, viewer: viewer, rule: rule, now: now)
                if !found.isEmpty { counts[id] = found.count }
            }
            return counts
        }
    }

    /// Two small index lookups: the 3×3 block of cells around the cell (region_cell_position), then per
    /// cell the cases reported in the window (case_cell_reported); the rule decides on the few rows found.
    static func likelyDuplicates(_ db: Database, key: CategoryKey, cell: String, reference: Date, excluding: Int64?,
                                 viewer: Operator?, rule: DuplicateRule, now: Date) throws -> [DuplicateCandidate] {
        guard let origin = try Row.fetchOne(db, sql: "SELECT grid_row, grid_col, lat, lon FROM region WHERE code = ? AND level = 'cell'",
                                            arguments: [cell]) else {
            throw WorkflowError.notFound("no cell \(cell) in this city")
        }
        let row: Int = origin["grid_row"], col: Int = origin["grid_col"]
        let originPoint: (Double, Double)? = (origin["lat"] as Double?).flatMap { lat in (origin["lon"] as Double?).map { (lat, $0) } }
        let block = try Row.fetchAll(db, sql: """
            SELECT code, grid_row, grid_col, lat, lon FROM region
            WHERE level = 'cell' AND grid_row BETWEEN ? AND ? AND grid_col BETWEEN ? AND ?
            """, arguments: [row - 1, row + 1, col - 1, col + 1])
        let range = rule.reportedRange(around: reference, now: now)
        var found: [DuplicateCandidate] = []
        let statement = try db.cachedStatement(sql: """
            SELECT * FROM service_case
            WHERE cell_code = ? AND reported_at BETWEEN ? AND ? AND is_open = 1 AND kind = ? AND category_code = ?
            """)
        for neighbour in block {
            let code: String = neighbour["code"]
            let position = (row: neighbour["grid_row"] as Int, col: neighbour["grid_col"] as Int)
            let rows = try Row.fetchAll(statement, arguments: [code, range.lowerBound.storageSeconds, range.upperBound.storageSeconds,
                                                               key.kind.rawValue, key.code])
            for caseRow in rows {
                let other = try CaseRows.serviceCase(caseRow)
                if other.id == excluding { continue }
                if let viewer, !viewer.canSee(district: other.districtCode) { continue }
                guard rule.matches(other, otherPosition: position, key: key, position: (row, col), reference: reference, now: now) else { continue }
                var meters: Double?
                if let originPoint, let lat = neighbour["lat"] as Double?, let lon = neighbour["lon"] as Double? {
                    meters = DuplicateRule.meters(from: (originPoint.0, originPoint.1), to: (lat, lon))
                }
                found.append(DuplicateCandidate(serviceCase: other, cellDistance: DuplicateRule.gridDistance((row, col), position),
                                                meters: meters, age: now.timeIntervalSince(other.reportedAt)))
            }
        }
        return DuplicateRule.ranked(found, reference: reference)
    }

    // MARK: Unmerge

    /// Undoes the merge of case `id` (the cancelled duplicate): its reports go back to it, it reopens in its
    /// pre-merge state, and both cases get an `unmerge` history row. One transaction; a refusal writes nothing.
    @discardableResult
    public func unmerge(_ id: Int64, by actor: String, note: String?, at now: Date) throws(WorkflowError) -> UnmergeResult {
        try write { db in
            let context = try self.context(db)
            let op = try self.actingOperator(db, actor)
            let duplicate = try Self.fetchCase(db, id)
            guard let merge = try Self.currentMerge(db, of: duplicate) else {
                if !op.canSee(district: duplicate.districtCode) {
                    throw WorkflowError.notFound("no case \(id) in \(op.login)'s region \(op.regionCode)")
                }
                throw WorkflowError.wrongState("case \(id) is \(duplicate.state.rawValue) and was not merged into another case; nothing to unmerge")
            }
            let survivor = try Self.fetchCase(db, merge.survivorID)
            let transition = try Lifecycle.unmerge(duplicate, from: survivor, merge: merge, note: note, by: op, context: context, at: now)
            // The reports that travelled with the duplicate: its own and those of cases merged into it before.
            let onSurvivor = try Int64.fetchAll(db, sql: "SELECT DISTINCT original_case_id FROM report WHERE case_id = ? AND original_case_id <> ?",
                                                arguments: [survivor.id, survivor.id])
            var travelled: [Int64] = []
            for origin in onSurvivor where try Self.mergeChain(db, from: origin, reaches: id, before: survivor.id) {
                travelled.append(origin)
            }
            var moved = 0
            for origin in travelled {
                try db.execute(sql: "UPDATE report SET case_id = ? WHERE case_id = ? AND original_case_id = ?",
                               arguments: [id, survivor.id, origin])
                moved += db.changesCount
            }
            try CaseRows.update(db, transition.duplicate)
            try CaseRows.appendHistory(db, transition.duplicateEntry)
            if let componentID = transition.duplicate.componentID, let component = try Self.fetchComponent(db, componentID) {
                try Self.componentCaseOpened(db, component, caseID: id, actorID: op.id, action: "case-reopened", at: now)
            }
            try CaseRows.update(db, transition.survivor)
            try CaseRows.appendHistory(db, transition.survivorEntry)
            return UnmergeResult(duplicate: transition.duplicate, survivor: transition.survivor, movedReports: moved)
        }
    }

    /// The merge a cancelled case is in: a merged case takes no action but unmerge, so its last history row
    /// is the merge itself.
    static func currentMerge(_ db: Database, of c: ServiceCase) throws -> MergeRecord? {
        guard c.state == .cancelled,
              let last = try Row.fetchOne(db, sql: "SELECT * FROM history WHERE case_id = ? ORDER BY seq DESC LIMIT 1", arguments: [c.id]),
              last["action"] as String == "merge", last["to_state"] as String == CaseState.cancelled.rawValue,
              let target = (last["target"] as String?).flatMap(Int64.init),
              let before = (last["from_state"] as String?).flatMap(CaseState.init(rawValue:)) else { return nil }
        var assignee: Int64?
        if before == .verifying,
           let login = try String.fetchOne(db, sql: "SELECT target FROM history WHERE case_id = ? AND action = 'verify' ORDER BY seq DESC LIMIT 1",
                                           arguments: [c.id]) {
            assignee = try Int64.fetchOne(db, sql: "SELECT id FROM operator WHERE login = ?", arguments: [login])
        }
        return MergeRecord(stateBefore: before, survivorID: target, mergedAt: CaseRows.date(last, "at") ?? c.lastEventAt,
                           assigneeBefore: assignee)
    }

    /// Whether case `origin`'s chain of merges passes through `via` before it ends at `end`.
    static func mergeChain(_ db: Database, from origin: Int64, reaches via: Int64, before end: Int64) throws -> Bool {
        var current = origin
        for _ in 0..<64 {
            if current == via { return true }
            if current == end { return false }
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM service_case WHERE id = ?", arguments: [current]).map(CaseRows.serviceCase),
                  let merge = try currentMerge(db, of: c) else { return false }
            current = merge.survivorID
        }
        return false
    }
}
