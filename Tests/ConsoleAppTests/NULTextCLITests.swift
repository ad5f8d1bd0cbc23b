import Foundation
import Testing

/// Issue 13, defect 8 through the built binary: a NUL in a piped description or an imported line is refused with
/// exit 2 or a reject line; tabs and line breaks survive; other controls are stored and shown neutralised.
@Suite struct NULTextCLITests {
    let report = ["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                  "--description", "-", "--json"]

    func caseCount(_ db: String) throws -> Int { try CLI.run(["cases", "--json"], db: db).array.count }

    func folder() -> URL {
        let url = TestFolder.root.appendingPathComponent("citygrid-nul-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func aPipedDescriptionWithANULIsRefusedWithExit2() throws {
        let db = try CLI.demoCopy()
        let before = try caseCount(db)
        let refused = try CLI.run(report, db: db, stdin: Data("井盖\u{0}丢失，盖板缺失\n".utf8))
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("description contains a NUL character"), "\(refused.stderr)")
        #expect(!refused.stderr.unicodeScalars.contains("\u{0}"))
        // Nothing visible is empty, whatever bytes it holds.
        let invisible = try CLI.run(report, db: db, stdin: Data("\u{1}\u{7}\u{200B}\n".utf8))
        #expect(invisible.status == 2 && invisible.stderr.contains("description is empty"), "\(invisible.stderr)")
        #expect(try caseCount(db) == before)
    }

    @Test func tabsAndLineBreaksSurviveAPipedDescription() throws {
        let db = try CLI.demoCopy()
        let text = "第一行\n\t缩进的第二行\r\n第三行 \u{1B}[31m"
        let made = try CLI.run(report, db: db, stdin: Data((text + "\n").utf8))
        #expect(made.status == 0, "\(made.stderr)")
        let id = try #require(made.object["id"] as? Int)
        let shown = try CLI.run(["case", "show", String(id), "--json"], db: db)
        #expect(shown.object["description"] as? String == text)
        let human = try CLI.run(["case", "show", String(id)], db: db).stdout
        #expect(!human.unicodeScalars.contains("\u{1B}"))
    }

    @Test func importedLinesWithANULGoToTheRejectsFileAndTheOthersAreImported() throws {
        let dir = folder()
        for format in ["csv", "jsonl"] {
            let db = try CLI.demoCopy()
            let before = try caseCount(db)
            let file = dir.appendingPathComponent("reports.\(format)").path
            let lines: [String]
            if format == "csv" {
                lines = ["kind,category,cell,description,reporter_name,source",
                         "event,0102,110101001001001,first good,,web",
                         "event,0102,110101001001001,\"hidden\u{0}tail\",,web",
                         "event,0102,110101001001001,\"tab\there\",\"name\u{0}\",web",
                         "event,0102,110101001001001,\"two\nlines\",,web"]
            } else {
                lines = [#"{"kind":"event","category":"0102","cell":"110101001001001","description":"first good","source":"web"}"#,
                         #"{"kind":"event","category":"0102","cell":"110101001001001","description":"hidden\u0000tail","source":"web"}"#,
                         #"{"kind":"event","category":"0102","cell":"110101001001001","description":"tab\there","reporter_name":"name\u0000","source":"web"}"#,
                         #"{"kind":"event","category":"0102","cell":"110101001001001","description":"two\nlines","source":"web"}"#]
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
            let rejects = dir.appendingPathComponent("rejects-\(format).csv").path
            let result = try CLI.run(["import", "reports", file, "--skip-bad", "--rejects", rejects, "--json"], db: db)
            #expect(result.status == 0, "\(format): \(result.stderr)")
            #expect(result.object["imported"] as? Int == 2 && result.object["rejected"] as? Int == 2, "\(format): \(result.stdout)")
            let text = try String(contentsOfFile: rejects, encoding: .utf8)
            let rows = text.components(separatedBy: "\r\n").dropFirst().filter { !$0.isEmpty }
            #expect(rows.count == 2, "\(format): \(text)")
            #expect(rows.allSatisfy { $0.contains("contains a NUL character") }, "\(format): \(text)")
            let first = format == "csv" ? 3 : 2   // JSON Lines has no header line
            #expect(rows.first?.hasPrefix("\(first),") == true && rows.last?.hasPrefix("\(first + 1),") == true, "\(format): \(rows)")
            #expect(try caseCount(db) == before + 2)
            let exported = try CLI.run(["export", "cases", "--format", "jsonl"], db: db).stdout.split(separator: "\n")
            let descriptions = Set(exported.compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))).flatMap { $0 as? [String: Any] }?["description"] as? String
            })
            #expect(descriptions.contains("first good") && descriptions.contains("two\nlines"), "\(format)")
            #expect(!descriptions.contains { $0.contains("hidden") || $0.contains("\u{0}") }, "\(format)")
            // Without --skip-bad the NUL line refuses the whole file.
            let all = try CLI.run(["import", "reports", file], db: db)
            #expect(all.status == 2 && all.stderr.contains("contains a NUL character"), "\(format): \(all.stderr)")
            #expect(try caseCount(db) == before + 2)
        }
    }
}
