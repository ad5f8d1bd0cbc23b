// Properties of the working-time clock over thousands of seeded random cases, and a check
// against a slow minute-by-minute oracle built on Foundation's Calendar.

import Foundation
import Testing

@testable import Workflow

/// SplitMix64: small, seeded, reproducible.
private struct CalendarTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
}

/// Working time decided the slow, obvious way: Foundation's Calendar for the wall clock.
private struct MinuteOracle {
    let calendar: Calendar
    let weekly: WeeklySchedule
    let exceptions: [LocalDate: DayKind]

    init(timeZone: TimeZone, weekly: WeeklySchedule, exceptions: [LocalDate: DayKind]) {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        calendar = c
        self.weekly = weekly
        self.exceptions = exceptions
    }

    func isWorkingMinute(_ date: Date) -> Bool {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: date)
        let day = LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
        let minute = parts.hour! * 60 + parts.minute!
        let intervals: [Range<Int>]
        switch exceptions[day] {
        case .holiday?: intervals = []
        case .workday?: intervals = weekly.makeUpDaySchedule
        case nil:
            let isoWeekday = (parts.weekday! + 5) % 7 + 1  // Foundation: 1 = Sunday
            intervals = weekly.intervals(onWeekday: isoWeekday)
        }
        return intervals.contains { $0.contains(minute) }
    }

    /// Deadline for a start on a whole minute: step minute by minute.
    func adding(_ minutes: Int, to start: Date) -> Date {
        var t = start
        var left = minutes
        while left > 0 {
            if isWorkingMinute(t) { left -= 1 }
            t = t.addingTimeInterval(60)
        }
        return t
    }
}

@Suite("Working calendar: properties")
struct CalendarPropertyTests {
    static let year2026 = calendarTestInstant("2026-01-01T00:00:00+08:00").timeIntervalSince1970

    @Test func workingMinutesUndoesAdding() throws {
        var random = CalendarTestRandom(seed: 0x2026)
        for cal in [CalendarFixtures.china, CalendarFixtures.berlinStandard, CalendarFixtures.utcStandard] {
            for _ in 0..<3000 {
                // Any instant of 2026 (fractions included), any limit up to ~15 working days.
                let start = Date(timeIntervalSince1970: Self.year2026 + Double(random.int(in: 0...(366 * 86400 * 4))) / 4)
                let minutes = random.int(in: 1...7000)
                let end = try cal.adding(workingMinutes: minutes, to: start)
                #expect(cal.workingMinutes(from: start, to: end) == minutes, "start \(start) + \(minutes)")
                #expect(cal.workingSeconds(from: start, to: end) == Double(minutes * 60), "start \(start) + \(minutes)")
                // A second earlier, not all of it had elapsed (the earliest such instant).
                #expect(cal.workingSeconds(from: start, to: end.addingTimeInterval(-1)) < Double(minutes * 60))
            }
        }
    }

    @Test func workingMinutesUndoesAddingFromWorkingTime() throws {
        var random = CalendarTestRandom(seed: 7)
        let cal = CalendarFixtures.china
        for _ in 0..<3000 {
            let instant = Date(timeIntervalSince1970: Self.year2026 + Double(random.int(in: 0...(366 * 86400))))
            let start = try cal.nextWorkingInstant(atOrAfter: instant)
            #expect(cal.isWorkingTime(start))
            let minutes = random.int(in: 0...7000)
            let end = try cal.adding(workingMinutes: minutes, to: start)
            #expect(cal.workingMinutes(from: start, to: end) == minutes)
        }
    }

    @Test func deadlinesNeverLandOnADayOff() throws {
        var random = CalendarTestRandom(seed: 99)
        let cal = CalendarFixtures.china
        for _ in 0..<3000 {
            let start = Date(timeIntervalSince1970: Self.year2026 + Double(random.int(in: 0...(366 * 86400))))
            let minutes = random.int(in: 1...7000)
            let end = try cal.adding(workingMinutes: minutes, to: start)
            let day = cal.localDate(of: end)
            #expect(cal.isWorkingDay(day), "\(start) + \(minutes) → \(end) on \(day)")
            if day.weekday >= 6 { #expect(cal.exceptions[day] == .workday, "\(end) is a weekend day") }
            #expect(cal.exceptions[day] != .holiday)
            // The deadline closes working time: the second before it was working time.
            #expect(cal.isWorkingTime(end.addingTimeInterval(-1)))
        }
    }

    @Test func moreMinutesNeverGiveAnEarlierDeadline() throws {
        var random = CalendarTestRandom(seed: 5)
        let cal = CalendarFixtures.china
        for _ in 0..<2000 {
            let start = Date(timeIntervalSince1970: Self.year2026 + Double(random.int(in: 0...(366 * 86400))))
            let a = random.int(in: 0...5000), b = random.int(in: 0...5000)
            let first = try cal.adding(workingMinutes: min(a, b), to: start)
            let second = try cal.adding(workingMinutes: max(a, b), to: start)
            #expect(first <= second)
            // Splitting a limit in two gives the same deadline, when the split point is working time
            // or the first part is not empty.
            if min(a, b) > 0 {
                #expect(try cal.adding(workingMinutes: max(a, b) - min(a, b), to: first) == second)
            }
        }
    }

    @Test(arguments: [
        ("Asia/Shanghai", "2026-01-01T00:00:00+08:00"),
        ("Europe/Berlin", "2026-03-20T00:00:00+01:00"),  // across the spring change
        ("Europe/Berlin", "2026-10-18T00:00:00+02:00"),  // across the autumn change
        ("America/New_York", "2026-03-01T00:00:00-05:00"),
        ("Asia/Shanghai", "2100-06-01T00:00:00+08:00"),  // beyond the precomputed years
        ("Europe/Berlin", "2100-03-20T00:00:00+01:00"),  // beyond them, across a change
    ])
    func agreesWithAMinuteByMinuteOracle(zone: String, from: String) throws {
        let timeZone = TimeZone(identifier: zone)!
        let exceptions = CalendarExceptions.china2026
        let weekly = try WeeklySchedule(parsing: "mon-fri 08:30-12:00,13:30-17:30; sat 09:00-12:00")
        let cal = WorkingCalendar(timeZone: timeZone, weekly: weekly, exceptions: exceptions)
        let oracle = MinuteOracle(timeZone: timeZone, weekly: weekly, exceptions: exceptions)
        var random = CalendarTestRandom(seed: UInt64(zone.utf8.count * 1000 + from.utf8.reduce(0) { $0 &+ Int($1) }))
        let base = calendarTestInstant(from).timeIntervalSince1970
        for _ in 0..<60 {
            let start = Date(timeIntervalSince1970: base + Double(random.int(in: 0...(14 * 1440)) * 60))
            let minutes = random.int(in: 1...900)
            let expected = oracle.adding(minutes, to: start)
            let actual = try cal.adding(workingMinutes: minutes, to: start)
            #expect(actual == expected, "\(zone) \(start) + \(minutes)")
            // Counting working minutes agrees with the oracle over the same span.
            var count = 0
            var t = start
            while t < actual {
                if oracle.isWorkingMinute(t) { count += 1 }
                t = t.addingTimeInterval(60)
            }
            #expect(count == minutes)
        }
    }

    @Test func localDateAgreesWithFoundation() {
        var random = CalendarTestRandom(seed: 11)
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = TimeZone(identifier: "UTC")!
        for _ in 0..<3000 {
            let dayNumber = random.int(in: -100_000...200_000)  // 1696 … 2517: Foundation switches to the Julian calendar before 1582
            let date = LocalDate(dayNumber: dayNumber)
            let parts = gregorian.dateComponents(
                [.year, .month, .day, .weekday], from: Date(timeIntervalSince1970: Double(dayNumber) * 86400))
            #expect(date.year == parts.year && date.month == parts.month && date.day == parts.day)
            #expect(date.weekday == (parts.weekday! + 5) % 7 + 1)
            #expect(date.dayNumber == dayNumber)
            #expect(LocalDate(string: date.description) == date)
        }
    }

    @Test func scheduleTextRoundTripsForRandomSchedules() throws {
        var random = CalendarTestRandom(seed: 3)
        for _ in 0..<500 {
            var days: [[Range<Int>]] = []
            for _ in 0..<7 {
                var list: [Range<Int>] = []
                var t = random.int(in: 0...600)
                for _ in 0..<random.int(in: 0...3) {
                    let end = t + random.int(in: 1...240)
                    if end > 1440 { break }
                    list.append(t..<end)
                    t = end + random.int(in: 0...120)
                }
                days.append(list)
            }
            let schedule = try WeeklySchedule(days)
            #expect(try WeeklySchedule(parsing: schedule.description) == schedule, "\(schedule)")
        }
    }

    /// Prints how fast `adding` is (no assertion: timing depends on the machine and build).
    @Test func printsAddingSpeed() throws {
        let cal = CalendarFixtures.china
        var random = CalendarTestRandom(seed: 1)
        let n = 100_000
        let starts = (0..<n).map { _ in Date(timeIntervalSince1970: Self.year2026 + Double(random.int(in: 0...(365 * 86400)))) }
        let minutes = (0..<n).map { _ in random.int(in: 240...6750) }
        let clock = ContinuousClock()
        var checksum = 0.0
        let elapsed = try clock.measure {
            for i in 0..<n { checksum += try cal.adding(workingMinutes: minutes[i], to: starts[i]).timeIntervalSince1970 }
        }
        print("WorkingCalendar.adding: \(n) calls in \(elapsed) (checksum \(checksum))")
    }
}
