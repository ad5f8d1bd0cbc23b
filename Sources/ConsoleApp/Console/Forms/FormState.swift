import Foundation
import Workflow

/// A choice in a form's list field.
struct FormOption: Sendable, Equatable {
    var value: String
    var label: String
    var detail = ""
    /// Whether the value (a code) is shown beside the label; names alone for sources and urgency.
    var showsValue = true

    func matches(_ filter: String) -> Bool {
        guard !filter.isEmpty else { return true }
        let f = filter.lowercased()
        return value.lowercased().contains(f) || label.lowercased().contains(f) || detail.lowercased().contains(f)
    }
}

/// One field of an action form.
struct FormField: Sendable, Equatable {
    /// `longText`: a multi-line field (the description): it wraps and grows, and Enter starts a new line in it.
    enum Kind: Sendable, Equatable { case choice, text, number, longText }
    var key: String
    var label: String
    var kind: Kind
    var options: [FormOption] = []
    /// Index into `visibleOptions`.
    var selected = 0
    /// Typed text: the value of a text or number field, the search filter of a choice field.
    var text = ""
    var required = false
    /// A choice the operator must make: no option counts until they move in the list or type to narrow it
    /// (the intake form's category and place are never guessed).
    var needsChoice = false
    /// Set once the operator moved in the list or typed in it.
    var picked = false
    /// Only options whose value starts with this (the cells of the community chosen first).
    var scope: String?
    /// Where a preset value came from, shown beside it ("from map cursor").
    var origin: String?
    /// Typed text that matches no option is the value itself (another case's id in the merge form).
    var acceptsTyped = false

    var visibleOptions: [FormOption] { options.filter { (scope.map($0.value.hasPrefix) ?? true) && $0.matches(text) } }

    /// Whether a choice shows as chosen.
    var hasChoice: Bool { !needsChoice || picked }

    var value: String? {
        switch kind {
        case .choice:
            guard hasChoice else { return nil }
            let visible = visibleOptions
            if visible.isEmpty, acceptsTyped, ReportText.isVisible(text) { return text.trimmingCharacters(in: .whitespaces) }
            return visible.indices.contains(selected) ? visible[selected].value : nil
        case .text, .number, .longText:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // The report text rule's "empty": nothing visible (white space or controls alone) is no value.
            return ReportText.isVisible(trimmed) ? trimmed : nil
        }
    }
}

/// An action form: nothing is written until it is submitted, and the submit goes through the same
/// Workflow call as the CLI, so refusals are identical.
struct FormState: Sendable, Equatable {
    var action: CaseAction
    var caseID: Int64
    /// The case's last change when the form opened; a submit after someone else's change is refused.
    var caseChangedAt: Date
    var fields: [FormField]
    var focus = 0
    var errors: [String: String] = [:]
    var preview: String?
    var previewIsError = false
    /// A bulk action: these cases, all or none, in one transaction.
    var bulkIDs: [Int64]?
    /// The hotline intake form: a new report, not an action on a case (`action` is unused).
    var isNewReport = false
    /// Set by any change the operator makes: Esc and quitting then ask before the input is dropped.
    var touched = false
    /// A bulk action checked case by case before it is submitted: the cases that would refuse, with why.
    var bulkRefusals: [BulkCaseRefusal] = []
    /// A follow-up form (`FollowUpForm`): the follow-up action and its task, not an action on the case (`action` is unused).
    var followUp: FollowUpFormTarget?
    /// A census form (`CensusForm`): a finding in a census, not an action on a case (`action` and `caseID` are unused).
    var census: CensusFormTarget?

    var isDirty: Bool { touched || fields.contains { !$0.text.isEmpty } }

    func field(_ key: String) -> FormField? { fields.first { $0.key == key } }

    /// Whether the field at `index` takes part: a new report's component field only once a component class is chosen
    /// (an event has no component), so Tab passes over it.
    func applies(_ index: Int) -> Bool {
        guard isNewReport, fields.indices.contains(index), fields[index].key == "component" else { return true }
        return field("category")?.value?.hasPrefix("event") != true
    }

    /// The next field from `index` in the direction of `step` (1 or -1) that takes part, round the form.
    func nextApplying(from index: Int, step: Int) -> Int {
        let n = fields.count
        guard n > 0 else { return 0 }
        var i = index
        for _ in 0..<n {
            i = ((i + step) % n + n) % n
            if applies(i) { return i }
        }
        return index
    }

    /// Checks what can be checked without the database; Workflow checks the rest on submit.
    func validationErrors(_ lang: Language) -> [String: String] {
        var errors: [String: String] = [:]
        for field in fields {
            if field.required && field.value == nil {
                errors[field.key] = field.kind == .choice ? lang.t("请选择", "choose one") : lang.t("必填", "required")
            }
            if field.kind == .number, let text = field.value, Double(text).map({ $0 > 0 }) != true {
                errors[field.key] = lang.t("请输入正数", "a positive number")
            } else if field.key == "hours", !isNewReport, let range = action.spec.hours, let hours = field.value.flatMap(Double.init),
                      !range.contains(hours) {
                errors[field.key] = lang.refusal(.hoursOutOfRange(action, range))
            }
            if field.kind == .choice, !field.text.isEmpty, field.visibleOptions.isEmpty, !field.acceptsTyped {
                errors[field.key] = lang.t("无匹配项", "nothing matches")
            }
        }
        return errors
    }

    /// The report the intake form describes, once category, cell and description are filled in.
    func draft() -> ReportDraft? {
        guard let categoryText = field("category")?.value, let cell = field("cell")?.value,
              let key = try? CityStore.parseCategory(categoryText, defaultKind: .event) else { return nil }
        // A landmark the caller named ("north gate of the school") travels with the description.
        let text = [field("description")?.value, field("landmark")?.value.map { "（\($0)）" }].compactMap { $0 }.joined(separator: " ")
        return ReportDraft(kind: key.kind, categoryCode: key.code, cellCode: cell, description: text,
                           source: field("source")?.value.flatMap(ReportSource.init(rawValue:)),
                           reporterName: field("caller")?.value, reporterPhone: field("phone")?.value,
                           componentID: key.kind == .component ? field("component")?.value.flatMap { $0.isEmpty ? nil : $0 } : nil,
                           urgent: field("urgency")?.value == "urgent", line: line)
    }

    /// The hotline line chosen, for a hotline call only (the field stays on the form whatever the source).
    private var line: String? {
        guard field("source")?.value == ReportSource.hotline.rawValue, let line = field("line")?.value, !line.isEmpty else { return nil }
        return line
    }

    func request(actor: String) -> ActionRequest {
        var request = ActionRequest(action: action, caseID: caseID, actor: actor, expectedLastEventAt: caseChangedAt)
        request.target = field("to")?.value
        request.note = field("note")?.value
        request.hours = field("hours")?.value.flatMap(Double.init)
        request.category = field("category")?.value
        request.department = field("department")?.value.flatMap { $0.isEmpty ? nil : $0 }
        request.componentOutcome = field("component")?.value.flatMap(ComponentOutcome.init(rawValue:))
        return request
    }
}

/// One case of a bulk action that would refuse it, as checked before submitting.
struct BulkCaseRefusal: Sendable, Equatable {
    var caseID: Int64
    var reason: String
}

/// The `:` command line.
struct CommandLineState: Sendable, Equatable {
    var text = ""
    var cursor = 0
    var historyIndex: Int?
    var completions: [String] = []
    var completionIndex = 0
}
