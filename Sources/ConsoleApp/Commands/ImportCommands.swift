import ArgumentParser
import Curses
import Foundation
import Synchronization
import Workflow

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import reports, the grid or components from CSV, JSON Lines or GeoJSON: streamed, every record validated, one transaction.",
        discussion: """
            Without --skip-bad, one bad record (its line and reason are printed) means nothing is imported. With --skip-bad the \
            good records are committed and the bad ones written, with line number and reason, to --rejects FILE (CSV: \
            line,reason,record). Nothing is written until the end: a crash or Ctrl-C leaves the database as it was, and \
            other writers (consoles) wait for the import.

            With --batch N (and --skip-bad) the import commits every N records and leaves the lock free for a moment \
            after each, so consoles keep working during a long import. Ctrl-C then rolls back only the open batch and \
            says the line to resume from with --from-line.
            """,
        subcommands: [ImportReports.self, ImportGrid.self, ImportComponents.self])
}

/// Options every import shares.
struct ImportFileOptions: ParsableArguments {
    @Argument(help: "The file, or - for standard input.") var file: String
    @Option(help: "csv, jsonl or geojson (default: from the file's extension, else csv).") var format: ImportFormat?
    @Flag(name: .customLong("skip-bad"), help: "Commit the good records; write the bad ones to --rejects.") var skipBad = false
    @Option(help: "Write refused records here (CSV: line,reason,record).") var rejects: String?
    @Option(help: ArgumentHelp("Commit every N records (needs --skip-bad), so other writers get the lock between batches.", valueName: "n"))
    var batch: Int?
    @Option(name: .customLong("from-line"), help: ArgumentHelp("Skip the records that start before this line (resuming an interrupted import).",
                                                               valueName: "line"))
    var fromLine: Int = 1
    @Flag(help: "Print JSON.") var json = false
    @Flag(name: .customLong("peak-memory"), help: .hidden) var peakMemory = false

    var resolvedFormat: ImportFormat {
        if let format { return format }
        let ext = (file as NSString).pathExtension.lowercased()
        switch ext {
        case "jsonl", "ndjson": return .jsonl
        case "geojson", "json": return .geojson
        default: return .csv
        }
    }
}

enum ImportFormat: String, ExpressibleByArgument, CaseIterable {
    case csv, jsonl, geojson
}

struct ImportReports: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "File reports as new cases (state reported), through the same rules as `citygrid report`.",
        discussion: """
            Columns: kind, category, cell (or lat and lon), description; optional source, reporter (an operator login), \
            reporter_name, reporter_phone, component, reported_at (ISO-8601; default now). A record's reporter and source win \
            over --as and --source. `citygrid export cases` writes these columns.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var file: ImportFileOptions
    @Option(name: .customLong("as"), help: "Operator filing the reports (an intake operator or inspector).") var actor: String?
    @Option(help: "Channel for reports with no operator: hotline, web, app, leader or sensor.") var source: ReportSource?
    @Option(help: "\"Now\", ISO-8601: the default report time, and no report may be later; reported_at must lie in the site's time window (see 'site show').") var at: String?

    func run() throws {
        try guarded {
            let db = try store.open()
            let now = try Now.resolve(at, store: db)
            let summary = try ImportRun.run(file, what: "reports") { reader, options throws(WorkflowError) in
                switch reader {
                case .csv(var s): return try db.importReports(&s, reporter: actor, channel: source, at: now, options: options)
                case .jsonl(var s): return try db.importReports(&s, reporter: actor, channel: source, at: now, options: options)
                case .geojson(var s): return try db.importReports(&s, reporter: actor, channel: source, at: now, options: options)
                }
            }
            try ImportRun.finish(summary, file, what: "reports")
        }
    }
}

struct ImportGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Add or update unit grid cells; districts, streets, communities and patrol areas are created as needed.",
        discussion: """
            Columns (CSV) or properties (GeoJSON): code (15 digits: district 6 + street 3 + community 3 + cell 3; the older \
            14-digit form is refused), row, col (the cell's place on the grid), and lat/lon or a Point or Polygon geometry \
            (its centroid is the centre); optional name, name_en, patrol_area, patrol_area_name, district_name, \
            street_name, community_name (and _en). `citygrid export grid` writes these columns.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var file: ImportFileOptions

    func run() throws {
        try guarded {
            let db = try store.open()
            let summary = try ImportRun.run(file, what: "cells") { reader, options throws(WorkflowError) in
                switch reader {
                case .csv(var s): return try db.importGrid(&s, options: options)
                case .jsonl(var s): return try db.importGrid(&s, options: options)
                case .geojson(var s): return try db.importGrid(&s, options: options)
                }
            }
            try ImportRun.finish(summary, file, what: "cells")
        }
    }
}

struct ImportComponents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "Add or update components (城市部件).",
        discussion: """
            Columns (CSV) or properties (GeoJSON): id (16 digits: district 6 + class 4 + serial 6), cell (or lat/lon or a \
            Point: the nearest cell centre within 150 m); optional category, name, department, state (intact, damaged, \
            missing, abandoned, removed), updated_at. `citygrid export components` writes these columns.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var file: ImportFileOptions
    @Option(help: "\"Now\", ISO-8601: the default updated_at; updated_at must lie in the site's time window (see 'site show').") var at: String?

    func run() throws {
        try guarded {
            let db = try store.open()
            let now = try Now.resolve(at, store: db)
            let summary = try ImportRun.run(file, what: "components") { reader, options throws(WorkflowError) in
                switch reader {
                case .csv(var s): return try db.importComponents(&s, at: now, options: options)
                case .jsonl(var s): return try db.importComponents(&s, at: now, options: options)
                case .geojson(var s): return try db.importComponents(&s, at: now, options: options)
                }
            }
            try ImportRun.finish(summary, file, what: "components")
        }
    }
}

/// A record source of the chosen format over the file.
enum ImportReader {
    case csv(CSVRecordSource<FileSourceRef>)
    case jsonl(JSONLinesRecordSource<FileSourceRef>)
    case geojson(GeoJSONFeatureSource<FileSourceRef>)
}

/// A value wrapper so the readers can be generic over a struct while the progress line reads the class.
struct FileSourceRef: ByteSource {
    let file: FileByteSource
    mutating func read(max: Int) throws(WorkflowError) -> [UInt8] { try file.read(max: max) }
}

enum ImportRun {
    /// How many refusals are printed on standard error when there is no reject file.
    static let printedRejects = 20

    static func run(_ options: ImportFileOptions, what: String,
                    _ body: (ImportReader, ImportOptions) throws(WorkflowError) -> ImportSummary) throws(WorkflowError) -> ImportSummary {
        let file = try FileByteSource(path: options.file)
        let ref = FileSourceRef(file: file)
        let reader: ImportReader
        switch options.resolvedFormat {
        case .csv: reader = .csv(try CSVRecordSource(ref))
        case .jsonl: reader = .jsonl(JSONLinesRecordSource(ref))
        case .geojson: reader = .geojson(GeoJSONFeatureSource(ref))
        }
        var rejectFile: RejectFile?
        if let path = options.rejects { rejectFile = try RejectFile(path: path) }
        var printed = 0
        let onReject: (ImportReject) -> Void = { reject in
            rejectFile?.add(reject)
            if rejectFile == nil || !options.skipBad, printed < printedRejects {
                Output.error("\(options.file):\(reject.line): \(reject.reason)")
            }
            printed += 1
        }
        guard options.fromLine >= 1 else { throw .invalidInput("--from-line must be 1 or more") }
        let progress = ProgressLine(what: what, file: file)
        var importOptions = ImportOptions(skipBad: options.skipBad, onReject: onReject,
                                          progress: progress.map { p in { p.update($0) } }, progressEvery: 5_000,
                                          batchSize: options.batch, fromLine: options.fromLine)
        if options.batch != nil {
            Interrupt.installBetweenBatches()
            importOptions.shouldStop = { Interrupt.requested.load(ordering: .relaxed) }
            importOptions.onCommit = { summary in Interrupt.committedThrough.store(summary.throughLine ?? 0, ordering: .relaxed) }
        } else {
            Interrupt.install()
        }
        let summary = try body(reader, importOptions)
        progress?.done()
        if printed > printedRejects && (rejectFile == nil || !options.skipBad) {
            Output.error("… and \(printed - printedRejects) more refused records")
        }
        try rejectFile?.finish()
        return summary
    }

    static func finish(_ summary: ImportSummary, _ options: ImportFileOptions, what: String) throws {
        let peak = options.peakMemory ? PeakMemory.kilobytes() : nil
        if options.json {
            try Output.json(ImportJSON(records: summary.records, imported: summary.imported, rejected: summary.rejected,
                                       committed: summary.committed, first_case: summary.firstCaseID, last_case: summary.lastCaseID,
                                       created: summary.created, rejects_file: options.rejects, peak_rss_kb: peak,
                                       skipped: summary.skipped, batches: summary.batches, through_line: summary.throughLine,
                                       interrupted: summary.interrupted))
        }
        if summary.interrupted {
            if !options.json {
                let through = summary.throughLine.map { "lines up to \($0) are imported (\(summary.imported) \(what) in \(summary.batches) batches); import the rest with --from-line \($0 + 1)" }
                    ?? "nothing was imported"
                Output.error("interrupted: \(through)")
            }
            throw ExitCode(130)
        }
        guard summary.committed else {
            if !options.json {
                Output.error("nothing imported: \(summary.rejected) of \(summary.records) records refused; fix them, or pass --skip-bad to import the rest")
            }
            throw ExitCode(WorkflowError.invalidInput("").exitCode)
        }
        guard !options.json else { return }
        var line = "imported \(summary.imported) \(what)"
        if let first = summary.firstCaseID, let last = summary.lastCaseID { line += " (cases \(first)–\(last))" }
        if !summary.created.isEmpty {
            let names = ["district": ("district", "districts"), "street": ("street", "streets"),
                         "community": ("community", "communities"), "patrol_area": ("patrol area", "patrol areas")]
            line += "; created " + summary.created.sorted { $0.key < $1.key }.map { kind, count in
                let name = names[kind] ?? (kind, kind)
                return "\(count) \(count == 1 ? name.0 : name.1)"
            }.joined(separator: ", ")
        }
        if summary.rejected > 0 { line += "; refused \(summary.rejected)" + (options.rejects.map { " (see \($0))" } ?? "") }
        if summary.skipped > 0 { line += "; skipped \(summary.skipped) before line \(options.fromLine)" }
        if options.batch != nil { line += "; \(summary.batches) \(summary.batches == 1 ? "batch" : "batches")" }
        Output.line(line)
    }
}

struct ImportJSON: ExplicitNullEncodable {
    var records: Int
    var imported: Int
    var rejected: Int
    var committed: Bool
    var first_case: Int64?
    var last_case: Int64?
    var created: [String: Int]
    var rejects_file: String?
    var peak_rss_kb: Int?
    var skipped: Int
    var batches: Int
    var through_line: Int?
    var interrupted: Bool
}

/// The reject file: CSV `line,reason,record`, the record as it was in the input. Written beside the target
/// and renamed into place at the end, so an interrupted import leaves no half file.
final class RejectFile {
    let path: String
    let partial: String
    let handle: FileHandle
    var buffer = Data()

    init(path: String) throws(WorkflowError) {
        self.path = path
        partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil), let handle = FileHandle(forWritingAtPath: partial) else {
            throw .storage("cannot write the reject file \(path)")
        }
        self.handle = handle
        buffer.append(Data("line,reason,record\r\n".utf8))
    }

    func add(_ reject: ImportReject) {
        let reason = TerminalText.sanitize(reject.reason)
        let record = String(decoding: reject.raw, as: UTF8.self)
        buffer.append(Data("\(reject.line),\(TableWriterCSV.field(reason)),\(TableWriterCSV.field(record))\r\n".utf8))
        if buffer.count > 1 << 16 { handle.write(buffer); buffer.removeAll(keepingCapacity: true) }
    }

    func finish() throws(WorkflowError) {
        handle.write(buffer)
        buffer.removeAll()
        try? handle.close()
        if FileManager.default.fileExists(atPath: path) { try? FileManager.default.removeItem(atPath: path) }
        do { try FileManager.default.moveItem(atPath: partial, toPath: path) } catch {
            throw .storage("cannot write the reject file \(path): \(error.localizedDescription)")
        }
    }
}

enum TableWriterCSV {
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// `import: 120000 records, 12% of the file` on standard error, only when it is a terminal.
final class ProgressLine {
    let what: String
    let file: FileByteSource
    let started = Date()
    var lastDraw = Date.distantPast

    init?(what: String, file: FileByteSource) {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        self.what = what; self.file = file
    }

    func update(_ records: Int) {
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 else { return }
        lastDraw = now
        var text = "\rimport: \(records) records"
        if let size = file.size, size > 0 { text += String(format: ", %3.0f%% of the file", Double(file.bytesRead) * 100 / Double(size)) }
        let rate = Double(records) / max(0.001, now.timeIntervalSince(started))
        text += String(format: ", %.0f/s ", rate)
        FileHandle.standardError.write(Data(text.utf8))
    }

    func done() {
        if lastDraw != .distantPast { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Ctrl-C during an import. One transaction: say that nothing was written and leave at once; it is only
/// committed at the end, so dying before COMMIT is the rollback (SQLite discards the uncommitted pages on next
/// open). Batched: stop at the next record, keeping the committed batches (`installBetweenBatches`).
enum Interrupt {
    /// Set by Ctrl-C during a batched import: the import rolls back its open batch and stops.
    static let requested = Atomic<Bool>(false)
    /// The last line of the last committed batch (0: none yet), for the message of a second Ctrl-C.
    static let committedThrough = Atomic<Int>(0)

    /// A batched import: the first Ctrl-C asks it to stop at the next record (what is committed stays), a
    /// second ends the process at once (the open batch is lost, the committed ones stay).
    static func installBetweenBatches() {
        unblock()
        signal(SIGINT) { _ in
            if Interrupt.requested.exchange(true, ordering: .relaxed) {
                // Only async-signal-safe calls here: write(2) of static text and of digits made on the stack.
                let through = Interrupt.committedThrough.load(ordering: .relaxed)
                if through > 0 {
                    Interrupt.writeStderr("\ncitygrid: interrupted again; lines up to ")
                    Interrupt.writeStderr(number: through)
                    Interrupt.writeStderr(" are imported; import the rest with --from-line ")
                    Interrupt.writeStderr(number: through + 1)
                    Interrupt.writeStderr("\n")
                } else {
                    Interrupt.writeStderr("\ncitygrid: interrupted again; nothing was imported\n")
                }
                _exit(130)
            }
        }
    }

    static func writeStderr(_ text: StaticString) {
        _ = write(STDERR_FILENO, text.utf8Start, text.utf8CodeUnitCount)
    }

    static func writeStderr(number: Int) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var n = max(0, number)
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(48 + n % 10)
                n /= 10
            } while n > 0 && start > 0
            _ = write(STDERR_FILENO, buffer.baseAddress! + start, buffer.count - start)
        }
    }

    /// A parent may start us with SIGINT blocked (Foundation's `Process` passes its thread's mask on): then
    /// Ctrl-C would wait unseen until the import ended. The handler only means something if it can run.
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func install() {
        unblock()
        signal(SIGINT) { _ in
            Interrupt.writeStderr("\ncitygrid: interrupted; nothing was imported\n")
            _exit(130)
        }
    }
}

/// Peak resident memory of this process (VmHWM), in kB.
enum PeakMemory {
    static func kilobytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "")
        }
        return nil
    }
}
