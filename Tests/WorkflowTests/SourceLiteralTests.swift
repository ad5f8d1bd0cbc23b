import Foundation
import Testing

/// Workflow words its messages in domain terms: no string literal in `Sources/Workflow` names a CLI flag (the CLI
/// words typed values with its flags, the console in zh/en); and no time zone is written into the program outside
/// the site default (`SiteSettings.defaultTimeZoneName`) and the demo city's data. Comments may name both.
@Suite struct SourceLiteralTests {
    /// The package's root: three folders up from this file (Tests/WorkflowTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Swift files under `folder` (relative to the root), with their paths relative to the root.
    static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    static let flag = try! NSRegularExpression(pattern: "--[A-Za-z]")
    /// `Area/Location` for every area of the zones this system knows ("Asia", "Europe", "America", "Etc"…).
    static let zone: NSRegularExpression = {
        let areas = Set(TimeZone.knownTimeZoneIdentifiers.compactMap { $0.split(separator: "/").count > 1 ? String($0.split(separator: "/")[0]) : nil })
        return try! NSRegularExpression(pattern: "\\b(" + areas.sorted().joined(separator: "|") + ")/[A-Za-z_]")
    }()

    static func matches(_ expression: NSRegularExpression, _ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    @Test func workflowNamesNoCLIFlagInAStringLiteral() throws {
        let files = try Self.swiftFiles(under: "Sources/Workflow")
        #expect(files.count > 50, "found \(files.count) files under \(Self.root.path)/Sources/Workflow")
        var offending: [String] = []
        for file in files {
            for literal in SwiftStringLiterals.scan(file.text) where Self.matches(Self.flag, literal.text) {
                offending.append("\(file.path):\(literal.line): \(literal.text)")
            }
        }
        #expect(offending.isEmpty, "CLI flags in Workflow's messages:\n\(offending.joined(separator: "\n"))")
    }

    @Test func noTimeZoneLiteralOutsideTheSiteDefaultAndTheDemoCity() throws {
        let allowed: Set<String> = ["Sources/Workflow/Access/Session.swift"]
        var offending: [String] = []
        for file in try Self.swiftFiles(under: "Sources") where !allowed.contains(file.path) && !file.path.hasPrefix("Sources/CityGridDemo/") {
            for literal in SwiftStringLiterals.scan(file.text) where Self.matches(Self.zone, literal.text) {
                offending.append("\(file.path):\(literal.line): \(literal.text)")
            }
        }
        #expect(offending.isEmpty, "time zone literals:\n\(offending.joined(separator: "\n"))")
    }

    @Test func theScannerReadsLiteralsNotComments() {
        let source = #"""
            // a comment naming --as and "Asia/Shanghai"
            /* a block /* nested "--x" */ still comment */
            let a = "plain --flag"  // trailing "--comment"
            let b = "x \(f("inner --inner")) y"
            let c = #"raw "--raw" \(not)"#
            let d = """
                multi --multi
                """
            let e = "escaped \"--quoted\""
            """#
        let literals = SwiftStringLiterals.scan(source).map(\.text)
        #expect(literals == ["plain --flag", "inner --inner", "x \u{FFFC} y", #"raw "--raw" \(not)"#, "    multi --multi\n    ",
                             #"escaped "--quoted""#])
        #expect(SwiftStringLiterals.scan(source).map(\.line) == [3, 4, 4, 5, 6, 9])
    }
}

/// The string literals of Swift source: comments skipped, escapes read, interpolations' code scanned for literals of
/// its own (the interpolation itself stands as U+FFFC in the text). Enough Swift for this package's sources.
enum SwiftStringLiterals {
    struct Literal { var line: Int; var text: String }

    private enum Context {
        /// Code; `interpolation` when it is the inside of `\( … )`, with its open parentheses.
        case code(interpolation: Bool, depth: Int)
        case string(hashes: Int, multiline: Bool, line: Int, text: String)
    }

    static func scan(_ source: String) -> [Literal] {
        let s = Array(source.unicodeScalars)
        var i = 0, line = 1
        var stack: [Context] = [.code(interpolation: false, depth: 0)]
        var found: [Literal] = []
        func at(_ k: Int, _ text: String) -> Bool {
            let t = Array(text.unicodeScalars)
            return k + t.count <= s.count && Array(s[k..<k + t.count]) == t
        }
        while i < s.count {
            switch stack[stack.count - 1] {
            case .code(let interpolation, let depth):
                if at(i, "//") {
                    while i < s.count, s[i] != "\n" { i += 1 }
                } else if at(i, "/*") {
                    var nesting = 0
                    repeat {
                        if at(i, "/*") { nesting += 1; i += 2 } else if at(i, "*/") { nesting -= 1; i += 2 } else {
                            if s[i] == "\n" { line += 1 }
                            i += 1
                        }
                    } while nesting > 0 && i < s.count
                } else if s[i] == "#" || s[i] == "\"" {
                    var hashes = 0
                    while i + hashes < s.count, s[i + hashes] == "#" { hashes += 1 }
                    guard i + hashes < s.count, s[i + hashes] == "\"" else { i += max(hashes, 1); continue }
                    i += hashes
                    let multiline = at(i, "\"\"\"")
                    let opening = line
                    i += multiline ? 3 : 1
                    if multiline, i < s.count, s[i] == "\n" { i += 1; line += 1 }
                    stack.append(.string(hashes: hashes, multiline: multiline, line: opening, text: ""))
                } else if s[i] == "(" {
                    stack[stack.count - 1] = .code(interpolation: interpolation, depth: depth + 1); i += 1
                } else if s[i] == ")" {
                    if interpolation && depth == 0 { stack.removeLast() } else { stack[stack.count - 1] = .code(interpolation: interpolation, depth: depth - 1) }
                    i += 1
                } else {
                    if s[i] == "\n" { line += 1 }
                    i += 1
                }
            case .string(let hashes, let multiline, let start, var text):
                let close = (multiline ? "\"\"\"" : "\"") + String(repeating: "#", count: hashes)
                let escape = "\\" + String(repeating: "#", count: hashes)
                if at(i, close) {
                    i += close.unicodeScalars.count
                    stack.removeLast()
                    // A multiline literal ends with its closing line's indentation: leave it in (it is only spaces).
                    found.append(Literal(line: start, text: text))
                    continue
                } else if at(i, escape), i + escape.unicodeScalars.count < s.count {
                    i += escape.unicodeScalars.count
                    let c = s[i]
                    i += 1
                    switch c {
                    case "(":
                        text.unicodeScalars.append("\u{FFFC}")
                        stack[stack.count - 1] = .string(hashes: hashes, multiline: multiline, line: start, text: text)
                        stack.append(.code(interpolation: true, depth: 0))
                        continue
                    case "n": text += "\n"
                    case "t": text += "\t"
                    case "r": text += "\r"
                    case "0": text += "\0"
                    case "u":
                        var digits = ""
                        if i < s.count, s[i] == "{" { i += 1; while i < s.count, s[i] != "}" { digits.unicodeScalars.append(s[i]); i += 1 }; i += 1 }
                        if let v = UInt32(digits, radix: 16), let u = Unicode.Scalar(v) { text.unicodeScalars.append(u) }
                    case "\n": line += 1     // a multiline literal's line continuation
                    default: text.unicodeScalars.append(c)
                    }
                } else {
                    if s[i] == "\n" { line += 1 }
                    text.unicodeScalars.append(s[i])
                    i += 1
                }
                stack[stack.count - 1] = .string(hashes: hashes, multiline: multiline, line: start, text: text)
            }
        }
        return found
    }
}
