import Foundation
import GRDB
import Testing
@testable import Workflow

@Suite struct ImportReaderTests {
    func records<S: RecordSource>(_ source: S) throws -> [ImportItem] {
        var s = source
        var out: [ImportItem] = []
        while let item = try s.next() { out.append(item) }
        return out
    }

    @Test func csvReadsQuotedCommasQuotesAndLineBreaksWithTheLineTheRecordStartsOn() throws {
        let text = "\u{FEFF}Kind,Description\r\nevent,\"a, \"\"b\"\"\r\nc\"\r\n\r\nevent,plain\n"
        let items = try records(try CSVRecordSource(MemoryByteSource(text)))
        guard items.count == 2, case .record(let first) = items[0], case .record(let second) = items[1] else {
            Issue.record("\(items)"); return
        }
        #expect(first.line == 2 && first["kind"] == "event" && first["description"] == "a, \"b\"\r\nc")
        #expect(second.line == 5 && second["description"] == "plain")
    }

    @Test func aStrayQuoteCostsOnlyItsOwnLine() throws {
        let text = "a,b\n1,\"open\n2,x\n3,\"ok\"\n"
        let items = try records(try CSVRecordSource(MemoryByteSource(text)))
        let summary = items.map { item -> String in
            switch item {
            case .record(let r): "\(r.line) ok \(r["a"] ?? "")"
            case .bad(let r): "\(r.line) bad"
            }
        }
        #expect(summary == ["2 bad", "3 ok 2", "4 ok 3"])
    }

    @Test func hostileBytesAreRefusedPerLine() throws {
        var bytes = Array("a,b\n".utf8)
        bytes += [0x31, 0x2C, 0xFF, 0xFE, 0x0A]                              // invalid UTF-8
        bytes += Array("2,\(String(repeating: "x", count: ImportLimits.maxFieldBytes + 1))\n".utf8)   // oversize field
        bytes += Array("3\n".utf8)                                            // too few fields
        bytes += Array("4,\u{1B}[2J\n".utf8)                                  // escape sequence: kept as given
        let items = try records(try CSVRecordSource(MemoryByteSource(bytes)))
        var reasons: [String] = []
        for item in items {
            switch item {
            case .bad(let r): reasons.append("\(r.line): \(r.reason)")
            case .record(let r): reasons.append("\(r.line): \(r["b"] == "\u{1B}[2J" ? "kept" : "changed")")
            }
        }
        #expect(reasons.count == 4)
        #expect(reasons[0] == "2: column 'b' is not valid UTF-8")
        #expect(reasons[1].hasPrefix("3: field 2 is over"))
        #expect(reasons[2] == "4: has 1 fields; the header has 2")
        #expect(reasons[3] == "5: kept")
        #expect(throws: WorkflowError.self) { try CSVRecordSource(MemoryByteSource("")) }
    }

    @Test func jsonLinesSkipsBlankLinesAndRefusesWhatIsNotAnObject() throws {
        let text = "{\"kind\":\"event\",\"row\":3,\"history\":[1]}\n\n[1,2]\n{broken\n"
        let items = try records(JSONLinesRecordSource(MemoryByteSource(text)))
        guard items.count == 3, case .record(let r) = items[0], case .bad(let notObject) = items[1], case .bad(let broken) = items[2] else {
            Issue.record("\(items)"); return
        }
        #expect(r["kind"] == "event" && r["row"] == "3" && r["history"] == nil)
        #expect(notObject.line == 3 && notObject.reason == "not a JSON object")
        #expect(broken.line == 4 && broken.reason == "not valid JSON")
    }

    @Test func geoJSONIsReadFeatureByFeatureWithPolygonCentroids() throws {
        let text = """
            {"type": "FeatureCollection", "name": "cells {not a brace}",
             "features": [
              {"type": "Feature", "properties": {"code": "a"}, "geometry": {"type": "Point", "coordinates": [116.4, 39.9]}},
              {"type": "Feature", "properties": {"code": "b"},
               "geometry": {"type": "Polygon", "coordinates": [[[0,0],[2,0],[2,2],[0,2],[0,0]]]}},
              {"type": "Feature", "properties": {"code": "c"}, "geometry": {"type": "LineString", "coordinates": []}}
             ]}
            """
        let items = try records(GeoJSONFeatureSource(MemoryByteSource(text)))
        guard items.count == 3, case .record(let a) = items[0], case .record(let b) = items[1], case .bad(let c) = items[2] else {
            Issue.record("\(items)"); return
        }
        #expect(a["code"] == "a" && a.point?.lat == 39.9 && a.point?.lon == 116.4 && a.line == 3)
        #expect(b.point?.lat == 1 && b.point?.lon == 1 && b.line == 4)
        #expect(c.line == 6 && c.reason.contains("LineString"))
        #expect(throws: WorkflowError.self) { try records(GeoJSONFeatureSource(MemoryByteSource("{\"type\":\"Feature\"}"))) }
    }

    @Test func fastInstantsMatchTheSlowFormatter() throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let fast = FastInstant(timeZone: zone), slow = InstantFormat(timeZone: zone)
        for text in ["2026-11-25T10:30:00+08:00", "2024-02-29T23:59:59Z", "1999-12-31T16:00:00-05:30"] {
            #expect(try fast.parse(text) == slow.parse(text))
            let date = try slow.parse(text)
            #expect(fast.string(date) == slow.string(date))
        }
        #expect(try fast.parse("2026-11-25") == slow.parse("2026-11-25"), "other forms fall back")
        #expect(throws: WorkflowError.self) { try fast.parse("2026-02-30T10:00:00Z") }
    }
}

@Suite struct ImportStoreTests {
    let now = TestCity.monday9.after(600)

    func csv(_ text: String) throws -> CSVRecordSource<MemoryByteSource> { try CSVRecordSource(MemoryByteSource(text)) }

    func caseCount(_ city: TestCity) throws -> Int {
        try city.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }
    }

    @Test func importedReportsAreReportedCasesWithHistoryAndReport() throws {
        let city = try TestCity(model: .centralized)
        var source = try csv("""
            kind,category,cell,description,source,reporter,reporter_phone,reported_at
            event,0102,\(TestCity.cellA),垃圾堆,web,,,2026-11-23T09:30:00+08:00
            event,0102,\(TestCity.cellA2),巡查发现,,insp-a,,2026-11-23T09:40:00+08:00
            event,0102,\(TestCity.cellB),来电,,,138 0000 0000,
            """)
        let summary = try city.store.importReports(&source, reporter: "city-intake", channel: nil, at: now, options: ImportOptions())
        #expect(summary.committed && summary.imported == 3 && summary.rejected == 0)
        let ids = try #require(summary.firstCaseID.flatMap { a in summary.lastCaseID.map { a...$0 } })
        let cases = try ids.map { try city.store.detail($0) }
        #expect(cases.map(\.serviceCase.state) == [.reported, .reported, .reported])
        #expect(cases.map(\.serviceCase.source) == [.web, .inspector, .hotline])
        #expect(cases[1].serviceCase.confirmed, "an inspector's own report needs no verification")
        #expect(cases[0].serviceCase.reportedAt == TestCity.at("2026-11-23T09:30:00+08:00"))
        #expect(cases[2].serviceCase.reportedAt == now)
        #expect(cases[2].reports.first?.reporterPhone == "138 0000 0000")
        #expect(cases.allSatisfy { $0.history.map(\.entry.action) == ["report"] && $0.reports.count == 1 })
        #expect(cases[0].serviceCase.deadline != nil, "the intake clock runs")
    }

    @Test func oneBadRecordRollsBackEverythingUnlessSkipBad() throws {
        let city = try TestCity(model: .centralized)
        let text = """
            kind,category,cell,description
            event,0102,\(TestCity.cellA),ok
            event,0102,110101009009009,unknown cell
            event,0102,\(TestCity.cellA),"   "
            event,0102,\(TestCity.cellA),ok again
            """
        var rejects: [ImportReject] = []
        var source = try csv(text)
        let all = try city.store.importReports(&source, reporter: nil, channel: .web, at: now,
                                               options: ImportOptions(onReject: { rejects.append($0) }))
        #expect(!all.committed && all.imported == 0 && all.rejected == 2)
        #expect(rejects.map(\.line) == [3, 4])
        #expect(rejects.map(\.reason) == ["no cell 110101009009009 in this city", "column 'description' is missing or empty"])
        #expect(try caseCount(city) == 0)

        source = try csv(text)
        let some = try city.store.importReports(&source, reporter: nil, channel: .web, at: now, options: ImportOptions(skipBad: true))
        #expect(some.committed && some.imported == 2 && some.rejected == 2)
        #expect(try caseCount(city) == 2)
    }

    func reportLines(_ count: Int) -> String {
        "kind,category,cell,description\n" + (1...count).map { "event,0102,\(TestCity.cellA),第\($0)件" }.joined(separator: "\n")
    }

    /// A batched import frees the lock after every batch: what it committed is visible to other connections, and
    /// another writer's case between two batches takes the next id without colliding with the import's.
    @Test func aBatchedImportCommitsAsItGoesAndAnotherWriterGetsInBetween() throws {
        let folder = TestFolder.root.appendingPathComponent("citygrid-batch-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let city = try TestCity(model: .centralized, path: folder + "/city.sqlite")
        let other = try CityStore.open(path: folder + "/city.sqlite", busyTimeout: 0.5)
        var through: [Int] = []
        var visible: [Int] = []
        var source = try csv(reportLines(7))
        let summary = try city.store.importReports(&source, reporter: "city-intake", channel: nil, at: now, options: ImportOptions(
            skipBad: true, batchSize: 3, batchPause: 0,
            onCommit: { s in
                through.append(s.throughLine ?? -1)
                do {
                    visible.append(try other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 })
                    _ = try other.report(ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA2, description: "电话", source: .hotline),
                                         by: "city-intake", at: now)
                } catch {
                    Issue.record("the other writer was kept out: \(error)")
                }
            }))
        #expect(summary.committed && summary.imported == 7 && summary.batches == 3 && !summary.interrupted)
        #expect(through == [4, 7, 8], "the last line of each batch (the header is line 1)")
        #expect(visible == [3, 7, 9], "each batch is committed before the next begins")
        #expect(try caseCount(city) == 10)
        #expect(summary.firstCaseID == 1 && summary.lastCaseID == 9, "ids 4 and 8 went to the other writer")
        let imported = try city.store.read { db in try String.fetchAll(db, sql: "SELECT description FROM service_case WHERE description <> '电话' ORDER BY id") }
        #expect(imported == (1...7).map { "第\($0)件" })
    }

    /// Stopping rolls back only the open batch; the summary says where the committed part ends, and a second run
    /// from the next line brings in the rest, nothing twice.
    @Test func aStoppedBatchedImportKeepsItsCommittedBatchesAndResumesFromALine() throws {
        let city = try TestCity(model: .centralized)
        var asked = 0
        var source = try csv(reportLines(7))
        let first = try city.store.importReports(&source, reporter: nil, channel: .web, at: now, options: ImportOptions(
            skipBad: true, batchSize: 2, batchPause: 0, shouldStop: { asked += 1; return asked >= 6 }))
        #expect(first.interrupted && first.committed && first.batches == 2)
        #expect(first.imported == 4 && first.records == 5, "the fifth record was read into the batch that was rolled back")
        #expect(first.throughLine == 5 && first.firstCaseID == 1 && first.lastCaseID == 4)
        #expect(try caseCount(city) == 4)

        // A file that ends on a batch boundary: no empty batch counted.
        var even = try csv(reportLines(4))
        let exact = try TestCity(model: .centralized).store.importReports(&even, reporter: nil, channel: .web, at: now, options: ImportOptions(
            skipBad: true, batchSize: 2, batchPause: 0))
        #expect(exact.batches == 2 && exact.imported == 4)

        source = try csv(reportLines(7))
        let rest = try city.store.importReports(&source, reporter: nil, channel: .web, at: now, options: ImportOptions(
            skipBad: true, batchSize: 2, batchPause: 0, fromLine: 6))
        #expect(rest.skipped == 4 && rest.imported == 3 && !rest.interrupted && rest.throughLine == 8)
        #expect(rest.batches == 2, "3 records in batches of 2")
        #expect(rest.firstCaseID == 5 && rest.lastCaseID == 7)
        let descriptions = try city.store.read { db in try String.fetchAll(db, sql: "SELECT description FROM service_case ORDER BY id") }
        #expect(descriptions == (1...7).map { "第\($0)件" })
    }

    @Test func aBatchedImportNeedsSkipBadAndABatchOfOneOrMore() throws {
        let city = try TestCity(model: .centralized)
        for options in [ImportOptions(batchSize: 2), ImportOptions(skipBad: true, batchSize: 0)] {
            var source = try csv(reportLines(3))
            #expect(throws: WorkflowError.self) {
                _ = try city.store.importReports(&source, reporter: nil, channel: .web, at: now, options: options)
            }
        }
        #expect(try caseCount(city) == 0)
    }

    /// A grid import's count of created regions covers committed batches only.
    @Test func aStoppedBatchedGridImportCountsOnlyWhatItCommitted() throws {
        let city = try TestCity(model: .centralized)
        var source = try csv("""
            code,row,col,lat,lon
            110105001001001,100,100,39.95,116.45
            110106001001001,100,101,39.95,116.451
            110107001001001,100,102,39.95,116.452
            """)
        var asked = 0
        let summary = try city.store.importGrid(&source, options: ImportOptions(
            skipBad: true, batchSize: 2, batchPause: 0, shouldStop: { asked += 1; return asked >= 4 }))
        #expect(summary.interrupted && summary.imported == 2 && summary.throughLine == 3)
        #expect(summary.created == ["district": 2, "street": 2, "community": 2])
        let districts = try city.store.regions(level: .district).map(\.code)
        #expect(districts.contains("110106") && !districts.contains("110107"))
    }

    /// Writers wait for each other by trying again every 2 ms, up to the timeout.
    @Test func theBusyWaitTriesAgainUntilTheTimeout() {
        let wait = CityStore.busyWait(timeout: 0.01, every: 0.002)
        #expect((0..<5).allSatisfy { wait($0) })
        #expect(!wait(5))
        #expect(!CityStore.busyWait(timeout: 0)(0))
    }

    @Test func lifecycleRulesApplyToEveryImportedRecord() throws {
        let city = try TestCity(model: .twoMonitorTwoCommand)
        var rejects: [ImportReject] = []
        var source = try csv("""
            kind,category,cell,description,source,reported_at
            event,0102,\(TestCity.cellB),outside my district,hotline,
            event,0102,\(TestCity.cellA),posing as inspector,inspector,
            event,0102,\(TestCity.cellA),from the future,hotline,2030-01-01T00:00:00Z
            component,0101,\(TestCity.cellA),no such component,hotline,
            """)
        let summary = try city.store.importReports(&source, reporter: "110101-intake", channel: nil, at: now,
                                                   options: ImportOptions(skipBad: true, onReject: { rejects.append($0) }))
        #expect(summary.imported == 1, "the component case without a component is a valid report")
        #expect(rejects.map(\.line) == [2, 3, 4])
        #expect(rejects[0].reason.contains("outside 110101-intake's region"))
        #expect(rejects[1].reason.contains("source inspector is for inspectors"))
        #expect(rejects[2].reason.contains("in the future"))
    }

    @Test func gridImportCreatesRegionsAsNeededAndRefusesATakenPosition() throws {
        let city = try TestCity(model: .centralized)
        var source = try csv("""
            code,row,col,lat,lon,district_name,street_name,community_name,patrol_area
            110105001001001,100,100,39.95,116.45,朝阳区,建外街道,永安里社区,PA-C
            110105001001002,100,101,39.95,116.451,,,,PA-C
            110105001001003,100,100,39.95,116.452,,,,
            11010500100100,1,1,,,,,,
            """)
        var rejects: [ImportReject] = []
        let summary = try city.store.importGrid(&source, options: ImportOptions(skipBad: true, onReject: { rejects.append($0) }))
        #expect(summary.imported == 2)
        #expect(summary.created == ["district": 1, "street": 1, "community": 1, "patrol_area": 1])
        #expect(rejects.map(\.line) == [4, 5])
        #expect(rejects[0].reason == "grid position row 100, col 100 already holds cell 110105001001001")
        #expect(rejects[1].reason.contains("14 digits"))
        #expect(try city.store.regions(level: .district).map(\.code).contains("110105"))
        #expect(try city.store.centers().contains { $0.id == "110105-C" } == false, "centralized: no district centers")
        #expect(try city.store.cellPlace("110105001001002").patrolAreaID == "PA-C")
    }

    @Test func componentImportChecksClassDistrictAndState() throws {
        let city = try TestCity(model: .centralized)
        var source = try csv("""
            id,cell,state,department
            1101010101000001,\(TestCity.cellA),damaged,
            1101020101000001,\(TestCity.cellA),,
            1101010101000002,\(TestCity.cellA),broken,
            1101019999000001,\(TestCity.cellA),,
            1101010101000003,\(TestCity.cellA),,NOPE
            """)
        var rejects: [ImportReject] = []
        let summary = try city.store.importComponents(&source, at: now, options: ImportOptions(skipBad: true, onReject: { rejects.append($0) }))
        #expect(summary.imported == 1)
        #expect(rejects.map(\.line) == [3, 4, 5, 6])
        #expect(rejects[0].reason.contains("belongs to district 110102"))
        #expect(rejects[1].reason.contains("state must be one of"))
        #expect(rejects[2].reason == "no component category 9999")
        #expect(rejects[3].reason == "no department NOPE")
    }

    @Test func exportedCasesImportBackIntoAnotherSite() throws {
        let city = try TestCity(model: .centralized)
        try city.report(text: "line one\nline \"two\", with \u{1B}[31m escape")
        try city.report(by: "city-intake", source: .hotline, text: "来电反映")
        let sink = MemorySink()
        let writer = TableWriter(columns: ExportColumns.cases, format: .csv, sink: sink)
        try writer.begin()
        try city.store.exportCases(CaseExportQuery()) { values, point throws(WorkflowError) in try writer.row(values, point: point) }
        try writer.end()
        #expect(!sink.text.contains("reporter_phone"))

        let other = try TestCity(model: .centralized)
        var source = try CSVRecordSource(MemoryByteSource(sink.bytes))
        let summary = try other.store.importReports(&source, reporter: nil, channel: nil, at: now, options: ImportOptions())
        #expect(summary.imported == 2)
        for id: Int64 in [1, 2] {
            let a = try city.store.serviceCase(id), b = try other.store.serviceCase(id)
            #expect(a.description == b.description && a.source == b.source && a.cellCode == b.cellCode && a.reportedAt == b.reportedAt)
        }
    }

    @Test func historyExportFollowsEachCase() throws {
        let city = try TestCity(model: .centralized)
        let a = try city.report()
        let b = try city.report(at: TestCity.monday9.after(1))
        try city.act(.accept, b.id, as: "city-intake", at: TestCity.monday9.after(2))
        let sink = MemorySink()
        let writer = TableWriter(columns: ExportColumns.cases + ["history", "reports"], format: .jsonl, sink: sink)
        try writer.begin()
        try city.store.exportCases(CaseExportQuery(states: [.accepted], withHistory: true)) { values, point throws(WorkflowError) in
            try writer.row(values, point: point)
        }
        try writer.end()
        let lines = sink.text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["id"] as? Int == Int(b.id))
        #expect((object["history"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["report", "accept"])
        #expect((object["reports"] as? [[String: Any]])?.count == 1)
        _ = a
    }
}
