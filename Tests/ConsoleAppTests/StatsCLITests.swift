import Foundation
import Testing
import Workflow

/// `citygrid stats` and `citygrid bulletin`, run as an outside script would, on the seeded demo city
/// (400 cases over 3 days ending at CLI.now, 2026-11-25 10:30 Beijing time).
@Suite struct StatsCLITests {
    static let now = try! InstantFormat(timeZone: TimeZone(identifier: "Asia/Shanghai")!).parse(CLI.now)

    /// Splits CSV text into rows of fields (quoted fields may hold commas, quotes and line breaks).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = ""
        var quoted = false
        var chars = Array(text).makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { field.append("\"") } else {
                            quoted = false
                            if n == "," { row.append(field); field = "" } else if n == "\n" || n == "\r\n" { row.append(field); rows.append(row); row = []; field = "" } else { field.append(n) }
                        }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { row.append(field); field = "" }
            else if c == "\n" || c == "\r\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows.filter { !($0.count == 1 && $0[0].isEmpty) }
    }

    @Test func statsJSONHasEveryIndicatorForEveryDistrictAndMatchesTheLibrary() throws {
        let db = try CLI.demoCopy()
        let result = try CLI.run(["stats", "--json"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        let object = result.object
        #expect(object["from"] as? String == "2026-11-01" && object["to"] as? String == "2026-11-26", "default: this month up to now")
        #expect(object["grouping"] as? String == "district")
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.map { $0["key"] as? String } == ["110101", "110102", "110105"])
        let first = try #require(rows.first)
        for key in ["key", "name", "name_en", "role", "counts", "overdue_now", "should_close", "indicators", "stage_times", "score"] {
            #expect(first.keys.contains(key), "\(key)")
        }
        let indicators = try #require(first["indicators"] as? [String: Any])
        #expect(Set(indicators.keys) == Set(Indicator.allCases.map(\.rawValue) + ["patrol_coverage"]))
        let score = try #require(first["score"] as? [String: Any])
        #expect(["A", "B", "C", "D", "E"].contains(score["band"] as? String ?? ""))
        let parts = try #require(score["parts"] as? [[String: Any]])
        #expect(parts.map { $0["indicator"] as? String } == ["public_report_share", "cases_filed", "closure_rate", "on_time_closure_rate"])
        #expect(parts.map { $0["weight"] as? Double } == [10, 20, 30, 40])
        // The same numbers as the library computes on the same database.
        let store = try CityStore.open(path: db)
        let library = try store.evaluation(EvaluationQuery(period: try EvaluationPeriod(from: LocalDate(string: "2026-11-01")!,
                                                                                          to: LocalDate(string: "2026-11-26")!),
                                                           grouping: .district), at: Self.now)
        let total = try #require(object["total"] as? [String: Any])
        let counts = try #require(total["counts"] as? [String: Any])
        #expect(counts["filed"] as? Int == Int(library.total.counts[.filed]) && library.total.counts[.filed] > 0)
        #expect(counts["reports"] as? Int == 400, "every demo case was reported in these three days")
        #expect(total["overdue_now"] as? Int == library.total.inputs.overdueNow)
        let closure = (total["indicators"] as? [String: Any])?["closure_rate"] as? Double
        #expect(closure == library.total.value(.closureRate).map { ($0 * 100).rounded() / 100 })
    }

    @Test func statsByOperatorCSVAndMarkdown() throws {
        let db = try CLI.demoCopy()
        let csv = try CLI.run(["stats", "--by", "operator", "--csv"], db: db)
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = Self.parseCSV(csv.stdout)
        let header = try #require(table.first)
        for column in ["key", "name", "role", "reports", "filed", "valid_report_rate", "on_time_dispatch_rate", "handling_p90_min", "score", "band"] {
            #expect(header.contains(column), "\(column)")
        }
        #expect(table.dropFirst().allSatisfy { $0.count == header.count })
        #expect(table.last?.first == "TOTAL")
        let role = header.firstIndex(of: "role")!, band = header.firstIndex(of: "band")!
        let dispatchers = table.filter { $0[role] == "dispatcher" }
        #expect(!dispatchers.isEmpty && dispatchers.allSatisfy { ["A", "B", "C", "D", "E", "n/a"].contains($0[band]) })
        #expect(table.contains { $0[role] == "inspector" && $0[band] != "n/a" })

        let md = try CLI.run(["stats", "--by", "street", "--within", "110101", "--md"], db: db)
        #expect(md.status == 0, "\(md.stderr)")
        let lines = md.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("# ") == true)
        let rows = lines.filter { $0.hasPrefix("| 110101") }
        #expect(rows.count == 10, "the ten streets of 110101")
        #expect(lines.contains { $0.hasPrefix("| TOTAL | ") })

        let table2 = try CLI.run(["stats", "--by", "category"], db: db)
        #expect(table2.status == 0 && table2.stdout.contains("TOTAL") && table2.stdout.contains("VALID%"))
    }

    @Test func explainShowsHowAScoreWasMade() throws {
        let db = try CLI.demoCopy()
        let result = try CLI.run(["stats", "--by", "district", "--explain", "110101"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("INDICATOR") && result.stdout.contains("WEIGHT") && result.stdout.contains("POINTS"))
        #expect(result.stdout.contains("closure_rate") && result.stdout.contains("on_time_closure_rate"))
        let missing = try CLI.run(["stats", "--explain", "999999"], db: db)
        #expect(missing.status == 5)
    }

    @Test func weightsAreSiteConfigurationEditableFromTheCommandLine() throws {
        let db = try CLI.demoCopy()
        let shown = try CLI.run(["stats", "--weights", "--json"], db: db)
        #expect(shown.status == 0, "\(shown.stderr)")
        let weights = shown.object["weights"] as? [[String: Any]] ?? []
        #expect(weights.count == 18 && weights.first?["subject"] as? String == "inspector")
        #expect((shown.object["bands"] as? [[String: Any]])?.map { $0["band"] as? String } == ["A", "B", "C", "D", "E"])
        let set = try CLI.run(["stats", "--set-weight", "region:public_report_share=0", "--set-weight", "region:open311_on_time_rate=10",
                               "--set-band", "A=95"], db: db)
        #expect(set.status == 0 && set.stdout.contains("open311_on_time_rate") && set.stdout.contains("A ≥ 95"), "\(set.stderr)")
        let after = try CLI.run(["stats", "--json"], db: db).object
        let parts = ((after["rows"] as? [[String: Any]])?.first?["score"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
        #expect(parts.map { $0["indicator"] as? String } == ["cases_filed", "closure_rate", "on_time_closure_rate", "open311_on_time_rate"])
        #expect(try CLI.run(["stats", "--set-weight", "region:happiness=5"], db: db).status == 2)
        #expect(try CLI.run(["stats", "--set-weight", "region:closure_rate=-5"], db: db).status == 2)
        #expect(try CLI.run(["stats", "--set-weight", "closure_rate"], db: db).status == 2)
    }

    @Test func periodsAndRefusals() throws {
        let db = try CLI.demoCopy()
        let day = try CLI.run(["stats", "--from", "2026-11-24", "--to", "2026-11-25", "--by", "city", "--json"], db: db)
        #expect(day.status == 0, "\(day.stderr)")
        let dayRows = day.object["rows"] as? [[String: Any]] ?? []
        #expect(dayRows.count == 1)
        let nothing = try CLI.run(["stats", "--from", "2026-10-01", "--to", "2026-11-01", "--json"], db: db)
        #expect(nothing.status == 0)
        let total = nothing.object["total"] as? [String: Any] ?? [:]
        let indicators = total["indicators"] as? [String: Any] ?? [:]
        #expect(indicators["closure_rate"] is NSNull, "nothing filed in October: n/a, not a crash")
        #expect((nothing.object["rows"] as? [[String: Any]])?.allSatisfy { $0["score"] is NSNull } == true)
        #expect(try CLI.run(["stats", "--from", "2026-11-31"], db: db).status == 2)
        #expect(try CLI.run(["stats", "--from", "2026-11-20", "--to", "2026-11-10"], db: db).status == 2)
        #expect(try CLI.run(["stats", "--by", "planet"], db: db).status == 64)
        #expect(try CLI.run(["stats", "--by", "department", "--within", "110101"], db: db).status == 2)
        #expect(try CLI.run(["stats", "--by", "street", "--within", "110109"], db: db).status == 5)
        #expect(try CLI.run(["stats", "--json", "--csv"], db: db).status == 64)
        #expect(try CLI.run(["bulletin", "monthly", "--month", "2026-13"], db: db).status == 2)
        #expect(try CLI.run(["stats"], db: CLI.temporaryDatabase()).status == 6)
    }

    @Test func dailyBulletinListsOverdueCasesWithoutPhoneNumbersOrControlCharacters() throws {
        let db = try CLI.demoCopy()
        // A case with a phone number and an escape sequence in its text, overdue since the day before.
        let store = try CityStore.open(path: db)
        let cell = try #require(try store.cells(inRegion: "110101001").first { $0.patrolAreaID != nil })
        let inspector = try #require(try store.operators().first { $0.role == .inspector && $0.patrolAreaID == cell.patrolAreaID })
        let planted = try store.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: cell.code,
                                                   description: "\u{1B}[31m垃圾 call 139-1234-5678 now", reporterName: "王先生",
                                                   reporterPhone: "13800138000"),
                                       by: inspector.login, at: Self.now.addingTimeInterval(-86_400))
        let result = try CLI.run(["bulletin", "daily", "--cases", "1000"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("# 城市管理日曝光 Daily exposure — 2026-11-25"))
        #expect(text.contains("## Most overdue open cases"))
        #expect(text.contains("| \(planted.id) |"), "the planted case is overdue")
        #expect(!text.contains("13800138000") && !text.contains("1234-5678") && !text.contains("\u{1B}"))
        #expect(!text.contains("王先生"), "no reporter names either")
        #expect(text.contains("## Worst streets") && text.contains("## Worst departments"))

        let csv = try CLI.run(["bulletin", "daily", "--date", "2026-11-24", "--csv", "--cases", "1000"], db: db)
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = Self.parseCSV(csv.stdout)
        let sections = Set(table.dropFirst().map { $0.first ?? "" })
        #expect(table.first?.first == "section" && sections.isSuperset(of: ["day", "overdue_case", "worst_region", "worst_department"]))
        #expect(table.dropFirst().allSatisfy { $0.count == table.first?.count })
        #expect(!csv.stdout.contains("13800138000") && !csv.stdout.contains("1234-5678") && !csv.stdout.contains("\u{1B}"))
    }

    @Test func monthlyBulletinRanksWithBandsAndMonthOnMonthChange() throws {
        let db = try CLI.demoCopy()
        let result = try CLI.run(["bulletin", "monthly"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("# 城市管理月通报 Monthly bulletin — 2026-11"))
        for section in ["## Totals", "## Districts", "## Streets", "## Departments", "## Dispatchers", "## Shift leads", "## Inspectors"] {
            #expect(text.contains(section), "\(section)")
        }
        #expect(text.contains("Bands: A "))
        #expect(text.contains("| closure_rate |"))
        let october = try CLI.run(["bulletin", "monthly", "--month", "2026-10", "--md"], db: db)
        #expect(october.status == 0 && october.stdout.contains("Nothing to rank this period."))
        let csv = try CLI.run(["bulletin", "monthly", "--csv"], db: db)
        #expect(csv.status == 0, "\(csv.stderr)")
        let table = Self.parseCSV(csv.stdout)
        let header = try #require(table.first)
        #expect(Array(header.prefix(9)) == ["section", "rank", "key", "name", "score", "band", "previous_score", "change", "overdue_now"])
        #expect(table.dropFirst().first?.first == "total")
        let districts = table.filter { $0.first == "district" }
        #expect(districts.map { $0[1] } == ["1", "2", "3"], "ranked 1…3")
        let scores = districts.compactMap { Double($0[4]) }
        #expect(scores == scores.sorted(by: >), "best first")
    }
}

extension StatsCLITests {
    @Test func quarterlyAndAnnualBulletinsCompareWithTheSpanBefore() throws {
        let db = try CLI.demoCopy()
        let quarter = try CLI.run(["bulletin", "quarterly", "--quarter", "2026Q4"], db: db)
        #expect(quarter.status == 0, "\(quarter.stderr)")
        #expect(quarter.stdout.contains("# 城市管理季度通报 Quarterly bulletin — 2026Q4"))
        #expect(quarter.stdout.contains("2026-10-01 – 2026-12-31 (compared with 2026-07-01 – 2026-09-30)"))
        #expect(quarter.stdout.contains("| # | key | name | score | band | previous | previous band | change |"))
        // The demo's history starts in late October: nothing was ranked the quarter before, so every band is new.
        let districts = try #require(quarter.stdout.components(separatedBy: "## Districts (区)").last)
        #expect(districts.contains("Band changes on the previous period (等级变化): 0 up · 0 down · 0 same · 3 new"), "\(districts.prefix(400))")
        // The default is the quarter holding today.
        #expect(try CLI.run(["bulletin", "quarterly"], db: db).stdout.contains("Quarterly bulletin — 2026Q4"))
        let annual = try CLI.run(["bulletin", "annual", "--year", "2026", "--csv"], db: db)
        #expect(annual.status == 0, "\(annual.stderr)")
        let table = Self.parseCSV(annual.stdout)
        #expect(table.first?.last == "previous_band" && table.dropFirst().allSatisfy { $0.count == table.first?.count })
        #expect(try CLI.run(["bulletin", "annual"], db: db).stdout.contains("# 城市管理年度通报 Annual bulletin — 2026"))
        // November against October, where the demo has a few days: bands move or stay, each row counted once.
        let monthly = try CLI.run(["bulletin", "monthly", "--month", "2026-11"], db: db).stdout
        let line = try #require(monthly.split(separator: "\n").first { $0.hasPrefix("Band changes") })
        let counts = line.split(separator: ":").last!.split(separator: "·").compactMap { Int($0.split(separator: " ").first ?? "") }
        #expect(counts.count == 4 && counts.reduce(0, +) == 3, "three districts: \(line)")
        for bad in [["bulletin", "quarterly", "--quarter", "2026Q5"], ["bulletin", "annual", "--year", "26"], ["stats", "--quarter", "Q1"]] {
            #expect(try CLI.run(bad, db: db).status == 2, "\(bad)")
        }
    }

    @Test func statsTakesAQuarterOrAYear() throws {
        let db = try CLI.demoCopy()
        let q = try CLI.run(["stats", "--quarter", "2026Q4", "--json"], db: db)
        #expect(q.status == 0, "\(q.stderr)")
        #expect(q.object["from"] as? String == "2026-10-01" && q.object["to"] as? String == "2027-01-01")
        let y = try CLI.run(["stats", "--year", "2026", "--by", "city", "--json"], db: db)
        #expect(y.object["from"] as? String == "2026-01-01" && y.object["to"] as? String == "2027-01-01")
        // The year holds everything the month does (the demo's history is in October and November).
        let month = try CLI.run(["stats", "--from", "2026-10-01", "--to", "2026-12-01", "--by", "city", "--json"], db: db)
        let yearTotal = y.object["total"] as? [String: Any], monthTotal = month.object["total"] as? [String: Any]
        #expect((yearTotal?["counts"] as? [String: Any])?["filed"] as? Int == (monthTotal?["counts"] as? [String: Any])?["filed"] as? Int)
        #expect(try CLI.run(["stats", "--quarter", "2026Q4", "--from", "2026-10-01"], db: db).status == 64)
        #expect(try CLI.run(["stats", "--quarter", "2026Q4", "--year", "2026"], db: db).status == 64)
    }
}

/// 巡查覆盖率 as an indicator of `citygrid stats` (issue 17 §2): hand-counted from three pings of one inspector.
@Suite struct StatsPatrolCoverageCLITests {
    @Test func statsGivesPatrolCoverageWithItsTermsWhereTheGroupingHasCells() throws {
        let db = try CLI.demoCopy()
        let patrol = PatrolCLITests()
        let (area, inspector) = try patrol.areaAndInspector(db)
        let cells = try CLI.run(["regions", "--level", "cell", "--json"], db: db).array
        let own = cells.filter { $0["patrol_area"] as? String == area }.sorted { ($0["code"] as? String ?? "") < ($1["code"] as? String ?? "") }
        try #require(own.count >= 3)
        let code = { (c: [String: Any]) in c["code"] as? String ?? "" }
        let at = { (c: [String: Any]) in "\(c["lat"] as? Double ?? 0),\(c["lon"] as? Double ?? 0)" }
        // Two cells within the last 24 hours (the site's interval) before now, 10:30; a third two days ago.
        let csv = try patrol.file("pings.csv", """
            \(inspector),2026-11-25T09:00:00+08:00,\(at(own[0]))
            \(inspector),2026-11-25T09:30:00+08:00,\(at(own[1]))
            \(inspector),2026-11-23T09:00:00+08:00,\(at(own[2]))
            """)
        #expect(try CLI.run(["patrol", "import", csv], db: db).status == 0)
        let street = String(code(own[0]).prefix(9))
        #expect(code(own[1]).hasPrefix(street), "a patrol area lies in one community")
        let streetCells = cells.filter { code($0).hasPrefix(street) }.count

        func terms(_ row: [String: Any]?) -> [Int]? {
            guard let t = row?["patrol_coverage"] as? [String: Any] else { return nil }
            return [t["numerator"] as? Int ?? -1, t["denominator"] as? Int ?? -1]
        }
        func rate(_ row: [String: Any]?) -> Double? { (row?["indicators"] as? [String: Any])?["patrol_coverage"] as? Double }
        func stats(_ args: [String]) throws -> [String: Any] {
            let result = try CLI.run(["stats", "--json"] + args, db: db)
            #expect(result.status == 0, "\(result.stderr)")
            return result.object
        }
        func row(_ object: [String: Any], _ key: String) -> [String: Any]? { (object["rows"] as? [[String: Any]])?.first { $0["key"] as? String == key } }

        let byArea = try stats(["--by", "patrol-area"])
        #expect(byArea["patrol_coverage_at"] as? String == CLI.now && byArea["patrol_coverage_hours"] as? Int == 24)
        #expect(terms(row(byArea, area)) == [2, own.count])
        #expect(rate(row(byArea, area)) == ((200.0 / Double(own.count)) * 100).rounded() / 100)
        #expect(terms(byArea["total"] as? [String: Any]) == [2, cells.count], "the city: every cell")
        let other = try #require((byArea["rows"] as? [[String: Any]])?.first { $0["key"] as? String != area && $0["key"] as? String != "-" })
        #expect(terms(other) == [0, terms(other)?[1] ?? -1] && rate(other) == 0)

        let byStreet = try stats(["--by", "street", "--within", String(street.prefix(6))])
        #expect(terms(row(byStreet, street)) == [2, streetCells])
        #expect(terms(byStreet["total"] as? [String: Any]) == [2, cells.filter { code($0).hasPrefix(String(street.prefix(6))) }.count],
                "the total is the --within district's")

        // By operator: an inspector's own area's cells they visited; other roles walk no area.
        let byOperator = try stats(["--by", "operator"])
        if let mine = row(byOperator, inspector) { #expect(terms(mine) == [2, own.count]) }
        let dispatcher = try #require((byOperator["rows"] as? [[String: Any]])?.first { $0["role"] as? String == "dispatcher" })
        #expect(dispatcher["patrol_coverage"] is NSNull && rate(dispatcher) == nil)

        // Categories have no cells: null, the total still the city's.
        let byCategory = try stats(["--by", "category"])
        #expect((byCategory["rows"] as? [[String: Any]])?.allSatisfy { $0["patrol_coverage"] is NSNull } == true)
        #expect(terms(byCategory["total"] as? [String: Any]) == [2, cells.count])

        // A past period: measured at its end (the 24th, 00:00), when only the ping of the 23rd was within 24 hours.
        let past = try stats(["--by", "patrol-area", "--from", "2026-11-01", "--to", "2026-11-24"])
        #expect(past["patrol_coverage_at"] as? String == "2026-11-24T00:00:00+08:00")
        #expect(terms(row(past, area)) == [1, own.count])
    }
}
