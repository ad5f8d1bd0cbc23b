import Foundation
import Testing

/// docs/setup.md's walk from `init` to a ready site, run as written: the files and the command lines are read from the
/// page (between its markers), so the page cannot drift from the program. Every `doctor` but the last lists what is
/// missing (exit 1); the last exits 0.
@Suite struct SetupWalkCLITests {
    struct Walk {
        var files: [String: String] = [:]
        var commands: [String] = []
    }

    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/setup.md")

    /// The files (`<!-- setup-file: NAME -->` then a fenced block) and the commands (the `citygrid` lines between
    /// `<!-- setup-walk:begin -->` and `<!-- setup-walk:end -->`).
    static func walk() throws -> Walk {
        let text = try String(contentsOf: page, encoding: .utf8)
        var walk = Walk()
        var file: String?, inFence = false, inWalk = false, content: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("<!-- setup-file: ") {
                let name = line.dropFirst("<!-- setup-file: ".count).dropLast(" -->".count)
                file = name == "end" ? nil : String(name)
                continue
            }
            if line == "<!-- setup-walk:begin -->" { inWalk = true; continue }
            if line == "<!-- setup-walk:end -->" { inWalk = false; continue }
            if line.hasPrefix("```") {
                if inFence, let name = file { walk.files[name] = content.joined(separator: "\n") + "\n" }
                inFence.toggle(); content = []
                continue
            }
            if inFence && file != nil { content.append(line) }
            if inFence && inWalk && line.hasPrefix("citygrid ") { walk.commands.append(line) }
        }
        return walk
    }

    /// Runs one command line as a shell would (the page's quoting), with `citygrid` on the PATH, in `folder`.
    static func shell(_ line: String, in folder: URL, db: String) throws -> CLIResult {
        let out = folder.appendingPathComponent(".out"), err = folder.appendingPathComponent(".err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", line]
        process.currentDirectoryURL = folder
        process.environment = ["PATH": CLI.binary.deletingLastPathComponent().path + ":/usr/bin:/bin", "LANG": "C.UTF-8",
                               "HOME": folder.path, "CITYGRID_NOW": CLI.now, "CITYGRID_DB": db]
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    @Test func theDocumentedWalkTakesAFreshSiteToReady() throws {
        let walk = try Self.walk()
        #expect(Set(walk.files.keys) == ["grid.csv", "holidays-2026.csv", "holidays-2027.csv"])
        #expect(walk.commands.first?.hasPrefix("citygrid init ") == true && walk.commands.last == "citygrid doctor")
        #expect(walk.commands.count >= 15)
        let folder = TestFolder.root.appendingPathComponent("citygrid-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, content) in walk.files { try content.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let db = folder.appendingPathComponent("city.sqlite").path

        var doctors: [CLIResult] = []
        for (index, line) in walk.commands.enumerated() {
            let result = try Self.shell(line, in: folder, db: db)
            if line.hasPrefix("citygrid doctor") {
                doctors.append(result)
                let last = index == walk.commands.count - 1
                #expect(result.status == (last ? 0 : 1), "\(line)\n\(result.stdout)\(result.stderr)")
            } else {
                #expect(result.status == 0, "\(line)\n\(result.stdout)\(result.stderr)")
            }
        }
        #expect(doctors.count == 3)
        guard doctors.count == 3 else { return }
        // A fresh site: no grid, the city centers unstaffed, no calendar.
        let fresh = doctors[0].stdout
        #expect(fresh.contains("FAIL  grid") && fresh.contains("the grid has no cells; run: citygrid import grid FILE"), "\(fresh)")
        #expect(fresh.contains("CITY-M has no active intake") && fresh.contains("CITY-C has no active dispatcher"), "\(fresh)")
        #expect(fresh.contains("no holidays or make-up workdays for 2026") && fresh.contains("for 2027"), "\(fresh)")
        // After the grid: the hidden paths are named, each with its command.
        let gridded = doctors[1].stdout
        #expect(gridded.contains("the district 330102 command center 330102-C has no active dispatcher; "
                                 + "run: citygrid operator add --login LOGIN --name NAME --role dispatcher --center 330102-C"), "\(gridded)")
        #expect(gridded.contains("4 cells of community 330106001001 are in no patrol area (330106001001001,"), "\(gridded)")
        #expect(gridded.contains("citygrid patrol-area add --id AREA --community 330106001001"), "\(gridded)")
        #expect(gridded.contains("patrol area SC-01 (4 cells, community 330102001001) has no active inspector"), "\(gridded)")
        #expect(gridded.contains("run: citygrid department serve --all-departments --district 330106"), "\(gridded)")
        #expect(!gridded.contains("FAIL  integrity") && !gridded.contains("FAIL  schema"))
        // Ready.
        // Who files and closes comes first, as information; every check after it is ok.
        let lines = doctors[2].stdout.split(separator: "\n")
        #expect(lines.prefix(2).map { String($0.prefix(13)) } == ["site  filing:", "site  closing"], "\(doctors[2].stdout)")
        let ready = lines.dropFirst(2)
        #expect(ready.count == 10 && ready.allSatisfy { $0.hasPrefix("ok  ") }, "\(doctors[2].stdout)")

        let json = try Self.shell("citygrid doctor --json", in: folder, db: db)
        #expect(json.status == 0 && json.object["ok"] as? Bool == true)
        let checks = try #require(json.object["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["integrity", "schema", "history_guards", "history_chain", "stored_values",
                                                         "grid", "patrol_areas", "centers", "departments", "calendar"])
        let areas = try Self.shell("citygrid patrol-area list --json", in: folder, db: db).array
        #expect(areas.map { $0["id"] as? String } == ["SC-01", "XH-01"] && areas.allSatisfy { $0["cells"] as? Int == 4 })
    }

    @Test func everyReadinessFindingEndsWithTheCommandToRun() throws {
        let walk = try Self.walk()
        let folder = TestFolder.root.appendingPathComponent("citygrid-setup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, content) in walk.files { try content.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let db = folder.appendingPathComponent("city.sqlite").path
        for line in walk.commands.prefix(3) { #expect(try Self.shell(line, in: folder, db: db).status <= 1) }
        let doctor = try Self.shell("citygrid doctor --json", in: folder, db: db)
        #expect(doctor.status == 1)
        let checks = try #require(doctor.object["checks"] as? [[String: Any]])
        let readiness = checks.filter { ["grid", "patrol_areas", "centers", "departments", "calendar"].contains($0["name"] as? String ?? "") }
        #expect(readiness.count == 5)
        for check in readiness {
            for finding in check["findings"] as? [String] ?? [] { #expect(finding.contains("; run: citygrid "), "\(finding)") }
            #expect((check["ok"] as? Bool == true) == (check["fix"] is NSNull))
        }
    }
}
