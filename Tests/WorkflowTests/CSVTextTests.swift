import Foundation
import Testing
@testable import Workflow

/// The one CSV writer: the quoting every CSV output of CityGrid had before they shared it.
@Suite struct CSVTextTests {
    @Test func plainFieldsAreWrittenAsTheyAre() {
        #expect(CSVText.field("abc") == "abc")
        #expect(CSVText.field("") == "")
        #expect(CSVText.field("垃圾 满溢") == "垃圾 满溢")
        #expect(CSVText.field("-1.5") == "-1.5")
    }

    @Test func fieldsThatWouldBreakTheLineAreQuoted() {
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("two\nlines") == "\"two\nlines\"")
        #expect(CSVText.field("cr\rhere") == "\"cr\rhere\"")
        #expect(CSVText.field("crlf\r\nhere") == "\"crlf\r\nhere\"")
        #expect(CSVText.field(" leading") == "\" leading\"")
        #expect(CSVText.field("trailing ") == "\"trailing \"")
    }

    @Test func linesAndTablesEndEveryLine() {
        #expect(CSVText.line(["id", "a,b", ""], ending: "\r\n") == "id,\"a,b\",\r\n")
        #expect(CSVText.table([["h1", "h2"], ["1", "x"]], ending: "\n") == "h1,h2\n1,x\n")
        #expect(CSVText.table([], ending: "\n") == "")
    }

    @Test func exportsStillQuoteAsBefore() throws {
        let sink = MemorySink()
        let writer = TableWriter(columns: ["id", "text", "n"], format: .csv, sink: sink)
        try writer.begin()
        try writer.row([.int(1), .text("a, \"b\""), .number(2.5)])
        try writer.row([.int(nil), .text(" x"), .bool(true)])
        try writer.end()
        #expect(sink.text == "id,text,n\r\n1,\"a, \"\"b\"\"\",2.5\r\n,\" x\",true\r\n")
    }

    @Test func calendarCSVIsUnchanged() {
        let csv = CalendarExceptions.csv([LocalDate(year: 2026, month: 1, day: 2)!: .holiday, LocalDate(year: 2026, month: 1, day: 4)!: .workday])
        #expect(csv == "date,kind\n2026-01-02,holiday\n2026-01-04,workday\n")
    }
}
