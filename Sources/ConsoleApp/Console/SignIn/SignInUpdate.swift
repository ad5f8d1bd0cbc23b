import Curses

/// Keys to the sign-in screen's state. Pure: the store is asked by whoever runs the screen (`SignInScreen` before the
/// console starts, `ConsoleEngine` at the idle lock) when this returns `.submit`.
///
/// Keys: typed characters go into the focused field; Tab/↑/↓ switch fields; Backspace and Ctrl-U edit; Enter moves
/// from the login to the password, then submits. Ctrl-C or Ctrl-Q quits; so does Esc on the first sign-in screen (at
/// the idle lock Esc only clears the password: an accidental Esc must not close someone's console). `q` is a letter
/// of a login or password here, so it quits only on the lock screen that has no field (`lockedNoPassword`).
enum SignInUpdate {

    static func handle(_ key: Key, _ s: inout SignInState) -> SignInOutcome {
        switch key {
        case .ctrl("c"), .ctrl("q"):
            return .quit
        default:
            break
        }
        if s.mode == .lockedNoPassword {
            switch key {
            case .character("q"), .character("Q"), .escape: return .quit
            default: return .none
            }
        }
        switch key {
        case .escape:
            if s.mode == .signIn { return .quit }
            s.password = ""
            return .none
        case .tab, .backTab, .up, .down:
            if s.mode == .signIn { s.field = s.field == .login ? .password : .login }
            return .none
        case .backspace:
            if s.field == .login, s.mode == .signIn, !s.login.isEmpty { s.login.removeLast() }
            if s.field == .password, !s.password.isEmpty { s.password.removeLast() }
            return .none
        case .ctrl("u"):
            if s.field == .login, s.mode == .signIn { s.login = "" } else { s.password = "" }
            return .none
        case .character(let c):
            guard !c.isNewline else { return .none }
            if s.field == .login, s.mode == .signIn {
                // A login has no spaces; a password may.
                guard !c.isWhitespace, s.login.count < SignInState.maxLogin else { return .none }
                s.login.append(c)
            } else if s.password.count < SignInState.maxPassword {
                s.password.append(c)
            }
            return .none
        case .enter:
            return enter(&s)
        default:
            return .none
        }
    }

    private static func enter(_ s: inout SignInState) -> SignInOutcome {
        if s.login.isEmpty {
            s.field = .login
            s.message = .enterLogin
            return .none
        }
        if s.field == .login && s.password.isEmpty {
            s.field = .password
            return .none
        }
        if s.password.isEmpty {
            s.field = .password
            s.message = .enterPassword
            return .none
        }
        let outcome = SignInOutcome.submit(login: s.login, password: s.password)
        // The password leaves the state as soon as it is sent: a refusal starts from an empty field.
        s.password = ""
        return outcome
    }

    /// The store refused: say so, keep the login, focus the (emptied) password.
    static func refused(_ s: inout SignInState, _ refusal: SignInRefusal) {
        s.failures += 1
        s.password = ""
        s.field = .password
        switch refusal {
        case .notAccepted: s.message = .notAccepted
        case .locked: s.message = .loginLocked
        case .failure(let text): s.message = .failure(text)
        }
    }
}
