@testable import CityGridDemo
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Open311
import Testing
import Workflow

/// A small demo city seeded once per run; each test works on its own copy.
enum Fixture {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let now = try! InstantFormat(timeZone: zone).parse("2026-11-25T10:30:00+08:00")

    static func temporaryPath() -> String {
        let folder = TestFolder.root.appendingPathComponent("citygrid-o311-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("site.sqlite").path
    }

    static func store() throws -> CityStore {
        let copy = temporaryPath()
        try FileManager.default.copyItem(atPath: try Template.shared.path(), toPath: copy)
        return try CityStore.open(path: copy)
    }

    final class Template: @unchecked Sendable {
        static let shared = Template()
        private let lock = NSLock()
        private var made: String?
        func path() throws -> String {
            lock.lock()
            defer { lock.unlock() }
            if let made { return made }
            let path = Fixture.temporaryPath()
            let store = try CityStore.createForBulkLoad(path: path)
            _ = try DemoCity.seed(into: store, options: DemoOptions(seed: 7, days: 3, cases: 300, now: Fixture.now))
            try store.finishBulkLoad()
            made = path
            return path
        }
    }

    /// A store, a service on it with a fixed clock, and an active api key.
    /// The service's default limits with timeouts that a test not about time never meets: swift-testing runs suites
    /// side by side on 2 shared cores, and a client task can wait seconds for a thread while the server's timers
    /// (on NIO's own threads) run on; a default 15 s keep-alive timeout then closed a connection under a live test.
    static func patient() -> Open311Service.Limits {
        var limits = Open311Service.Limits()
        limits.headerTimeout = .seconds(600)
        limits.bodyTimeout = .seconds(600)
        limits.idleTimeout = .seconds(600)
        return limits
    }

    static func service(limits: Open311Service.Limits = patient()) throws -> (CityStore, Open311Service, String) {
        let store = try store()
        let (_, key) = try store.addAPIKey(name: "test app", at: now)
        return (store, Open311Service(store: store, limits: limits, clock: { now }), key)
    }

    /// A position on a cell of the city (the centre of the newest case's cell).
    static func position(_ store: CityStore) throws -> (lat: Double, lon: Double, cell: String) {
        let found = try #require(try store.open311Cases(Open311Filter(limit: 1)).first)
        let lat = try #require(found.cellLat), lon = try #require(found.cellLon)
        return (lat, lon, found.serviceCase.cellCode)
    }
}

extension Open311Service {
    var app: some ApplicationProtocol { Application(router: router()) }
}

func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return ByteBuffer(string: fields.map { "\($0)=\($1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&"))
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
let jsonHeaders: HTTPFields = [.contentType: "application/json"]

extension TestResponse {
    var text: String { String(buffer: body) }
    var jsonArray: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
    var jsonObject: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
}
