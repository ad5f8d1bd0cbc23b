/// The console speaks Chinese (the operators' language) or English.
enum Language: String, Sendable, CaseIterable {
    case zh, en

    /// A label in this language: `lang.t("队列", "Queue")`.
    func t(_ zh: String, _ en: String) -> String { self == .zh ? zh : en }

    func state(_ s: String) -> String {
        guard self == .zh else { return s }
        return [
            "reported": "已上报", "verifying": "核实中", "accepted": "已受理", "filed": "已立案", "dispatched": "已派遣",
            "handled": "已处置", "checking": "核查中", "checked": "已核查", "closed": "已结案", "cancelled": "已作废",
            "suspended": "已挂账",
        ][s] ?? s
    }

    func action(_ a: String) -> String {
        guard self == .zh else { return a }
        return [
            "accept": "受理", "verify": "核实", "confirm": "确认", "invalid": "不属实", "file": "立案", "reject": "不予立案",
            "dispatch": "派遣", "escalate": "上报市级", "handle": "处置完毕", "request-return": "申请回退", "request-extension": "申请延期",
            "request-suspension": "申请挂账", "approve": "批准", "refuse": "驳回", "resume": "恢复", "check": "核查", "pass": "核查通过",
            "fail": "核查不通过", "close": "结案", "cancel": "作废", "merge": "合并", "urge": "督办", "report": "上报",
            "reassign": "改派", "return-to-district": "退回区级", "unurge": "撤销督办", "unmerge": "撤销合并",
            "follow-up": "待回访", "follow-up-result": "回访", "reopen": "回访返工", "keep-closed": "维持结案",
            "prioritize": "设为优先", "deprioritize": "取消优先",
        ][a] ?? a
    }

    func role(_ r: String) -> String {
        guard self == .zh else { return r }
        return ["inspector": "监督员", "intake": "受理员", "shift-lead": "值班长", "dispatcher": "派遣员", "department": "专业部门",
                "supervisor": "领导", "admin": "管理员"][r] ?? r
    }
}
