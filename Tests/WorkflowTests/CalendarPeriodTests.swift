import Testing
@testable import Workflow

/// Calendar periods beyond the month: quarters (`2027Q1`) and years, what comes before each, and month arithmetic.
@Suite struct CalendarPeriodTests {
    func date(_ text: String) -> LocalDate { LocalDate(string: text)! }

    @Test func quartersParseInTheirWrittenFormsAndRefuseTheRest() throws {
        for text in ["2027Q1", "2027q1", "2027-Q1", " 2027Q1 "] {
            let q = try EvaluationPeriod.quarter(parsing: text)
            #expect(q.from == date("2027-01-01") && q.to == date("2027-04-01"), "\(text)")
        }
        let q4 = try EvaluationPeriod.quarter(parsing: "2026Q4")
        #expect(q4.from == date("2026-10-01") && q4.to == date("2027-01-01") && q4.days == 92)
        for bad in ["2027Q0", "2027Q5", "2027", "27Q1", "2027Q", "Q1", "2027Q12", "２０２７Q1", ""] {
            #expect(throws: WorkflowError.invalidInput("'\(bad)' is not a quarter; use YYYYQn such as 2027Q1")) { try EvaluationPeriod.quarter(parsing: bad) }
        }
        #expect(EvaluationPeriod.quarter(containing: date("2026-11-25")) == q4)
        #expect(EvaluationPeriod.quarter(containing: date("2027-03-31")).from == date("2027-01-01"))
    }

    @Test func yearsParseAndRefuseTheRest() throws {
        let y = try EvaluationPeriod.year(parsing: "2028")
        #expect(y.from == date("2028-01-01") && y.to == date("2029-01-01") && y.days == 366, "a leap year")
        for bad in ["28", "20280", "2028-01", "year", "-202", ""] {
            #expect(throws: WorkflowError.self, "\(bad)") { try EvaluationPeriod.year(parsing: bad) }
        }
        #expect(throws: WorkflowError.self) { try EvaluationPeriod.year(9999) }
    }

    @Test func eachCalendarSpanComparesWithTheSpanBeforeIt() throws {
        let q1 = try EvaluationPeriod.quarter(parsing: "2027Q1")
        #expect(q1.calendarSpan == .quarter && q1.name == "2027Q1")
        #expect(q1.previous == (try EvaluationPeriod.quarter(parsing: "2026Q4")), "Q4 has 92 days, Q1 90: not the 90 days before")
        #expect((try EvaluationPeriod.quarter(parsing: "2027Q3")).previous == (try EvaluationPeriod.quarter(parsing: "2027Q2")))
        let year = try EvaluationPeriod.year(2027)
        let before = try EvaluationPeriod.year(2026)
        #expect(year.calendarSpan == .year && year.name == "2027" && year.previous == before)
        let march = try EvaluationPeriod.month(parsing: "2027-03"), february = try EvaluationPeriod.month(parsing: "2027-02")
        #expect(march.calendarSpan == .month && march.name == "2027-03" && march.previous == february)
        let days = try EvaluationPeriod(from: date("2027-01-01"), to: date("2027-01-11"))
        #expect(days.calendarSpan == .days && days.previous.from == date("2026-12-22") && days.name == "2027-01-01 – 2027-01-10")
        // Two months from the first is neither a month nor a quarter.
        #expect((try EvaluationPeriod(from: date("2027-01-01"), to: date("2027-03-01"))).calendarSpan == .days)
    }

    @Test func addingMonthsHoldsTheDayToTheMonthAndTheDateToItsRange() {
        #expect(date("2027-01-31").adding(months: 1) == date("2027-02-28"))
        #expect(date("2028-01-31").adding(months: 1) == date("2028-02-29"))
        #expect(date("2027-01-15").adding(months: -1) == date("2026-12-15"))
        #expect(date("2027-10-01").adding(months: 3) == date("2028-01-01"))
        #expect(date("2027-05-20").adding(months: -24) == date("2025-05-20"))
        #expect(date("0001-02-01").adding(months: -5) == date("0001-01-01"))
        #expect(date("9999-11-01").adding(months: 5) == date("9999-12-31"))
        #expect(date("2027-05-20").adding(months: Int.max) == date("9999-12-31"))
        #expect(date("2027-05-20").adding(months: Int.min) == date("0001-01-01"))
    }

    @Test func bandChangesCountUpDownSameAndNew() {
        var section = RankingSection(title: "Streets", titleZh: "街道", subject: .region, rows: [], bandCounts: [], omitted: 0)
        section.allBandChanges = [1, 2, -1, 0, 0, nil]
        let moves = section.bandChanges
        #expect(moves.up == 2 && moves.down == 1 && moves.same == 2 && moves.new == 1)
    }
}
