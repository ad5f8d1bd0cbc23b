import Foundation
import NIOSSH
import Testing
@testable import SSHServer
@testable import Workflow

/// A private folder for one test, removed at its end.
final class TempFolder {
    let path: String
    init() throws {
        path = TestFolder.root.appendingPathComponent("cg-ssh-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// Runs a program to its end; its output and status.
func runProgram(_ arguments: [String], stdin: String = "", environment: [String: String]? = nil) throws -> (status: Int32, out: String, err: String) {
    let folder = try TempFolder()
    let out = folder.file("out"), err = folder.file("err"), input = folder.file("in")
    _ = FileManager.default.createFile(atPath: input, contents: Data(stdin.utf8))
    let child = try Spawned(arguments, stdinPath: input, stdout: out, stderr: err,
                            environment: environment ?? ["PATH": "/usr/bin:/bin", "HOME": folder.path])
    let status = child.wait()
    return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "", (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

let haveSSHKeygen = FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")

struct HostKeyTests {
    @Test func isMadeOnceWithMode0600AndLoadedAgain() throws {
        let folder = try TempFolder()
        let path = folder.file("host_key")
        let made = try HostKey.loadOrCreate(path: path)
        #expect(made.created)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(made.fingerprint.hasPrefix("SHA256:") && !made.fingerprint.hasSuffix("="))
        let again = try HostKey.loadOrCreate(path: path)
        #expect(!again.created)
        #expect(again.fingerprint == made.fingerprint)
    }

    @Test(.enabled(if: haveSSHKeygen, "needs ssh-keygen"))
    func fingerprintIsTheOneOpenSSHPrints() throws {
        let folder = try TempFolder()
        let key = try HostKey.loadOrCreate(path: folder.file("host_key"))
        let pub = folder.file("host.pub")
        try (key.publicLine + "\n").write(toFile: pub, atomically: true, encoding: .utf8)
        let printed = try runProgram(["/usr/bin/ssh-keygen", "-lf", pub])
        #expect(printed.status == 0)
        #expect(printed.out.contains(key.fingerprint + " "), "ssh-keygen printed \(printed.out)")
    }

    @Test func aLinkInItsPlaceIsRefusedAndNotWrittenThrough() throws {
        let folder = try TempFolder()
        let target = folder.file("elsewhere")
        let path = folder.file("host_key")
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
        #expect(throws: WorkflowError.self) { try HostKey.loadOrCreate(path: path) }
        #expect(!FileManager.default.fileExists(atPath: target), "nothing is created through the link")
    }

    @Test func aKeyOthersCanReadIsRefused() throws {
        let folder = try TempFolder()
        let path = folder.file("host_key")
        _ = try HostKey.loadOrCreate(path: path)
        chmod(path, 0o640)
        do {
            _ = try HostKey.loadOrCreate(path: path)
            Issue.record("a group-readable key was used")
        } catch {
            #expect(error.description.contains("may be read by others"))
        }
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the file away"))
    func aKeyOfAnotherUserIsRefused() throws {
        let folder = try TempFolder()
        let path = folder.file("host_key")
        _ = try HostKey.loadOrCreate(path: path)
        #expect(chown(path, 65534, 65534) == 0)
        do {
            _ = try HostKey.loadOrCreate(path: path)
            Issue.record("another user's key was used")
        } catch {
            #expect(error.description.contains("belongs to user 65534"))
        }
    }

    @Test func aDirectoryOrADamagedFileIsRefused() throws {
        let folder = try TempFolder()
        let dir = folder.file("dir")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        #expect(throws: WorkflowError.self) { try HostKey.loadOrCreate(path: dir) }
        let damaged = folder.file("damaged")
        _ = FileManager.default.createFile(atPath: damaged, contents: Data("citygrid-ed25519-host-key !!!\n".utf8), attributes: [.posixPermissions: 0o600])
        #expect(throws: WorkflowError.self) { try HostKey.loadOrCreate(path: damaged) }
    }
}

struct PublicKeyLineTests {
    static func line(_ key: NIOSSHPrivateKey, comment: String = "alice@laptop") -> String {
        String(openSSHPublicKey: key.publicKey) + " " + comment
    }

    @Test func ed25519AndECDSAKeysAreAccepted() throws {
        let ed = try PublicKeyLine.parse(Self.line(NIOSSHPrivateKey(ed25519Key: .init())) + "\n")
        #expect(ed.algorithm == "ssh-ed25519" && ed.comment == "alice@laptop")
        let p256 = try PublicKeyLine.parse(Self.line(NIOSSHPrivateKey(p256Key: .init())))
        #expect(p256.algorithm == "ecdsa-sha2-nistp256")
        let p521 = try PublicKeyLine.parse("# my key\n\n" + Self.line(NIOSSHPrivateKey(p521Key: .init()), comment: ""))
        #expect(p521.algorithm == "ecdsa-sha2-nistp521" && p521.comment == "")
    }

    @Test func otherKindsAndDamageAreRefusedByName() throws {
        func refusal(_ text: String) -> String {
            do { _ = try PublicKeyLine.parse(text); return "accepted" } catch { return error.description }
        }
        #expect(refusal("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 bob").contains("ssh-rsa keys cannot be used"))
        #expect(refusal("ssh-ed25519 AAAA!!!notbase64 x").contains("not a valid ssh-ed25519 public key"))
        #expect(refusal("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----")
            .contains("private key"))
        #expect(refusal("").contains("no public key"))
        let two = Self.line(NIOSSHPrivateKey(ed25519Key: .init())) + "\n" + Self.line(NIOSSHPrivateKey(ed25519Key: .init()))
        #expect(refusal(two).contains("one public key at a time"))
        // An ed25519 blob labelled as an ECDSA key.
        let ed = String(openSSHPublicKey: NIOSSHPrivateKey(ed25519Key: .init()).publicKey).split(separator: " ")[1]
        #expect(refusal("ecdsa-sha2-nistp256 \(ed)").contains("not a valid"))
    }

    @Test func theCommentIsCleaned() throws {
        let parsed = try PublicKeyLine.parse(Self.line(NIOSSHPrivateKey(ed25519Key: .init()), comment: "evil\u{1B}[2J\u{7}\tname  here"))
        #expect(parsed.comment == "evil[2J name here")
    }

    @Test(.enabled(if: haveSSHKeygen, "needs ssh-keygen"))
    func theStoredFingerprintIsSshKeygens() throws {
        let folder = try TempFolder()
        let keyPath = folder.file("id")
        let made = try runProgram(["/usr/bin/ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "carol", "-f", keyPath])
        #expect(made.status == 0)
        let line = try PublicKeyLine.parse(try String(contentsOfFile: keyPath + ".pub", encoding: .utf8))
        let printed = try runProgram(["/usr/bin/ssh-keygen", "-lf", keyPath + ".pub"]).out
        let fingerprint = try #require(OperatorKey.fingerprint(keyBase64: line.keyBase64))
        #expect(printed.contains(fingerprint + " carol"), "ssh-keygen printed \(printed)")
    }
}

struct ExecCommandLineTests {
    func args(_ text: String) -> [String]? { try? ExecCommandLine.arguments(text, login: "alice").get() }
    func refusal(_ text: String) -> ExecCommandLine.Refusal? {
        if case .failure(let r) = ExecCommandLine.arguments(text, login: "alice") { return r }
        return nil
    }

    @Test func wordsAreSplitAsAShellWouldWithoutAShell() {
        #expect(args("cases --json") == ["cases", "--json"])
        #expect(args("  report --description 'two  words' --cell \"1101\"  ") == ["report", "--description", "two  words", "--cell", "1101"])
        #expect(args(#"report --description "say \"hi\" \$HOME" a\ b"#) == ["report", "--description", #"say "hi" $HOME"#, "a b"])
        #expect(args("cases; rm -rf / $(id) `id` > x") == ["cases;", "rm", "-rf", "/", "$(id)", "`id`", ">", "x"])
        #expect(args("citygrid overdue --json") == ["overdue", "--json"])
        #expect(args("x ''") == ["x", ""])
    }

    @Test func theSiteAndTheActorAreNotTheClientsToChoose() {
        #expect(refusal("cases --as city-lead-1")?.status == 3)
        #expect(refusal("cases --as=city-lead-1")?.message.contains("you act as alice") == true)
        #expect(refusal("cases --db /tmp/other.sqlite")?.status == 2)
        #expect(refusal("cases --db=/tmp/x")?.status == 2)
        #expect(args("report --description x -- --as") != nil, "after -- it is text")
    }

    @Test func consoleServersAndSiteMakersAreRefused() {
        for command in ["console", "serve", "serve-ssh --port 1", "demo", "init", "seed-demo", "citygrid console"] {
            #expect(refusal(command)?.status == 2, "\(command)")
        }
        #expect(refusal("console")?.message.contains("ssh -t") == true)
        #expect(refusal("")?.status == 2)
        #expect(refusal("'unterminated")?.message.contains("unmatched") == true)
        #expect(refusal("a \"b")?.message.contains("unmatched") == true)
    }
}

struct LimitsTests {
    @Test func sessionsAreCountedPerOperatorAndInAll() {
        var limits = SSHLimits()
        limits.maxSessions = 3
        limits.maxSessionsPerOperator = 2
        let counter = SessionCounter(limits: limits)
        #expect(counter.acquire(1, login: "a") == nil)
        #expect(counter.acquire(1, login: "a") == nil)
        #expect(counter.acquire(1, login: "a")?.contains("a already has 2 sessions") == true)
        #expect(counter.acquire(2, login: "b") == nil)
        #expect(counter.acquire(3, login: "c")?.contains("most sessions (3)") == true)
        counter.release(1)
        #expect(counter.acquire(3, login: "c") == nil)
        #expect(counter.total == 3 && counter.count(of: 1) == 1)
    }

    @Test func failuresFromAnAddressBackOffAndASuccessClears() {
        var limits = SSHLimits()
        limits.failuresBeforeBackoff = 3
        limits.backoffBase = 10
        limits.backoffMax = 25
        let backoff = AddressBackoff(limits: limits)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect(backoff.failed("10.0.0.1", at: t0) == nil)
        #expect(backoff.failed("10.0.0.1", at: t0) == nil)
        #expect(backoff.failed("10.0.0.1", at: t0) == t0.addingTimeInterval(10))
        #expect(backoff.blockedUntil("10.0.0.1", at: t0.addingTimeInterval(5)) != nil)
        #expect(backoff.blockedUntil("10.0.0.2", at: t0) == nil, "other addresses are not held back")
        #expect(backoff.blockedUntil("10.0.0.1", at: t0.addingTimeInterval(11)) == nil)
        #expect(backoff.failed("10.0.0.1", at: t0.addingTimeInterval(11)) == t0.addingTimeInterval(31), "doubled")
        #expect(backoff.failed("10.0.0.1", at: t0.addingTimeInterval(12)) == t0.addingTimeInterval(37), "capped")
        backoff.succeeded("10.0.0.1")
        #expect(backoff.blockedUntil("10.0.0.1", at: t0.addingTimeInterval(13)) == nil)
    }
}

struct ChildEnvironmentTests {
    @Test func onlyTerminalAndLocaleVariablesAreTakenFromTheClient() {
        #expect(ChildEnvironment.accepts("TERM", value: "xterm-256color"))
        #expect(ChildEnvironment.accepts("LANG", value: "en_US.UTF-8"))
        #expect(ChildEnvironment.accepts("LC_ALL", value: "zh_CN.UTF-8"))
        for name in ["LD_PRELOAD", "PATH", "CITYGRID_DB", "CITYGRID_SESSION", "HOME", "BASH_ENV"] {
            #expect(!ChildEnvironment.accepts(name, value: "x"), "\(name)")
        }
        #expect(!ChildEnvironment.accepts("TERM", value: "x\u{1B}y"))
        #expect(!ChildEnvironment.accepts("LANG", value: String(repeating: "a", count: 65)))
    }

    @Test func theChildGetsTheServersFewVariablesAndItsSession() {
        let env = ChildEnvironment.make(server: ["HOME": "/h", "LD_PRELOAD": "/evil.so", "CITYGRID_NOW": "2026-11-25T10:30:00+08:00",
                                                 "SSH_AUTH_SOCK": "/s"],
                                        database: "/d/site.sqlite", token: "t0k", term: "xterm")
        #expect(env["HOME"] == "/h" && env["CITYGRID_NOW"] != nil && env["CITYGRID_DB"] == "/d/site.sqlite")
        #expect(env["CITYGRID_SESSION"] == "t0k" && env["TERM"] == "xterm" && env["LANG"] == "C.UTF-8")
        #expect(env["LD_PRELOAD"] == nil && env["SSH_AUTH_SOCK"] == nil)
    }

    @Test func theConsolesLanguageFollowsTheClientsLocale() {
        #expect(ChildEnvironment.consoleLanguage(["LANG": "en_GB.UTF-8"]) == "en")
        #expect(ChildEnvironment.consoleLanguage(["LANG": "en_GB.UTF-8", "LC_ALL": "zh_CN.UTF-8"]) == "zh")
        #expect(ChildEnvironment.consoleLanguage([:]) == "zh")
    }

    @Test func anUnknownTerminalTypeFallsBackToACommonOne() throws {
        let folder = try TempFolder()
        try FileManager.default.createDirectory(atPath: folder.file("x"), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder.file("x/xterm-test"), contents: Data())
        #expect(ChildEnvironment.usableTerm("xterm-test", terminfoDirectories: [folder.path]))
        #expect(!ChildEnvironment.usableTerm("no-such-term", terminfoDirectories: [folder.path]))
        #expect(!ChildEnvironment.usableTerm("../../etc/passwd", terminfoDirectories: [folder.path]))
        #expect(!ChildEnvironment.usableTerm("", terminfoDirectories: [folder.path]))
        #expect(ChildEnvironment.term(fromClient: "no-such-term-here") != "no-such-term-here")
    }
}
