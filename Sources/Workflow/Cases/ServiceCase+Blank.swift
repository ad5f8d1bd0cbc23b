import Foundation

extension ServiceCase {
    /// An empty case, every field zero or nil: the buffer the demo history fills in place before its first story.
    package static let blank = ServiceCase(
        id: 0, state: .reported, kind: .event, categoryCode: "", cellCode: "", communityCode: "", streetCode: "", districtCode: "",
        componentID: nil, source: .inspector, description: "", reportedAt: .distantPast, monitorCenterID: "", commandCenterID: nil,
        departmentCode: nil, assigneeID: nil, confirmed: false, urgent: false, stageStartedAt: .distantPast, deadline: nil, warnAt: nil,
        budgetMinutes: 0, frozenRemainingMinutes: nil, handledLate: false, filedAt: nil, dispatchedAt: nil, handledAt: nil, closedAt: nil,
        closeType: nil, reworkCount: 0, returnCount: 0, extensionCount: 0, urgeCount: 0, escalated: false, pending: nil,
        lastEventAt: .distantPast)
}
