/// Every refusal names the rule that refused. The CLI prints `description` as its one stderr line and
/// maps the kind to an exit code.
public enum WorkflowError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The actor's role, center, region or assignment does not allow the action.
    case forbidden(String)
    /// The case is not in a state the action starts from, or a pending request blocks it.
    case wrongState(String)
    /// An id, code or login that does not exist (or is outside the actor's region).
    case notFound(String)
    /// Input that can never be right: malformed time, bad code, missing reason, oversize text.
    case invalidInput(String)
    /// The database cannot be used: locked too long, newer schema, missing file, I/O.
    case storage(String)
    /// A refusal each front end words itself (see `Refusal`): a missing argument, a fix naming another action.
    case refusal(Refusal)

    public var description: String { description(wording: \.text) }

    /// The error with a front end's wording of the typed refusals (`Refusal`): the CLI names its flags.
    public func description(wording: (Refusal) -> String) -> String {
        switch self {
        case .forbidden(let m): "refused: \(m)"
        case .wrongState(let m): "refused: \(m)"
        case .notFound(let m): "not found: \(m)"
        case .invalidInput(let m): "invalid input: \(m)"
        case .storage(let m): "database: \(m)"
        case .refusal(let r): "\(r.kind.prefix): \(wording(r))"
        }
    }

    /// The message without its kind ("refused: ", "invalid input: "…).
    public var message: String {
        switch self {
        case .forbidden(let m), .wrongState(let m), .notFound(let m), .invalidInput(let m), .storage(let m): m
        case .refusal(let r): r.text
        }
    }

    /// Exit codes are part of the CLI contract (README, "Exit codes").
    public var exitCode: Int32 {
        switch self {
        case .forbidden: 3
        case .wrongState: 4
        case .notFound: 5
        case .invalidInput: 2
        case .storage: 6
        case .refusal(let r):
            switch r.kind {
            case .input: 2
            case .forbidden: 3
            case .state: 4
            case .storage: 6
            }
        }
    }
}

extension Refusal.Kind {
    /// What a message of this kind starts with, as `WorkflowError.description` prints it.
    public var prefix: String {
        switch self {
        case .input: "invalid input"
        case .forbidden, .state: "refused"
        case .storage: "database"
        }
    }
}
