import Foundation

/// The merge that an unmerge undoes, as the store found it in the duplicate's history.
public struct MergeRecord: Sendable, Equatable {
    /// The state the duplicate was in when it was merged.
    public var stateBefore: CaseState
    public var survivorID: Int64
    public var mergedAt: Date
    /// The inspector who held the duplicate's verify task at the merge, if it was verifying.
    public var assigneeBefore: Int64?

    public init(stateBefore: CaseState, survivorID: Int64, mergedAt: Date, assigneeBefore: Int64?) {
        self.stateBefore = stateBefore; self.survivorID = survivorID; self.mergedAt = mergedAt; self.assigneeBefore = assigneeBefore
    }
}

/// What an unmerge does: both cases after it and one new history row on each.
public struct UnmergeTransition: Sendable {
    public var duplicate: ServiceCase
    public var duplicateEntry: HistoryEntry
    public var survivor: ServiceCase
    public var survivorEntry: HistoryEntry
}

extension Lifecycle {
    /// Undoes a merge while the surviving case is not yet filed: the duplicate reopens in the state it was
    /// merged from, with that stage's clock as it stood (the time spent merged still counts: an unmerge
    /// must not reset a deadline). Old history rows stay; both cases get an `unmerge` row.
    public static func unmerge(_ duplicate: ServiceCase, from survivor: ServiceCase, merge: MergeRecord, note: String?,
                               by actor: Operator, context: LifecycleContext,
                               at now: Date) throws(WorkflowError) -> UnmergeTransition {
        let id = duplicate.id
        guard actor.canSee(district: duplicate.districtCode) else {
            throw .notFound("no case \(id) in \(actor.login)'s region \(actor.regionCode)")
        }
        guard actor.role == .intake else {
            throw .refusal(.wrongRole(verb: "unmerge", roles: [.intake], login: actor.login, role: actor.role))
        }
        guard duplicate.state == .cancelled, merge.survivorID == survivor.id else {
            throw .wrongState("case \(id) is \(duplicate.state.rawValue), not merged into case \(survivor.id); unmerge needs a merged case")
        }
        guard merge.stateBefore.isBeforeFiling else {
            throw .wrongState("case \(id) was \(merge.stateBefore.rawValue) when merged; only reported, verifying or accepted cases are merged")
        }
        guard actor.centerID == duplicate.monitorCenterID else {
            throw .refusal(.otherMonitoringCenter(caseID: id, center: duplicate.monitorCenterID, login: actor.login, actorCenter: actor.centerID))
        }
        guard actor.canSee(district: survivor.districtCode) else {
            throw .notFound("no case \(survivor.id) in \(actor.login)'s region \(actor.regionCode)")
        }
        guard survivor.state.isBeforeFiling else {
            throw .refusal(.unmergeAfterFiling(caseID: survivor.id, state: survivor.state))
        }
        guard now >= duplicate.lastEventAt, now >= survivor.lastEventAt else {
            throw .invalidInput("case \(id) or \(survivor.id) last changed after the requested time; an action cannot be dated before it")
        }
        guard let trimmed = note?.trimmedWhitespace, !trimmed.isBlank else {
            throw .refusal(.missingNote(verb: "unmerge", meaning: .reason))
        }
        try validateNote(trimmed)

        var after = duplicate
        after.state = merge.stateBefore
        after.closedAt = nil
        after.assigneeID = merge.stateBefore == .verifying ? merge.assigneeBefore : nil
        // The stage clock runs from where the stage began, as if the merge had not happened.
        try startClock(&after, at: duplicate.stageStartedAt, context: context)
        after.lastEventAt = now
        var survivorAfter = survivor
        survivorAfter.lastEventAt = now
        let duplicateEntry = HistoryEntry(caseID: id, at: now, actorID: actor.id, role: actor.role, centerID: actor.centerID,
                                          action: "unmerge", from: .cancelled, to: after.state, target: String(survivor.id),
                                          note: trimmed, via: actor.identifiedBy?.text)
        let survivorEntry = HistoryEntry(caseID: survivor.id, at: now, actorID: actor.id, role: actor.role,
                                         centerID: actor.centerID, action: "unmerge", from: survivor.state, to: survivor.state,
                                         target: String(id), note: "unmerged case \(id): \(trimmed)", via: actor.identifiedBy?.text)
        return UnmergeTransition(duplicate: after, duplicateEntry: duplicateEntry, survivor: survivorAfter, survivorEntry: survivorEntry)
    }
}
