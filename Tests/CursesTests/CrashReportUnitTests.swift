import Foundation
import Testing
@testable import Curses

/// The crash handler's hand-written date arithmetic (it cannot call gmtime), checked without crashing; the rest is
/// checked end to end in a real terminal (ConsoleAppTests.CrashReportTests).
@Suite struct CrashReportUnitTests {
    @Test func civilDatesMatchTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // From 1970 on (the handler clamps an earlier clock to 1970; Foundation's calendar turns Julian before 1582).
        for days in Array(stride(from: 0, through: 2_932_896, by: 997)) + [59, 60, 789, 11_016, 11_017, 20_513, 2_932_896] {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let (year, month, day) = CrashSignal.civil(days: days)
            #expect(year == parts.year && month == parts.month && day == parts.day, "day \(days)")
        }
    }

}
