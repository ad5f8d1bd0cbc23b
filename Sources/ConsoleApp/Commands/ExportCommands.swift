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
            let db = try store.open()
            let zone = try db.context().calendar.timeZone
            let format = InstantFormat(timeZone: zone)
            var query = CaseExportQuery(states: state.isEmpty ? nil : state, withHistory: withHistory)
            query.from = try from.map { text throws(WorkflowError) in try format.parse(text) }
            if let to {
                let end = try format.parse(to)
                query.to = LocalDate(string: to.trimmingCharacters(in: .whitespaces)) != nil ? end.addingTimeInterval(86_400) : end
            }
            let columns = ExportColumns.cases + (withHistory ? ["history", "reports"] : [])
            try ExportRun.write(columns: columns, output) { writer throws(WorkflowError) in
                try db.exportCases(query) { values, point throws(WorkflowError) in try writer.row(values, point: point) }
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
            let db = try store.open()
            try ExportRun.write(columns: ExportColumns.grid, output) { writer throws(WorkflowError) in
                try db.exportGrid { values, point throws(WorkflowError) in try writer.row(values, point: point) }
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
            let db = try store.open()
            try ExportRun.write(columns: ExportColumns.components, output) { writer throws(WorkflowError) in
                try db.exportComponents { values, point throws(WorkflowError) in try writer.row(values, point: point) }
            }
        }
    }
}

enum ExportRun {
    /// Writes to `--out` through a `.partial` file renamed at the end (an interrupted export leaves no half
    /// file), or to standard output, sanitizing CSV text when that is a terminal.
    static func write(columns: [String], _ options: ExportFileOptions,
                      _ body: (TableWriter) throws(WorkflowError) -> Int) throws(WorkflowError) {
        let format = ExportFormat(rawValue: options.format.rawValue)!
        let sink: FileSink
        var clean: (String) -> String = { $0 }
        if let out = options.out {
            sink = try FileSink(path: out + ".partial")
        } else {
            sink = FileSink(handle: FileHandle.standardOutput)
            if isatty(STDOUT_FILENO) == 1 { clean = TerminalText.sanitize }
        }
        let writer = TableWriter(columns: columns, format: format, sink: sink, clean: clean)
        do throws(WorkflowError) {
            try writer.begin()
            let count = try body(writer)
            try writer.end()
            if let out = options.out {
                try sink.close()
                if FileManager.default.fileExists(atPath: out) { try? FileManager.default.removeItem(atPath: out) }
                do { try FileManager.default.moveItem(atPath: out + ".partial", toPath: out) } catch {
                    throw WorkflowError.storage("cannot write \(out): \(error.localizedDescription)")
                }
                Output.progress("exported \(count) rows to \(out)")
            }
        } catch {
            if let out = options.out { try? FileManager.default.removeItem(atPath: out + ".partial") }
            throw error
        }
    }
}

final class FileSink: ByteSink {
    let handle: FileHandle
    let owned: Bool

    init(handle: FileHandle) { self.handle = handle; owned = false }

    init(path: String) throws(WorkflowError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw .storage("cannot write \(path)")
        }
        self.handle = handle; owned = true
    }

    func write(_ bytes: [UInt8]) throws(WorkflowError) {
        do { try handle.write(contentsOf: bytes) } catch { throw .storage("write failed: \(error.localizedDescription)") }
    }

    func close() throws(WorkflowError) {
        do { try handle.close() } catch { throw .storage("close failed: \(error.localizedDescription)") }
    }
}
