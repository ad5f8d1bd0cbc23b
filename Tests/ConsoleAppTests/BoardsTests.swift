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

    /// The source's headline rates (发现率、处置率、解决率) come first among the rates, named in the console's language, and
    /// show on an 80-column board without scrolling; the board also groups by center.
    @Test(arguments: [Language.zh, .en])
    func theHeadlineRatesAreTheFirstRatesOnTheBoard(_ lang: Language) throws {
        let engine = try Self.board(width: 80, height: 24, lang: lang)
        let board = try #require(EvaluationBoardLayout(engine.state))
        let names = lang == .zh ? ["发现率%", "处置率%", "解决率%"] : ["FOUND%", "HANDLING%", "RESOLVED%"]
        let headers = board.columns.map(\.header)
        let at = try #require(headers.firstIndex(of: names[0]))
        #expect(Array(headers[at..<(at + 3)]) == names)
        let firstRate = headers.firstIndex { $0.hasSuffix("%") }
        #expect(firstRate == at, "\(headers)")
        let text = engine.render().lines().joined(separator: "\n")
        for name in names { #expect(text.contains(name), "\(name) on screen") }
        // The total row's cells are the library's figures.
        let report = try #require(engine.state.evaluation.report)
        let total = try #require(board.rows.last)
        for (offset, indicator) in Indicator.headline.enumerated() {
            #expect(total[at + offset] == EvaluationExport.percent(report.total.value(indicator)))
        }
        engine.execute(.board(.center))
        let centers = try #require(EvaluationBoardLayout(engine.state))
        #expect(centers.title == (lang == .zh ? "考评排名 按中心" : "Evaluation by center"))
        #expect(engine.state.evaluation.report?.grouping == .center)
        #expect(centers.rows.count == engine.state.evaluation.report.map { $0.rows.count + 1 })
    }

    @Test func rowsAndColumnsScrollWithTheKeyAndNameFrozenAndTheSortColumnKept() throws {
        let engine = try Self.board(width: 80, height: 24, lang: .en)
        engine.execute(.board(.community))
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
        #expect(lines[2] == "KEY,NAME,BAND,SCORE,FOUND%,HANDLING%,RESOLVED%,REPORTS,FILED,CLOSED,OVERDUE,VALID%,MISSED%,FILE OT%,DISP OT%,HANDLE%,CLOSURE%,CLOSE OT%,REWORK%,311 OT%,FOLLOWUP%,SATISF%")
        #expect(Array(lines[3..<(3 + board.rows.count)]) == board.rows.map { CSVText.line($0, ending: "") })
        #expect(lines.last == "" && lines.count == 4 + board.rows.count)
        // A second export to the same name asks first; n keeps the file, y replaces it.
        try "old\n".write(toFile: path, atomically: false, encoding: .utf8)
        engine.execute(.export(path))
        #expect(engine.state.overlay == .confirm("\(path) exists. Replace it? (y/n)", .export(ExportRequest(path: path, preamble: [board.title, board.period],
            header: lines[2].split(separator: ",").map(String.init), rows: board.rows), back: nil)))
        engine.press("n")
        #expect(engine.state.overlay == nil && engine.state.status?.text == "not exported; \(path) was left as it was")
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
        let line = engine.render().lines().first { $0.contains("HOLDER") } ?? ""
        return FrameAssert.trimmed(line)
    }

    @Test func narrowPanesDropTheLeastNeededColumnsAndKeepTheHolder() throws {
        // Sorted by the ratio (the default), which therefore stays; the category and the stage go first.
        let expected = [
            80: "│   ID      LEFT     HOLDER         RATIO↓     │",
            120: "│   ID      LEFT     HOLDER         DEPT     COMMUNITY/CELL     RATIO↓ │",
            200: "│   ID      LEFT     HOLDER         DEPT     COMMUNITY/CELL CATEGORY                   RATIO↓ STATE                    │",
        ]
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let engine = try Self.board(width: w, height: h)
            let header = Self.header(engine)
            #expect(header.hasPrefix(try #require(expected[w])), "\(w): \(header)")
        }
    }

    @Test func theSortArrowMarksTheColumnTheRowsAreSortedBy() throws {
        let engine = try Self.board(width: 200, height: 60)
        for step in 0..<OverdueBoardSort.allCases.count {
            for _ in [false, true] {
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
    static let expected: [String: String] = [
        "eval-en-120x40": #"""
         CityGrid city grid  吕立新 city-supervisor · supervisor · Beijing (demo) monitoring center  [DEMO]      11-25 10:30:00
        ┌  Evaluation by district · 7 days 2026-11-19 – 2026-11-25 cols 1–10/19  ──────────────────────────────────────────────┐
        │KEY     NAME            SCORE↓  BAND  FOUND%  HANDLING%  RESOLVED%  REPORTS  FILED  CLOSED  OVERDUE  VALID%  MISSED%  │
        │110101  东城区          78.6    B     70.6    59.1       57.4       72       68     39      3        95.8    29.4     │
        │110102  西城区          72.4    C     77.8    65.4       51.9       28       27     14      0        100.0   22.2     │
        │110105  朝阳区          66.3    C     82.4    62.5       52.9       20       17     9       0        94.4    17.6     │
        │TOTAL   北京市（演示）  n/a     n/a   74.1    61.1       55.4       120      112    62      3        96.6    25.9     │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
        ? help  q quit  : command line  e back to queue  j/k rows  h/l columns  > sort  r reverse
        new 6 · due soon 2 · overdue 3 · open 54                                                             refreshed 10:30:00
        """#,
        "eval-en-80x24": #"""
         CityGrid city grid  吕立新 city-supervisor · supervisor  [DEMO] 11-25 10:30:00
        ┌  Evaluation by district · 7 days 2026-11-19 – 2026-11-25 cols 1–5/19  ───────┐
        │KEY     NAME            SCORE↓  BAND  FOUND%  HANDLING%  RESOLVED%  REPORTS   │
        │110101  东城区          78.6    B     70.6    59.1       57.4       72        │
        │110102  西城区          72.4    C     77.8    65.4       51.9       28        │
        │110105  朝阳区          66.3    C     82.4    62.5       52.9       20        │
        │TOTAL   北京市（演示）  n/a     n/a   74.1    61.1       55.4       120       │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        └──────────────────────────────────────────────────────────────────────────────┘
        ? help  q quit  : command line  e back to queue  j/k rows  h/l columns  > sort
        new 6 · due soon 2 · overdue 3 · open 54                     refreshed 10:30:00
        """#,
        "eval-en-80x24-bottom": #"""
         CityGrid city grid  吕立新 city-supervisor · supervisor  [DEMO] 11-25 10:30:00
        ┌  Evaluation by community · 7 days 2026-11-19 – 2026-11-25 cols 1–4/19  ──────┐
        │KEY           NAME            SCORE↓  BAND  FOUND%  HANDLING%  RESOLVED%      │
        │110105003007  嘉府社区        n/a     n/a   n/a     n/a        n/a            │
        │110105003008  瑞寺社区        n/a     n/a   n/a     n/a        n/a            │
        │110105003009  永院社区        n/a     n/a   n/a     n/a        n/a            │
        │110105004002  南坊社区        n/a     n/a   n/a     n/a        n/a            │
        │110105004003  景巷社区        n/a     n/a   n/a     n/a        n/a            │
        │110105004004  草巷社区        n/a     n/a   n/a     n/a        n/a            │
        │110105005001  康营社区        n/a     n/a   n/a     n/a        n/a            │
        │110105005002  柳堂社区        n/a     n/a   n/a     n/a        n/a            │
        │110105005004  东河社区        n/a     n/a   n/a     n/a        n/a            │
        │110105005007  仁坊社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006001  仁里社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006002  育巷社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006004  景厂社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006007  和营社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006008  桃楼社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006009  三河社区        n/a     n/a   n/a     n/a        n/a            │
        │110105006010  仁桥社区        n/a     n/a   n/a     n/a        n/a            │
        │TOTAL         北京市（演示）  n/a     n/a   74.1    61.1       55.4           │
        └──────────────────────────────────────────────────────────────────────────────┘
        ? help  q quit  : command line  e back to queue  j/k rows  h/l columns  > sort
        new 6 · due soon 2 · overdue 3 · open 54                     refreshed 10:30:00
        """#,
        "eval-en-80x24-pgdn": #"""
         CityGrid city grid  吕立新 city-supervisor · supervisor  [DEMO] 11-25 10:30:00
        ┌  Evaluation by community · 7 days 2026-11-19 – 2026-11-25 cols 4–7/19  ──────┐
        │KEY           NAME            REPORTS↓  HANDLING%  RESOLVED%  FILED  CLOSED   │
        │110102003010  康庄社区        2         50.0       50.0       2      1        │
        │110102005010  青营社区        2         100.0      50.0       2      1        │
        │110102006005  银湖社区        2         50.0       0.0        2      0        │
        │110105004006  顺街社区        2         50.0       50.0       2      1        │
        │110101001001  新里社区        1         100.0      100.0      1      1        │
        │110101001003  松苑社区        1         100.0      100.0      1      1        │
        │110101001014  新苑社区        1         0.0        0.0        1      0        │
        │110101002006  兴庄社区        1         100.0      100.0      1      1        │
        │110101002007  东湖社区        1         n/a        0.0        1      0        │
        │110101003004  平桥社区        1         100.0      100.0      1      1        │
        │110101003006  仁院社区        1         100.0      100.0      1      1        │
        │110101003007  兴里社区        1         100.0      100.0      1      1        │
        │110101004005  明台社区        1         100.0      100.0      1      1        │
        │110101005001  松桥社区        1         0.0        0.0        1      0        │
        │110101005004  安府社区        1         100.0      100.0      1      1        │
        │110101005005  仁井社区        1         100.0      100.0      1      1        │
        │110101005009  北楼社区        1         0.0        0.0        1      0        │
        │110101005010  永厂社区        1         100.0      100.0      1      1        │
        └──────────────────────────────────────────────────────────────────────────────┘
        ? help  q quit  : command line  e back to queue  j/k rows  h/l columns  > sort
        new 6 · due soon 2 · overdue 3 · open 54                     refreshed 10:30:00
        """#,
        "eval-en-80x24-right": #"""
         CityGrid city grid  吕立新 city-supervisor · supervisor  [DEMO] 11-25 10:30:00
        ┌  Evaluation by community · 7 days 2026-11-19 – 2026-11-25 cols 4–7/19  ──────┐
        │KEY           NAME            SCORE↓  RESOLVED%  REPORTS  FILED  CLOSED       │
        │110101003001  福桥社区        85.5    87.5       8        8      7            │
        │110101009004  德桥社区        82.5    100.0      1        1      1            │
        │110101004005  明台社区        82.1    100.0      1        1      1            │
        │110101005004  安府社区        82.0    100.0      1        1      1            │
        │110101002006  兴庄社区        81.9    100.0      1        1      1            │
        │110101005010  永厂社区        81.6    100.0      1        1      1            │
        │110102003008  春桥社区        81.3    100.0      1        1      1            │
        │110101008013  康府社区        81.0    100.0      2        2      2            │
        │110101005007  和院社区        79.6    100.0      4        4      4            │
        │110101005008  兴园社区        76.0    100.0      3        2      2            │
        │110102005010  青营社区        75.0    50.0       2        2      1            │
        │110101003002  平寺社区        74.6    66.7       3        3      2            │
        │110101001001  新里社区        73.8    100.0      1        1      1            │
        │110105006006  钱河社区        73.8    100.0      1        1      1            │
        │110101003007  兴里社区        73.3    100.0      1        1      1            │
        │110101006001  平营社区        73.0    100.0      1        1      1            │
        │110101010017  甘河社区        73.0    100.0      1        1      1            │
        │110102003004  九河社区        73.0    100.0      1        1      1            │
        └──────────────────────────────────────────────────────────────────────────────┘
        ? help  q quit  : command line  e back to queue  j/k rows  h/l columns  > sort
        new 6 · due soon 2 · overdue 3 · open 54                     refreshed 10:30:00
        """#,
        "eval-en-80x24-sorted": #"""
         CityGrid city grid  吕立新 city-supervisor · supervisor  [DEMO] 11-25 10:30:00
        ┌  Evaluation by community · 7 days 2026-11-19 – 2026-11-25 cols 4–7/19  ──────┐
        │KEY           NAME            REPORTS↓  HANDLING%  RESOLVED%  FILED  CLOSED   │
        │110101003001  福桥社区        8         87.5       87.5       8      7        │
        │110101002001  康寺社区        4         25.0       25.0       4      1        │
        │110101005007  和院社区        4         100.0      100.0      4      4        │
        │110105005003  金巷社区        4         66.7       66.7       3      2        │
        │110101003002  平寺社区        3         66.7       66.7       3      2        │
        │110101004002  春营社区        3         50.0       50.0       2      1        │
        │110101004013  南院社区        3         66.7       66.7       3      2        │
        │110101005008  兴园社区        3         100.0      100.0      2      2        │
        │110102008003  柳门社区        3         100.0      66.7       3      2        │
        │110105005005  九湖社区        3         100.0      66.7       3      2        │
        │110101001009  柳府社区        2         0.0        0.0        2      0        │
        │110101004007  瑞院社区        2         50.0       50.0       2      1        │
        │110101007004  安里社区        2         0.0        0.0        2      0        │
        │110101008012  东街社区        2         0.0        0.0        2      0        │
        │110101008013  康府社区        2         100.0      100.0      2      2        │
        │110101010016  仁巷社区        2         0.0        0.0        2      0        │
        │110102001001  银营社区        2         50.0       50.0       2      1        │
        │110102003010  康庄社区        2         50.0       50.0       2      1        │
        └──────────────────────────────────────────────────────────────────────────────┘
        ? help  q quit  : command line  e back to queue  j/k rows  h/l columns  > sort
        new 6 · due soon 2 · overdue 3 · open 54                     refreshed 10:30:00
        """#,
        "eval-zh-120x40": #"""
         CityGrid 数字城管  吕立新 city-supervisor · 领导 · 北京市（演示）城市管理监督中心  [演示]               11-25 10:30:00
        ┌  考评排名 按区 · 7天 2026-11-19 – 2026-11-25 列 1–10/19  ────────────────────────────────────────────────────────────┐
        │编码    名称            综合分↓  等级  发现率%  处置率%  解决率%  上报  立案  结案  当前超期  有效上报%  漏报%        │
        │110101  东城区          78.6     B     70.6     59.1     57.4     72    68    39    3         95.8       29.4         │
        │110102  西城区          72.4     C     77.8     65.4     51.9     28    27    14    0         100.0      22.2         │
        │110105  朝阳区          66.3     C     82.4     62.5     52.9     20    17    9     0         94.4       17.6         │
        │TOTAL   北京市（演示）  n/a      n/a   74.1     61.1     55.4     120   112   62    3         96.6       25.9         │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        │                                                                                                                      │
        └──────────────────────────────────────────────────────────────────────────────────────────────────────────────────────┘
        ? 帮助  q 退出  : 命令行  e 返回队列  j/k 上下移动  h/l 左右滚动列  > 下一排序列  r 反向排序
        新 6 · 将到期 2 · 超期 3 · 未结 54                                                                        刷新 10:30:00
        """#,
        "eval-zh-80x24": #"""
         CityGrid 数字城管  吕立新 city-supervisor · 领导 · 北京  [演示] 11-25 10:30:00
        ┌  考评排名 按区 · 7天 2026-11-19 – 2026-11-25 列 1–6/19  ─────────────────────┐
        │编码    名称            综合分↓  等级  发现率%  处置率%  解决率%  上报  立案  │
        │110101  东城区          78.6     B     70.6     59.1     57.4     72    68    │
        │110102  西城区          72.4     C     77.8     65.4     51.9     28    27    │
        │110105  朝阳区          66.3     C     82.4     62.5     52.9     20    17    │
        │TOTAL   北京市（演示）  n/a      n/a   74.1     61.1     55.4     120   112   │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        │                                                                              │
        └──────────────────────────────────────────────────────────────────────────────┘
        ? 帮助  q 退出  : 命令行  e 返回队列  j/k 上下移动  h/l 左右滚动列  > 下一排序列
        新 6 · 将到期 2 · 超期 3 · 未结 54                                刷新 10:30:00
        """#,
    ]
}
