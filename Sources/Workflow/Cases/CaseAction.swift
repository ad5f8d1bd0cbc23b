/// The actions on an existing case, by the name the CLI takes (`citygrid case ACTION ID`).
public enum CaseAction: String, Sendable, Codable, CaseIterable {
    case accept, verify, confirm, invalid, file, reject, dispatch, escalate, handle
    case requestReturn = "request-return"
    case requestExtension = "request-extension"
    case requestSuspension = "request-suspension"
    case approve, refuse, resume, check, pass, fail, close, cancel, merge, urge
    /// Moves the current task to someone else: a verify or check task to another inspector of the patrol
    /// area (shift lead), a dispatched case to another department or district command center (dispatcher).
    case reassign
    /// The city command center sends an escalated case back down to the district command center.
    case returnToDistrict = "return-to-district"

    /// The role allowed to take the action. `urge` is the one action two roles share.
    public var roles: Set<Role> {
        switch self {
        case .accept, .verify, .merge, .check: [.intake]
        case .confirm, .invalid, .pass, .fail: [.inspector]
        case .file, .reject, .cancel, .close: [.shiftLead]
        case .dispatch, .escalate, .approve, .refuse, .resume: [.dispatcher]
        case .handle, .requestReturn, .requestExtension, .requestSuspension: [.department]
        case .urge: [.shiftLead, .supervisor]
        case .reassign: [.shiftLead, .dispatcher]
        case .returnToDistrict: [.dispatcher]
        }
    }

    /// The states the action starts from. `nil` means any open state.
    public var fromStates: Set<CaseState>? {
        switch self {
        case .accept: [.reported]
        case .verify: [.reported, .accepted]
        case .confirm, .invalid: [.verifying]
        case .file: [.accepted]
        case .reject, .cancel, .urge: nil
        case .merge: [.reported, .verifying, .accepted]
        case .dispatch: [.filed]
        case .escalate: [.filed, .dispatched]
        case .handle, .requestReturn, .requestExtension, .requestSuspension: [.dispatched]
        case .approve, .refuse: [.dispatched]
        case .resume: [.suspended]
        case .check: [.handled]
        case .pass, .fail: [.checking]
        case .close: [.checked]
        case .reassign: [.verifying, .checking, .dispatched]
        case .returnToDistrict: [.filed, .dispatched]
        }
    }

    /// Actions that need a `--to` target.
    public var needsTarget: Bool { self == .verify || self == .dispatch || self == .check || self == .merge || self == .reassign }

    /// Actions that need a reason in `--note` (for `return-to-district`, the instructions).
    public var needsNote: Bool { self == .reject || self == .cancel || self == .reassign || self == .returnToDistrict }

    /// Whether `role` may take the action; a switch, not a set, since it runs on every transition.
    public func allows(_ role: Role) -> Bool {
        switch self {
        case .accept, .verify, .merge, .check: role == .intake
        case .confirm, .invalid, .pass, .fail: role == .inspector
        case .file, .reject, .cancel, .close: role == .shiftLead
        case .dispatch, .escalate, .approve, .refuse, .resume: role == .dispatcher
        case .handle, .requestReturn, .requestExtension, .requestSuspension: role == .department
        case .urge: role == .shiftLead || role == .supervisor
        case .reassign: role == .shiftLead || role == .dispatcher
        case .returnToDistrict: role == .dispatcher
        }
    }

    /// Whether the action starts from `state` (every action needs an open case).
    public func starts(from state: CaseState) -> Bool {
        guard state.isOpen else { return false }
        switch self {
        case .accept: return state == .reported
        case .verify: return state == .reported || state == .accepted
        case .confirm, .invalid: return state == .verifying
        case .file: return state == .accepted
        case .reject, .cancel, .urge: return true
        case .merge: return state.isBeforeFiling
        case .dispatch: return state == .filed
        case .escalate: return state == .filed || state == .dispatched
        case .handle, .requestReturn, .requestExtension, .requestSuspension, .approve, .refuse: return state == .dispatched
        case .resume: return state == .suspended
        case .check: return state == .handled
        case .pass, .fail: return state == .checking
        case .close: return state == .checked
        case .reassign: return state == .verifying || state == .checking || state == .dispatched
        case .returnToDistrict: return state == .filed || state == .dispatched
        }
    }

    /// A request a department raises, waiting for the dispatcher.
    public var requestKind: RequestKind? {
        switch self {
        case .requestReturn: .return
        case .requestExtension: .extension
        case .requestSuspension: .suspension
        default: nil
        }
    }
}

/// A department's pending request on a dispatched case.
public enum RequestKind: String, Sendable, Codable, CaseIterable {
    case `return`, `extension`, suspension
}
