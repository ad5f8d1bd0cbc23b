import Foundation
import GRDB
import Testing
@testable import Workflow

/// The site's stored time zone: absent, the site default; a name no `TimeZone` knows is a storage error naming it,
/// never silently the default zone.
@Suite struct SiteTimeZoneTests {
    @Test func anUnknownStoredZoneIsNamedNotReadAsTheDefault() throws {
        let city = try TestCity()
        try city.store.writer.write { db in try db.execute(sql: "UPDATE site SET value = 'Mars/Olympus_Mons' WHERE key = 'timezone'") }
        let unknown = WorkflowError.storage("the site's time zone 'Mars/Olympus_Mons' is unknown")
        #expect(throws: unknown) { try city.store.timeWindow() }
        #expect(throws: unknown) { try city.store.readiness(at: TestCity.monday9) }
        #expect(throws: unknown) { try city.store.context() }
    }

    @Test func anAbsentStoredZoneIsTheSiteDefault() throws {
        let city = try TestCity()
        try city.store.writer.write { db in try db.execute(sql: "DELETE FROM site WHERE key = 'timezone'") }
        #expect(try city.store.timeWindow().timeZone == SiteSettings.defaultTimeZone)
        #expect(try city.store.settings().timeZone == SiteSettings.defaultTimeZoneName)
    }
}
