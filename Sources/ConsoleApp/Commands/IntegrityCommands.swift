import ArgumentParser
import Foundation
import Workflow

/// `citygrid verify`: walks the history's hash chain and checks its guards (docs/integrity.md).
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that the history is as citygrid wrote it: every row against the hash chain, and the guards that refuse changes.",
        discussion: """
            Recomputes every history row's hash from its content and the row before, and checks the triggers and the \
            index that keep the history append-only. Prints the chain's head (SEQ:HASH) and the rows read, or each \
            finding: unchained_row (added outside citygrid), changed_row, broken_link (rows deleted), missing_trigger, \
            altered_trigger, missing_index, anchor_mismatch. --anchor SEQ:HASH (from a daily bulletin) also checks that \
            the chain still has that hash at that position. --restore-triggers recreates missing guards, only when the \
            chain verifies, and lifts the refusal of writes. Exit codes: 0 verified, 1 findings (the history or its guards \
            were changed), 2 invalid input, 6 database problem.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Also check that the chain has this hash at this position (a daily bulletin's line).", valueName: "SEQ:HASH"))
    var anchor: String?
    @Flag(name: .customLong("restore-triggers"), help: "Recreate missing history guards if the chain verifies, and allow writes again.")
    var restoreTriggers = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let link = try anchor.map { text throws(WorkflowError) in try ChainLink(anchor: text) }
            let integrity = try store.open().integrity
            var result: HistoryVerification
            if restoreTriggers {
                result = try integrity.restoreHistoryGuards()
                if let link, result.ok {
                    let anchored = try integrity.verifyHistory(anchor: link)
                    result.findings = anchored.findings; result.findingCount = anchored.findingCount
                    result.anchor = anchored.anchor; result.anchorMatches = anchored.anchorMatches
                }
            } else {
                result = try integrity.verifyHistory(anchor: link)
            }
            if output.json {
                try Output.json(VerifyJSON(result, writesRefused: integrity.writesRefused != nil))
            } else {
                VerifyText.print(result, restoring: restoreTriggers)
            }
            if !result.ok { throw ExitCode(1) }
        }
    }
}

enum VerifyText {
    static func print(_ r: HistoryVerification, restoring: Bool) {
        let head = "head \(r.head.anchor)"
        if !r.restored.isEmpty { Output.line("restored \(r.restored.joined(separator: ", ")); writes are allowed again") }
        guard !r.ok else {
            var line = "history verified: \(r.rows) rows, \(head)"
            if let anchor = r.anchor { line += "; anchor \(anchor.seq) matches" }
            if restoring && r.restored.isEmpty { line += "; nothing to restore" }
            return Output.line(line)
        }
        Output.line("history NOT verified: \(r.findingCount) finding\(r.findingCount == 1 ? "" : "s") in \(r.rows) rows, \(head)")
        for f in r.findings {
            var place = ""
            if let id = f.caseID { place = "case \(id) seq \(f.seq.map(String.init) ?? "-")" + (f.chainSeq.map { " (chain \($0))" } ?? "") + ": " }
            else if let chain = f.chainSeq { place = "chain \(chain): " }
            Output.line("  \(f.kind.rawValue)  \(place)\(f.detail)")
        }
        if r.findingCount > r.findings.count { Output.line("  … and \(r.findingCount - r.findings.count) more") }
        if restoring { Output.error("the guards were not restored: the history does not verify") }
    }
}

struct VerifyJSON: ExplicitNullEncodable {
    var ok: Bool
    /// History rows read.
    var rows: Int64
    /// The chain's position and hash at its head (`head_seq:head` is the anchor form).
    var head_seq: Int64
    var head: String
    var anchor: AnchorJSON?
    var findings: [FindingJSON]
    /// Findings in all (`findings` keeps the first 1,000).
    var findings_total: Int
    /// Guards recreated by --restore-triggers.
    var restored: [String]
    /// Whether this database refuses writes (guards were missing when it was opened and are not restored).
    var writes_refused: Bool

    init(_ r: HistoryVerification, writesRefused: Bool) {
        ok = r.ok; rows = r.rows; head_seq = r.head.seq; head = r.head.hash.hex
        anchor = r.anchor.map { AnchorJSON(seq: $0.seq, head: $0.hash.hex, matches: r.anchorMatches ?? false) }
        findings = r.findings.map { FindingJSON(kind: $0.kind.rawValue, case_id: $0.caseID, seq: $0.seq, chain_seq: $0.chainSeq, detail: $0.detail) }
        findings_total = r.findingCount; restored = r.restored; writes_refused = writesRefused
    }
}

struct AnchorJSON: ExplicitNullEncodable {
    var seq: Int64
    var head: String
    var matches: Bool
}

struct FindingJSON: ExplicitNullEncodable {
    var kind: String
    var case_id: Int64?
    var seq: Int?
    var chain_seq: Int64?
    var detail: String
}

/// `citygrid doctor`: a list of checks, each with its findings and what to run to fix it.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the database and whether the site is ready to run.",
        discussion: """
            The database: SQLite's integrity check, the schema version, the history's guards and its hash chain. The site             (docs/setup.md): every cell in a patrol area with an active inspector, every center the model needs staffed,             every category's department with a unit in every district, the calendar for this year and next. Each finding             names what to run to fix it. Exit codes: 0 every check passed (ready), 1 a check failed, 6 the database             cannot be opened.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let checks = try session.integrity.doctor() + session.site.readiness(at: try session.clock())
            let ok = checks.allSatisfy(\.ok)
            // Who files and closes, when there is a site (the centers check holds their shift leads to it).
            let settings = try? session.site.settings()
            if output.json {
                try Output.json(DoctorJSON(ok: ok, case_rules: settings.map(CaseRulesJSON.init), checks: checks.map {
                    DoctorCheckJSON(name: $0.name, ok: $0.ok, findings: $0.findings.map(CLIWording.text), fix: $0.ok ? nil : CLIWording.text($0.fix))
                }))
            } else {
                for line in settings.map(SiteText.caseRulesLines) ?? [] { Output.line("site  \(line)") }
                for check in checks {
                    Output.line("\(check.ok ? "ok  " : "FAIL")  \(check.name)")
                    for finding in check.findings.prefix(20) { Output.line("        \(CLIWording.text(finding))") }
                    if check.findings.count > 20 { Output.line("        … and \(check.findings.count - 20) more") }
                    if !check.ok { Output.line("      fix: \(CLIWording.text(check.fix))") }
                }
            }
            if !ok { throw ExitCode(1) }
        }
    }
}

struct DoctorJSON: ExplicitNullEncodable {
    var ok: Bool
    /// Who files and closes cases; null without a site.
    var case_rules: CaseRulesJSON?
    var checks: [DoctorCheckJSON]
}

struct DoctorCheckJSON: ExplicitNullEncodable {
    var name: String
    var ok: Bool
    var findings: [String]
    /// What to run to fix it; null when the check passed.
    var fix: String?
}
