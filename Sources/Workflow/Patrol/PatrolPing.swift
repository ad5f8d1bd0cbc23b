import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An inspector's position at an instant, as it comes in (a field app, a CSV export, a GPX track).
public struct PingInput: Sendable, Equatable {
    /// Login or id, as written.
    public var inspector: String
    public var at: Date
    public var lat: Double
    public var lon: Double
    /// Where it came from, for a refusal: the line of a CSV file, the point of a GPX track.
    public var line: Int

    public init(inspector: String, at: Date, lat: Double, lon: Double, line: Int = 0) {
        self.inspector = inspector; self.at = at; self.lat = lat; self.lon = lon; self.line = line
    }
}

/// A stored ping, with the cell it falls in.
public struct PatrolPing: Sendable, Equatable {
    public var inspectorID: Int64
    public var inspectorLogin: String
    public var at: Date
    public var lat: Double
    public var lon: Double
    /// Nil when no cell's centre lies within `GridCell.reachMeters`: the inspector was outside the city's cells.
    public var cellCode: String?
}

/// What a ping import did.
public struct PingImportResult: Sendable, Equatable {
    public var imported = 0
    /// Pings in no cell of the city (kept, counted apart).
    public var outside = 0
    public var inspectors = 0
    public var first: Date?
    public var last: Date?
    public init() {}
}

/// Reading pings: one CSV line (`inspector,time,lat,lon`) and GPX tracks. Pure; the store checks inspectors and times.
public enum PingText {
    /// The fields of one CSV line, or why it is not one. `nil` for a line to skip (blank, a comment, the header).
    public static func csvLine(_ bytes: [UInt8], line: Int, zone: TimeZone) -> Result<PingInput, PingProblem>? {
        var fields: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: ",") {
            var field = bytes[start..<i]
            while let f = field.first, f == 0x20 || f == 0x09 { field = field.dropFirst() }
            while let l = field.last, l == 0x20 || l == 0x09 { field = field.dropLast() }
            if field.count >= 2, field.first == 0x22, field.last == 0x22 { field = field.dropFirst().dropLast() }
            fields.append(field)
            start = i + 1
        }
        if fields.allSatisfy(\.isEmpty) || fields[0].first == UInt8(ascii: "#") { return nil }
        if line == 1 || String(decoding: fields[0], as: UTF8.self).lowercased() == "inspector" {
            let names = fields.map { String(decoding: $0, as: UTF8.self).lowercased() }
            if names == ["inspector", "time", "lat", "lon"] { return nil }
            if names.first == "inspector" { return .failure(PingProblem(line: line, text: "the header must be inspector,time,lat,lon")) }
        }
        guard fields.count == 4 else {
            return .failure(PingProblem(line: line, text: "\(fields.count) fields; a ping is inspector,time,lat,lon"))
        }
        let inspector = String(decoding: fields[0], as: UTF8.self)
        guard !inspector.isEmpty else { return .failure(PingProblem(line: line, text: "the inspector is empty")) }
        let time = fields[1].withUnsafeBufferPointer { InstantText.scan($0) }
        guard case .success(let text) = time, let at = text.instant(in: zone) else {
            return .failure(PingProblem(line: line, text: "'\(String(decoding: fields[1], as: UTF8.self))' is not a time such as 2026-11-25T10:30:00+08:00"))
        }
        guard let lat = Double(String(decoding: fields[2], as: UTF8.self)), let lon = Double(String(decoding: fields[3], as: UTF8.self)),
              validPosition(lat: lat, lon: lon) else {
            return .failure(PingProblem(line: line, text: "(\(String(decoding: fields[2], as: UTF8.self)), \(String(decoding: fields[3], as: UTF8.self))) is not a latitude and longitude"))
        }
        return .success(PingInput(inspector: inspector, at: at, lat: lat, lon: lon, line: line))
    }

    public static func validPosition(lat: Double, lon: Double) -> Bool {
        lat.isFinite && lon.isFinite && (-90...90).contains(lat) && (-180...180).contains(lon)
    }

    /// Whether bytes look like XML (a GPX file) rather than CSV.
    public static func looksLikeXML(_ prefix: [UInt8]) -> Bool {
        let text = String(decoding: prefix.prefix(512), as: UTF8.self).drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        return text.hasPrefix("<")
    }

    /// The track points of a GPX file (`trk/trkseg/trkpt` with `lat`, `lon` and `time`), each track's inspector its
    /// `<name>`, unless `inspector` names one for the whole file. A point without a time, a bad position or time, a track
    /// with no inspector: refused, numbered by point (1-based, in file order).
    public static func gpx(_ data: Data, inspector: String?, zone: TimeZone) throws(PingRefusal) -> [PingInput] {
        let reader = GPXReader(inspector: inspector, zone: zone)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let ok = parser.parse()
        if !ok && reader.problems.isEmpty {
            let line = parser.lineNumber
            throw PingRefusal(problems: [PingProblem(line: line, text: "not GPX (XML error at line \(line): \(parser.parserError.map { "\($0)" } ?? "unknown"))")], count: 1)
        }
        guard reader.problems.isEmpty else { throw PingRefusal(problems: Array(reader.problems.prefix(PingRefusal.shown)), count: reader.problems.count) }
        guard !reader.pings.isEmpty else { throw PingRefusal(problems: [PingProblem(line: 0, text: "no track points (trkpt) in the file")], count: 1) }
        return reader.pings
    }
}

/// A ping that cannot be taken: its line (CSV) or point number (GPX) and why.
public struct PingProblem: Error, Sendable, Equatable {
    public var line: Int
    public var text: String
}

/// Why a ping file is refused, every bad row named (up to `shown`); nothing of it is imported.
public struct PingRefusal: Error, Sendable, Equatable {
    public var problems: [PingProblem]
    public var count: Int
    public static let shown = 50
    public func message(unit: String = "line") -> String {
        var lines = ["\(count) ping\(count == 1 ? "" : "s") refused, nothing imported"]
        lines += problems.map { $0.line > 0 ? "\(unit) \($0.line): \($0.text)" : $0.text }
        if count > problems.count { lines.append("… and \(count - problems.count) more") }
        return lines.joined(separator: "\n")
    }
}

/// Collects track points as the parser walks a GPX document.
final class GPXReader: NSObject, XMLParserDelegate {
    let inspector: String?
    let zone: TimeZone
    var pings: [PingInput] = []
    var problems: [PingProblem] = []
    private var trackName: String?
    private var point: (lat: Double?, lon: Double?, latText: String, lonText: String, number: Int)?
    private var points = 0
    private var text = ""
    private var time: String?
    private var inTrack = false
    private var pending: [(lat: Double, lon: Double, time: String, number: Int)] = []

    init(inspector: String?, zone: TimeZone) { self.inspector = inspector; self.zone = zone }

    private static func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        text = ""
        switch Self.local(elementName) {
        case "trk": inTrack = true; trackName = nil; pending = []
        case "trkpt":
            points += 1
            let latText = attributes["lat"] ?? "", lonText = attributes["lon"] ?? ""
            point = (Double(latText), Double(lonText), latText, lonText, points)
            time = nil
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch Self.local(elementName) {
        case "name" where inTrack && point == nil: trackName = text.trimmingCharacters(in: .whitespacesAndNewlines)
        case "time" where point != nil: time = text.trimmingCharacters(in: .whitespacesAndNewlines)
        case "trkpt":
            guard let p = point else { break }
            point = nil
            guard let lat = p.lat, let lon = p.lon, PingText.validPosition(lat: lat, lon: lon) else {
                problems.append(PingProblem(line: p.number, text: "(\(p.latText), \(p.lonText)) is not a latitude and longitude")); break
            }
            guard let time else { problems.append(PingProblem(line: p.number, text: "the point has no time")); break }
            pending.append((lat, lon, time, p.number))
        case "trk":
            inTrack = false
            let who = inspector ?? trackName
            for p in pending {
                guard let who, !who.isEmpty else {
                    problems.append(PingProblem(line: p.number, text: "the track names no inspector (give one for the whole file)")); continue
                }
                let scanned = Array(p.time.utf8).withUnsafeBufferPointer { InstantText.scan($0) }
                guard case .success(let t) = scanned, let at = t.instant(in: zone) else {
                    problems.append(PingProblem(line: p.number, text: "'\(p.time)' is not a time such as 2026-11-25T02:30:00Z")); continue
                }
                pings.append(PingInput(inspector: who, at: at, lat: p.lat, lon: p.lon, line: p.number))
            }
            pending = []
        default: break
        }
        text = ""
    }
}
