/// The sign-in screen (docs/security.md): what a console on a `signed` site shows when nobody is signed in yet, and
/// what it locks to after `session.idle_lock_minutes` without a key. While the console is locked, everything behind
/// the screen (the panes, a half-filled form, the command line) is kept as it was and only hidden.
struct SignInState: Sendable, Equatable {
    enum Mode: Sendable, Equatable {
        /// Nobody is signed in: a login and a password.
        case signIn
        /// Locked after idle time: the login is fixed, and only that operator's password resumes.
        case locked
        /// Locked, and the operator has no password to resume with (signed in by a bound Unix account or an SSH
        /// key): a lock that a key press could lift would be no lock, so the only way on is to quit and reconnect.
        case lockedNoPassword
    }

    enum Field: Sendable, Equatable { case login, password }

    /// What the screen says under the fields, worded in the console's language by `SignInView`.
    enum Message: Sendable, Equatable {
        case enterLogin
        case enterPassword
        /// The store's one refusal for every reason (`CityStore.notAccepted`).
        case notAccepted
        /// Refused, and the login is now locked after too many failures in a row.
        case loginLocked
        /// Something other than a refusal went wrong (the database), word for word.
        case failure(String)
    }

    var mode: Mode
    var login: String
    var password = ""
    var field: Field
    var message: Message?
    /// Refused attempts at this screen, shown so the one typing sees a retry was counted.
    var failures = 0

    static let maxLogin = 64
    static let maxPassword = 256

    /// The first screen of a console on a signed site; `login` prefilled (the password focused) when one was named.
    static func signIn(login: String? = nil) -> SignInState {
        let name = String((login ?? "").prefix(maxLogin))
        return SignInState(mode: .signIn, login: name, field: name.isEmpty ? .login : .password)
    }

    /// The idle lock of `login`'s console.
    static func locked(login: String, hasPassword: Bool) -> SignInState {
        SignInState(mode: hasPassword ? .locked : .lockedNoPassword, login: login, field: .password)
    }

    var isLock: Bool { mode != .signIn }
}

/// What a key on the sign-in screen asks the one running it to do.
enum SignInOutcome: Sendable, Equatable {
    case none
    /// Check this login and password with the store (`CityStore.signIn(login:password:address:at:)`).
    case submit(login: String, password: String)
    case quit
}

/// Why the store did not sign someone in, as the screen words it.
enum SignInRefusal: Error, Sendable, Equatable {
    case notAccepted
    case locked
    case failure(String)
}
