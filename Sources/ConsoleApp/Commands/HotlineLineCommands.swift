import ArgumentParser
import Curses
import Foundation
import Workflow

/// `citygrid site add-line CODE --name NAME`: an administrator adds a hotline line beside 12319 and 96150.
struct SiteAddLine: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-line", abstract: "Add a hotline line hotline reports may name (12319 and 96150 are known already).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var admin: AdminActor
    @Argument(help: "The line's code: 1–16 of A-Z a-z 0-9 . _ -, e.g. 12345.") var code: String
    @Option(help: "Its name, e.g. 市长热线.") var name: String
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let line = try session.site.addHotlineLine(code: code, name: name, by: admin.actor, at: try session.now())
            if output.json { return try Output.json(HotlineLineJSON(line)) }
            Output.line("added hotline line \(line.code) \(TerminalText.sanitize(line.name))")
        }
    }
}

/// `citygrid site lines`: the hotline lines a hotline report may name.
struct SiteLines: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lines", abstract: "List the hotline lines: 12319, 96150 and the site's own.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let lines = try store.session().site.hotlineLines()
            if output.json { return try Output.json(lines.map(HotlineLineJSON.init)) }
            Output.table(["LINE", "NAME", "KIND"], lines.map { [$0.code, $0.name, $0.builtIn ? "built-in" : "site"] })
        }
    }
}

struct HotlineLineJSON: Encodable {
    var line: String
    var name: String
    var built_in: Bool
    init(_ l: HotlineLine) { line = l.code; name = l.name; built_in = l.builtIn }
}
