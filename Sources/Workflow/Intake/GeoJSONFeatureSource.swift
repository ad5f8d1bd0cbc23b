import Foundation

/// A GeoJSON FeatureCollection read feature by feature: a byte scanner finds each object in the top-level
/// `features` array and only that object is parsed, so memory is bounded by the largest feature, not the file.
public struct GeoJSONFeatureSource<Source: ByteSource>: RecordSource {
    var source: Source
    private var chunk: [UInt8] = []
    private var position = 0
    private var finished = false
    private var line = 1
    private var depth = 0
    private var inString = false
    private var escaped = false
    /// The last string read at depth 1 (a top-level key), up to a few bytes.
    private var key: [UInt8] = []
    private var keyDone = false
    private var expectingValueFor: [UInt8]?
    private var inFeatures = false
    private var sawFeatures = false
    private var capture: [UInt8] = []
    private var capturing = false
    private var captureLine = 0
    private var captureTooBig = false

    public init(_ source: Source) { self.source = source }

    public mutating func next() throws(WorkflowError) -> ImportItem? {
        while true {
            if position >= chunk.count {
                if finished { break }
                chunk = try source.read(max: 1 << 16)
                position = 0
                if chunk.isEmpty { finished = true; break }
            }
            let b = chunk[position]
            position += 1
            if b == UInt8(ascii: "\n") { line += 1 }
            if capturing && !captureTooBig {
                if capture.count >= ImportLimits.maxFeatureBytes {
                    captureTooBig = true
                    capture = Array(capture.prefix(ImportLimits.maxRawBytes))
                } else {
                    capture.append(b)
                }
            }
            if inString {
                if escaped { escaped = false }
                else if b == UInt8(ascii: "\\") { escaped = true }
                else if b == UInt8(ascii: "\"") { inString = false; if depth == 1 { keyDone = true } }
                else if depth == 1 && key.count < 16 { key.append(b) }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                if depth == 1 { key = []; keyDone = false }
            case UInt8(ascii: ":"):
                if depth == 1 && keyDone { expectingValueFor = key }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1, b == UInt8(ascii: "["), expectingValueFor == Array("features".utf8) {
                    inFeatures = true; sawFeatures = true
                } else if depth == 2 && inFeatures && b == UInt8(ascii: "{") {
                    capturing = true; capture = [b]; captureLine = line; captureTooBig = false
                }
                if depth == 1 { expectingValueFor = nil }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { throw .invalidInput("line \(line): unbalanced '\(Character(UnicodeScalar(b)))': the file is not a GeoJSON FeatureCollection") }
                if depth == 1 && inFeatures && b == UInt8(ascii: "]") { inFeatures = false }
                if depth == 2 && inFeatures && capturing && b == UInt8(ascii: "}") {
                    capturing = false
                    let bytes = capture
                    capture = []
                    if captureTooBig {
                        return .bad(ImportReject(line: captureLine, reason: "feature is larger than \(ImportLimits.maxFeatureBytes) bytes", raw: bytes))
                    }
                    return Self.feature(bytes, line: captureLine)
                }
            case UInt8(ascii: ","):
                if depth == 1 { expectingValueFor = nil }
            default:
                break
            }
        }
        if capturing {
            capturing = false
            return .bad(ImportReject(line: captureLine, reason: "the file ends inside this feature", raw: capture.clipped))
        }
        if !sawFeatures { throw .invalidInput("no \"features\" array: the file is not a GeoJSON FeatureCollection") }
        if depth != 0 || inString { throw .invalidInput("line \(line): the file ends before the FeatureCollection is closed") }
        return nil
    }

    static func feature(_ bytes: [UInt8], line: Int) -> ImportItem {
        do {
            let object = try JSONObjects.object(bytes)
            guard object["type"] as? String == "Feature" else { throw WorkflowError.invalidInput("not a GeoJSON Feature (type is not \"Feature\")") }
            var fields: [String: String] = [:]
            if let properties = object["properties"] as? [String: Any] { fields = try JSONObjects.fields(properties) }
            if let id = object["id"], fields["id"] == nil {
                if let text = id as? String { fields["id"] = text } else if let n = id as? NSNumber { fields["id"] = n.stringValue }
            }
            var point: (lat: Double, lon: Double)?
            if let geometry = object["geometry"] as? [String: Any] { point = try Geometry.representativePoint(geometry) }
            return .record(ImportRecord(line: line, fields: fields, point: point, raw: bytes.clipped))
        } catch let error as WorkflowError {
            return .bad(ImportReject(line: line, reason: error.message, raw: bytes.clipped))
        } catch {
            return .bad(ImportReject(line: line, reason: "\(error)", raw: bytes.clipped))
        }
    }
}

/// Points for features: a Point as given, the area centroid of a Polygon's outer ring or of a MultiPolygon.
public enum Geometry {
    public static func representativePoint(_ geometry: [String: Any]) throws(WorkflowError) -> (lat: Double, lon: Double) {
        let type = geometry["type"] as? String ?? ""
        switch type {
        case "Point":
            let p = try position(geometry["coordinates"])
            return (p.1, p.0)
        case "Polygon":
            guard let rings = geometry["coordinates"] as? [Any], let outer = rings.first else { throw .invalidInput("Polygon has no rings") }
            let c = try centroid([try ring(outer)])
            return (c.1, c.0)
        case "MultiPolygon":
            guard let polygons = geometry["coordinates"] as? [Any], !polygons.isEmpty else { throw .invalidInput("MultiPolygon has no polygons") }
            var outers: [[(Double, Double)]] = []
            for polygon in polygons {
                guard let rings = polygon as? [Any], let outer = rings.first else { throw .invalidInput("MultiPolygon has a polygon without rings") }
                outers.append(try ring(outer))
            }
            let c = try centroid(outers)
            return (c.1, c.0)
        default:
            throw .invalidInput("geometry type '\(type)' is not Point, Polygon or MultiPolygon")
        }
    }

    static func position(_ value: Any?) throws(WorkflowError) -> (Double, Double) {
        guard let pair = value as? [Any], pair.count >= 2,
              let lon = (pair[0] as? NSNumber)?.doubleValue, let lat = (pair[1] as? NSNumber)?.doubleValue else {
            throw .invalidInput("a position is not [longitude, latitude]")
        }
        guard lon.isFinite, lat.isFinite, (-180...180).contains(lon), (-90...90).contains(lat) else {
            throw .invalidInput("position [\(lon), \(lat)] is not a longitude and latitude")
        }
        return (lon, lat)
    }

    static func ring(_ value: Any) throws(WorkflowError) -> [(Double, Double)] {
        guard let points = value as? [Any], points.count >= 4 else { throw .invalidInput("a polygon ring needs at least 4 positions") }
        guard points.count <= 100_000 else { throw .invalidInput("a polygon ring has more than 100000 positions") }
        var out: [(Double, Double)] = []
        out.reserveCapacity(points.count)
        for p in points { out.append(try position(p)) }
        return out
    }

    /// Area-weighted centroid of rings (shoelace formula in degrees: cells are small enough to be flat).
    static func centroid(_ rings: [[(Double, Double)]]) throws(WorkflowError) -> (Double, Double) {
        var area = 0.0, cx = 0.0, cy = 0.0
        var sumX = 0.0, sumY = 0.0, count = 0.0
        for ring in rings {
            for i in 0..<(ring.count - 1) {
                let (x0, y0) = ring[i], (x1, y1) = ring[i + 1]
                let cross = x0 * y1 - x1 * y0
                area += cross
                cx += (x0 + x1) * cross
                cy += (y0 + y1) * cross
                sumX += x0; sumY += y0; count += 1
            }
        }
        if abs(area) < 1e-18 {
            guard count > 0 else { throw .invalidInput("polygon has no positions") }
            return (sumX / count, sumY / count)
        }
        return (cx / (3 * area), cy / (3 * area))
    }
}
