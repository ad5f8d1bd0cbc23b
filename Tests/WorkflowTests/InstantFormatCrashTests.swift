import Foundation
import Testing
@testable import Workflow

/// Inputs that killed the process inside Foundation's date parsers (found by the `time` harness; each took down
/// `citygrid serve` with one `GET /requests.json?start_date=…`, and any command through `--at` or CITYGRID_NOW).
@Suite struct InstantFormatCrashTests {
    @Test(arguments: ["2024-02-2\u{32B}23:59:59+00:00", "26-11-25T09:30:00.1" + String(repeating: "8", count: 80) + "+08:00",
                      "2026-11-25T09:30:00." + String(repeating: "1", count: 40) + "Z"])
    func refusesInsteadOfCrashing(_ text: String) {
        for zone in [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Asia/Shanghai")!] {
            #expect(throws: WorkflowError.self) { try InstantFormat(timeZone: zone).parse(text) }
            #expect(throws: WorkflowError.self) { try FastInstant(timeZone: zone).parse(text) }
        }
    }

    @Test func stillReadsTheFormsItDocuments() throws {
        let format = InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        for text in ["2026-11-25T09:30:00+08:00", "2026-11-25T01:30:00Z", "2026-11-25T09:30:00.123456789+08:00",
                     "2026-11-25T09:30", "2026-11-25 09:30:15", " 2026-11-25 "] {
            _ = try format.parse(text)
        }
    }
}
