import ArgumentParser
import Curses
import Foundation
import Workflow

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cases (with their history), the grid or components as CSV, JSON Lines or GeoJSON; `citygrid import` reads them back.",
        discussion: "Reporter phone numbers are never exported. On a terminal, CSV text is shown sanitized; files get it as stored.",
        subcommands: [ExportCases.self, ExportGrid.self, ExportComponents.self])
}

struct ExportFileOptions: ParsableArguments {
    @Option(help: "csv, jsonl or geojson.") var format: ImportFormat = .csv
    @Option(help: "Write to this file (default: standard output).") var out: String?
}

struct ExportCases: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cases", abstract: "Cases in id order, with --with-history their history and reports.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ExportFileOptions
    @Option(help: "Reported on or after: a date (YYYY-MM-DD, site time) or ISO-8601 instant.") var from: String?
    @Option(help: "Reported up to: a date (that whole day) or an instant (before it).") var to: String?
    @Option(help: "Only this state (repeatable).") var state: [CaseState] = []
    @Flag(name: .customLong("with-history"), help: "Add each case's history and reports (JSON arrays; in CSV, JSON text).") var withHistory = false

    func run() throws {
        try guarded {
            let session = try store.session()
            let intake = session.intake
            let format = session.format
            var query = CaseExportQuery(states: state.isEmpty ? nil : state, withHistory: withHistory)
            query.from = try from.map { text throws(WorkflowError) in try format.parse(text) }
            if let to {
                let end = try format.parse(to)
                query.to = LocalDate(string: to.trimmingCharacters(in: .whitespaces)) != nil ? end.addingTimeInterval(86_400) : end
            }
            let columns = ExportColumns.cases + (withHistory ? ["history", "reports"] : [])
            try ExportRun.write(columns: columns, output) { writer throws(WorkflowError) in
                try intake.exportCases(query) { values, point throws(WorkflowError) in try writer.row(values, point: point) }
            }
        }
    }
}

struct ExportGrid: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "grid", abstract: "Every cell with its grid position, centre, patrol area and region names.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ExportFileOptions

    func run() throws {
        try guarded {
            let intake = try store.open().intake
            try ExportRun.write(columns: ExportColumns.grid, output) { writer throws(WorkflowError) in
                try intake.exportGrid { values, point throws(WorkflowError) in try writer.row(values, point: point) }
            }
        }
    }
}

struct ExportComponents: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "components", abstract: "Every component, at its cell's centre.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: ExportFileOptions

    func run() throws {
        try guarded {
            let intake = try store.open().intake
            try ExportRun.write(columns: ExportColumns.components, output) { writer throws(WorkflowError) in
                try intake.exportComponents { values, point throws(WorkflowError) in try writer.row(values, point: point) }
            }
        }
    }
}

enum ExportRun {
    /// Writes to `--out` by the rule of `OutputTarget` (`-` or none: standard output; a regular file through a
    /// temporary file renamed at the end, so an interrupted export leaves no half file; a device or FIFO written
    /// through as it is; a folder refused), sanitizing CSV text when it goes to a terminal.
    static func write(columns: [String], _ options: ExportFileOptions,
                      _ body: (TableWriter) throws(WorkflowError) -> Int) throws(WorkflowError) {
        try write(columns: columns, format: ExportFormat(rawValue: options.format.rawValue)!, out: options.out, body)
    }

    static func write(columns: [String], format: ExportFormat, out: String?,
                      _ body: (TableWriter) throws(WorkflowError) -> Int) throws(WorkflowError) {
        let file = try OutputFile(path: out ?? "-")
        Interrupt.installRemovingUnfinishedOutput()
        var clean: (String) -> String = { $0 }
        if file.isTerminal { clean = { TerminalText.sanitize($0) } }
        let writer = TableWriter(columns: columns, format: format, sink: file, clean: clean)
        try writer.begin()
        let count = try body(writer)
        try writer.end()
        try file.commit()
        if file.target != .standardOutput { Output.progress("exported \(count) rows to \(file.path)") }
    }
}
