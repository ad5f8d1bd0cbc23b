import Workflow

/// Which keys suit the viewer's role. Case actions follow the action table (`CaseAction.spec`: who may take each);
/// the keys around them follow from it too: the inbox is for whoever may approve, the overdue board and bulk marks
/// for whoever may act on others' lateness (urge, reassign, approve), a new report for the roles that report, the
/// follow-ups board for whoever may take a follow-up action (intake operators record, shift leads decide). The
/// help overlay and the footer's hints show only what passes here; a key that does not pass still answers (with a
/// refusal), it is only not offered.
enum RoleKeys {
    /// Roles that report new cases (an inspector in the street, an intake operator on the hotline): the roles
    /// `Lifecycle.report` opens a case for.
    static func reports(_ role: Role) -> Bool { role == .inspector || role == .intake }

    /// Roles that oversee other people's deadlines: they may urge, reassign or approve.
    static func oversees(_ role: Role) -> Bool { [CaseAction.urge, .reassign, .approve].contains { $0.allows(role) } }

    /// A shift lead is offered a case action only in the kind of center whose shift leads take it under the site's
    /// settings (`CaseRules`): filing and closing where `filing.center` and `closing.center` say, the rest in a
    /// monitoring center. Other roles work in one kind of center.
    static func inTakingCenter(_ action: CaseAction, _ s: ConsoleState) -> Bool {
        guard s.viewer.role == .shiftLead, let kind = s.centers.first(where: { $0.id == s.viewer.centerID })?.kind else { return true }
        return kind == s.siteRules.shiftLeadCenterKind(for: action)
    }

    static func allows(_ action: UIAction, _ s: ConsoleState) -> Bool {
        let role = s.viewer.role
        switch action {
        case .caseAction(let a): return a.allows(role) && inTakingCenter(a, s)
        case .actionsMenu: return CaseAction.allCases.contains { $0.allows(role) }
        case .inbox: return CaseAction.approve.allows(role) || CaseAction.refuse.allows(role)
        case .toggleBoard, .toggleMark, .undoBulk: return oversees(role)
        case .newReport: return reports(role)
        // The follow-ups are the monitoring center's: whoever may take a follow-up action (FollowUpAction.spec).
        case .toggleFollowUps: return FollowUpAction.allCases.contains { $0.spec.roles.contains(role) }
        case .followUpAction(let a): return a.spec.roles.contains(role)
        // Census findings are recorded by the roles the census rule names (CensusRules.recorderRoles).
        case .censusForm: return CensusRules.recorderRoles.contains(role)
        case .switchRole: return ConsoleUpdate.operatorSwitchRefusal(s) == nil
        default: return true
        }
    }
}
