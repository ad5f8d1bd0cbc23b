import ArgumentParser
import CityGridDemo
import Foundation
import Workflow

/// Measures the Workflow core on a large demo city. Run it from a release build:
/// `swift run -c release citygrid bench`. Figures go in the README (the log in docs/benchmarks.md); tests never time anything.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure seeding, opening, the dispatcher's queue, per-cell counts and a transition on a large demo city.")

    @Option(help: "Cases to seed.") var cases = 1_000_000
    @Option(help: "Days of history.") var days = 30
    @Option(help: "Repetitions of each query.") var repeats = 200
    @Option(help: "Seed into this file (default: a temporary file, removed afterwards).") var db: String?
    @Flag(help: "Keep the database afterwards.") var keep = false
    @Flag(help: "Measure an existing --db instead of seeding a new one.") var reuse = false
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>
    @Flag(help: "Measure the seeding only: no evaluation build or queries.") var seedOnly = false
    @Option(help: "Inspectors' pings to import and measure coverage on (0: none).") var pings = 10_000_000
    @Flag(help: "Measure the patrol rows only (pings, coverage), on --db with --reuse or a new city.") var patrolOnly = false

    func run() throws {
        try guarded {
            #if DEBUG
            Output.progress("bench: this is a debug build; figures are only meaningful from `swift run -c release citygrid bench`")
            #endif
            let path = db ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("citygrid-bench-\(getpid()).sqlite")
            if reuse && db == nil { throw WorkflowError.invalidInput("--reuse needs --db PATH") }
            let now = try Now.beforeSite(nil)
            var results: [BenchResult] = []
            var caseCount = cases
            defer {
                if !keep && !reuse { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            }
            if !reuse {
                let progress: (@Sendable (String) -> Void)? = output.json ? nil : { @Sendable message in Output.progress("bench: " + message) }
                let summary = try SiteFiles.seedDemo(at: path, replace: true, options: DemoOptions(seed: 1, days: days, cases: cases, now: now),
                                                     buildEvaluation: false, progress: progress)
                results += seedResults(summary)
                if seedOnly { return try report(results, caseCount: caseCount) }
                let store = try CityStore.open(path: path)
                let rollups = try time(repeats: 1) { () throws(WorkflowError) in _ = try store.refreshEvaluation(rebuild: true) }
                results.append(BenchResult(name: "evaluation totals, first build", detail: "daily rollups for every grouping", times: rollups))
            }

            var opened: CityStore?
            let open = try time(repeats: 20) { () throws(WorkflowError) in
                let s = try CityStore.open(path: path)
                _ = try s.context()
                opened = s
            }
            results.append(BenchResult(name: "open database", detail: "open, migrate check, load site context", times: open))
            guard let reader = opened else { throw WorkflowError.storage("bench: the database did not open") }
            if patrolOnly {
                results += try patrolResults(reader, path: path, now: now)
                caseCount = try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }
                return try report(results, caseCount: caseCount)
            }

            let dispatcher = try reader.findOperator("city-dispatcher-1")
            let queue = try time(repeats: repeats) { () throws(WorkflowError) in _ = try reader.needsAction(for: dispatcher, at: now, limit: 50) }
            results.append(BenchResult(name: "dispatcher needs-my-action", detail: "first 50, by deadline", times: queue))
            let count = try time(repeats: repeats) { () throws(WorkflowError) in _ = try reader.needsActionCount(for: dispatcher, at: now) }
            results.append(BenchResult(name: "dispatcher queue count", detail: "count of needs-my-action", times: count))
            let cells = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in _ = try reader.openCountsByCell(at: now) }
            results.append(BenchResult(name: "per-cell open counts", detail: "all open cases grouped by cell", times: cells))
            let overdue = try time(repeats: repeats) { () throws(WorkflowError) in
                _ = try reader.cases(CaseQuery(overdueAt: now, limit: 50))
            }
            results.append(BenchResult(name: "most overdue 50", detail: "open cases by deadline", times: overdue))

            // The console's own queries: the queue's counts and one screen of rows, for the busiest operator.
            let none = QueueFilter()
            var counts = QueueCounts()
            let queueCount = try time(repeats: repeats) { () throws(WorkflowError) in counts = try reader.queueCounts(for: dispatcher, filter: none, at: now) }
            results.append(BenchResult(name: "console queue counts", detail: "\(counts.needsMyAction) need action, \(counts.others) more open", times: queueCount))
            let window = try time(repeats: repeats) { () throws(WorkflowError) in
                _ = try reader.queueWindow(for: dispatcher, filter: none, sort: .due, ascending: true, offset: 0, limit: 60,
                                           needsTotal: counts.needsMyAction, at: now)
            }
            results.append(BenchResult(name: "console queue window", detail: "60 rows by due time", times: window))
            let deep = try time(repeats: repeats) { () throws(WorkflowError) in
                _ = try reader.queueWindow(for: dispatcher, filter: none, sort: .category, ascending: false,
                                           offset: counts.total / 2, limit: 60, needsTotal: counts.needsMyAction, at: now)
            }
            results.append(BenchResult(name: "console queue deep window", detail: "60 rows mid-list, sorted by category", times: deep))
            let filtered = try time(repeats: repeats) { () throws(WorkflowError) in
                let f = QueueFilter(text: "垃圾")
                let c = try reader.queueCounts(for: dispatcher, filter: f, at: now)
                _ = try reader.queueWindow(for: dispatcher, filter: f, sort: .due, ascending: true, offset: 0, limit: 60,
                                           needsTotal: c.needsMyAction, at: now)
            }
            results.append(BenchResult(name: "console live filter", detail: "text 垃圾: counts and first window", times: filtered))
            let reach = try time(repeats: repeats) { () throws(WorkflowError) in _ = try reader.reachCounts(for: dispatcher, at: now) }
            results.append(BenchResult(name: "console status counts", detail: "new, due soon, overdue", times: reach))
            let dayStart = now.addingTimeInterval(-3600 * 10)
            let map = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in
                _ = try reader.cellMeasures(region: nil, at: now, dayStart: dayStart)
            }
            results.append(BenchResult(name: "console map measures", detail: "open, overdue, new today per cell, whole city", times: map))
            let period = EvaluationPeriod.month(containing: try reader.context().calendar.localDate(of: now))
            let heat = try time(repeats: max(5, repeats / 20)) { () throws(WorkflowError) in
                _ = try reader.evaluation(EvaluationQuery(period: period, grouping: .cell, stageTimes: false), at: now)
            }
            results.append(BenchResult(name: "heatmap month per cell", detail: "evaluation figures for every cell, one month", times: heat))
            results += try windowHeatmaps(reader, now: now)
            let board = try time(repeats: max(5, repeats / 20)) { () throws(WorkflowError) in
                _ = try reader.evaluation(EvaluationQuery(period: period, grouping: .district, stageTimes: false), at: now)
            }
            results.append(BenchResult(name: "evaluation month by district", detail: "indicators and composite scores", times: board))

            // A transition: urge open cases one by one (each a full read-check-write transaction).
            let lead = try reader.findOperator("city-lead-1")
            let targets = try reader.cases(CaseQuery(states: [.dispatched], limit: repeats))
            var index = 0
            let urge = try time(repeats: targets.count) { () throws(WorkflowError) in
                let target = targets[index]
                index += 1
                try reader.perform(ActionRequest(action: .urge, caseID: target.id, actor: lead.login, note: "bench"),
                                   at: max(now, target.lastEventAt))
            }
            results.append(BenchResult(name: "single transition", detail: "urge: load, check, update, history row", times: urge))
            results += try patrolResults(reader, path: path, now: now)

            caseCount = try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }
            try report(results, caseCount: caseCount)
        }
    }

    private func report(_ results: [BenchResult], caseCount: Int) throws {
        if output.json { return try Output.json(results) }
        Output.line("citygrid bench: \(caseCount) cases, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        Output.table(["MEASURE", "DETAIL", "P50", "P99", "MEAN"], results.map { r in
            r.unit == "ms" ? [r.name, r.detail, fmt(r.p50), fmt(r.p99), fmt(r.value)] : [r.name, r.detail, "", "", String(format: "%.1f %@", r.value, r.unit)]
        }, maxWidth: 70)
    }

    private func seedResults(_ summary: DemoSummary) -> [BenchResult] {
        [BenchResult(name: "seed", detail: "\(summary.cases) cases, \(summary.historyRows) history rows",
                     value: Double(summary.cases) / summary.seconds, unit: "cases/s"),
         BenchResult(name: "seed total", detail: "including grid, staff, \(summary.components) components", value: summary.seconds, unit: "s"),
         BenchResult(name: "seed: grid and staff", detail: "before the history starts", value: summary.setupSeconds, unit: "s"),
         BenchResult(name: "seed: generate history", detail: "lifecycle replay, CPU of all generator threads", value: summary.generateSeconds, unit: "s CPU"),
         BenchResult(name: "seed: write history", detail: "CPU of the writer thread: rows and deferred indexes", value: summary.writerCPUSeconds, unit: "s CPU"),
         BenchResult(name: "seed: writer in kernel", detail: "of which the kernel copying pages into the file", value: summary.writerSystemSeconds, unit: "s CPU"),
         BenchResult(name: "seed: insert history", detail: "writer's wall time in insert transactions", value: summary.insertSeconds, unit: "s"),
         BenchResult(name: "seed: history written", detail: "wall time from the writer's start to its last index", value: summary.writeSeconds, unit: "s"),
         BenchResult(name: "seed: deferred indexes", detail: "wall time building them after the last row", value: summary.indexSeconds, unit: "s"),
         // SQLite has one writer per file: however fast the generators, seeding takes at least the writer's own CPU time.
         BenchResult(name: "seed: writer bound", detail: "cases / (grid and staff + writer CPU): no generator beats it",
                     value: Double(summary.cases) / max(summary.setupSeconds + summary.writerCPUSeconds, 1e-9), unit: "cases/s"),
         // Even if another thread took over the kernel's part of the file writes, the writer's own code remains.
         BenchResult(name: "seed: writer user bound", detail: "cases / (grid and staff + writer CPU less kernel)",
                     value: Double(summary.cases) / max(summary.setupSeconds + summary.writerCPUSeconds - summary.writerSystemSeconds, 1e-9),
                     unit: "cases/s")]
    }

    /// The console's window heatmap (`windowFigures`): on-time closure rate per cell over the windows the map offers,
    /// read from the rollups, then as the console re-reads it with its day cache (no day changed in between).
    private func windowHeatmaps(_ reader: CityStore, now: Date) throws(WorkflowError) -> [BenchResult] {
        let today = try reader.context().calendar.localDate(of: now)
        var results: [BenchResult] = []
        for window in [HeatmapWindow.month, .days30, .days7] {
            let period = try window.period(endingOn: today, back: 0)
            let days = period.to.dayNumber - period.from.dayNumber
            let direct = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in
                _ = try reader.windowFigures(.onTimeClosureRate, period: period, at: now)
            }
            results.append(BenchResult(name: "window heatmap, \(window.rawValue) per cell",
                                       detail: "\(days) days of cell rollups, one rate's columns", times: direct))
            let cache = WindowFigureCache()
            _ = try reader.windowFigures(.onTimeClosureRate, period: period, at: now, cache: cache)
            let cached = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in
                _ = try reader.windowFigures(.onTimeClosureRate, period: period, at: now, cache: cache)
            }
            results.append(BenchResult(name: "window heatmap, \(window.rawValue), reload",
                                       detail: "the console's day cache, stamps checked", times: cached))
        }
        // After each write someone makes (an urge, untimed), as the console reads it: the refresh adds the case, today's
        // cells are read again, the other days come from the cache.
        let period = try HeatmapWindow.month.period(endingOn: today, back: 0)
        let cache = WindowFigureCache()
        _ = try reader.windowFigures(.onTimeClosureRate, period: period, at: now, cache: cache)
        let lead = try reader.findOperator("city-lead-1")
        let targets = try reader.cases(CaseQuery(states: [.dispatched], limit: max(10, repeats / 4)))
        var samples: [Double] = []
        for target in targets {
            try reader.perform(ActionRequest(action: .urge, caseID: target.id, actor: lead.login, note: "bench"), at: max(now, target.lastEventAt))
            samples += try time(repeats: 1) { () throws(WorkflowError) in
                _ = try reader.windowFigures(.onTimeClosureRate, period: period, at: now, cache: cache)
            }
        }
        results.append(BenchResult(name: "window heatmap, month, after a write", detail: "refresh, changed days re-read, cache",
                                   times: samples))
        // The category measure: the commonest category's reports per cell, from its covering index.
        let calendar = try reader.context().calendar
        let commonest = CategoryKey(kind: .event, code: "0102")
        for window in [HeatmapWindow.days30, .days7] {
            let period = try window.period(endingOn: today, back: 0)
            let from = calendar.date(of: period.from, minuteOfDay: 0), to = calendar.date(of: period.to, minuteOfDay: 0)
            let counts = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in
                _ = try reader.categoryCounts(commonest, from: from, to: to, region: nil)
            }
            results.append(BenchResult(name: "category heatmap, \(window.rawValue) per cell",
                                       detail: "event 0102 (the commonest), covering index", times: counts))
        }
        return results
    }

    private func fmt(_ ms: Double?) -> String { ms.map { String(format: "%.2f ms", $0) } ?? "" }

    /// Runs `body` `repeats` times; returns each run's milliseconds.
    func time(repeats: Int, _ body: () throws(WorkflowError) -> Void) throws(WorkflowError) -> [Double] {
        var samples: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
        }
        return samples
    }
}

struct BenchResult: Encodable {
    var name: String
    var detail: String
    var value: Double
    var unit: String
    var p50: Double?
    var p99: Double?

    init(name: String, detail: String, value: Double, unit: String) {
        self.name = name; self.detail = detail; self.value = value; self.unit = unit
    }

    init(name: String, detail: String, times: [Double]) {
        let sorted = times.sorted()
        self.name = name; self.detail = detail; unit = "ms"
        value = sorted.reduce(0, +) / Double(max(1, sorted.count))
        p50 = sorted.isEmpty ? nil : sorted[sorted.count / 2]
        p99 = sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }
}
