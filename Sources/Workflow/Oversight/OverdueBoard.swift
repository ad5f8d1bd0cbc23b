import Foundation

/// Who must act on a case now.
public enum ResponsibleKind: String, Sendable, Codable {
    case inspector, department, center
}

/// One row of the overdue board.
public struct BoardEntry: Sendable {
    public var serviceCase: ServiceCase
    public var reading: StageReading
    public var dueState: DueState
    /// An inspector's login, a department code or a center id.
    public var responsible: String
    public var responsibleKind: ResponsibleKind
    public var risk: RiskEstimate?
}

/// Cases of one stage or one department, worst first.
public struct BoardGroup: Sendable, Equatable {
    public var key: String
    public var red: Int
    public var yellow: Int
    public var caseIDs: [Int64]
    public var count: Int { caseIDs.count }
}

/// Every open case in a lead's reach that is past (red) or near (yellow) its stage deadline, ranked by how
/// far through its budget it is, grouped by stage and by department; and, apart, the cases not yet late
/// that the recent handling times say will be.
public struct OverdueBoard: Sendable {
    public var entries: [BoardEntry]
    public var byStage: [BoardGroup]
    public var byDepartment: [BoardGroup]
    public var atRisk: [BoardEntry]
    /// Verify and check tasks whose inspector is off duty now by the roster (whatever their clock): a shift lead moves
    /// them to someone on duty. Empty on a site without a roster.
    public var offDuty: [BoardEntry] = []

    /// Builds the board from open cases. Cases with no running clock or still green go to `atRisk` only
    /// when `times` flags them. `logins` names assigned inspectors.
    public static func build(cases: [ServiceCase], context: LifecycleContext, at now: Date, logins: [Int64: String],
                             times: HandlingTimes?) -> OverdueBoard {
        var entries: [BoardEntry] = []
        var atRisk: [BoardEntry] = []
        for c in cases {
            guard let due = c.dueState(at: now), c.deadline != nil,
                  let reading = Lifecycle.reading(of: c, at: now, context: context) else { continue }
            let who = responsible(for: c, logins: logins)
            let risk = times?.estimate(for: c, at: now, context: context)
            let entry = BoardEntry(serviceCase: c, reading: reading, dueState: due, responsible: who.0, responsibleKind: who.1,
                                   risk: risk?.atRisk == true ? risk : nil)
            if due == .green {
                if risk?.atRisk == true { atRisk.append(entry) }
            } else {
                entries.append(entry)
            }
        }
        entries.sort(by: rankedBefore)
        // At-risk cases by how far the expected handling time overshoots the limit.
        func overshoot(_ e: BoardEntry) -> Int { (e.risk?.expectedMinutes ?? 0) - e.reading.budgetMinutes }
        atRisk.sort { overshoot($0) != overshoot($1) ? overshoot($0) > overshoot($1) : $0.serviceCase.id < $1.serviceCase.id }
        let stageOrder = Dictionary(uniqueKeysWithValues: CaseState.allCases.enumerated().map { ($1.rawValue, $0) })
        let byStage = groups(entries) { $0.serviceCase.state.rawValue }
            .sorted { stageOrder[$0.key, default: 99] < stageOrder[$1.key, default: 99] }
        let byDepartment = groups(entries) { $0.serviceCase.departmentCode ?? "-" }
            .sorted { ($0.red, $0.count, $1.key) > ($1.red, $1.count, $0.key) }
        return OverdueBoard(entries: entries, byStage: byStage, byDepartment: byDepartment, atRisk: atRisk)
    }

    /// Further through its budget first; at equal ratios, the longer overdue, then the older id.
    public static func rankedBefore(_ a: BoardEntry, _ b: BoardEntry) -> Bool {
        if a.reading.ratio != b.reading.ratio { return a.reading.ratio > b.reading.ratio }
        if a.reading.overdueMinutes != b.reading.overdueMinutes { return a.reading.overdueMinutes > b.reading.overdueMinutes }
        return a.serviceCase.id < b.serviceCase.id
    }

    /// A pending request waits on the command center; otherwise the stage's holder.
    public static func responsible(for c: ServiceCase, logins: [Int64: String]) -> (String, ResponsibleKind) {
        if c.pending != nil, let center = c.commandCenterID { return (center, .center) }
        switch c.state {
        case .verifying, .checking:
            if let id = c.assigneeID { return (logins[id] ?? String(id), .inspector) }
            return (c.monitorCenterID, .center)
        case .dispatched, .suspended:
            return (c.departmentCode ?? c.commandCenterID ?? c.monitorCenterID, c.departmentCode != nil ? .department : .center)
        case .filed:
            return (c.commandCenterID ?? c.monitorCenterID, .center)
        case .reported, .accepted, .handled, .checked, .closed, .cancelled:
            return (c.monitorCenterID, .center)
        }
    }

    static func groups(_ entries: [BoardEntry], key: (BoardEntry) -> String) -> [BoardGroup] {
        var order: [String] = []
        var byKey: [String: BoardGroup] = [:]
        for e in entries {
            let k = key(e)
            if byKey[k] == nil { order.append(k); byKey[k] = BoardGroup(key: k, red: 0, yellow: 0, caseIDs: []) }
            byKey[k]!.caseIDs.append(e.serviceCase.id)
            if e.dueState == .red { byKey[k]!.red += 1 } else { byKey[k]!.yellow += 1 }
        }
        return order.compactMap { byKey[$0] }
    }
}
