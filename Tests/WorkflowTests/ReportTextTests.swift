import Foundation
import Testing
@testable import Workflow

/// The report text rule (issue 13, defect 8): NUL refused in every text field of a report and in notes, line breaks
/// and tabs kept, other controls stored as given; "empty" means nothing visible.
@Suite struct ReportTextTests {
    let t0 = TestCity.monday9

    func caseCount(_ city: TestCity) throws -> Int {
        try city.store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM service_case") ?? 0 }
    }

    func expectInvalid(_ mentioning: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("accepted; expected a refusal mentioning \(mentioning)", sourceLocation: sourceLocation)
        } catch let error as WorkflowError {
            #expect(error.exitCode == 2, sourceLocation: sourceLocation)
            #expect(error.description.contains(mentioning), "\(error)", sourceLocation: sourceLocation)
        } catch let error as BulkRefusal {
            #expect(error.error.exitCode == 2, sourceLocation: sourceLocation)
            #expect(error.description.contains(mentioning), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func visibleMeansSomethingThatShows() {
        for empty in ["", " \t\n\r", "\u{0}", "\u{1}\u{7}\u{1B}", "\u{85}\u{9B}", "\u{200B}\u{2060}\u{FEFF}", "\u{3000}\u{A0}",
                      "\u{3164}", "\u{202E}\u{2028}", "\u{E000}"] {
            #expect(!ReportText.isVisible(empty), "\(Array(empty.unicodeScalars))")
            #expect(empty.isBlank)
        }
        for shown in ["x", " 井盖 ", "\u{1}a", "0", ".", "\u{1F6A7}", "e\u{301}"] {
            #expect(ReportText.isVisible(shown), "\(Array(shown.unicodeScalars))")
        }
    }

    @Test func aNULInAnyTextFieldOfAReportIsRefusedAndNothingIsFiled() throws {
        let city = try TestCity(model: .centralized)
        func draft(_ change: (inout ReportDraft) -> Void) -> ReportDraft {
            var d = ReportDraft(kind: .event, categoryCode: "0102", cellCode: TestCity.cellA, description: "暴露垃圾", source: .hotline,
                                reporterName: "刘女士", reporterPhone: "13800001234")
            change(&d)
            return d
        }
        expectInvalid("description contains a NUL") { _ = try city.store.report(draft { $0.description = "井盖\u{0}丢失" }, by: "city-intake", at: t0) }
        expectInvalid("description contains a NUL") { _ = try city.store.report(draft { $0.description = "\u{0}" }, by: "city-intake", at: t0) }
        expectInvalid("reporter name contains a NUL") { _ = try city.store.report(draft { $0.reporterName = "刘\u{0}" }, by: "city-intake", at: t0) }
        expectInvalid("reporter phone contains a NUL") { _ = try city.store.report(draft { $0.reporterPhone = "138\u{0}" }, by: "city-intake", at: t0) }
        // A channel with no operator, as Open311 files it, and the requester's own fields.
        expectInvalid("description contains a NUL") { _ = try city.store.report(draft { $0.description = "a\u{0}b"; $0.source = .web }, by: nil, at: t0) }
        #expect(try caseCount(city) == 0)
    }

    @Test func invisibleDescriptionsAreEmpty() throws {
        let city = try TestCity(model: .centralized)
        for text in ["\u{1}\u{2}", "\u{200B}", " \u{3000}\t\n", "\u{1B}\u{7}\u{7F}"] {
            expectInvalid("description is empty") { try city.report(by: "city-intake", source: .hotline, text: text) }
        }
        #expect(try caseCount(city) == 0)
    }

    @Test func tabsNewlinesAndOtherControlsAreStoredAsGiven() throws {
        let city = try TestCity(model: .centralized)
        let text = "第一行\n第二行\tcolumn\r\n\u{1B}]0;title\u{7} \u{9B}31m end"
        let c = try city.report(by: "city-intake", source: .hotline, text: text)
        #expect(try city.store.serviceCase(c.id).description == text)
        let verified = try city.act(.verify, c.id, as: "city-intake", to: "insp-a", note: "look\tat\nit", at: t0.after(5))
        #expect(try city.store.history(of: verified.id).last?.entry.note == "look\tat\nit")
    }

    @Test func aNULInANoteIsRefusedForSingleBulkAndUnmergeActions() throws {
        let city = try TestCity(model: .centralized)
        let c = try city.report(by: "city-intake", source: .hotline, text: "one")
        expectInvalid("note contains a NUL") { try city.act(.verify, c.id, as: "city-intake", to: "insp-a", note: "ok\u{0}hidden", at: t0.after(5)) }
        expectInvalid("needs a reason") { try city.act(.cancel, c.id, as: "city-lead", note: "\u{1}\u{200B}", at: t0.after(5)) }
        expectInvalid("note contains a NUL") {
            _ = try city.store.performBulk(BulkRequest(action: .urge, selection: .ids([c.id]), actor: "city-lead", note: "x\u{0}"), at: t0.after(6))
        }
        let other = try city.report(by: "city-intake", source: .hotline, text: "two")
        try city.act(.merge, other.id, as: "city-intake", to: String(c.id), at: t0.after(7))
        expectInvalid("note contains a NUL") { _ = try city.store.unmerge(other.id, by: "city-intake", note: "oops\u{0}", at: t0.after(8)) }
        expectInvalid("needs a reason") { _ = try city.store.unmerge(other.id, by: "city-intake", note: "\u{7}", at: t0.after(8)) }
        #expect(try city.store.serviceCase(c.id).state == .reported)
    }

    @Test func importedReportsWithANULAreRejectedOneByOne() throws {
        let city = try TestCity(model: .centralized)
        let csv = "kind,category,cell,description,reporter_name\n"
            + "event,0102,\(TestCity.cellA),good one,\n"
            + "event,0102,\(TestCity.cellA),\"bad\u{0}one\",\n"
            + "event,0102,\(TestCity.cellA),fine,\"name\u{0}\"\n"
            + "event,0102,\(TestCity.cellA),\"tab\tand\nnewline\",\n"
        var rejects: [ImportReject] = []
        var source = try CSVRecordSource(MemoryByteSource(csv))
        let summary = try city.store.importReports(&source, reporter: "city-intake", channel: .hotline, at: t0,
                                                   options: ImportOptions(skipBad: true, onReject: { rejects.append($0) }))
        #expect(summary.imported == 2 && summary.rejected == 2)
        #expect(rejects.map(\.line) == [3, 4])
        #expect(rejects.allSatisfy { $0.reason.contains("contains a NUL") }, "\(rejects.map(\.reason))")
        let descriptions = try city.store.cases(CaseQuery()).map(\.description).sorted()
        #expect(descriptions == ["good one", "tab\tand\nnewline"])
    }
}
