import Foundation
import Testing
import Workflow

/// `init`'s first admin, `operator`, `center`, `department`, `patrol-area`: the command line of site administration
/// (docs/setup.md). Exit codes: 2 bad input, 3 refused (not an admin, yourself, the last admin), 5 unknown.
@Suite struct AdministrationCLITests {
    static let me = String(cString: getpwuid(geteuid())!.pointee.pw_name!)

    static let grid = """
        code,row,col,lat,lon,patrol_area,district_name,street_name,community_name
        330102001001001,1,1,30.2450,120.1700,SC-01,上城区,清波街道,清波社区
        330102001001002,1,2,30.2450,120.1710,SC-01,上城区,清波街道,清波社区
        330106001001001,1,5,30.2600,120.1300,,西湖区,北山街道,北山社区

        """

    /// A signed site made by `init` (this process's account is its admin), with a small grid.
    func signedSite() throws -> String {
        let db = CLI.temporaryDatabase()
        let made = try CLI.run(["init", "--city-code", "330100"], db: db)
        #expect(made.status == 0, "\(made.stderr)")
        let grid = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent("grid.csv")
        try Self.grid.write(to: grid, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["import", "grid", grid.path], db: db).status == 0)
        return db
    }

    @Test func initMakesASignedSiteWhoseFirstAdminIsTheAccountThatRanIt() throws {
        let db = CLI.temporaryDatabase()
        let made = try CLI.run(["init", "--admin-login", "boss", "--admin-name", "王局长", "--json"], db: db)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.object["admin"] as? String == "boss" && made.object["access"] as? String == "signed"
                && made.object["unix_user"] as? String == Self.me && made.object["model"] as? String == "one-monitor-two-command")
        let operators = try CLI.run(["operators", "--json"], db: db).array
        #expect(operators.count == 1)
        let admin = try #require(operators.first)
        #expect(admin["login"] as? String == "boss" && admin["name"] as? String == "王局长" && admin["role"] as? String == "admin")
        #expect(admin["disabled"] as? Bool == false && admin["access"] as? [String] == ["unix:\(Self.me)"])
        let store = try CityStore.open(path: db)
        #expect(try store.accessMode() == .signed)
        let events = try store.auditEvents()
        #expect(events.map(\.kind) == [.operatorAdded] && events.first?.login == "boss" && events.first?.via == "unix:\(Self.me)")

        let defaults = CLI.temporaryDatabase()
        #expect(try CLI.run(["init"], db: defaults).status == 0)
        let shown = try CLI.run(["operator", "show", "admin", "--json"], db: defaults)
        #expect(shown.status == 0 && shown.object["name"] as? String == "Administrator" && shown.object["unix_user"] as? String == Self.me)

        let bad = CLI.temporaryDatabase()
        for login in ["Boss", "bad login", ".x", "123", "a\u{1b}[2J"] {
            let refused = try CLI.run(["init", "--admin-login", login], db: bad)
            #expect(refused.status == 2 && refused.stderr.contains("login"), "\(login): \(refused.stderr)")
            #expect(!refused.stderr.contains("\u{1b}"))
        }
        #expect(try CLI.run(["init", "--admin-name", "x\u{1b}]0;t\u{7}"], db: bad).status == 2)
        #expect(!FileManager.default.fileExists(atPath: bad), "a refused init makes no file")
    }

    @Test func operatorCommandsOnASignedSiteActAsTheBoundAdmin() throws {
        let db = try signedSite()
        let added = try CLI.run(["operator", "add", "--login", "m-intake-1", "--name", "王受理", "--role", "intake", "--center", "CITY-M", "--json"], db: db)
        #expect(added.status == 0, "\(added.stderr)")
        #expect(Set(added.object.keys) == ["id", "login", "name", "role", "center", "department", "tier", "region", "patrol_area",
                                           "disabled", "access", "unix_user", "disabled_at", "password", "ssh_keys"])
        #expect(added.object["region"] as? String == "330100" && added.object["tier"] as? String == "city" && added.object["access"] as? [String] == [])
        let inspector = try CLI.run(["operator", "add", "--login", "sc-insp-01", "--name", "孙监督", "--role", "inspector", "--center", "CITY-M",
                                     "--patrol-area", "SC-01"], db: db)
        #expect(inspector.status == 0 && inspector.stdout.hasPrefix("added operator sc-insp-01"), "\(inspector.stderr)")
        let handler = try CLI.run(["operator", "add", "--login", "sanit-330102", "--name", "吴处置", "--role", "department",
                                   "--department", "SANIT", "--region", "330102", "--json"], db: db)
        #expect(handler.status == 0 && handler.object["tier"] as? String == "district" && handler.object["center"] is NSNull)

        // Bad input: exit 2, nothing added.
        for args in [["--login", "Bad", "--name", "x", "--role", "intake", "--center", "CITY-M"],
                     ["--login", "x1", "--name", "x", "--role", "boss", "--center", "CITY-M"],
                     ["--login", "x1", "--name", "x", "--role", "dispatcher", "--center", "CITY-M"],
                     ["--login", "x1", "--name", "x\u{1b}[31m", "--role", "intake", "--center", "CITY-M"],
                     ["--login", "x1", "--name", "x", "--role", "intake"],
                     ["--login", "x1", "--name", "x", "--role", "inspector", "--center", "CITY-M"],
                     ["--login", "m-intake-1", "--name", "x", "--role", "intake", "--center", "CITY-M"]] {
            let refused = try CLI.run(["operator", "add"] + args, db: db)
            #expect(refused.status == 2, "\(args): \(refused.stderr)")
            #expect(!refused.stderr.contains("\u{1b}"))
        }
        // Unknown things: exit 5.
        for args in [["operator", "add", "--login", "x1", "--name", "x", "--role", "intake", "--center", "NOPE"],
                     ["operator", "add", "--login", "x1", "--name", "x", "--role", "department", "--department", "NOPE"],
                     ["operator", "add", "--login", "x1", "--name", "x", "--role", "inspector", "--center", "CITY-M", "--patrol-area", "NOPE"],
                     ["operator", "add", "--login", "x1", "--name", "x", "--role", "supervisor", "--region", "999999"],
                     ["operator", "set", "nobody", "--name", "x"], ["operator", "disable", "nobody"], ["operator", "enable", "nobody"],
                     ["operator", "show", "nobody"]] {
            #expect(try CLI.run(args, db: db).status == 5, "\(args)")
        }
        #expect(try CLI.run(["operators", "--json"], db: db).array.count == 4, "admin and the three good ones")

        // Changes.
        let bound = try CLI.run(["operator", "set", "m-intake-1", "--unix-user", "wang", "--name", "王小受", "--json"], db: db)
        #expect(bound.status == 0 && bound.object["access"] as? [String] == ["unix:wang"] && bound.object["name"] as? String == "王小受")
        #expect(try CLI.run(["operator", "set", "sc-insp-01", "--unix-user", "wang"], db: db).status == 2, "one operator per account")
        let lead = try CLI.run(["operator", "set", "m-intake-1", "--role", "shift-lead", "--no-unix-user", "--json"], db: db)
        #expect(lead.status == 0 && lead.object["role"] as? String == "shift-lead" && lead.object["unix_user"] is NSNull)
        #expect(try CLI.run(["operator", "set", "m-intake-1"], db: db).status == 2, "nothing to change")
        #expect(try CLI.run(["operator", "set", "m-intake-1", "--unix-user", "a", "--no-unix-user"], db: db).status != 0)

        // On a signed site the program decides who acts: naming someone else is refused.
        let other = try CLI.run(["operator", "disable", "sc-insp-01", "--as", "m-intake-1"], db: db)
        #expect(other.status == 3 && other.stderr.contains("signed in as admin"), "\(other.stderr)")
        // The admin cannot disable themselves (here also the last admin).
        let own = try CLI.run(["operator", "disable", "admin"], db: db)
        #expect(own.status == 3 && own.stderr.contains("last enabled admin"), "\(own.stderr)")

        let disabled = try CLI.run(["operator", "disable", "sc-insp-01", "--json"], db: db)
        #expect(disabled.status == 0 && disabled.object["disabled"] as? Bool == true && disabled.object["disabled_at"] as? String == "2026-11-25T10:30:00+08:00")
        let listed = try CLI.run(["operators", "--json", "--role", "inspector"], db: db).array
        #expect(listed.count == 1 && listed.first?["disabled"] as? Bool == true, "disabled operators are listed")
        #expect(try CLI.run(["operators"], db: db).stdout.contains("disabled"))
        #expect(try CLI.run(["operator", "enable", "sc-insp-01", "--json"], db: db).object["disabled"] as? Bool == false)

        let kinds = try CityStore.open(path: db).auditEvents().map(\.kind)
        #expect(kinds.filter { $0 == .operatorAdded }.count == 4 && kinds.filter { $0 == .operatorChanged }.count == 2)
        #expect(kinds.filter { $0 == .operatorDisabled }.count == 1 && kinds.filter { $0 == .operatorEnabled }.count == 1)
    }

    @Test func onlyAnAdminAdministers() throws {
        let db = try CLI.demoCopy()
        let community = try #require(try CLI.run(["regions", "--level", "community", "--parent", "110101001", "--json"], db: db).array.first?["code"] as? String)
        for args in [["operator", "add", "--login", "x1", "--name", "x", "--role", "intake", "--center", "CITY-M"],
                     ["operator", "set", "city-intake-1", "--name", "x"], ["operator", "disable", "city-intake-1"],
                     ["operator", "enable", "city-intake-1"],
                     ["center", "add", "--kind", "command", "--tier", "district", "--district", "110101"],
                     ["department", "add", "--code", "SNOW", "--name-zh", "除雪队", "--name-en", "Snow"],
                     ["department", "serve", "SANIT", "--district", "110101", "--unit", "x"],
                     ["patrol-area", "add", "--id", "PX", "--community", community, "--name", "x"],
                     ["patrol-area", "assign", "PX", "--inspector", "110101-insp-001"]] {
            for actor in ["city-lead-1", "110101-insp-001", "sanit-110101"] {
                let refused = try CLI.run(args + ["--as", actor], db: db)
                #expect(refused.status == 3 && refused.stderr.contains("only an admin"), "\(args) as \(actor): \(refused.stderr)")
            }
        }
        #expect(try CLI.run(["operator", "disable", "city-intake-1"], db: db).status == 2, "an open site needs --as")
        #expect(try CLI.run(["operator", "disable", "city-intake-1", "--as", "nobody"], db: db).status == 5)
    }

    @Test func aDisabledOperatorsNextCaseActionIsRefused() throws {
        let db = try CLI.demoCopy()
        let open = try #require(try CLI.run(["cases", "--state", "dispatched", "--json", "--limit", "2"], db: db).array.compactMap { $0["id"] as? Int })
        #expect(open.count == 2)
        #expect(try CLI.run(["case", "urge", String(open[0]), "--as", "city-lead-1"], db: db).status == 0)
        #expect(try CLI.run(["operator", "disable", "city-lead-1", "--as", "admin"], db: db).status == 0)
        let refused = try CLI.run(["case", "urge", String(open[1]), "--as", "city-lead-1"], db: db)
        #expect(refused.status == 3 && refused.stderr.contains("disabled"), "\(refused.stderr)")
        #expect(try CLI.run(["operator", "disable", "city-lead-1", "--as", "admin"], db: db).stdout.hasPrefix("already disabled"))
        #expect(try CLI.run(["operator", "enable", "city-lead-1", "--as", "admin"], db: db).status == 0)
        #expect(try CLI.run(["case", "urge", String(open[1]), "--as", "city-lead-1"], db: db).status == 0)
        let own = try CLI.run(["operator", "disable", "admin", "--as", "admin"], db: db)
        #expect(own.status == 3, "\(own.stderr)")
    }

    @Test func centersDepartmentsAndPatrolAreas() throws {
        let db = try CLI.demoCopy()
        let centers = try CLI.run(["center", "list", "--json"], db: db).array
        #expect(centers.count == 5, "one-monitor-two-command, three districts: CITY-M, CITY-C, three district command centers")
        #expect(Set(centers.first?.keys ?? [:].keys) == ["id", "kind", "tier", "region", "name", "name_en", "staff"])
        #expect((centers.first { $0["id"] as? String == "110101-C" }?["staff"] as? [String: Int])?["dispatcher"] == 2)
        let noDistrictMonitoring = try CLI.run(["center", "add", "--kind", "monitoring", "--tier", "district", "--district", "110101", "--as", "admin"], db: db)
        #expect(noDistrictMonitoring.status == 2 && noDistrictMonitoring.stderr.contains("has no district monitoring center"), "\(noDistrictMonitoring.stderr)")
        #expect(try CLI.run(["center", "add", "--kind", "command", "--tier", "district", "--district", "110101", "--as", "admin"], db: db).status == 2, "exists")
        #expect(try CLI.run(["center", "add", "--kind", "command", "--tier", "district", "--district", "999999", "--as", "admin"], db: db).status == 5)
        #expect(try CLI.run(["center", "add", "--kind", "hq", "--tier", "city", "--as", "admin"], db: db).status == 2)

        let snow = try CLI.run(["department", "add", "--code", "SNOW", "--name-zh", "除雪队", "--name-en", "Snow clearing",
                                "--serves", "110101:东城除雪队", "110102:西城除雪队", "--as", "admin", "--json"], db: db)
        #expect(snow.status == 0, "\(snow.stderr)")
        #expect(Set(snow.object.keys) == ["code", "name", "name_en", "scope", "categories", "units", "region"])
        #expect(snow.object["region"] is NSNull, "a department is no street, town or community (issue 18)")
        #expect((snow.object["units"] as? [[String: Any]])?.map { $0["unit"] as? String } == ["东城除雪队", "西城除雪队"])
        #expect(try CLI.run(["department", "add", "--code", "ICE", "--name-zh", "x", "--name-en", "x", "--serves", "110101", "--as", "admin"], db: db).status == 2)
        #expect(try CLI.run(["department", "add", "--code", "SNOW", "--name-zh", "x", "--name-en", "x", "--as", "admin"], db: db).status == 2)
        let served = try CLI.run(["department", "serve", "SNOW", "--district", "110105", "--as", "admin", "--json"], db: db)
        #expect(served.status == 0 && served.array.first?["unit"] as? String != nil, "\(served.stderr)")
        #expect(try CLI.run(["department", "serve", "NOPE", "--district", "110101", "--as", "admin"], db: db).status == 5)
        #expect(try CLI.run(["department", "serve", "SNOW", "--district", "999999", "--as", "admin"], db: db).status == 5)
        let departments = try CLI.run(["department", "list", "--json"], db: db).array
        let sanit = try #require(departments.first { $0["code"] as? String == "SANIT" })
        #expect((sanit["units"] as? [[String: Any]])?.count == 3 && (sanit["categories"] as? Int ?? 0) > 0)
        #expect((departments.first { $0["code"] as? String == "SNOW" }?["units"] as? [[String: Any]])?.count == 3)

        let community = try #require(try CLI.run(["regions", "--level", "community", "--parent", "110101001", "--json"], db: db).array.first?["code"] as? String)
        let cell = try #require(try CLI.run(["regions", "--level", "cell", "--parent", community, "--json"], db: db).array.first?["code"] as? String)
        let areas = try CLI.run(["patrol-area", "list", "--json"], db: db).array
        #expect(Set(areas.first?.keys ?? [:].keys) == ["id", "community", "district", "name", "cells", "inspectors"])
        #expect(areas.allSatisfy { ($0["inspectors"] as? [String])?.count == 1 })
        #expect(try CLI.run(["patrol-area", "add", "--id", "PX", "--community", community, "--name", "新片区", "--as", "admin"], db: db).status == 0)
        #expect(try CLI.run(["patrol-area", "add", "--id", "PY", "--community", "110101001999", "--name", "x", "--as", "admin"], db: db).status == 5)
        let moved = try CLI.run(["patrol-area", "assign", "PX", "--cells", cell, "--as", "admin", "--json"], db: db)
        #expect(moved.status == 0 && moved.object["moved"] as? Int == 1, "\(moved.stderr)")
        let otherDistrict = try #require(try CLI.run(["regions", "--level", "cell", "--parent", "110102001001", "--json"], db: db).array.first?["code"] as? String)
        #expect(try CLI.run(["patrol-area", "assign", "PX", "--cells", otherDistrict, "--as", "admin"], db: db).status == 2)
        #expect(try CLI.run(["patrol-area", "assign", "PX", "--cells", "12", "--as", "admin"], db: db).status == 2)
        #expect(try CLI.run(["patrol-area", "assign", "NOPE", "--cells", cell, "--as", "admin"], db: db).status == 5)
        #expect(try CLI.run(["patrol-area", "assign", "PX", "--inspector", "city-lead-1", "--as", "admin"], db: db).status == 2)
        #expect(try CLI.run(["patrol-area", "assign", "PX", "--inspector", "110101-insp-001", "--as", "admin"], db: db).status == 0)
        let px = try #require(try CLI.run(["patrol-area", "list", "--json"], db: db).array.first { $0["id"] as? String == "PX" })
        #expect(px["cells"] as? Int == 1 && px["inspectors"] as? [String] == ["110101-insp-001"])
    }

    @Test func theDemoCityIsReady() throws {
        let db = try CLI.demoCopy()
        let doctor = try CLI.run(["doctor", "--json"], db: db)
        #expect(doctor.status == 0, "\(doctor.stdout)")
        let checks = try #require(doctor.object["checks"] as? [[String: Any]])
        #expect(checks.count == 10 && checks.allSatisfy { $0["ok"] as? Bool == true })
        // Disabling the only inspector of an area makes it a finding, naming the area and the command.
        let area = try #require(try CLI.run(["operator", "show", "110101-insp-001", "--json"], db: db).object["patrol_area"] as? String)
        #expect(try CLI.run(["operator", "disable", "110101-insp-001", "--as", "admin"], db: db).status == 0)
        let after = try CLI.run(["doctor"], db: db)
        #expect(after.status == 1 && after.stdout.contains("FAIL  patrol_areas") && after.stdout.contains("patrol area \(area) ("), "\(after.stdout)")
        #expect(after.stdout.contains("run: citygrid operator add --login LOGIN --name NAME --role inspector --center CITY-M --patrol-area \(area)"))
    }
}
