// The working-time clock: which instants are working time, and deadlines in working minutes.

import Foundation

/// What an exception makes of a date.
public enum DayKind: String, Hashable, Sendable, Codable, CaseIterable {
    /// A day off, whatever the weekly schedule says (public holiday).
    case holiday
    /// A working day, whatever the weekly schedule says (调休 make-up working day). It gets
    /// ``WeeklySchedule/makeUpDaySchedule``.
    case workday
}

public enum CalendarError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The calendar has no working time at all, or none in ``WorkingCalendar/searchLimitDays``
    /// consecutive days.
    case noWorkingTime

    public var description: String {
        switch self {
        case .noWorkingTime:
            return "the working calendar has no working time (none within \(WorkingCalendar.searchLimitDays) days)"
        }
    }
}

/// Working time in one time zone: a weekly schedule, with holidays and make-up workdays.
///
/// **Working time is a set of real instants**: an instant is working time when it lies in
/// `[date(of: day, minuteOfDay: a), date(of: day, minuteOfDay: b))` for an interval `a..<b` of
/// some day. Working minutes are real elapsed minutes inside that set. Away from daylight-saving
/// changes this is simply "the wall clock shows a time inside the day's intervals". On the day
/// of a change, an interval that contains the jump is shorter (clocks forward) or longer (clocks
/// back) by the jump; see ``date(of:minuteOfDay:)`` for how non-existent and repeated wall-clock
/// times map to instants. Offsets come from the system tz database, precomputed at init for
/// 1970–2100 (outside those years `TimeZone` is asked on each use: correct but slow).
///
/// **Deadlines** (``adding(workingMinutes:to:)``): the earliest instant at which the given
/// working time has elapsed since `start`.
/// - Start outside working time: the clock starts at the next working interval.
/// - A deadline that ends exactly at the end of an interval stays there (17:30, not 08:30 the
///   next morning), because it is the *earliest* such instant.
/// - 0 (or negative) minutes return `start` unchanged, even outside working time.
/// - Fractions of a second in `start` are kept when `start` is working time.
///
/// **Speed**: a table of cumulative working seconds per day for 1970-01-01 ..< 2100-01-01 is
/// built at init (about 0.8 MB; about 1 ms in a release build, a few ms in debug), so
/// `adding` and `workingMinutes` cost a few binary searches however long the span (about
/// 70–90 ns per `adding` in release). Outside those years days are walked one by one. Build a
/// calendar once and share it (it is an immutable value, `Sendable`; copies share the tables).
///
/// Dates must stay within years 1...9999 (``LocalDate``'s range); beyond that it traps.
public struct WorkingCalendar: Sendable, Equatable {
    public let timeZone: TimeZone
    public let weekly: WeeklySchedule
    public let exceptions: [LocalDate: DayKind]

    /// How many consecutive days without working time make `adding` and
    /// `nextWorkingInstant` give up with ``CalendarError/noWorkingTime``.
    public static let searchLimitDays = 3660

    private let tables: Tables

    public init(timeZone: TimeZone, weekly: WeeklySchedule, exceptions: [LocalDate: DayKind] = [:]) {
        self.timeZone = timeZone
        self.weekly = weekly
        self.exceptions = exceptions
        self.tables = Tables(timeZone: timeZone, weekly: weekly, exceptions: exceptions)
    }

    /// `WeeklySchedule.standard` in `timeZone` (default the site default, `SiteSettings.defaultTimeZone`) with `exceptions`.
    public static func standard(
        timeZone: TimeZone = SiteSettings.defaultTimeZone,
        exceptions: [LocalDate: DayKind] = [:]
    ) -> WorkingCalendar {
        WorkingCalendar(timeZone: timeZone, weekly: .standard, exceptions: exceptions)
    }

    public static func == (a: WorkingCalendar, b: WorkingCalendar) -> Bool {
        a.timeZone.identifier == b.timeZone.identifier && a.weekly == b.weekly && a.exceptions == b.exceptions
    }

    // MARK: Days

    /// Working intervals of `date` in minutes of the local day: none on a holiday exception,
    /// ``WeeklySchedule/makeUpDaySchedule`` on a workday exception, else the weekly schedule.
    public func intervals(on date: LocalDate) -> [Range<Int>] {
        let type = tables.dayType(date.dayNumber)
        return type < 0 ? [] : tables.intervalsByType[type]
    }

    /// True when `date` has any working interval.
    public func isWorkingDay(_ date: LocalDate) -> Bool { tables.dayType(date.dayNumber) >= 0 }

    /// Working minutes of `date` by its schedule (wall-clock minutes; on a daylight-saving day an
    /// interval containing the jump really lasts an hour more or less).
    public func scheduledMinutes(on date: LocalDate) -> Int {
        intervals(on: date).reduce(0) { $0 + $1.count }
    }

    /// One "working day" in minutes: ``WeeklySchedule/standardDayMinutes``.
    public var standardDayMinutes: Int { weekly.standardDayMinutes }

    // MARK: Local time

    /// Unix seconds of `date`, held a year beyond 0001-01-01 ... 9999-12-31 so that adding a zone offset or a day
    /// never overflows, whatever a stored time says.
    static func seconds(_ date: Date) -> Int {
        let t = date.timeIntervalSince1970.rounded(.down)
        guard !t.isNaN else { return 0 }
        return Int(min(max(t, -62_167_219_200 - 31_622_400), 253_402_300_800 + 31_622_400))
    }

    /// The local date (in this calendar's zone) of `date`.
    /// Any instant, a damaged database's year −100000 or `Date.distantFuture` included, has a date: outside years
    /// 1...9999 it is 0001-01-01 or 9999-12-31 (see ``LocalDate/init(dayNumber:)``).
    public func localDate(of date: Date) -> LocalDate {
        let s = WorkingCalendar.seconds(date)
        return LocalDate(dayNumber: WorkingCalendar.floorDiv(s + tables.zone.offset(atInstant: s), 86400))
    }

    /// The wall-clock minute of the day (0...1439) of `date` in this calendar's zone.
    public func minuteOfDay(of date: Date) -> Int {
        let s = WorkingCalendar.seconds(date)
        let local = s + tables.zone.offset(atInstant: s)
        return (local - WorkingCalendar.floorDiv(local, 86400) * 86400) / 60
    }

    /// The instant at which the wall clock in this calendar's zone shows `minuteOfDay` on
    /// `date`. `minuteOfDay` may be 1440 (the next midnight) or beyond (it rolls over days).
    /// - A wall-clock time that does not exist (skipped when clocks go forward, e.g. 02:30 on
    ///   2026-03-29 in Europe/Berlin) gives the instant of the jump (03:00 CEST).
    /// - A wall-clock time that occurs twice (clocks go back) gives its first occurrence.
    public func date(of date: LocalDate, minuteOfDay: Int) -> Date {
        Date(timeIntervalSince1970: Double(tables.instant(ofLocal: date.dayNumber * 86400 + minuteOfDay * 60)))
    }

    // MARK: Working time

    /// True when `date` is working time (interval starts are included, ends excluded).
    public func isWorkingTime(_ date: Date) -> Bool {
        let s = WorkingCalendar.seconds(date)
        return tables.isWorking(s)
    }

    /// `date` itself when it is working time, else the start of the next working interval.
    public func nextWorkingInstant(atOrAfter date: Date) throws -> Date {
        let t = date.timeIntervalSince1970
        let s = Int(t.rounded(.down))
        if tables.isWorking(s) { return date }
        return Date(timeIntervalSince1970: Double(try tables.nextIntervalStart(after: s)))
    }

    /// The earliest instant at which `workingMinutes` of working time have elapsed since
    /// `start` (see the type's documentation: 0 or less returns `start`; outside working time
    /// the clock starts at the next interval; ending at an interval's end stays there).
    /// Throws ``CalendarError/noWorkingTime`` when there is no working time to spend.
    public func adding(workingMinutes: Int, to start: Date) throws -> Date {
        try adding(workingSeconds: workingMinutes * 60, to: start)
    }

    /// ``adding(workingMinutes:to:)`` in seconds.
    public func adding(workingSeconds: Int, to start: Date) throws -> Date {
        guard workingSeconds > 0 else { return start }
        let t = start.timeIntervalSince1970
        let s = t.rounded(.down)
        let fraction = t - s
        let whole = Int(s)
        if fraction > 0, tables.isWorking(whole) {
            // [whole, whole + 1) lies inside one interval: add the fraction after the whole seconds.
            let r = try tables.add(workingSeconds, to: whole)
            let n = tables.isWorking(r) ? r : try tables.nextIntervalStart(after: r)
            return Date(timeIntervalSince1970: Double(n) + fraction)
        }
        return Date(timeIntervalSince1970: Double(try tables.add(workingSeconds, to: whole)))
    }

    /// `start` plus `calendarMinutes` of plain elapsed time (urgent cases run 24/7).
    public func adding(calendarMinutes: Int, to start: Date) -> Date {
        start.addingTimeInterval(Double(calendarMinutes) * 60)
    }

    /// Working time between `from` and `to` in seconds (0 when `to <= from`), exact to the
    /// fraction of a second.
    public func workingSeconds(from: Date, to: Date) -> Double {
        guard to > from else { return 0 }
        return tables.position(to.timeIntervalSince1970) - tables.position(from.timeIntervalSince1970)
    }

    /// Whole working minutes between `from` and `to` (0 when `to <= from`), rounded down:
    /// 29 min 59 s count as 29. For `start` in working time,
    /// `workingMinutes(from: start, to: adding(workingMinutes: m, to: start)) == m`.
    public func workingMinutes(from: Date, to: Date) -> Int {
        Int((workingSeconds(from: from, to: to) / 60).rounded(.down))
    }
}

// MARK: - Tables

extension WorkingCalendar {
    /// Everything precomputed at init, behind one reference.
    final class Tables: Sendable {
        static let tableFirstDay = 0  // 1970-01-01
        static let tableEndDay = 47482  // 2100-01-01, exclusive

        let zone: ZoneOffsets
        let exceptionsByDay: [Int: DayKind]
        /// Interval lists per day type: 0...6 = Monday...Sunday, 7 = make-up workday.
        let intervalsByType: [[Range<Int>]]
        /// Flattened bounds in seconds of the local day: type t's intervals are the pairs
        /// `bounds[boundsStart[t] ..< boundsStart[t + 1]]`.
        let bounds: [Int]
        let boundsStart: [Int]
        /// Whether any day can have working time at all.
        let hasWorkingTime: Bool
        /// Per day of the table: offset valid for the whole local day, or `Int.min`.
        let dayOffset: [Int]
        /// Per day of the table: day type (-1 = no working time).
        let dayTypes: [Int8]
        /// cumulative[i] = working seconds in table days 0 ..< i (count = days + 1).
        let cumulative: [Int]

        init(timeZone: TimeZone, weekly: WeeklySchedule, exceptions: [LocalDate: DayKind]) {
            let first = Tables.tableFirstDay, end = Tables.tableEndDay
            let zone = ZoneOffsets(timeZone: timeZone, window: (first - 2) * 86400..<(end + 2) * 86400)
            self.zone = zone
            var byDay: [Int: DayKind] = [:]
            for (date, kind) in exceptions { byDay[date.dayNumber] = kind }
            exceptionsByDay = byDay
            let types = weekly.days + [weekly.makeUpDaySchedule]
            intervalsByType = types
            var bounds: [Int] = []
            var starts: [Int] = []
            for list in types {
                starts.append(bounds.count)
                for r in list { bounds.append(r.lowerBound * 60); bounds.append(r.upperBound * 60) }
            }
            starts.append(bounds.count)
            self.bounds = bounds
            self.boundsStart = starts
            hasWorkingTime = !weekly.makeUpDaySchedule.isEmpty

            let days = end - first
            // Offsets valid for a whole local day: sweep the segments once.
            var dayOffset = [Int](repeating: Int.min, count: days)
            for seg in zone.offsets.indices {
                // Local days lying wholly in segment seg and after every earlier segment's readings.
                var lower = zone.localStarts[seg]
                if seg > 0 { lower = max(lower, zone.localEnds[seg - 1]) }
                let firstDay = max(WorkingCalendar.floorDiv(lower + 86399, 86400), first)
                let lastDay = min(WorkingCalendar.floorDiv(zone.localEnds[seg], 86400), end)  // exclusive
                if firstDay < lastDay {
                    for d in firstDay..<lastDay { dayOffset[d - first] = zone.offsets[seg] }
                }
            }
            self.dayOffset = dayOffset
            // Day types: the weekly pattern, then the exceptions.
            var dayTypes = [Int8](repeating: -1, count: days)
            var weekdayType = [Int8](repeating: -1, count: 8)
            for t in 0..<8 where starts[t + 1] > starts[t] { weekdayType[t] = Int8(t) }
            for i in 0..<days {
                dayTypes[i] = weekdayType[LocalDate.weekday(ofDayNumber: first + i) - 1]
            }
            for (day, kind) in byDay where day >= first && day < end {
                dayTypes[day - first] = kind == .holiday ? -1 : weekdayType[7]
            }
            self.dayTypes = dayTypes
            // Working seconds per day: the schedule's length unless the day has an offset change.
            var typeSeconds = [Int](repeating: 0, count: 8)
            for t in 0..<8 { typeSeconds[t] = types[t].reduce(0) { $0 + $1.count * 60 } }
            var cumulative = [Int](repeating: 0, count: days + 1)
            var total = 0
            for i in 0..<days {
                cumulative[i] = total
                let type = Int(dayTypes[i])
                guard type >= 0 else { continue }
                if dayOffset[i] != Int.min, i + 1 < days, dayOffset[i + 1] == dayOffset[i] {
                    total += typeSeconds[type]
                } else {
                    total += Tables.daySeconds(
                        first + i, type: type, bounds: bounds, boundsStart: starts,
                        instant: { local in
                            let d = WorkingCalendar.floorDiv(local, 86400) - first
                            if d >= 0, d < days, dayOffset[d] != Int.min { return local - dayOffset[d] }
                            return zone.instant(ofLocal: local)
                        })
                }
            }
            cumulative[days] = total
            self.cumulative = cumulative
        }

        private static func dayType(_ day: Int, exceptions: [Int: DayKind], boundsStart: [Int]) -> Int {
            let type: Int
            switch exceptions[day] {
            case .holiday?: return -1
            case .workday?: type = 7
            case nil: type = LocalDate.weekday(ofDayNumber: day) - 1
            }
            return boundsStart[type + 1] > boundsStart[type] ? type : -1
        }

        private static func daySeconds(
            _ day: Int, type: Int, bounds: [Int], boundsStart: [Int], instant: (Int) -> Int
        ) -> Int {
            guard type >= 0 else { return 0 }
            var sum = 0
            var k = boundsStart[type]
            let stop = boundsStart[type + 1]
            let base = day * 86400
            while k < stop {
                let a = instant(base + bounds[k]), b = instant(base + bounds[k + 1])
                if b > a { sum += b - a }
                k += 2
            }
            return sum
        }

        // MARK: Per day

        @inline(__always)
        func dayType(_ day: Int) -> Int {
            let i = day - Tables.tableFirstDay
            if i >= 0, i < dayTypes.count { return Int(dayTypes[i]) }
            return Tables.dayType(day, exceptions: exceptionsByDay, boundsStart: boundsStart)
        }

        @inline(__always)
        func instant(ofLocal local: Int) -> Int {
            let i = WorkingCalendar.floorDiv(local, 86400) - Tables.tableFirstDay
            if i >= 0, i < dayOffset.count {
                let o = dayOffset[i]
                if o != Int.min { return local - o }
            }
            return zone.instant(ofLocal: local)
        }

        /// Working seconds of `day`.
        @inline(__always)
        func daySeconds(_ day: Int) -> Int {
            let i = day - Tables.tableFirstDay
            if i >= 0, i < dayTypes.count { return cumulative[i + 1] - cumulative[i] }
            return Tables.daySeconds(
                day, type: dayType(day), bounds: bounds, boundsStart: boundsStart, instant: instant(ofLocal:))
        }

        /// The day whose working intervals `instant` is measured against: the local day of its
        /// reading, corrected so that `[instant(day 00:00), instant(next day 00:00))` holds it.
        @inline(__always)
        func day(ofInstant s: Int) -> Int {
            var d = WorkingCalendar.floorDiv(s + zone.offset(atInstant: s), 86400)
            while s >= instant(ofLocal: (d + 1) * 86400) { d += 1 }
            while s < instant(ofLocal: d * 86400) { d -= 1 }
            return d
        }

        /// Working seconds of `day` that lie before instant `s`, and whether `s` is working time.
        @inline(__always)
        func worked(on day: Int, before s: Int) -> (seconds: Int, working: Bool) {
            let type = dayType(day)
            guard type >= 0 else { return (0, false) }
            var sum = 0
            var k = boundsStart[type]
            let stop = boundsStart[type + 1]
            let base = day * 86400
            while k < stop {
                let a = instant(ofLocal: base + bounds[k])
                if s < a { return (sum, false) }
                let b = instant(ofLocal: base + bounds[k + 1])
                if s < b { return (sum + s - a, true) }
                if b > a { sum += b - a }
                k += 2
            }
            return (sum, false)
        }

        func isWorking(_ s: Int) -> Bool { worked(on: day(ofInstant: s), before: s).working }

        /// The instant `rem` working seconds into `day` (0 < rem <= daySeconds(day)).
        @inline(__always)
        func locate(_ rem: Int, in day: Int) -> Int {
            let type = dayType(day)
            var rem = rem
            var k = boundsStart[type]
            let stop = boundsStart[type + 1]
            let base = day * 86400
            var last = base
            while k < stop {
                let a = instant(ofLocal: base + bounds[k]), b = instant(ofLocal: base + bounds[k + 1])
                if b > a {
                    if rem <= b - a { return a + rem }
                    rem -= b - a
                    last = b
                }
                k += 2
            }
            return last  // not reached when rem <= daySeconds(day)
        }

        /// Earliest instant at which `n` (> 0) working seconds have elapsed since `s`.
        func add(_ n: Int, to s: Int) throws -> Int {
            guard hasWorkingTime else { throw CalendarError.noWorkingTime }
            var d = day(ofInstant: s)
            // Working seconds still to find, counted from the start of day d.
            var need = n + worked(on: d, before: s).seconds
            var zeroRun = 0
            let count = dayTypes.count
            while true {
                let i = d - Tables.tableFirstDay
                if i >= 0, i < count {
                    let target = cumulative[i] + need
                    if target <= cumulative[count] {
                        // Gallop, then bisect: cumulative[lo] < target <= cumulative[hi].
                        var lo = i, hi = i + 1, step = 1
                        while cumulative[hi] < target {
                            lo = hi
                            step &<<= 1
                            hi = min(lo + step, count)
                        }
                        while hi - lo > 1 {
                            let mid = (lo + hi) >> 1
                            if cumulative[mid] < target { lo = mid } else { hi = mid }
                        }
                        return locate(target - cumulative[lo], in: Tables.tableFirstDay + lo)
                    }
                    let skipped = cumulative[count] - cumulative[i]
                    if skipped > 0 { zeroRun = 0 }
                    need -= skipped
                    d = Tables.tableFirstDay + count
                    continue
                }
                let secs = daySeconds(d)
                if need <= secs { return locate(need, in: d) }
                need -= secs
                if secs == 0 {
                    zeroRun += 1
                    if zeroRun > WorkingCalendar.searchLimitDays { throw CalendarError.noWorkingTime }
                } else {
                    zeroRun = 0
                }
                d += 1
            }
        }

        /// Start of the first working interval strictly after `s` (`s` is not working time).
        func nextIntervalStart(after s: Int) throws -> Int {
            guard hasWorkingTime else { throw CalendarError.noWorkingTime }
            var d = day(ofInstant: s)
            var zeroRun = 0
            while zeroRun <= WorkingCalendar.searchLimitDays {
                let type = dayType(d)
                if type >= 0 {
                    var k = boundsStart[type]
                    let base = d * 86400
                    while k < boundsStart[type + 1] {
                        let a = instant(ofLocal: base + bounds[k]), b = instant(ofLocal: base + bounds[k + 1])
                        if b > a, a > s { return a }
                        k += 2
                    }
                }
                zeroRun = daySeconds(d) == 0 ? zeroRun + 1 : 0
                d += 1
            }
            throw CalendarError.noWorkingTime
        }

        /// Working seconds before instant `t` counted from the table's first day (may be
        /// negative before it): differences of positions are working time between instants.
        func position(_ t: Double) -> Double {
            let floorT = t.rounded(.down)
            let s = Int(floorT)
            let d = day(ofInstant: s)
            let (seconds, working) = worked(on: d, before: s)
            let fraction = working ? t - floorT : 0
            return Double(seconds + daysBefore(d)) + fraction
        }

        /// Working seconds of days `tableFirstDay ..< d` (negative sum of `d ..< tableFirstDay` when
        /// `d` is earlier).
        private func daysBefore(_ d: Int) -> Int {
            let count = dayTypes.count
            let i = d - Tables.tableFirstDay
            if i >= 0, i <= count { return cumulative[i] }
            if i > count {
                var sum = cumulative[count]
                for day in (Tables.tableFirstDay + count)..<d { sum += daySeconds(day) }
                return sum
            }
            var sum = 0
            for day in d..<Tables.tableFirstDay { sum -= daySeconds(day) }
            return sum
        }
    }
}
