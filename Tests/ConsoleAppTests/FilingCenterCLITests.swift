import Foundation
import Testing

/// Issue 18: `site set-filing-center` and `site set-closing-center` (an admin's), what `site show` and `doctor` say of
/// them, and `doctor` naming a command center without the shift leads a setting gives it.
@Suite struct FilingCenterCLITests {
    @Test func theSettingsAreAnAdminsShownBySiteAndDoctorAndStaffedCentersAreChecked() throws {
        let db = try CLI.demoCopy()   // one-monitor-two-command: the monitoring center files and closes by default
        let shown = try CLI.run(["site", "show", "--json"], db: db)
        #expect(shown.object["filing_center"] as? String == "monitoring" && shown.object["closing_center"] as? String == "monitoring")
        #expect(try CLI.run(["site", "show"], db: db).stdout.contains("filing: monitoring center shift leads (the one-monitor-two-command model's default)"))

        let refused = try CLI.run(["site", "set-filing-center", "command", "--as", "city-lead-1"], db: db)
        #expect(refused.status == 3, "\(refused.stderr)")
        let bad = try CLI.run(["site", "set-filing-center", "both", "--as", "admin"], db: db)
        #expect(bad.status == 2 && bad.stderr.contains("monitoring or command"), "\(bad.stderr)")

        let filing = try CLI.run(["site", "set-filing-center", "command", "--as", "admin", "--json"], db: db)
        #expect(filing.status == 0, "\(filing.stderr)")
        #expect(filing.object["filing_center"] as? String == "command" && filing.object["closing_center"] as? String == "monitoring"
                && filing.object["filing_center_default"] as? Bool == false && filing.object["closing_center_default"] as? Bool == true
                && filing.object["model"] as? String == "one-monitor-two-command", "\(filing.stdout)")
        let closingJSON = try CLI.run(["site", "set-closing-center", "command", "--as", "admin", "--json"], db: db)
        #expect(closingJSON.status == 0, "\(closingJSON.stderr)")
        #expect(closingJSON.object["filing_center"] as? String == "command" && closingJSON.object["closing_center"] as? String == "command"
                && closingJSON.object["filing_center_default"] as? Bool == false && closingJSON.object["closing_center_default"] as? Bool == false,
                "\(closingJSON.stdout)")
        let badClosing = try CLI.run(["site", "set-closing-center", "", "--as", "admin", "--json"], db: db)
        #expect(badClosing.status == 2 && badClosing.stdout.isEmpty && badClosing.stderr.contains("monitoring or command"), "\(badClosing.stderr)")
        let closing = try CLI.run(["site", "set-closing-center", "command", "--as", "admin"], db: db)
        #expect(closing.status == 0 && closing.stdout.contains("closing: command center shift leads\n"), "\(closing.stdout)\(closing.stderr)")
        #expect(try CLI.run(["site", "show", "--json"], db: db).object["closing_center"] as? String == "command")

        // The demo city staffs every command center with a shift lead, so it stays ready; doctor says who files and closes.
        let doctor = try CLI.run(["doctor", "--json"], db: db)
        #expect(doctor.status == 0, "\(doctor.stdout)")
        let rules = try #require(doctor.object["case_rules"] as? [String: Any])
        #expect(rules["filing_center"] as? String == "command" && rules["closing_center"] as? String == "command")
        #expect(try CLI.run(["doctor"], db: db).stdout.contains("site  filing: command center shift leads"))

        // Without its shift lead, the city command center fails the centers check, and the finding says why.
        #expect(try CLI.run(["operator", "disable", "city-command-lead-1", "--as", "admin"], db: db).status == 0)
        let afterJSON = try CLI.run(["doctor", "--json"], db: db)
        let centers = (afterJSON.object["checks"] as? [[String: Any]])?.first { $0["name"] as? String == "centers" }
        #expect(afterJSON.status == 1 && afterJSON.object["ok"] as? Bool == false && centers?["ok"] as? Bool == false
                && (centers?["findings"] as? [String])?.contains { $0.hasPrefix("the city command center CITY-C has no active shift-lead") } == true,
                "\(afterJSON.stdout)")
        let after = try CLI.run(["doctor"], db: db)
        #expect(after.status == 1 && after.stdout.contains("FAIL  centers")
                && after.stdout.contains("the city command center CITY-C has no active shift-lead (the site has command centers file and close cases)"),
                "\(after.stdout)")
        // Back to the monitoring center for both: the command center needs no shift lead again.
        #expect(try CLI.run(["site", "set-filing-center", "monitoring", "--as", "admin"], db: db).status == 0)
        #expect(try CLI.run(["site", "set-closing-center", "monitoring", "--as", "admin"], db: db).status == 0)
        #expect(try CLI.run(["doctor"], db: db).status == 0)
        // Each change is audited.
        let audit = try CLI.run(["audit", "--as", "admin"], db: db)
        #expect(audit.stdout.contains("filing.center = command") && audit.stdout.contains("closing.center = monitoring"), "\(audit.stdout)")
    }
}
