import Curses
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The supervisor's evaluation board and the shift lead's overdue board (issue 16): the evaluation board takes the
/// whole body, scrolls both ways with the key and name frozen, names its columns in the console's language, shows
/// its period and keeps the sort column (with the arrow) in view; `:export` writes it as shown and asks before
/// replacing a file. The overdue board keeps who holds a case at every width, marks the column it sorts by, and
/// words the time left as the handover does.
@Suite struct EvaluationBoardTests {
    static func board(width: Int, height: Int, lang: Language) throws -> ConsoleEngine {
        let engine = try ConsoleFrameTests.engine(width: width, height: height, lang: lang, as: "city-supervisor")
        engine.press("e")
        return engine
    }

    @Test(arguments: [Language.zh, .en])
    func theBoardFillsTheBodyWithItsPeriodAndLocalizedHeaders(_ lang: Language) throws {
        for (w, h) in [(80, 24), (120, 40)] {
            let engine = try Self.board(width: w, height: h, lang: lang)
            let key = "eval-\(lang.rawValue)-\(w)x\(h)"
            FrameAssert.equal(engine.render(), BoardFrames.expected[key], name: key)
        }
    }

    @Test func rowsAndColumnsScrollWithTheKeyAndNameFrozenAndTheSortColumnKept() throws {
        let engine = try Self.board(width: 80, height: 24, lang: .en)
        engine.press("G")
        FrameAssert.equal(engine.render(), BoardFrames.expected["eval-en-80x24-bottom"], name: "eval-en-80x24-bottom")
        engine.press("g l l l")
        FrameAssert.equal(engine.render(), BoardFrames.expected["eval-en-80x24-right"], name: "eval-en-80x24-right")
        engine.press("> > > > >")
        FrameAssert.equal(engine.render(), BoardFrames.expected["eval-en-80x24-sorted"], name: "eval-en-80x24-sorted")
        engine.press("pgdn")
        FrameAssert.equal(engine.render(), BoardFrames.expected["eval-en-80x24-pgdn"], name: "eval-en-80x24-pgdn")
    }

    @Test func exportWritesTheBoardAsShownAndAsksBeforeReplacingAFile() throws {
        let engine = try Self.board(width: 80, height: 24, lang: .en)
        engine.press(">")
        let folder = SpecialFiles.folder()
        let path = folder + "/board.csv"
        engine.execute(.export(path))
        #expect(engine.state.status?.kind == .ok, "\(String(describing: engine.state.status))")
        let board = try #require(EvaluationBoardLayout(engine.state))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == board.title && lines[1] == board.period)
        #expect(lines[0] == "Evaluation by district" && lines[1].hasPrefix("7 days 2026-11-"))
        #expect(lines[2] == "KEY,NAME,BAND,SCORE,REPORTS,FILED,CLOSED,OVERDUE,VALID%,MISSED%,FILE OT%,DISP OT%,HANDLE%,CLOSURE%,CLOSE OT%,REWORK%,311 OT%")
        #expect(Array(lines[3..<(3 + board.rows.count)]) == board.rows.map { CSVText.line($0, ending: "") })
        #expect(lines.last == "" && lines.count == 4 + board.rows.count)
        // A second export to the same name asks first; n keeps the file, y replaces it.
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        engine.execute(.export(path))
        #expect(engine.state.overlay == .confirm("\(path) exists. Replace it? (y/n)", .export(ExportRequest(path: path, preamble: [board.title, board.period],
            header: lines[2].split(separator: ",").map(String.init), rows: board.rows))))
        #expect(engine.screen.contains("exists. Replace it? (y/n)"))
        engine.press("n")
        #expect(engine.state.overlay == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old\n")
        engine.execute(.export(path))
        engine.press("y")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("Evaluation by district\n"))
        #expect(engine.state.status?.kind == .ok)
    }
}

@Suite struct OverdueBoardTests {
    static func board(width: Int, height: Int, lang: Language = .en) throws -> ConsoleEngine {
        let engine = try ConsoleFixture.engine(as: "city-lead-1", width: width, height: height, lang: lang)
        engine.press("b")
        return engine
    }

    /// The board's header line, as drawn.
    static func header(_ engine: ConsoleEngine) -> String {
        let line = engine.render().lines().first { $0.contains("ID ") } ?? ""
        return FrameAssert.trimmed(line)
    }

    @Test func narrowPanesDropTheLeastNeededColumnsAndKeepTheHolder() throws {
        let expected = [
            80: "│   ID      LEFT     HOLDER         DEPT     │",
            120: "│   ID      LEFT     HOLDER         DEPT     COMMUNITY/CELL     │",
            200: "│   ID      LEFT     HOLDER         DEPT     COMMUNITY/CELL CATEGORY               RATIO STATE      │",
        ]
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let engine = try Self.board(width: w, height: h)
            let header = Self.header(engine)
            #expect(header.hasPrefix(try #require(expected[w]).replacingOccurrences(of: "│", with: "")) || header.contains(expected[w]!), "\(w): \(header)")
        }
    }

    @Test func theSortArrowMarksTheColumnTheRowsAreSortedBy() throws {
        let engine = try Self.board(width: 200, height: 60)
        for step in 0..<OverdueBoardSort.allCases.count {
            for reverse in [false, true] {
                let q = engine.state.queue
                let column = q.boardSort.column
                let arrow = q.boardAscending ? "↑" : "↓"
                let header = Self.header(engine)
                #expect(header.contains(column.title(.en) + arrow), "step \(step): \(q.boardSort) \(header)")
                #expect(header.filter { $0 == "↑" || $0 == "↓" }.count == 1)
                // The rows are in that column's order.
                let ids = q.entries.map(\.serviceCase.id)
                let sorted = OverdueBoardView.sorted(q.entries, engine.state).map(\.serviceCase.id)
                #expect(ids == sorted && ids.count > 3, "\(q.boardSort)")
                if q.boardSort == .left {
                    let left = q.entries.compactMap { q.boardReadings[$0.serviceCase.id]?.remainingMinutes }
                    #expect(left == (q.boardAscending ? left.sorted() : left.sorted(by: >)))
                }
                if q.boardSort == .ratio {
                    let ratios = q.entries.compactMap { q.boardReadings[$0.serviceCase.id]?.ratio }
                    #expect(ratios == (q.boardAscending ? ratios.sorted() : ratios.sorted(by: >)))
                }
                engine.press("r")
            }
            engine.press(">")
        }
        #expect(engine.state.queue.boardSort == .ratio, "round the sorts")
    }

    @Test func theBoardAndTheHandoverWordTheTimeLeftAlike() throws {
        let engine = try Self.board(width: 120, height: 40)
        let screen = engine.screen
        engine.press(":")
        engine.type("handover")
        engine.press("enter")
        guard case .document(_, let lines, _) = engine.state.overlay else { Issue.record("no handover"); return }
        var compared = 0
        for line in lines where line.hasPrefix("  overdue ") {
            let words = line.split(separator: " ")
            let id = String(words[1]), left = String(words[4])
            guard let row = screen.split(separator: "\n").first(where: { $0.contains(" \(id) ") }) else { continue }
            #expect(row.contains(" \(left) "), "case \(id): handover \(left), board \(row)")
            let reading = try #require(engine.state.queue.boardReadings[Int64(id)!])
            #expect(left == DurationText.stage(reading.remainingMinutes, calendarTime: reading.calendarTime))
            compared += 1
        }
        #expect(compared >= 3)
    }

    @Test func workingTimeIsWordedInHoursAndCalendarTimeInDays() {
        #expect(DurationText.stage(-(52 * 60), calendarTime: false) == "-52h00")
        #expect(DurationText.stage(-(52 * 60), calendarTime: true) == "-2d4h")
        #expect(DurationText.stage(-35, calendarTime: false) == "-35m")
    }
}

/// The expected frames of `EvaluationBoardTests` (trailing blanks trimmed).
enum BoardFrames {
    static let expected: [String: String] = [:]
}
