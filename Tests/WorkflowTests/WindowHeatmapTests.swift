import CityGridDemo
import Foundation
import Testing
@testable import Workflow

/// The heatmap's windows, the per-cell Gi* scores, the at-risk loop and the overdue board's text filter, moved from
/// the console into Workflow.
@Suite struct WindowHeatmapTests {
    static let today = LocalDate(year: 2026, month: 11, day: 25)!

    @Test func windowsEndTodayAndStepBack() throws {
        #expect(try HeatmapWindow.today.period(endingOn: Self.today, back: 0) == EvaluationPeriod.day(Self.today))
        let week = try HeatmapWindow.days7.period(endingOn: Self.today, back: 0)
        #expect(WindowHeatmap.text(week) == "2026-11-19 – 2026-11-25")
        #expect(WindowHeatmap.text(try HeatmapWindow.days7.period(endingOn: Self.today, back: 1)) == "2026-11-12 – 2026-11-18")
        #expect(WindowHeatmap.text(try HeatmapWindow.days30.period(endingOn: Self.today, back: 0)) == "2026-10-27 – 2026-11-25")
        #expect(WindowHeatmap.text(try HeatmapWindow.month.period(endingOn: Self.today, back: 1)) == "2026-10-01 – 2026-10-31")
    }

    @Test func cellScoresAreKeyedByCode() {
        var cells: [GridCell] = []
        for r in 0..<9 { for c in 0..<9 { cells.append(GridCell(code: "c\(r)-\(c)", nameZh: "", row: r, col: c, lat: 0, lon: 0, patrolAreaID: nil)) } }
        let neighbours = CellHotspots.neighbours(of: cells)
        let z = CellHotspots.zScores(cells: cells, neighbours: neighbours) { code in code == "c4-4" || code == "c4-5" || code == "c5-4" ? 10 : 0 }
        #expect(z.count == 81)
        #expect((z["c4-4"] ?? 0) > 1.96 && (z["c0-0"] ?? 0) <= 0)
    }

    @Test func theBoardFilterKeepsRowsEveryWordMatches() throws {
        let store = try CityStore.inMemory()
        let now = try InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse("2026-11-25T10:30:00+08:00")
        _ = try DemoCity.seed(into: store, options: DemoOptions(seed: 7, days: 2, cases: 120, now: now))
        let lead = try store.findOperator("city-lead-1")
        let board = try store.overdueBoard(for: lead, at: now, handlingTimes: nil)
        try #require(!board.entries.isEmpty)
        #expect(OverdueBoard.matching(board.entries, text: "").count == board.entries.count)
        let first = board.entries[0].serviceCase
        #expect(OverdueBoard.matching(board.entries, text: String(first.id)).contains { $0.serviceCase.id == first.id })
        if let dept = first.departmentCode {
            #expect(OverdueBoard.matching(board.entries, text: dept.lowercased()).allSatisfy { $0.serviceCase.departmentCode == dept })
        }
        #expect(OverdueBoard.matching(board.entries, text: "no-such-word-anywhere").isEmpty)
        // The at-risk loop looks only at cases in the handling stage.
        let times = try store.handlingTimes(at: now)
        let risks = times.atRisk(board.entries.map(\.serviceCase), at: now, context: try store.context())
        #expect(risks.keys.allSatisfy { id in board.entries.first { $0.serviceCase.id == id }?.serviceCase.state == .dispatched })
    }
}
