import Foundation
import GRDB
import Testing
@testable import Workflow

/// Rosters, on-duty assignment, pings and coverage (issue 17, part 2).
@Suite struct PatrolTests {
    static let at = TestCity.at

    /// The test city with distinct cell centres: cell n of district A at 39.90 + 0.001·n (about 111 m apart), district B
    /// 0.1° east; a second and a third patrol area in A's community (cells 5–6 near A, 7 far), with their inspectors.
    static func city() throws -> TestCity {
        let city = try TestCity()
        try city.store.write { db in
            for n in 1...4 {
                try db.execute(sql: "UPDATE region SET lat = ?, lon = ? WHERE code = ?", arguments: [39.9 + 0.001 * Double(n), 116.4, "110101001001" + String(format: "%03d", n)])
                try db.execute(sql: "UPDATE region SET lat = ?, lon = ? WHERE code = ?", arguments: [39.9 + 0.001 * Double(n), 116.5, "110102001001" + String(format: "%03d", n)])
            }
        }
        try city.store.addPatrolArea(id: "PA-A2", communityCode: "110101001001", name: "A2")
        try city.store.addPatrolArea(id: "PA-A3", communityCode: "110101001001", name: "A3")
        for (n, row, area) in [(5, 5, "PA-A2"), (6, 6, "PA-A2"), (7, 30, "PA-A3")] {
            try city.store.addCell(GridCell(code: "110101001001" + String(format: "%03d", n), nameZh: "网格\(n)", row: row, col: 0,
                                            lat: 39.9 + 0.001 * Double(n), lon: 116.4, patrolAreaID: area))
        }
        try city.store.addOperator(login: "insp-c", name: "钱监督", role: .inspector, centerID: "CITY-M", patrolAreaID: "PA-A2")
        try city.store.addOperator(login: "insp-d", name: "孙监督", role: .inspector, centerID: "CITY-M", patrolAreaID: "PA-A3")
        return city
    }

    static func lines(_ csv: String) throws -> [RosterLine] { try Roster.parse(csv: csv) }

    // MARK: Shifts and duty

    @Test func shiftsCrossingMidnightEndOnTheNextDay() throws {
        let shifts = try PatrolSettings.parseShifts("day=08:00-20:00, night=20:00-08:00,all=00:00-24:00")
        #expect(shifts.map(\.minutes) == [720, 720, 1440])
        let calendar = try TestCity().store.context().calendar
        let night = shifts[1].interval(on: LocalDate(string: "2026-11-23")!, calendar: calendar)
        #expect(night == Self.at("2026-11-23T20:00:00+08:00") ..< Self.at("2026-11-24T08:00:00+08:00"))
        #expect(throws: WorkflowError.self) { try PatrolSettings.parseShifts("day=08:00-20:00,day=20:00-08:00") }
        #expect(throws: WorkflowError.self) { try PatrolSettings.parseShifts("day=8:00-20:00") }
        #expect(throws: WorkflowError.self) { try PatrolSettings.parseShifts("day=24:00-08:00") }
    }

    @Test func onDutyChangesHandsAtTheShiftChangeInTheSiteTimeZone() throws {
        let calendar = try TestCity().store.context().calendar
        let day = LocalDate(string: "2026-11-23")!
        let entries = [RosterEntry(date: day, shift: "day", patrolArea: "PA-A", inspectorID: 1, inspectorLogin: "a"),
                       RosterEntry(date: day, shift: "night", patrolArea: "PA-A", inspectorID: 2, inspectorLogin: "b")]
        func who(_ time: String) -> [String] {
            Roster.onDuty(at: Self.at(time), entries: entries, shifts: PatrolSettings.defaultShifts, calendar: calendar).map(\.inspectorLogin)
        }
        #expect(who("2026-11-23T07:59:59+08:00") == [])
        #expect(who("2026-11-23T08:00:00+08:00") == ["a"])
        #expect(who("2026-11-23T19:59:59+08:00") == ["a"])
        #expect(who("2026-11-23T20:00:00+08:00") == ["b"])
        // 12:00 UTC is 20:00 in Beijing: the zone is the site's, not UTC.
        #expect(who("2026-11-23T12:00:00Z") == ["b"])
        #expect(who("2026-11-24T07:59:00+08:00") == ["b"])
        #expect(who("2026-11-24T08:00:00+08:00") == [])
    }

    // MARK: Assignment

    @Test func verifyWithoutAnInspectorGoesToWhoeverIsOnDutyAcrossTheShiftChange() throws {
        let city = try Self.city()
        _ = try city.store.importRoster(try Self.lines("""
            date,shift,patrol_area,inspector
            2026-11-23,day,PA-A,insp-a
            2026-11-23,night,PA-A,insp-a2
            """))
        let first = try city.report(by: city.intakeA, source: .hotline, at: Self.at("2026-11-23T19:00:00+08:00"))
        let second = try city.report(by: city.intakeA, source: .hotline, at: Self.at("2026-11-23T19:00:00+08:00"))
        let before = try city.act(.verify, first.id, as: city.intakeA, at: Self.at("2026-11-23T19:59:00+08:00"))
        let after = try city.act(.verify, second.id, as: city.intakeA, at: Self.at("2026-11-23T20:00:00+08:00"))
        let ids = Dictionary(uniqueKeysWithValues: try city.store.operators().map { ($0.login, $0.id) })
        #expect(before.assigneeID == ids["insp-a"])
        #expect(after.assigneeID == ids["insp-a2"])
        // The form's preview asks the same question and gets the same answer.
        let third = try city.report(by: city.intakeA, source: .hotline, at: Self.at("2026-11-23T20:30:00+08:00"))
        let preview = try city.store.preview(ActionRequest(action: .verify, caseID: third.id, actor: city.intakeA), at: Self.at("2026-11-23T21:00:00+08:00"))
        #expect(preview.assigneeID == ids["insp-a2"])
    }

    @Test func withoutARosterAVerifyStillNeedsAnInspector() throws {
        let city = try Self.city()
        let c = try city.report(by: city.intakeA, source: .hotline)
        #expect(throws: WorkflowError.refusal(.missingTarget(.verify))) { try city.act(.verify, c.id, as: city.intakeA, at: TestCity.monday9) }
        let named = try city.act(.verify, c.id, as: city.intakeA, to: "insp-a", at: TestCity.monday9)
        #expect(named.state == .verifying)
    }

    @Test func nobodyOnDutyInTheAreaSendsTheTaskToTheNearestAreaOfTheDistrict() throws {
        let city = try Self.city()
        _ = try city.store.importRoster(try Self.lines("""
            2026-11-23,day,PA-A3,insp-d
            2026-11-23,day,PA-A2,insp-c
            2026-11-23,day,PA-B,insp-b
            """))
        let c = try city.report(by: city.intakeA, source: .hotline)
        let cover = try #require(try city.store.dutyCover(cell: TestCity.cellA, at: TestCity.monday9))
        #expect(cover.patrolArea == "PA-A2" && !cover.ownArea)
        let verified = try city.act(.verify, c.id, as: city.intakeA, at: TestCity.monday9)
        let ids = Dictionary(uniqueKeysWithValues: try city.store.operators().map { ($0.login, $0.id) })
        #expect(verified.assigneeID == ids["insp-c"])
        // An inspector of another district is no neighbour, even when named.
        let other = try city.report(by: city.intakeA, source: .hotline)
        #expect(throws: WorkflowError.self) { try city.act(.verify, other.id, as: city.intakeA, to: "insp-b", at: TestCity.monday9) }
        // Off duty everywhere (the next morning has no roster): a task must name someone.
        #expect(throws: WorkflowError.self) { try city.act(.verify, other.id, as: city.intakeA, at: Self.at("2026-11-24T09:00:00+08:00")) }
    }

    @Test func aTaskWhoseInspectorGoesOffDutyShowsOnTheShiftLeadsBoard() throws {
        let city = try Self.city()
        _ = try city.store.importRoster(try Self.lines("2026-11-23,day,PA-A,insp-a\n2026-11-23,night,PA-A,insp-a2\n"))
        let c = try city.report(by: city.intakeA, source: .hotline, at: Self.at("2026-11-23T19:00:00+08:00"))
        _ = try city.act(.verify, c.id, as: city.intakeA, at: Self.at("2026-11-23T19:30:00+08:00"))
        let lead = try #require(try city.store.operators().first { $0.login == city.leadA })
        #expect(try city.store.overdueBoard(for: lead, at: Self.at("2026-11-23T19:45:00+08:00"), handlingTimes: nil).offDuty.isEmpty)
        let board = try city.store.overdueBoard(for: lead, at: Self.at("2026-11-23T20:05:00+08:00"), handlingTimes: nil)
        #expect(board.offDuty.map(\.serviceCase.id) == [c.id])
        #expect(board.offDuty.first?.responsible == "insp-a")
        // The shift lead moves it to the inspector now on duty; then it is off the list.
        _ = try city.act(.reassign, c.id, as: city.leadA, to: "insp-a2", note: "night shift", at: Self.at("2026-11-23T20:06:00+08:00"))
        #expect(try city.store.overdueBoard(for: lead, at: Self.at("2026-11-23T20:07:00+08:00"), handlingTimes: nil).offDuty.isEmpty)
    }

    // MARK: Roster import

    @Test func aRosterWithBadRowsIsRefusedWithEveryLineAndNothingIsImported() throws {
        let city = try Self.city()
        #expect(throws: RosterRefusal.self) { try Roster.parse(csv: "2026-11-23,day,PA-A,insp-a\n2026-02-30,day,PA-A,insp-a\n2026-11-23,day,PA-A\n") }
        do {
            _ = try Roster.parse(csv: "2026-11-23,day,PA-A,insp-a\n2026-02-30,day,PA-A,insp-a\n2026-11-23,day,PA-A\n")
        } catch {
            #expect(error.problems.map(\.line) == [2, 3])
        }
        let lines = try Self.lines("""
            2026-11-23,day,PA-A,insp-a
            2026-11-23,evening,PA-A,insp-a
            2026-11-23,night,PA-X,insp-a
            2026-11-23,night,PA-A,nobody
            2026-11-23,night,PA-B,city-lead
            2026-11-23,day,PA-A,insp-a2
            2026-11-24,dawn,PA-B,insp-b
            """)
        do {
            _ = try city.store.importRoster(lines)
            Issue.record("a roster with bad rows was imported")
        } catch {
            let text = error.message
            for line in 2...7 { #expect(text.contains("line \(line):"), "\(text)") }
            #expect(!text.contains("line 1:"))
            #expect(text.hasPrefix("6 rows refused, nothing imported"))
        }
        #expect(try city.store.roster(from: LocalDate(string: "2026-11-01")!, to: LocalDate(string: "2026-11-30")!).isEmpty)
    }

    @Test func importingADayAgainReplacesThatDayOnly() throws {
        let city = try Self.city()
        _ = try city.store.importRoster(try Self.lines("2026-11-23,day,PA-A,insp-a\n2026-11-24,day,PA-A,insp-a\n"))
        let again = try city.store.importRoster(try Self.lines("2026-11-23,night,PA-A,insp-a2\n"))
        #expect(again == RosterImportResult(rows: 1, days: [LocalDate(string: "2026-11-23")!], replaced: 1))
        let rows = try city.store.roster(from: LocalDate(string: "2026-11-23")!, to: LocalDate(string: "2026-11-24")!)
        #expect(rows.map { "\($0.date) \($0.shift) \($0.inspectorLogin)" } == ["2026-11-23 night insp-a2", "2026-11-24 day insp-a"])
    }

    // MARK: Pings

    @Test func aPingFallsInTheCellWithTheNearestCentreWithinReach() throws {
        let city = try Self.city()
        #expect(try city.store.patrolCell(lat: 39.902, lon: 116.4) == "110101001001002")
        // 44 m from cell 2's centre, 67 m from cell 1's.
        #expect(try city.store.patrolCell(lat: 39.9016, lon: 116.4) == "110101001001002")
        #expect(try city.store.patrolCell(lat: 39.9014, lon: 116.4) == "110101001001001")
        #expect(try city.store.patrolCell(lat: 39.903, lon: 116.5) == "110102001001003")
        // 200 m beyond the last cell: outside the city's cells.
        #expect(try city.store.patrolCell(lat: 39.909, lon: 116.4) == nil)
        let ping = try city.store.ping(inspector: "insp-a", lat: 39.9016, lon: 116.4, at: TestCity.monday9)
        #expect(ping.cellCode == "110101001001002" && ping.inspectorLogin == "insp-a" && ping.at == TestCity.monday9)
        #expect(throws: WorkflowError.self) { try city.store.ping(inspector: "city-lead", lat: 39.9, lon: 116.4, at: TestCity.monday9) }
        #expect(throws: WorkflowError.self) { try city.store.ping(inspector: "insp-a", lat: 91, lon: 116.4, at: TestCity.monday9) }
    }

    @Test func aPingFileWithABadLineImportsNothing() throws {
        let city = try Self.city()
        let csv = """
            inspector,time,lat,lon
            insp-a,2026-11-23T09:00:00+08:00,39.901,116.4
            insp-a,2026-11-23 09:05,39.902,116.4
            nobody,2026-11-23T09:10:00+08:00,39.903,116.4
            insp-a,yesterday,39.903,116.4
            insp-a,2026-11-23T09:10:00+08:00,north,116.4
            """
        do {
            _ = try city.store.importPings(csv: MemoryByteSource(csv), at: TestCity.monday9)
            Issue.record("imported a file with bad lines")
        } catch {
            #expect(error.message.hasPrefix("3 pings refused, nothing imported"), "\(error.message)")
            for line in 4...6 { #expect(error.message.contains("line \(line):")) }
        }
        #expect(try city.store.cellVisits(hours: 24, at: TestCity.monday9).isEmpty)
        let good = try city.store.importPings(csv: MemoryByteSource(csv.split(separator: "\n").prefix(3).joined(separator: "\n")), at: TestCity.monday9)
        #expect(good.imported == 2 && good.inspectors == 1 && good.outside == 0)
        #expect(good.first == Self.at("2026-11-23T09:00:00+08:00") && good.last == Self.at("2026-11-23T09:05:00+08:00"))
    }

    @Test func gpxTracksBecomePingsOfTheTrackNamedInspector() throws {
        let gpx = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
              <trk><name>insp-a</name><trkseg>
                <trkpt lat="39.901" lon="116.4"><ele>40</ele><time>2026-11-23T01:00:00Z</time></trkpt>
                <trkpt lat="39.902" lon="116.4"><time>2026-11-23T01:05:00Z</time></trkpt>
              </trkseg></trk>
              <trk><name>insp-b</name><trkseg><trkpt lat="39.903" lon="116.5"><time>2026-11-23T01:06:00Z</time></trkpt></trkseg></trk>
            </gpx>
            """
        let pings = try PingText.gpx(Data(gpx.utf8), inspector: nil, zone: TestCity.zone)
        #expect(pings.map(\.inspector) == ["insp-a", "insp-a", "insp-b"])
        #expect(pings.map(\.at) == [Self.at("2026-11-23T09:00:00+08:00"), Self.at("2026-11-23T09:05:00+08:00"), Self.at("2026-11-23T09:06:00+08:00")])
        #expect(try PingText.gpx(Data(gpx.utf8), inspector: "insp-c", zone: TestCity.zone).allSatisfy { $0.inspector == "insp-c" })
        let bad = gpx.replacingOccurrences(of: "<time>2026-11-23T01:05:00Z</time>", with: "")
        #expect(throws: PingRefusal(problems: [PingProblem(line: 2, text: "the point has no time")], count: 1)) {
            try PingText.gpx(Data(bad.utf8), inspector: nil, zone: TestCity.zone)
        }
        #expect(throws: PingRefusal.self) { try PingText.gpx(Data("<gpx><trk>".utf8), inspector: nil, zone: TestCity.zone) }
    }

    // MARK: Coverage

    /// insp-a walks cells 1 and 2 of PA-A in the morning of the 23rd; insp-b was in cell B1 28 hours before noon.
    static func walkedCity() throws -> TestCity {
        let city = try city()
        _ = try city.store.importPings(csv: MemoryByteSource("""
            insp-a,2026-11-23T09:00:00+08:00,39.901,116.4
            insp-a,2026-11-23T10:00:00+08:00,39.902,116.4
            insp-a,2026-11-23T10:30:00+08:00,39.902,116.4
            insp-b,2026-11-22T08:00:00+08:00,39.901,116.5
            """), at: Self.at("2026-11-23T12:00:00+08:00"))
        return city
    }

    @Test func coverageCountsCellsVisitedInTheWindowOverCells() throws {
        let city = try Self.walkedCity()
        let noon = Self.at("2026-11-23T12:00:00+08:00")
        func rates(_ by: CoverageGrouping, _ hours: Int, _ at: Date = noon) throws -> [String: String] {
            let report = try city.store.patrolCoverage(by: by, hours: hours, at: at)
            return Dictionary(uniqueKeysWithValues: (report.rows + [report.total]).map { ($0.key, "\($0.visited)/\($0.cells)") })
        }
        // 11 cells: PA-A 4, PA-A2 2, PA-A3 1, PA-B 4.
        #expect(try rates(.patrolArea, 24) == ["PA-A": "2/4", "PA-A2": "0/2", "PA-A3": "0/1", "PA-B": "0/4", "TOTAL": "2/11"])
        #expect(try rates(.patrolArea, 48) == ["PA-A": "2/4", "PA-A2": "0/2", "PA-A3": "0/1", "PA-B": "1/4", "TOTAL": "3/11"])
        #expect(try rates(.street, 48) == ["110101001": "2/7", "110102001": "1/4", "TOTAL": "3/11"])
        let inspectors = try rates(.inspector, 48)
        #expect(inspectors["insp-a"] == "2/4" && inspectors["insp-a2"] == "0/4" && inspectors["insp-b"] == "1/4" && inspectors["insp-c"] == "0/2")
        // As of 09:30 (a ping after it exists): only cell 1 had been walked.
        #expect(try rates(.patrolArea, 24, Self.at("2026-11-23T09:30:00+08:00"))["PA-A"] == "1/4")
        let report = try city.store.patrolCoverage(by: .patrolArea, hours: 24, at: noon)
        #expect(report.rows.first { $0.key == "PA-A" }?.rate == 50)
        #expect(report.total.rate.map { ($0 * 100).rounded() / 100 } == 18.18)
    }

    @Test func cellsNotVisitedWithinTheIntervalAreListedLongestFirst() throws {
        let city = try Self.walkedCity()
        let noon = Self.at("2026-11-23T12:00:00+08:00")
        let list = try city.store.neglectedCells(within: nil, at: noon, limit: 100)
        #expect(list.hours == 24 && list.total == 9)
        // Never visited first (by code), then the cell last seen 28 hours ago.
        #expect(list.cells.first?.cellCode == "110101001001003" && list.cells.first?.lastVisit == nil)
        #expect(list.cells.last?.cellCode == "110102001001001" && list.cells.last?.lastVisit == Self.at("2026-11-22T08:00:00+08:00"))
        #expect(try city.store.neglectedCells(within: "110102", at: noon, limit: 2).cells.count == 2)
        var settings = try city.store.patrolSettings()
        settings.intervalHours = 48
        try city.store.setPatrolSettings(settings)
        #expect(try city.store.neglectedCells(within: nil, at: noon, limit: 100).total == 8)
    }
}
