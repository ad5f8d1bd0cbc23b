import Foundation
import Hummingbird
import Workflow

/// The Open311 GeoReport v2 service over a site's `CityStore` (docs: README, "The command line").
/// Categories are services (`event-0102`); a posted request is filed through the same `CityStore.report` as the
/// CLI's, as a `reported` case with source `web`, so it reaches the intake queue like any other report.
public struct Open311Service: Sendable {
    public struct Limits: Sendable {
        /// Largest request body accepted (413 beyond).
        public var maxBodyBytes = 64 * 1024
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

    public let store: CityStore
    public let clock: @Sendable () -> Date
    public let limits: Limits
    let global: RateLimiter
    let perClient: RateLimiter
    let perKey: RateLimiter

    public init(store: CityStore, limits: Limits = Limits(), clock: @escaping @Sendable () -> Date = { Date() }) {
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
        router.get("/requests.json") { request, _ in try self.requests(request, .json) }
        router.get("/requests.xml") { request, _ in try self.requests(request, .xml) }
        router.post("/requests.json") { request, _ in try await self.post(request, .json) }
        router.post("/requests.xml") { request, _ in try await self.post(request, .xml) }
        router.get("/requests/:file") { request, context in try self.request(file: context.parameters.get("file") ?? "", request) }
        router.get("/tokens/:file") { request, context in try self.token(file: context.parameters.get("file") ?? "", request) }
        return router
    }

    public func application(host: String, port: Int,
                            onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: router(),
                    configuration: .init(address: .hostname(host, port: port), serverName: "CityGrid-Open311"),
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
        guard let description = fields["description"], ReportText.isVisible(description) else {
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
        let (filed, token) = try store.fileOpen311Request(draft, requester: requester, mediaURL: media, apiKey: key, at: clock())
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
            guard let cell = try store.cell(nearLatitude: lat, longitude: lon) else {
                throw Open311Error(400, "lat/long (\(lat), \(lon)) is not within 150 m of any grid cell of this site")
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

    func requests(_ request: Request, _ format: Open311Format) throws -> Response {
        let query = try Fields.form(Array((request.uri.query ?? "").utf8))
        let lang = try language(request)
        let zone = try store.context().calendar.timeZone
        var filter = Open311Filter()
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
            let format = InstantFormat(timeZone: zone)
            func date(_ name: String) throws -> Date? {
                guard let text = query[name], !text.isEmpty else { return nil }
                do { return try format.parse(text) } catch {
                    throw Open311Error(400, "\(name) must be ISO-8601, e.g. 2026-11-25T00:00:00+08:00")
                }
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
        }
        let found = try store.open311Cases(filter)
        return respond(Open311Writer.render(found.map { requestRecord($0, zone: zone, lang: lang) }, root: "service_requests",
                                            element: "request", format: format), format)
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
            ("status_notes", .string(statusNotes(found))),
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

    /// Closed: the close type (and its note); cancelled: the action and its reason; open: the stage it is in.
    func statusNotes(_ found: Open311Case) -> String {
        let c = found.serviceCase
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
        } catch let error as WorkflowError {
            switch error {
            case .invalidInput(let m): return Self.errorResponse(Open311Error(400, m), format)
            case .notFound(let m): return Self.errorResponse(Open311Error(404, m), format)
            case .forbidden(let m), .wrongState(let m): return Self.errorResponse(Open311Error(403, m), format)
            case .storage: return Self.errorResponse(Open311Error(503, "the site's database is busy or unavailable; retry later"), format)
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
        let record: Record = [("code", .int(Int64(error.status))), ("description", .string(Echo.clean(error.description)))]
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        if let wait = error.retryAfterSeconds { headers[.retryAfter] = String(wait) }
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: Open311Writer.render([record], root: "errors", element: "error", format: format))))
    }
}
