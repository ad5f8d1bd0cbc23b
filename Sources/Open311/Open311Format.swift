import Foundation

/// The two formats GeoReport v2 speaks, chosen by the path's extension.
public enum Open311Format: String, Sendable {
    case json, xml

    var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }

    /// Splits `requests.json` into (`requests`, .json); nil when the extension is missing or unknown.
    static func split(_ file: Substring) -> (name: Substring, format: Open311Format)? {
        guard let dot = file.lastIndex(of: ".") else { return nil }
        guard let format = Open311Format(rawValue: String(file[file.index(after: dot)...]).lowercased()) else { return nil }
        return (file[..<dot], format)
    }

    /// The format an error is written in: the path's extension, JSON when there is none.
    static func guess(path: String) -> Open311Format { path.lowercased().hasSuffix(".xml") ? .xml : .json }
}

/// One value in a response record. Records keep their field order, and every field is always present
/// (null in JSON, an empty element in XML).
enum Field: Sendable {
    case string(String?)
    case int(Int64?)
    case bool(Bool)
    case double(Double?)
    /// An empty list (`attributes` of a service definition).
    case emptyList
}

typealias Record = [(String, Field)]

/// Writes records as the spec's JSON (a list of objects, or one object) or XML (a root element holding one
/// element per record). Text stored as given is escaped on the way out, never written raw: JSON escapes every
/// control, DEL, C1 and bidi-override character; XML writes them as character references, and replaces what
/// XML 1.0 cannot carry at all (C0 controls other than tab and newlines) with U+FFFD.
enum Open311Writer {
    static func render(_ records: [Record], root: String, element: String, format: Open311Format) -> String {
        switch format {
        case .json: "[" + records.map(jsonObject).joined(separator: ",") + "]"
        case .xml: xmlHeader + "<\(root)>" + records.map { xmlElement(element, $0) }.joined() + "</\(root)>"
        }
    }

    static func renderSingle(_ record: Record, root: String, format: Open311Format) -> String {
        switch format {
        case .json: jsonObject(record)
        case .xml: xmlHeader + xmlElement(root, record)
        }
    }

    static let xmlHeader = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"

    static func jsonObject(_ record: Record) -> String {
        "{" + record.map { name, value in jsonString(name) + ":" + jsonValue(value) }.joined(separator: ",") + "}"
    }

    static func jsonValue(_ field: Field) -> String {
        switch field {
        case .string(let s): s.map(jsonString) ?? "null"
        case .int(let i): i.map(String.init) ?? "null"
        case .bool(let b): b ? "true" : "false"
        case .double(let d): d.flatMap { $0.isFinite ? String($0) : nil } ?? "null"
        case .emptyList: "[]"
        }
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if needsEscape(scalar) {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// C0, DEL, C1, line/paragraph separators and bidi controls: escaped in JSON, referenced in XML.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x2028 || v == 0x2029
    }

    static func xmlElement(_ name: String, _ record: Record) -> String {
        "<\(name)>" + record.map { field, value in
            switch value {
            case .emptyList: return "<\(field)/>"
            default:
                let text: String? = switch value {
                case .string(let s): s
                case .int(let i): i.map(String.init)
                case .bool(let b): b ? "true" : "false"
                case .double(let d): d.flatMap { $0.isFinite ? String($0) : nil }
                case .emptyList: nil
                }
                guard let text else { return "<\(field)/>" }
                return "<\(field)>\(xmlText(text))</\(field)>"
            }
        }.joined() + "</\(name)>"
    }

    static func xmlText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            case "\r": out += "&#xD;"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else if needsEscape(scalar) {
                    out += "&#x" + String(v, radix: 16, uppercase: true) + ";"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Text from a client shown back in an error message: only short, plain codes are echoed; anything else is
/// named, not quoted, so no control character or escape sequence ever comes back.
enum Echo {
    static func safe(_ text: some StringProtocol, maxLength: Int = 40) -> String {
        let plain = !text.isEmpty && text.count <= maxLength && text.unicodeScalars.allSatisfy { s in
            (s.value >= 0x30 && s.value <= 0x39) || (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
                || s == "-" || s == "_" || s == "." || s == ":" || s == "+"
        }
        return plain ? "'\(text)'" : "(the value given, not shown)"
    }

    /// Any message on its way out: controls replaced, so nothing raw reaches a client's log or terminal.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s in
            Open311Writer.needsEscape(s) || s.properties.generalCategory == .format ? "?" : s
        }))
    }
}
