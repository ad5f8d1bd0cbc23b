import Curses
import Workflow

/// Keys inside an action form: Tab/Shift-Tab between fields, typing edits or narrows a list,
/// ↑/↓ pick in a list, Enter submits, Esc cancels. Nothing is written before Enter.
enum FormUpdate {
    static func handle(_ key: Key, _ s: inout ConsoleState) -> [Effect] {
        guard var form = s.form else { return [] }
        defer { if s.form != nil { s.form = form } }
        var field = form.fields[form.focus]
        var changed = false
        switch key {
        case .ctrl("c"), .ctrl("q"):
            // Quitting from inside a form asks first when its input would be lost, like `q` outside it.
            if form.isDirty {
                s.overlay = .confirm(s.lang.t("表单有未提交的内容，确定退出？(y/n)", "The form has input. Quit anyway? (y/n)"), .quit)
            } else {
                s.shouldQuit = true
            }
            return []
        case .escape:
            if form.isDirty {
                s.overlay = .confirm(s.lang.t("放弃已填写的内容？(y/n)", "Discard what was entered? (y/n)"), .discardForm)
                return []
            }
            return discard(&s)
        case .tab:
            form.focus = form.nextApplying(from: form.focus, step: 1)
            return []
        case .backTab:
            form.focus = form.nextApplying(from: form.focus, step: -1)
            return []
        case .enter where field.kind == .longText:
            // The description takes several lines: Enter starts a new one, Tab moves on (the form's hint says so).
            guard field.text.count < 2000 else { return [] }
            field.text.append("\n")
            changed = true
        case .enter:
            form.errors = form.validationErrors(s.lang)
            if !form.errors.isEmpty {
                if let first = form.fields.firstIndex(where: { form.errors[$0.key] != nil }) { form.focus = first }
                return []
            }
            s.form = form
            return [.submit]
        case .down, .up:
            guard field.kind == .choice else { return [] }
            let count = field.visibleOptions.count
            guard count > 0 else { return [] }
            if field.hasChoice {
                field.selected = key == .down ? min(count - 1, field.selected + 1) : max(0, field.selected - 1)
            } else {
                // The first move in a list nothing was chosen from picks the highlighted option.
                field.picked = true
            }
            changed = true
        case .pageDown, .pageUp:
            guard field.kind == .choice else { return [] }
            let count = field.visibleOptions.count
            field.selected = key == .pageDown ? min(max(0, count - 1), field.selected + 8) : max(0, field.selected - 8)
            field.picked = true
            changed = true
        case .backspace:
            guard !field.text.isEmpty else { return [] }
            field.text.removeLast()
            field.selected = 0
            changed = true
        case .ctrl("u"):
            field.text = ""
            field.selected = 0
            changed = true
        case .character(let c):
            guard field.text.count < (field.key == "note" || field.kind == .longText ? 2000 : 80) else { return [] }
            if field.kind == .number && !(c.isNumber || c == ".") { return [] }
            field.text.append(c)
            if field.kind == .choice {
                field.selected = 0
                field.picked = true
            }
            changed = true
        default:
            return []
        }
        if changed {
            form.touched = true
            field.origin = nil
        }
        form.fields[form.focus] = field
        form.errors[field.key] = nil
        if field.key == "community", let cell = form.fields.firstIndex(where: { $0.key == "cell" }) {
            // A community chosen first narrows the cells to its own; the cell is then chosen from them.
            if form.fields[cell].scope != field.value {
                form.fields[cell].scope = field.value
                form.fields[cell].selected = 0
                form.fields[cell].picked = false
                form.fields[cell].origin = nil
            }
        }
        // A follow-up or census form has no preview: Workflow says on submit.
        if form.followUp != nil || form.census != nil {
            if changed, form.followUp != nil { FollowUpForm.changed(&form, field: field.key) }
            return []
        }
        // A change to what the action does (not to the note) refreshes the preview; for a new report, a change of
        // category or place looks for duplicates again.
        if form.isNewReport { return changed && ["category", "cell", "community"].contains(field.key) ? [.preview] : [] }
        return changed && field.key != "note" ? [.preview] : []
    }

    /// Closes the form without saving anything; a decision opened from the approvals inbox goes back to the inbox.
    static func discard(_ s: inout ConsoleState) -> [Effect] {
        s.form = nil
        s.status = StatusMessage(text: s.lang.t("已取消，未做任何更改", "cancelled; nothing was changed"), kind: .info)
        return s.inboxReturn == nil ? [] : [.loadInbox]
    }
}

/// Builds the form for an action on a case, with what Workflow will need and sensible defaults.
enum FormBuilder {
    /// The hotline intake form: who called, what, where (cell code, community name, or the map's cursor),
    /// and the text. Possible duplicates are shown before it is saved.
    static func newReport(state s: ConsoleState, cellNames: [String: String], preselectedCell: String?) -> FormState {
        let lang = s.lang
        let sources: [ReportSource] = s.viewer.role == .inspector ? [.inspector] : [.hotline, .web, .app, .leader, .sensor]
        var fields = [FormField(key: "source", label: lang.t("来源", "Source"), kind: .choice,
                                options: sources.map { FormOption(value: $0.rawValue, label: lang.source($0), showsValue: false) }, required: true)]
        if s.viewer.role != .inspector {
            // The line a hotline call came in on (used for hotline calls only), starting on the one this session last used.
            var line = FormField(key: "line", label: lang.t("热线号码", "Hotline line"), kind: .choice,
                                 options: s.hotlineLines.map { FormOption(value: $0.code, label: "\($0.code) \($0.name)", showsValue: false) }
                                     + [FormOption(value: "", label: lang.t("（不指定）", "(none)"), showsValue: false)])
            line.selected = s.lastHotlineLine.flatMap { last in s.hotlineLines.firstIndex { $0.code == last } } ?? 0
            fields.append(line)
        }
        // Nothing is guessed: the category and the place are the operator's choice (an Enter with only a description
        // must not file a manhole cover in the selected row's cell).
        let categories = s.categories.map { cat in
            FormOption(value: "\(cat.kind.rawValue):\(cat.code)", label: lang.t(cat.nameZh, cat.nameEn),
                       detail: "\(cat.kind.rawValue) \(cat.code) \(cat.nameZh) \(cat.nameEn)")
        }
        fields.append(FormField(key: "category", label: lang.t("类别", "Category"), kind: .choice, options: categories, required: true,
                                needsChoice: true))
        // A caller names a community: it can be chosen first, and the cells are then its own, in order.
        let cellCodes = s.map.gridCells.map(\.code).sorted()
        var communities: [FormOption] = []
        for code in cellCodes.map(CellCode.community(of:)) where communities.last?.value != code {
            communities.append(FormOption(value: code, label: cellNames[code] ?? code,
                                          detail: "\(code) \(cellNames[CellCode.street(of: code)] ?? "")"))
        }
        fields.append(FormField(key: "community", label: lang.t("社区", "Community"), kind: .choice, options: communities, needsChoice: true))
        let cells = cellCodes.map { code in
            FormOption(value: code, label: "\(cellNames[CellCode.community(of: code)] ?? "") \(CellCode.serial(of: code))",
                       detail: "\(code) \(cellNames[CellCode.street(of: code)] ?? "") \(cellNames[CellCode.community(of: code)] ?? "")")
        }
        var cellField = FormField(key: "cell", label: lang.t("位置（网格）", "Where (cell)"), kind: .choice, options: cells, required: true,
                                  needsChoice: true)
        if let preselectedCell, let index = cells.firstIndex(where: { $0.value == preselectedCell }) {
            // The map's cursor, where the operator put it: taken, and said so.
            cellField.selected = index
            cellField.picked = true
            cellField.origin = lang.t("来自地图光标", "from map cursor")
        }
        fields.append(cellField)
        // A component case names its component: one of the class's nearest to the cell (offered once both are chosen),
        // or its 16-digit id typed in.
        fields.append(FormField(key: "component", label: lang.t("部件（编号）", "Component (id)"), kind: .choice,
                                options: [FormOption(value: "", label: lang.t("（不指定）", "(none)"), showsValue: false)],
                                needsChoice: true, acceptsTyped: true))
        fields.append(FormField(key: "landmark", label: lang.t("地标", "Landmark"), kind: .text))
        fields.append(FormField(key: "urgency", label: lang.t("紧急程度", "Urgency"), kind: .choice,
                                options: [FormOption(value: "normal", label: lang.t("一般", "normal"), showsValue: false),
                                          FormOption(value: "urgent", label: lang.t("紧急（全天计时）", "urgent (clock runs round the clock)"),
                                                     showsValue: false)]))
        fields.append(FormField(key: "description", label: lang.t("问题描述", "Description"), kind: .longText, required: true))
        if s.viewer.role != .inspector {
            fields.append(FormField(key: "caller", label: lang.t("来电人", "Caller"), kind: .text))
            fields.append(FormField(key: "phone", label: lang.t("电话（不公开）", "Phone (private)"), kind: .text))
        }
        var form = FormState(action: .accept, caseID: 0, caseChangedAt: .distantPast, fields: fields)
        form.isNewReport = true
        return form
    }

    static func make(_ action: CaseAction, for c: ServiceCase, state s: ConsoleState, inspectors: [Operator],
                     workload: WorkloadReport? = nil) -> FormState {
        let lang = s.lang
        var fields: [FormField] = []
        // The fields are what the action table says the action takes, in this order: target, category and
        // department, hours, note.
        let spec = action.spec
        let targetLabel = lang.t("目标", "Target")
        switch spec.target {
        case .none:
            break
        case .inspector:
            let options = inspectors.map { FormOption(value: $0.login, label: $0.name, detail: $0.login) }
            fields.append(FormField(key: "to", label: lang.t("监督员", "Inspector"),
                                    kind: .choice, options: options, required: true))
        case .departmentOrCenter:
            var options: [FormOption] = []
            // The street (or town) and community holding the cell come beside the departments when they are handling
            // units (三级处置); a community-level category's case defaults to its community.
            let preferred = HandlingUnits.suggested(for: c, categories: s.categories, departments: s.departments)
            if s.viewer.tier == .city {
                for center in s.centers where center.kind == .command && center.tier == .district && center.regionCode == c.districtCode {
                    options.append(FormOption(value: center.id, label: lang.t(center.nameZh, center.nameEn), detail: center.id))
                }
            }
            for d in HandlingUnits.offered(for: c, departments: s.departments) {
                let detail = d.handlingLevel.map { level in
                    d.code + " · " + (level == .community ? lang.t("社区", "community") : lang.t("街道（镇）", "street or town"))
                } ?? d.code
                options.append(FormOption(value: d.code, label: lang.t(d.nameZh, d.nameEn), detail: detail))
            }
            var field = FormField(key: "to", label: action == .dispatch ? lang.t("派遣至", "Dispatch to") : targetLabel, kind: .choice,
                                  options: options, required: true)
            field.selected = options.firstIndex { $0.value == preferred } ?? 0
            fields.append(field)
        case .caseID:
            fields.append(FormField(key: "to", label: lang.t("并入案件号", "Into case id"), kind: .number, required: true))
        case .inspectorDepartmentOrCenter:
            // The workload of each possible holder shows beside it while choosing.
            let loads = c.state == .verifying || c.state == .checking ? workload?.inspectors ?? []
                : (workload?.centers ?? []) + (workload?.departments ?? [])
            // A street's or community's unit takes only the cases of its own cells (三级处置).
            let elsewhere = Set(s.departments.filter { $0.regionCode != nil }.map(\.code))
                .subtracting(HandlingUnits.offered(for: c, departments: s.departments).map(\.code))
            let options = loads.filter { $0.key != c.departmentCode && !elsewhere.contains($0.key) }.map { load in
                FormOption(value: load.key, label: load.name, detail: lang.t("未结 \(load.open) · 超期 \(load.overdue)", "open \(load.open) · overdue \(load.overdue)"))
            }
            fields.append(FormField(key: "to", label: action == .reassign ? lang.t("改派给", "Reassign to") : targetLabel, kind: .choice,
                                    options: options, required: true))
        case .optionalDistrictCenter:
            let options = s.centers.filter { $0.kind == .command && $0.tier == .district && $0.regionCode == c.districtCode }
                .map { FormOption(value: $0.id, label: lang.t($0.nameZh, $0.nameEn), detail: $0.id) }
            fields.append(FormField(key: "to", label: action == .returnToDistrict ? lang.t("退回至", "Send back to") : targetLabel, kind: .choice,
                                    options: options, required: false))
        }
        if spec.takesCategoryAndDepartment {
            let options = s.categories.map { cat in
                FormOption(value: "\(cat.kind.rawValue):\(cat.code)", label: lang.t(cat.nameZh, cat.nameEn),
                           detail: "\(cat.kind.rawValue) \(cat.code) \(cat.nameZh) \(cat.nameEn)")
            }
            var category = FormField(key: "category", label: lang.t("类别", "Category"), kind: .choice, options: options, required: true)
            category.selected = options.firstIndex { $0.value == "\(c.kind.rawValue):\(c.categoryCode)" } ?? 0
            fields.append(category)
            var departments = [FormOption(value: "", label: lang.t("按类别默认", "category default"), detail: "")]
            departments += HandlingUnits.offered(for: c, departments: s.departments).map {
                FormOption(value: $0.code, label: lang.t($0.nameZh, $0.nameEn), detail: $0.code)
            }
            fields.append(FormField(key: "department", label: lang.t("责任部门", "Department"), kind: .choice, options: departments))
        }
        if spec.takesComponentOutcome, c.componentID != nil {
            // What becomes of the component the case is about: repaired, or taken away.
            fields.append(FormField(key: "component", label: lang.t("部件状态", "Component"), kind: .choice,
                                    options: ComponentOutcome.allCases.map { outcome in
                                        FormOption(value: outcome.rawValue, label: ComponentWording.state(outcome.state, lang), showsValue: false)
                                    }))
        }
        if spec.hours != nil {
            fields.append(FormField(key: "hours", label: lang.t("延期小时数", "Extra hours"), kind: .number, required: true))
        }
        fields.append(FormField(key: "note", label: lang.noteLabel(spec.note), kind: .text, required: spec.note.required))
        return FormState(action: action, caseID: c.id, caseChangedAt: c.lastEventAt, fields: fields)
    }
}

extension FormBuilder {
    /// The dispatch and filing forms say where the case goes and why: the dispatch target preselects the case's
    /// department with the reason beside it (the component's owner, the category's default, a choice); the filing
    /// form's "by the rule" department names the one the rule picks.
    static func showRouting(_ form: inout FormState, routing: Routing?, suggested: Routing?, lang: Language) {
        guard let routing else { return }
        if let i = form.fields.firstIndex(where: { $0.key == "to" }) {
            if let option = form.fields[i].visibleOptions.firstIndex(where: { $0.value == routing.department }) {
                form.fields[i].selected = option
            }
            form.fields[i].origin = ComponentWording.reason(routing, suggested: suggested, lang)
        }
        if let i = form.fields.firstIndex(where: { $0.key == "department" }),
           let first = form.fields[i].options.firstIndex(where: { $0.value.isEmpty }) {
            let rule = suggested ?? routing
            form.fields[i].options[first].label = lang.t("按规则：\(rule.department)", "by the rule: \(rule.department)")
            form.fields[i].options[first].detail = ComponentWording.reason(rule, lang)
        }
    }
}
