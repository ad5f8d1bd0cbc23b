import ArgumentParser
import Curses
import Foundation
import Workflow

/// Who a console is for, decided by the site (docs/security.md), and how it ends when it closes itself.
enum ConsoleSession {
    enum Start: Equatable {
        /// The console opens as this operator.
        case viewer(String)
        /// A signed site with nobody signed in: the sign-in screen first, its login prefilled when one was named.
        case signInScreen(login: String?)
    }

    /// On an open site the operator named; on a signed one the operator the process signed in (naming anyone else
    /// is refused, exit 3 "signed in as X"), or, with nobody signed in, the sign-in screen.
    static func start(store: CityStore, requested: String?) throws(WorkflowError) -> Start {
        let requested = requested.flatMap { $0.isEmpty ? nil : $0 }
        // Signed in by the program (serve-ssh's session, even on an open site): that operator and nobody else.
        if store.signedIn != nil { return .viewer(try store.actor(requested).login) }
        guard try store.accessMode() == .signed else {
            guard let requested else { throw .invalidInput("this is an open (demo) site: name the operator with --as LOGIN") }
            return .viewer(requested)
        }
        guard store.signedIn != nil else { return .signInScreen(login: requested) }
        return .viewer(try store.actor(requested).login)
    }

    /// Runs the sign-in screen on `terminal`, timed by the session's clock; on success the store is signed in as the
    /// operator, who is returned. Nil when the one at the screen quit.
    static func signIn(store: CityStore, login: String?, on terminal: any TerminalDevice, options: ConsoleOptions,
                       clock: any WallClock) throws -> SignedIn? {
        let theme = Theme.load(nameOrPath: options.theme, searchDirectories: ThemeFiles.searchDirectories()).theme
        guard let who = try ConsoleSignIn.run(store: store, on: terminal, login: login, lang: options.lang, theme: theme,
                                              clock: { clock.now() }) else {
            return nil
        }
        store.signIn(who)
        return who
    }

    /// After the terminal is restored: a console that closed itself says why, in its language, and exits 3.
    static func finish(_ engine: ConsoleEngine) throws {
        guard let closing = engine.state.closing else { return }
        FileHandle.standardError.write(Data(("citygrid: " + closing.message(engine.state.lang) + "\n").utf8))
        throw ExitCode(3)
    }
}
