import Foundation
import Testing
@testable import Curses

/// The crash handler's hand-written date arithmetic (it cannot call gmtime), checked without crashing; the rest is
/// checked end to end in a real terminal (ConsoleAppTests.CrashReportTests).
@Suite struct CrashReportUnitTests {
    @Test func civilDatesMatchTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for days in stride(from: -800_000, through: 800_000, by: 997) + [0, 59, 60, 11_016, 20_513, 2_932_896] {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let (year, month, day) = CrashSignal.civil(days: days)
            #expect(year == parts.year && month == parts.month && day == parts.day, "day \(days)")
        }
    }

}
