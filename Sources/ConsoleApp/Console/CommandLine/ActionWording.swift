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
