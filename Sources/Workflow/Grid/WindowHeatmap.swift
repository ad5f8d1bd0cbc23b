import Foundation

/// The heatmap's time windows, stepped back and forth from the one that contains today.
public enum HeatmapWindow: String, Sendable, CaseIterable {
    case today, days7 = "7d", days30 = "30d", month

    /// The window [from, to) in local days: the current one shifted back `back` times.
    public func period(endingOn today: LocalDate, back: Int) throws(WorkflowError) -> EvaluationPeriod {
        switch self {
        case .today: return EvaluationPeriod.day(today.adding(days: -back))
        case .days7: return try EvaluationPeriod(from: today.adding(days: -6 - 7 * back), to: today.adding(days: 1 - 7 * back))
        case .days30: return try EvaluationPeriod(from: today.adding(days: -29 - 30 * back), to: today.adding(days: 1 - 30 * back))
        case .month:
            var period = EvaluationPeriod.month(containing: today)
            for _ in 0..<max(0, back) { period = period.previous }
            return period
        }
    }
}

/// Per-cell figures of a window measure, from an evaluation grouped by cell.
public enum WindowHeatmap {
    /// The window's dates as shown: first and last day, e.g. "2026-11-19 – 2026-11-25".
    public static func text(_ period: EvaluationPeriod) -> String {
        "\(period.from) – \(period.to.adding(days: -1))"
    }

    /// The indicator's value per cell: volumes as counts, rates as percentages 0–100; a cell without a value is 0.
    public static func values(_ report: EvaluationReport, indicator: Indicator) -> [String: Double] {
        figures(report, indicator: indicator).mapValues { $0.value ?? 0 }
    }
}

/// Getis-Ord Gi* over a region's grid cells: each cell's 8 neighbours on the grid, and the z-score of each cell's value
/// against theirs, by cell code.
public enum CellHotspots {
    public static func neighbours(of cells: [GridCell]) -> [[Int]] {
        Hotspot.gridNeighbours(rows: cells.map(\.row), cols: cells.map(\.col))
    }

    /// `neighbours` from `neighbours(of: cells)`, passed in so it is worked out once per region.
    public static func zScores(cells: [GridCell], neighbours: [[Int]], value: (String) -> Double) -> [String: Double] {
        let z = Hotspot.getisOrdGiStar(values: cells.map { value($0.code) }, neighbours: neighbours)
        return Dictionary(zip(cells.map(\.code), z), uniquingKeysWith: { a, _ in a })
    }
}
