import Foundation
import Testing
@testable import Workflow

/// The rule of `OutputTarget`/`OutputFile` below the command line: what a path resolves to, and that a regular
/// file is only ever replaced whole (or not at all).
@Suite struct OutputFileTests {
    func folder() -> String {
        let url = TestFolder.root.appendingPathComponent("citygrid-output-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    func names(_ folder: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() }

    @Test func pathsResolveByWhatTheyAreAtTheEndOfTheirLinks() throws {
        let dir = folder()
        #expect(try OutputTarget.resolve("-") == .standardOutput)
        #expect(try OutputTarget.resolve(dir) == .folder(dir))
        #expect(try OutputTarget.resolve(dir + "/new.csv") == .file(dir + "/new.csv"))
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-fifo", withDestinationPath: "fifo")
        try FileManager.default.createSymbolicLink(atPath: dir + "/chain", withDestinationPath: dir + "/to-fifo")
        #expect(try OutputTarget.resolve(dir + "/chain") == .special(dir + "/fifo"))
        // A dangling link: the file is made where it points, and the link stays.
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: "later.csv")
        #expect(try OutputTarget.resolve(dir + "/dangling") == .file(dir + "/later.csv"))
        try FileManager.default.createSymbolicLink(atPath: dir + "/loop", withDestinationPath: "loop")
        #expect(throws: WorkflowError.self) { try OutputTarget.resolve(dir + "/loop") }
        #expect(throws: WorkflowError.invalidInput("\(dir) is a folder, not a file")) { try OutputFile(path: dir) }
    }

    @Test func aRegularFileIsReplacedOnlyWhenCommittedAndKeepsItsMode() throws {
        let dir = folder(), path = dir + "/out.csv"
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(chmod(path, 0o640) == 0)
        let abandoned = try OutputFile(path: path)
        try abandoned.write("half")
        #expect(names(dir).count == 2 && names(dir).contains { $0.hasPrefix(".out.csv.") && $0.hasSuffix(".partial") })
        abandoned.discard()
        #expect(names(dir) == ["out.csv"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")

        do {
            let dropped = try OutputFile(path: path)
            try dropped.write("dropped without commit")
        }
        #expect(names(dir) == ["out.csv"], "deinit removes the temporary file")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")

        let file = try OutputFile(path: path)
        try file.write("new\n")
        try file.commit()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(names(dir) == ["out.csv"])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
    }

    @Test func aTargetThatBecameAFIFOIsNotRenamedOver() throws {
        let dir = folder(), path = dir + "/out.csv"
        let file = try OutputFile(path: path)
        try file.write("data\n")
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: WorkflowError.self) { try file.commit() }
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(names(dir) == ["out.csv"])
    }

    @Test func aFIFOWithoutAReaderIsRefusedWhenInteractive() throws {
        let dir = folder(), path = dir + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: WorkflowError.storage("cannot write \(path): nothing is reading it")) { try OutputFile(path: path, interactive: true) }
    }

    /// A reader that goes away: the console gets a write error, not SIGPIPE (which would end the test process).
    @Test func aReaderThatLeavesIsAWriteErrorWhenInteractive() throws {
        let dir = folder(), path = dir + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let reader = open(path, O_RDONLY | O_NONBLOCK)
        #expect(reader >= 0)
        let file = try OutputFile(path: path, interactive: true)
        close(reader)
        #expect(throws: WorkflowError.self) {
            try file.write(Array(repeating: 0x41, count: 1 << 17))
            try file.commit()
        }
    }
}
