// Behaviour of the working-time clock: deadlines, elapsed working time, time zones.

import Foundation
import Testing

@testable import Workflow

/// An instant written with its UTC offset, parsed by Foundation (independent of the calendar).
func calendarTestInstant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad test instant \(text)") }
    return date
}

enum CalendarFixtures {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let berlin = TimeZone(identifier: "Europe/Berlin")!
    static let utc = TimeZone(identifier: "UTC")!
    /// Standard hours, Asia/Shanghai, no exceptions.
    static let plain = WorkingCalendar.standard()
    /// Standard hours, Asia/Shanghai, China's 2026 holidays and make-up days.
    static let china = WorkingCalendar.standard(exceptions: CalendarExceptions.china2026)
    static let berlinStandard = WorkingCalendar.standard(timeZone: berlin)
    static let berlinAllDay = WorkingCalendar(timeZone: berlin, weekly: .allDay, exceptions: [:])
    static let utcStandard = WorkingCalendar.standard(timeZone: utc)
}

@Suite("Working calendar: deadlines in working minutes")
struct WorkingCalendarDeadlineTests {
    let cal = CalendarFixtures.plain

    func deadline(_ start: String, plus minutes: Int, in calendar: WorkingCalendar = CalendarFixtures.plain) throws -> Date {
        try calendar.adding(workingMinutes: minutes, to: calendarTestInstant(start))
    }

    // 2026-03-02 is a Monday.

    @Test func addingAcrossLunchSkipsTheBreak() throws {
        #expect(try deadline("2026-03-02T11:45:00+08:00", plus: 30) == calendarTestInstant("2026-03-02T13:45:00+08:00"))
    }

    @Test func addingAcrossTheNightContinuesNextMorning() throws {
        #expect(try deadline("2026-03-02T17:15:00+08:00", plus: 30) == calendarTestInstant("2026-03-03T08:45:00+08:00"))
    }

    @Test func fridayAfternoonRunsOnToMonday() throws {
        // 60 minutes on Friday until 17:30, 60 more on Monday.
        #expect(try deadline("2026-03-06T16:30:00+08:00", plus: 120) == calendarTestInstant("2026-03-09T09:30:00+08:00"))
    }

    @Test func holidaysAreSkipped() throws {
        // Qingming: Sat 4 – Mon 6 April 2026 off.
        #expect(
            try deadline("2026-04-03T17:00:00+08:00", plus: 60, in: CalendarFixtures.china)
                == calendarTestInstant("2026-04-07T09:00:00+08:00"))
        // Without the exceptions the Monday is worked.
        #expect(try deadline("2026-04-03T17:00:00+08:00", plus: 60) == calendarTestInstant("2026-04-06T09:00:00+08:00"))
        // National Day week: Wed 30 Sep 17:00 + 60 → Thu 1 … Wed 7 Oct off, Thu 8 Oct 09:00.
        #expect(
            try deadline("2026-09-30T17:00:00+08:00", plus: 60, in: CalendarFixtures.china)
                == calendarTestInstant("2026-10-08T09:00:00+08:00"))
    }

    @Test func makeUpSundayIsWorked() throws {
        // Sat 3 Jan 2026 is a holiday, Sun 4 Jan a make-up workday.
        #expect(
            try deadline("2026-01-03T10:00:00+08:00", plus: 60, in: CalendarFixtures.china)
                == calendarTestInstant("2026-01-04T09:30:00+08:00"))
        // Friday 18 Sep 17:00: Saturday off, Sunday 20 Sep worked.
        #expect(
            try deadline("2026-09-18T17:00:00+08:00", plus: 60, in: CalendarFixtures.china)
                == calendarTestInstant("2026-09-20T09:00:00+08:00"))
        // Without exceptions that Sunday is off.
        #expect(try deadline("2026-09-18T17:00:00+08:00", plus: 60) == calendarTestInstant("2026-09-21T09:00:00+08:00"))
    }

    @Test(arguments: [
        ("2026-03-02T07:00:00+08:00", "2026-03-02T09:00:00+08:00"),  // before work
        ("2026-03-02T12:30:00+08:00", "2026-03-02T14:00:00+08:00"),  // lunch
        ("2026-03-02T12:00:00+08:00", "2026-03-02T14:00:00+08:00"),  // the instant the morning ends
        ("2026-03-02T17:30:00+08:00", "2026-03-03T09:00:00+08:00"),  // the instant the day ends
        ("2026-03-02T22:00:00+08:00", "2026-03-03T09:00:00+08:00"),  // night
        ("2026-03-07T10:00:00+08:00", "2026-03-09T09:00:00+08:00"),  // Saturday
        ("2026-03-08T23:59:59+08:00", "2026-03-09T09:00:00+08:00"),  // Sunday night
    ])
    func startOutsideWorkingTimeWaitsForTheNextInterval(start: String, expected: String) throws {
        #expect(try deadline(start, plus: 30) == calendarTestInstant(expected))
    }

    @Test func deadlineEndingAtIntervalEndStaysThere() throws {
        #expect(try deadline("2026-03-02T11:00:00+08:00", plus: 60) == calendarTestInstant("2026-03-02T12:00:00+08:00"))
        #expect(try deadline("2026-03-02T16:30:00+08:00", plus: 60) == calendarTestInstant("2026-03-02T17:30:00+08:00"))
        #expect(try deadline("2026-03-02T08:30:00+08:00", plus: 450) == calendarTestInstant("2026-03-02T17:30:00+08:00"))
        // Friday's last minute ends on Friday, not on Monday morning.
        #expect(try deadline("2026-03-06T17:00:00+08:00", plus: 30) == calendarTestInstant("2026-03-06T17:30:00+08:00"))
        // From outside working time too: a whole morning from 07:00 ends at 12:00.
        #expect(try deadline("2026-03-02T07:00:00+08:00", plus: 210) == calendarTestInstant("2026-03-02T12:00:00+08:00"))
        // One minute more goes to the afternoon.
        #expect(try deadline("2026-03-02T11:00:00+08:00", plus: 61) == calendarTestInstant("2026-03-02T13:31:00+08:00"))
    }

    @Test func zeroMinutesReturnsTheStartUnchanged() throws {
        for start in ["2026-03-02T10:00:00+08:00", "2026-03-02T12:30:00+08:00", "2026-03-07T10:00:00+08:00"] {
            #expect(try deadline(start, plus: 0) == calendarTestInstant(start))
            #expect(try deadline(start, plus: -5) == calendarTestInstant(start))
        }
    }

    @Test func workingDaysAreMultiplesOfTheStandardDay() throws {
        #expect(WeeklySchedule.standard.standardDayMinutes == 450)
        #expect(TimeBudget.workingDays(4) == .working(minutes: 4 * 450))
        #expect(TimeBudget.workingDays(15).minutes == 15 * 450)
        let start = calendarTestInstant("2026-03-02T09:00:00+08:00")  // Monday
        // 4 working days from Monday 09:00 → Friday 09:00.
        #expect(try TimeBudget.workingDays(4).deadline(from: start, calendar: cal) == calendarTestInstant("2026-03-06T09:00:00+08:00"))
        // 15 working days = three weeks.
        #expect(try TimeBudget.workingDays(15).deadline(from: start, calendar: cal) == calendarTestInstant("2026-03-23T09:00:00+08:00"))
        // With holidays: 5 working days from Mon 28 Sep 2026 09:00: Mon 28, Tue 29, Wed 30 Sep,
        // 1–7 Oct off, Thu 8, Fri 9 → Sat 10 Oct (make-up workday) 09:00.
        #expect(
            try TimeBudget.workingDays(5).deadline(
                from: calendarTestInstant("2026-09-28T09:00:00+08:00"), calendar: CalendarFixtures.china)
                == calendarTestInstant("2026-10-10T09:00:00+08:00"))
        // A schedule with a longer day: the longest weekday counts.
        let long = try WeeklySchedule(parsing: "mon-thu 08:00-12:00,13:00-18:00; fri 08:00-12:00")
        #expect(long.standardDayMinutes == 540)
        #expect(TimeBudget.workingDays(2, of: long) == .working(minutes: 1080))
    }

    @Test func urgentCalendarTimeIgnoresTheCalendar() throws {
        let start = calendarTestInstant("2026-10-03T22:00:00+08:00")  // Saturday in the National Day holiday
        let budget = TimeBudget.calendar(minutes: 360)
        #expect(try budget.deadline(from: start, calendar: CalendarFixtures.china) == calendarTestInstant("2026-10-04T04:00:00+08:00"))
        #expect(CalendarFixtures.china.adding(calendarMinutes: 30, to: start) == calendarTestInstant("2026-10-03T22:30:00+08:00"))
        #expect(budget.elapsed(from: start, to: calendarTestInstant("2026-10-04T01:15:30+08:00"), calendar: CalendarFixtures.china) == 195)
        #expect(budget.elapsed(from: start, to: start.addingTimeInterval(-60), calendar: CalendarFixtures.china) == 0)
        // The same interval in working time is nothing at all.
        #expect(
            TimeBudget.working(minutes: 360).elapsed(
                from: start, to: calendarTestInstant("2026-10-04T01:15:30+08:00"), calendar: CalendarFixtures.china) == 0)
    }

    @Test func fractionsOfASecondAreKept() throws {
        // Half a second left in the morning, 59.5 s in the afternoon.
        #expect(
            try cal.adding(workingMinutes: 1, to: calendarTestInstant("2026-03-02T11:59:59.500+08:00"))
                == calendarTestInstant("2026-03-02T13:30:59.500+08:00"))
        // 29 min 59.5 s left on Monday: the last half second is spent on Tuesday.
        #expect(
            try cal.adding(workingMinutes: 30, to: calendarTestInstant("2026-03-02T17:00:00.500+08:00"))
                == calendarTestInstant("2026-03-03T08:30:00.500+08:00"))
        // Outside working time the fraction does not matter.
        #expect(
            try cal.adding(workingMinutes: 30, to: calendarTestInstant("2026-03-02T12:10:00.250+08:00"))
                == calendarTestInstant("2026-03-02T14:00:00+08:00"))
    }

    @Test func calendarWithoutWorkingTimeThrows() throws {
        let never = WorkingCalendar(timeZone: CalendarFixtures.shanghai, weekly: .none, exceptions: [:])
        let start = calendarTestInstant("2026-03-02T10:00:00+08:00")
        #expect(throws: CalendarError.noWorkingTime) { try never.adding(workingMinutes: 30, to: start) }
        #expect(throws: CalendarError.noWorkingTime) { try never.nextWorkingInstant(atOrAfter: start) }
        #expect(throws: CalendarError.noWorkingTime) { try TimeBudget.working(minutes: 1).deadline(from: start, calendar: never) }
        // Make-up workdays cannot help a calendar with no hours at all.
        let stillNever = WorkingCalendar(
            timeZone: CalendarFixtures.shanghai, weekly: .none, exceptions: [LocalDate(string: "2026-03-03")!: .workday])
        #expect(throws: CalendarError.noWorkingTime) { try stillNever.adding(workingMinutes: 30, to: start) }
        #expect(never.workingMinutes(from: start, to: start.addingTimeInterval(86400 * 30)) == 0)
        #expect(try never.adding(workingMinutes: 0, to: start) == start)
    }

    @Test func deadlinesWorkBeyondThePrecomputedYears() throws {
        // 2100-12-31 is a Friday; the table covers 1970 ..< 2100, so this walks day by day.
        #expect(
            try deadline("2100-12-31T17:00:00+08:00", plus: 60) == calendarTestInstant("2101-01-03T09:00:00+08:00"))
        // Ending at an interval's end stays there out there too.
        #expect(try deadline("2100-12-31T17:00:00+08:00", plus: 30) == calendarTestInstant("2100-12-31T17:30:00+08:00"))
        #expect(try deadline("2100-12-31T08:00:00+08:00", plus: 210) == calendarTestInstant("2100-12-31T12:00:00+08:00"))
        // Crossing out of the table: 2099-12-31 is a Thursday, 2100-01-01 a Friday.
        #expect(
            try deadline("2099-12-31T17:00:00+08:00", plus: 60 + 450) == calendarTestInstant("2100-01-04T09:00:00+08:00"))
        #expect(
            cal.workingMinutes(
                from: calendarTestInstant("2099-12-31T17:00:00+08:00"), to: calendarTestInstant("2100-01-04T09:00:00+08:00"))
                == 510)
        // And before 1970: 1969-12-31 was a Wednesday.
        #expect(
            try deadline("1969-12-31T17:00:00+08:00", plus: 60) == calendarTestInstant("1970-01-01T09:00:00+08:00"))
        #expect(
            cal.workingMinutes(
                from: calendarTestInstant("1969-12-29T08:00:00+08:00"), to: calendarTestInstant("1970-01-02T08:00:00+08:00"))
                == 4 * 450)
    }
}

@Suite("Working calendar: elapsed working time and working instants")
struct WorkingCalendarElapsedTests {
    let cal = CalendarFixtures.plain

    func minutes(_ from: String, _ to: String, in calendar: WorkingCalendar = CalendarFixtures.plain) -> Int {
        calendar.workingMinutes(from: calendarTestInstant(from), to: calendarTestInstant(to))
    }

    @Test func workingMinutesCountsOnlyWorkingTime() {
        #expect(minutes("2026-03-02T08:00:00+08:00", "2026-03-02T18:00:00+08:00") == 450)
        #expect(minutes("2026-03-02T11:45:00+08:00", "2026-03-02T13:45:00+08:00") == 30)
        #expect(minutes("2026-03-06T17:00:00+08:00", "2026-03-09T09:00:00+08:00") == 60)
        #expect(minutes("2026-03-02T00:00:00+08:00", "2026-03-09T00:00:00+08:00") == 5 * 450)
        // The National Day week has no working days; 20 Sep and 10 Oct are make-up days.
        #expect(minutes("2026-10-01T00:00:00+08:00", "2026-10-08T00:00:00+08:00", in: CalendarFixtures.china) == 0)
        #expect(minutes("2026-09-19T00:00:00+08:00", "2026-09-21T00:00:00+08:00", in: CalendarFixtures.china) == 450)
        #expect(minutes("2026-10-10T00:00:00+08:00", "2026-10-11T00:00:00+08:00", in: CalendarFixtures.china) == 450)
    }

    @Test func workingMinutesIsZeroWhenToIsNotAfterFrom() {
        #expect(minutes("2026-03-02T10:00:00+08:00", "2026-03-02T10:00:00+08:00") == 0)
        #expect(minutes("2026-03-02T11:00:00+08:00", "2026-03-02T10:00:00+08:00") == 0)
        #expect(cal.workingSeconds(from: calendarTestInstant("2026-03-03T10:00:00+08:00"), to: calendarTestInstant("2026-03-02T10:00:00+08:00")) == 0)
    }

    @Test func workingMinutesRoundsDownToWholeMinutes() {
        #expect(minutes("2026-03-02T10:00:00+08:00", "2026-03-02T10:29:59+08:00") == 29)
        #expect(
            cal.workingSeconds(
                from: calendarTestInstant("2026-03-02T11:59:59.250+08:00"),
                to: calendarTestInstant("2026-03-02T13:30:00.500+08:00")) == 1.25)
    }

    @Test func isWorkingTimeIncludesStartsAndExcludesEnds() {
        let china = CalendarFixtures.china
        #expect(cal.isWorkingTime(calendarTestInstant("2026-03-02T08:30:00+08:00")))
        #expect(!cal.isWorkingTime(calendarTestInstant("2026-03-02T08:29:59+08:00")))
        #expect(cal.isWorkingTime(calendarTestInstant("2026-03-02T11:59:59.900+08:00")))
        #expect(!cal.isWorkingTime(calendarTestInstant("2026-03-02T12:00:00+08:00")))
        #expect(!cal.isWorkingTime(calendarTestInstant("2026-03-02T17:30:00+08:00")))
        #expect(cal.isWorkingTime(calendarTestInstant("2026-03-02T17:29:00+08:00")))
        #expect(!cal.isWorkingTime(calendarTestInstant("2026-03-07T10:00:00+08:00")))  // Saturday
        #expect(!china.isWorkingTime(calendarTestInstant("2026-10-05T10:00:00+08:00")))  // National Day (Monday)
        #expect(china.isWorkingTime(calendarTestInstant("2026-10-10T10:00:00+08:00")))  // make-up Saturday
        #expect(!cal.isWorkingTime(calendarTestInstant("2026-10-10T10:00:00+08:00")))
    }

    @Test func nextWorkingInstantSnapsForward() throws {
        let inside = calendarTestInstant("2026-03-02T10:00:00.5+08:00")
        #expect(try cal.nextWorkingInstant(atOrAfter: inside) == inside)
        #expect(try cal.nextWorkingInstant(atOrAfter: calendarTestInstant("2026-03-02T12:00:00+08:00")) == calendarTestInstant("2026-03-02T13:30:00+08:00"))
        #expect(try cal.nextWorkingInstant(atOrAfter: calendarTestInstant("2026-03-06T17:30:00+08:00")) == calendarTestInstant("2026-03-09T08:30:00+08:00"))
        #expect(
            try CalendarFixtures.china.nextWorkingInstant(atOrAfter: calendarTestInstant("2026-02-13T18:00:00+08:00"))
                == calendarTestInstant("2026-02-14T08:30:00+08:00"))
        #expect(
            try CalendarFixtures.china.nextWorkingInstant(atOrAfter: calendarTestInstant("2026-02-14T18:00:00+08:00"))
                == calendarTestInstant("2026-02-24T08:30:00+08:00"))
    }

    @Test func intervalsFollowExceptionsAndTheWeeklySchedule() throws {
        let china = CalendarFixtures.china
        let morningAndAfternoon = [510..<720, 810..<1050]
        #expect(china.intervals(on: LocalDate(string: "2026-03-02")!) == morningAndAfternoon)  // Monday
        #expect(china.intervals(on: LocalDate(string: "2026-03-07")!) == [])  // Saturday
        #expect(china.intervals(on: LocalDate(string: "2026-10-01")!) == [])  // holiday on a Thursday
        #expect(china.intervals(on: LocalDate(string: "2026-01-04")!) == morningAndAfternoon)  // make-up Sunday
        #expect(china.isWorkingDay(LocalDate(string: "2026-01-04")!))
        #expect(!china.isWorkingDay(LocalDate(string: "2026-01-01")!))
        #expect(china.scheduledMinutes(on: LocalDate(string: "2026-01-04")!) == 450)

        // A make-up Sunday gets Monday's hours even when Sunday has hours of its own.
        let weekly = try WeeklySchedule(parsing: "mon-fri 09:00-17:00; sun 10:00-12:00")
        let sunday = LocalDate(string: "2026-03-08")!
        let custom = WorkingCalendar(timeZone: CalendarFixtures.shanghai, weekly: weekly, exceptions: [sunday: .workday])
        #expect(custom.intervals(on: sunday) == [540..<1020])
        #expect(custom.intervals(on: sunday.adding(days: 7)) == [600..<720])
    }

    @Test func calendarsCompareByZoneScheduleAndExceptions() {
        #expect(WorkingCalendar.standard() == CalendarFixtures.plain)
        #expect(CalendarFixtures.plain != CalendarFixtures.china)
        #expect(CalendarFixtures.plain != CalendarFixtures.utcStandard)
    }
}

@Suite("Working calendar: time zones")
struct WorkingCalendarTimeZoneTests {
    @Test func utcCalendarUsesUTCWallClock() throws {
        let utc = CalendarFixtures.utcStandard
        #expect(
            try utc.adding(workingMinutes: 30, to: calendarTestInstant("2026-03-02T11:45:00Z"))
                == calendarTestInstant("2026-03-02T13:45:00Z"))
        #expect(utc.localDate(of: calendarTestInstant("2026-03-02T20:00:00Z")) == LocalDate(string: "2026-03-02"))
        #expect(CalendarFixtures.plain.localDate(of: calendarTestInstant("2026-03-02T20:00:00Z")) == LocalDate(string: "2026-03-03"))
        // 10:00 UTC is 18:00 in Shanghai: working in one, not in the other.
        #expect(utc.isWorkingTime(calendarTestInstant("2026-03-02T10:00:00Z")))
        #expect(!CalendarFixtures.plain.isWorkingTime(calendarTestInstant("2026-03-02T10:00:00Z")))
    }

    @Test func localDateAndMinuteOfDayRoundTrip() {
        let cal = CalendarFixtures.plain
        let date = LocalDate(string: "2026-03-02")!
        let instant = cal.date(of: date, minuteOfDay: 13 * 60 + 45)
        #expect(instant == calendarTestInstant("2026-03-02T13:45:00+08:00"))
        #expect(cal.localDate(of: instant) == date)
        #expect(cal.minuteOfDay(of: instant) == 13 * 60 + 45)
        #expect(cal.date(of: date, minuteOfDay: 1440) == calendarTestInstant("2026-03-03T00:00:00+08:00"))
    }

    @Test func berlinDeadlineAcrossTheSpringChange() throws {
        let cal = CalendarFixtures.berlinStandard
        // Friday 27 March 2026 17:00 CET; clocks go forward on Sunday 29 March.
        #expect(
            try cal.adding(workingMinutes: 60, to: calendarTestInstant("2026-03-27T17:00:00+01:00"))
                == calendarTestInstant("2026-03-30T09:00:00+02:00"))
        #expect(
            cal.workingMinutes(
                from: calendarTestInstant("2026-03-27T17:00:00+01:00"), to: calendarTestInstant("2026-03-30T09:00:00+02:00"))
                == 60)
        // Working hours are wall-clock hours: 08:30 CEST after the change.
        #expect(cal.isWorkingTime(calendarTestInstant("2026-03-30T08:30:00+02:00")))
        #expect(!cal.isWorkingTime(calendarTestInstant("2026-03-30T08:29:00+02:00")))
        #expect(cal.date(of: LocalDate(string: "2026-03-30")!, minuteOfDay: 510) == calendarTestInstant("2026-03-30T06:30:00Z"))
        #expect(cal.date(of: LocalDate(string: "2026-03-27")!, minuteOfDay: 510) == calendarTestInstant("2026-03-27T07:30:00Z"))
    }

    @Test func nonExistentAndRepeatedWallClockTimes() {
        let cal = CalendarFixtures.berlinStandard
        // 02:30 does not exist on 29 March 2026: the instant of the jump (03:00 CEST).
        #expect(cal.date(of: LocalDate(string: "2026-03-29")!, minuteOfDay: 150) == calendarTestInstant("2026-03-29T01:00:00Z"))
        // 02:30 happens twice on 25 October 2026: the first time (CEST).
        #expect(cal.date(of: LocalDate(string: "2026-10-25")!, minuteOfDay: 150) == calendarTestInstant("2026-10-25T00:30:00Z"))
        #expect(cal.localDate(of: calendarTestInstant("2026-03-28T23:30:00Z")) == LocalDate(string: "2026-03-29"))
    }

    @Test func roundTheClockCalendarCountsRealTimeOnChangeDays() throws {
        let cal = CalendarFixtures.berlinAllDay
        let march29 = LocalDate(string: "2026-03-29")!, october25 = LocalDate(string: "2026-10-25")!
        #expect(cal.workingMinutes(from: cal.date(of: march29, minuteOfDay: 0), to: cal.date(of: march29, minuteOfDay: 1440)) == 23 * 60)
        #expect(cal.workingMinutes(from: cal.date(of: october25, minuteOfDay: 0), to: cal.date(of: october25, minuteOfDay: 1440)) == 25 * 60)
        // 24 working hours are 24 real hours: noon CET → 13:00 CEST.
        #expect(
            try cal.adding(workingMinutes: 1440, to: calendarTestInstant("2026-03-28T12:00:00+01:00"))
                == calendarTestInstant("2026-03-29T13:00:00+02:00"))
        #expect(
            try cal.adding(workingMinutes: 1440, to: calendarTestInstant("2026-10-24T12:00:00+02:00"))
                == calendarTestInstant("2026-10-25T11:00:00+01:00"))
        // Every instant of the change days is working time.
        for hour in 0..<4 {
            #expect(cal.isWorkingTime(calendarTestInstant("2026-10-25T0\(hour):15:00Z")))
            #expect(cal.isWorkingTime(calendarTestInstant("2026-03-29T0\(hour):15:00Z")))
        }
    }
}
