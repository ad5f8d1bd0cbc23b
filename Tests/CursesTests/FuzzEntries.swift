// The theme parser's fuzz entry point (Fuzz/, scripts/reliability/fuzz.sh), shared with the corpus replay in
// `swift test` (FuzzCorpusTests).

import Foundation
@testable import Curses

enum FuzzEntries {
    static let all: [(name: String, run: @Sendable ([UInt8]) -> Void)] = [("theme", theme)]

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz rule broken: \(message)\n".utf8))
        abort()
    }

    /// A theme file: parsed or refused with a message that carries no control character; a parsed theme has
    /// every style and its name and description print as plain text.
    static func theme(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        do {
            let theme = try Theme.parse(text, source: "fuzz.yaml")
            for name in Array(theme.styles.keys) + ["normal", "undefined.style"] { _ = theme[name] }
        } catch {
            let message = error.description
            if message.unicodeScalars.contains(where: { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B }) {
                fail("theme error echoes a control sequence: \(message.debugDescription)")
            }
        }
    }
}
