import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOHTTP1
import Workflow

/// The Open311 GeoReport v2 service over a site's store (docs: README, "The command line").
/// Categories are services (`event-0102`); a posted request is filed through the same `CityStore.report` as the
/// CLI's, as a `reported` case with source `web`, so it reaches the intake queue like any other report.
public struct Open311Service: Sendable {
    /// Every limit of the service, with its default. Rates are token buckets: `burst` tokens, `perSecond` more a
    /// second, one taken per request (a listing takes more, see `rowsPerToken`); an empty bucket answers 429 with
    /// Retry-After.
    public struct Limits: Sendable {
        /// Largest request body accepted, 64 KiB. Over it: 413, answered as soon as a `Content-Length` says so
        /// (the body is never read) or as soon as a chunked body passes it; the connection is then closed.
        public var maxBodyBytes = 64 * 1024
        /// A request's head (request line and headers) must be complete within 10 s of the connection's start, or
        /// of its first byte after a response, however slowly bytes trickle in: else 408 and closed.
        public var headerTimeout: Duration = .seconds(10)
        /// A request's body must be complete within 30 s of its head (with `maxBodyBytes` of 64 KiB, at least
        /// ~2 KiB/s): else the request fails, unhandled, and the connection is closed.
        public var bodyTimeout: Duration = .seconds(30)
        /// A kept-alive connection on which no new request starts within 15 s is closed.
        public var idleTimeout: Duration = .seconds(15)
        /// Open connections from one client address: 32. More are answered 503 and closed without being read.
        public var maxConnectionsPerAddress = 32
        /// Open connections in all: 1024, or half the process's open-file limit (RLIMIT_NOFILE) less 32 when
        /// that is lower, so that connections never take the files the database needs. More: 503 and closed.
        public var maxConnections = min(1024, Open311Connections.fileSafeMaximum())
        /// The most connections this process can hold and keep files to spare: half its open-file limit, less 32.
        public static var connectionCeiling: Int { Open311Connections.fileSafeMaximum() }
        /// Pending connections the kernel queues before the service accepts them.
        public var backlog = 256
        /// `GET /requests` pages: `page_size` rows by default (50), and at most (200).
        public var defaultPageSize = 50
        public var maxPageSize = 200
        /// A listing takes one token more from the client's bucket for every 25 rows it returns (a full page of
        /// 200 costs 9 requests' worth, a page of 50 costs 3, a single request 1).
        public var rowsPerToken: Double = 25
        /// Requests of any kind, across the service.
        public var burst: Double = 200
        public var perSecond: Double = 50
        /// Requests of any kind from one client address, so one client cannot spend the whole service's budget.
        public var clientBurst: Double = 60
        public var clientPerSecond: Double = 10
        /// Posts per api key.
        public var postBurst: Double = 30
        public var postsPerSecond: Double = 0.5
        /// Longest private field (email, names, phone, address).
        public var maxFieldBytes = 400
        /// Longest description, in characters (the GeoReport v2 limit; the site's byte limit applies too).
        public var maxDescriptionCharacters = 4000
        public init() {}
    }

    /// What the service needs of a site's store: its Open311 requests and keys, the site's categories, clock window
    /// and context, and the grid. `CityStore` (SQLite) is the one backend today.
    public typealias Store = Open311Store & SiteStore & GridStore

    public let store: any Store
    public let clock: @Sendable () -> Date
    public let limits: Limits
    let global: RateLimiter
    let perClient: RateLimiter
    let perKey: RateLimiter

    public init(store: any Store, limits: Limits = Limits(), clock: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store; self.limits = limits; self.clock = clock
        global = RateLimiter(burst: limits.burst, perSecond: limits.perSecond)
        perClient = RateLimiter(burst: limits.clientBurst, perSecond: limits.clientPerSecond)
        perKey = RateLimiter(burst: limits.postBurst, perSecond: limits.postsPerSecond)
    }

    public func router() -> Router<Open311Context> {
        let router = Router(context: Open311Context.self)
        router.add(middleware: ErrorMiddleware(global: global, perClient: perClient))
        router.get("/services/:file") { request, context in try self.services(file: context.parameters.get("file") ?? "", request) }
        router.get("/services.json") { request, _ in try self.services(request, .json) }
        router.get("/services.xml") { request, _ in try self.services(request, .xml) }
        router.get("/requests.json") { request, context in try self.requests(request, context, .json) }
        router.get("/requests.xml") { request, context in try self.requests(request, context, .xml) }
        router.post("/requests.json") { request, _ in try await self.post(request, .json) }
        router.post("/requests.xml") { request, _ in try await self.post(request, .xml) }
        router.get("/requests/:file") { request, context in try self.request(file: context.parameters.get("file") ?? "", request) }
        router.get("/tokens/:file") { request, context in try self.token(file: context.parameters.get("file") ?? "", request) }
        return router
    }

    /// The service on `host:port` (0: any free port, told to `onServerRunning`), with the connection limits and
    /// timeouts of `limits` in each connection's pipeline (`Open311Channel`).
    public func application(host: String, port: Int,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let limits = self.limits
        let connections = Open311Connections(perAddress: limits.maxConnectionsPerAddress, total: limits.maxConnections)
        return Application(router: router(),
                           server: HTTPServerBuilder { responder in Open311Channel(responder: responder, limits: limits, connections: connections) },
                           configuration: .init(address: .hostname(host, port: port), serverName: "CityGrid-Open311", backlog: limits.backlog),
                           onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) })
    }

    // MARK: Services

    func services(_ request: Request, _ format: Open311Format) throws -> Response {
        let lang = try language(request)
        let records = try store.categories().map { serviceRecord($0, lang: lang) }
        return respond(Open311Writer.render(records, root: "services", element: "service", format: format), format)
    }

    func services(file: String, _ request: Request) throws -> Response {
        guard let (name, format) = Open311Format.split(Substring(file)) else {
            if file == "services" { throw Open311Error(404, "no such resource") }
            throw Open311Error(404, "give a service code with .json or .xml, e.g. /services/event-0102.json")
        }
        let category = try category(String(name), status: 404)
        let record: Record = [("service_code", .string(serviceCode(category))), ("attributes", .emptyList)]
        return respond(Open311Writer.renderSingle(record, root: "service_definition", format: format), format)
    }

    func serviceRecord(_ c: Category, lang: String) -> Record {
        let zh = lang == "zh"
        return [
            ("service_code", .string(serviceCode(c))),
            ("service_name", .string(zh ? c.nameZh : c.nameEn)),
            ("description", .string(zh ? "\(c.largeNameZh) · \(c.nameZh)（\(c.nameEn)）" : "\(c.largeNameEn): \(c.nameEn) (\(c.nameZh))")),
            ("metadata", .bool(false)),
            ("type", .string("realtime")),
            ("keywords", .string([c.nameZh, c.nameEn, c.largeNameZh, c.largeNameEn, c.kind.rawValue, c.code].joined(separator: ","))),
            ("group", .string(zh ? c.largeNameZh : c.largeNameEn)),
        ]
    }

    func serviceCode(_ c: Category) -> String { "\(c.kind.rawValue)-\(c.code)" }

    /// `event-0102` → the category, or 404/400 without echoing anything but a plain code.
    func category(_ code: String, status: Int) throws -> Category {
        let parts = code.split(separator: "-", maxSplits: 1)
        if parts.count == 2, let kind = CategoryKind(rawValue: String(parts[0])),
           let found = try store.categories().first(where: { $0.kind == kind && $0.code == parts[1] }) {
            return found
        }
        throw Open311Error(status, "service_code \(Echo.safe(code)) is not a service here; GET /services.json lists them")
    }

    func language(_ request: Request) throws -> String {
        let query = try Fields.form(Array((request.uri.query ?? "").utf8))
        switch query["lang"] ?? "zh" {
        case "zh", "zh-CN", "zh_CN": return "zh"
        case "en", "en-US", "en_US", "en-GB": return "en"
        default: throw Open311Error(400, "lang must be zh or en")
        }
    }

    // MARK: Requests

    func post(_ request: Request, _ format: Open311Format) async throws -> Response {
        let fields = try await body(request)
        let query = try Fields.form(Array((request.uri.query ?? "").utf8))
        guard let presented = fields["api_key"] ?? query["api_key"], !presented.isEmpty else {
            throw Open311Error(401, "api_key is required to post a service request; ask the site's administrator for one")
        }
        guard let key = try store.apiKey(matching: presented) else { throw Open311Error(403, "api_key is not valid") }
        guard key.isActive else { throw Open311Error(403, "api_key has been revoked") }
        if let wait = perKey.take("key-\(key.id)") {
            throw Open311Error(429, "too many requests with this api_key; retry in \(wait) s", retryAfterSeconds: wait)
        }
        guard let code = fields["service_code"], !code.isEmpty else { throw Open311Error(400, "service_code is required") }
        let category = try category(code, status: 400)
        // The site's one rule for a description (`Lifecycle.validateDescription`), in the service's words where it has its own.
        let description = fields["description"] ?? ""
        do { try Lifecycle.validateDescription(description, maxBytes: try store.context().maxDescriptionBytes) } catch {
            guard error == .refusal(.descriptionEmpty) else { throw error }
            throw Open311Error(400, "description is required: say what is wrong and where")
        }
        guard description.count <= limits.maxDescriptionCharacters else {
            throw Open311Error(400, "description is over the limit of \(limits.maxDescriptionCharacters) characters")
        }
        let lat = try coordinate(fields["lat"], name: "lat", range: -90...90)
        let lon = try coordinate(fields["long"], name: "long", range: -180...180)
        let addressID = fields["address_id"]?.trimmingCharacters(in: .whitespaces)
        guard (lat == nil) == (lon == nil) else { throw Open311Error(400, "lat and long go together: give both, or neither and an address_id") }
        for name in ["address_string", "email", "first_name", "last_name", "phone", "device_id", "account_id"] {
            if let value = fields[name], value.utf8.count > limits.maxFieldBytes {
                throw Open311Error(400, "\(name) is longer than \(limits.maxFieldBytes) bytes")
            }
        }
        let media = try mediaURL(fields["media_url"])
        let cellCode = try place(lat: lat, lon: lon, addressID: addressID)
        let requester = Open311Requester(address: fields["address_string"], lat: lat, lon: lon, email: fields["email"],
                                         firstName: fields["first_name"], lastName: fields["last_name"], phone: fields["phone"],
                                         deviceID: fields["device_id"], accountID: fields["account_id"])
        let draft = ReportDraft(kind: category.kind, categoryCode: category.code, cellCode: cellCode, description: description, source: .web)
        // The service's clock must lie in the site's time window (a machine clock reset to 1970, a CITYGRID_NOW years
        // off): nothing is filed with an absurd time. Not the client's fault, so 503, and the request may be retried.
        let now = clock()
        do { try store.timeWindow().check(now, now: now, what: "the service's clock") } catch {
            guard case .invalidInput(let message) = error else { throw error }
            throw Open311Error(503, "\(message); nothing was filed")
        }
        let (filed, token) = try store.fileOpen311Request(draft, requester: requester, mediaURL: media, apiKey: key, at: now)
        let record: Record = [
            ("service_request_id", .string(String(filed.id))),
            ("token", .string(token)),
            ("service_notice", .string("Received as case \(filed.id) in cell \(cellCode); the monitoring center verifies it next.")),
            ("account_id", .string(nil)),
        ]
        var response = respond(Open311Writer.render([record], root: "service_requests", element: "request", format: format), format)
        response.status = .created
        return response
    }

    /// Where a request goes: the cell nearest to lat/long (within 150 m), or the cell whose code is `address_id` (the
    /// same code `GET /requests` returns as `address_id`). An address alone cannot be placed: this site has no geocoder.
    func place(lat: Double?, lon: Double?, addressID: String?) throws -> String {
        if let lat, let lon {
            guard let cell = try store.cell(nearLatitude: lat, longitude: lon, maxMeters: GridCell.reachMeters) else {
                throw Open311Error(400, "lat/long (\(lat), \(lon)) is not within \(Int(GridCell.reachMeters)) m of any grid cell of this site")
            }
            return cell.code
        }
        guard let addressID, !addressID.isEmpty else {
            throw Open311Error(400, "lat and long (or address_id, a cell code of this site) are required: requests are placed on the grid, not by address_string")
        }
        do {
            return try store.cellPlace(addressID).code
        } catch WorkflowError.notFound {
            // A well-formed code by now: safe to quote.
            throw Open311Error(400, "address_id \(addressID) is not a cell of this site")
        } catch WorkflowError.invalidInput {
            throw Open311Error(400, "address_id must be a 15-digit cell code of this site, as GET /requests returns it")
        }
    }

    /// `media_url`: an absolute http or https URL with a host, at most `maxFieldBytes`, nothing in it a terminal or
    /// a log could take for something else (spaces, controls, quotes, angle brackets); empty means none.
    func mediaURL(_ text: String?) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard text.utf8.count <= limits.maxFieldBytes else { throw Open311Error(400, "media_url is longer than \(limits.maxFieldBytes) bytes") }
        let allowed = text.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && !"\"<>\\^`{|}".unicodeScalars.contains($0) }
        guard allowed, let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw Open311Error(400, "media_url must be an http or https URL of a picture, e.g. https://example.org/photo.jpg (non-ASCII characters percent-encoded)")
        }
        return text
    }

    func coordinate(_ text: String?, name: String, range: ClosedRange<Double>) throws -> Double? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard text.count <= 32, let value = Double(text), value.isFinite, range.contains(value) else {
            throw Open311Error(400, "\(name) must be a number between \(Int(range.lowerBound)) and \(Int(range.upperBound))")
        }
        return value
    }

    /// The posted fields: form-encoded (the spec's way) or a JSON object; anything else is 415.
    func body(_ request: Request) async throws -> [String: String] {
        var request = request
        let buffer = try await request.collectBody(upTo: limits.maxBodyBytes)
        let bytes = Array(buffer.readableBytesView)
        let type = request.headers[.contentType]?.lowercased() ?? "application/x-www-form-urlencoded"
        if type.hasPrefix("application/x-www-form-urlencoded") { return try Fields.form(bytes) }
        if type.hasPrefix("application/json") { return try Fields.json(bytes) }
        if type.hasPrefix("multipart/form-data") {
            throw Open311Error(415, "multipart bodies (media uploads) are not accepted; post form-encoded fields, with media_url for a picture")
        }
        throw Open311Error(415, "post the fields form-encoded (application/x-www-form-urlencoded) or as a JSON object")
    }

    /// `GET /requests`: by `service_request_id` (up to 1000, unpaged), else filtered by `service_code`,
    /// `start_date`, `end_date` (default: the last 90 days) and `status`, newest first, in pages: `page` (from 1)
    /// of `page_size` rows (default `Limits.defaultPageSize`, at most `maxPageSize`). A `Link` header gives the
    /// `first`, `prev` and `next` pages, with the window fixed so pages do not shift as time passes. Each listing
    /// is charged to the client's budget by the rows it returns (`rowsPerToken`).
    func requests(_ request: Request, _ context: Open311Context, _ format: Open311Format) throws -> Response {
        let query = try Fields.form(Array((request.uri.query ?? "").utf8))
        let lang = try language(request)
        let zone = try store.context().calendar.timeZone
        let instants = InstantFormat(timeZone: zone)
        var filter = Open311Filter()
        var page: (number: Int, size: Int)?
        if let ids = query["service_request_id"], !ids.isEmpty {
            let parts = ids.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count <= 1000 else { throw Open311Error(400, "at most 1000 service_request_id values") }
            filter.ids = try parts.map { part in
                guard let id = Int64(part), id > 0 else { throw Open311Error(400, "service_request_id must be a comma-separated list of numbers") }
                return id
            }
        } else {
            if let codes = query["service_code"], !codes.isEmpty {
                filter.categories = try codes.split(separator: ",").map { try category(String($0), status: 400).key }
            }
            func date(_ name: String) throws -> Date? {
                guard let text = query[name], !text.isEmpty else { return nil }
                let instant: Date
                do { instant = try instants.parse(text) } catch {
                    throw Open311Error(400, "\(name) must be ISO-8601, e.g. 2026-11-25T00:00:00+08:00")
                }
                guard TimeWindow.isPlausible(instant) else {
                    throw Open311Error(400, "\(name) must lie between 1900-01-01 and 2199-12-31, the years this site keeps")
                }
                return instant
            }
            let end = try date("end_date")
            let start = try date("start_date")
            // The spec's default window: the last 90 days (counted from end_date or now, or on from start_date).
            filter.to = end ?? (start.map { $0.addingTimeInterval(90 * 86_400) } ?? clock())
            filter.from = start ?? filter.to!.addingTimeInterval(-90 * 86_400)
            if filter.from! > filter.to! { throw Open311Error(400, "start_date is after end_date") }
            if let status = query["status"], !status.isEmpty {
                let wanted = Set(status.lowercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                guard wanted.isSubset(of: ["open", "closed"]) else { throw Open311Error(400, "status must be open or closed (or both, comma-separated)") }
                filter.open = wanted.count == 2 ? nil : wanted.contains("open")
            }
            let paging = try pageOf(query)
            page = paging
            // One row more than the page tells whether there is a next page.
            filter.limit = paging.size + 1
            filter.offset = (paging.number - 1) * paging.size
        }
        var found = try store.open311Cases(filter)
        let more = page.map { found.count > $0.size } ?? false
        if let page, more { found.removeLast(found.count - page.size) }
        if let address = context.clientAddress {
            perClient.charge("ip-\(address)", (Double(found.count) / max(limits.rowsPerToken, 1)).rounded(.down))
        }
        var response = respond(Open311Writer.render(found.map { requestRecord($0, zone: zone, lang: lang) }, root: "service_requests",
                                                    element: "request", format: format), format)
        if let page, let from = filter.from, let to = filter.to {
            // The filters as understood, re-encoded: nothing of the client's text goes into the header as given.
            var fixed: [(String, String)] = [("start_date", instants.string(from)), ("end_date", instants.string(to))]
            for name in ["service_code", "status", "lang"] { if let value = query[name], !value.isEmpty { fixed.append((name, value)) } }
            func link(_ number: Int, _ rel: String) -> String {
                let pairs = fixed + [("page", String(number)), ("page_size", String(page.size))]
                return "<\(request.uri.path)?\(pairs.map { "\($0)=\(Self.queryEncoded($1))" }.joined(separator: "&"))>; rel=\"\(rel)\""
            }
            var links = [link(1, "first")]
            if page.number > 1 { links.append(link(page.number - 1, "prev")) }
            if more { links.append(link(page.number + 1, "next")) }
            response.headers[.link] = links.joined(separator: ", ")
        }
        return response
    }

    /// `page` (1 to 100,000) and `page_size` (1 to `maxPageSize`), or 400.
    func pageOf(_ query: [String: String]) throws -> (number: Int, size: Int) {
        var number = 1, size = limits.defaultPageSize
        if let text = query["page"] {
            guard text.count <= 6, let value = Int(text), (1...100_000).contains(value) else {
                throw Open311Error(400, "page must be a whole number from 1 to 100000")
            }
            number = value
        }
        if let text = query["page_size"] {
            guard text.count <= 6, let value = Int(text), (1...limits.maxPageSize).contains(value) else {
                throw Open311Error(400, "page_size must be a whole number from 1 to \(limits.maxPageSize)")
            }
            size = value
        }
        return (number, size)
    }

    /// Percent-encodes everything but unreserved characters (RFC 3986), for a query in a header.
    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet()
        allowed.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    func request(file: String, _ request: Request) throws -> Response {
        guard let (name, format) = Open311Format.split(Substring(file)) else {
            throw Open311Error(404, "give a service request id with .json or .xml, e.g. /requests/123.json")
        }
        let lang = try language(request)
        guard let id = Int64(name), id > 0, let found = try store.open311Cases(Open311Filter(ids: [id])).first else {
            throw Open311Error(404, "no service request \(Echo.safe(name))")
        }
        let zone = try store.context().calendar.timeZone
        return respond(Open311Writer.render([requestRecord(found, zone: zone, lang: lang)], root: "service_requests",
                                            element: "request", format: format), format)
    }

    func token(file: String, _ request: Request) throws -> Response {
        guard let (name, format) = Open311Format.split(Substring(file)) else {
            throw Open311Error(404, "give a token with .json or .xml, e.g. /tokens/TOKEN.json")
        }
        guard name.count <= 64, let id = try store.caseID(forToken: String(name)) else {
            throw Open311Error(404, "no service request for token \(Echo.safe(name))")
        }
        let record: Record = [("service_request_id", .string(String(id))), ("token", .string(String(name)))]
        return respond(Open311Writer.render([record], root: "service_requests", element: "request", format: format), format)
    }

    func requestRecord(_ found: Open311Case, zone: TimeZone, lang: String) -> Record {
        let c = found.serviceCase
        let format = InstantFormat(timeZone: zone)
        let zh = lang == "zh"
        return [
            ("service_request_id", .string(String(c.id))),
            ("status", .string(c.state.isOpen ? "open" : "closed")),
            ("status_notes", .string(statusNotes(found, zh: zh))),
            ("service_name", .string(found.category.map { zh ? $0.nameZh : $0.nameEn })),
            ("service_code", .string("\(c.kind.rawValue)-\(c.categoryCode)")),
            ("description", .string(c.description)),
            ("agency_responsible", .string(zh ? found.departmentNameZh : found.departmentNameEn)),
            ("service_notice", .string(nil)),
            ("requested_datetime", .string(format.string(c.reportedAt))),
            ("updated_datetime", .string(format.string(c.lastEventAt))),
            ("expected_datetime", .string(c.state.isOpen ? c.deadline.map(format.string) : nil)),
            ("address", .string(found.address)),
            ("address_id", .string(c.cellCode)),
            ("zipcode", .string(nil)),
            ("lat", .double(found.cellLat)),
            ("long", .double(found.cellLon)),
            ("media_url", .string(found.mediaURL)),
        ]
    }

    /// What the case's reporters are told of its stage (the outbox's text, `Notice.status`), in the request's language;
    /// a closed case adds its close type and note; cancelled: the action and its reason.
    func statusNotes(_ found: Open311Case, zh: Bool = false) -> String {
        let c = found.serviceCase
        if let notice = found.publicNotice {
            let text = notice.text(zh ? .zh : .en)
            guard c.state == .closed else { return text }
            let note = found.lastNote.flatMap { $0.isEmpty ? nil : $0 }
            return text + " (\(c.closeType?.rawValue ?? "normal"))" + (note.map { ": \($0)" } ?? "")
        }
        let note = found.lastNote.flatMap { $0.isEmpty ? nil : $0 }
        switch c.state {
        case .closed: return "closed (\(c.closeType?.rawValue ?? "normal"))" + (note.map { ": \($0)" } ?? "")
        case .cancelled: return "cancelled" + (found.lastAction.map { " (\($0))" } ?? "") + (note.map { ": \($0)" } ?? "")
        default: return c.state.rawValue
        }
    }

    func respond(_ text: String, _ format: Open311Format) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A request's context: Hummingbird's, and the address of the client it came from (none in tests without a
/// socket), for the per-client rate limit.
public struct Open311Context: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, as text.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }
}

/// Turns every refusal into the spec's error list in the path's format, with the right status; applies the
/// rate limits first: the client's own (by address), then the service's.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = Open311Context
    let global: RateLimiter
    let perClient: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let format = Open311Format.guess(path: request.uri.path)
        do {
            // A client over its own limit is refused before it spends the service's.
            if let address = context.clientAddress, let wait = perClient.take("ip-\(address)") {
                throw Open311Error(429, "too many requests from this address; retry in \(wait) s", retryAfterSeconds: wait)
            }
            if let wait = global.take("all") {
                throw Open311Error(429, "too many requests; retry in \(wait) s", retryAfterSeconds: wait)
            }
            return try await next(request, context)
        } catch let error as Open311Error {
            return Self.errorResponse(error, format)
        } catch is HTTPParserError {
            // A malformed or cut-short body (bad chunk sizes, the client gone before its end): the client's fault,
            // and the connection cannot be read any further.
            var response = Self.errorResponse(Open311Error(400, "the request is malformed or its body was cut short"), format)
            response.headers[.connection] = "close"
            return response
        } catch is Open311BodyTimeout {
            return Self.errorResponse(Open311Error(408, "the request body did not arrive in time"), format)
        } catch let error as WorkflowError {
            switch error {
            case .invalidInput(let m): return Self.errorResponse(Open311Error(400, m), format)
            case .refusal(let r) where r.kind != .storage: return Self.errorResponse(Open311Error(r.kind == .input ? 400 : 403, r.text), format)
            case .notFound(let m): return Self.errorResponse(Open311Error(404, m), format)
            case .forbidden(let m), .wrongState(let m): return Self.errorResponse(Open311Error(403, m), format)
            case .storage, .refusal: return Self.errorResponse(Open311Error(503, "the site's database is busy or unavailable; retry later"), format)
            }
        } catch let error as any HTTPResponseError {
            let status = Int(error.status.code)
            let text = switch status {
            case 404: "no such resource; the service offers services, requests and tokens, each as .json or .xml"
            case 405: "method not allowed here"
            case 413: "the request body is too large"
            default: "the request cannot be served (HTTP \(status))"
            }
            return Self.errorResponse(Open311Error(status, text), format)
        } catch {
            return Self.errorResponse(Open311Error(500, "internal error"), format)
        }
    }

    static func errorResponse(_ error: Open311Error, _ format: Open311Format) -> Response {
        Response(status: HTTPResponse.Status(code: error.status), headers: errorHeaders(error, format),
                 body: ResponseBody(byteBuffer: errorBody(error, format)))
    }

    /// After a 408 or 413 (and a 400 for malformed HTTP) the connection is closed (`connection: close`): what
    /// follows on it cannot be trusted to start a request (an unread or malformed body).
    static func errorHeaders(_ error: Open311Error, _ format: Open311Format) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        if let wait = error.retryAfterSeconds { headers[.retryAfter] = String(wait) }
        if [408, 413].contains(error.status) { headers[.connection] = "close" }
        return headers
    }

    static func errorBody(_ error: Open311Error, _ format: Open311Format) -> ByteBuffer {
        let record: Record = [("code", .int(Int64(error.status))), ("description", .string(Echo.clean(error.description)))]
        return ByteBuffer(string: Open311Writer.render([record], root: "errors", element: "error", format: format))
    }
}

extension HTTPField.Name {
    /// RFC 8288 web links: the pages of a listing.
    static let link = HTTPField.Name("Link")!
}
