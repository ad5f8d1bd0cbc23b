import Foundation
import Testing
@testable import Workflow

/// `citygrid serve-ssh` with the real OpenSSH client (Debian's openssh-client), as a district center would reach it.
@Suite(.serialized, .enabled(if: TmuxSession.available && SSHHarness.available, "needs tmux, ssh and ssh-keygen"))
struct SSHEndToEndTests {

    /// `operator key …`, as the CLI spells it.
    static func operatorKey(_ arguments: [String]) -> [String] { ["operator", "key"] + arguments }

    @Test func theConsoleOverSSHIsTheOperatorsFollowsTheWindowActsOnACaseAndQuits() throws {
        let harness = try SSHHarness()
        let id = try ConsoleEndToEndTests.confirmedCase(harness.db, description: "ssh e2e rubbish")
        let key = try harness.newKey(for: "city-lead-1")
        let name = try #require(try CLI.run(["operators", "--json"], db: harness.db).array
            .first { $0["login"] as? String == "city-lead-1" }?["name"] as? String)
        let server = try harness.startServer()
        let tmux = try TmuxSession(command: harness.sshCommand("city-lead-1", key: key, port: server.port, extra: "-tt -o SendEnv=LANG")
            + "; echo SSH-EXITED $?; sleep 30")
        let first = try tmux.waitFor("Queue: mine", seconds: 30)
        #expect(first.contains("city-lead-1") && first.contains(name), "the console is the key's operator's")
        #expect(first.contains("Grid map"), "100x30: queue and map")
        // The client's window changes reach the console.
        try tmux.resize(width: 80, height: 24)
        try tmux.waitFor("80x24 layout") { $0.contains("Queue: mine") && $0.split(separator: "\n").count <= 24 }
        try tmux.resize(width: 30, height: 10)
        let small = try tmux.waitFor("30x10 layout") { screen in
            screen.split(separator: "\n").allSatisfy { $0.count <= 30 } && screen.contains("Qu") && !screen.contains("Grid map")
        }
        #expect(!small.contains("Grid map"))
        try tmux.resize(width: 100, height: 30)
        try tmux.waitFor("Grid map")
        // Acting on a case: filed by the operator the key signed in, and recorded as done through SSH with that key.
        try tmux.openCase(id)
        try tmux.send("F")
        try tmux.waitFor("file case \(id)")
        try tmux.send("Enter")
        try tmux.waitFor("file → filed")
        let shown = try CLI.run(["case", "show", String(id), "--json"], db: harness.db).object
        #expect(shown["state"] as? String == "filed")
        #expect((shown["history"] as? [[String: Any]])?.last?["actor"] as? String == "city-lead-1")
        let via = try harness.sql("SELECT via FROM history WHERE case_id = \(id) ORDER BY seq DESC LIMIT 1")
        #expect(via == "ssh:\(try harness.fingerprint(key))", "history records the key: \(via)")
        try tmux.send("q")
        let after = try tmux.waitFor("SSH-EXITED")
        #expect(after.contains("SSH-EXITED 0"), "quitting the console ends the session")
        let kinds = try harness.auditKinds(login: "city-lead-1")
        #expect(kinds.contains("sign-in") && kinds.contains("session-start") && kinds.contains("session-end"))
    }

    @Test func unknownKeysAndDisabledOperatorsAreRefused() throws {
        let harness = try SSHHarness()
        let key = try harness.newKey(for: "city-lead-1")
        let stranger = try harness.newKey(for: nil, name: "stranger")
        let server = try harness.startServer()
        let unknown = try harness.ssh("city-lead-1", key: stranger, port: server.port, ["cases", "--json"])
        #expect(unknown.status == 255 && unknown.err.contains("Permission denied"), "\(unknown.err)")
        #expect(try harness.ssh("city-lead-1", key: key, port: server.port, ["cases", "--limit", "1"]).status == 0)
        // Disabled (what `operator disable` does): refused from the next sign-in on.
        _ = try harness.sql("UPDATE operator SET active = 0 WHERE login = 'city-lead-1'")
        let disabled = try harness.ssh("city-lead-1", key: key, port: server.port, ["cases", "--json"])
        #expect(disabled.status == 255 && disabled.err.contains("Permission denied"), "\(disabled.err)")
        let failed = try harness.sql("SELECT detail FROM audit WHERE event = 'sign-in-failed' ORDER BY id")
        #expect(failed.contains("key not registered") && failed.contains("disabled"), "\(failed)")
    }

    @Test func execRunsOneCommandAsTheOperatorAndRefusesDbAsAndTheConsole() throws {
        let harness = try SSHHarness()
        let lead = try harness.newKey(for: "city-lead-1")
        let admin = try harness.newKey(for: "admin", name: "admin-key")
        let server = try harness.startServer()
        let cases = try harness.ssh("city-lead-1", key: lead, port: server.port, ["cases", "--json", "--limit", "3"])
        #expect(cases.status == 0, "\(cases.err)")
        let listed = try JSONSerialization.jsonObject(with: Data(cases.out.utf8)) as? [[String: Any]]
        #expect(listed?.count == 3)
        // The command acts as the signed-in operator: an admin-only command names who that is.
        let notAdmin = try harness.ssh("city-lead-1", key: lead, port: server.port, Self.operatorKey(["list"]))
        #expect(notAdmin.status == 3 && notAdmin.err.contains("city-lead-1 is a shift-lead"), "\(notAdmin.err)")
        let asAdmin = try harness.ssh("admin", key: admin, port: server.port, Self.operatorKey(["list", "--json"]))
        #expect(asAdmin.status == 0 && asAdmin.out.contains("\"login\" : \"city-lead-1\""), "\(asAdmin.err)")
        // Quoted words arrive whole, with no shell in between.
        let quoted = try harness.ssh("city-lead-1", key: lead, port: server.port, ["cases --region '110101' --limit 1 --json; echo pwned"])
        #expect(quoted.status != 0 && !quoted.out.contains("pwned"))
        let asOther = try harness.ssh("city-lead-1", key: lead, port: server.port, ["cases", "--json", "--as", "admin"])
        #expect(asOther.status == 3 && asOther.err.contains("--as is not accepted over SSH"), "\(asOther.err)")
        let otherDB = try harness.ssh("city-lead-1", key: lead, port: server.port, ["cases", "--db=/tmp/elsewhere.sqlite"])
        #expect(otherDB.status == 2 && otherDB.err.contains("--db is not accepted"))
        for refused in ["console", "serve", "serve-ssh", "demo", "init", "seed-demo"] {
            let result = try harness.ssh("city-lead-1", key: lead, port: server.port, [refused])
            #expect(result.status == 2 && result.err.contains("'\(refused)'"), "\(refused): \(result.err)")
        }
        let shell = try harness.ssh("city-lead-1", key: lead, port: server.port, [], extra: ["-T"])
        #expect(shell.status == 2 && shell.err.contains("the console needs a terminal"))
    }

    /// The permission matrix through the SSH exec path: the same answer as the CLI and the core, cell by cell, for a
    /// third of the probes of `PermissionMatrixCLITests` (every role and tier, every action), each operator signed in
    /// by its own key and never named.
    @Test func thePermissionMatrixGivesTheSameAnswersOverSSH() throws {
        let harness = try SSHHarness()
        let store = try CityStore.open(path: harness.db)
        let now = try InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(CLI.now)
        let probes = try PermissionMatrixCLITests.probes(store, limitPerAction: 1).enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        var keys: [String: String] = [:]
        for login in Set(probes.map(\.login)).sorted() { keys[login] = try harness.newKey(for: login, name: "key-\(login)") }
        let server = try harness.startServer()
        var answers: [Int32: Int] = [:]
        for p in probes {
            let core = PermissionMatrixCLITests.coreAnswer(store, p, at: now)
            let remote = try harness.ssh(p.login, key: keys[p.login]!, port: server.port, p.arguments)
            #expect(remote.status == core, "\(p): SSH \(remote.status) \(remote.err), core \(core)")
            answers[core, default: 0] += 1
        }
        #expect(probes.count > 50 && answers[0, default: 0] > 0 && answers[3, default: 0] > 0, "\(probes.count) probes: \(answers)")
        // Every one of them acted as its operator, identified by its key.
        let sessions = try harness.sql("SELECT count(DISTINCT login) FROM audit WHERE event = 'session-start' AND via LIKE 'ssh:SHA256:%'")
        #expect(Int(sessions) == keys.count)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sshpass"), "needs sshpass"))
    func aPasswordSignsInTooAndAWrongOneDoesNot() throws {
        let harness = try SSHHarness()
        let store = try CityStore.open(path: harness.db)
        try store.setPassword(of: "city-lead-1", to: "correct horse 7", by: "admin", at: Date(timeIntervalSince1970: 1_795_000_000))
        let server = try harness.startServer()
        let good = try harness.ssh("city-lead-1", password: "correct horse 7", port: server.port, ["cases", "--limit", "1", "--json"])
        #expect(good.status == 0, "\(good.err)")
        let bad = try harness.ssh("city-lead-1", password: "wrong", port: server.port, ["cases", "--json"])
        #expect(bad.status != 0 && !bad.out.contains("["))
        #expect(try harness.sql("SELECT via FROM audit WHERE event = 'session-start'") == "password")
    }
}

/// A demo site, a private folder for keys and the client's files, and a `serve-ssh` on a free port.
final class SSHHarness {
    static var available: Bool {
        ["/usr/bin/ssh", "/usr/bin/ssh-keygen", "/usr/bin/sqlite3"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    let folder: String
    let db: String
    private var servers: [pid_t] = []

    init() throws {
        folder = TestFolder.root.appendingPathComponent("cg-ssh-e2e-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        db = try CLI.demoCopy()
        _ = FileManager.default.createFile(atPath: file("ssh_config"), contents: Data())
        _ = FileManager.default.createFile(atPath: file("empty"), contents: Data())
    }

    deinit {
        for pid in servers { kill(pid, SIGTERM); var status: CInt = 0; waitpid(pid, &status, 0) }
        try? FileManager.default.removeItem(atPath: folder)
    }

    func file(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    /// An ed25519 key pair made by ssh-keygen in the private folder, registered to `login` by the admin unless nil.
    func newKey(for login: String?, name: String = "id") throws -> String {
        let key = file(name)
        let made = try Self.run(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "\(name)@e2e", "-f", key], stdin: file("empty"))
        guard made.status == 0 else { throw CLIError(message: "ssh-keygen: \(made.err)") }
        if let login {
            let added = try CLI.run(SSHEndToEndTests.operatorKey(["add", login, key + ".pub", "--as", "admin"]), db: db)
            guard added.status == 0 else { throw CLIError(message: "operator key add: \(added.stderr)") }
        }
        return key
    }

    func fingerprint(_ key: String) throws -> String {
        let printed = try Self.run(["/usr/bin/ssh-keygen", "-lf", key + ".pub"], stdin: file("empty")).out
        return String(printed.split(separator: " ")[1])
    }

    struct Server { var pid: pid_t; var port: Int }

    /// Starts `citygrid serve-ssh` on a free port of 127.0.0.1 and waits for its "listening on" line.
    func startServer() throws -> Server {
        let out = file("serve.out"), err = file("serve.err")
        let pid = try Self.spawn([CLI.binary.path, "serve-ssh", "--db", db, "--port", "0", "--host-key", file("host_key")],
                                 stdin: file("empty"), stdout: out, stderr: err,
                                 environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder, "CITYGRID_NOW": CLI.now])
        servers.append(pid)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) {
                let port = Int(text[range].split(separator: ":").last ?? "") ?? 0
                return Server(pid: pid, port: port)
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw CLIError(message: "serve-ssh did not start: \((try? String(contentsOfFile: err, encoding: .utf8)) ?? "")")
    }

    private func clientOptions(port: Int) -> [String] {
        ["-F", file("ssh_config"), "-p", String(port), "-o", "UserKnownHostsFile=\(file("known"))",
         "-o", "StrictHostKeyChecking=accept-new", "-o", "ConnectTimeout=20"]
    }

    /// The ssh command line for tmux (no shell quoting needed: every part is a plain path or word).
    func sshCommand(_ login: String, key: String, port: Int, extra: String) -> String {
        "env HOME=\(folder) LANG=en_US.UTF-8 /usr/bin/ssh " + clientOptions(port: port).joined(separator: " ")
            + " -i \(key) -o IdentitiesOnly=yes -o BatchMode=yes \(extra) \(login)@127.0.0.1"
    }

    /// One command over SSH with a key (stdin an empty file): its status and output.
    func ssh(_ login: String, key: String, port: Int, _ command: [String], extra: [String] = []) throws -> (status: Int32, out: String, err: String) {
        try Self.run(["/usr/bin/ssh"] + clientOptions(port: port) + ["-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes"]
                     + extra + ["\(login)@127.0.0.1"] + command, stdin: file("empty"), environment: ["HOME": folder, "PATH": "/usr/bin:/bin"])
    }

    /// One command over SSH with a password (through sshpass).
    func ssh(_ login: String, password: String, port: Int, _ command: [String]) throws -> (status: Int32, out: String, err: String) {
        try Self.run(["/usr/bin/sshpass", "-p", password, "/usr/bin/ssh"] + clientOptions(port: port)
                     + ["-o", "PreferredAuthentications=password", "-o", "PubkeyAuthentication=no", "-o", "NumberOfPasswordPrompts=1",
                        "\(login)@127.0.0.1"] + command, stdin: file("empty"), environment: ["HOME": folder, "PATH": "/usr/bin:/bin"])
    }

    /// The sqlite3 shell on the site's database, waiting out the server's writes (a sign-in writes the audit) rather
    /// than failing with "database is locked" on a loaded machine; a failed statement fails the test.
    func sql(_ statement: String) throws -> String {
        let result = try Self.run(["/usr/bin/sqlite3", "-cmd", ".timeout 10000", db, statement], stdin: file("empty"))
        #expect(result.status == 0, "sqlite3: \(result.err)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func auditKinds(login: String) throws -> [String] {
        try sql("SELECT event FROM audit WHERE login = '\(login)' ORDER BY id").split(separator: "\n").map(String.init)
    }

    // MARK: Processes (posix_spawn and waitpid: Foundation's Process watcher stalls on an ssh, which closes what it inherits)

    static func spawn(_ arguments: [String], stdin: String, stdout: String, stderr: String, environment: [String: String]) throws -> pid_t {
        try Spawned(arguments, stdinPath: stdin, stdout: stdout, stderr: stderr, environment: environment).pid
    }

    static func run(_ arguments: [String], stdin: String, environment: [String: String] = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"])
        throws -> (status: Int32, out: String, err: String) {
        let base = TestFolder.root.appendingPathComponent("cg-ssh-run-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
        let code = try Spawned(arguments, stdinPath: stdin, stdout: base + ".out", stderr: base + ".err", environment: environment).wait()
        return (code, (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? "",
                (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? "")
    }
}

/// `operator key add|list|remove` and serve-ssh's host key checks, through the CLI.
struct OperatorKeyCLITests {
    /// Public keys made by ssh-keygen, with the fingerprints `ssh-keygen -lf` printed for them.
    static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMWB+jzNMn9BtSg9ol6V1AvoWT1ZRtS8lGGL/4XJDhjX vector@test"
    static let ed25519Fingerprint = "SHA256:02wm7NvXwaSL79kXMWmtX9rZX04E6rojlQ9yzeMIpmE"
    static let p256 = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEQLaoipg74blRLzvr9ooEqcN/zJ/xkGdHSbOY9b4tAtIznl4PfTw0hJnmZR5AynkHojXWtUtnAd43FHrFlUUZk= p256@test"
    static let p256Fingerprint = "SHA256:BFkCCSnmgFn1grPKuL0CBCCC5E+8du86va0sxqg/v9A"

    func key(_ arguments: [String], db: String, stdin: String? = nil) throws -> CLIResult {
        try CLI.run(SSHEndToEndTests.operatorKey(arguments), db: db, stdin: stdin.map { Data($0.utf8) })
    }

    @Test func anAdminAddsListsAndRemovesKeysWithOpenSSHsFingerprints() throws {
        let db = try CLI.demoCopy()
        let folder = (db as NSString).deletingLastPathComponent
        let file = (folder as NSString).appendingPathComponent("id.pub")
        try (Self.ed25519 + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let added = try key(["add", "city-lead-1", file, "--as", "admin", "--json"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.object["fingerprint"] as? String == Self.ed25519Fingerprint && added.object["comment"] as? String == "vector@test")
        let fromStdin = try key(["add", "110101-dispatcher-1", "-", "--as", "admin"], db: db, stdin: Self.p256)
        #expect(fromStdin.status == 0 && fromStdin.stdout.contains(Self.p256Fingerprint), "\(fromStdin.stderr)")
        let again = try key(["add", "admin", file, "--as", "admin"], db: db)
        #expect(again.status == 2 && again.stderr.contains("already registered to city-lead-1"))
        let listed = try key(["list", "city-lead-1", "--as", "admin", "--json"], db: db).array
        #expect(listed.count == 1 && listed.first?["login"] as? String == "city-lead-1"
                && listed.first?["public_key"] as? String == Self.ed25519.split(separator: " ").prefix(2).joined(separator: " "))
        #expect(try key(["list", "--as", "admin", "--json"], db: db).array.count == 2)
        let removed = try key(["remove", Self.ed25519Fingerprint, "--as", "admin"], db: db)
        #expect(removed.status == 0 && removed.stdout.contains("removed ssh-ed25519 key \(Self.ed25519Fingerprint) of city-lead-1"))
        #expect(try key(["remove", Self.ed25519Fingerprint, "--as", "admin"], db: db).status == 5)
        let events = try CityStore.open(path: db).auditEvents().map(\.kind)
        #expect(events.filter { $0 == .keyAdded }.count == 2 && events.contains(.keyRemoved))
    }

    @Test func badKeysAndNonAdminsAreRefusedWithTheirExitCodes() throws {
        let db = try CLI.demoCopy()
        let rsa = try key(["add", "city-lead-1", "-", "--as", "admin"], db: db, stdin: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 x\n")
        #expect(rsa.status == 2 && rsa.stderr.contains("ssh-rsa keys cannot be used"))
        let privateKey = try key(["add", "city-lead-1", "-", "--as", "admin"], db: db,
                                 stdin: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n")
        #expect(privateKey.status == 2 && privateKey.stderr.contains("private key"))
        let folder = (db as NSString).deletingLastPathComponent
        #expect(try key(["add", "city-lead-1", folder, "--as", "admin"], db: db).status == 2, "a directory is not a key file")
        #expect(try key(["add", "city-lead-1", folder + "/missing.pub", "--as", "admin"], db: db).status == 5)
        #expect(try key(["add", "nobody-here", "-", "--as", "admin"], db: db, stdin: Self.ed25519).status == 5)
        let lead = try key(["add", "city-lead-1", "-", "--as", "city-lead-1"], db: db, stdin: Self.ed25519)
        #expect(lead.status == 3 && lead.stderr.contains("only an admin"))
        #expect(try key(["list", "--as", "city-lead-1"], db: db).status == 3)
        #expect(try key(["list"], db: db).status == 2, "an open site needs --as")
    }

    @Test func serveSSHRefusesAHostKeyOthersCanRead() throws {
        let db = try CLI.demoCopy()
        let hostKey = db + ".ssh_host_ed25519_key"
        _ = FileManager.default.createFile(atPath: hostKey, contents: Data("citygrid-ed25519-host-key AAAA\n".utf8),
                                           attributes: [.posixPermissions: 0o644])
        let refused = try CLI.run(["serve-ssh", "--port", "0"], db: db)
        #expect(refused.status == 3 && refused.stderr.contains("may be read by others"), "\(refused.stderr)")
        let badPort = try CLI.run(["serve-ssh", "--port", "70000"], db: db)
        #expect(badPort.status == 64)
    }
}
