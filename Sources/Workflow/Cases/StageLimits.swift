/// The clock of each stage other than handling, whose limit comes from the category.
/// Defaults follow the primer (section 6): 30 minutes for accept, verify, check; an hour to dispatch.
/// All are site configuration (`site` table keys `limit.<stage>`), in working minutes.
public struct StageLimits: Sendable, Equatable, Codable {
    public var accept: Int = 30
    public var verify: Int = 30
    public var file: Int = 30
    public var dispatch: Int = 60
    /// From the department's report to sending an inspector to check it.
    public var assignCheck: Int = 30
    public var check: Int = 30
    public var close: Int = 30

    public init() {}

    public static let keys = ["accept", "verify", "file", "dispatch", "assign-check", "check", "close"]

    public subscript(key: String) -> Int? {
        get {
            switch key {
            case "accept": accept
            case "verify": verify
            case "file": file
            case "dispatch": dispatch
            case "assign-check": assignCheck
            case "check": check
            case "close": close
            default: nil
            }
        }
        set {
            guard let newValue else { return }
            switch key {
            case "accept": accept = newValue
            case "verify": verify = newValue
            case "file": file = newValue
            case "dispatch": dispatch = newValue
            case "assign-check": assignCheck = newValue
            case "check": check = newValue
            case "close": close = newValue
            default: break
            }
        }
    }

    /// The minutes a stage other than handling may take, by the state the case waits in.
    public func minutes(waitingIn state: CaseState) -> Int? {
        switch state {
        case .reported: accept
        case .verifying: verify
        case .accepted: file
        case .filed: dispatch
        case .handled: assignCheck
        case .checking: check
        case .checked: close
        case .dispatched, .closed, .cancelled, .suspended: nil
        }
    }
}
