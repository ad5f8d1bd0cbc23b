/// The actions on an existing case, by the name the CLI takes (`citygrid case ACTION ID`).
public enum CaseAction: String, Sendable, Codable, CaseIterable {
    case accept, verify, confirm, invalid, file, reject, dispatch, escalate, handle
    case requestReturn = "request-return"
    case requestExtension = "request-extension"
    case requestSuspension = "request-suspension"
    case approve, refuse, resume, check, pass, fail, close, cancel, merge, urge

    /// The role allowed to take the action. `urge` is the one action two roles share.
    public var roles: Set<Role> {
        switch self {
        case .accept, .verify, .merge, .check: [.intake]
        case .confirm, .invalid, .pass, .fail: [.inspector]
        case .file, .reject, .cancel, .close: [.shiftLead]
        case .dispatch, .escalate, .approve, .refuse, .resume: [.dispatcher]
        case .handle, .requestReturn, .requestExtension, .requestSuspension: [.department]
        case .urge: [.shiftLead, .supervisor]
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
        }
    }

    /// Actions that need a `--to` target.
    public var needsTarget: Bool { [.verify, .dispatch, .check, .merge].contains(self) }

    /// Actions that need a reason in `--note`.
    public var needsNote: Bool { [.reject, .cancel].contains(self) }

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
