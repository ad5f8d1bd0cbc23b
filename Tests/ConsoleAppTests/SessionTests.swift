import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 15: a process resolves one session when it opens the store (who is signed in and how, the site's time zone,
/// the clock), and `CITYGRID_NOW` has one reader, which reads a time without an offset in the site's zone, for the
/// CLI, the console and the simulator alike (the console used to read it in the machine's zone, the simulator in
/// Asia/Shanghai whatever the site's).
@Suite struct SessionTests {
    static func site(zone: String) throws -> CityStore {
        let store = try CityStore.inMemory()
        try store.createSite(SiteSettings(model: .oneMonitorTwoCommand, timeZone: zone),
                             categories: try CategoryTable.parseCategories(csv: ReferenceData.categoriesCSV),
                             departments: try CategoryTable.parseDepartments(csv: ReferenceData.departmentsCSV))
        return store
    }

    static func utc(_ text: String) throws -> Date { try InstantFormat(timeZone: TimeZone(identifier: "UTC")!).parse(text) }

    @Test func aPinnedTimeWithoutAnOffsetIsReadInTheSitesZone() throws {
        let pinned = ["CITYGRID_NOW": "2026-11-25T10:30"]
        let berlin = try CommandSession(store: Self.site(zone: "Europe/Berlin"), environment: pinned)
        #expect(berlin.timeZone.identifier == "Europe/Berlin")
        #expect(try berlin.clock() == Self.utc("2026-11-25T09:30:00Z"))
        #expect(try berlin.session.now() == Self.utc("2026-11-25T09:30:00Z"))
        #expect(try berlin.now("2026-11-25T10:00") == Self.utc("2026-11-25T09:00:00Z"), "--at too")
        let shanghai = try CommandSession(store: Self.site(zone: "Asia/Shanghai"), environment: pinned)
        let now = try shanghai.now()
        #expect(try now == Self.utc("2026-11-25T02:30:00Z"))
        #expect(shanghai.format.string(now) == "2026-11-25T10:30:00+08:00")
    }

    @Test func aMalformedPinnedTimeIsRefusedWhenACommandAsksForNowAsBefore() throws {
        let session = try CommandSession(store: Self.site(zone: "Asia/Shanghai"), environment: ["CITYGRID_NOW": "yesterday"])
        #expect(session.timeZone.identifier == "Asia/Shanghai", "opening needs no clock: listings work as they did")
        do {
            _ = try session.now()
            Issue.record("a malformed CITYGRID_NOW was accepted")
        } catch {
            #expect(error.exitCode == 2)
            #expect(error.description.hasSuffix("CITYGRID_NOW: 'yesterday' is not a time; use ISO-8601 such as 2026-11-25T09:30:00+08:00"), "\(error)")
        }
        #expect(throws: WorkflowError.self) { _ = try session.clock() }
    }

    @Test func theSessionCarriesWhoIsSignedInAndHow() throws {
        let store = try Self.site(zone: "Asia/Shanghai")
        #expect(try CommandSession(store: store, environment: [:]).session.signedIn == nil)
        store.signIn(SignedIn(operatorID: 1, login: "admin", via: .password))
        let session = try CommandSession(store: store, environment: [:])
        #expect(session.session.signedIn?.login == "admin" && session.session.via == .password)
    }

    @Test func theConsoleRunsOnTheSessionsClock() throws {
        // The demo fixture's site is in Asia/Shanghai: 10:30 there is ConsoleFixture.now.
        let session = try CommandSession(store: ConsoleFixture.store(), environment: ["CITYGRID_NOW": "2026-11-25T10:30"])
        let engine = try ConsoleLauncher.prepare(session: session, as: "city-dispatcher-1", options: ConsoleOptions.parse(["--lang", "en"]),
                                                 demo: false)
        #expect(engine.state.now == ConsoleFixture.now)
    }
}
