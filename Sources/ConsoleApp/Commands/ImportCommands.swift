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
            after each, so consoles keep working during a long import. Each batch records, with its rows, the file \
            (SHA-256 of its content and size) and the last line committed. Ctrl-C or SIGTERM rolls back only the open \
            batch and says the line to resume from; after any death (kill -9, a full disk) `--resume` continues exactly \
            after the last committed line. Importing the same file again without --resume is refused (exit 4) with that \
            line and the command to run, and so is a file already imported completely, unless --again.
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
    @Flag(help: "Continue an interrupted batched import of this file after its last committed line (batch size and --skip-bad as before).")
    var resume = false
    @Flag(help: "Import the file even though it was imported before (or abandon its interrupted import and start over).")
    var again = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
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
    @OptionGroup var actor: ActorOption<ActorHelp>
    enum ActorHelp: OptionHelp { static var help: ArgumentHelp { "Operator filing the reports (an intake operator or inspector)." } }
    @Option(help: "Channel for reports with no operator: hotline, web, app, leader or sensor.") var source: ReportSource?
    @OptionGroup var at: AtOption<AtHelp>
    enum AtHelp: OptionHelp { static var help: ArgumentHelp { "\"Now\", ISO-8601: the default report time, and no report may be later; reported_at must lie in the site's time window (see 'site show')." } }

    func run() throws {
        try guarded {
            let session = try store.session()
            let intake = session.intake
            let now = try session.now(at)
            // On a signed site the one importing is the signed-in operator, named or not.
            let reporter = session.access.signedIn != nil ? try session.acting(actor) : actor.actor
            let outcome = try ImportRun.run(file, what: "reports", kind: "reports", session: session) { reader, options throws(WorkflowError) in
                switch reader {
                case .csv(var s): return try intake.importReports(&s, reporter: reporter, channel: source, at: now, options: options)
                case .jsonl(var s): return try intake.importReports(&s, reporter: reporter, channel: source, at: now, options: options)
                case .geojson(var s): return try intake.importReports(&s, reporter: reporter, channel: source, at: now, options: options)
                }
            }
            try ImportRun.finish(outcome, file, what: "reports")
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
            street_name, community_name (and _en), street_kind (street, the default, or town: a street-level region that \
            is a town, 镇). `citygrid export grid` writes these columns.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var file: ImportFileOptions

    func run() throws {
        try guarded {
            let session = try store.session()
            let intake = session.intake
            let outcome = try ImportRun.run(file, what: "cells", kind: "grid", session: session) { reader, options throws(WorkflowError) in
                switch reader {
                case .csv(var s): return try intake.importGrid(&s, options: options)
                case .jsonl(var s): return try intake.importGrid(&s, options: options)
                case .geojson(var s): return try intake.importGrid(&s, options: options)
                }
            }
            try ImportRun.finish(outcome, file, what: "cells")
        }
    }
}

struct ImportComponents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "components",
        abstract: "Add or update components (城市部件).",
        discussion: """
            Columns (CSV) or properties (GeoJSON): id (16 digits: district 6 + class 4 + serial 6), cell (or lat/lon or a \
            Point: the nearest cell centre within 150 m); optional category, name, department, state (normal, damaged, \
            missing, abandoned, removed; intact reads as normal), updated_at. `citygrid export components` writes these columns.
            """)
    @OptionGroup var store: StoreOptions
    @OptionGroup var file: ImportFileOptions
    @OptionGroup var at: AtOption<AtHelp>
    enum AtHelp: OptionHelp { static var help: ArgumentHelp { "\"Now\", ISO-8601: the default updated_at; updated_at must lie in the site's time window (see 'site show')." } }

    func run() throws {
        try guarded {
            let session = try store.session()
            let intake = session.intake
            let now = try session.now(at)
            let outcome = try ImportRun.run(file, what: "components", kind: "components", session: session) { reader, options throws(WorkflowError) in
                switch reader {
                case .csv(var s): return try intake.importComponents(&s, at: now, options: options)
                case .jsonl(var s): return try intake.importComponents(&s, at: now, options: options)
                case .geojson(var s): return try intake.importComponents(&s, at: now, options: options)
                }
            }
            try ImportRun.finish(outcome, file, what: "components")
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

    static func run(_ options: ImportFileOptions, what: String, kind: String, session: CommandSession,
                    _ body: (ImportReader, ImportOptions) throws(WorkflowError) -> ImportSummary) throws(WorkflowError) -> (summary: ImportSummary, plan: ImportPlan) {
        let plan = try ImportPlan(options, kind: kind, what: what, session: session)
        let file = try FileByteSource(path: options.file)
        let ref = FileSourceRef(file: file)
        let reader: ImportReader
        switch options.resolvedFormat {
        case .csv: reader = .csv(try CSVRecordSource(ref))
        case .jsonl: reader = .jsonl(JSONLinesRecordSource(ref))
        case .geojson: reader = .geojson(GeoJSONFeatureSource(ref))
        }
        // The handler first, then the reject file: Ctrl-C from here on removes its temporary file.
        let batched = plan.batch != nil
        if batched { Interrupt.installBetweenBatches(resumable: plan.recording != nil) } else { Interrupt.install() }
        var rejectFile: RejectFile?
        if let path = options.rejects { rejectFile = try RejectFile(path: path) }
        var printed = 0
        var rejectWriteError: WorkflowError?
        let onReject: (ImportReject) -> Void = { reject in
            if let file = rejectFile, rejectWriteError == nil {
                do throws(WorkflowError) { try file.add(reject) } catch { rejectWriteError = error }
            }
            if rejectFile == nil || !options.skipBad, printed < printedRejects {
                Output.error("\(options.file):\(reject.line): \(reject.reason)")
            }
            printed += 1
        }
        let progress = ProgressLine(what: what, file: file)
        var importOptions = ImportOptions(skipBad: plan.skipBad, onReject: onReject,
                                          progress: progress.map { p in { p.update($0) } }, progressEvery: 5_000,
                                          batchSize: plan.batch, fromLine: plan.fromLine)
        importOptions.recording = plan.recording
        if batched {
            Interrupt.committedThrough.store(plan.fromLine - 1, ordering: .relaxed)
            importOptions.shouldStop = { Interrupt.requested.load(ordering: .relaxed) != 0 }
            importOptions.onCommit = { summary in Interrupt.committedThrough.store(summary.throughLine ?? 0, ordering: .relaxed) }
        }
        let summary: ImportSummary
        do {
            summary = try body(reader, importOptions)
        } catch {
            progress?.done()
            throw plan.explain(error, store: session.intake)
        }
        progress?.done()
        if printed > printedRejects && (rejectFile == nil || !options.skipBad) {
            Output.error("… and \(printed - printedRejects) more refused records")
        }
        if let rejectWriteError {
            throw .storage("\(summary.committed ? "the import is committed, but the" : "nothing was imported; the") refused records were not all written: \(rejectWriteError.description)")
        }
        try rejectFile?.finish()
        return (summary, plan)
    }

    static func finish(_ outcome: (summary: ImportSummary, plan: ImportPlan), _ options: ImportFileOptions, what: String) throws {
        let (summary, plan) = outcome
        let peak = options.peakMemory ? PeakMemory.kilobytes() : nil
        if options.output.json {
            try Output.json(ImportJSON(records: summary.records, imported: summary.imported, rejected: summary.rejected,
                                       committed: summary.committed, first_case: summary.firstCaseID, last_case: summary.lastCaseID,
                                       created: summary.created, rejects_file: options.rejects, peak_rss_kb: peak,
                                       skipped: summary.skipped, batches: summary.batches, through_line: summary.throughLine,
                                       interrupted: summary.interrupted, from_line: plan.fromLine, resumed: plan.resuming != nil,
                                       file_sha256: plan.identity?.sha256))
        }
        if summary.interrupted {
            if !options.output.json {
                let through = (summary.throughLine ?? plan.fromLine - 1) > 0
                    ? "lines up to \(summary.throughLine ?? plan.fromLine - 1) are imported" + (summary.batches > 0 ? " (\(summary.imported) \(what) in \(summary.batches) batches)" : "")
                        + "; \(plan.continuation(after: summary.throughLine ?? plan.fromLine - 1))"
                    : "nothing was imported"
                Output.error("interrupted: \(through)")
            }
            throw ExitCode(Interrupt.requested.load(ordering: .relaxed) == SIGTERM ? 143 : 130)
        }
        guard summary.committed else {
            if !options.output.json {
                Output.error("nothing imported: \(summary.rejected) of \(summary.records) records refused; fix them, or pass --skip-bad to import the rest")
            }
            throw ExitCode(WorkflowError.invalidInput("").exitCode)
        }
        guard !options.output.json else { return }
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
        if summary.skipped > 0 { line += "; skipped \(summary.skipped) before line \(plan.fromLine)" + (plan.resuming != nil ? " (imported before)" : "") }
        if plan.batch != nil { line += "; \(summary.batches) \(summary.batches == 1 ? "batch" : "batches")" }
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
    /// The first line this run imported (after --resume: the line after the last committed one).
    var from_line: Int
    /// Whether this run continued an interrupted import (--resume).
    var resumed: Bool
    /// The file's identity as recorded for batched imports (null for standard input).
    var file_sha256: String?
}

/// The reject file: CSV `line,reason,record`, the record as it was in the input. Written by the rule of
/// `OutputTarget`: a regular file beside the target and renamed into place at the end, so an interrupted
/// import leaves no half file; a device or FIFO written through; a folder refused before anything is imported.
final class RejectFile {
    let file: OutputFile

    init(path: String) throws(WorkflowError) {
        file = try OutputFile(path: path)
        try file.write(CSVText.line(["line", "reason", "record"], ending: "\r\n"))
    }

    func add(_ reject: ImportReject) throws(WorkflowError) {
        let reason = TerminalText.sanitize(reject.reason)
        let record = String(decoding: reject.raw, as: UTF8.self)
        try file.write(CSVText.line([String(reject.line), reason, record], ending: "\r\n"))
    }

    func finish() throws(WorkflowError) {
        try file.commit()
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

/// Ctrl-C or SIGTERM during an import. One transaction: say that nothing was written and leave at once; it is only
/// committed at the end, so dying before COMMIT is the rollback (SQLite discards the uncommitted pages on next open).
/// Batched: stop at the next record, keeping the committed batches (`installBetweenBatches`).
enum Interrupt {
    /// Set by Ctrl-C (SIGINT) or SIGTERM during a batched import, to the signal's number: the import rolls back its
    /// open batch and stops.
    static let requested = Atomic<Int32>(0)
    /// The last line of the last committed batch (0: none yet), for the message of a second signal.
    static let committedThrough = Atomic<Int>(0)
    /// Whether the import is recorded, so `--resume` continues it (a file); else the message names `--from-line`.
    static let resumable = Atomic<Bool>(false)

    /// A batched import: the first Ctrl-C or SIGTERM asks it to stop at the next record (what is committed stays), a
    /// second ends the process at once (the open batch is lost, the committed ones stay).
    static func installBetweenBatches(resumable: Bool) {
        Interrupt.resumable.store(resumable, ordering: .relaxed)
        unblock()
        let handler: @convention(c) (Int32) -> Void = { signal in
            if Interrupt.requested.exchange(signal, ordering: .relaxed) != 0 {
                // Only async-signal-safe calls here: write(2) of static text and of digits made on the stack.
                let through = Interrupt.committedThrough.load(ordering: .relaxed)
                if through > 0 {
                    Interrupt.writeStderr("\ncitygrid: interrupted again; lines up to ")
                    Interrupt.writeStderr(number: through)
                    if Interrupt.resumable.load(ordering: .relaxed) {
                        Interrupt.writeStderr(" are imported; continue after that line with the same command and --resume\n")
                    } else {
                        Interrupt.writeStderr(" are imported; import the rest with --from-line ")
                        Interrupt.writeStderr(number: through + 1)
                        Interrupt.writeStderr("\n")
                    }
                } else {
                    Interrupt.writeStderr("\ncitygrid: interrupted again; nothing was imported\n")
                }
                OutputFile.removeUnfinishedAfterSignal()
                _exit(128 + signal)
            }
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
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

    /// A parent may start us with SIGINT or SIGTERM blocked (Foundation's `Process` passes its thread's mask on): then
    /// the signal would wait unseen until the import ended. The handler only means something if it can run.
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// An export: Ctrl-C, SIGTERM or SIGHUP removes the temporary file of the output, then ends the process by
    /// the same signal as before (the target is left as it was).
    static func installRemovingUnfinishedOutput() {
        unblock()
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                OutputFile.removeUnfinishedAfterSignal()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func install() {
        unblock()
        let handler: @convention(c) (Int32) -> Void = { signal in
            Interrupt.writeStderr("\ncitygrid: interrupted; nothing was imported\n")
            OutputFile.removeUnfinishedAfterSignal()
            _exit(128 + signal)
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}

/// What an import will do given the file's earlier imports (`import_progress`): start, resume after the last committed
/// line, or be refused. Decided before the first record is read.
struct ImportPlan {
    let kind: String
    let what: String
    let file: String
    let identity: ImportFileIdentity?
    var fromLine: Int
    var batch: Int?
    var skipBad: Bool
    /// The interrupted import this one continues.
    var resuming: ImportProgress?
    var recording: ImportRecording?

    init(_ options: ImportFileOptions, kind: String, what: String, session: CommandSession) throws(WorkflowError) {
        let store = session.intake
        self.kind = kind; self.what = what; file = options.file
        fromLine = options.fromLine; batch = options.batch; skipBad = options.skipBad
        guard options.fromLine >= 1 else { throw .invalidInput("--from-line must be 1 or more") }
        if options.resume && options.again { throw .invalidInput("choose one of --resume and --again") }
        if options.resume && options.fromLine != 1 { throw .invalidInput("--resume finds the line to continue from itself: leave out --from-line") }
        identity = try ImportFileIdentity.of(path: options.file)
        guard let identity else {
            if options.resume {
                throw .invalidInput("--resume needs a file: standard input or a pipe cannot be read again (give the rest with --from-line)")
            }
            return
        }
        let earlier = try store.importProgress(kind: kind, file: identity)
        let when = session.format
        switch earlier?.state {
        case .running?:
            let earlier = earlier!
            let next = earlier.throughLine + 1
            if options.again {
                try store.abandonImport(earlier.id)
            } else if options.resume || options.fromLine == next {
                fromLine = next
                batch = options.batch ?? earlier.batchSize
                skipBad = true
                resuming = earlier
            } else {
                let done = earlier.throughLine > 0
                    ? "lines up to \(earlier.throughLine) are imported (\(earlier.imported) \(what) in \(earlier.batches) batch\(earlier.batches == 1 ? "" : "es"), last at \(when.string(earlier.updatedAt)))"
                    : "nothing of it was committed"
                throw .wrongState("an import of \(options.file) as \(kind) did not finish: \(done); importing it again from line \(options.fromLine) "
                                  + "would file lines twice. Continue after line \(earlier.throughLine) with: \(Self.command(resume: true)) "
                                  + "(or import the whole file once more with --again)")
            }
        case .done?:
            let earlier = earlier!
            if options.resume {
                throw .wrongState("\(options.file) was imported completely as \(kind) (lines up to \(earlier.throughLine), finished \(when.string(earlier.updatedAt))): nothing to resume")
            }
            if !options.again {
                throw .wrongState("\(options.file) was already imported as \(kind) (lines up to \(earlier.throughLine), \(earlier.imported) \(what), "
                                  + "finished \(when.string(earlier.updatedAt))); pass --again to import it once more")
            }
        case .abandoned?, nil:
            if options.resume {
                throw .wrongState("nothing to resume: no interrupted import of \(options.file) as \(kind) (import it without --resume)")
            }
        }
        if batch != nil { recording = ImportRecording(kind: kind, file: identity, resuming: resuming?.id) }
    }

    /// What to run to import the rest after `line`.
    func continuation(after line: Int) -> String {
        recording != nil ? "continue after line \(line) with: \(Self.command(resume: true))"
            : "import the rest with --from-line \(line + 1)"
    }

    /// This process's command line for the rest of the file: `--resume` instead of `--from-line`, `--again` left out.
    static func command(resume: Bool) -> String {
        var words: [String] = ["citygrid"]
        var arguments = Array(CommandLine.arguments.dropFirst())
        var i = 0
        while i < arguments.count {
            let word = arguments[i]
            if word == "--from-line" { i += 2; continue }
            if word.hasPrefix("--from-line=") || word == "--again" || word == "--resume" { i += 1; continue }
            words.append(word)
            i += 1
        }
        arguments = words
        if resume { arguments.append("--resume") }
        return arguments.map(shellQuoted).joined(separator: " ")
    }

    static func shellQuoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./:=@%+,".unicodeScalars.contains($0) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// An import that failed part way (a full disk, a lost lock): what its committed batches hold and what to run next.
    func explain(_ error: WorkflowError, store: any IntakeStore) -> WorkflowError {
        guard let identity, recording != nil,
              let progress = try? store.importProgress(kind: kind, file: identity), progress.state == .running, progress.throughLine > 0 else { return error }
        let more = "; lines up to \(progress.throughLine) are imported; \(continuation(after: progress.throughLine))"
        switch error {
        case .storage(let m): return .storage(m + more)
        case .invalidInput(let m): return .invalidInput(m + more)
        case .wrongState(let m): return .wrongState(m + more)
        case .notFound(let m): return .notFound(m + more)
        case .forbidden(let m): return .forbidden(m + more)
        case .refusal(let r):
            switch r.kind {
            case .input: return .invalidInput(CLIWording.text(r) + more)
            case .forbidden: return .forbidden(CLIWording.text(r) + more)
            case .state: return .wrongState(CLIWording.text(r) + more)
            case .storage: return .storage(CLIWording.text(r) + more)
            }
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
