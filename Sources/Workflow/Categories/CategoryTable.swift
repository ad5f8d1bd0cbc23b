import CSV

/// Reads category and department tables in the reference CSV layout, naming the line of any fault.
public enum CategoryTable {
    public static func parseCategories(csv: String) throws(WorkflowError) -> [Category] {
        let rows = try rows(of: csv, required: ["kind", "large_code", "large_name_zh", "large_name_en", "code",
                                                "name_zh", "name_en", "department", "urgent", "handle_limit", "limit_unit"])
        var seen = Set<CategoryKey>()
        return try rows.map { (line, field) throws(WorkflowError) -> Category in
            guard let kind = CategoryKind(rawValue: field("kind")) else {
                throw .invalidInput("line \(line): kind must be component or event, not '\(field("kind"))'")
            }
            let code = field("code")
            guard code.count == 4, code.allSatisfy(\.isASCIIDigit) else {
                throw .invalidInput("line \(line): category code must be 4 digits, not '\(code)'")
            }
            guard let limit = Double(field("handle_limit")), limit > 0 else {
                throw .invalidInput("line \(line): handle_limit must be a positive number, not '\(field("handle_limit"))'")
            }
            guard let unit = LimitUnit(rawValue: field("limit_unit")) else {
                throw .invalidInput("line \(line): limit_unit must be hours, working_hours or working_days, not '\(field("limit_unit"))'")
            }
            let urgentText = field("urgent").lowercased()
            guard ["yes", "no"].contains(urgentText) else {
                throw .invalidInput("line \(line): urgent must be yes or no, not '\(field("urgent"))'")
            }
            let category = Category(kind: kind, code: code, largeCode: field("large_code"), largeNameZh: field("large_name_zh"),
                                    largeNameEn: field("large_name_en"), nameZh: field("name_zh"), nameEn: field("name_en"),
                                    department: field("department"), urgent: urgentText == "yes",
                                    limitValue: limit, limitUnit: unit)
            guard seen.insert(category.key).inserted else {
                throw .invalidInput("line \(line): category \(category.key) appears twice")
            }
            return category
        }
    }

    public static func parseDepartments(csv: String) throws(WorkflowError) -> [Department] {
        let rows = try rows(of: csv, required: ["code", "name_zh", "name_en", "scope"])
        return try rows.map { (line, field) throws(WorkflowError) -> Department in
            let code = field("code")
            guard !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw .invalidInput("line \(line): department code must be letters and digits, not '\(code)'")
            }
            return Department(code: code, nameZh: field("name_zh"), nameEn: field("name_en"), scope: field("scope"))
        }
    }

    /// Rows with their 1-based line numbers (the header is line 1) and a field reader by column name.
    static func rows(of csv: String, required: [String]) throws(WorkflowError) -> [(Int, (String) -> String)] {
        let reader: CSVReader
        do { reader = try CSVReader(string: csv, hasHeaderRow: true) } catch {
            throw .invalidInput("line 1: not a readable CSV header (\(error))")
        }
        let header = reader.headerRow ?? []
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw .invalidInput("line 1: missing column(s) \(missing.joined(separator: ", "))")
        }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [(Int, (String) -> String)] = []
        var line = 1
        while let row = reader.next() {
            line += 1
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                throw .invalidInput("line \(line): \(row.count) fields, expected \(header.count)")
            }
            result.append((line, { name in index[name].map { row[$0].trimmingCharacters(in: .whitespaces) } ?? "" }))
        }
        if let error = reader.error { throw .invalidInput("line \(line + 1): \(error)") }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
