import Foundation

/// CSV as CityGrid writes it, the one writer every CSV output uses (exports, statistics and case listings, import
/// reject files, the console's export): RFC 4180 fields, quoted when they hold a comma, a quote, a line break
/// (CR or LF) or a leading or trailing space (which spreadsheets would trim), with quotes doubled; each line
/// ended by `ending`. Files meant for other programs (exports, rejects) end lines with CRLF as RFC 4180 says;
/// listings on standard output with LF. Cleaning a value for a terminal or a spreadsheet is the caller's.
public enum CSVText {
    public static func field(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) || s.first == " " || s.last == " " else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public static func line(_ fields: [String], ending: String) -> String {
        fields.map(field).joined(separator: ",") + ending
    }

    /// Every row a line, the last one ended too.
    public static func table(_ rows: [[String]], ending: String) -> String {
        rows.map { line($0, ending: ending) }.joined()
    }
}
