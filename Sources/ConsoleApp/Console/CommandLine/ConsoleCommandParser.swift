import Workflow

/// What a `:` command line asks for. Parsing is pure; the engine carries it out.
enum TypedCommand: Sendable, Equatable {
    case quit
    case openCase(Int64)
    case filterText(String)
    case filterState(CaseState)
    case filterOverdue
    case filterDistrict(String)
    case filterCategory(String)
    case clearFilter
    case sort(QueueSort, ascending: Bool)
    case theme(String)
    case language(Language)
    case measure(MapMeasure)
    case switchOperator(String)
    case roles
    case action(ActionRequest)
    case help
    case inbox
    case handover
    case undo
    case measureCategory(String)
    case board(EvaluationGrouping)
    case export(String)
    /// The map's component layer: of one class (`components 0101`), of every class (`components all`), or off.
    case components(classCode: String?, on: Bool)
    /// The follow-ups board (回访).
    case followUps
    /// The patrol board (census progress, neglected cells), and the census form (of one census, or the viewer's).
    case patrol
    case census(Int64?)
}

extension ActionRequest: Equatable {
    public static func == (a: ActionRequest, b: ActionRequest) -> Bool {
        a.action == b.action && a.caseID == b.caseID && a.actor == b.actor && a.target == b.target && a.note == b.note
            && a.hours == b.hours && a.category == b.category && a.department == b.department
            && a.expectedLastEventAt == b.expectedLastEventAt
    }
}

enum ConsoleCommandParser {
    static let consoleWords = ["q", "quit", "case", "filter", "sort", "theme", "lang", "measure", "as", "roles", "help", "inbox", "handover", "undo",
                               "board", "export", "components", "followups", "patrol", "census"]

    /// Parses a command line as a dispatcher types it: `dispatch 1234 SANIT`, `file 1234 event 0102`,
    /// `verify 1234 110101-insp-003 看一下`, `filter overdue`, `theme light`, `q`.
    static func parse(_ line: String, actor: String) -> Result<TypedCommand, CommandError> {
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard !words.isEmpty else { return .failure(CommandError("empty command")) }
        let head = words.removeFirst().lowercased()
        switch head {
        case "q", "quit", "exit": return .success(.quit)
        case "help": return .success(.help)
        case "roles": return .success(.roles)
        case "inbox": return .success(.inbox)
        case "handover": return .success(.handover)
        case "followups": return .success(.followUps)
        case "patrol": return .success(.patrol)
        case "census":
            guard let word = words.first else { return .success(.census(nil)) }
            guard let id = Int64(word), id > 0 else { return .failure(CommandError("census [ID]")) }
            return .success(.census(id))
        case "undo": return .success(.undo)
        case "as":
            guard let login = words.first else { return .failure(CommandError("as LOGIN")) }
            return .success(.switchOperator(login))
        case "case", "open":
            guard let id = words.first.flatMap(Int64.init) else { return .failure(CommandError("case ID")) }
            return .success(.openCase(id))
        case "theme":
            guard let name = words.first else { return .failure(CommandError("theme NAME (default, light, high-contrast, mono) or a file")) }
            return .success(.theme(name))
        case "lang":
            guard let lang = words.first.flatMap({ Language(rawValue: $0.lowercased()) }) else { return .failure(CommandError("lang zh|en")) }
            return .success(.language(lang))
        case "board":
            guard let grouping = words.first.flatMap({ EvaluationGrouping(rawValue: $0.lowercased()) }) else {
                return .failure(CommandError("board \(EvaluationGrouping.allCases.map(\.rawValue).joined(separator: "|"))"))
            }
            return .success(.board(grouping))
        case "export":
            guard let path = words.first else { return .failure(CommandError("export FILE.csv|FILE.md")) }
            return .success(.export(path))
        case "components":
            switch words.first?.lowercased() {
            case nil, "all": return .success(.components(classCode: nil, on: true))
            case "off", "none": return .success(.components(classCode: nil, on: false))
            case let code? where code.count == 4 && code.allSatisfy { $0.isASCII && $0.isNumber }: return .success(.components(classCode: code, on: true))
            default: return .failure(CommandError("components CODE | all | off"))
            }
        case "measure" where words.first?.lowercased() == "category":
            guard words.count >= 2 else { return .failure(CommandError("measure category [KIND] CODE")) }
            return .success(.measureCategory(words.dropFirst().joined(separator: " ")))
        case "measure":
            guard let m = words.first.flatMap({ MapMeasure(rawValue: $0.lowercased()) }) else {
                return .failure(CommandError("measure \(MapMeasure.allCases.map(\.rawValue).joined(separator: "|"))"))
            }
            return .success(.measure(m))
        case "sort":
            guard let column = words.first.flatMap({ QueueSort(rawValue: $0.lowercased()) }) else {
                return .failure(CommandError("sort \(QueueSort.allCases.map(\.rawValue).joined(separator: "|")) [asc|desc]"))
            }
            return .success(.sort(column, ascending: words.dropFirst().first?.lowercased() != "desc"))
        case "filter":
            guard let kind = words.first?.lowercased() else { return .failure(CommandError("filter TEXT | state S | overdue | district CODE | category CODE | clear")) }
            let rest = words.dropFirst()
            switch kind {
            case "clear", "none", "off": return .success(.clearFilter)
            case "overdue": return .success(.filterOverdue)
            case "state":
                guard let state = rest.first.flatMap({ CaseState(rawValue: $0.lowercased()) }) else { return .failure(CommandError("filter state \(CaseState.open.map(\.rawValue).joined(separator: "|"))")) }
                return .success(.filterState(state))
            case "district", "region", "cell":
                guard let code = rest.first, code.allSatisfy(\.isNumber) else { return .failure(CommandError("filter district CODE")) }
                return .success(.filterDistrict(code))
            case "category":
                guard let code = rest.first else { return .failure(CommandError("filter category CODE")) }
                return .success(.filterCategory(code))
            default:
                return .success(.filterText(words.joined(separator: " ")))
            }
        default:
            guard let action = CaseAction(rawValue: head) else {
                return .failure(CommandError("unknown command '\(head)'; try help, or an action such as dispatch ID DEPT"))
            }
            guard let id = words.first.flatMap(Int64.init) else { return .failure(CommandError(usage(action))) }
            var rest = Array(words.dropFirst())
            var request = ActionRequest(action: action, caseID: id, actor: actor)
            // What follows the id is what the action table says the action takes: target, category, hours, note.
            let spec = action.spec
            switch spec.target {
            case .none:
                break
            case .optionalDistrictCenter:
                // A center id (`110105-C`) names the center; anything else is already the note.
                if let first = rest.first, isCenterID(first) { request.target = rest.removeFirst() }
            case .inspector, .departmentOrCenter, .caseID, .inspectorDepartmentOrCenter:
                guard !rest.isEmpty else { return .failure(CommandError(usage(action))) }
                request.target = rest.removeFirst()
            }
            if spec.takesCategoryAndDepartment {
                if let first = rest.first, CategoryKind(rawValue: first.lowercased()) != nil, rest.count >= 2 {
                    request.category = "\(first.lowercased()):\(rest[1])"
                    rest.removeFirst(2)
                } else if let first = rest.first, first.count == 4, first.allSatisfy(\.isNumber) {
                    request.category = first
                    rest.removeFirst()
                }
                if let first = rest.first, first.count >= 2, first.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
                    request.department = first
                    rest.removeFirst()
                }
            }
            if let range = spec.hours {
                // A number is all the line checks; Workflow refuses one out of the range, in words.
                guard let hours = rest.first.flatMap(Double.init), hours > range.above else { return .failure(CommandError(usage(action))) }
                request.hours = hours
                rest.removeFirst()
            }
            if !rest.isEmpty { request.note = rest.joined(separator: " ") }
            return .success(.action(request))
        }
    }

    /// Candidates for the word being typed: command names, case ids, codes, operator logins, themes.
    static func completions(for line: String, caseIDs: [Int64], departments: [String], centers: [String],
                            categories: [String], inspectors: [String], themes: [String]) -> [String] {
        let endsWithSpace = line.last?.isWhitespace ?? false
        var words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        let partial = endsWithSpace ? "" : (words.popLast() ?? "")
        let candidates: [String]
        switch words.count {
        case 0:
            candidates = consoleWords + CaseAction.allCases.map(\.rawValue)
        case 1:
            let head = words[0].lowercased()
            switch head {
            case "theme": candidates = themes
            case "lang": candidates = Language.allCases.map(\.rawValue)
            case "measure": candidates = MapMeasure.allCases.map(\.rawValue)
            case "board": candidates = EvaluationGrouping.allCases.map(\.rawValue)
            case "sort": candidates = QueueSort.allCases.map(\.rawValue)
            case "filter": candidates = ["overdue", "state", "district", "category", "clear"]
            default: candidates = CaseAction(rawValue: head) != nil || head == "case" ? caseIDs.map(String.init) : []
            }
        case 2:
            if let action = CaseAction(rawValue: words[0].lowercased()) {
                // The word after the id: what the action table says the action takes first.
                let spec = action.spec
                switch spec.target {
                case .inspector: candidates = inspectors
                case .departmentOrCenter: candidates = departments + centers
                case .caseID: candidates = caseIDs.map(String.init)
                case .inspectorDepartmentOrCenter: candidates = inspectors + departments + centers
                case .optionalDistrictCenter: candidates = centers
                case .none: candidates = spec.takesCategoryAndDepartment ? CategoryKind.allCases.map(\.rawValue) + categories : []
                }
            } else {
                switch words[0].lowercased() {
                case "filter" where words[1] == "state": candidates = CaseState.open.map(\.rawValue)
                case "sort": candidates = ["asc", "desc"]
                default: candidates = []
                }
            }
        case 3 where CaseAction(rawValue: words[0].lowercased())?.spec.takesCategoryAndDepartment == true:
            candidates = categories
        default:
            candidates = []
        }
        let lower = partial.lowercased()
        var seen = Set<String>()
        return candidates.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0).inserted }
    }
}

extension ConsoleCommandParser {
    /// How an action is typed on the `:` line, from the action table: `reassign ID INSPECTOR|DEPT|CENTER REASON`.
    static func usage(_ action: CaseAction) -> String {
        let spec = action.spec
        var words = [action.rawValue, "ID"]
        switch spec.target {
        case .none: break
        case .inspector: words.append("INSPECTOR")
        case .departmentOrCenter: words.append("DEPT|CENTER")
        case .caseID: words.append("OTHER-ID")
        case .inspectorDepartmentOrCenter: words.append("INSPECTOR|DEPT|CENTER")
        case .optionalDistrictCenter: words.append("[CENTER]")
        }
        if spec.takesCategoryAndDepartment { words.append("[KIND] [CATEGORY] [DEPT]") }
        if spec.hours != nil { words.append("HOURS") }
        switch (spec.note.required, spec.note.meaning) {
        case (true, .instructions): words.append("INSTRUCTIONS")
        case (true, _): words.append("REASON")
        case (false, _): words.append("[note]")
        }
        return words.joined(separator: " ")
    }

    /// A command center's id as `Center.id` makes them: `CITY-C`, `110105-C`.
    static func isCenterID(_ word: String) -> Bool {
        let upper = word.uppercased()
        guard Center.kind(ofID: upper) != nil else { return false }
        let head = upper.dropLast(2)
        return head == "CITY" || (!head.isEmpty && head.allSatisfy { $0.isASCII && $0.isNumber })
    }
}

struct CommandError: Error, Equatable, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}
