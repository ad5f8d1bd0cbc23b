import Foundation
import Testing
import Workflow

/// The source's headline rates (发现率、处置率、解决率) and `stats --by center` on the command line, on the seeded demo city.
extension StatsCLITests {
    /// A row's headline terms as the JSON gives them, and the indicator values.
    static func headline(_ row: [String: Any]) -> [String: (numerator: Int?, denominator: Int?, value: Double?)] {
        let terms = row["terms"] as? [String: Any] ?? [:]
        let indicators = row["indicators"] as? [String: Any] ?? [:]
        var result: [String: (Int?, Int?, Double?)] = [:]
        for name in ["found_rate", "handling_rate", "resolution_rate"] {
            let t = terms[name] as? [String: Any]
            result[name] = (t?["numerator"] as? Int, t?["denominator"] as? Int, indicators[name] as? Double)
        }
        return result
    }

    @Test func statsJSONHasTheHeadlineRatesWithTheirTermsForEveryGrouping() throws {
        let db = try CLI.demoCopy()
        let store = try CityStore.open(path: db)
        let period = try EvaluationPeriod(from: LocalDate(string: "2026-11-01")!, to: LocalDate(string: "2026-11-26")!)
        for grouping in EvaluationGrouping.allCases {
            let result = try CLI.run(["stats", "--json", "--by", grouping.rawValue], db: db)
            #expect(result.status == 0, "\(grouping): \(result.stderr)")
            let rows = (result.object["rows"] as? [[String: Any]] ?? []) + [result.object["total"] as? [String: Any] ?? [:]]
            let library = try store.evaluation(EvaluationQuery(period: period, grouping: grouping), at: Self.now)
            #expect(rows.count == library.rows.count + 1, "\(grouping)")
            for (json, row) in zip(rows, library.rows + [library.total]) {
                #expect(json["key"] as? String == row.key)
                let counts = json["counts"] as? [String: Any] ?? [:]
                #expect(counts["filed_closed"] as? Int == Int(row.counts[.filedClosed]))
                #expect(counts["assigned_handled"] as? Int == Int(row.counts[.assignedHandled]))
                #expect(json["should_resolve"] as? Int == Int(row.inputs.shouldResolve))
                let headline = Self.headline(json)
                for indicator in Indicator.headline {
                    let got = try #require(headline[indicator.rawValue])
                    let terms = row.inputs.terms(indicator)
                    #expect(got.numerator == terms.map { Int($0.numerator) } && got.denominator == terms?.denominator.map { Int($0) },
                            "\(grouping) \(row.key) \(indicator.rawValue)")
                    #expect(got.value == row.value(indicator).map { ($0 * 100).rounded() / 100 }, "\(grouping) \(row.key) \(indicator.rawValue)")
                }
            }
        }
        // The city's figures are real ones: the demo files, handles and closes cases.
        let total = try #require(try CLI.run(["stats", "--json", "--by", "city"], db: db).object["total"] as? [String: Any])
        let headline = Self.headline(total)
        for name in ["found_rate", "handling_rate", "resolution_rate"] {
            let value = try #require(headline[name]?.value, "\(name)")
            #expect(value > 0 && value <= 100, "\(name) \(value)")
            #expect((headline[name]?.numerator ?? 0) <= (headline[name]?.denominator ?? 0))
        }
        // A JSON null, not a missing key, where a rate does not apply (a department does not file).
        let departments = try CLI.run(["stats", "--json", "--by", "department"], db: db)
        #expect(departments.stdout.contains("\"found_rate\" : null") || departments.stdout.contains("\"found_rate\":null"))
    }

    @Test func statsByCenterListsEachCenterWithItsPeoplesFiguresForAnyPeriod() throws {
        let db = try CLI.demoCopy()
        let store = try CityStore.open(path: db)
        let centers = try store.centers().map(\.id)
        for period in [[], ["--month", "2026-11"], ["--quarter", "2026Q4"], ["--year", "2026"]] {
            let result = try CLI.run(["stats", "--by", "center", "--json"] + period, db: db)
            #expect(result.status == 0, "\(period): \(result.stderr)")
            #expect(result.object["grouping"] as? String == "center")
            let rows = try #require(result.object["rows"] as? [[String: Any]])
            #expect(Set(rows.compactMap { $0["key"] as? String }).isSuperset(of: centers), "every center is listed")
            // Each center's found rate is its shift leads' filings; together with the filings of no center they make the city's.
            let filed = rows.compactMap { ($0["counts"] as? [String: Any])?["filed"] as? Int }.reduce(0, +)
            let total = try #require(result.object["total"] as? [String: Any])
            #expect(filed == (total["counts"] as? [String: Any])?["filed"] as? Int, "\(period)")
        }
        let month = try CLI.run(["stats", "--by", "center", "--month", "2026-11", "--json"], db: db).object
        #expect(month["from"] as? String == "2026-11-01" && month["to"] as? String == "2026-12-01")
        let monitoring = try #require((month["rows"] as? [[String: Any]])?.first { ($0["counts"] as? [String: Any])?["filed"] as? Int ?? 0 > 0 })
        let found = try #require(Self.headline(monitoring)["found_rate"])
        #expect(found.denominator ?? 0 > 0 && found.value != nil)
        // The table, CSV and Markdown forms work too, and name the columns.
        let table = try CLI.run(["stats", "--by", "center"], db: db)
        #expect(table.status == 0 && table.stdout.contains("FOUND%") && table.stdout.contains("HANDLING%") && table.stdout.contains("RESOLVED%"))
        let csv = Self.parseCSV(try CLI.run(["stats", "--by", "center", "--csv"], db: db).stdout)
        let header = try #require(csv.first)
        for column in ["found_rate", "handling_rate", "resolution_rate", "filed_closed", "assigned_handled", "should_resolve"] {
            #expect(header.contains(column), "\(column)")
        }
        #expect(try CLI.run(["stats", "--by", "center", "--month", "2026-11", "--year", "2026"], db: db).status == 64)
        #expect(try CLI.run(["stats", "--month", "2026-13"], db: db).status == 2)
    }

    @Test func bulletinsPrintTheHeadlineRates() throws {
        let db = try CLI.demoCopy()
        let daily = try CLI.run(["bulletin", "daily", "--date", "2026-11-24"], db: db)
        #expect(daily.status == 0, "\(daily.stderr)")
        #expect(daily.stdout.contains("## Headline rates (发现率、处置率、解决率)"))
        for line in ["| found rate (发现率) |", "| handling rate (处置率) |", "| resolution rate (解决率) |"] {
            #expect(daily.stdout.contains(line), "\(line)")
        }
        let dailyCSV = Self.parseCSV(try CLI.run(["bulletin", "daily", "--date", "2026-11-24", "--csv"], db: db).stdout)
        #expect(Array(dailyCSV.first?.suffix(3) ?? []) == ["found_rate", "handling_rate", "resolution_rate"])
        #expect(dailyCSV.dropFirst().allSatisfy { $0.count == dailyCSV.first?.count })
        for args in [["bulletin", "monthly", "--month", "2026-11"], ["bulletin", "quarterly", "--quarter", "2026Q4"], ["bulletin", "annual", "--year", "2026"]] {
            let result = try CLI.run(args, db: db)
            #expect(result.status == 0, "\(args): \(result.stderr)")
            #expect(result.stdout.contains("## Headline rates (发现率、处置率、解决率)"), "\(args)")
            // The rate, its terms, the previous period's and the change.
            let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("| found rate (发现率) |") }, "\(args)")
            #expect(line.contains(" / "), "numerator / denominator: \(line)")
            #expect(result.stdout.contains("| resolution_rate |"), "\(args): in the totals too")
            let csv = Self.parseCSV(try CLI.run(args + ["--csv"], db: db).stdout)
            #expect(csv.first?.contains("handling_rate") == true, "\(args)")
        }
    }
}
