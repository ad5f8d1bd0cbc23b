import Foundation

/// Evaluations as text tables: the same columns and number formats for the CLI's table, CSV and
/// Markdown and for the console's exports. Pure; the caller sanitizes for the terminal.
public enum EvaluationExport {

    /// A rate as printed: one decimal, or "n/a" when it has no denominator.
    public static func percent(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.1f", value)
    }

    public static func number(_ value: Int64) -> String { String(value) }

    public static func minutes(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.1f", value)
    }

    public static func score(_ score: CompositeScore?) -> String {
        guard let score else { return "n/a" }
        return String(format: "%.1f", score.total)
    }

    /// The compact columns of a terminal table or a Markdown summary: the source's headline rates first.
    public static let compactIndicators: [Indicator] = Indicator.headline + [
        .validReportRate, .missedReportRate, .onTimeFilingRate, .onTimeDispatchRate, .onTimeHandlingRate,
        .closureRate, .onTimeClosureRate, .reworkRate, .open311OnTimeRate, .followUpRate, .satisfactionRate,
    ]

    /// Every count and indicator, stage times and the score: the CSV and JSON form.
    public static let csvCounters: [EvaluationCounter] = [
        .reports, .reportsPublic, .reportsValid, .reportsInvalid, .reportsMerged, .verified, .filed, .dispatched,
        .dispatchReturned, .handled, .checked, .checkFailed, .closed, .closedOnTime, .assigned, .assignedClosed,
        .assignedCancelled, .assignedSuspended, .assignedReworked, .urged, .extended, .escalated,
        .followups, .followupsDone, .followupsReached, .followupsSatisfied, .closedCommunity, .closedStreet, .filedClosed, .assignedHandled,
    ]

    /// Header and rows of an evaluation; `full` adds every count, indicator and stage time. The total row
    /// comes last, keyed `TOTAL`.
    public static func table(_ report: EvaluationReport, full: Bool) -> (header: [String], rows: [[String]]) {
        let indicators = full ? Indicator.allCases.filter { !$0.isVolume } : compactIndicators
        var header = ["key", "name"]
        if report.grouping == .operator { header.append("role") }
        if full {
            header += csvCounters.map(\.rawValue) + ["overdue_now", "should_close", "should_resolve"]
        } else {
            header += ["reports", "filed", "closed", "overdue_now"]
        }
        header += indicators.map(\.rawValue)
        if full {
            for stage in EvaluationStage.allCases { header += ["\(stage.rawValue)_count", "\(stage.rawValue)_avg_min", "\(stage.rawValue)_p90_min"] }
        }
        header += ["score", "band"]
        func line(_ row: EvaluationRow, key: String) -> [String] {
            var cells = [key, row.name]
            if report.grouping == .operator { cells.append(row.role?.rawValue ?? "") }
            let overdue = row.inputs.overdueNow.map(String.init) ?? "n/a"
            if full {
                cells += csvCounters.map { number(row.counts[$0]) } + [overdue, number(row.inputs.shouldClose), number(row.inputs.shouldResolve)]
            } else {
                cells += [number(row.counts[.reports]), number(row.counts[.filed]), number(row.counts[.closed]), overdue]
            }
            cells += indicators.map { percent(row.value($0)) }
            if full {
                for time in row.stageTimes {
                    cells += [String(time.count), minutes(time.averageMinutes), time.p90Minutes.map(String.init) ?? "n/a"]
                }
            }
            cells += [score(row.score), row.score?.band ?? "n/a"]
            return cells
        }
        var rows = report.rows.map { line($0, key: $0.key) }
        rows.append(line(report.total, key: "TOTAL"))
        return (header, rows)
    }

    /// How a composite score was made, one line per indicator: value, score used, weight, points.
    public static func breakdown(_ score: CompositeScore) -> (header: [String], rows: [[String]]) {
        (["indicator", "value", "score", "weight", "points"], score.parts.map { part in
            [part.indicator.rawValue,
             part.indicator.isVolume ? part.value.map { String(format: part.basis == nil ? "%.0f" : "%.2f", $0) + (part.basis.map { " " + $0 } ?? "") } ?? "n/a"
                : percent(part.value),
             percent(part.score), String(format: "%g", part.weight), part.points.map { String(format: "%.2f", $0) } ?? "n/a (weight shared)"]
        })
    }

    // MARK: Markdown

    /// A Markdown table; cell text has pipes escaped and line breaks flattened.
    public static func markdownTable(_ header: [String], _ rows: [[String]]) -> [String] {
        func cell(_ text: String) -> String {
            text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
                .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| " + header.map(cell).joined(separator: " | ") + " |",
                     "|" + header.map { _ in " --- |" }.joined()]
        for row in rows { lines.append("| " + row.map(cell).joined(separator: " | ") + " |") }
        return lines
    }

    /// Hides anything that looks like a phone number in free text that goes into a bulletin: 7 or more
    /// digits, possibly in groups of 3 or more separated by single spaces or dashes (139-1234-5678,
    /// 010 6512 3456). Dates (2026-11-25) and short numbers stay.
    public static func maskPhoneNumbers(_ text: String) -> String {
        var result = ""
        var run = ""            // digits and the separators between them
        var groups: [Int] = []  // digit counts of the run's groups
        var pendingSeparator: Character?
        func flush() {
            let digits = groups.reduce(0, +)
            if digits >= 7 && groups.allSatisfy({ $0 >= 3 }) { result += "***" } else { result += run }
            if let separator = pendingSeparator { result.append(separator) }
            run = ""
            groups = []
            pendingSeparator = nil
        }
        for ch in text {
            if ch.isASCIIDigit {
                if let separator = pendingSeparator {
                    run.append(separator)
                    pendingSeparator = nil
                    groups.append(0)
                }
                if groups.isEmpty { groups.append(0) }
                run.append(ch)
                groups[groups.count - 1] += 1
            } else if (ch == " " || ch == "-") && !groups.isEmpty && pendingSeparator == nil {
                pendingSeparator = ch
            } else {
                flush()
                result.append(ch)
            }
        }
        flush()
        return result
    }
}
