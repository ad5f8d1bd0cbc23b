import Foundation
import GRDB
import Testing
@testable import SSHServer
@testable import Workflow

let haveSSH = FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh") && haveSSHKeygen

/// A small site with an admin and an operator, in a private folder.
struct KeySite {
    let folder: TempFolder
    let store: CityStore
    let path: String
    let adminID: Int64
    let alice: Operator

    init() throws {
        folder = try TempFolder()
        path = folder.file("site.sqlite")
        store = try CityStore.open(path: path, create: true)
        try store.createSite(SiteSettings(model: .oneMonitorTwoCommand, cityCode: "110000"),
                             categories: try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV),
                             departments: try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV))
        adminID = try store.addOperator(login: "root-admin", name: "Admin", role: .admin, centerID: nil).id
        alice = try store.addOperator(login: "alice", name: "Alice Example", role: .admin, centerID: nil)
        store.signIn(SignedIn(operatorID: adminID, login: "root-admin", via: .system))
    }

    static let now = Date(timeIntervalSince1970: 1_795_000_000)

    /// A new ed25519 key pair made by ssh-keygen, registered to `login` unless told not to. The private key's path.
    func newKey(for login: String?, name: String = "id") throws -> String {
        let key = folder.file(name)
        let made = try runProgram(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "\(name)@test", "-f", key])
        guard made.status == 0 else { throw KeySiteError(text: "ssh-keygen: \(made.err)") }
        if let login {
            let line = try PublicKeyLine.parse(try String(contentsOfFile: key + ".pub", encoding: .utf8))
            try store.addOperatorKey(login: login, algorithm: line.algorithm, keyBase64: line.keyBase64, comment: line.comment,
                                     by: nil, at: Self.now)
        }
        return key
    }
}

struct KeySiteError: Error { var text: String }

struct OperatorKeyStoreTests {
    @Test func keysAreAddedListedFoundAndRemovedByAnAdminAndAudited() throws {
        let site = try KeySite()
        let keyPath = try site.newKey(for: "alice")
        let keys = try site.store.operatorKeys(login: "alice", by: nil)
        let key = try #require(keys.first)
        #expect(keys.count == 1 && key.login == "alice" && key.algorithm == "ssh-ed25519" && key.comment == "id@test")
        #expect(try site.store.operatorForKey(fingerprint: key.fingerprint, login: "alice")?.via == .ssh(key.fingerprint))
        #expect(try site.store.operatorForKey(fingerprint: key.fingerprint, login: "root-admin") == nil, "the user name must be the key's login")
        // The same key again, to anyone, is refused.
        let line = try PublicKeyLine.parse(try String(contentsOfFile: keyPath + ".pub", encoding: .utf8))
        #expect(throws: WorkflowError.self) {
            try site.store.addOperatorKey(login: "root-admin", algorithm: line.algorithm, keyBase64: line.keyBase64, comment: "",
                                          by: nil, at: KeySite.now)
        }
        try site.store.removeOperatorKey(key.fingerprint, by: nil, at: KeySite.now)
        #expect(try site.store.operatorForKey(fingerprint: key.fingerprint, login: "alice") == nil)
        let events = try site.store.auditEvents().map(\.kind)
        #expect(events.contains(.keyAdded) && events.contains(.keyRemoved))
    }

    @Test func onlyAnAdminManagesKeysAndADisabledOperatorsKeySignsNobodyIn() throws {
        let site = try KeySite()
        _ = try site.newKey(for: "alice")
        let fingerprint = try #require(try site.store.operatorKeys(by: nil).first?.fingerprint)
        let lead = try site.store.addOperator(login: "lead", name: "Lead", role: .shiftLead, centerID: "CITY-M")
        site.store.signIn(SignedIn(operatorID: lead.id, login: "lead", via: .system))
        do { _ = try site.store.operatorKeys(by: nil); Issue.record("a shift lead listed keys") } catch {
            #expect(error.exitCode == 3)
        }
        site.store.signIn(SignedIn(operatorID: site.adminID, login: "root-admin", via: .system))
        try site.store.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'alice'") }
        do { _ = try site.store.operatorForKey(fingerprint: fingerprint, login: "alice"); Issue.record("a disabled operator signed in") } catch {
            #expect(error.description.contains("disabled"))
        }
    }

    @Test func aKeyWhoseBlobDoesNotNameItsAlgorithmIsRefused() throws {
        let site = try KeySite()
        #expect(throws: WorkflowError.self) {
            try site.store.addOperatorKey(login: "alice", algorithm: "ssh-ed25519", keyBase64: Data("garbage".utf8).base64EncodedString(),
                                          comment: "", by: nil, at: KeySite.now)
        }
        #expect(throws: WorkflowError.self) {
            try site.store.addOperatorKey(login: "alice", algorithm: "ssh-rsa", keyBase64: "AAAA", comment: "", by: nil, at: KeySite.now)
        }
    }
}

/// The server with the real OpenSSH client, running a stand-in program (a shell script) instead of citygrid.
@Suite(.serialized, .enabled(if: haveSSH, "needs ssh and ssh-keygen (openssh-client)"))
struct SSHServerClientTests {
    final class Running {
        let site: KeySite
        let server: CityGridSSHServer
        let port: Int
        let hostKey: HostKey

        init(site: KeySite, limits: SSHLimits = SSHLimits()) throws {
            self.site = site
            let script = site.folder.file("program.sh")
            try """
                #!/bin/sh
                echo "args:$*"
                echo "db:$CITYGRID_DB"
                echo "session:$CITYGRID_SESSION"
                echo "term:$TERM"
                if [ -t 0 ]; then echo "tty:yes $(stty size)"; else echo "tty:no"; read line; echo "read:$line"; fi
                echo "to stderr" >&2
                exit 7
                """.write(toFile: script, atomically: true, encoding: .utf8)
            chmod(script, 0o755)
            hostKey = try HostKey.loadOrCreate(path: site.folder.file("host_key"))
            let siteStore = try CityStore.open(path: site.path)
            server = CityGridSSHServer(store: siteStore, configuration: .init(
                host: "127.0.0.1", port: 0, hostKey: hostKey, limits: limits, program: script, database: site.path,
                environment: ["PATH": "/usr/bin:/bin"], clock: { KeySite.now }))
            port = try server.start()
        }

        deinit { server.stop() }

        func ssh(_ login: String, key: String?, options extra: [String] = [], _ command: [String] = [],
                 stdin: String = "") throws -> (status: Int32, out: String, err: String) {
            let config = site.folder.file("ssh_config")
            if !FileManager.default.fileExists(atPath: config) { _ = FileManager.default.createFile(atPath: config, contents: Data()) }
            var args = ["/usr/bin/ssh", "-F", config, "-p", String(port), "-o", "UserKnownHostsFile=\(site.folder.file("known"))",
                        "-o", "StrictHostKeyChecking=accept-new", "-o", "BatchMode=yes", "-o", "ConnectTimeout=20"]
            if let key { args += ["-i", key, "-o", "IdentitiesOnly=yes"] } else { args += ["-o", "PubkeyAuthentication=no"] }
            args += extra + ["\(login)@127.0.0.1"] + command
            return try runProgram(args, stdin: stdin, environment: ["HOME": site.folder.path, "PATH": "/usr/bin:/bin"])
        }
    }

    @Test func execRunsTheProgramSignedInAsTheKeysOperatorWithItsStatusAndStreams() throws {
        let site = try KeySite()
        let key = try site.newKey(for: "alice")
        let running = try Running(site: site)
        let result = try running.ssh("alice", key: key, ["cases --json 'two words'"], stdin: "typed line\n")
        #expect(result.status == 7, "the program's exit status: \(result.err)")
        #expect(result.out.contains("args:cases --json two words"))
        #expect(result.out.contains("db:\(site.path)"))
        #expect(result.out.contains("tty:no") && result.out.contains("read:typed line"))
        #expect(result.err.contains("to stderr"))
        let token = try #require(result.out.split(separator: "\n").first { $0.hasPrefix("session:") }.map { String($0.dropFirst(8)) })
        #expect(!token.isEmpty)
        // The session ends with the program: its token no longer signs anyone in.
        var ended = false
        for _ in 0..<50 {
            if (try? site.store.resumeSession(token: token, at: KeySite.now)) == nil { ended = true; break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(ended)
        let kinds = try site.store.auditEvents(login: "alice").map(\.kind)
        #expect(kinds.contains(.signIn) && kinds.contains(.sessionStart))
    }

    @Test func aPtySessionRunsTheConsoleProgramOnATerminalOfTheClientsSize() throws {
        let site = try KeySite()
        let key = try site.newKey(for: "alice")
        let running = try Running(site: site)
        let result = try running.ssh("alice", key: key, options: ["-tt", "-o", "SendEnv=LANG"], stdin: "")
        #expect(result.status == 7)
        #expect(result.out.contains("args:console --db \(site.path) --lang"))
        #expect(result.out.contains("tty:yes"))
    }

    @Test func refusedExecsSayWhyWithTheirStatus() throws {
        let site = try KeySite()
        let key = try site.newKey(for: "alice")
        let running = try Running(site: site)
        let asOther = try running.ssh("alice", key: key, ["cases", "--as", "root-admin"])
        #expect(asOther.status == 3 && asOther.err.contains("--as is not accepted over SSH"))
        let db = try running.ssh("alice", key: key, ["cases", "--db=/tmp/x"])
        #expect(db.status == 2 && db.err.contains("--db is not accepted"))
        let console = try running.ssh("alice", key: key, ["console"])
        #expect(console.status == 2 && console.err.contains("'console'"))
        let noPty = try running.ssh("alice", key: key, options: ["-T"])
        #expect(noPty.status == 2 && noPty.err.contains("the console needs a terminal"))
        let sftp = try running.ssh("alice", key: key, options: ["-s"], ["sftp"])
        #expect(sftp.status != 0 && sftp.err.contains("no subsystems here"), "\(sftp.err)")
        let forward = try running.ssh("alice", key: key, options: ["-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:22"], ["x"])
        #expect(forward.status != 0, "forwarding is refused")
    }

    @Test func unknownKeysWrongLoginsAndDisabledOperatorsAreRefusedAndAudited() throws {
        let site = try KeySite()
        let key = try site.newKey(for: "alice")
        let stranger = try site.newKey(for: nil, name: "stranger")
        let running = try Running(site: site)
        let unknown = try running.ssh("alice", key: stranger, ["x"])
        #expect(unknown.status == 255 && unknown.err.contains("Permission denied"))
        let wrongLogin = try running.ssh("root-admin", key: key, ["x"])
        #expect(wrongLogin.status == 255)
        try site.store.write { db in try db.execute(sql: "UPDATE operator SET active = 0 WHERE login = 'alice'") }
        let disabled = try running.ssh("alice", key: key, ["x"])
        #expect(disabled.status == 255)
        let failures = try site.store.auditEvents().filter { $0.kind == .signInFailed }
        #expect(failures.count == 3)
        #expect(failures.last?.detail.contains("disabled") == true && failures.last?.address == "127.0.0.1")
    }

    @Test func tooManyFailuresFromAnAddressMakeItWaitWithAWord() throws {
        let site = try KeySite()
        _ = try site.newKey(for: "alice")
        let stranger = try site.newKey(for: nil, name: "stranger")
        var limits = SSHLimits()
        limits.failuresBeforeBackoff = 2
        limits.backoffBase = 60
        let running = try Running(site: site, limits: limits)
        _ = try running.ssh("alice", key: stranger, ["x"])
        _ = try running.ssh("alice", key: stranger, ["x"])
        let held = try running.ssh("alice", key: stranger, ["x"])
        #expect(held.status == 255 && held.err.contains("too many failed sign-ins from 127.0.0.1"), "\(held.err)")
        // The refusal is audited off the event loop, so the client can be told before the row is written: wait for it.
        let deadline = Date().addingTimeInterval(10)
        var audited = false
        while !audited && Date() < deadline {
            audited = try site.store.auditEvents().contains { $0.kind == .refused && $0.detail.contains("too many failed sign-ins") }
            if !audited { usleep(50_000) }
        }
        #expect(audited)
    }

    @Test func sessionsPastTheOperatorsLimitAreRefusedWithAWord() throws {
        let site = try KeySite()
        let key = try site.newKey(for: "alice")
        var limits = SSHLimits()
        limits.maxSessionsPerOperator = 1
        let running = try Running(site: site, limits: limits)
        // The first session waits on its standard input (a pipe the test holds) and so stays open.
        _ = FileManager.default.createFile(atPath: site.folder.file("ssh_config"), contents: Data())
        var pipeFDs: [CInt] = [-1, -1]
        #expect(pipe(&pipeFDs) == 0)
        _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        let first = try Spawned(["/usr/bin/ssh", "-F", site.folder.file("ssh_config"), "-p", String(running.port), "-i", key,
                                 "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=\(site.folder.file("known"))",
                                 "-o", "StrictHostKeyChecking=accept-new", "alice@127.0.0.1", "x"],
                                stdinFD: pipeFDs[0], stdout: site.folder.file("first.out"), stderr: site.folder.file("first.err"),
                                environment: ["HOME": site.folder.path, "PATH": "/usr/bin:/bin"])
        close(pipeFDs[0])
        var firstStatus: Int32?
        defer {
            if firstStatus == nil { close(pipeFDs[1]); kill(first.pid, SIGKILL); _ = first.wait() }
        }
        var started = false
        for _ in 0..<100 {
            if try site.store.auditEvents(login: "alice").contains(where: { $0.kind == .sessionStart }) { started = true; break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(started)
        let second = try running.ssh("alice", key: key, ["x"])
        #expect(second.status == 3 && second.err.contains("alice already has 1 sessions open"), "\(second.err)")
        // The client's end of input reaches the program: it reads its line and ends, and so does the session.
        #expect(write(pipeFDs[1], "bye\n", 4) == 4)
        close(pipeFDs[1])
        firstStatus = first.wait()
        #expect(firstStatus == 7)
        #expect(((try? String(contentsOfFile: site.folder.file("first.out"), encoding: .utf8)) ?? "").contains("read:bye"))
    }

    @Test func anIdleConnectionIsClosedWithAWordAndItsProgramStopped() throws {
        let site = try KeySite()
        let key = try site.newKey(for: "alice")
        var limits = SSHLimits()
        limits.idleTimeout = 1
        let running = try Running(site: site, limits: limits)
        // The program waits on its standard input, which the client holds open and never writes to.
        var pipeFDs: [CInt] = [-1, -1]
        #expect(pipe(&pipeFDs) == 0)
        _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        _ = FileManager.default.createFile(atPath: site.folder.file("ssh_config"), contents: Data())
        let client = try Spawned(["/usr/bin/ssh", "-F", site.folder.file("ssh_config"), "-p", String(running.port), "-i", key,
                                  "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=\(site.folder.file("known"))",
                                  "-o", "StrictHostKeyChecking=accept-new", "alice@127.0.0.1", "x"],
                                 stdinFD: pipeFDs[0], stdout: site.folder.file("idle.out"), stderr: site.folder.file("idle.err"),
                                 environment: ["HOME": site.folder.path, "PATH": "/usr/bin:/bin"])
        close(pipeFDs[0])
        defer { close(pipeFDs[1]) }
        let status = client.wait()
        #expect(status == 255)
        let err = (try? String(contentsOfFile: site.folder.file("idle.err"), encoding: .utf8)) ?? ""
        #expect(err.contains("no input for 1 s: this connection is closed"), "\(err)")
        var ended = false
        for _ in 0..<100 {
            if try site.store.auditEvents(login: "alice").contains(where: { $0.kind == .sessionEnd }) { ended = true; break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(ended, "the program was stopped and the session ended")
    }
}
