import ArgumentParser
import Foundation
import Workflow

/// Measures the Workflow core on a large demo city. Run it from a release build:
/// `swift run -c release citygrid bench`. Figures go in the README; tests never time anything.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure seeding, opening, the dispatcher's queue, per-cell counts and a transition on a large demo city.")

    @Option(help: "Cases to seed.") var cases = 1_000_000
    @Option(help: "Days of history.") var days = 30
    @Option(help: "Repetitions of each query.") var repeats = 200
    @Option(help: "Seed into this file (default: a temporary file, removed afterwards).") var db: String?
    @Flag(help: "Keep the database afterwards.") var keep = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try guarded {
            #if DEBUG
            Output.progress("bench: this is a debug build; figures are only meaningful from `swift run -c release citygrid bench`")
            #endif
            let path = db ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("citygrid-bench-\(getpid()).sqlite")
            try SiteFiles.prepare(path, force: true)
            defer {
                if !keep { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
            }
            let now = try Now.resolve(nil, store: nil)
            var results: [BenchResult] = []

            let store = try CityStore.open(path: path, create: true)
            let progress: (@Sendable (String) -> Void)? = json ? nil : { @Sendable message in Output.progress("bench: " + message) }
            let summary = try DemoCity.seed(into: store, options: DemoOptions(seed: 1, days: days, cases: cases, now: now),
                                            progress: progress)
            results.append(BenchResult(name: "seed", detail: "\(summary.cases) cases, \(summary.historyRows) history rows",
                                       value: Double(summary.cases) / summary.seconds, unit: "cases/s"))
            results.append(BenchResult(name: "seed total", detail: "including grid, staff, \(summary.components) components",
                                       value: summary.seconds, unit: "s"))

            var opened: CityStore?
            let open = try time(repeats: 20) { () throws(WorkflowError) in
                let s = try CityStore.open(path: path)
                _ = try s.context()
                opened = s
            }
            results.append(BenchResult(name: "open database", detail: "open, migrate check, load site context", times: open))
            let reader = opened ?? store

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

            if json { return try Output.json(results) }
            Output.line("citygrid bench: \(summary.cases) cases over \(days) days, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            Output.table(["MEASURE", "DETAIL", "P50", "P99", "MEAN"], results.map { r in
                r.unit == "ms" ? [r.name, r.detail, fmt(r.p50), fmt(r.p99), fmt(r.value)] : [r.name, r.detail, "", "", String(format: "%.1f %@", r.value, r.unit)]
            }, maxWidth: 70)
        }
    }

    private func fmt(_ ms: Double?) -> String { ms.map { String(format: "%.2f ms", $0) } ?? "" }

    /// Runs `body` `repeats` times; returns each run's milliseconds.
    private func time(repeats: Int, _ body: () throws(WorkflowError) -> Void) throws(WorkflowError) -> [Double] {
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
