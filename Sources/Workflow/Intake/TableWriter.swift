import Foundation

/// Where export bytes go: a buffered file or standard output, or memory in tests.
public protocol ByteSink: AnyObject {
    func write(_ bytes: [UInt8]) throws(WorkflowError)
}

public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: [UInt8]) throws(WorkflowError) { self.bytes += bytes }
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, jsonl, geojson
}

/// One value of an exported row.
public enum ExportValue: Sendable, Equatable {
    case text(String?)
    case int(Int64?)
    case number(Double?)
    case bool(Bool)
    /// Already JSON (nested history and reports); CSV writes the JSON text in one field.
    case json(String)
}

/// Writes rows of named columns as CSV (a header row, `CSVText` with CRLF), JSON Lines (one object per line)
/// or a GeoJSON FeatureCollection (a Point feature per row, the columns as properties), streaming.
public final class TableWriter {
    public let columns: [String]
    public let format: ExportFormat
    let sink: any ByteSink
    /// Applied to text values of CSV written to a terminal; JSON escapes every control character itself.
    let clean: (String) -> String
    private var buffer: [UInt8] = []
    private var rows = 0

    public init(columns: [String], format: ExportFormat, sink: any ByteSink, clean: @escaping (String) -> String = { $0 }) {
        self.columns = columns; self.format = format; self.sink = sink; self.clean = clean
        buffer.reserveCapacity(1 << 16)
    }

    public func begin() throws(WorkflowError) {
        switch format {
        case .csv: append(CSVText.line(columns, ending: "\r\n"))
        case .jsonl: break
        case .geojson: append("{\"type\":\"FeatureCollection\",\"features\":[\n")
        }
    }

    public func row(_ values: [ExportValue], point: (lat: Double, lon: Double)? = nil) throws(WorkflowError) {
        precondition(values.count == columns.count, "a row has one value per column")
        switch format {
        case .csv:
            var fields: [String] = []
            fields.reserveCapacity(values.count)
            for value in values {
                switch value {
                case .text(let s): fields.append(clean(s ?? ""))
                case .int(let v): fields.append(v.map(String.init) ?? "")
                case .number(let v): fields.append(v.map(Self.number) ?? "")
                case .bool(let b): fields.append(b ? "true" : "false")
                case .json(let j): fields.append(clean(j))
                }
            }
            append(CSVText.line(fields, ending: "\r\n"))
        case .jsonl:
            append(object(values) + "\n")
        case .geojson:
            let geometry = point.map { "{\"type\":\"Point\",\"coordinates\":[\(Self.number($0.lon)),\(Self.number($0.lat))]}" } ?? "null"
            append((rows == 0 ? "" : ",\n") + "{\"type\":\"Feature\",\"geometry\":\(geometry),\"properties\":\(object(values))}")
        }
        rows += 1
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func end() throws(WorkflowError) {
        if format == .geojson { append((rows == 0 ? "" : "\n") + "]}\n") }
        try flush()
    }

    private func object(_ values: [ExportValue]) -> String {
        var out = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            out += JSONText.string(columns[index]) + ":" + JSONText.value(value)
        }
        return out + "}"
    }

    private func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private func flush() throws(WorkflowError) {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Shortest text that reads back as the same double; whole numbers without a fraction.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// JSON text for export, escaping every control character, C1 controls, bidi overrides and line
/// separators as \u sequences: the output is safe on a terminal and decodes to the text as stored.
public enum JSONText {
    public static func string(_ s: String) -> String {
        var out = "\""
        out.unicodeScalars.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            let v = scalar.value
            switch v {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x00..<0x20, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029, 0x200E, 0x200F, 0x061C, 0xFEFF:
                out += String(format: "\\u%04x", v)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    public static func value(_ value: ExportValue) -> String {
        switch value {
        case .text(let s): s.map(string) ?? "null"
        case .int(let v): v.map(String.init) ?? "null"
        case .number(let v): v.map { $0.isFinite ? TableWriter.number($0) : "null" } ?? "null"
        case .bool(let b): b ? "true" : "false"
        case .json(let j): j
        }
    }

    public static func object(_ pairs: [(String, ExportValue)]) -> String {
        "{" + pairs.map { string($0.0) + ":" + value($0.1) }.joined(separator: ",") + "}"
    }
}
