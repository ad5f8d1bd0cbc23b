import Foundation
import Testing

/// Issue 14, section 2 through the built binary: on a `signed` site the program decides who acts (a bound Unix
/// account; a server's session token), `--as` someone else is refused with exit 3, every history row says how its
/// actor was identified, and the audit records it. Open demo sites keep working with `--as` as before.
@Suite(.serialized) struct SignedAccessCLITests {

    @discardableResult
    func sqlite(_ db: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-bail", db, sql]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A demo copy user 65534 can write (its folder and file opened up: a private temporary folder).
    func sharedDemo() throws -> String {
        let db = try CLI.demoCopy()
        #expect(chmod((db as NSString).deletingLastPathComponent, 0o777) == 0)
        #expect(chmod(db, 0o666) == 0)
        return db
    }

    func filedCase(_ db: String) throws -> Int {
        let cases = try CLI.run(["cases", "--state", "filed", "--json"], db: db).array
        return try #require(cases.first?["id"] as? Int)
    }

    @Test func anOpenSiteActsAsNamedAndRecordsDemo() throws {
        let db = try CLI.demoCopy()
        let show = try CLI.run(["access", "show", "--json"], db: db)
        #expect(show.status == 0 && show.object["access"] as? String == "open" && show.object["idle_lock_minutes"] as? Int == 15)
        #expect(show.object["signed_in"] is NSNull)
        let id = try filedCase(db)
        let dispatcher = try #require(try CLI.run(["case", "show", String(id), "--json"], db: db).object["command_center"] as? String)
        let login = dispatcher == "CITY-C" ? "city-dispatcher-1" : "\(dispatcher.prefix(6))-dispatcher-1"
        let done = try CLI.run(["case", "dispatch", String(id), "--to", "SANIT", "--as", login, "--json"], db: db)
        #expect(done.status == 0, "\(done.stderr)")
        let history = try #require(try CLI.run(["case", "show", String(id), "--json"], db: db).object["history"] as? [[String: Any]])
        #expect(history.last?["via"] as? String == "demo" && history.last?["actor"] as? String == login)
        #expect(history.allSatisfy { ["demo", "system"].contains($0["via"] as? String) })
        // Without --as an open site asks for one.
        let unnamed = try CLI.run(["case", "urge", String(id)], db: db)
        #expect(unnamed.status == 2 && unnamed.stderr.contains("--as"), "\(unnamed.stderr)")
    }

    @Test func onlyAnAdminWhoCanSignInSwitchesASiteToSigned() throws {
        let db = try CLI.demoCopy()
        let unnamed = try CLI.run(["access", "set", "signed"], db: db)
        #expect(unnamed.status == 2, "\(unnamed.stderr)")
        let notAdmin = try CLI.run(["access", "set", "signed", "--as", "city-lead-1"], db: db)
        #expect(notAdmin.status == 3 && notAdmin.stderr.contains("only an admin"), "\(notAdmin.stderr)")
        let lockout = try CLI.run(["access", "set", "signed", "--as", "admin"], db: db)
        #expect(lockout.status == 4 && lockout.stderr.contains("lock everyone out"), "\(lockout.stderr)")
        #expect(try CLI.run(["access", "show", "--json"], db: db).object["access"] as? String == "open")
        try sqlite(db, "UPDATE operator SET unix_user = 'root' WHERE login = 'admin'")
        let switched = try CLI.run(["access", "set", "signed", "--as", "admin"], db: db)
        #expect(switched.status == 0, "\(switched.stderr)")
        let show = try CLI.run(["access", "show", "--json"], db: db)
        #expect(show.object["access"] as? String == "signed" && show.object["signed_in"] as? String == "admin"
                && show.object["via"] as? String == "unix:root")
        let audit = try CLI.run(["audit", "--json"], db: db)
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.array.contains { $0["event"] as? String == "access-changed" && $0["login"] as? String == "admin" && $0["detail"] as? String == "open → signed" })
        // Back to open: the admin, signed in by the program, needs no --as.
        #expect(try CLI.run(["access", "set", "open"], db: db).status == 0)
        #expect(try CLI.run(["access", "show", "--json"], db: db).object["access"] as? String == "open")
    }

    @Test func aBoundUnixAccountActsAndCannotNameAnyoneElse() throws {
        let db = try sharedDemo()
        try sqlite(db, "UPDATE operator SET unix_user = 'root' WHERE login = 'admin'; UPDATE site SET value = 'signed' WHERE key = 'access'")
        // An account bound to nobody is refused everything, reading included.
        let unbound = try LiveFileTests.runAsNobody(["cases", "--json"], db: db)
        #expect(unbound.status == 3 && unbound.stderr.contains("Unix account nobody is not bound"), "\(unbound.stderr)")
        let id = try filedCase(db)
        let center = try #require(try CLI.run(["case", "show", String(id), "--json"], db: db).object["command_center"] as? String)
        let login = center == "CITY-C" ? "city-dispatcher-1" : "\(center.prefix(6))-dispatcher-1"
        try sqlite(db, "UPDATE operator SET unix_user = 'nobody' WHERE login = '\(login)'")
        // Named as someone else: refused, naming who is signed in; nothing written.
        let other = try LiveFileTests.runAsNobody(["case", "dispatch", String(id), "--to", "SANIT", "--as", "admin"], db: db)
        #expect(other.status == 3 && other.stderr.contains("signed in as \(login)"), "\(other.stderr)")
        let asRoot = try CLI.run(["case", "dispatch", String(id), "--to", "SANIT", "--as", login], db: db)
        #expect(asRoot.status == 3 && asRoot.stderr.contains("signed in as admin"), "\(asRoot.stderr)")
        #expect(try CLI.run(["case", "show", String(id), "--json"], db: db).object["state"] as? String == "filed")
        // Unnamed, or named as itself: acts, and the row says how it was identified.
        let done = try LiveFileTests.runAsNobody(["case", "dispatch", String(id), "--to", "SANIT", "--json"], db: db)
        #expect(done.status == 0, "\(done.stderr)")
        let history = try #require(try CLI.run(["case", "show", String(id), "--json"], db: db).object["history"] as? [[String: Any]])
        #expect(history.last?["via"] as? String == "unix:nobody" && history.last?["actor"] as? String == login)
        let named = try LiveFileTests.runAsNobody(["cases", "--as", login, "--json"], db: db)
        #expect(named.status == 0, "\(named.stderr)")
        // Its listing is its own region's, whatever it names.
        #expect(try LiveFileTests.runAsNobody(["cases", "--as", "admin"], db: db).status == 3)
        // The audit is an admin's.
        #expect(try LiveFileTests.runAsNobody(["audit"], db: db).status == 3)
        #expect(try CLI.run(["verify"], db: db).status == 0)
        // Disabled: refused from the next command on, with the reason.
        try sqlite(db, "UPDATE operator SET active = 0 WHERE login = '\(login)'")
        let disabled = try LiveFileTests.runAsNobody(["cases"], db: db)
        #expect(disabled.status == 3 && disabled.stderr.contains("disabled"), "\(disabled.stderr)")
    }

    @Test func aForgedOrStaleSessionTokenIsRefused() throws {
        let db = try CLI.demoCopy()
        for token in ["0123456789abcdef", String(repeating: "a", count: 64), "'; DROP TABLE audit; --"] {
            let result = try CLI.run(["cases"], db: db, environment: ["CITYGRID_SESSION": token])
            #expect(result.status == 3 && result.stderr.contains("not (or no longer) signed in"), "\(result.stderr)")
        }
    }
}

/// Passwords and the site's configuration on a signed site, through the binary.
@Suite(.serialized) struct SignedAdministrationCLITests {
    func sqlite(_ db: String, _ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-bail", db, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func passwordsAreReadFromStandardInputNeverFromArgumentsAndStoredOnlyHashed() throws {
        let db = try CLI.demoCopy()
        // There is no option that takes a password.
        let argv = try CLI.run(["operator", "password", "city-lead-1", "--password", "secret123", "--as", "admin"], db: db)
        #expect(argv.status == 64 || argv.status == 2, "\(argv.status) \(argv.stderr)")
        let short = try CLI.run(["operator", "password", "city-lead-1", "--as", "admin"], db: db, stdin: Data("short\n".utf8))
        #expect(short.status == 2 && short.stderr.contains("at least 8"), "\(short.stderr)")
        let notAdmin = try CLI.run(["operator", "password", "city-lead-1", "--as", "city-dispatcher-1"], db: db, stdin: Data("a long passphrase\n".utf8))
        #expect(notAdmin.status == 3, "\(notAdmin.stderr)")
        let set = try CLI.run(["operator", "password", "city-lead-1", "--as", "admin"], db: db, stdin: Data("a long passphrase\n".utf8))
        #expect(set.status == 0 && set.stdout.contains("password set for city-lead-1"), "\(set.stderr)")
        let stored = try #require(try TmuxSession.spawnOutput(["/usr/bin/sqlite3", db, "SELECT password_hash FROM operator WHERE login = 'city-lead-1'"]))
        #expect(stored.hasPrefix("scrypt$32768$8$1$") && !stored.contains("passphrase"), "\(stored)")
        // An operator sets their own; the audit says who set whose.
        let own = try CLI.run(["operator", "password", "city-lead-1", "--as", "city-lead-1"], db: db, stdin: Data("another passphrase\n".utf8))
        #expect(own.status == 0, "\(own.stderr)")
        let audit = try CLI.run(["audit", "--json", "--as", "admin", "--login", "city-lead-1"], db: db).array
        #expect(audit.map { $0["event"] as? String } == ["password-set", "password-set"] && audit.map { $0["by"] as? String } == ["admin", "city-lead-1"])
        #expect(try CLI.run(["operator", "password", "city-lead-1", "--remove", "--as", "admin"], db: db).status == 0)
        #expect(try TmuxSession.spawnOutput(["/usr/bin/sqlite3", db, "SELECT ifnull(password_hash, 'none') FROM operator WHERE login = 'city-lead-1'"])?.trimmingCharacters(in: .whitespacesAndNewlines) == "none")
    }

    @Test func theSiteConfigurationIsAnAdminsOnASignedSite() throws {
        let db = try CLI.demoCopy()
        // Open site: as before, anyone may (scripts rely on it).
        #expect(try CLI.run(["apikey", "add", "--name", "open site"], db: db).status == 0)
        // Signed, with root bound to a dispatcher: refused; bound to the admin: done.
        try sqlite(db, "UPDATE site SET value = 'signed' WHERE key = 'access'; UPDATE operator SET unix_user = 'root' WHERE login = 'city-dispatcher-1'")
        for args in [["apikey", "add", "--name", "x"], ["site", "set-time-window", "--past-years", "5"], ["access", "set", "open"]] {
            let refused = try CLI.run(args, db: db)
            #expect(refused.status == 3 && refused.stderr.contains("only an admin"), "\(args): \(refused.stderr)")
        }
        try sqlite(db, "UPDATE operator SET unix_user = NULL WHERE login = 'city-dispatcher-1'; UPDATE operator SET unix_user = 'root' WHERE login = 'admin'")
        #expect(try CLI.run(["apikey", "add", "--name", "signed site"], db: db).status == 0)
        // Disabling an operator bound to an account stops that account at once.
        #expect(try CLI.run(["operator", "set", "city-lead-1", "--unix-user", "nobody"], db: db).status == 0)
        #expect(try CLI.run(["operator", "disable", "city-lead-1"], db: db).status == 0)
        let show = try CLI.run(["operator", "show", "city-lead-1", "--json"], db: db).object
        #expect(show["disabled"] as? Bool == true)
        let audit = try CLI.run(["audit", "--json"], db: db).array
        #expect(audit.contains { $0["event"] as? String == "operator-disabled" && $0["login"] as? String == "city-lead-1" && $0["by"] as? String == "admin" })
    }
}
