import Foundation
import GRDB
import Workflow

/// Generates the demo city's case history by playing each case through the real lifecycle, as the
/// city's operators would have, and stopping at "now": whatever is not finished by then stays open.
struct DemoHistory: Sendable {
    let store: CityStore
    let geography: DemoGeography
    let components: DemoComponentIndex
    let options: DemoOptions
    let context: LifecycleContext
    let directory: DemoDirectory
    /// Categories, cells, sources and reporters of new reports (shared with the live simulator).
    let mix: DemoReportMix
    let arrivals: WeightedTable
    let start: Date
    /// The hours a request-extension takes, from the action table (`CaseAction.spec`), read once for every story.
    let extensionHours = CaseAction.requestExtension.spec.hours

    static let binMinutes = 10
    static let chunkSize = 20_000

    /// How often each category is reported, relative to the others. Street order and rubbish dominate,
    /// as in published monthly figures; emergencies are rare.
    static let eventWeights: [String: Double] = [
        "0102": 18, "0501": 14, "0505": 12, "0201": 10, "0104": 8, "0504": 7, "0507": 6, "0506": 5, "0302": 4, "0202": 4,
        "0103": 3, "0108": 2, "0110": 2, "0106": 2, "0203": 2, "0204": 2, "0107": 1, "0101": 1, "0301": 1.5, "0303": 1,
        "0304": 1, "0305": 0.5, "0306": 1, "0105": 0.5, "0503": 1, "0502": 0.6, "0406": 0.6, "0407": 0.3, "0401": 0.1,
        "0402": 0.2, "0403": 0.1,
    ]
    static let componentWeights: [String: Double] = [
        "0305": 6, "0118": 5, "0101": 1.2, "0102": 1.2, "0103": 1, "0104": 1, "0105": 0.6, "0106": 0.4, "0107": 0.8,
        "0206": 2, "0402": 2, "0209": 2, "0203": 1, "0301": 1, "0307": 2, "0117": 0.5, "0116": 0.4, "0214": 0.5,
    ]
    /// Categories that cluster at markets, stations and busy streets (weighted by hotness squared).
    static let clustered: Set<String> = ["event 0501", "event 0505", "event 0201", "event 0504", "event 0102", "event 0506", "event 0204"]

    init(store: CityStore, geography: DemoGeography, components: DemoComponentIndex, options: DemoOptions) throws(WorkflowError) {
        self.store = store
        self.geography = geography
        self.components = components
        self.options = options
        context = try store.context()
        directory = DemoDirectory(try store.operators())
        mix = DemoReportMix(categories: try store.categories(), geography: geography)
        start = options.now.addingTimeInterval(-Double(options.days) * 86_400)
        // Reports follow the day: few at night, peaks mid-morning and mid-afternoon, lighter weekends.
        let hourly = DemoReportMix.hourly
        let bins = options.days * 24 * 60 / Self.binMinutes
        let calendar = context.calendar
        let startSeconds = start.timeIntervalSince1970
        var weights: [Double] = []
        weights.reserveCapacity(bins)
        var dayFactor = 1.0
        var lastDay = -1
        for b in 0..<bins {
            let instant = Date(timeIntervalSince1970: startSeconds + Double(b * Self.binMinutes * 60))
            let local = calendar.localDate(of: instant)
            if local.dayNumber != lastDay {
                lastDay = local.dayNumber
                dayFactor = calendar.isWorkingDay(local) ? 1.0 : DemoReportMix.restDayFactor
            }
            let hour = calendar.minuteOfDay(of: instant) / 60
            weights.append(hourly[min(23, max(0, hour))] * dayFactor)
        }
        arrivals = WeightedTable(weights)
    }

    /// One chunk of generated cases, encoded as rows ready to insert.
    struct Chunk: Sendable {
        var cases = ColumnBuffer(width: CaseRows.columns.count)
        var reports = ColumnBuffer(width: DemoHistory.reportColumns.count)
        var history = ColumnBuffer(width: CaseRows.chainedHistoryColumns.count)

        mutating func removeAll() {
            cases.removeAll()
            reports.removeAll()
            history.removeAll()
        }
    }

    static let reportColumns = ["id", "case_id", "original_case_id", "source", "reporter_id", "reporter_name", "reporter_phone",
                                "description", "reported_at", "cell_code"]

    final class ChunkCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next(below limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard value < limit else { return nil }
            value += 1
            return value - 1
        }
    }

    /// Chunks the writer is done with, so generators refill their buffers instead of allocating (and
    /// faulting in) tens of megabytes per chunk.
    final class ChunkPool: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [Chunk] = []
        func take() -> Chunk? {
            lock.lock()
            defer { lock.unlock() }
            return free.popLast()
        }
        func give(_ chunk: Chunk) {
            lock.lock()
            defer { lock.unlock() }
            free.append(chunk)
        }
    }

    final class Slot: @unchecked Sendable {
        var chunk: Chunk?
        /// CPU seconds its generator spent on it.
        var seconds: Double = 0
        let ready = DispatchSemaphore(value: 0)
        /// The hash chain after this chunk's history rows, once `chained` is signalled (by its generator, for the next
        /// chunk's: chunks are chained in order, each after the one before).
        var tail = ChainLink.start
        let chained = DispatchSemaphore(value: 0)
    }

    /// What writing the history took: CPU seconds of the generator threads (summed) and of the writer
    /// (rows and the deferred indexes), the writer's wall seconds in insert transactions, and its wall
    /// seconds from the first insert to the last index.
    struct Figures {
        var cases = 0
        var historyRows = 0
        var generateCPU = 0.0
        var writerCPU = 0.0
        /// Of `writerCPU`, the kernel's share.
        var writerSystem = 0.0
        var indexSeconds = 0.0
        var insertSeconds = 0.0
        var writeSeconds = 0.0
    }

    /// Generates and writes the history; the writer runs `first` (rows the history needs but need not
    /// wait for) in its first transaction, while the generators make the first chunks.
    func write(progress: (@Sendable (String) -> Void)?, first: (Database) throws -> Void = { _ in },
               last: (Database) throws -> Void = { _ in }) throws(WorkflowError) -> Figures {
        let total = options.caseCount
        let chunkCount = (total + Self.chunkSize - 1) / Self.chunkSize
        let slots = (0..<chunkCount).map { _ in Slot() }
        // Two generators run ahead of the writer. Chunks are claimed in order after a permit, so the
        // chunk the writer waits for is always done or being made: no deadlock, bounded memory.
        let ahead = DispatchSemaphore(value: 4)
        let claim = ChunkCounter()
        let pool = ChunkPool()
        let generator = self
        // The history's hash chain goes on from the file's head (a new file: the start). Generators hash each chunk's
        // rows once the chunk before is hashed, so the writer only inserts.
        let firstHead = try store.read { db in try HistoryChain.head(db) }
        for _ in 0..<2 {
            // Threads of their own, not the shared pool: their priority is lowered for the writer's sake.
            Thread {
                // The writer is the critical path (one SQLite writer per file), and on two cores three busy
                // threads would leave it two thirds of one: the generators yield to it whenever it can run.
                lowerThreadPriority()
                while true {
                    ahead.wait()
                    guard let k = claim.next(below: chunkCount) else { ahead.signal(); return }
                    let lower = k * Self.chunkSize
                    let upper = min(total, lower + Self.chunkSize)
                    let started = threadCPUSeconds()
                    var chunk = generator.generate(lower..<upper, chunk: k, reusing: pool.take())
                    var seconds = threadCPUSeconds() - started
                    var head = firstHead
                    if k > 0 {
                        slots[k - 1].chained.wait()
                        head = slots[k - 1].tail
                    }
                    let chaining = threadCPUSeconds()
                    chunk.history.chainHistory(after: &head)
                    seconds += threadCPUSeconds() - chaining
                    slots[k].tail = head
                    slots[k].chained.signal()
                    slots[k].chunk = chunk
                    slots[k].seconds = seconds
                    slots[k].ready.signal()
                }
            }.start()
        }
        var figures = Figures(cases: total)
        let writeStarted = DispatchTime.now().uptimeNanoseconds
        do {
            figures = try store.writer.writeWithoutTransaction { db in
                var figures = figures
                // CPU on the same clock as the generators'; the kernel's share of it from the thread's usage.
                let writerStarted = (cpu: threadCPUSeconds(), system: threadCPUTimes().system)
                try db.execute(sql: BulkLoad.begin)
                defer { try? db.execute(sql: BulkLoad.end) }
                let deferred = BulkLoad.deferredIndexes
                for index in deferred { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
                // The history's insert guards check each row against the table; every row here is made in order
                // by the generators, into a file no one else has open, so they are created again at the end.
                for guardItem in Schema.historyInsertGuards { try db.execute(sql: "DROP TRIGGER IF EXISTS \(guardItem.name)") }
                try db.inTransaction(.immediate) {
                    try first(db)
                    return .commit
                }
                var rows = 0
                var inserting: UInt64 = 0
                var lastReport = Date()
                for k in 0..<chunkCount {
                    slots[k].ready.wait()
                    guard let chunk = slots[k].chunk else { continue }
                    slots[k].chunk = nil
                    let started = DispatchTime.now().uptimeNanoseconds
                    try db.inTransaction(.immediate) {
                        try insert(chunk, db)
                        return .commit
                    }
                    pool.give(chunk)
                    ahead.signal()
                    inserting += DispatchTime.now().uptimeNanoseconds - started
                    rows += chunk.history.rowCount
                    if Date().timeIntervalSince(lastReport) > 1 {
                        lastReport = Date()
                        progress?("history: \(min(total, (k + 1) * Self.chunkSize)) of \(total) cases")
                    }
                }
                progress?("indexes")
                let indexing = DispatchTime.now().uptimeNanoseconds
                try db.inTransaction(.immediate) {
                    for index in deferred { try db.execute(sql: index.sql) }
                    for guardItem in Schema.historyInsertGuards { try db.execute(sql: guardItem.sql) }
                    return .commit
                }
                try db.inTransaction(.immediate) {
                    try last(db)
                    return .commit
                }
                figures.indexSeconds = Double(DispatchTime.now().uptimeNanoseconds - indexing) / 1e9
                // Sampled statistics: enough for the planner to prefer the partial indexes, in milliseconds.
                try db.execute(sql: "PRAGMA analysis_limit = 1000; ANALYZE")
                if store.path != nil { try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                figures.historyRows = rows
                figures.insertSeconds = Double(inserting) / 1e9
                figures.writerCPU = threadCPUSeconds() - writerStarted.cpu
                figures.writerSystem = threadCPUTimes().system - writerStarted.system
                return figures
            }
        } catch {
            throw CityStore.translate(error, path: store.path ?? ":memory:")
        }
        figures.writeSeconds = Double(DispatchTime.now().uptimeNanoseconds - writeStarted) / 1e9
        figures.generateCPU = slots.reduce(0) { $0 + $1.seconds }
        return figures
    }

    private func insert(_ chunk: Chunk, _ db: Database) throws {
        try BatchInsert(db, table: "service_case", columns: CaseRows.columns, rowsPerStatement: 16).insert(chunk.cases)
        try BatchInsert(db, table: "report", columns: Self.reportColumns).insert(chunk.reports)
        try BatchInsert(db, table: "history", columns: CaseRows.chainedHistoryColumns, rowsPerStatement: 64).insert(chunk.history)
    }

    // MARK: Generation

    func generate(_ range: Range<Int>, chunk: Int, reusing spare: Chunk? = nil) -> Chunk {
        var story = DemoStory(history: self, random: DemoRandom(seed: options.seed, stream: 1_000 + UInt64(chunk)), now: options.now)
        var out = spare ?? Chunk()
        out.removeAll()
        out.cases.reserve(rows: range.count, textBytes: range.count * 200)
        out.reports.reserve(rows: range.count, textBytes: range.count * 120)
        out.history.reserve(rows: range.count * 10, textBytes: range.count * 10 * 40)
        let total = Double(max(1, options.caseCount))
        let span = Double(Self.binMinutes * 60)
        for i in range {
            let fraction = (Double(i) + story.random.double()) / total
            let bin = arrivals.index(at: fraction)
            let arrival = start.addingTimeInterval(Double(bin) * span + story.random.double() * span)
            guard let reporter = story.play(id: Int64(i + 1), arrival: arrival) else { continue }
            let c = story.serviceCase
            CaseRows.write(c, into: &out.cases)
            out.reports.int(c.id); out.reports.int(c.id); out.reports.int(c.id); out.reports.text(c.source.rawValue)
            out.reports.int(reporter.id); out.reports.text(reporter.name); out.reports.text(reporter.phone)
            out.reports.text(c.description); out.reports.int(c.reportedAt.storageSeconds); out.reports.text(c.cellCode)
            // The chain columns are placeholders until `chainHistory` fills them in order.
            for (seq, var entry) in story.entries.enumerated() {
                entry.via = (entry.actorID == nil ? Via.system : Via.demo).text
                CaseRows.write(entry, seq: seq, link: .start, into: &out.history)
            }
        }
        return out
    }
}
