import ArgumentParser
import Foundation
import Workflow

extension CoverageGrouping: ExpressibleByArgument {}

/// `citygrid patrol …`: inspectors' positions and the coverage they give (issue 17).
struct PatrolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patrol", abstract: "Inspectors' positions (pings) and patrol coverage (巡查覆盖率).",
        subcommands: [PatrolImport.self, PatrolPingCommand.self, PatrolCoverageCommand.self, PatrolNeglected.self])
}

struct PatrolImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import pings from CSV inspector,time,lat,lon or from a GPX file of tracks.",
        discussion: """
            CSV: the header row is optional; a time without an offset is in the site's time zone. GPX: the track \
            points (trkpt with lat, lon and time) of each track, the inspector being the track's name unless \
            --inspector names one for the whole file. Each ping is placed in the cell whose centre is nearest \
            (within 150 m), or in none (counted as outside). Strict: if any ping is wrong every such line or point \
            is named and nothing is imported.
            """)
    @OptionGroup var store: StoreOptions
    @Argument(help: "CSV or GPX file, or - for standard input.") var file: String
    @Option(help: ArgumentHelp("The inspector of every track of a GPX file (login or id).", valueName: "LOGIN")) var inspector: String?
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now()
            let source = try FileByteSource(path: file)
            var head = try source.read(max: 512)
            let result: PingImportResult
            if PingText.looksLikeXML(head) {
                while true {
                    let more = try source.read(max: 1 << 16)
                    if more.isEmpty { break }
                    head += more
                    guard head.count <= 256 << 20 else { throw WorkflowError.invalidInput("\(file): a GPX file over 256 MiB; split it") }
                }
                let pings: [PingInput]
                do { pings = try PingText.gpx(Data(head), inspector: inspector, zone: session.timeZone) } catch let error as PingRefusal {
                    throw WorkflowError.invalidInput("\(file): \(error.message(unit: "point"))")
                }
                result = try prefixed { () throws(WorkflowError) in try session.patrol.importPings(pings, at: now) }
            } else {
                guard inspector == nil else { throw WorkflowError.invalidInput("--inspector is for GPX files; a CSV file names the inspector on each line") }
                result = try prefixed { () throws(WorkflowError) in try session.patrol.importPings(csv: PrefixedSource(head: head, rest: source), at: now) }
            }
            let format = session.format
            if output.json {
                return try Output.json(PingImportJSON(imported: result.imported, outside: result.outside, inspectors: result.inspectors,
                                                      first: result.first.map(format.string), last: result.last.map(format.string)))
            }
            Output.line("imported \(result.imported) pings of \(result.inspectors) inspectors (\(result.outside) outside every cell)"
                        + (result.first.map { " from \(format.string($0)) to \(format.string(result.last ?? $0))" } ?? ""))
        }
    }

    /// A refusal names the file.
    private func prefixed<T>(_ body: () throws(WorkflowError) -> T) throws(WorkflowError) -> T {
        do { return try body() } catch {
            guard case .invalidInput(let message) = error else { throw error }
            throw .invalidInput("\(file): \(message)")
        }
    }
}

/// Bytes already read, then the rest of the source.
struct PrefixedSource: ByteSource {
    var head: [UInt8]
    let rest: FileByteSource
    mutating func read(max: Int) throws(WorkflowError) -> [UInt8] {
        if !head.isEmpty {
            let part = Array(head.prefix(max))
            head.removeFirst(part.count)
            return part
        }
        return try rest.read(max: max)
    }
}

struct PingImportJSON: ExplicitNullEncodable {
    var imported: Int
    var outside: Int
    var inspectors: Int
    var first: String?
    var last: String?
}

struct PatrolPingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ping", abstract: "Record where an inspector is now (for a field app).")
    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<SharedHelp.Operator>
    @Option(help: "Latitude, degrees north.") var lat: Double
    @Option(help: "Longitude, degrees east.") var lon: Double
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            let session = try store.session()
            let now = try session.now(at)
            let who = try session.acting(actor)
            let ping = try session.patrol.ping(inspector: who, lat: lat, lon: lon, at: now)
            if output.json {
                return try Output.json(PingJSON(inspector: ping.inspectorLogin, time: session.format.string(ping.at), lat: ping.lat, lon: ping.lon,
                                                cell: ping.cellCode))
            }
            Output.line("\(ping.inspectorLogin) at \(ping.cellCode.map { "cell \($0)" } ?? "no cell of the city") · \(session.format.string(ping.at))")
        }
    }
}

struct PingJSON: ExplicitNullEncodable {
    var inspector: String
    var time: String
    var lat: Double
    var lon: Double
    var cell: String?
}

struct PatrolCoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage", abstract: "Patrol coverage (巡查覆盖率): cells visited in the last hours ÷ cells, grouped.",
        discussion: """
            A cell is visited when a ping was placed in it in the window (the site's interval, see 'roster shifts', \
            unless --hours). By inspector: the cells of the inspector's own patrol area the inspector visited ÷ that \
            area's cells. The last row, TOTAL, is the whole city.
            """)
    @OptionGroup var store: StoreOptions
    @Option(help: "patrol-area, street, inspector, district, community or city.") var by: CoverageGrouping = .patrolArea
    @Option(help: ArgumentHelp("The window, in hours before now (default: the site's interval).", valueName: "HOURS")) var hours: Int?
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            if let hours, !PatrolSettings.intervalRange.contains(hours) {
                throw WorkflowError.invalidInput("--hours must be 1 to \(PatrolSettings.intervalRange.upperBound)")
            }
            let session = try store.session()
            let now = try session.now(at)
            let report = try session.patrol.patrolCoverage(by: by, hours: hours, at: now)
            let format = session.format
            if output.json {
                return try Output.json(CoverageJSON(at: format.string(report.at), hours: report.hours, by: by.rawValue,
                                                    rows: report.rows.map(CoverageRowJSON.init), total: CoverageRowJSON(report.total)))
            }
            Output.line("patrol coverage by \(by.rawValue) · last \(report.hours) h · as of \(format.string(now))")
            Output.table(["KEY", "NAME", "CELLS", "VISITED", "COVERAGE %"], (report.rows + [report.total]).map {
                [$0.key, $0.name ?? "", String($0.cells), String($0.visited), $0.rate.map { String(format: "%.1f", $0) } ?? "n/a"]
            })
        }
    }
}

struct CoverageRowJSON: ExplicitNullEncodable {
    var key: String
    var name: String?
    var cells: Int
    var visited: Int
    var coverage_rate: Double?
    init(_ r: CoverageRow) {
        key = r.key; name = r.name; cells = r.cells; visited = r.visited
        coverage_rate = r.rate.map { ($0 * 10).rounded() / 10 }
    }
}

struct CoverageJSON: Encodable {
    var at: String
    var hours: Int
    var by: String
    var rows: [CoverageRowJSON]
    var total: CoverageRowJSON
}

struct PatrolNeglected: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "neglected", abstract: "Cells not patrolled within the site's interval, longest unvisited first.")
    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only cells inside this district, street or community.", valueName: "CODE")) var within: String?
    @Option(help: "At most this many cells.") var limit: Int = 50
    @OptionGroup var at: AtOption<SharedHelp.When>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            guard limit >= 0 else { throw WorkflowError.invalidInput("--limit must be 0 or more") }
            let session = try store.session()
            let now = try session.now(at)
            let list = try session.patrol.neglectedCells(within: within, at: now, limit: limit)
            let format = session.format
            let rows = list.cells.map { NeglectedJSON(cell: $0.cellCode, patrol_area: $0.patrolArea, last_visit: $0.lastVisit.map(format.string),
                                                      hours_since: $0.lastVisit.map { Int(now.timeIntervalSince($0) / 3600) }) }
            if output.json { return try Output.json(NeglectedListJSON(interval_hours: list.hours, total: list.total, cells: rows)) }
            Output.line("\(list.total) cells not patrolled in the last \(list.hours) h")
            Output.table(["CELL", "AREA", "LAST VISIT", "HOURS"], rows.map {
                [$0.cell, $0.patrol_area ?? "-", $0.last_visit ?? "never", $0.hours_since.map(String.init) ?? "-"]
            })
        }
    }
}

struct NeglectedJSON: ExplicitNullEncodable {
    var cell: String
    var patrol_area: String?
    var last_visit: String?
    var hours_since: Int?
}

struct NeglectedListJSON: Encodable {
    var interval_hours: Int
    var total: Int
    var cells: [NeglectedJSON]
}
