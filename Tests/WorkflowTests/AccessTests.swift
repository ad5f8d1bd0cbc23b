import Foundation
import GRDB
import Testing
@testable import Workflow

/// Issue 14, section 2 in the core: who is acting is decided by the store, never by the caller's choice of name.
@Suite struct AccessTests {
    let t0 = TestCity.monday9

    func signedCity() throws -> TestCity {
        let city = try TestCity()
        try city.store.writer.write { db in
            try db.execute(sql: "UPDATE site SET value = 'signed' WHERE key = 'access'")
            try db.execute(sql: "INSERT INTO operator(login, name, role, region_code, tier) VALUES ('admin', 'Admin', 'admin', '110000', 'city')")
        }
        return city
    }

    func signIn(_ store: CityStore, _ login: String, via: Via = .demo) throws {
        let op = try store.findOperator(login)
        store.signIn(SignedIn(operatorID: op.id, login: op.login, via: via))
    }

    @Test func passwordHashesRoundTripAndRefuseDamagedValues() throws {
        let hash = try PasswordHash.make("correct horse", rounds: 1 << 10)
        #expect(hash.matches("correct horse"))
        #expect(!hash.matches("correct hors"))
        #expect(!hash.matches(""))
        let parsed = try #require(PasswordHash(stored: hash.stored))
        #expect(parsed == hash && parsed.matches("correct horse"))
        #expect(hash.stored.hasPrefix("scrypt$1024$8$1$"))
        // Two hashes of one password differ: each has its own salt.
        #expect(try PasswordHash.make("correct horse", rounds: 1 << 10).stored != hash.stored)
        for damaged in ["", "scrypt", "bcrypt$1024$8$1$AAAAAAAAAAA=$AAAA", "scrypt$1000$8$1$c2FsdHNhbHQ=$" + String(repeating: "A", count: 44),
                        "scrypt$1024$8$1$!!$AAAA", "scrypt$4194305$8$1$c2FsdHNhbHQ=$AAAA", hash.stored + "$x"] {
            #expect(PasswordHash(stored: damaged) == nil, "\(damaged)")
        }
        #expect(throws: WorkflowError.self) { try PasswordHash.check("short") }
        #expect(throws: WorkflowError.self) { try PasswordHash.check("has\u{7}bell-in-it") }
    }

    @Test func anOpenSiteActsAsTheOperatorNamedAndRecordsDemo() throws {
        let city = try TestCity()
        #expect(try city.store.accessMode() == .open)
        let c = try city.report()
        let rows = try city.store.history(of: c.id)
        #expect(rows.map(\.entry.via) == ["demo"])
        #expect(try city.store.verifyHistory().findings.isEmpty)
    }

    @Test func aSignedSiteRefusesEveryoneButTheSignedInOperator() throws {
        let city = try signedCity()
        // Nobody signed in: refused, whoever is named.
        #expect(throws: WorkflowError.forbidden(CityStore.nobodySignedIn)) { try city.report() }
        try signIn(city.store, "insp-a", via: .unix("alice"))
        let c = try city.report(by: "insp-a")
        #expect(try city.store.history(of: c.id).last?.entry.via == "unix:alice")
        do {
            try city.report(by: "insp-a2")
            Issue.record("acting as another operator was allowed")
        } catch let error as WorkflowError {
            #expect(error == .forbidden("signed in as insp-a; acting as insp-a2 is not allowed") && error.exitCode == 3)
        }
        #expect(try city.store.actor(nil).login == "insp-a")
        #expect(try city.store.viewer(nil)?.login == "insp-a")
        #expect(throws: WorkflowError.self) { try city.store.viewer("city-lead") }
        // The chain still verifies with `via` in it, and changing a row's `via` outside is found.
        #expect(try city.store.verifyHistory().findings.isEmpty)
        try city.store.writer.write { db in
            try db.execute(sql: "DROP TRIGGER history_no_update")
            try db.execute(sql: "UPDATE history SET via = 'unix:mallory' WHERE case_id = ?", arguments: [c.id])
        }
        #expect(try city.store.verifyHistory(anchor: nil).findings.contains { $0.kind == .changedRow && $0.caseID == c.id })
    }

    @Test func aDisabledOperatorIsRefusedFromTheNextActionOn() throws {
        let city = try signedCity()
        try signIn(city.store, "insp-a")
        _ = try city.report(by: "insp-a")
        try city.store.writer.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'insp-a'") }
        #expect(throws: WorkflowError.forbidden("operator insp-a is disabled")) { try city.report(by: "insp-a") }
        #expect(try !city.store.operatorIsActive(try city.store.findOperatorEvenDisabledForTest("insp-a")))
        // On an open site too, and as a target.
        let open = try TestCity()
        try open.store.writer.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'insp-a2'") }
        #expect(throws: WorkflowError.forbidden("operator insp-a2 is disabled")) { try open.report(by: "insp-a2") }
    }

    @Test func onlyAnAdminChangesTheAccessModeAndItIsAudited() throws {
        let city = try TestCity()
        try city.store.writer.write { db in
            try db.execute(sql: "INSERT INTO operator(login, name, role, region_code, tier) VALUES ('admin', 'Admin', 'admin', '110000', 'city')")
        }
        #expect(throws: WorkflowError.forbidden("only an admin may do this; city-lead is a shift-lead")) {
            try city.store.setAccessMode(.signed, by: "city-lead", at: t0)
        }
        #expect(throws: WorkflowError.self) { try city.store.setAccessMode(.signed, by: nil, at: t0) }
        // Not while no admin could sign in afterwards.
        #expect(throws: WorkflowError.self) { try city.store.setAccessMode(.signed, by: "admin", at: t0) }
        #expect(try city.store.accessMode() == .open)
        try city.store.writer.write { db in try db.execute(sql: "UPDATE operator SET unix_user = 'root' WHERE login = 'admin'") }
        try city.store.setAccessMode(.signed, by: "admin", at: t0)
        #expect(try city.store.accessMode() == .signed)
        let events = try city.store.auditEvents()
        #expect(events.map(\.kind) == [.accessChanged] && events[0].login == "admin" && events[0].detail == "open → signed")
        // The audit is append-only, whatever client writes.
        #expect(throws: (any Error).self) { try city.store.writer.write { db in try db.execute(sql: "DELETE FROM audit") } }
        #expect(throws: (any Error).self) { try city.store.writer.write { db in try db.execute(sql: "UPDATE audit SET login = 'x'") } }
        // A damaged setting never opens a site.
        try city.store.writer.write { db in try db.execute(sql: "UPDATE site SET value = 'wide-open' WHERE key = 'access'") }
        #expect(try city.store.accessMode() == .signed)
    }

    @Test func passwordSignInLocksAfterFiveFailuresAndSaysTheSameForEveryReason() throws {
        let city = try signedCity()
        try signIn(city.store, "admin")
        try city.store.setPassword(of: "insp-a", to: "a long passphrase", by: nil, at: t0)
        city.store.signOut()
        let who = try city.store.signIn(login: "insp-a", password: "a long passphrase", address: "test", at: t0)
        #expect(who.login == "insp-a" && who.via == .password)
        for reason in [("insp-a", "wrong"), ("nobody-here", "whatever1"), ("insp-a2", "no password yet")] {
            #expect(throws: WorkflowError.forbidden(CityStore.notAccepted)) {
                try city.store.signIn(login: reason.0, password: reason.1, address: "test", at: t0)
            }
        }
        for _ in 0..<4 { _ = try? city.store.signIn(login: "insp-a", password: "wrong", address: "test", at: t0) }
        #expect(try city.store.lockedUntil("insp-a", at: t0) == t0.addingTimeInterval(60))
        // Locked: even the right password is refused, until the minute is over.
        #expect(throws: WorkflowError.forbidden(CityStore.notAccepted)) {
            try city.store.signIn(login: "insp-a", password: "a long passphrase", address: "test", at: t0.addingTimeInterval(30))
        }
        #expect(try city.store.signIn(login: "insp-a", password: "a long passphrase", address: "test", at: t0.addingTimeInterval(61)).login == "insp-a")
        let kinds = try city.store.auditEvents(login: "insp-a").map(\.kind)
        #expect(kinds.filter { $0 == .locked }.count == 1)
        #expect(kinds.filter { $0 == .signIn }.count == 2)
        let details = try city.store.auditEvents().map(\.detail)
        #expect(details.contains("no such operator") && details.contains("no password set") && details.contains("wrong password"))
        #expect(details.contains { $0.hasPrefix("locked until") })
        // The hash is never readable as the password.
        let stored = try city.store.writer.read { db in try String.fetchOne(db, sql: "SELECT password_hash FROM operator WHERE login = 'insp-a'") }
        #expect(stored?.hasPrefix("scrypt$") == true && stored?.contains("passphrase") == false)
    }

    @Test func onlyAnAdminSetsAnotherOperatorsPassword() throws {
        let city = try signedCity()
        try signIn(city.store, "insp-a")
        #expect(throws: WorkflowError.forbidden("only an admin may set another operator's password")) {
            try city.store.setPassword(of: "insp-a2", to: "a long passphrase", by: nil, at: t0)
        }
        try city.store.setPassword(of: "insp-a", to: "my own passphrase", by: nil, at: t0)
        #expect(throws: WorkflowError.self) { try city.store.setPassword(of: "insp-a", to: "short", by: nil, at: t0) }
    }

    @Test func serverSessionsStandForTheirOperatorUntilEndedOrExpired() throws {
        let city = try signedCity()
        let op = try city.store.findOperator("insp-b")
        let token = try city.store.startSession(for: SignedIn(operatorID: op.id, login: op.login, via: .ssh("SHA256:abc")), at: t0, ttl: 600)
        let resumed = try city.store.resumeSession(token: token, at: t0.addingTimeInterval(10))
        #expect(resumed.login == "insp-b" && resumed.via == .ssh("SHA256:abc"))
        #expect(throws: WorkflowError.self) { try city.store.resumeSession(token: token + "0", at: t0) }
        #expect(throws: WorkflowError.self) { try city.store.resumeSession(token: token, at: t0.addingTimeInterval(601)) }
        // Only the token's hash is stored.
        let stored = try city.store.writer.read { db in try String.fetchAll(db, sql: "SELECT token_sha256 FROM signin_session") }
        #expect(stored.count == 1 && stored[0] != token)
        try city.store.endSession(token: token)
        #expect(throws: WorkflowError.self) { try city.store.resumeSession(token: token, at: t0.addingTimeInterval(10)) }
    }

    @Test func viaTextRoundTrips() {
        for via in [Via.demo, .unix("alice"), .password, .ssh("SHA256:Zm9v"), .apiKey("ab12cd34"), .system] {
            #expect(Via(text: via.text) == via)
        }
        #expect(Via(text: "root") == nil)
    }
}

extension CityStore {
    func findOperatorEvenDisabledForTest(_ login: String) throws -> Int64 {
        try read { db in try Self.findOperatorEvenDisabled(db, login).id }
    }
}
