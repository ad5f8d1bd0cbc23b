import Foundation
import Testing

/// `site set-bell` and `operator set-bell`: who may set them, what they answer, and that the operator's own
/// preference wins over the site's; each change is in the audit.
@Suite struct BellCLITests {
    @Test func theSiteBellIsAnAdminsAndTheOperatorsPreferenceWins() throws {
        let db = try CLI.demoCopy()
        let lead = "city-lead-1"

        // The site's bell is on by default: an operator with no preference rings.
        let initial = try CLI.run(["operator", "set-bell", lead, "site", "--as", lead, "--json"], db: db)
        #expect(initial.status == 0, "\(initial.stderr)")
        #expect(initial.object["site"] as? String == "on" && initial.object["rings"] as? Bool == true
                && initial.object["preference"] as? String == "site" && initial.object["operator"] as? String == lead)

        // Only an admin turns the site's bell off; an unknown setting is refused as input.
        let refused = try CLI.run(["site", "set-bell", "off", "--as", lead], db: db)
        #expect(refused.status == 3, "\(refused.stderr)")
        let bad = try CLI.run(["site", "set-bell", "loud", "--as", "admin"], db: db)
        #expect(bad.status == 2 && bad.stderr.contains("on or off"), "\(bad.stderr)")
        let off = try CLI.run(["site", "set-bell", "off", "--as", "admin", "--json"], db: db)
        #expect(off.status == 0 && off.object["site"] as? String == "off", "\(off.stderr)")

        // Following the site, the lead no longer rings; their own "on" wins over the site's "off".
        let follows = try CLI.run(["operator", "set-bell", lead, "site", "--as", lead, "--json"], db: db)
        #expect(follows.object["site"] as? String == "off" && follows.object["rings"] as? Bool == false)
        let own = try CLI.run(["operator", "set-bell", lead, "on", "--as", lead], db: db)
        #expect(own.status == 0 && own.stdout.contains("console bell for \(lead): on (site: off; rings: yes)"), "\(own.stdout)\(own.stderr)")

        // Another operator may not set the lead's bell; an admin may; an unknown login is not found.
        let other = try CLI.run(["operator", "set-bell", lead, "off", "--as", "110101-dispatcher-1"], db: db)
        #expect(other.status == 3 && other.stderr.contains("only \(lead) or an admin"), "\(other.stderr)")
        let byAdmin = try CLI.run(["operator", "set-bell", lead, "off", "--as", "admin", "--json"], db: db)
        #expect(byAdmin.status == 0 && byAdmin.object["rings"] as? Bool == false && byAdmin.object["preference"] as? String == "off")
        #expect(try CLI.run(["operator", "set-bell", "nobody-here", "on", "--as", "admin"], db: db).status == 5)
        #expect(try CLI.run(["operator", "set-bell", lead, "sometimes", "--as", lead], db: db).status != 0)

        // Every change is audited, with who made it.
        let audit = try CLI.run(["audit", "--json", "--as", "admin"], db: db)
        #expect(audit.status == 0, "\(audit.stderr)")
        let details = audit.array.compactMap { $0["detail"] as? String }
        #expect(details.contains("console.bell = off"))
        #expect(details.filter { $0.hasPrefix("console bell = ") } == ["console bell = site", "console bell = site", "console bell = on", "console bell = off"])
        #expect(audit.array.contains { $0["detail"] as? String == "console bell = off" && $0["by"] as? String == "admin" && $0["login"] as? String == lead })
    }
}
