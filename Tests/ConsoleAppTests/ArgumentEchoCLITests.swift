import Foundation
import Testing

/// Issue 13, defect 9: a bad option value is quoted in the error, and must never reach the terminal raw. Every
/// message (the argument parser's and ours) goes through the sanitizer; exit codes are unchanged (64 for usage).
@Suite struct ArgumentEchoCLITests {
    /// Title-setting (OSC 0 … BEL), a bell, a clear-screen CSI, a C1 CSI (U+009B) and DEL.
    static let hostile = "\u{1B}]0;pwned\u{07}\u{1B}[2J\u{9B}31m\u{07}\u{7F}x"

    /// No raw control character but the line break: C0 (ESC, BEL, CR…), DEL and C1.
    func expectClean(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bad = text.unicodeScalars.filter { s in (s.value < 0x20 && s != "\n") || (0x7F...0x9F).contains(s.value) }
        #expect(bad.isEmpty, "\(what): raw \(bad.map { String(format: "U+%04X", $0.value) })", sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        ["case", "show", hostile],
        ["case", hostile, "1", "--as", "city-intake-1"],
        ["cases", "--state", hostile],
        ["bulk", "urge", "--as", "city-lead-1", "--ids", hostile],
        ["stats", "--by", hostile],
        ["cases", "--limit", hostile],
        ["case", "request-extension", "1", "--as", "sanit-1", "--hours", hostile],
        ["export", "cases", "--format", hostile],
        ["import", "reports", "x.csv", "--format", hostile],
        ["console", "--as", "city-lead-1", "--lang", hostile],
        ["report", "--as", "city-intake-1", "--kind", hostile, "--category", "0102", "--cell", "110101001001001", "--description", "x"],
        ["report", "--as", "city-intake-1", "--kind", "event", "--source", hostile, "--category", "0102", "--cell", "110101001001001", "--description", "x"],
        ["init", "--model", hostile],
        ["regions", "--level", hostile],
        [hostile],
        ["cases", "--" + hostile],
        ["help", hostile],
    ])
    func badOptionValuesAreQuotedNeutralisedWithTheUsageExitCode(_ arguments: [String]) throws {
        let db = CLI.temporaryDatabase()
        let result = try CLI.run(arguments, db: db)
        #expect(result.status == 64, "\(arguments.first ?? ""): exit \(result.status)")
        #expect(result.stderr.hasPrefix("Error: "), "\(result.stderr)")
        #expect(result.stderr.contains("␛]0;pwned") || result.stderr.contains("Unknown") || result.stderr.contains("Missing"), "\(result.stderr)")
        expectClean(result.stderr, "stderr")
        expectClean(result.stdout, "stdout")
    }

    @Test func ourOwnMessagesAboutValuesAreNeutralisedToo() throws {
        let db = try CLI.demoCopy()
        for (arguments, status) in [
            (["cases", "--region", Self.hostile], Int32(5)),
            (["case", "show", "1", "--as", Self.hostile], 5),
            (["report", "--as", "city-intake-1", "--kind", "event", "--category", Self.hostile, "--cell", "110101001001001", "--description", "x"], 5),
            (["cases", "--limit", "-1"], 64),
        ] {
            let result = try CLI.run(arguments, db: db, environment: ["CITYGRID_NOW": CLI.now])
            #expect(result.status == status, "\(arguments): \(result.status) \(result.stderr)")
            #expect(!result.stderr.isEmpty)
            expectClean(result.stderr, "\(arguments)")
        }
        let badClock = try CLI.run(["cases"], db: db, environment: ["CITYGRID_NOW": Self.hostile])
        #expect(badClock.status == 2)
        expectClean(badClock.stderr, "CITYGRID_NOW")
    }

    @Test func helpVersionAndUsageAreAsBefore() throws {
        let help = try CLI.run(["cases", "--help"])
        #expect(help.status == 0 && help.stderr.isEmpty)
        #expect(help.stdout.hasPrefix("OVERVIEW: List cases.\n\nUSAGE: citygrid cases "), "\(help.stdout)")
        #expect(help.stdout.contains("\n  --limit <limit>"))
        let version = try CLI.run(["--version"])
        #expect(version.status == 0 && version.stdout == "0.1.0\n")
        let missing = try CLI.run(["case", "show"])
        #expect(missing.status == 64)
        #expect(missing.stderr.hasPrefix("Error: Missing expected argument '<id>'\nHelp:  <id>  Case id.\nUsage: citygrid case "), "\(missing.stderr)")
        #expect(missing.stderr.hasSuffix("  See 'citygrid case --help' for more information.\n"), "\(missing.stderr)")
    }
}
