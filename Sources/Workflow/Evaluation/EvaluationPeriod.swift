import Foundation

/// A span of whole local days in the site's time zone, `[from, to)`: `from` is the first day counted,
/// `to` the first day not counted. Every figure is counted by the local day of the event it measures
/// (see docs/evaluation.md, "Which period an event belongs to"), so a period is a set of days.
public struct EvaluationPeriod: Sendable, Hashable, Codable, CustomStringConvertible {
    public var from: LocalDate
    public var to: LocalDate

    /// `[from, to)`; refuses an empty or reversed range.
    public init(from: LocalDate, to: LocalDate) throws(WorkflowError) {
        guard from < to else {
            throw .refusal(.emptyPeriod(from: from, to: to))
        }
        self.from = from
        self.to = to
    }

    init(unchecked from: LocalDate, to: LocalDate) {
        self.from = from
        self.to = to
    }

    /// One day.
    public static func day(_ date: LocalDate) -> EvaluationPeriod {
        EvaluationPeriod(unchecked: date, to: date.adding(days: 1))
    }

    /// The ISO week (Monday to Sunday) holding `date`.
    public static func week(containing date: LocalDate) -> EvaluationPeriod {
        let monday = date.adding(days: 1 - date.weekday)
        return EvaluationPeriod(unchecked: monday, to: monday.adding(days: 7))
    }

    /// A calendar month.
    public static func month(year: Int, month: Int) throws(WorkflowError) -> EvaluationPeriod {
        guard let first = LocalDate(year: year, month: month, day: 1) else {
            throw .invalidInput("\(year)-\(month) is not a month")
        }
        return EvaluationPeriod(unchecked: first, to: first.adding(days: LocalDate.daysInMonth(year: year, month: month)))
    }

    /// The month holding `date`.
    public static func month(containing date: LocalDate) -> EvaluationPeriod {
        let first = LocalDate(year: date.year, month: date.month, day: 1)!
        return EvaluationPeriod(unchecked: first, to: first.adding(days: LocalDate.daysInMonth(year: date.year, month: date.month)))
    }

    /// `YYYY-MM`.
    public static func month(parsing text: String) throws(WorkflowError) -> EvaluationPeriod {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month), year >= 1 else {
            throw .invalidInput("'\(text)' is not a month; use YYYY-MM such as 2026-11")
        }
        return try Self.month(year: year, month: month)
    }

    /// A calendar quarter: 1 is January to March.
    public static func quarter(year: Int, quarter: Int) throws(WorkflowError) -> EvaluationPeriod {
        guard (1...4).contains(quarter), let first = LocalDate(year: year, month: 3 * quarter - 2, day: 1) else {
            throw .invalidInput("\(year)Q\(quarter) is not a quarter")
        }
        return EvaluationPeriod(unchecked: first, to: first.adding(months: 3))
    }

    /// The quarter holding `date`.
    public static func quarter(containing date: LocalDate) -> EvaluationPeriod {
        let first = LocalDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1)!
        return EvaluationPeriod(unchecked: first, to: first.adding(months: 3))
    }

    /// `YYYYQn` (`2027Q1`; `2027-Q1` and a small q are taken too).
    public static func quarter(parsing text: String) throws(WorkflowError) -> EvaluationPeriod {
        let compact = text.trimmingCharacters(in: .whitespaces).uppercased().replacingOccurrences(of: "-Q", with: "Q")
        let parts = compact.split(separator: "Q", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 1, let year = Int(parts[0]), year >= 1,
              let quarter = Int(parts[1]), (1...4).contains(quarter) else {
            throw .invalidInput("'\(text)' is not a quarter; use YYYYQn such as 2027Q1")
        }
        return try Self.quarter(year: year, quarter: quarter)
    }

    /// A calendar year.
    public static func year(_ year: Int) throws(WorkflowError) -> EvaluationPeriod {
        guard let first = LocalDate(year: year, month: 1, day: 1), let next = LocalDate(year: year + 1, month: 1, day: 1) else {
            throw .invalidInput("\(year) is not a year")
        }
        return EvaluationPeriod(unchecked: first, to: next)
    }

    /// `YYYY`.
    public static func year(parsing text: String) throws(WorkflowError) -> EvaluationPeriod {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count == 4, trimmed.allSatisfy(\.isASCII), let year = Int(trimmed), year >= 1 else {
            throw .invalidInput("'\(text)' is not a year; use YYYY such as 2027")
        }
        return try Self.year(year)
    }

    /// What calendar span the period is: a month, quarter or year from its first day to its last, else a span of days.
    public var calendarSpan: CalendarSpan {
        guard from.day == 1 else { return .days }
        if to == Self.month(containing: from).to { return .month }
        if (from.month - 1) % 3 == 0, to == from.adding(months: 3) { return .quarter }
        if from.month == 1, to == from.adding(months: 12) { return .year }
        return .days
    }

    public enum CalendarSpan: String, Sendable { case month, quarter, year, days }

    /// The period just before this one: the previous calendar month, quarter or year for those, else the days of the
    /// same length just before.
    public var previous: EvaluationPeriod {
        switch calendarSpan {
        case .month: return Self.month(containing: from.adding(days: -1))
        case .quarter: return Self.quarter(containing: from.adding(days: -1))
        case .year: return EvaluationPeriod(unchecked: from.adding(months: -12), to: from)
        case .days:
            let length = to.dayNumber - from.dayNumber
            return EvaluationPeriod(unchecked: from.adding(days: -length), to: from)
        }
    }

    /// `2026-11`, `2027Q1`, `2027`, or the days (`2026-11-03 – 2026-11-09`).
    public var name: String {
        func pad(_ n: Int, _ w: Int) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        switch calendarSpan {
        case .month: return pad(from.year, 4) + "-" + pad(from.month, 2)
        case .quarter: return pad(from.year, 4) + "Q" + String((from.month - 1) / 3 + 1)
        case .year: return pad(from.year, 4)
        case .days: return inclusiveDescription
        }
    }

    /// Number of days.
    public var days: Int { to.dayNumber - from.dayNumber }

    /// Whether `day` (a day number) falls inside.
    public func contains(dayNumber day: Int) -> Bool { day >= from.dayNumber && day < to.dayNumber }

    /// `2026-11-01..2026-12-01` (the end is the first day not counted).
    public var description: String { "\(from)..\(to)" }

    /// The last day counted, for people: `2026-11-01 – 2026-11-30`.
    public var inclusiveDescription: String {
        days == 1 ? from.description : "\(from) – \(to.adding(days: -1))"
    }
}

/// What the rows of an evaluation are.
public enum EvaluationGrouping: String, Sendable, Codable, CaseIterable {
    /// One row: the whole city.
    case city
    case district, street, community, cell
    case patrolArea = "patrol-area"
    case category, department
    case `operator`
    /// Monitoring and command centers: the sums of their operators' rows (what each center's people did), so that a
    /// monitoring center assesses its own inspectors. Counts with no operator (the assignment cohort) are not in them.
    case center

    /// Region groupings are counted by the case's cell; a patrol area by the cells it holds today.
    public var isSpatial: Bool {
        switch self {
        case .city, .district, .street, .community, .cell, .patrolArea: true
        case .category, .department, .operator, .center: false
        }
    }

    /// The length of the cell-code prefix that names a group (district 6, street 9, community 12, cell 15).
    var prefixLength: Int? {
        switch self {
        case .district: 6
        case .street: 9
        case .community: 12
        case .cell: 15
        default: nil
        }
    }
}
