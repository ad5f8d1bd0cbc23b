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
    /// A supervisor marks the case to come first among equals in every queue (优先), and clears the mark.
    case prioritize, deprioritize

    /// The roles allowed to take the action (from `spec`). `urge` and `reassign` are the actions two roles share.
    public var roles: Set<Role> { Set(spec.roles.roles) }

    /// The states the action starts from (from `spec`). `nil` means any open state.
    public var fromStates: Set<CaseState>? { spec.from.map { Set($0.states) } }

    /// Actions refused without a target (from `spec`).
    public var needsTarget: Bool { spec.target.isRequired }

    /// Actions refused without a note: a reason, or for `return-to-district` the instructions (from `spec`).
    public var needsNote: Bool { spec.note.required }

    /// Whether `role` may take the action: bits of the table, no allocation, since it runs on every transition.
    public func allows(_ role: Role) -> Bool { spec.roles.contains(role) }

    /// Whether the action starts from `state` (every action needs an open case).
    public func starts(from state: CaseState) -> Bool {
        guard state.isOpen else { return false }
        return spec.from?.contains(state) ?? true
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
