import Foundation
import GRDB

/// Bulk actions: one action on many cases in ONE immediate transaction, all or none. Each case goes through
/// the same `perform` as a single action, so permissions and refusals are identical; the first refusal rolls
/// everything back and names the case. Each batch is stored (`bulk_batch`, `bulk_item` with the case as it
/// was before) so the operator's last batch can be undone with compensating history rows.
extension CityStore {

    public func performBulk(_ request: BulkRequest, at now: Date) throws(BulkRefusal) -> BulkResult {
        try bulkWrite { db in
            let context = try self.context(db)
            let actor = try self.actingOperator(db, request.actor)
            guard request.action != .merge else {
                throw WorkflowError.invalidInput("merge takes a different case for each report; merge them one by one")
            }
            try ReportText.refuseNUL(request.note, field: "note")
            if request.action.spec.note.required, request.note?.isBlank ?? true {
                throw WorkflowError.refusal(.missingNote(verb: request.action.rawValue, meaning: request.action.spec.note.meaning))
            }
            let ids = try Self.bulkCaseIDs(db, request.selection, actor: actor, at: now)
            let selection = request.selection.description
            try db.execute(sql: """
                INSERT INTO bulk_batch(actor_id, action, target, note, selection, at, case_count) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [actor.id, request.action.rawValue, request.target, request.note, selection, now.storageSeconds, ids.count])
            let batch = db.lastInsertedRowID
            let suffix = "bulk #\(batch)"
            let note = request.note.map { $0.trimmedWhitespace }.flatMap { $0.isEmpty ? nil : "\($0) (\(suffix))" } ?? suffix
            var before: [ServiceCase] = [], after: [ServiceCase] = []
            let encoder = JSONEncoder()
            for id in ids {
                do {
                    let current = try Self.fetchCase(db, id)
                    let single = ActionRequest(action: request.action, caseID: id, actor: request.actor, target: request.target, note: note)
                    let changed = try Self.perform(db, single, actor: actor, context: context, at: now)
                    let seq = try Int.fetchOne(db, sql: "SELECT max(seq) FROM history WHERE case_id = ?", arguments: [id]) ?? 0
                    let json = String(decoding: try encoder.encode(current), as: UTF8.self)
                    try db.execute(sql: "INSERT INTO bulk_item(batch_id, case_id, history_seq, before) VALUES (?, ?, ?, ?)",
                                   arguments: [batch, id, seq, json])
                    before.append(current)
                    after.append(changed)
                } catch let error as WorkflowError {
                    throw BulkRefusal(caseID: id, error: error)
                }
            }
            return BulkResult(batchID: batch, action: request.action, before: before, after: after)
        }
    }

    /// Undoes `actor`'s last bulk batch (see `BulkUndo` for what can be undone): all its cases or none.
    public func undoLastBulk(by actorLogin: String, at now: Date) throws(BulkRefusal) -> BulkResult {
        try bulkWrite { db in
            let actor = try self.actingOperator(db, actorLogin)
            guard let batch = try Row.fetchOne(db, sql: "SELECT * FROM bulk_batch WHERE actor_id = ? ORDER BY id DESC LIMIT 1",
                                               arguments: [actor.id]) else {
                throw WorkflowError.notFound("\(actor.login) has run no bulk action")
            }
            let batchID: Int64 = batch["id"]
            let actionText: String = batch["action"]
            guard let action = CaseAction(rawValue: actionText) else {
                throw WorkflowError.storage("bulk #\(batchID) has an unknown action '\(actionText)'")
            }
            if let undone: Int64 = batch["undone_at"] {
                throw WorkflowError.refusal(.bulkAlreadyUndone(login: actor.login, batchID: batchID, action: action, undoneAt: Date(storageSeconds: undone)))
            }
            guard BulkUndo.undoable(action) else {
                throw WorkflowError.refusal(.bulkNotUndoable(batchID: batchID, action: action))
            }
            let decoder = JSONDecoder()
            let logins = try Self.inspectorLogins(db)
            var before: [ServiceCase] = [], after: [ServiceCase] = []
            for item in try Row.fetchAll(db, sql: "SELECT * FROM bulk_item WHERE batch_id = ? ORDER BY case_id", arguments: [batchID]) {
                let id: Int64 = item["case_id"]
                do {
                    let was: ServiceCase
                    do { was = try decoder.decode(ServiceCase.self, from: Data((item["before"] as String).utf8)) } catch {
                        throw WorkflowError.storage("bulk #\(batchID): the saved state of case \(id) cannot be read")
                    }
                    let current = try Self.fetchCase(db, id)
                    let lastSeq = try Int.fetchOne(db, sql: "SELECT max(seq) FROM history WHERE case_id = ?", arguments: [id]) ?? -1
                    let holder: String? = switch was.state {
                    case .verifying, .checking: was.assigneeID.map { logins[$0] ?? String($0) }
                    case .dispatched: was.departmentCode
                    default: was.commandCenterID
                    }
                    let transition = try Lifecycle.undo(action, batch: batchID, before: was, current: current,
                                                        unchangedSince: lastSeq == item["history_seq"] as Int, by: actor,
                                                        previousHolder: holder, rules: try Self.settings(db).rules, at: now)
                    try CaseRows.update(db, transition.after)
                    try CaseRows.appendHistory(db, transition.entry)
                    before.append(current)
                    after.append(transition.after)
                } catch let error as WorkflowError {
                    throw BulkRefusal(caseID: id, error: error)
                }
            }
            try db.execute(sql: "UPDATE bulk_batch SET undone_at = ?, undone_by = ? WHERE id = ?", arguments: [now.storageSeconds, actor.id, batchID])
            return BulkResult(batchID: batchID, action: action, before: before, after: after)
        }
    }

    /// The cases a selection names: ids as given (duplicates dropped), or the open cases in the actor's reach
    /// matching every filter, by id.
    static func bulkCaseIDs(_ db: Database, _ selection: BulkSelection, actor: Operator, at now: Date) throws -> [Int64] {
        var ids: [Int64] = []
        switch selection {
        case .ids(let given):
            var seen = Set<Int64>()
            ids = given.filter { seen.insert($0).inserted }
        case .filter(let filters):
            let reach = Self.reach(of: actor)
            var clauses = ["is_open = 1", "(\(reach.sql))"]
            var arguments = reach.arguments
            for filter in filters {
                switch filter {
                case .overdue: clauses.append("deadline < ?"); arguments += [now.storageSeconds]
                case .state(let state): clauses.append("state = ?"); arguments += [state.rawValue]
                case .department(let code):
                    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM department WHERE code = ?", arguments: [code]) == true else {
                        throw WorkflowError.notFound("no department \(code)")
                    }
                    clauses.append("department = ?"); arguments += [code]
                case .region(let code):
                    guard try Bool.fetchOne(db, sql: "SELECT 1 FROM region WHERE code = ?", arguments: [code]) == true else {
                        throw WorkflowError.notFound("no region \(code)")
                    }
                    let column = switch code.count {
                    case 6: "district_code"
                    case 9: "street_code"
                    case 12: "community_code"
                    default: "cell_code"
                    }
                    clauses.append("\(column) = ?"); arguments += [code]
                case .pending(let kind):
                    if let kind { clauses.append("pending_kind = ?"); arguments += [kind.rawValue] } else { clauses.append("pending_kind IS NOT NULL") }
                }
            }
            ids = try Int64.fetchAll(db, sql: "SELECT id FROM service_case WHERE \(clauses.joined(separator: " AND ")) ORDER BY id LIMIT \(BulkRequest.maxCases + 1)",
                                     arguments: arguments)
            guard !ids.isEmpty else {
                throw WorkflowError.notFound("no open case in \(actor.login)'s reach matches \(selection)")
            }
        }
        guard !ids.isEmpty else { throw WorkflowError.invalidInput("a bulk action needs at least one case") }
        guard ids.count <= BulkRequest.maxCases else {
            throw WorkflowError.invalidInput("a bulk action takes at most \(BulkRequest.maxCases) cases; narrow the selection")
        }
        return ids
    }

    /// Like `write`, but a refusal keeps the case that refused.
    func bulkWrite<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws(BulkRefusal) -> T {
        do { try checkWritable() } catch { throw BulkRefusal(caseID: nil, error: error) }
        do {
            return try immediateTransaction(body)
        } catch let refusal as BulkRefusal {
            throw refusal
        } catch {
            noteDamage(error)
            throw BulkRefusal(caseID: nil, error: Self.translate(error, path: path ?? ":memory:"))
        }
    }
}
