import Foundation
import GRDB

/// The ids of the cases waiting on an operator now, and which of them are urgent: what the console compares between
/// refreshes to find cases that newly landed in "needs me" (and rings the bell for).
public struct NeedsMeSet: Sendable, Equatable {
    public var ids: Set<Int64>
    public var urgent: Set<Int64>
    public init(ids: Set<Int64> = [], urgent: Set<Int64> = []) { self.ids = ids; self.urgent = urgent }

    /// The cases in `self` that were not in `earlier`, leaving out `excluding` (the operator's own writes).
    public func arrivals(since earlier: NeedsMeSet, excluding: Set<Int64> = []) -> NeedsMeSet {
        let new = ids.subtracting(earlier.ids).subtracting(excluding)
        return NeedsMeSet(ids: new, urgent: urgent.intersection(new))
    }
}

extension QueueSort {
    /// Urgent cases come first within each section of the queue, then the cases a supervisor marked priority, whatever
    /// column it is sorted by and in which direction: the one ordering rule both the console's queue and `needsAction`
    /// use. Urgent goes before priority: its clock runs in calendar minutes.
    public static let urgentFirst = "urgent DESC, priority DESC"
}

extension CityStore {
    /// Every case waiting on this operator now (their ids), with the urgent ones.
    public func needsActionIDs(for op: Operator, at now: Date) throws(WorkflowError) -> NeedsMeSet {
        try read { db in
            var set = NeedsMeSet()
            for branch in Self.needsActionBranches(for: op, rules: try Self.settings(db).rules, at: now) {
                for row in try Row.fetchAll(db, sql: "SELECT id, urgent FROM service_case WHERE is_open = 1 AND \(branch.sql)",
                                            arguments: branch.arguments) {
                    let id: Int64 = row["id"]
                    set.ids.insert(id)
                    if row["urgent"] as Bool { set.urgent.insert(id) }
                }
            }
            return set
        }
    }
}
