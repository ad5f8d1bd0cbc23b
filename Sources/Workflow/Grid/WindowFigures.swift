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
    public func windowFigures(_ indicator: Indicator, period: EvaluationPeriod, within: String? = nil,
                              at now: Date) throws(WorkflowError) -> [String: IndicatorInputs] {
        do {
            try refreshEvaluation()
        } catch {
            guard case .storage = error else { throw error }
        }
        return try read { db in try EvaluationRollups.cellFigures(db, indicator, period: period, within: within, now: now) }
    }
}

extension EvaluationRollups {
    static func cellFigures(_ db: Database, _ indicator: Indicator, period: EvaluationPeriod, within: String?,
                            now: Date) throws -> [String: IndicatorInputs] {
        try checkWithin(db, within, grouping: .cell)
        let (zone, dayOf, calendar) = try dayFunction(db)
        let days = period.from.dayNumber..<period.to.dayNumber
        let counters = indicator.counters
        let live = try liveRows(db, zone: zone, dayOf: dayOf, days: days)
        let counts = try aggregate(db, plan(.cell, within: within, patrolOfCell: [:]), days: days, histograms: false,
                                   live: live, only: counters)
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

extension WindowHeatmap {
    /// The indicator's value per cell from `windowFigures`: volumes as counts, rates as percentages 0–100; a cell
    /// without a value (a rate over nothing) is 0.
    public static func values(_ cells: [String: IndicatorInputs], indicator: Indicator) -> [String: Double] {
        cells.mapValues { $0.value(indicator) ?? 0 }
    }
}
