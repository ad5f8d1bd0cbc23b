import Foundation

/// One record of an import file, as named text fields: a CSV row by its header, a JSON object's keys, a
/// GeoJSON feature's properties. Empty and null values are absent.
public struct ImportRecord {
    /// The line the record starts on (1-based).
    public var line: Int
    public var fields: [String: String]
    /// A GeoJSON feature's point, or the centroid of its polygon.
    public var point: (lat: Double, lon: Double)?
    /// The record as it appeared in the file, for the reject file.
    public var raw: [UInt8]

    public subscript(_ name: String) -> String? { fields[name] }
}

/// A record that could not even be read, or one refused later: line, reason, and its text as given.
public struct ImportReject: Sendable {
    public var line: Int
    public var reason: String
    public var raw: [UInt8]
    public init(line: Int, reason: String, raw: [UInt8]) { self.line = line; self.reason = reason; self.raw = raw }
}

public enum ImportItem {
    case record(ImportRecord)
    case bad(ImportReject)

    /// The line the item starts on.
    public var line: Int {
        switch self {
        case .record(let r): r.line
        case .bad(let r): r.line
        }
    }
}

/// Records one at a time from a streamed file.
public protocol RecordSource {
    mutating func next() throws(WorkflowError) -> ImportItem?
}

/// Limits that keep hostile files from taking unbounded memory or producing unbounded rows.
public enum ImportLimits {
    /// Longest physical line (CSV, JSON Lines).
    public static let maxLineBytes = 1 << 20
    /// Longest CSV record, quoted line breaks included.
    public static let maxRecordBytes = 1 << 20
    /// Longest single field (the description limit is lower, 64 KiB, and checked by the lifecycle).
    public static let maxFieldBytes = 1 << 17
    /// Largest GeoJSON feature.
    public static let maxFeatureBytes = 16 << 20
    /// Most fields in one record.
    public static let maxFields = 256
    /// Bytes of a bad record kept for the reject file.
    public static let maxRawBytes = 64 << 10
}

extension Array where Element == UInt8 {
    /// The first bytes of a record, for the reject file.
    var clipped: [UInt8] { count > ImportLimits.maxRawBytes ? Array(self[0..<ImportLimits.maxRawBytes]) : self }
}

enum FieldText {
    /// Text from bytes that must be UTF-8; the error names the column.
    static func decode(_ bytes: some Collection<UInt8>, column: String) throws(WorkflowError) -> String {
        guard bytes.count <= ImportLimits.maxFieldBytes else {
            throw .invalidInput("column '\(column)' is \(bytes.count) bytes; the limit is \(ImportLimits.maxFieldBytes) bytes")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidInput("column '\(column)' is not valid UTF-8")
        }
        try ReportText.refuseNUL(text, field: "column '\(column)'")
        return text
    }
}

// MARK: CSV

/// RFC 4180 CSV, streamed: a header row names the columns (case-insensitive; unknown ones are ignored by
/// the importers), quoted fields may hold commas, doubled quotes and line breaks.
public struct CSVRecordSource<Source: ByteSource>: RecordSource {
    var lines: ByteLineReader<Source>
    public private(set) var header: [String] = []

    /// Reads the header row; a file without one is refused as a whole.
    public init(_ source: Source) throws(WorkflowError) {
        lines = ByteLineReader(source, maxLineBytes: ImportLimits.maxLineBytes)
        while true {
            guard let item = try nextRaw() else { throw .invalidInput("the file is empty: a CSV import needs a header row") }
            switch item {
            case .bad(let reject): throw .invalidInput("line \(reject.line): header row: \(reject.reason)")
            case .good(let line, let fields, _):
                if fields.count == 1 && fields[0].isEmpty { continue }
                var names: [String] = []
                for (index, field) in fields.enumerated() {
                    var bytes = field
                    if index == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                    guard let name = String(validating: bytes, as: UTF8.self) else {
                        throw .invalidInput("line \(line): header column \(index + 1) is not valid UTF-8")
                    }
                    let clean = name.trimmedWhitespace.lowercased()
                    guard !names.contains(clean) || clean.isEmpty else { throw .invalidInput("line \(line): column '\(clean)' appears twice in the header") }
                    names.append(clean)
                }
                header = names
                return
            }
        }
    }

    enum Raw { case good(line: Int, fields: [[UInt8]], raw: [UInt8]); case bad(ImportReject) }

    public mutating func next() throws(WorkflowError) -> ImportItem? {
        while true {
            guard let item = try nextRaw() else { return nil }
            switch item {
            case .bad(let reject): return .bad(reject)
            case .good(let line, let fields, let raw):
                if fields.count == 1 && fields[0].isEmpty { continue }   // blank line
                guard fields.count == header.count else {
                    return .bad(ImportReject(line: line, reason: "has \(fields.count) fields; the header has \(header.count)", raw: raw.clipped))
                }
                var values: [String: String] = [:]
                do {
                    for (index, bytes) in fields.enumerated() where !bytes.isEmpty && !header[index].isEmpty {
                        values[header[index]] = try FieldText.decode(bytes, column: header[index])
                    }
                } catch {
                    return .bad(ImportReject(line: line, reason: error.message, raw: raw.clipped))
                }
                return .record(ImportRecord(line: line, fields: values, point: nil, raw: raw.clipped))
            }
        }
    }

    /// Lines read ahead for a record that then failed, to be read again (at most one record's worth).
    var replay: [InputLine] = []

    mutating func nextLine() throws(WorkflowError) -> InputLine? {
        if !replay.isEmpty { return replay.removeFirst() }
        return try lines.next()
    }

    /// One record's fields as bytes; a record continues over physical lines while a quote is open. When such a
    /// record fails, only its first line is refused and the lines after it are read again as records of their
    /// own: one stray quote must not swallow the rest of the file.
    mutating func nextRaw() throws(WorkflowError) -> Raw? {
        guard let first = try nextLine() else { return nil }
        if first.tooLong {
            return .bad(ImportReject(line: first.number, reason: "line is longer than \(ImportLimits.maxLineBytes) bytes", raw: first.bytes.clipped))
        }
        var parser = CSVLineParser()
        var raw = first.bytes
        var status = parser.feed(first.bytes)
        var previous = first
        var continued: [InputLine] = []
        func giveUp(_ reason: String, also line: InputLine? = nil) -> Raw {
            replay = continued + (line.map { [$0] } ?? []) + replay
            return .bad(ImportReject(line: first.number, reason: reason, raw: first.bytes.clipped))
        }
        while status == .needsMore {
            guard let more = try nextLine() else {
                return giveUp("a quoted field is never closed (the file ends inside it)")
            }
            if more.tooLong || raw.count + more.bytes.count > ImportLimits.maxRecordBytes {
                return giveUp("a quoted field is not closed within \(ImportLimits.maxRecordBytes) bytes", also: more)
            }
            continued.append(more)
            // The line break inside the quotes is part of the field, exactly as written.
            let lineBreak: [UInt8] = previous.crlf ? [0x0D, 0x0A] : [0x0A]
            raw.append(contentsOf: lineBreak)
            raw.append(contentsOf: more.bytes)
            status = parser.feedContinuation(more.bytes, lineBreak: lineBreak)
            previous = more
        }
        if case .failed(let reason) = status {
            if continued.isEmpty { return .bad(ImportReject(line: first.number, reason: reason, raw: raw.clipped)) }
            return giveUp("a quoted field that starts on this line is not closed properly (\(reason) on line \(previous.number))")
        }
        if parser.fields.count > ImportLimits.maxFields {
            return .bad(ImportReject(line: first.number, reason: "has \(parser.fields.count) fields; at most \(ImportLimits.maxFields)", raw: raw.clipped))
        }
        return .good(line: first.number, fields: parser.fields, raw: raw)
    }
}

/// The state of one CSV record across physical lines.
struct CSVLineParser {
    enum Status: Equatable { case done, needsMore, failed(String) }
    var fields: [[UInt8]] = []
    var current: [UInt8] = []
    var inQuotes = false
    var quoted = false
    var afterQuote = false

    mutating func feed(_ line: [UInt8]) -> Status { scan(line) }

    mutating func feedContinuation(_ line: [UInt8], lineBreak: [UInt8]) -> Status {
        current.append(contentsOf: lineBreak)
        return scan(line)
    }

    private mutating func scan(_ line: [UInt8]) -> Status {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var i = 0
        let n = line.count
        while i < n {
            let b = line[i]
            if inQuotes {
                if b == quote {
                    if i + 1 < n && line[i + 1] == quote { current.append(quote); i += 2; continue }
                    inQuotes = false; afterQuote = true
                } else {
                    current.append(b)
                }
            } else if afterQuote {
                guard b == comma else { return .failed("unexpected text after the closing quote of field \(fields.count + 1)") }
                fields.append(current); current = []; afterQuote = false; quoted = false
            } else if b == comma {
                fields.append(current); current = []; quoted = false
            } else if b == quote {
                guard current.isEmpty else { return .failed("a quote inside unquoted field \(fields.count + 1); quote the field and double the quote") }
                inQuotes = true; quoted = true
            } else {
                current.append(b)
            }
            if current.count > ImportLimits.maxFieldBytes {
                return .failed("field \(fields.count + 1) is over \(ImportLimits.maxFieldBytes) bytes")
            }
            i += 1
        }
        if inQuotes { return .needsMore }
        fields.append(current); current = []
        return .done
    }
}

// MARK: JSON Lines

/// One JSON object per line; blank lines are skipped.
public struct JSONLinesRecordSource<Source: ByteSource>: RecordSource {
    var lines: ByteLineReader<Source>

    public init(_ source: Source) {
        lines = ByteLineReader(source, maxLineBytes: ImportLimits.maxLineBytes)
    }

    public mutating func next() throws(WorkflowError) -> ImportItem? {
        while let line = try lines.next() {
            if line.tooLong {
                return .bad(ImportReject(line: line.number, reason: "line is longer than \(ImportLimits.maxLineBytes) bytes", raw: line.bytes.clipped))
            }
            if line.bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            do {
                let object = try JSONObjects.object(line.bytes)
                return .record(ImportRecord(line: line.number, fields: try JSONObjects.fields(object), point: nil, raw: line.bytes.clipped))
            } catch {
                return .bad(ImportReject(line: line.number, reason: error.message, raw: line.bytes.clipped))
            }
        }
        return nil
    }
}

enum JSONObjects {
    static func object(_ bytes: [UInt8]) throws(WorkflowError) -> [String: Any] {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidInput("not valid UTF-8") }
        let value: Any
        do { value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) } catch {
            throw .invalidInput("not valid JSON")
        }
        guard let object = value as? [String: Any] else { throw .invalidInput("not a JSON object") }
        return object
    }

    /// Scalars become text; nested arrays and objects (history, reports) are left out.
    static func fields(_ object: [String: Any]) throws(WorkflowError) -> [String: String] {
        var fields: [String: String] = [:]
        for (key, value) in object {
            let name = key.lowercased()
            switch value {
            case let text as String:
                guard text.utf8.count <= ImportLimits.maxFieldBytes else {
                    throw .invalidInput("field '\(key)' is \(text.utf8.count) bytes; the limit is \(ImportLimits.maxFieldBytes) bytes")
                }
                try ReportText.refuseNUL(text, field: "field '\(key)'")
                if !text.isEmpty { fields[name] = text }
            case let number as NSNumber:
                fields[name] = number.stringValue
            default:
                continue
            }
        }
        return fields
    }
}

