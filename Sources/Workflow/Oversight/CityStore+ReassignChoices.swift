import Foundation
import GRDB

/// Where one case's task may be reassigned, by the reassign rule itself.
public struct ReassignChoices: Sendable {
    public var caseID: Int64
    /// The inspectors, departments or command centers the task may go to now (never the one holding it), least
    /// loaded first; empty when nobody else may take it.
    public var alternatives: [Workload]
    /// Why the viewer may not reassign the case at all; nil when they may.
    public var refusal: WorkflowError?
}

extension CityStore {
    /// For each case, where `viewer` may reassign it: the candidates of `workload(for:case:at:)` (the inspectors of the
    /// case's patrol area, or the departments and district command centers in its reach), each kept only if the reassign
    /// rule (`Lifecycle.reassign`: the state, the patrol area, the center's district, not the current holder) takes it.
    /// Forms offer exactly these, so a choice the rule would refuse is never offered.
    public func reassignChoices(for viewer: Operator, cases ids: [Int64], at now: Date) throws(WorkflowError) -> [ReassignChoices] {
        var result: [ReassignChoices] = []
        for id in ids {
            let c = try serviceCase(id)
            let rules = try settings().rules
            if let refusal = Lifecycle.precondition(of: .reassign, on: c, by: viewer, rules: rules) {
                result.append(ReassignChoices(caseID: id, alternatives: [], refusal: refusal))
                continue
            }
            let load = try workload(for: viewer, case: id, at: now)
            let candidates = load.inspectors + load.centers + load.departments
            let valid: [Workload] = try read { db in
                let context = try self.context(db)
                let area = try Self.cellPlace(db, c.cellCode).patrolAreaID
                return candidates.filter { candidate in
                    guard let resolved = try? Self.resolveTarget(db, .inspectorDepartmentOrCenter, candidate.key, for: .reassign,
                                                                 case: c, context: context) else { return false }
                    let target: ReassignTarget
                    switch resolved {
                    case .inspector(let op): target = .inspector(op)
                    case .department(let code): target = .department(code)
                    case .center(let center): target = .center(center)
                    case .none, .serviceCase: return false
                    }
                    var after = c
                    return (try? Lifecycle.reassign(&after, to: target, cellPatrolArea: area, context: context, at: now)) != nil
                }
            }
            result.append(ReassignChoices(caseID: id, alternatives: valid, refusal: nil))
        }
        return result
    }

    /// Where `id` stands in the console's queue for `op` (the needs-my-action section first, then the rest, each in the
    /// queue's order), or nil when the queue does not hold it (closed, out of reach, or filtered out).
    public func queuePosition(of id: Int64, for op: Operator, filter: QueueFilter, sort: QueueSort, ascending: Bool,
                              at now: Date) throws(WorkflowError) -> Int? {
        try read { db in
            let s = try self.sections(db, for: op, filter: filter, at: now)
            let order = sort.orderSQL.split(separator: ",").map { "\($0) \(ascending ? "ASC" : "DESC")" }.joined(separator: ",")
                + ", id \(ascending ? "ASC" : "DESC")"
            func rank(_ clause: (String, StatementArguments)) throws -> Int? {
                try Int.fetchOne(db, sql: """
                    SELECT rn FROM (SELECT id, row_number() OVER (ORDER BY \(order)) AS rn FROM service_case WHERE \(clause.0)) WHERE id = ?
                    """, arguments: clause.1 + [id]).map { $0 - 1 }
            }
            if let inNeeds = try rank(s.needs) { return inNeeds }
            guard let inOthers = try rank(s.others) else { return nil }
            let needs = try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case WHERE \(s.needs.0)", arguments: s.needs.1) ?? 0
            return needs + inOthers
        }
    }
}
