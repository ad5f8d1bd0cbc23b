import Curses
import Foundation
import GRDB
import Testing
@testable import ConsoleApp
@testable import Workflow

/// A seeded demo city switched to `signed`, with a password for one operator.
enum SignedSite {
    static let password = "correct horse 7"

    /// The store, signed in as `login` unless `signedIn` is false. `password`: give `login` one.
    static func store(login: String = "city-intake-1", password: Bool = true, signedIn: Bool = true) throws -> CityStore {
        let store = try ConsoleFixture.store()
        if password {
            // Set on the open demo site, as the operator themself; then the site goes live.
            try store.setPassword(of: login, to: Self.password, by: login, at: ConsoleFixture.now)
        }
        try store.writer.write { db in try db.execute(sql: "UPDATE site SET value = 'signed' WHERE key = 'access'") }
        if signedIn {
            let op = try store.findOperator(login)
            store.signIn(SignedIn(operatorID: op.id, login: op.login, via: password ? .password : .unix("someone")))
        }
        return store
    }
}

/// A hand-moved monotonic clock for the idle lock and the disabled-operator poll.
final class ManualUptime: @unchecked Sendable {
    var now: TimeInterval = 1000
}

/// The sign-in screen's state machine: no store, no terminal.
@Suite struct SignInUpdateTests {

    @Test func typingTabAndEnterSubmitThenTheFieldIsEmpty() {
        var s = SignInState.signIn()
        #expect(s.field == .login)
        for c in "city-lead-1" { _ = SignInUpdate.handle(.character(c), &s) }
        #expect(SignInUpdate.handle(.enter, &s) == .none, "Enter on the login moves to the password")
        #expect(s.field == .password)
        for c in "pa ss" { _ = SignInUpdate.handle(.character(c), &s) }
        _ = SignInUpdate.handle(.backspace, &s)
        #expect(s.password == "pa s")
        #expect(SignInUpdate.handle(.enter, &s) == .submit(login: "city-lead-1", password: "pa s"))
        #expect(s.password.isEmpty, "the password leaves the state once sent")
        SignInUpdate.refused(&s, .notAccepted)
        #expect(s.message == .notAccepted && s.field == .password && s.login == "city-lead-1")
        _ = SignInUpdate.handle(.tab, &s)
        #expect(s.field == .login)
        _ = SignInUpdate.handle(.ctrl("u"), &s)
        #expect(s.login.isEmpty)
        #expect(SignInUpdate.handle(.enter, &s) == .none)
        #expect(s.message == .enterLogin)
    }

    @Test func aLoginHasNoSpacesAndBothFieldsAreBounded() {
        var s = SignInState.signIn()
        _ = SignInUpdate.handle(.character(" "), &s)
        #expect(s.login.isEmpty)
        for _ in 0..<200 { _ = SignInUpdate.handle(.character("a"), &s) }
        #expect(s.login.count == SignInState.maxLogin)
        s.field = .password
        for _ in 0..<400 { _ = SignInUpdate.handle(.character("b"), &s) }
        #expect(s.password.count == SignInState.maxPassword)
        #expect(SignInUpdate.handle(.enter, &s) == .submit(login: String(repeating: "a", count: 64), password: String(repeating: "b", count: 256)))
    }

    @Test func quitKeys() {
        var s = SignInState.signIn()
        #expect(SignInUpdate.handle(.character("q"), &s) == .none, "q is a letter of a login")
        #expect(s.login == "q")
        #expect(SignInUpdate.handle(.ctrl("c"), &s) == .quit)
        #expect(SignInUpdate.handle(.ctrl("q"), &s) == .quit)
        #expect(SignInUpdate.handle(.escape, &s) == .quit)

        var lock = SignInState.locked(login: "city-lead-1", hasPassword: true)
        _ = SignInUpdate.handle(.character("x"), &lock)
        #expect(SignInUpdate.handle(.escape, &lock) == .none, "Esc at the lock only clears the password")
        #expect(lock.password.isEmpty)
        #expect(SignInUpdate.handle(.ctrl("c"), &lock) == .quit)

        var bare = SignInState.locked(login: "city-lead-1", hasPassword: false)
        #expect(SignInUpdate.handle(.enter, &bare) == .none, "no key press lifts a lock without a password")
        #expect(SignInUpdate.handle(.character("x"), &bare) == .none)
        #expect(SignInUpdate.handle(.character("q"), &bare) == .quit)
    }

    @Test func theLockKeepsItsLogin() {
        var s = SignInState.locked(login: "city-lead-1", hasPassword: true)
        _ = SignInUpdate.handle(.tab, &s)
        #expect(s.field == .password, "the login field cannot be reached")
        _ = SignInUpdate.handle(.ctrl("u"), &s)
        _ = SignInUpdate.handle(.backspace, &s)
        for c in "other" { _ = SignInUpdate.handle(.character(c), &s) }
        #expect(s.login == "city-lead-1" && s.password == "other")
        #expect(SignInUpdate.handle(.enter, &s) == .submit(login: "city-lead-1", password: "other"))
        var empty = SignInState.locked(login: "city-lead-1", hasPassword: true)
        #expect(SignInUpdate.handle(.enter, &empty) == .none)
        #expect(empty.message == .enterPassword)
    }
}

@Suite struct SignInViewTests {

    @Test func thePasswordIsNeverDrawnAndMessagesFollowTheLanguage() {
        var s = SignInState.signIn(login: "city-lead-1")
        s.password = "hunter2"
        let en = ConsoleFixture.text(SignInView.screen(s, lang: .en, theme: .default, width: 80, height: 24))
        #expect(en.contains("Sign in") && en.contains("city-lead-1") && en.contains("•••••••"))
        #expect(!en.contains("hunter2"))
        SignInUpdate.refused(&s, .notAccepted)
        #expect(ConsoleFixture.text(SignInView.screen(s, lang: .en, theme: .default, width: 80, height: 24)).contains("Login or password not accepted"))
        #expect(ConsoleFixture.text(SignInView.screen(s, lang: .zh, theme: .default, width: 80, height: 24)).contains("登录名或密码未通过"))
        SignInUpdate.refused(&s, .locked)
        #expect(ConsoleFixture.text(SignInView.screen(s, lang: .en, theme: .default, width: 80, height: 24))
            .contains("This login is locked for a minute after 5 failed attempts"))
        let lock = ConsoleFixture.text(SignInView.screen(.locked(login: "city-lead-1", hasPassword: true), lang: .en, theme: .default, width: 80, height: 24))
        #expect(lock.contains("Locked for city-lead-1") && lock.contains("Another operator"))
        let bare = ConsoleFixture.text(SignInView.screen(.locked(login: "city-lead-1", hasPassword: false), lang: .zh, theme: .default, width: 80, height: 24))
        #expect(bare.contains("重新连接"))
    }

    @Test func everySizeDrawsWithoutACrash() {
        var s = SignInState.signIn(login: String(repeating: "长", count: 40))
        s.password = String(repeating: "x", count: 200)
        s.message = .failure(String(repeating: "long failure ", count: 20))
        for mode in [SignInState.Mode.signIn, .locked, .lockedNoPassword] {
            s.mode = mode
            for (w, h) in [(0, 0), (1, 1), (19, 4), (20, 5), (21, 6), (30, 8), (44, 10), (45, 13), (80, 24), (300, 3)] {
                for lang in Language.allCases {
                    let frame = SignInView.screen(s, lang: lang, theme: .default, width: w, height: h)
                    #expect(frame.lines().count == h)
                    #expect(!ConsoleFixture.text(frame).contains("xxxx"))
                }
            }
        }
    }
}

@Suite struct IdleLockTests {

    @Test func theEnvironmentCanOnlyMakeTheLockStricter() {
        #expect(IdleLock.limit(siteMinutes: 15, environment: [:]) == 900)
        #expect(IdleLock.limit(siteMinutes: 15, environment: ["CITYGRID_IDLE_LOCK_SECONDS": "3"]) == 3)
        #expect(IdleLock.limit(siteMinutes: 15, environment: ["CITYGRID_IDLE_LOCK_SECONDS": "5000"]) == 900)
        #expect(IdleLock.limit(siteMinutes: 0, environment: [:]) == nil)
        #expect(IdleLock.limit(siteMinutes: 0, environment: ["CITYGRID_IDLE_LOCK_SECONDS": "30"]) == 30)
        for junk in ["0", "-4", "soon", ""] {
            #expect(IdleLock.limit(siteMinutes: 15, environment: ["CITYGRID_IDLE_LOCK_SECONDS": junk]) == 900)
        }
        #expect(IdleLock(limit: 10, lastKey: 100).isDue(at: 109) == false)
        #expect(IdleLock(limit: 10, lastKey: 100).isDue(at: 110))
        #expect(IdleLock(limit: nil, lastKey: 0).isDue(at: 1e9) == false)
    }
}

/// The console engine on a signed site: the idle lock, resuming, operator switching, a disabled operator.
@Suite struct SignedConsoleTests {

    static func engine(_ store: CityStore, as login: String = "city-intake-1", lang: Language = .en) throws -> (ConsoleEngine, ManualUptime) {
        let engine = try ConsoleFixture.engine(as: login, lang: lang, store: store)
        let clock = ManualUptime()
        engine.uptime = { clock.now }
        engine.idle.lastKey = clock.now
        return (engine, clock)
    }

    @Test func idleLocksWithoutLosingTheFormAndTheSamePasswordResumes() throws {
        let store = try SignedSite.store()
        let (engine, clock) = try Self.engine(store)
        #expect(engine.idle.limit == 900, "the site's default 15 minutes")
        engine.press("n")
        engine.press("tab")
        engine.type("Exposed rubbish")
        let form = try #require(engine.state.form)
        let before = engine.screen
        #expect(before.contains("New report"))

        clock.now += 899
        engine.refresh(changed: false)
        #expect(engine.state.lock == nil)
        clock.now += 1
        engine.refresh(changed: false)
        let lock = try #require(engine.state.lock)
        #expect(lock.mode == .locked && lock.login == "city-intake-1")
        #expect(store.signedIn == nil, "nothing acts as the operator while locked")
        let locked = engine.screen
        #expect(locked.contains("Locked for city-intake-1") && !locked.contains("New report") && !locked.contains("Exposed rubbish"))

        engine.type("x")
        engine.press("esc")
        #expect(engine.state.form == form, "keys at the lock never reach the form")
        engine.type("wrong password")
        engine.press("enter")
        #expect(engine.state.lock?.message == .notAccepted)
        #expect(engine.screen.contains("Login or password not accepted"))
        engine.type(SignedSite.password)
        engine.press("enter")
        #expect(engine.state.lock == nil)
        #expect(engine.state.form == form, "the half-filled form is as it was")
        #expect(engine.screen.contains("New report") && engine.screen.contains("Exposed rubbish"))
        #expect(store.signedIn?.login == "city-intake-1" && store.signedIn?.via == .password)
        let events = try store.auditEvents(login: "city-intake-1").filter { $0.kind == .idleLock }.map(\.detail)
        #expect(events.count == 2 && events[0].hasPrefix("locked") && events[1] == "resumed")

        // A key resets the idle time.
        clock.now += 800
        engine.press("tab")
        clock.now += 800
        engine.refresh(changed: false)
        #expect(engine.state.lock == nil)
    }

    @Test func aKeyAfterTheIdleTimeLocksInsteadOfActing() throws {
        let (engine, clock) = try Self.engine(try SignedSite.store())
        clock.now += 901
        engine.press("n")
        #expect(engine.state.lock != nil && engine.state.form == nil)
    }

    @Test func withoutAPasswordTheLockOnlyQuits() throws {
        let store = try SignedSite.store(password: false)
        let (engine, clock) = try Self.engine(store, lang: .zh)
        clock.now += 900
        engine.refresh(changed: false)
        #expect(engine.state.lock?.mode == .lockedNoPassword)
        #expect(engine.screen.contains("重新连接"))
        engine.press("enter")
        #expect(engine.state.lock != nil && !engine.state.shouldQuit)
        #expect(engine.handle(.character("q")) == false)
    }

    @Test func theSiteSettingOfZeroTurnsTheLockOff() throws {
        let store = try SignedSite.store()
        try store.writer.write { db in
            try db.execute(sql: "INSERT INTO site(key, value) VALUES ('session.idle_lock_minutes', '0') ON CONFLICT(key) DO UPDATE SET value = '0'")
        }
        let (engine, clock) = try Self.engine(store)
        clock.now += 1e6
        engine.refresh(changed: false)
        #expect(engine.state.lock == nil)
        let open = try ConsoleFixture.engine()
        #expect(open.idle.limit == nil, "an open (demo) site never locks")
    }

    @Test func aSignedSiteOffersNoOperatorSwitching() throws {
        let (engine, _) = try Self.engine(try SignedSite.store())
        engine.state.demo = true
        engine.press("f2")
        #expect(engine.state.overlay == nil)
        #expect(engine.state.status?.text.contains("signed in as city-intake-1") == true)
        engine.execute(.switchOperator("city-lead-1"))
        #expect(engine.state.viewer.login == "city-intake-1")
        engine.state.lang = .zh
        engine.runCommand("as city-lead-1")
        #expect(engine.state.viewer.login == "city-intake-1")
        #expect(engine.state.status?.text.contains("不能切换操作员") == true)
        #expect(!engine.screen.contains("[DEMO]") && !engine.screen.contains("[演示]"), "a signed site is no demo")
    }

    @Test func anOpenSiteIsMarkedAsADemo() throws {
        #expect(try ConsoleFixture.engine().screen.contains("[DEMO]"))
        #expect(try ConsoleFixture.engine(lang: .zh).screen.contains("[演示]"))
    }

    @Test func aDisabledOperatorsConsoleClosesAtTheNextPoll() throws {
        let store = try SignedSite.store()
        let (engine, clock) = try Self.engine(store)
        engine.press("n")
        try store.writer.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'city-intake-1'") }
        clock.now += 1
        // The run loop stops at the next idle tick, leaving the keys queued after it unread.
        let terminal = FakeTerminal(rows: 40, cols: 120)
        terminal.enqueueTimeout(count: 2)
        terminal.enqueue(names: "tab tab")
        try ConsoleRunLoop.run(engine, on: terminal, watcher: nil)
        #expect(engine.state.closing == .operatorDisabled)
        #expect(terminal.pendingKeyCount == 3, "one tick read; the next tick and both keys left")
        #expect(ConsoleClosing.operatorDisabled.message(.en) == "Your operator account was disabled by an administrator; the console has closed.")
        #expect(engine.handle(.character("j")) == false, "nothing more is done")
    }

    @Test func aKeyAlsoFindsTheOperatorDisabled() throws {
        let store = try ConsoleFixture.store()
        let engine = try ConsoleFixture.engine(as: "city-lead-1", store: store)
        let clock = ManualUptime()
        engine.uptime = { clock.now }
        try store.writer.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'city-lead-1'") }
        clock.now += 2
        #expect(engine.handle(.character("j")) == false)
        #expect(engine.state.closing == .operatorDisabled)
    }
}

/// Who the console opens as, and the sign-in screen run on a fake terminal.
@Suite struct ConsoleSignInTests {

    @Test func theSiteDecidesWhoTheConsoleIsFor() throws {
        let open = try ConsoleFixture.store()
        #expect(try ConsoleSession.start(store: open, requested: "city-lead-1") == .viewer("city-lead-1"))
        #expect(throws: WorkflowError.self) { try ConsoleSession.start(store: open, requested: nil) }

        let nobody = try SignedSite.store(signedIn: false)
        #expect(try ConsoleSession.start(store: nobody, requested: nil) == .signInScreen(login: nil))
        #expect(try ConsoleSession.start(store: nobody, requested: "city-lead-1") == .signInScreen(login: "city-lead-1"))

        let signed = try SignedSite.store()
        #expect(try ConsoleSession.start(store: signed, requested: nil) == .viewer("city-intake-1"))
        #expect(try ConsoleSession.start(store: signed, requested: "city-intake-1") == .viewer("city-intake-1"))
        do {
            _ = try ConsoleSession.start(store: signed, requested: "city-lead-1")
            Issue.record("naming someone else was not refused")
        } catch {
            #expect(error.exitCode == 3 && error.description.contains("signed in as city-intake-1"))
        }
    }

    @Test func aWrongPasswordIsRefusedThenTheRightOneSignsIn() throws {
        let store = try SignedSite.store(signedIn: false)
        let terminal = FakeTerminal(rows: 24, cols: 80)
        for c in "city-intake-1" { terminal.enqueue(.character(c)) }
        terminal.enqueue(.tab)
        for c in "nope" { terminal.enqueue(.character(c)) }
        terminal.enqueue(.enter)
        terminal.resize(rows: 6, cols: 30)
        terminal.resize(rows: 24, cols: 80)
        for c in SignedSite.password { terminal.enqueue(.character(c)) }
        terminal.enqueue(.enter)
        let who = try ConsoleSignIn.run(store: store, on: terminal, login: nil, lang: .en, theme: .default, clock: { ConsoleFixture.now })
        #expect(who?.login == "city-intake-1" && who?.via == .password)
        let frames = terminal.presentedFrames.map(ConsoleFixture.text)
        #expect(frames.contains { $0.contains("Login or password not accepted") })
        #expect(!frames.contains { $0.contains("nope") || $0.contains(SignedSite.password) }, "a password is never drawn")
        let kinds = try store.auditEvents(login: "city-intake-1").map(\.kind)
        #expect(kinds.suffix(2) == [.signInFailed, .signIn])
    }

    @Test func fiveFailuresLockTheLoginAndQuittingReturnsNobody() throws {
        let store = try SignedSite.store(signedIn: false)
        for attempt in 1...5 {
            let result = ConsoleSignIn.attempt(store, login: "city-intake-1", password: "guess \(attempt)", at: ConsoleFixture.now)
            #expect(result == .failure(attempt < 5 ? .notAccepted : .locked))
        }
        #expect(ConsoleSignIn.attempt(store, login: "city-intake-1", password: SignedSite.password, at: ConsoleFixture.now) == .failure(.locked),
                "even the right password waits out the lock")
        #expect(ConsoleSignIn.attempt(store, login: "city-intake-1", password: SignedSite.password, at: ConsoleFixture.now.addingTimeInterval(61))
            .map(\.login) == .success("city-intake-1"))

        let terminal = FakeTerminal(rows: 3, cols: 10)
        terminal.enqueue(.character("a"), .ctrl("c"), .character("b"))
        #expect(try ConsoleSignIn.run(store: store, on: terminal, login: nil, lang: .zh, theme: .default, clock: { ConsoleFixture.now }) == nil)
        #expect(terminal.pendingKeyCount == 1)
        #expect(store.signedIn == nil)
    }
}
