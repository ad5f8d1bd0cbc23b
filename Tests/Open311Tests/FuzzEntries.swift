// The Open311 request parsers' fuzz entry point (Fuzz/, scripts/reliability/fuzz.sh), shared with the corpus
// replay in `swift test` (FuzzCorpusTests). The fuzz harness compiles Open311Input.swift and Open311Format.swift
// into itself (CITYGRID_FUZZ), so the import is only for the tests.

import Foundation
#if !CITYGRID_FUZZ
@testable import Open311
#endif

enum FuzzEntries {
    static let all: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [("open311", open311)]

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz rule broken: \(message)\n".utf8))
        abort()
    }

    /// A posted body or query string, form-encoded and as JSON: fields or a 400 whose text is safe to echo.
    static func open311(_ bytes: [UInt8]) {
        check { () throws(Open311Error) in try Fields.form(bytes) }
        check { () throws(Open311Error) in try Fields.json(bytes) }
    }

    static func check(_ parse: () throws(Open311Error) -> [String: String]) {
        do {
            let fields = try parse()
            guard fields.count <= Fields.maxFields else { fail("\(fields.count) fields") }
            for (name, value) in fields {
                let echoed = Echo.safe(name) + Echo.safe(value) + Echo.clean(value)
                if echoed.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) }) {
                    fail("echo keeps a control character: \(echoed.debugDescription)")
                }
            }
        } catch {
            guard error.status == 400 else { fail("status \(error.status) for a malformed body") }
            if error.description.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                fail("error echoes a control character: \(error.description.debugDescription)")
            }
        }
    }
}
