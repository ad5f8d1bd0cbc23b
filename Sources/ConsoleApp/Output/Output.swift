import Curses
import Foundation
import Workflow

/// Everything the CLI prints goes through here: report text is untrusted, so human output is
/// sanitized before it reaches a terminal, and JSON escapes every control character.
enum Output {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((TerminalText.sanitize(text) + "\n").utf8))
    }

    /// Lines already made safe (tables built from sanitized cells).
    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("citygrid: " + TerminalText.sanitize(text) + "\n").utf8))
    }

    /// Lines of a message (the argument parser's error with its usage lines, or help): each line sanitized like
    /// `error`'s, the line breaks between them kept.
    static func messageLines(_ text: String, toStandardOutput: Bool) {
        let safe = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { TerminalText.sanitize(String($0)) }.joined(separator: "\n")
        (toStandardOutput ? FileHandle.standardOutput : FileHandle.standardError).write(Data((safe + "\n").utf8))
    }

    static func progress(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.sanitize(text) + "\n").utf8))
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(value) } catch { throw WorkflowError.storage("cannot encode JSON: \(error)") }
        raw(escapeControls(String(decoding: data, as: UTF8.self)) + "\n")
    }

    /// JSONEncoder escapes C0 controls but leaves DEL, C1 controls (U+0080–U+009F, which some terminals
    /// read as CSI) and bidi overrides raw; escape them too. They can only occur inside JSON strings.
    static func escapeControls(_ json: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            let v = scalar.value
            if (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029 {
                out.append(contentsOf: String(format: "\\u%04x", v).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// A plain-text table with columns aligned by display width (CJK counts two), cells sanitized.
    static func table(_ header: [String], _ rows: [[String]], maxWidth: Int = 60) {
        let clean = rows.map { $0.map { TerminalText.truncate(TerminalText.sanitize($0), toWidth: maxWidth) } }
        var widths = header.map { TerminalText.width($0) }
        for row in clean { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], TerminalText.width(cell)) } }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell + String(repeating: " ", count: max(0, widths[i] - TerminalText.width(cell)))
            }.joined(separator: "  ")
        }
        var text = render(header) + "\n"
        for row in clean { text += render(row) + "\n" }
        raw(text)
    }
}

/// Reads a text argument, with `-` meaning standard input (a long description does not fit in argv).
enum TextArgument {
    static func read(_ value: String, limitBytes: Int) throws(WorkflowError) -> String {
        guard value == "-" else { return value }
        let handle = FileHandle.standardInput
        var data = Data()
        while true {
            let chunk = handle.readData(ofLength: 65_536)
            if chunk.isEmpty { break }
            data.append(chunk)
            if data.count > limitBytes {
                throw .invalidInput("description on standard input is over the limit of \(limitBytes) bytes")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalidInput("description on standard input is not valid UTF-8")
        }
        return text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}
