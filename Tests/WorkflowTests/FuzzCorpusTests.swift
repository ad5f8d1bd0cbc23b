// Replays every seed and every crash found so far (Fuzz/corpus/NAME) through the fuzz harnesses' entry points
// (FuzzEntries.swift), so a fixed parser crash stays fixed. The long runs are scripts/reliability/fuzz.sh.

import Foundation
import Testing
@testable import Workflow

@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/corpus").standardizedFileURL

    @Test(arguments: FuzzEntries.all.map(\.name))
    func replaysCorpus(_ name: String) throws {
        let folder = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!files.isEmpty, "no seeds in \(folder.path)")
        let run = try #require(FuzzEntries.all.first { $0.name == name }).run
        for file in files { run(Array(try Data(contentsOf: folder.appendingPathComponent(file)))) }
    }
}


/// Inputs that killed the process inside Foundation's date parsers (found by the `time` harness; each took down
/// `citygrid serve` with one `GET /requests.json?start_date=…`, and any command through `--at` or CITYGRID_NOW).
@Suite struct InstantFormatCrashTests {
    @Test(arguments: ["2024-02-2\u{32B}23:59:59+00:00", "26-11-25T09:30:00.1" + String(repeating: "8", count: 80) + "+08:00",
                      "2026-11-25T09:30:00." + String(repeating: "1", count: 40) + "Z"])
    func refusesInsteadOfCrashing(_ text: String) {
        for zone in [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Asia/Shanghai")!] {
            #expect(throws: WorkflowError.self) { try InstantFormat(timeZone: zone).parse(text) }
            #expect(throws: WorkflowError.self) { try FastInstant(timeZone: zone).parse(text) }
        }
    }

    @Test func stillReadsTheFormsItDocuments() throws {
        let format = InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        for text in ["2026-11-25T09:30:00+08:00", "2026-11-25T01:30:00Z", "2026-11-25T09:30:00.123456789+08:00",
                     "2026-11-25T09:30", "2026-11-25 09:30:15", " 2026-11-25 "] {
            _ = try format.parse(text)
        }
    }
}
