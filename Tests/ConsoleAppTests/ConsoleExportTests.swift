import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The console's `:export` follows the same rule as the command line's outputs: a device is written through and
/// stays a device, a FIFO without a reader is refused at once (the console never hangs on it), a folder and `-`
/// are refused in the console's language, a link is followed.
@Suite struct ConsoleExportTests {
    @Test(.enabled(if: SpecialFiles.isRoot, "mknod needs root"))
    func exportToADeviceWritesThroughIt() throws {
        let engine = try ConsoleFixture.engine()
        let folder = SpecialFiles.folder()
        let null = try SpecialFiles.nullDevice(in: folder)
        engine.execute(.export(null))
        #expect(engine.state.status?.kind == .ok, "\(String(describing: engine.state.status))")
        #expect(SpecialFiles.kind(null) == S_IFCHR, "still a character device")
        #expect(SpecialFiles.names(folder) == ["null"])
    }

    @Test func exportToAFIFOWithoutAReaderIsRefusedAndToOneWithAReaderArrives() throws {
        let engine = try ConsoleFixture.engine()
        let folder = SpecialFiles.folder()
        let fifo = try SpecialFiles.fifo(in: folder)
        engine.execute(.export(fifo))
        #expect(engine.state.status == StatusMessage(text: "cannot write \(fifo): nothing is reading it", kind: .error))
        #expect(SpecialFiles.kind(fifo) == S_IFIFO)
        let reader = try FIFOReader(fifo)
        engine.execute(.export(fifo))
        let text = String(decoding: reader.finish(), as: UTF8.self)
        #expect(engine.state.status?.kind == .ok)
        #expect(text.hasPrefix("id,state,category,cell,"), "\(text.prefix(80))")
        #expect(SpecialFiles.kind(fifo) == S_IFIFO)
    }

    @Test func aFolderAndStandardOutputAreRefusedInTheConsolesLanguage() throws {
        let engine = try ConsoleFixture.engine(lang: .zh)
        let folder = SpecialFiles.folder()
        engine.execute(.export(folder))
        #expect(engine.state.status == StatusMessage(text: "\(folder) 是文件夹，请给出文件名", kind: .error))
        engine.execute(.export("-"))
        #expect(engine.state.status == StatusMessage(text: "请给出导出文件名", kind: .error))
        #expect(SpecialFiles.kind(folder) == S_IFDIR && SpecialFiles.names(folder).isEmpty)
    }

    @Test func aLinkIsFollowedAndARegularFileReplacedWhole() throws {
        let engine = try ConsoleFixture.engine()
        let folder = SpecialFiles.folder()
        try "old\n".write(toFile: folder + "/queue.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: "queue.csv")
        engine.execute(.export(folder + "/link.csv"))
        // The link's file exists: replaced once the operator says so.
        #expect(engine.state.overlay.map { if case .confirm(let q, .export) = $0 { q.hasSuffix("link.csv exists. Replace it? (y/n)") } else { false } } == true)
        engine.press("y")
        #expect(engine.state.status?.kind == .ok)
        #expect(SpecialFiles.kind(folder + "/link.csv") == S_IFLNK)
        #expect(try String(contentsOfFile: folder + "/queue.csv", encoding: .utf8).hasPrefix("id,state,"))
        #expect(SpecialFiles.names(folder) == ["link.csv", "queue.csv"])
    }
}
