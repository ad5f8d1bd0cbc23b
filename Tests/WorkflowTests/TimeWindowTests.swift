import Foundation
import GRDB
import Testing
@testable import Workflow

/// The site's time window (issue 13, defect 2): one rule, stored in the database, anchored on the calendar.
@Suite struct TimeWindowTests {
    static let zone = TestCity.zone
    static let now = TestCity.at("2026-11-25T10:30:00+08:00")

    @Test func theDefaultWindowCountsBackFromTheCalendarsFirstYearElseTheSitesCreationElseTheClock() throws {
        let city = try TestCity()
        var window = try city.store.timeWindow()
        #expect(window.pastYears == 10 && window.futureMinutes == 5 && window.anchor == nil)
        #expect(window.earliest(now: Self.now) == TestCity.at("2016-11-25T00:00:00+08:00"))
        #expect(window.latest(now: Self.now) == TestCity.at("2026-11-25T10:35:00+08:00"))

        let created = try CityStore.inMemory()
        try created.createSite(SiteSettings(model: .centralized), categories: [], departments: [],
                               createdAt: TestCity.at("2024-02-29T12:00:00+08:00"))
        window = try created.timeWindow()
        #expect(window.anchor == .siteCreated(LocalDate(string: "2024-02-29")!))
        #expect(window.earliest(now: Self.now) == TestCity.at("2014-02-28T00:00:00+08:00"), "no 29 February in 2014")

        _ = try created.importCalendar([LocalDate(string: "2025-10-01")!: .holiday, LocalDate(string: "2026-01-01")!: .holiday])
        window = try created.timeWindow()
        #expect(window.anchor == .calendar(LocalDate(string: "2025-01-01")!))
        #expect(window.earliest(now: Self.now) == TestCity.at("2015-01-01T00:00:00+08:00"))
        #expect(window.rule == "calendar start 2025-01-01 minus 10 years, now plus 5 minutes")
    }

    @Test func checkNamesTheTimeAndTheWindow() throws {
        let window = TimeWindow(anchor: .calendar(LocalDate(string: "2026-01-01")!), timeZone: Self.zone)
        #expect(throws: Never.self) { try window.check(Self.now.addingTimeInterval(300), now: Self.now, what: "--at") }
        #expect(throws: Never.self) { try window.check(TestCity.at("2016-01-01T00:00:00+08:00"), now: Self.now, what: "--at") }
        do {
            try window.check(TestCity.at("9999-12-31T23:59:59Z"), now: Self.now, what: "--at", typed: "9999-12-31T23:59:59Z")
            Issue.record("accepted")
        } catch {
            #expect(error == .invalidInput("--at 9999-12-31T23:59:59Z is outside the site's time window: from 2016-01-01T00:00:00+08:00 "
                                           + "to 2026-11-25T10:35:00+08:00 (calendar start 2026-01-01 minus 10 years, now plus 5 minutes)"))
            #expect(error.exitCode == 2)
        }
        #expect(!window.contains(TestCity.at("2015-12-31T23:59:59+08:00"), now: Self.now))
        #expect(!window.contains(Self.now.addingTimeInterval(301), now: Self.now))
        // Whatever the setting, 1900 to 2199 only.
        let wide = TimeWindow(pastYears: 100, futureMinutes: 1440, anchor: .calendar(LocalDate(string: "1950-01-01")!), timeZone: Self.zone)
        #expect(wide.earliest(now: Self.now) == Date(timeIntervalSince1970: -2_208_988_800))
        #expect(wide.contains(TestCity.at("2199-12-31T23:59:59Z"), now: TestCity.at("2199-12-31T23:00:00Z")))
        #expect(!wide.contains(TestCity.at("2200-01-01T00:00:00Z"), now: TestCity.at("2199-12-31T23:00:00Z")))
    }

    @Test func theSettingIsStoredAndTheDatabaseRefusesNonsense() throws {
        let city = try TestCity()
        let window = try city.store.setTimeWindow(pastYears: 30, futureMinutes: nil)
        #expect(window.pastYears == 30 && window.futureMinutes == 5)
        #expect(try city.store.timeWindow() == window)
        #expect(throws: WorkflowError.self) { try city.store.setTimeWindow(pastYears: 101, futureMinutes: nil) }
        #expect(throws: WorkflowError.self) { try city.store.setTimeWindow(pastYears: nil, futureMinutes: 1441) }
        for sql in ["UPDATE time_window SET past_years = 1000", "UPDATE time_window SET future_minutes = -5",
                    "UPDATE time_window SET past_years = 'ten'", "INSERT INTO time_window(id) VALUES (2)"] {
            #expect(throws: WorkflowError.self, "\(sql)") { try city.store.write { db in try db.execute(sql: sql) } }
        }
        #expect(try city.store.timeWindow().pastYears == 30)
    }

    @Test func importRejectsTimesOutsideTheWindow() throws {
        let city = try TestCity()
        _ = try city.store.importCalendar([LocalDate(string: "2026-01-01")!: .holiday])
        var rejects: [ImportReject] = []
        var source = try CSVRecordSource(MemoryByteSource("""
            kind,category,cell,description,source,reported_at
            event,0102,\(TestCity.cellA),fine,hotline,2026-11-25T09:00:00+08:00
            event,0102,\(TestCity.cellA),ancient,hotline,1900-01-01T00:00:00Z
            event,0102,\(TestCity.cellA),minus 100000,hotline,-100000-01-01T00:00:00Z
            """))
        let summary = try city.store.importReports(&source, reporter: "city-intake", channel: nil, at: Self.now,
                                                   options: ImportOptions(skipBad: true, onReject: { rejects.append($0) }))
        #expect(summary.imported == 1)
        #expect(rejects.map(\.line) == [3, 4])
        #expect(rejects[0].reason.contains("reported_at 1900-01-01T00:00:00Z is outside the site's time window: from 2016-01-01"))
        #expect(rejects[1].reason.contains("is not a time"))
    }

    /// Property: for any instant, any clock and any setting, `check` refuses exactly what `contains` excludes, with
    /// exit 2, nothing outside 1900–2199 is ever inside, and nothing on the way traps.
    @Test func anyInstantAnyClockAnySettingIsCheckedWithoutTrapping() {
        var rng = SeededGenerator(seed: 13)
        let calendar = WorkingCalendar(timeZone: Self.zone, weekly: .standard)
        func instant() -> Date {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: Date(timeIntervalSince1970: Double(Int64.random(in: .min ... .max, using: &rng)))
            case 1: Date(timeIntervalSince1970: Double(Int64.random(in: TimeWindow.limits, using: &rng)))
            case 2: Date(timeIntervalSince1970: Double([TimeWindow.limits.lowerBound, TimeWindow.limits.upperBound][Int.random(in: 0...1, using: &rng)]
                                                        + Int64.random(in: -86_400 ... 86_400, using: &rng)))
            default: Self.now.addingTimeInterval(Double(Int.random(in: -400_000_000 ... 400_000_000, using: &rng)))
            }
        }
        var failures = 0
        for _ in 0..<20_000 {
            let anchorDay = LocalDate(dayNumber: Int.random(in: -30_000 ... 90_000, using: &rng))
            let anchor: TimeWindow.Anchor? = switch Int.random(in: 0..<3, using: &rng) {
            case 0: nil
            case 1: .calendar(anchorDay)
            default: .siteCreated(anchorDay)
            }
            let window = TimeWindow(pastYears: Int.random(in: TimeWindow.pastYearsRange, using: &rng),
                                    futureMinutes: Int.random(in: TimeWindow.futureMinutesRange, using: &rng), anchor: anchor, timeZone: Self.zone)
            let (t, now) = (instant(), instant())
            let inside = window.contains(t, now: now)
            var refused: WorkflowError?
            do { try window.check(t, now: now, what: "--at") } catch { refused = error }
            _ = calendar.localDate(of: t)
            _ = calendar.minuteOfDay(of: t)
            _ = window.rule
            let ok = inside == (refused == nil) && (refused?.exitCode ?? 2) == 2 && (!inside || TimeWindow.isPlausible(t))
            if !ok {
                failures += 1
                if failures <= 3 { Issue.record("t \(t.timeIntervalSince1970) now \(now.timeIntervalSince1970) \(window): inside \(inside), \(String(describing: refused))") }
            }
        }
        #expect(failures == 0)
    }
}
