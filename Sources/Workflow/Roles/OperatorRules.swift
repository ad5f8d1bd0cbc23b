import Foundation

/// What an administrator may type for a login, a name, a Unix account or a code (docs/setup.md). The text comes from
/// outside (a terminal, a script, an SSH client), so it is checked here, once, for every front end.
public enum OperatorRules {
    /// A login: 1–64 characters of `a-z 0-9 . _ -`, starting with a letter or digit, and not digits only (a number is
    /// read as an operator id wherever an operator is named).
    public static func checkLogin(_ login: String) throws(WorkflowError) {
        guard !login.isEmpty, login.utf8.count <= 64 else {
            throw .invalidInput("a login has 1 to 64 characters, not \(login.utf8.count)")
        }
        let allowed = login.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-"
        }
        guard allowed else {
            throw .invalidInput("a login is made of a-z, 0-9, '.', '_' and '-' only: '\(printable(login))'")
        }
        guard let first = login.unicodeScalars.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) else {
            throw .invalidInput("a login starts with a letter or a digit: '\(printable(login))'")
        }
        guard !login.allSatisfy(\.isASCIIDigit) else {
            throw .invalidInput("a login of digits only would be read as an operator id: '\(login)'")
        }
    }

    /// A person's or a place's name: trimmed, 1 to `maxCharacters` characters, no control or format characters
    /// (line breaks, escapes, bidirectional overrides). Returns the trimmed name.
    public static func checkName(_ text: String, what: String, maxCharacters: Int = 100) throws(WorkflowError) -> String {
        let name = text.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .invalidInput("\(what) is empty") }
        guard name.count <= maxCharacters else { throw .invalidInput("\(what) is over \(maxCharacters) characters") }
        if name.unicodeScalars.contains(where: isControl) {
            throw .invalidInput("\(what) holds a control character: '\(printable(name))'")
        }
        return name
    }

    /// A Unix account name: 1–32 characters of `A-Z a-z 0-9 . _ -`, not starting with '-'.
    public static func checkUnixUser(_ user: String) throws(WorkflowError) {
        let ok = !user.isEmpty && user.utf8.count <= 32 && !user.hasPrefix("-") && user.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-"
        }
        guard ok else { throw .invalidInput("'\(printable(user))' is not a Unix account name (1–32 of A-Z a-z 0-9 . _ -)") }
    }

    /// A code an administrator makes up (a department's code, a patrol area's id): 1–`maxLength` characters of
    /// `A-Z a-z 0-9 . _ -`, starting with a letter or a digit.
    public static func checkCode(_ code: String, what: String, maxLength: Int = 64) throws(WorkflowError) {
        let ok = !code.isEmpty && code.utf8.count <= maxLength && code.unicodeScalars.allSatisfy { s in
            ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) || s == "." || s == "_" || s == "-"
        } && !code.hasPrefix(".") && !code.hasPrefix("_") && !code.hasPrefix("-")
        guard ok else {
            throw .invalidInput("\(what) '\(printable(code))' must be 1 to \(maxLength) of A-Z a-z 0-9 . _ -, starting with a letter or digit")
        }
    }

    /// Control, format and line-separating characters: what must never reach a terminal or a log line from a name.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate: true
        default: false
        }
    }

    /// The text with control characters shown as `\u{…}`, for quoting refused input in a message.
    static func printable(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars.prefix(80) {
            if isControl(s) { out += "\\u{\(String(s.value, radix: 16))}" } else { out.unicodeScalars.append(s) }
        }
        return out
    }
}
