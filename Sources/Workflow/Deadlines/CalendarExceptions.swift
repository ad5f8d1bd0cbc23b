// Holidays and make-up workdays, imported from CSV text.

import CSV

/// Calendar exceptions as CSV text, one date per row:
///
///     date,kind,note
///     # New Year
///     2026-01-01,holiday,New Year's Day
///     2026-01-04,workday
///
/// - Columns: `date` (strict `YYYY-MM-DD`), `kind` (`holiday` or `workday`, any letter case).
///   Further columns (a note, a name) are ignored.
/// - The header row is optional. When present it must be the first row that is not blank or
///   a comment, and its first two columns must be `date,kind`.
/// - Blank lines, and lines whose first field starts with `#`, are skipped. Fields are trimmed of
///   spaces and tabs; CSV quoting works as usual (a quoted field may even hold a line break,
///   line numbers in errors still count physical lines).
/// - The same date twice with the same kind is accepted; with different kinds it is an error.
public enum CalendarExceptions {
    /// Parses the CSV text described on the type. Throws a ``CalendarImportError`` naming the
    /// (1-based) line of the first problem.
    public static func parse(csv: String) throws -> [LocalDate: DayKind] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: csv, hasHeaderRow: false, trimFields: true)
        } catch {
            throw CalendarImportError(line: 1, problem: .malformedCSV("\(error)"))
        }
        var result: [LocalDate: DayKind] = [:]
        var firstSeen: [LocalDate: Int] = [:]
        var line = 1
        var sawDataOrHeader = false
        while let row = reader.next() {
            let rowLine = line
            // A quoted field may span lines: advance by the line breaks inside the fields.
            line += 1 + row.reduce(0) { $0 + $1.reduce(0) { $0 + ($1.isNewline ? 1 : 0) } }

            if row.allSatisfy(\.isEmpty) { continue }
            if row[0].hasPrefix("#") { continue }
            if !sawDataOrHeader {
                sawDataOrHeader = true
                if row[0].lowercased() == "date" {
                    guard row.count >= 2, row[1].lowercased() == "kind" else {
                        throw CalendarImportError(line: rowLine, problem: .badHeader(row.joined(separator: ",")))
                    }
                    continue
                }
            }
            guard !row[0].isEmpty else { throw CalendarImportError(line: rowLine, problem: .missingColumn("date")) }
            guard row.count >= 2, !row[1].isEmpty else {
                throw CalendarImportError(line: rowLine, problem: .missingColumn("kind"))
            }
            guard let date = LocalDate(string: row[0]) else {
                throw CalendarImportError(line: rowLine, problem: .badDate(row[0]))
            }
            guard let kind = DayKind(rawValue: row[1].lowercased()) else {
                throw CalendarImportError(line: rowLine, problem: .unknownKind(row[1]))
            }
            if let previous = result[date] {
                guard previous == kind else {
                    throw CalendarImportError(
                        line: rowLine,
                        problem: .conflictingDuplicate(
                            date: date, firstLine: firstSeen[date] ?? 0, firstKind: previous, kind: kind))
                }
                continue
            }
            result[date] = kind
            firstSeen[date] = rowLine
        }
        if let error = reader.error {
            throw CalendarImportError(line: line, problem: .malformedCSV("\(error)"))
        }
        return result
    }

    /// CSV text for `exceptions`: a `date,kind` header and one row per date in date order.
    /// `parse(csv: csv(exceptions)) == exceptions`.
    public static func csv(_ exceptions: [LocalDate: DayKind]) -> String {
        CSVText.table([["date", "kind"]] + exceptions.sorted(by: { $0.key < $1.key }).map { ["\($0.key)", $0.value.rawValue] }, ending: "\n")
    }

    /// Mainland China's 2026 public holidays and make-up workdays (调休), as in the State Council
    /// notice on the 2026 holiday arrangements (published November 2025). Check against the
    /// published notice before relying on it: these dates were typed in by hand. Holiday days
    /// that fall on a weekend are listed too (harmless: they are days off anyway).
    public static let chinaSample2026 = """
        date,kind,note
        # 元旦 New Year's Day: 1–3 Jan off, Sunday 4 Jan worked
        2026-01-01,holiday,New Year's Day
        2026-01-02,holiday,New Year's Day
        2026-01-03,holiday,New Year's Day
        2026-01-04,workday,make-up day (Sunday)
        # 春节 Spring Festival: 15–23 Feb off, Saturdays 14 Feb and 28 Feb worked
        2026-02-14,workday,make-up day (Saturday)
        2026-02-15,holiday,Spring Festival
        2026-02-16,holiday,Spring Festival
        2026-02-17,holiday,Spring Festival
        2026-02-18,holiday,Spring Festival
        2026-02-19,holiday,Spring Festival
        2026-02-20,holiday,Spring Festival
        2026-02-21,holiday,Spring Festival
        2026-02-22,holiday,Spring Festival
        2026-02-23,holiday,Spring Festival
        2026-02-28,workday,make-up day (Saturday)
        # 清明节 Qingming: 4–6 Apr off
        2026-04-04,holiday,Qingming
        2026-04-05,holiday,Qingming
        2026-04-06,holiday,Qingming
        # 劳动节 Labour Day: 1–5 May off, Saturday 9 May worked
        2026-05-01,holiday,Labour Day
        2026-05-02,holiday,Labour Day
        2026-05-03,holiday,Labour Day
        2026-05-04,holiday,Labour Day
        2026-05-05,holiday,Labour Day
        2026-05-09,workday,make-up day (Saturday)
        # 端午节 Dragon Boat Festival: 19–21 Jun off
        2026-06-19,holiday,Dragon Boat Festival
        2026-06-20,holiday,Dragon Boat Festival
        2026-06-21,holiday,Dragon Boat Festival
        # 中秋节 Mid-Autumn Festival: 25–27 Sep off
        2026-09-25,holiday,Mid-Autumn Festival
        2026-09-26,holiday,Mid-Autumn Festival
        2026-09-27,holiday,Mid-Autumn Festival
        # 国庆节 National Day: 1–7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked
        2026-09-20,workday,make-up day (Sunday)
        2026-10-01,holiday,National Day
        2026-10-02,holiday,National Day
        2026-10-03,holiday,National Day
        2026-10-04,holiday,National Day
        2026-10-05,holiday,National Day
        2026-10-06,holiday,National Day
        2026-10-07,holiday,National Day
        2026-10-10,workday,make-up day (Saturday)

        """

    /// The public holidays of mainland China that fall on fixed dates of the Gregorian calendar, by law (全国年节及纪念日
    /// 放假办法, as revised in 2024): New Year's Day (1 Jan), Labour Day (1–2 May), National Day (1–3 Oct). The lunar
    /// holidays and the make-up workdays (调休) come each year with the State Council's notice: a site imports that. The
    /// demo loads these for a year whose notice is not built in, so its calendar has every year it runs in.
    public static func chinaStatutoryFixedDates(year: Int) -> [LocalDate: DayKind] {
        var days: [LocalDate: DayKind] = [:]
        for (month, day) in [(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)] {
            if let date = LocalDate(year: year, month: month, day: day) { days[date] = .holiday }
        }
        return days
    }

    /// ``chinaSample2026`` parsed.
    public static var china2026: [LocalDate: DayKind] {
        // The sample is a constant checked by the tests; a failure here is a programming error.
        try! parse(csv: chinaSample2026)
    }
}

/// Why calendar exceptions could not be imported: the 1-based line and the problem.
public struct CalendarImportError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Problem: Equatable, Sendable {
        case badDate(String)
        case unknownKind(String)
        /// A row without this column (`date` or `kind`).
        case missingColumn(String)
        case conflictingDuplicate(date: LocalDate, firstLine: Int, firstKind: DayKind, kind: DayKind)
        case badHeader(String)
        case malformedCSV(String)
    }

    public let line: Int
    public let problem: Problem

    public init(line: Int, problem: Problem) {
        self.line = line
        self.problem = problem
    }

    public var description: String {
        let what: String
        switch problem {
        case .badDate(let s):
            what = "bad date \"\(s)\" (expected a real date written YYYY-MM-DD)"
        case .unknownKind(let s):
            what = "unknown kind \"\(s)\" (expected holiday or workday)"
        case .missingColumn(let c):
            what = "missing \(c) column (expected date,kind)"
        case .conflictingDuplicate(let date, let firstLine, let firstKind, let kind):
            what = "\(date) is a \(kind.rawValue) here but a \(firstKind.rawValue) on line \(firstLine)"
        case .badHeader(let s):
            what = "header \"\(s)\" should be date,kind"
        case .malformedCSV(let s):
            what = "unreadable CSV: \(s)"
        }
        return "line \(line): \(what)"
    }
}
