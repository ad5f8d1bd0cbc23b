import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The one duration formatter, and the three forms its callers printed before they shared it.
@Suite struct DurationTextTests {
    @Test func underTwoDaysEveryFormIsTheSame() {
        for long in [DurationText.Long.days, .daysAndHours, .hours] {
            #expect(DurationText.minutes(0, long: long) == "0m")
            #expect(DurationText.minutes(45, long: long) == "45m")
            #expect(DurationText.minutes(125, long: long) == "2h05")
            #expect(DurationText.minutes(-35, long: long) == "-35m")
            #expect(DurationText.minutes(-70, long: long) == "-1h10")
            #expect(DurationText.minutes(47 * 60 + 59, long: long) == "47h59")
        }
    }

    @Test func fromTwoDaysOnEachFormAsItsCallerPrintedIt() {
        let m = 3 * 1440 + 4 * 60 + 5
        #expect(DurationText.minutes(m) == "3d")                        // the console's due and age columns
        #expect(DurationText.minutes(-m) == "-3d")
        #expect(DurationText.minutes(m, long: .daysAndHours) == "3d4h") // lead board, handover
        #expect(DurationText.minutes(-m, long: .daysAndHours) == "-3d4h")
        #expect(DurationText.minutes(m, long: .hours) == "76h05")       // duplicates' ages
        #expect(Span.text(-m) == "-3d4h")
        #expect(DueText.span(m) == "3d")
        #expect(TableWriterFormat.age(Double(m) * 60 + 30) == "76h05")
        #expect(TableWriterFormat.age(-90) == "in 1m")
    }
}
