// The console's `:` command parser fuzz entry point (Fuzz/, scripts/reliability/fuzz.sh), shared with the corpus
// replay in `swift test` (FuzzCorpusTests). The parser lives in the executable target, so the fuzz harness
// compiles it and the files it needs into itself (CITYGRID_FUZZ; the list is in Fuzz/Package.swift).

import Foundation
#if !CITYGRID_FUZZ
@testable import ConsoleApp
#endif

enum FuzzEntries {
    static let all: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [("command", command)]

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz rule broken: \(message)\n".utf8))
        abort()
    }

    /// One typed line: a command or a usage message, and completions that all extend the word being typed.
    static func command(_ bytes: [UInt8]) {
        let line = String(decoding: bytes, as: UTF8.self)
        switch ConsoleCommandParser.parse(line, actor: "dispatcher") {
        case .success(.action(let request)):
            // The lifecycle bounds the hours (0 < h <= 2160); the parser only has to keep them positive.
            if let hours = request.hours, !(hours > 0) { fail("extension of \(hours) hours accepted") }
        case .success: break
        case .failure(let error):
            guard !error.message.isEmpty else { fail("empty usage message") }
        }
        let candidates = ConsoleCommandParser.completions(
            for: line, caseIDs: [1, 12, 123], departments: ["SANIT", "ROADS"], centers: ["110101"],
            categories: ["0102", "0201"], inspectors: ["110101-insp-003"], themes: ["default", "light", "mono"])
        let endsWithSpace = line.last?.isWhitespace ?? false
        let partial = endsWithSpace ? "" : String(line.split(whereSeparator: \.isWhitespace).last ?? "").lowercased()
        for c in candidates where !c.lowercased().hasPrefix(partial) { fail("completion '\(c)' does not extend '\(partial)'") }
    }
}
