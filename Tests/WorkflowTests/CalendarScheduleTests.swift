// The weekly schedule and its editable text form.

import Foundation
import Testing

@testable import Workflow

@Suite("Weekly schedule")
struct CalendarScheduleTests {
    @Test func standardIsMondayToFridayWithALunchBreak() {
        let s = WeeklySchedule.standard
        for weekday in 1...5 { #expect(s.intervals(onWeekday: weekday) == [510..<720, 810..<1050]) }
        #expect(s.intervals(onWeekday: 6) == [])
        #expect(s.intervals(onWeekday: 7) == [])
        #expect(s.description == "mon-fri 08:30-12:00,13:30-17:30")
        #expect(s.minutes(onWeekday: 1) == 450)
    }

    @Test func textParsesAndPrintsBack() throws {
        let text = "mon-fri 08:30-12:00,13:30-17:30; sat 09:00-12:00"
        let s = try WeeklySchedule(parsing: text)
        #expect(s.intervals(onWeekday: 6) == [540..<720])
        #expect(s.intervals(onWeekday: 3) == [510..<720, 810..<1050])
        #expect(s.description == text)
        #expect(try WeeklySchedule(parsing: "mon-fri 08:30-12:00,13:30-17:30") == .standard)
        #expect(try WeeklySchedule(parsing: WeeklySchedule.allDay.description) == .allDay)
        #expect(WeeklySchedule.allDay.description == "mon-sun 00:00-24:00")
    }

    @Test func textIsForgivingAboutSpacingCaseAndForm() throws {
        #expect(try WeeklySchedule(parsing: "  Mon - Fri   8:30-12:00, 13:30 - 17:30 ;") == .standard)
        #expect(try WeeklySchedule(parsing: "monday-friday 08:30-12:00,13:30-17:30; sat off; sun off") == .standard)
        #expect(try WeeklySchedule(parsing: "mon-wed,thu,fri 13:30-17:30,08:30-12:00") == .standard)
        let alternate = try WeeklySchedule(parsing: "mon,wed,fri 09:00-12:00")
        #expect(alternate.description == "mon 09:00-12:00; wed 09:00-12:00; fri 09:00-12:00")
        #expect(alternate.intervals(onWeekday: 2) == [])
    }

    @Test func touchingIntervalsAreMerged() throws {
        let s = try WeeklySchedule(parsing: "mon 08:00-12:00,12:00-13:00")
        #expect(s.intervals(onWeekday: 1) == [480..<780])
        #expect(s.description == "mon 08:00-13:00")
    }

    @Test func emptyTextIsAScheduleWithoutWorkingTime() throws {
        #expect(try WeeklySchedule(parsing: "") == .none)
        #expect(try WeeklySchedule(parsing: " ; mon-sun off") == .none)
        #expect(WeeklySchedule.none.description == "")
        #expect(WeeklySchedule.none.isEmpty)
        #expect(WeeklySchedule.none.standardDayMinutes == 0)
        #expect(WeeklySchedule.none.makeUpDaySchedule == [])
    }

    @Test(arguments: [
        ("mon-fri 08:00-12:00,11:00-13:00", WeeklyScheduleError.overlap(day: "mon", first: "08:00-12:00", second: "11:00-13:00")),
        ("mon 09:00-25:00", .badTime("25:00")),
        ("mon 09:00-24:30", .badTime("24:30")),
        ("mon 09:60-10:00", .badTime("09:60")),
        ("mon 9h-10:00", .badTime("9h")),
        ("mon 09:00-8:00", .endNotAfterStart("09:00-8:00")),
        ("mon 09:00-09:00", .endNotAfterStart("09:00-09:00")),
        ("mon 22:00-06:00", .endNotAfterStart("22:00-06:00")),
        ("mon 09:00", .badInterval("09:00")),
        ("mon 09:00-10:00,", .badInterval("")),
        ("mon-fry 09:00-17:00", .unknownDay("fry")),
        ("lun 09:00-17:00", .unknownDay("lun")),
        ("fri-mon 09:00-17:00", .backwardsDayRange("fri-mon")),
        ("mon-fri 09:00-17:00; fri 18:00-19:00", .duplicateDay("fri")),
        ("mon-fri", .missingTimes(clause: "mon-fri")),
        ("09:00-17:00", .missingDays(clause: "09:00-17:00")),
    ])
    func parseErrorsSayWhatIsWrong(text: String, expected: WeeklyScheduleError) {
        #expect(throws: expected) { try WeeklySchedule(parsing: text) }
    }

    @Test func parseErrorMessagesAreReadable() {
        #expect("\(WeeklyScheduleError.overlap(day: "mon", first: "08:00-12:00", second: "11:00-13:00"))" == "on mon, 08:00-12:00 overlaps 11:00-13:00")
        #expect("\(WeeklyScheduleError.badTime("25:00"))".contains("25:00"))
        #expect("\(WeeklyScheduleError.unknownDay("fry"))".contains("unknown day \"fry\""))
        #expect("\(WeeklyScheduleError.endNotAfterStart("12:00-08:30"))".contains("ends before"))
    }

    @Test func arraysAreValidated() throws {
        #expect(throws: WeeklyScheduleError.wrongDayCount(5)) { try WeeklySchedule([[], [], [], [], []]) }
        #expect(throws: WeeklyScheduleError.outsideDay(day: "tue", interval: "1400..<1500 min")) {
            try WeeklySchedule([[], [1400..<1500], [], [], [], [], []])
        }
        #expect(throws: WeeklyScheduleError.overlap(day: "wed", first: "01:00-03:00", second: "02:00-04:00")) {
            try WeeklySchedule([[], [], [120..<240, 60..<180], [], [], [], []])
        }
        #expect(try WeeklySchedule(weekdays: 1...5, intervals: [810..<1050, 510..<720]) == .standard)
    }

    @Test func makeUpDayUsesMondayElseTheFirstWorkingWeekday() throws {
        #expect(WeeklySchedule.standard.makeUpDaySchedule == [510..<720, 810..<1050])
        #expect(try WeeklySchedule(parsing: "tue-sat 09:00-17:00; sun 10:00-11:00").makeUpDaySchedule == [540..<1020])
        #expect(try WeeklySchedule(parsing: "sun 10:00-11:00; thu 07:00-08:00").makeUpDaySchedule == [420..<480])
        #expect(try WeeklySchedule(parsing: "mon 10:00-11:00; tue 07:00-18:00").makeUpDaySchedule == [600..<660])
    }

    @Test func standardDayIsTheLongestWeekday() throws {
        #expect(try WeeklySchedule(parsing: "mon 09:00-10:00; sat 08:00-18:00").standardDayMinutes == 600)
    }

    @Test func schedulesAreCodableAsText() throws {
        let data = try JSONEncoder().encode(WeeklySchedule.standard)
        #expect(String(decoding: data, as: UTF8.self) == "\"mon-fri 08:30-12:00,13:30-17:30\"")
        #expect(try JSONDecoder().decode(WeeklySchedule.self, from: data) == .standard)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(WeeklySchedule.self, from: Data("\"mon 25:00-26:00\"".utf8))
        }
    }
}
