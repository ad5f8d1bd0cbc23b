import Foundation
import Testing

@Suite("apikey command") struct APIKeyCLITests {
    @Test func addListRevoke() throws {
        let db = try CLI.demoCopy()
        let added = try CLI.run(["apikey", "add", "--name", "Citizen app", "--json"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        let key = try #require(added.object["key"] as? String)
        #expect(key.count == 40)
        let id = try #require(added.object["id"] as? Int)
        let list = try CLI.run(["apikey", "list", "--json"], db: db)
        #expect(list.array.first?["name"] as? String == "Citizen app")
        #expect(list.array.first?["revoked_at"] is NSNull)
        #expect(!list.stdout.contains(key))
        let text = try CLI.run(["apikey", "list"], db: db)
        #expect(text.stdout.contains("active") && !text.stdout.contains(key))
        #expect(try CLI.run(["apikey", "revoke", String(id)], db: db).status == 0)
        #expect(try CLI.run(["apikey", "revoke", String(id)], db: db).status == 4)
        #expect(try CLI.run(["apikey", "revoke", "999"], db: db).status == 5)
        #expect((try CLI.run(["apikey", "list", "--json"], db: db).array.first?["revoked_at"] as? String)?.hasPrefix("2026-11-25") == true)
        #expect(try CLI.run(["apikey", "add", "--name", "  "], db: db).status == 2)
    }
}

@Suite("serve command") struct ServeCLITests {
    @Test func limitOptionsAreCheckedBeforeServing() throws {
        let db = try CLI.demoCopy()
        for (bad, option) in [(["--header-timeout", "0"], "--header-timeout"), (["--body-timeout", "nan"], "--body-timeout"),
                              (["--idle-timeout", "99999"], "--idle-timeout"), (["--max-connections", "0"], "--max-connections"),
                              (["--max-connections", "100000000"], "--max-connections"),
                              (["--max-connections-per-address", "0"], "--max-connections-per-address")] {
            let result = try CLI.run(["serve", "--port", "0"] + bad, db: db)
            #expect(result.status == 64, "a usage error, like --port's: \(bad)")
            #expect(result.stderr.contains(option), "\(bad): \(result.stderr)")
        }
    }

    /// The server as run: a half-sent head is answered 408 and closed after --header-timeout.
    @Test func aHalfSentHeadIsCutOffAfterTheHeaderTimeout() throws {
        let db = try CLI.demoCopy()
        let folder = TestFolder.root.appendingPathComponent("citygrid-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let err = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let server = Process()
        server.executableURL = CLI.binary
        server.arguments = ["serve", "--port", "0", "--header-timeout", "0.5", "--db", db]
        server.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder.path, "CITYGRID_NOW": CLI.now]
        server.standardOutput = try FileHandle(forWritingTo: out)
        server.standardError = try FileHandle(forWritingTo: err)
        try server.run()
        defer { if server.isRunning { server.terminate(); server.waitUntilExit() } }
        var port: String?
        for _ in 0..<200 where port == nil {
            let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
            if let range = text.range(of: "http://127.0.0.1:") { port = String(text[range.upperBound...].prefix { $0.isNumber }) }
            if port == nil { usleep(100_000) }
        }
        let bound = try #require(port, "the server says where it listens")
        // bash's /dev/tcp: half a head, then read until the server closes (timeout 10 s, far over the 0.5 s set).
        let client = Process()
        client.executableURL = URL(fileURLWithPath: "/bin/bash")
        client.arguments = ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(bound); printf 'GET /services.json HTTP/1.1\\r\\nHost: x\\r\\nX-Slow: ' >&3; timeout 10 cat <&3"]
        let pipe = Pipe()
        client.standardOutput = pipe
        try client.run()
        let answer = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        client.waitUntilExit()
        #expect(client.terminationStatus == 0, "closed by the server, not by the 10 s timeout")
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
    }
}
