// Replays every seed and every crash found so far (Fuzz/corpus/NAME) through the fuzz harnesses' entry points
// (FuzzEntries.swift), so a fixed parser crash stays fixed. The long runs are scripts/reliability/fuzz.sh. One file,
// linked into each test target that has fuzz entries (Tests/*/FuzzCorpusTests.swift).

import Foundation
import Testing

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
