import Foundation
import GRDB
import Testing
@testable import Workflow

/// The real binary on a signed site, in tmux (private sockets): the sign-in screen, the failure lock, the idle lock
/// with a half-filled form, a disabled operator's console closing; and the demo marker on an open site. The console
/// runs as root, which no seed-demo operator is bound to, so nobody is signed in when it starts.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct SignInConsoleTests {

    /// A copy of the demo city gone live: `login` has the password `SignedSite.password`, and the site is `signed`.
    static func signedCopy(password login: String = "city-intake-1") throws -> String {
        let db = try CLI.demoCopy()
        let store = try CityStore.open(path: db)
        try store.setPassword(of: login, to: SignedSite.password, by: login, at: Date())
        try store.writer.write { db in try db.execute(sql: "UPDATE site SET value = 'signed' WHERE key = 'access'") }
        return db
    }

    static func console(_ db: String, lang: String = "en", environment: String = "", extra: String = "") -> String {
        "env LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=\(CLI.now) HOME=/tmp \(environment) \(CLI.binary.path) console --db \(db) --lang \(lang) \(extra); "
            + "echo EXITED $?; sleep 30"
    }

    /// Signs in at the screen with the right password and waits for the console.
    static func signIn(_ tmux: TmuxSession, login: String = "city-intake-1") throws {
        try tmux.waitFor("Sign in")
        try tmux.type(login)
        try tmux.send("Tab")
        try tmux.type(SignedSite.password)
        try tmux.send("Enter")
        try tmux.waitFor("the console as \(login)") { $0.contains("Queue") && $0.contains(login) && !$0.contains("Sign in") }
    }

    @Test func aWrongPasswordIsRefusedThenTheRightOneOpensTheConsole() throws {
        let db = try Self.signedCopy()
        let tmux = try TmuxSession(command: Self.console(db))
        let first = try tmux.waitFor("Sign in")
        #expect(first.contains("Login") && first.contains("Password") && !first.contains("[DEMO]"))
        try tmux.type("city-intake-1")
        try tmux.send("Tab")
        try tmux.type("not-my-password")
        try tmux.send("Enter")
        let refused = try tmux.waitFor("Login or password not accepted")
        #expect(!refused.contains("not-my-password"), "the password is never echoed")
        try tmux.type(SignedSite.password)
        try tmux.waitFor("bullets") { $0.contains(String(repeating: "•", count: SignedSite.password.count)) }
        try tmux.send("Enter")
        let console = try tmux.waitFor("the console") { $0.contains("Queue") && $0.contains("city-intake-1") }
        #expect(!console.contains("[DEMO]"), "a signed site is no demo")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
        let store = try CityStore.open(path: db)
        let kinds = try store.auditEvents(login: "city-intake-1").map(\.kind)
        #expect(kinds.suffix(2) == [.signInFailed, .signIn])
    }

    @Test func fiveFailuresLockTheLoginAndCtrlCQuits() throws {
        let db = try Self.signedCopy()
        let tmux = try TmuxSession(command: Self.console(db, lang: "zh"))
        try tmux.waitFor("登录名")
        try tmux.type("city-intake-1")
        try tmux.send("Tab")
        for attempt in 1...4 {
            try tmux.type("guess\(attempt)")
            try tmux.send("Enter")
            try tmux.waitFor(attempt == 1 ? "登录名或密码未通过" : "登录名或密码未通过 (\(attempt))")
        }
        try tmux.type("guess5")
        try tmux.send("Enter")
        try tmux.waitFor("连续 5 次失败，该登录名已锁定 1 分钟")
        // Locked: even the right password is turned away for the minute.
        try tmux.type(SignedSite.password)
        try tmux.send("Enter")
        let store = try CityStore.open(path: db)
        let deadline = Date().addingTimeInterval(10)
        while try store.auditEvents(login: "city-intake-1").filter({ $0.kind == .signInFailed }).count < 6, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        let failures = try store.auditEvents(login: "city-intake-1").filter { $0.kind == .signInFailed }
        #expect(failures.count == 6 && failures.last?.detail.hasPrefix("locked") == true)
        #expect(try store.auditEvents(login: "city-intake-1").contains { $0.kind == .locked })
        let still = try tmux.screen()
        #expect(still.contains("已锁定 1 分钟") && still.contains("登录名"), "the right password waits out the lock")
        try tmux.send("C-c")
        try tmux.waitFor("EXITED 0")
    }

    @Test func theIdleLockKeepsAHalfFilledFormAndThePasswordResumesIt() throws {
        let db = try Self.signedCopy()
        let tmux = try TmuxSession(command: Self.console(db, environment: "CITYGRID_IDLE_LOCK_SECONDS=3"))
        try Self.signIn(tmux)
        try tmux.send("n")
        try tmux.waitFor("New report")
        try tmux.send("Tab")
        try tmux.type("Exposed rubbish")
        try tmux.waitFor("Exposed rubbish")
        let locked = try tmux.waitFor("Locked for city-intake-1", seconds: 10)
        #expect(!locked.contains("New report") && !locked.contains("Exposed rubbish"), "nothing behind the lock shows")
        try tmux.type("wrong")
        try tmux.send("Enter")
        try tmux.waitFor("Login or password not accepted")
        try tmux.type(SignedSite.password)
        try tmux.send("Enter")
        let resumed = try tmux.waitFor("the form again") { $0.contains("New report") && !$0.contains("Locked for") }
        #expect(resumed.contains("Exposed rubbish"), "the half-filled form is intact")
        let store = try CityStore.open(path: db)
        let details = try store.auditEvents(login: "city-intake-1").filter { $0.kind == .idleLock }.map(\.detail)
        #expect(details.first?.hasPrefix("locked after 3 s") == true && details.contains("resumed"), "\(details)")
    }

    @Test func disablingTheOperatorClosesTheirConsoleWithAMessage() throws {
        let db = try Self.signedCopy()
        let tmux = try TmuxSession(command: Self.console(db))
        try Self.signIn(tmux)
        let store = try CityStore.open(path: db)
        try store.writer.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'city-intake-1'") }
        let after = try tmux.waitFor("EXITED 3", seconds: 5)
        #expect(after.contains("Your operator account was disabled by an administrator; the console has closed."))
    }

    @Test func anOpenSiteIsMarkedAsADemo() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: Self.console(db, extra: "--as city-dispatcher-1"))
        try tmux.waitFor("[DEMO]")
        try tmux.send("F3")
        try tmux.waitFor("[演示]")
        try tmux.send("q")
        try tmux.waitFor("EXITED 0")
    }
}
