import Foundation

/// How a site decides who is acting (docs/security.md).
public enum AccessMode: String, Sendable, Codable, CaseIterable {
    /// Any caller may name any operator (`--as`): demo and training sites, what `seed-demo` and `demo` create.
    case open
    /// Every command and console acts as the operator the program signed in: a bound Unix account, a password, an SSH
    /// key. What `init` creates.
    case signed
}

/// How an actor was identified: recorded on every history row (`via`) and in the audit.
public enum Via: Sendable, Hashable, Codable {
    /// Named with `--as` (or the console's operator list) on an `open` site.
    case demo
    /// The local Unix account the operator is bound to.
    case unix(String)
    /// The operator's password, at the console's sign-in screen or over SSH.
    case password
    /// An SSH public key: its SHA-256 fingerprint as OpenSSH prints it (`SHA256:…`).
    case ssh(String)
    /// An Open311 api key: its public prefix.
    case apiKey(String)
    /// The program itself: automatic escalation, channel reports.
    case system

    /// The stored form: `demo`, `unix:NAME`, `password`, `ssh:FINGERPRINT`, `api-key:PREFIX`, `system`.
    public var text: String {
        switch self {
        case .demo: "demo"
        case .unix(let name): "unix:\(name)"
        case .password: "password"
        case .ssh(let fingerprint): "ssh:\(fingerprint)"
        case .apiKey(let prefix): "api-key:\(prefix)"
        case .system: "system"
        }
    }

    public init?(text: String) {
        switch text {
        case "demo": self = .demo
        case "password": self = .password
        case "system": self = .system
        default:
            if text.hasPrefix("unix:") { self = .unix(String(text.dropFirst(5))) }
            else if text.hasPrefix("ssh:") { self = .ssh(String(text.dropFirst(4))) }
            else if text.hasPrefix("api-key:") { self = .apiKey(String(text.dropFirst(8))) }
            else { return nil }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(text)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let via = Via(text: text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown via '\(text)'")
        }
        self = via
    }
}

/// The operator a process acts as, and how it was identified. On a `signed` site a `CityStore` holds one
/// (`CityStore.signIn`) and every actor it resolves must be this operator.
public struct SignedIn: Sendable, Hashable {
    public var operatorID: Int64
    public var login: String
    public var via: Via

    public init(operatorID: Int64, login: String, via: Via) {
        self.operatorID = operatorID; self.login = login; self.via = via
    }
}

/// One row of the audit (`citygrid audit`): sign-ins, failures, locks, sessions and administration.
public struct AuditEvent: Sendable, Equatable, Codable {
    /// What happened. The values are a contract (`audit --json`).
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case signIn = "sign-in"
        case signInFailed = "sign-in-failed"
        case locked
        case signOut = "sign-out"
        case idleLock = "idle-lock"
        case refused
        case sessionStart = "session-start"
        case sessionEnd = "session-end"
        case operatorAdded = "operator-added"
        case operatorChanged = "operator-changed"
        case operatorDisabled = "operator-disabled"
        case operatorEnabled = "operator-enabled"
        case passwordSet = "password-set"
        case keyAdded = "key-added"
        case keyRemoved = "key-removed"
        case accessChanged = "access-changed"
        case siteChanged = "site-changed"
    }

    public var id: Int64
    public var at: Date
    public var kind: Kind
    /// The operator login the event is about (the one signing in, the one disabled…); nil when unknown.
    public var login: String?
    /// How the one who caused it was identified.
    public var via: String?
    /// The operator who did it, when someone other than `login` (an admin disabling an operator).
    public var by: String?
    /// Where from: an SSH client's address, `local`.
    public var address: String?
    public var detail: String

    public init(id: Int64 = 0, at: Date, kind: Kind, login: String?, via: String? = nil, by: String? = nil,
                address: String? = nil, detail: String = "") {
        self.id = id; self.at = at; self.kind = kind; self.login = login; self.via = via; self.by = by
        self.address = address; self.detail = detail
    }
}
