import ArgumentParser
import CityGridDemo
import Foundation
import Workflow

/// Measures a streamed report import: generates an N-line CSV over the demo grid, imports it in a child
/// `citygrid import reports` (so its peak memory is the import's alone), and reports lines/s and peak RSS
/// (VmHWM). Run from a release build: `swift run -c release citygrid bench-import --lines 1000000`.
struct BenchImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-import",
        abstract: "Measure `import reports` on a generated N-line CSV: lines per second and peak resident memory.")

    @Option(help: "Lines (reports) to generate.") var lines = 1_000_000
    @Option(help: "Use this database file (default: a temporary demo city without cases, removed afterwards).") var db: String?
    @Flag(help: "Keep the database and the CSV afterwards.") var keep = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Option(help: "Import in batches of N records (`import --batch N --skip-bad`).") var batch: Int?

    func validate() throws {
        guard (1...50_000_000).contains(lines) else { throw ValidationError("--lines must be between 1 and 50000000") }
        if let batch, batch < 1 { throw ValidationError("--batch must be 1 or more") }
    }

    func run() throws {
        try guarded {
            #if DEBUG
            Output.progress("bench-import: this is a debug build; figures are only meaningful from a release build")
            #endif
            let folder = NSTemporaryDirectory() as NSString
            let path = db ?? folder.appendingPathComponent("citygrid-bench-import-\(getpid()).sqlite")
            let csv = folder.appendingPathComponent("citygrid-bench-import-\(getpid()).csv")
            let now = try Now.beforeSite(nil)
            if db == nil || !FileManager.default.fileExists(atPath: path) {
                _ = try SiteFiles.seedDemo(at: path, replace: db == nil, options: DemoOptions(seed: 1, days: 1, cases: 0, now: now), progress: nil)
            }
            defer {
                if !keep {
                    try? FileManager.default.removeItem(atPath: csv)
                    if db == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
                }
            }
            let store = try CityStore.open(path: path)
            let context = try store.context()
            let cells = try store.cells().map(\.code)
            let categories = context.categories.values.filter { $0.kind == .event }.map(\.code).sorted()
            guard !cells.isEmpty, !categories.isEmpty else { throw WorkflowError.storage("the bench city has no cells or categories") }
            let before = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }

            let generated = Date()
            try generate(csv, lines: lines, cells: cells, categories: categories, now: now, zone: context.calendar.timeZone)
            let generateSeconds = Date().timeIntervalSince(generated)
            let size = ((try? FileManager.default.attributesOfItem(atPath: csv))?[.size] as? Int) ?? 0

            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
            // --again: a rerun over a kept database generates the same file, which a batched run recorded as imported.
            child.arguments = ["import", "reports", csv, "--db", path, "--source", "web", "--json", "--peak-memory", "--again",
                               "--at", InstantFormat(timeZone: context.calendar.timeZone).string(now)]
                + (batch.map { ["--batch", String($0), "--skip-bad"] } ?? [])
            let pipe = Pipe()
            child.standardOutput = pipe
            let started = Date()
            do { try child.run() } catch { throw WorkflowError.storage("cannot start the import: \(error)") }
            // Meanwhile an intake operator files a report every half second, as a console would: how long each waits.
            let console = ConcurrentWriter(store: store, cell: cells[0], category: categories[0], now: now)
            console.start()
            let childOutput = pipe.fileHandleForReading.readDataToEndOfFile()
            child.waitUntilExit()
            let seconds = Date().timeIntervalSince(started)
            let waits = console.stop()
            guard child.terminationStatus == 0,
                  let result = try? JSONSerialization.jsonObject(with: childOutput) as? [String: Any] else {
                throw WorkflowError.storage("the import failed (exit \(child.terminationStatus)): \(String(decoding: childOutput, as: UTF8.self))")
            }
            let imported = result["imported"] as? Int ?? 0
            let peak = result["peak_rss_kb"] as? Int
            let done = waits.compactMap { $0 }.sorted()
            let refused = waits.count - done.count
            let after = try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }
            let figures = BenchImportJSON(lines: lines, file_bytes: size, generate_seconds: generateSeconds, import_seconds: seconds,
                                          lines_per_second: Double(imported) / seconds, imported: imported, cases_before: before,
                                          cases_after: after, peak_rss_kb: peak,
                                          cores: ProcessInfo.processInfo.activeProcessorCount, batch: batch,
                                          console_writes: waits.count, console_writes_refused: refused,
                                          console_wait_p50_ms: done.isEmpty ? nil : done[done.count / 2] * 1000,
                                          console_wait_max_ms: done.last.map { $0 * 1000 })
            if output.json { return try Output.json(figures) }
            Output.line("citygrid bench-import: \(lines) lines (\(size / 1_048_576) MiB CSV), \(figures.cores) cores")
            Output.table(["MEASURE", "VALUE"], [
                ["generate CSV", String(format: "%.1f s", generateSeconds)],
                [batch.map { "import (batches of \($0))" } ?? "import (one transaction)", String(format: "%.1f s", seconds)],
                ["lines per second", String(format: "%.0f", figures.lines_per_second)],
                ["peak resident memory (VmHWM)", peak.map { String(format: "%.1f MiB", Double($0) / 1024) } ?? "-"],
                ["cases before → after", "\(before) → \(after)"],
                ["console reports during the import", "\(waits.count), \(refused) refused (locked)"],
                ["console wait p50 / max", figures.console_wait_p50_ms.flatMap { p50 in figures.console_wait_max_ms.map { max in
                    String(format: "%.0f / %.0f ms", p50, max) } } ?? "-"],
            ])
        }
    }

    /// The CSV `import reports` takes, written in 1 MiB chunks: spread over the 30 days before now.
    private func generate(_ path: String, lines: Int, cells: [String], categories: [String], now: Date, zone: TimeZone) throws(WorkflowError) {
        let sink = try OutputFile(path: path)
        let times = FastInstant(timeZone: zone)
        var buffer = "kind,category,cell,description,source,reported_at\n"
        let span = 30.0 * 86_400
        var random = SplitMix(seed: 42)
        for i in 0..<lines {
            let at = now.addingTimeInterval(-span + span * Double(i) / Double(lines))
            let cell = cells[Int(random.next() % UInt64(cells.count))]
            let category = categories[Int(random.next() % UInt64(categories.count))]
            buffer += "event,\(category),\(cell),\"批量导入 #\(i + 1): 现场发现问题, 请处理\",web,\(times.string(at))\n"
            if buffer.utf8.count >= 1 << 20 {
                try sink.write(Array(buffer.utf8))
                buffer = ""
            }
        }
        try sink.write(Array(buffer.utf8))
        try sink.commit()
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct BenchImportJSON: Encodable {
    var lines: Int
    var file_bytes: Int
    var generate_seconds: Double
    var import_seconds: Double
    var lines_per_second: Double
    var imported: Int
    var cases_before: Int
    var cases_after: Int
    var peak_rss_kb: Int?
    var cores: Int
    var batch: Int?
    var console_writes: Int
    var console_writes_refused: Int
    var console_wait_p50_ms: Double?
    var console_wait_max_ms: Double?
}

/// A console's writes during a bench import, on a thread of their own: one report every half second, each
/// timed from the call to its commit (nil: refused, the lock was not had within the busy timeout).
final class ConcurrentWriter: @unchecked Sendable {
    let store: CityStore
    let draft: ReportDraft
    let now: Date
    private let lock = NSLock()
    private var running = true
    private var waits: [Double?] = []
    private let finished = DispatchSemaphore(value: 0)

    init(store: CityStore, cell: String, category: String, now: Date) {
        self.store = store
        self.now = now
        draft = ReportDraft(kind: .event, categoryCode: category, cellCode: cell, description: "bench: a console's report during an import",
                            source: .hotline)
    }

    func start() {
        Thread {
            while self.lock.withLock({ self.running }) {
                let started = Date()
                let wait: Double? = (try? self.store.report(self.draft, by: "city-intake-1", at: self.now)) != nil
                    ? Date().timeIntervalSince(started) : nil
                self.lock.withLock { self.waits.append(wait) }
                Thread.sleep(forTimeInterval: 0.5)
            }
            self.finished.signal()
        }.start()
    }

    /// Stops after the write in progress; each write's wait in seconds.
    func stop() -> [Double?] {
        lock.withLock { running = false }
        finished.wait()
        return lock.withLock { waits }
    }
}
