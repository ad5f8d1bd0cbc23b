import Workflow

/// How the console words Workflow's typed refusals and an action's arguments, in Chinese or English: the names of
/// the form's fields and of the things an operator picks, never a CLI flag.
extension Language {
    /// A typed refusal as the console says it.
    func refusal(_ r: Refusal) -> String {
        switch r {
        case .missingTarget(let a):
            return t("\(action(a.rawValue))需要指定\(target(a.spec.target))", "\(a.rawValue) needs \(target(a.spec.target))")
        case .targetNotACaseID(let a, let given):
            return t("\(action(a.rawValue))需要另一案件的案件号，“\(given)”不是案件号", "\(a.rawValue) needs the id of another case, not '\(given)'")
        case .missingHours(let a):
            return t("\(action(a.rawValue))需要填写小时数", "\(a.rawValue) needs a number of hours")
        case .hoursOutOfRange(let a, let range):
            return t("\(action(a.rawValue))的小时数须大于 \(range.aboveText)、不超过 \(range.atMostText)",
                     "\(a.rawValue) needs more than \(range.aboveText) and at most \(range.atMostText) hours")
        case .missingNote(let verb, let meaning):
            let name = verb == "unmerge" ? t("撤销合并", "unmerge") : (self == .zh ? action(verb) : verb)
            return meaning == .instructions ? t("\(name)需要填写给区级的说明", "\(name) needs instructions for the district")
                                            : t("\(name)需要填写原因", "\(name) needs a reason")
        case .notEscalated(let id, let center):
            return t("案件 \(id) 未上报市级，不能退回；请用派遣发往区级指挥中心 \(center)",
                     "case \(id) was not escalated; dispatch it to the district command center \(center) instead")
        case .emptyPeriod(let from, let to):
            return t("时段 \(from)…\(to) 为空：结束日（不计入）须晚于开始日",
                     "the period \(from)…\(to) is empty: its end (not counted) must come after its start")
        case .satisfactionMissing:
            return t("已联系上的回访须选择满意度（满意、基本满意或不满意）", "a reached reporter's follow-up needs their satisfaction: satisfied, basically satisfied or dissatisfied")
        case .satisfactionNotReached:
            return t("未联系上的回访没有满意度，只记录未联系上即可", "a reporter who was not reached gave no satisfaction; record only that they were not reached")
        case .descriptionEmpty:
            return t("问题描述为空", "the description is empty")
        case .descriptionTooLong(let bytes, let limit):
            return t("问题描述 \(bytes) 字节，超过上限 \(limit) 字节", "the description is \(bytes) bytes; the limit is \(limit) bytes")
        case .actorNotNamed:
            return t("这是开放（演示）站点：请指定操作员", "this is an open (demo) site: name the operator acting")
        case .batchedImportMustSkipBad:
            return t("分批导入逐批提交，坏记录无法撤销之前的批次：分批导入须跳过坏记录",
                     "a batched import commits as it goes, so a bad record cannot undo the batches before it: it must skip bad records")
        case .targetExists(let path):
            return t("\(path) 已存在；须明确要求才会替换", "\(path) already exists; replacing it must be asked for")
        case .historyGuardsBroken(let guards):
            let list = guards.joined(separator: "; ")
            return t("写入被拒绝：历史记录的保护（\(list)）与 citygrid 所建不同，历史可能在 citygrid 之外被改动；请先核验历史记录，核验通过后再恢复保护",
                     "writes are refused: the history's guards are not as citygrid made them (\(list)), so the history may have been "
                        + "changed outside citygrid; verify the history, and once it verifies, restore its guards")
        case .wrongRole(let verb, let roles, _, let mine):
            return t("\(action(verb))仅限\(roleNames(roles))执行；你的角色是\(role(mine.rawValue))", r.text)
        case .reassignRole(let id, let inspectorTask, let checking, _, let mine):
            return inspectorTask ? t("案件 \(id) 的\(checking ? "核查" : "核实")任务只能由值班长改派；你的角色是\(role(mine.rawValue))", r.text)
                                 : t("已派遣的案件 \(id) 只能由派遣员改派；你的角色是\(role(mine.rawValue))", r.text)
        case .wrongState(let id, let now, let a):
            let from = a.fromStates.map { states in
                "“" + states.map(\.rawValue).sorted().map(state).joined(separator: "”或“") + "”的案件"
            } ?? "未结案件"
            return t("案件 \(id) 状态为“\(state(now.rawValue))”，\(action(a.rawValue))只适用于\(from)", r.text)
        case .notConfirmed(let id, let from):
            return t("案件 \(id) 来自\(source(from))，须先由监督员核实确认才能立案", r.text)
        case .otherMonitoringCenter(let id, let center, _, let mine):
            return t("案件 \(id) 属于监督中心 \(center)，你在\(centerName(mine))", r.text)
        case .siteCenterStage(let a, let id, let kind, let center, _, let mine):
            let centerKind = kind == .command ? "指挥中心" : "监督中心"
            return t("按本站设置，案件 \(id) 的\(action(a.rawValue))由\(centerKind)\(center.map { " \($0) " } ?? "")的值班长负责；你在\(centerName(mine))", r.text)
        case .taskNotAssigned(let id, let checking, _):
            return t("案件 \(id) 的\(checking ? "核查" : "核实")任务没有派给你", r.text)
        case .otherCommandCenter(let id, let center, _, let mine):
            return t("案件 \(id) 由\(centerName(center, none: "无指挥中心"))掌握，你在\(centerName(mine))", r.text)
        case .otherDepartment(let id, let department, _, let mine):
            return t("案件 \(id) 在\(department.map { "部门 \($0)" } ?? "无部门")处理，你属于\(mine.map { "部门 \($0)" } ?? "无所属部门")", r.text)
        case .onlyDistrictEscalates(let id, let holder):
            return t("只有区级指挥中心可以上报市级；案件 \(id) 由\(centerName(holder, none: "无指挥中心"))掌握", r.text)
        case .noCityCommand(let m):
            return t("“\(model(m))”模式没有市级指挥中心，无法上报市级", r.text)
        case .noCommandTiers(let m):
            return t("“\(model(m))”模式没有市、区两级指挥，无法在两级之间移送案件", r.text)
        case .onlyCitySendsDown(let a, let id, let holder):
            let verb = switch a {
            case .reassign: "改派到"
            case .returnToDistrict: "退回"
            default: "派遣到"
            }
            return t("只有市级指挥中心可以将案件\(verb)区级指挥中心；案件 \(id) 由\(centerName(holder, none: "无指挥中心"))掌握", r.text)
        case .centerOfOtherDistrict(let center, let serves, let id, let district):
            return t("指挥中心 \(center) 负责区 \(serves)，案件 \(id) 在区 \(district)", r.text)
        case .notInPatrolArea(let login, let cell, let area):
            return t("监督员 \(login) 不巡查网格 \(cell)（该网格的巡查片区：\(area ?? "无")）", r.text)
        case .noPendingRequest(let id, let a):
            return t("案件 \(id) 没有待审批的申请，无法\(action(a.rawValue))", r.text)
        case .pendingRequest(let id, let kind):
            return t("案件 \(id) 有待审批的\(action("request-" + kind.rawValue))，须派遣员先批准或驳回", r.text)
        case .survivorNotOpen(let id, let now):
            return t("案件 \(id) 状态为“\(state(now.rawValue))”，只能合并到未结案件", r.text)
        case .caseChanged(let id, let now):
            return t("案件 \(id) 在你打开后已有变动（现为“\(state(now.rawValue))”），请重新查看后再试", r.text)
        case .cellOutsideRegion(let cell, let district, _, let region):
            return t("网格 \(cell) 属于 \(district) 区，不在你的辖区 \(region) 内", r.text)
        case .lineNotForSource(let from):
            return t("只有热线来电才填写热线号码；这条上报来自\(source(from))", "only a hotline call names a line; this report came from: \(source(from))")
        case .unknownLine(let line, let known):
            return t("没有热线号码 \(line)；本站点的热线号码：\(known.joined(separator: "、"))",
                     "there is no hotline line \(line); the site's lines are \(known.joined(separator: ", "))")
        case .alreadyPriority(let id):
            return t("案件 \(id) 已是优先案件", r.text)
        case .notPriority(let id):
            return t("案件 \(id) 不是优先案件，无需取消", r.text)
        case .reassignTargetForState(let id, let now, let target):
            switch target {
            case .inspector: return t("案件 \(id) 状态为“\(state(now.rawValue))”；只有核实或核查任务可改派给其他监督员", r.text)
            case .department: return t("案件 \(id) 状态为“\(state(now.rawValue))”；只有已派遣的案件可改派给其他部门", r.text)
            case .districtCenter: return t("案件 \(id) 状态为“\(state(now.rawValue))”；只有已派遣的案件可改派至区级指挥中心", r.text)
            }
        case .bulkAlreadyUndone(_, let batch, let a, _):
            return t("你的上一次批量操作（#\(batch)，\(action(a.rawValue))）已经撤销过；只能撤销最近一次，且只撤销一次", r.text)
        case .bulkNotUndoable(let batch, let a):
            let why = switch a {
            case .escalate: "上报已交市级指挥中心，需由市级退回区级"
            case .approve, .refuse: "对部门申请的决定已生效，部门须重新申请"
            case .returnToDistrict: "案件已由区级掌握，区级可再次上报"
            default: "只有批量督办和改派可以撤销；\(action(a.rawValue))须单独操作"
            }
            return t("批量操作 #\(batch)（\(action(a.rawValue))）无法撤销：\(why)", r.text)
        case .nothingToUnmerge(let id, let now):
            return t("案件 \(id) 状态为“\(state(now.rawValue))”，并未合并到其他案件，无需撤销合并", r.text)
        case .unmergeAfterFiling(let id, let now):
            return t("案件 \(id) 状态为“\(state(now.rawValue))”；保留的案件立案后不能再撤销合并", r.text)
        case .unitOutsideCell(let id, let unit, let level, let cell):
            return t("\(handlingLevel(level)) \(unit) 不包含案件 \(id) 的网格 \(cell)；案件只能派给其网格所在的街道（镇）或社区",
                     "\(level == .community ? "community" : "street or town") \(unit) does not hold case \(id)'s cell \(cell); "
                        + "a case goes only to the street or community its cell lies in")
        case .regionNotHandlingUnit(let region, let level):
            return t("\(handlingLevel(level)) \(region) 还不是处置单位，须由系统管理员先设为处置单位",
                     "\(level == .community ? "community" : "street or town") \(region) is not a handling unit yet; an administrator makes it one first")
        case .censusManagerRole(let verb, _, let mine):
            return t("\(verb == "close" ? "结束" : "发起")部件普查仅限\(roleNames([.supervisor, .shiftLead]))；你的角色是\(role(mine.rawValue))", r.text)
        case .censusClosed(let id):
            return t("部件普查 \(id) 已结束，不再接受记录", r.text)
        case .censusRecorderRole(_, let mine):
            return t("普查记录只能由监督员填写；你的角色是\(role(mine.rawValue))", r.text)
        case .noSurveyTask(let id, _, let area):
            return t("部件普查 \(id) 没有你所在巡查片区（\(area ?? "无")）的普查任务", r.text)
        case .censusRecord(let problem):
            switch problem {
            case .needsComponent: return t("此项普查结果须填写部件编号（16 位）", r.text)
            case .removedIsRetire: return t("已不存在的部件请选“注销”，不要把状态填为“移除”", r.text)
            case .confirmationChanges: return t("“确认”只能填写现状；位置、名称或权属单位不同请选“更正”", r.text)
            case .correctionChangesNothing: return t("“更正”须写明不同之处：网格、名称、权属单位或状态", r.text)
            case .retireTakesNoteOnly: return t("“注销”即部件已移除，只需填写备注", r.text)
            case .addNeedsCell: return t("新增部件须填写所在网格", r.text)
            case .nameEmpty: return t("部件名称不能为空", r.text)
            case .nameTooLong(let bytes): return t("部件名称 \(bytes) 字节，超过上限 200 字节", r.text)
            }
        }
    }

    /// A level below the district as a Chinese noun: 社区, 街道（镇）.
    func handlingLevel(_ level: HandlingLevel) -> String {
        level == .community ? "社区" : "街道（镇）"
    }

    /// Role names in Chinese, joined with 或: "派遣员或值班长".
    func roleNames(_ roles: [Role]) -> String {
        roles.map(\.rawValue).sorted().map(role).joined(separator: t("或", " or "))
    }

    /// A center by its id, or what a missing one is: "中心 110101-C", "无所属中心".
    func centerName(_ id: String?, none: String? = nil) -> String {
        id.map { t("中心 \($0)", "center \($0)") } ?? (none ?? t("无所属中心", "no center"))
    }

    /// A management model's name.
    func model(_ m: ManagementModel) -> String {
        switch m {
        case .centralized: t("集中监督、集中指挥", "centralized")
        case .oneMonitorTwoCommand: t("一级监督、两级指挥", "one monitoring, two command tiers")
        case .twoMonitorOneCommand: t("两级监督、一级指挥", "two monitoring tiers, one command")
        case .twoMonitorTwoCommand: t("两级监督、两级指挥", "two monitoring and two command tiers")
        }
    }

    /// An error as the status line shows it: a typed refusal in this language, any other as Workflow words it.
    func describe(_ error: WorkflowError) -> String {
        if case .refusal(let r) = error { return refusal(r) }
        guard self == .zh, let kind = ErrorKind(error) else { return error.description }
        return wrapped(kind, error.message)
    }

    /// Why an action cannot be taken, after the action's name: the message without its kind.
    func reason(_ error: WorkflowError) -> String {
        if case .refusal(let r) = error { return refusal(r) }
        guard self == .zh, let kind = ErrorKind(error) else { return error.message }
        return wrapped(kind, error.message)
    }

    /// A bulk refusal as the status line shows it.
    func describe(_ refusal: BulkRefusal) -> String {
        guard case .refusal(let r) = refusal.error else {
            guard self == .zh else { return refusal.description }
            return (refusal.caseID.map { "案件 \($0) 被拒绝，未做任何更改：" } ?? "") + describe(refusal.error)
        }
        return refusal.caseID.map { t("案件 \($0) 被拒绝，未做任何更改：", "case \($0) refused, nothing was written: ") + self.refusal(r) } ?? self.refusal(r)
    }

    /// Any error a store call throws, as the status line shows it.
    func describe(_ error: any Error) -> String {
        switch error {
        case let e as WorkflowError: describe(e)
        case let e as BulkRefusal: describe(e)
        default: self == .en ? String(describing: error) : wrapped(.system, String(describing: error))
        }
    }

    /// What an action's target is, with the article in English: "an inspector".
    func target(_ kind: ActionTarget) -> String {
        switch kind {
        case .none: t("无", "nothing")
        case .inspector: t("监督员", "an inspector")
        case .departmentOrCenter: t("部门或指挥中心", "a department or command center")
        case .caseID: t("并入的案件号", "the case to merge into")
        case .inspectorDepartmentOrCenter: t("监督员、部门或指挥中心", "an inspector, department or command center")
        case .optionalDistrictCenter: t("区级指挥中心", "a district command center")
        }
    }

    /// The label of an action's note field.
    func noteLabel(_ rule: NoteRule) -> String {
        switch rule.meaning {
        case .remark: t("备注", "Note")
        case .reason: t("原因", "Reason")
        case .instructions: t("说明", "Instructions")
        }
    }
}
