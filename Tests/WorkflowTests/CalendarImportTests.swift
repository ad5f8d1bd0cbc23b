// Calendar exceptions from CSV text, and LocalDate.

import Foundation
import Testing

@testable import Workflow

@Suite("Calendar exceptions from CSV")
struct CalendarImportTests {
    func date(_ s: String) -> LocalDate { LocalDate(string: s)! }

    @Test func chinaSampleHasThe2026HolidaysAndMakeUpDays() throws {
        let e = try CalendarExceptions.parse(csv: CalendarExceptions.chinaSample2026)
        #expect(e.count == 39)
        #expect(e.values.filter { $0 == .workday }.count == 6)
        for workday in ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"] {
            #expect(e[date(workday)] == .workday, "\(workday)")
            #expect(date(workday).weekday >= 6, "make-up days fall on weekends: \(workday)")
        }
        for holiday in ["2026-01-01", "2026-02-15", "2026-02-23", "2026-04-06", "2026-05-05", "2026-06-19", "2026-09-25", "2026-10-07"] {
            #expect(e[date(holiday)] == .holiday, "\(holiday)")
        }
        #expect(e[date("2026-10-08")] == nil)
        #expect(e == CalendarExceptions.china2026)
    }

    @Test func headerIsOptionalAndBlankLinesAndCommentsAreSkipped() throws {
        let expected: [LocalDate: DayKind] = [date("2026-01-01"): .holiday, date("2026-01-04"): .workday]
        #expect(try CalendarExceptions.parse(csv: "2026-01-01,holiday\n2026-01-04,workday\n") == expected)
        #expect(try CalendarExceptions.parse(csv: "# exceptions\n\nDate,Kind\n2026-01-01, Holiday \n\n# make-up\n2026-01-04,workday,Sunday") == expected)
        #expect(try CalendarExceptions.parse(csv: "date,kind\r\n2026-01-01,holiday\r\n2026-01-04,\"workday\"\r\n") == expected)
        #expect(try CalendarExceptions.parse(csv: "") == [:])
        #expect(try CalendarExceptions.parse(csv: "date,kind\n") == [:])
    }

    @Test func sameDateTwiceWithTheSameKindIsAccepted() throws {
        #expect(try CalendarExceptions.parse(csv: "2026-01-01,holiday\n2026-01-01,holiday") == [date("2026-01-01"): .holiday])
    }

    @Test(arguments: [
        ("date,kind\n2026-01-01,holiday\n2026-02-30,holiday\n", CalendarImportError(line: 3, problem: .badDate("2026-02-30"))),
        ("date,kind\n\n# c\n2026-1-5,holiday\n", CalendarImportError(line: 4, problem: .badDate("2026-1-5"))),
        ("2026-01-01,holiday\n2026-01-02,vacation\n", CalendarImportError(line: 2, problem: .unknownKind("vacation"))),
        ("date,kind\n2026-01-01\n", CalendarImportError(line: 2, problem: .missingColumn("kind"))),
        ("date,kind\n2026-01-01,\n", CalendarImportError(line: 2, problem: .missingColumn("kind"))),
        ("date,kind\n,holiday\n", CalendarImportError(line: 2, problem: .missingColumn("date"))),
        ("day,type\n2026-01-01,holiday\n", CalendarImportError(line: 1, problem: .badDate("day"))),
        ("date,type\n2026-01-01,holiday\n", CalendarImportError(line: 1, problem: .badHeader("date,type"))),
        (
            "date,kind\n2026-10-10,workday\n2026-10-01,holiday\n2026-10-10,holiday\n",
            CalendarImportError(
                line: 4,
                problem: .conflictingDuplicate(date: LocalDate(string: "2026-10-10")!, firstLine: 2, firstKind: .workday, kind: .holiday))
        ),
        // A quoted note spanning two lines still counts physical lines.
        ("date,kind,note\n2026-01-01,holiday,\"two\nlines\"\n2026-13-01,holiday\n", CalendarImportError(line: 4, problem: .badDate("2026-13-01"))),
        ("date,kind\r\n2026-01-01,holiday\r\n2026-01-02,holliday\r\n", CalendarImportError(line: 3, problem: .unknownKind("holliday"))),
    ])
    func errorsNameTheLineAndTheProblem(csv: String, expected: CalendarImportError) {
        #expect(throws: expected) { try CalendarExceptions.parse(csv: csv) }
    }

    @Test func errorDescriptionsAreReadable() {
        #expect(CalendarImportError(line: 3, problem: .badDate("2026-02-30")).description
            == "line 3: bad date \"2026-02-30\" (expected a real date written YYYY-MM-DD)")
        #expect(CalendarImportError(line: 2, problem: .unknownKind("vacation")).description
            == "line 2: unknown kind \"vacation\" (expected holiday or workday)")
        #expect(CalendarImportError(line: 2, problem: .missingColumn("kind")).description.hasPrefix("line 2: missing kind column"))
        #expect(
            CalendarImportError(
                line: 4, problem: .conflictingDuplicate(date: LocalDate(string: "2026-10-10")!, firstLine: 2, firstKind: .workday, kind: .holiday)
            ).description == "line 4: 2026-10-10 is a holiday here but a workday on line 2")
    }

    @Test func exceptionsWriteBackToCSV() throws {
        let e = CalendarExceptions.china2026
        let text = CalendarExceptions.csv(e)
        #expect(text.hasPrefix("date,kind\n2026-01-01,holiday\n"))
        #expect(try CalendarExceptions.parse(csv: text) == e)
    }
}

@Suite("LocalDate")
struct CalendarLocalDateTests {
    @Test(arguments: ["2026-02-30", "2025-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00",
                      "2026-2-3", "26-02-03", "2026/02/03", " 2026-02-03", "2026-02-03 ", "+026-02-03", "0000-01-01", "", "abcd-ef-gh"])
    func invalidTextIsRejected(text: String) {
        #expect(LocalDate(string: text) == nil)
    }

    @Test func validDatesParseAndPrint() {
        for text in ["2026-02-28", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2026-12-31"] {
            #expect(LocalDate(string: text)?.description == text)
        }
        let d = LocalDate(string: "2026-10-01")!
        #expect(d.year == 2026 && d.month == 10 && d.day == 1)
        #expect(LocalDate(year: 2026, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 10000, month: 1, day: 1) == nil)
    }

    @Test func dayNumbersAndWeekdays() {
        #expect(LocalDate(string: "1970-01-01")!.dayNumber == 0)
        #expect(LocalDate(string: "1969-12-31")!.dayNumber == -1)
        #expect(LocalDate(string: "2026-01-01")!.dayNumber == 20454)
        #expect(LocalDate(dayNumber: 20454) == LocalDate(string: "2026-01-01"))
        #expect(LocalDate(string: "1970-01-01")!.weekday == 4)  // Thursday
        #expect(LocalDate(string: "2026-01-04")!.weekday == 7)  // Sunday
        #expect(LocalDate(string: "2026-03-02")!.weekday == 1)  // Monday
        #expect(LocalDate(string: "1969-12-29")!.weekday == 1)
    }

    @Test func addingDaysCrossesMonthsAndLeapDays() {
        #expect(LocalDate(string: "2024-02-28")!.adding(days: 1) == LocalDate(string: "2024-02-29"))
        #expect(LocalDate(string: "2026-02-28")!.adding(days: 1) == LocalDate(string: "2026-03-01"))
        #expect(LocalDate(string: "2026-01-01")!.adding(days: -1) == LocalDate(string: "2025-12-31"))
        #expect(LocalDate(string: "2026-01-01")!.adding(days: 365) == LocalDate(string: "2027-01-01"))
    }

    @Test func orderAndCoding() throws {
        let a = LocalDate(string: "2026-01-31")!, b = LocalDate(string: "2026-02-01")!
        #expect(a < b)
        #expect([b, a].sorted() == [a, b])
        let data = try JSONEncoder().encode([a])
        #expect(String(decoding: data, as: UTF8.self) == "[\"2026-01-31\"]")
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [a])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([LocalDate].self, from: Data("[\"2026-02-30\"]".utf8)) }
    }
}
