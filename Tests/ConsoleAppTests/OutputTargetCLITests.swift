import Foundation
import Testing

/// `export --out` and `import --rejects` never replace a special file: a device or FIFO is written through, a
/// folder refused, a link followed, `-` is standard output, and a regular file is replaced only when complete.
@Suite struct OutputTargetCLITests {
    static let reports = """
        kind,category,cell,description,source
        event,0102,110101001001999,no such cell,web
        event,0102,110101001001001,good,web

        """

    func reportsFile(in folder: String) throws -> String {
        let path = folder + "/reports.csv"
        try Self.reports.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    func caseCount(_ db: String) throws -> Int { try CLI.run(["cases", "--json"], db: db).array.count }

    @Test(.enabled(if: SpecialFiles.isRoot, "mknod needs root"))
    func exportAndRejectsWriteThroughACharacterDevice() throws {
        let db = try CLI.demoCopy(), folder = SpecialFiles.folder()
        let null = try SpecialFiles.nullDevice(in: folder)
        let export = try CLI.run(["export", "grid", "--out", null], db: db)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(SpecialFiles.kind(null) == S_IFCHR, "still a character device")
        let input = try reportsFile(in: folder)
        let imported = try CLI.run(["import", "reports", input, "--skip-bad", "--rejects", null], db: db)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(SpecialFiles.kind(null) == S_IFCHR, "still a character device")
        #expect(try caseCount(db) == 401)
        #expect(SpecialFiles.names(folder) == ["null", "reports.csv"], "no temporary file left beside it")
    }

    @Test func exportAndRejectsReachAFIFOsReader() throws {
        let db = try CLI.demoCopy(), folder = SpecialFiles.folder()
        let fifo = try SpecialFiles.fifo(in: folder)
        let reader = try FIFOReader(fifo)
        let export = try CLI.run(["export", "grid", "--out", fifo], db: db)
        let received = String(decoding: reader.finish(), as: UTF8.self)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(received.hasPrefix("code,name,") && received.utf8.split(separator: 0x0A).count > 1000)
        #expect(SpecialFiles.kind(fifo) == S_IFIFO)

        let input = try reportsFile(in: folder)
        let rejects = try FIFOReader(fifo)
        let imported = try CLI.run(["import", "reports", input, "--skip-bad", "--rejects", fifo], db: db)
        let refused = String(decoding: rejects.finish(), as: UTF8.self)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(refused.hasPrefix("line,reason,record\r\n2,no cell 110101001001999"), "\(refused)")
        #expect(SpecialFiles.kind(fifo) == S_IFIFO)
    }

    @Test func aFolderIsRefusedWithExit2AndNothingChanges() throws {
        let db = try CLI.demoCopy(), folder = SpecialFiles.folder()
        let target = folder + "/out"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        let export = try CLI.run(["export", "cases", "--out", target], db: db)
        #expect(export.status == 2)
        #expect(export.stderr == "citygrid: invalid input: \(target) is a folder, not a file\n")
        let input = try reportsFile(in: folder)
        let imported = try CLI.run(["import", "reports", input, "--skip-bad", "--rejects", target], db: db)
        #expect(imported.status == 2 && imported.stderr.contains("is a folder, not a file"), "\(imported.stderr)")
        #expect(try caseCount(db) == 400, "nothing imported")
        #expect(SpecialFiles.kind(target) == S_IFDIR && SpecialFiles.names(target).isEmpty)
        #expect(SpecialFiles.names(folder) == ["out", "reports.csv"])
    }

    @Test func aLinkIsFollowedAndStaysALink() throws {
        let db = try CLI.demoCopy(), folder = SpecialFiles.folder()
        let real = folder + "/real.csv", link = folder + "/link.csv", rejectsReal = folder + "/rejects-real.csv", rejectsLink = folder + "/rejects.csv"
        try "old\n".write(toFile: real, atomically: false, encoding: .utf8)
        try "old\n".write(toFile: rejectsReal, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.csv")
        try FileManager.default.createSymbolicLink(atPath: rejectsLink, withDestinationPath: rejectsReal)
        #expect(try CLI.run(["export", "grid", "--out", link], db: db).status == 0)
        #expect(SpecialFiles.kind(link) == S_IFLNK)
        #expect(try String(contentsOfFile: real, encoding: .utf8).hasPrefix("code,name,"))
        let input = try reportsFile(in: folder)
        #expect(try CLI.run(["import", "reports", input, "--skip-bad", "--rejects", rejectsLink], db: db).status == 0)
        #expect(SpecialFiles.kind(rejectsLink) == S_IFLNK)
        #expect(try String(contentsOfFile: rejectsReal, encoding: .utf8).hasPrefix("line,reason,record\r\n2,"))
        #expect(SpecialFiles.names(folder) == ["link.csv", "real.csv", "rejects-real.csv", "rejects.csv", "reports.csv"])
    }

    @Test func outDashIsStandardOutput() throws {
        let db = try CLI.demoCopy()
        let result = try CLI.run(["export", "grid", "--out", "-"], db: db)
        #expect(result.status == 0)
        let plain = try CLI.run(["export", "grid"], db: db).stdout
        #expect(result.stdout.hasPrefix("code,name,") && result.stdout == plain)
        #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/-"), "no file named -")
    }

    /// Ctrl-C while the import waits for its input (a FIFO the test writes): the reject file's temporary copy is
    /// removed and the old reject file is left as it was.
    @Test func ctrlCDuringAnImportLeavesNoHalfRejectFile() throws {
        let db = try CLI.demoCopy(), folder = SpecialFiles.folder()
        let input = try SpecialFiles.fifo(in: folder, name: "input.csv")
        let rejects = folder + "/rejects.csv"
        try "old\n".write(toFile: rejects, atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = ["import", "reports", input, "--skip-bad", "--rejects", rejects, "--db", db]
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": folder, "CITYGRID_NOW": CLI.now]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let writer = open(input, O_WRONLY)      // waits for the import to open its input
        #expect(writer >= 0)
        let head = Array("kind,category,cell,description,source\nevent,0102,110101001001999,no such cell,web\n".utf8)
        _ = head.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) }
        // The import has made its temporary reject file once one shows; then it waits for more input.
        var partial: String?
        for _ in 0..<3000 where partial == nil {
            partial = SpecialFiles.names(folder).first { $0.hasSuffix(".partial") }
            if partial == nil { usleep(10_000) }
        }
        #expect(partial?.hasPrefix(".rejects.csv.") == true, "\(SpecialFiles.names(folder))")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        close(writer)
        #expect(process.terminationStatus == 130)
        #expect(SpecialFiles.names(folder) == ["input.csv", "rejects.csv"])
        #expect(try String(contentsOfFile: rejects, encoding: .utf8) == "old\n")
        #expect(try caseCount(db) == 400)
    }
}
