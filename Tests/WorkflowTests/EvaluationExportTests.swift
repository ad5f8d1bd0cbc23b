import Foundation
import Testing
@testable import Workflow

@Suite struct EvaluationExportTests {
    @Test func phoneNumbersAreMaskedInBulletinText() {
        #expect(EvaluationExport.maskPhoneNumbers("call 13912345678 now") == "call *** now")
        #expect(EvaluationExport.maskPhoneNumbers("电话139-1234-5678，谢谢") == "电话***，谢谢")
        #expect(EvaluationExport.maskPhoneNumbers("tel 010 6512 3456.") == "tel ***.")
        #expect(EvaluationExport.maskPhoneNumbers("3 bins at No. 12, 2026-11-25") == "3 bins at No. 12, 2026-11-25", "short numbers and dates stay")
    }

    @Test func markdownCellsCannotBreakTheTable() {
        let lines = EvaluationExport.markdownTable(["a", "b"], [["x|y", "line\nbreak"]])
        #expect(lines == ["| a | b |", "| --- | --- |", "| x\\|y | line break |"])
    }

    @Test func ratesPrintWithOneDecimalOrNotApplicable() {
        #expect(EvaluationExport.percent(nil) == "n/a" && EvaluationExport.percent(100.0 / 3) == "33.3" && EvaluationExport.percent(0) == "0.0")
    }

    @Test func countersAndStagesKeepTheirStoredOrder() {
        // `index` is a switch for speed; it must agree with the column order of `eval_rollup`.
        #expect(EvaluationCounter.allCases.map(\.index) == Array(0..<EvaluationCounter.allCases.count))
        #expect(EvaluationStage.allCases.map(\.index) == Array(0..<EvaluationStage.allCases.count))
        #expect(EvaluationCounts.columns.count == EvaluationCounts.width)
    }

    @Test func histogramsRoundTripAndGiveBucketPercentiles() {
        var h = StageHistogram()
        for minutes in [5, 5, 12, 40, 40, 40, 50, 200, 600, 6000] { h.add(.handling, seconds: Int64(minutes * 60)) }
        h.add(.check, seconds: 0)
        var back = StageHistogram()
        back.add(encoded: h.encoded)
        #expect(back == h)
        #expect(StageHistogram(dense: { var d = StageHistogram.emptyDense; h.encoded.withUnsafeBytes { StageHistogram.add(encoded: $0, into: &d) }; return d }()) == h)
        // 10 durations: the 9th shortest (600 min) is in the (480, 600] bucket.
        #expect(h.quantileMinutes(.handling, 0.9) == 600)
        #expect(h.quantileMinutes(.handling, 0.5) == 45)
        #expect(h.quantileMinutes(.check, 0.9) == 1 && h.quantileMinutes(.closing, 0.9) == nil)
        #expect(StageHistogram.bucket(seconds: 60) == 0 && StageHistogram.bucket(seconds: 61) == 1)
        #expect(StageHistogram.bucket(seconds: 10 * 365 * 86_400) == StageHistogram.boundsMinutes.count - 1)
    }
}
