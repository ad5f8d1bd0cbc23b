import Foundation
import GRDB

extension Indicator {
    /// The counters the indicator is computed from (`IndicatorInputs.value`): all a per-cell window needs to read.
    /// A test checks every indicator against the full evaluation, so a counter missing here cannot go unnoticed.
    var counters: [EvaluationCounter] {
        switch self {
        case .validReportRate: [.reportsValid, .reportsInvalid, .reportsMerged]
        case .publicReportShare: [.reportsPublic, .reports]
        case .missedReportRate: [.filed, .filedByOthers]
        case .onTimeVerifyRate: [.verified, .verifiedLate]
        case .onTimeCheckRate: [.checked, .checkedLate]
        case .onTimeFilingRate: [.filed, .filedLate]
        case .accurateFilingRate: [.filed, .filedVoid]
        case .onTimeDispatchRate: [.dispatched, .dispatchedLate]
        case .accurateDispatchRate: [.dispatchedToDepartment, .dispatchReturned]
        case .onTimeHandlingRate: [.handled, .handledLate]
        case .closureRate: [.assignedClosed, .assigned, .assignedCancelled, .assignedSuspended]
        case .onTimeClosureRate, .open311OnTimeRate: [.closedOnTime, .closed]
        case .onTimeClosingRate: [.closed, .closeLate]
        case .reworkRate: [.assignedReworked, .assigned, .assignedCancelled, .assignedSuspended]
        case .casesFiled: [.filed]
        case .dispatchVolume: [.dispatched]
        case .casesHandled: [.handled]
        case .followUpRate: [.followupsDone, .followups]
        case .satisfactionRate: [.followupsSatisfied, .followupsReached]
        case .foundRate: [.filed, .filedByOthers]
        case .handlingRate: [.assignedHandled, .assigned, .assignedCancelled, .assignedSuspended]
        case .resolutionRate: [.filedClosed, .filed, .filedVoid]
        case .communityCloseShare: [.closedCommunity, .closed]
        case .streetCloseShare: [.closedStreet, .closed]
        case .belowDistrictCloseShare: [.closedCommunity, .closedStreet, .closed]
        }
    }

    /// Needs the open cases overdue now, not only the window's counts.
    var needsOverdueNow: Bool { self == .open311OnTimeRate }
}

extension CityStore {
    /// One indicator over a window, per cell: what a window heatmap shows. Each cell's inputs hold only the counters
    /// the indicator is made of (so `value(indicator)` is the cell's count or rate, and the rate's numerator and
    /// denominator can be summed over a block of cells), the open cases overdue now when the indicator uses them, and
    /// the cell's own filings as the missed-report base. Every cell of the city (or of `within`, a district, street or
    /// community code) is listed, and any other key with counts. The figures are the full evaluation's
    /// (`evaluation(…grouping: .cell…)`), read from the per-day per-cell rollups kept current incrementally: only the
    /// indicator's columns, summed over the window's days.
    ///
    /// With a `cache` (one per store, kept by a long-running reader such as the console), the days of the window are
    /// held in memory and only days whose rollups changed since (their `eval_day_stamp`) are read again.
    public func windowFigures(_ indicator: Indicator, period: EvaluationPeriod, within: String? = nil,
                              at now: Date, cache: WindowFigureCache? = nil) throws(WorkflowError) -> [String: IndicatorInputs] {
        do {
            try refreshEvaluation()
        } catch {
            guard case .storage = error else { throw error }
        }
        return try read { db in try EvaluationRollups.cellFigures(db, indicator, period: period, within: within, now: now, cache: cache) }
    }
}

/// Per-day per-cell counts of the stored rollups, held in memory for window heatmaps: a window is summed from the days
/// in memory, and a day is read again only when its stamp (`eval_day_stamp`, raised by every rollup refresh or build
/// that changes the day) differs from the one it was read at. Holds the counters of the window indicators as 32-bit
/// counts, about 0.3 MB per day on 3,000 cells, and at most `maxDays` days. One cache per database.
public final class WindowFigureCache: @unchecked Sendable {
    /// Every counter a window indicator reads, in counter order.
    static let counters: [EvaluationCounter] = EvaluationCounter.allCases.filter { c in Indicator.allCases.contains { $0.counters.contains(c) } }
    static let column: [Int] = {
        var column = Array(repeating: -1, count: EvaluationCounter.allCases.count)
        for (i, c) in counters.enumerated() { column[c.index] = i }
        return column
    }()
    static let maxDays = 70

    struct Day {
        var stamp: Int64
        var cells: [Int32]
        /// `cells.count` × `counters.count`, row by row.
        var values: [Int32]
    }

    let lock = NSLock()
    var codes: [String] = []
    var index: [String: Int32] = [:]
    var days: [Int: Day] = [:]
    /// Days read from the database (not from memory), for tests and the bench.
    public private(set) var daysRead = 0

    public init() {}

    func cellIndex(_ code: String) -> Int32 {
        if let i = index[code] { return i }
        let i = Int32(codes.count)
        codes.append(code)
        index[code] = i
        return i
    }

    /// The day as stored, or nil when a count does not fit the cache (then the window is read without it).
    func load(_ db: Database, day: Int, stamp: Int64) throws -> Day? {
        let columns = Self.counters.map { "e.\($0.column)" }.joined(separator: ", ")
        let statement = try RawStatement(db, sql: "SELECT e.key, \(columns) FROM eval_rollup e WHERE e.dim = 'cell' AND e.day = ?")
        statement.bind(1, Int64(day))
        let width = Self.counters.count
        var result = Day(stamp: stamp, cells: [], values: [])
        while try statement.step() {
            result.cells.append(cellIndex(statement.text(0) ?? ""))
            for i in 0..<width {
                guard let value = Int32(exactly: statement.int64(Int32(i + 1))) else { return nil }
                result.values.append(value)
            }
        }
        daysRead += 1
        return result
    }
}

extension EvaluationRollups {
    static func cellFigures(_ db: Database, _ indicator: Indicator, period: EvaluationPeriod, within: String?,
                            now: Date, cache: WindowFigureCache? = nil) throws -> [String: IndicatorInputs] {
        try checkWithin(db, within, grouping: .cell)
        let (zone, dayOf, calendar) = try dayFunction(db)
        let days = period.from.dayNumber..<period.to.dayNumber
        let counters = indicator.counters
        let live = try liveRows(db, zone: zone, dayOf: dayOf, days: days)
        let plan = plan(.cell, within: within, patrolOfCell: [:])
        let counts = try cache.flatMap { cache in
            cache.lock.lock()
            defer { cache.lock.unlock() }
            return try cachedSums(db, cache, counters: counters, days: days, within: within, live: live)
        } ?? aggregate(db, plan, days: days, histograms: false, live: live, only: counters)
        let overdue = indicator.needsOverdueNow
            ? try overdue(db, .cell, within: within, now: now, end: calendar.date(of: period.to, minuteOfDay: 0)) ?? [:]
            : nil

        var keys: [String] = []
        var clause = ""
        var arguments: StatementArguments = []
        if let within {
            clause = " AND code >= ? AND code < ?"
            arguments = [within, within + ":"]
        }
        let cells = try RawStatement(db, sql: "SELECT code FROM region WHERE level = 'cell'\(clause)")
        try cells.bind(arguments)
        while try cells.step() { keys.append(cells.text(0) ?? "") }
        let listed = Set(keys)
        for (key, c) in counts where !listed.contains(key) && !c.isZero { keys.append(key) }
        for (key, n) in overdue ?? [:] where !listed.contains(key) && counts[key] == nil && n > 0 { keys.append(key) }

        var result: [String: IndicatorInputs] = [:]
        result.reserveCapacity(keys.count)
        for key in keys {
            let c = counts[key] ?? EvaluationCounts()
            result[key.isEmpty ? "-" : key] = IndicatorInputs(counts: c, overdueNow: overdue.map { $0[key] ?? 0 },
                                                               missedBase: (c[.filed], c[.filedByOthers]))
        }
        return result
    }
}

extension EvaluationRollups {
    /// `aggregate` for the cell dim from the days in `cache`, reading the days whose stamp changed; nil when a day
    /// does not fit the cache.
    static func cachedSums(_ db: Database, _ cache: WindowFigureCache, counters: [EvaluationCounter], days: Range<Int>,
                           within: String?, live: [RollupRow]) throws -> [String: EvaluationCounts]? {
        var stamps: [Int: Int64] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT day, stamp FROM eval_day_stamp WHERE day >= ? AND day < ?",
                                    arguments: [days.lowerBound, days.upperBound]) {
            stamps[row[0]] = row[1]
        }
        let width = WindowFigureCache.counters.count
        let columns = counters.map { WindowFigureCache.column[$0.index] }
        let k = columns.count
        var sums: [Int64] = []
        for day in days {
            let stamp = stamps[day] ?? 0
            if cache.days[day]?.stamp != stamp {
                guard let loaded = try cache.load(db, day: day, stamp: stamp) else { return nil }
                cache.days[day] = loaded
            }
            guard let stored = cache.days[day] else { continue }
            if sums.count < cache.codes.count * k { sums += Array(repeating: 0, count: cache.codes.count * k - sums.count) }
            stored.values.withUnsafeBufferPointer { values in
                sums.withUnsafeMutableBufferPointer { sums in
                    for (row, cell) in stored.cells.enumerated() {
                        let at = Int(cell) * k, from = row * width
                        for j in 0..<k { sums[at + j] &+= Int64(values[from + columns[j]]) }
                    }
                }
            }
        }
        if cache.days.count > WindowFigureCache.maxDays {
            for day in cache.days.keys where !days.contains(day) { cache.days[day] = nil }
        }
        var result: [String: EvaluationCounts] = [:]
        let range = within.map { ($0, $0 + ":") }
        for cell in 0..<(sums.count / max(1, k)) {
            let code = cache.codes[cell]
            if let range, !(code >= range.0 && code < range.1) { continue }
            var counts = EvaluationCounts()
            var any = false
            for (j, counter) in counters.enumerated() {
                let value = sums[cell * k + j]
                counts[counter] = value
                any = any || value != 0
            }
            if any { result[code] = counts }
        }
        for row in live where row.dim == .cell && days.contains(row.day) {
            if let range, !(row.key >= range.0 && row.key < range.1) { continue }
            var counts = row.counts
            counts.histogram = StageHistogram()
            result[row.key, default: EvaluationCounts()].add(counts)
        }
        return result
    }
}

extension WindowHeatmap {
    /// The indicator's value per cell from `windowFigures`: volumes as counts, rates as percentages 0–100; a cell
    /// without a value (a rate over nothing) is 0.
    public static func values(_ cells: [String: IndicatorInputs], indicator: Indicator) -> [String: Double] {
        figures(cells, indicator: indicator).mapValues { $0.value ?? 0 }
    }

    /// The indicator's terms per cell from `windowFigures`: what blocks of cells are summed from.
    public static func figures(_ cells: [String: IndicatorInputs], indicator: Indicator) -> [String: GridFigure] {
        cells.mapValues { $0.terms(indicator).map(GridFigure.init) ?? (indicator.isVolume ? .zero : .rate(0, of: 0)) }
    }
}
