import Testing
@testable import ConsoleApp
@testable import Workflow

/// The case pane's history: a report's row names its source (and hotline line) in the console's language; any other
/// note is shown as the operator wrote it.
@Suite struct DetailHistoryTests {
    @Test func aReportsSourceIsNamedInTheConsolesLanguage() {
        #expect(DetailView.historyNote("source web", action: "report", .zh) == "来源 网站")
        #expect(DetailView.historyNote("source hotline line 12319", action: "report", .zh) == "来源 热线电话 热线 12319")
        #expect(DetailView.historyNote("source hotline line 12319", action: "report", .en) == "source hotline call line 12319")
        // Not Workflow's wording of a report: as written.
        #expect(DetailView.historyNote("source web", action: "verify", .zh) == "source web")
        #expect(DetailView.historyNote("source nowhere", action: "report", .zh) == "source nowhere")
        #expect(DetailView.historyNote("source web and more words", action: "report", .zh) == "source web and more words")
    }
}
