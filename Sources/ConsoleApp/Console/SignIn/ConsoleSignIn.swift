import Curses
import Foundation
import Workflow

/// The console's side of signing in: asking the store, and the screen shown before the console on a signed site.
enum ConsoleSignIn {
    /// Where a console's sign-ins come from, in the audit.
    static let address = "local console"

    /// Checks `login` and `password` with the store. The store gives one refusal for every reason; only after a
    /// refusal is it asked whether the login is now locked, so the screen can say to wait.
    static func attempt(_ store: any AccessStore, login: String, password: String, at now: Date) -> Result<SignedIn, SignInRefusal> {
        do throws(WorkflowError) {
            return .success(try store.signIn(login: login, password: password, address: address, at: now))
        } catch {
            guard case .forbidden = error else { return .failure(.failure(error.description)) }
            if let until = try? store.lockedUntil(login, at: now), until > now { return .failure(.locked) }
            return .failure(.notAccepted)
        }
    }

    /// Runs the sign-in screen until an operator signs in (returned) or the one at the terminal quits, or the
    /// terminal closes (nil). `login` prefills the login field.
    static func run(store: any AccessStore, on terminal: any TerminalDevice, login: String?, lang: Language, theme: Theme,
                    clock: () -> Date) throws -> SignedIn? {
        var state = SignInState.signIn(login: login)
        func draw() {
            let size = terminal.size
            terminal.present(SignInView.screen(state, lang: lang, theme: theme, width: size.cols, height: size.rows))
        }
        draw()
        while true {
            let key: Key?
            do {
                key = try terminal.readKey(timeoutMilliseconds: nil)
            } catch TerminalError.closed {
                return nil
            }
            guard let key else { continue }
            if key != .resize {
                switch SignInUpdate.handle(key, &state) {
                case .none:
                    break
                case .quit:
                    return nil
                case .submit(let login, let password):
                    switch attempt(store, login: login, password: password, at: clock()) {
                    case .success(let who): return who
                    case .failure(let refusal): SignInUpdate.refused(&state, refusal)
                    }
                }
            }
            draw()
        }
    }
}
