import Workflow

/// The kinds of error the console shows besides Workflow's typed refusals (`Refusal`, worded in `ActionWording`):
/// Workflow's untyped errors by kind, and anything else a call throws (a system error). Each has a sentence in both
/// languages; the error's own text, which is Workflow's English or the system's (errno, SQLite), follows in
/// parentheses in Chinese, as the detail an administrator may need.
enum ErrorKind: CaseIterable, Sendable {
    case forbidden, wrongState, notFound, invalidInput, storage, system

    /// The kind of an untyped error; nil for a typed refusal, which the console words whole.
    init?(_ error: WorkflowError) {
        switch error {
        case .forbidden: self = .forbidden
        case .wrongState: self = .wrongState
        case .notFound: self = .notFound
        case .invalidInput: self = .invalidInput
        case .storage: self = .storage
        case .refusal: return nil
        }
    }
}

extension Language {
    /// The operator's sentence for an error of this kind.
    func sentence(_ kind: ErrorKind) -> String {
        switch kind {
        case .forbidden: t("无权执行此操作", "refused")
        case .wrongState: t("案件当前状态不允许此操作", "refused")
        case .notFound: t("未找到", "not found")
        case .invalidInput: t("输入有误", "invalid input")
        case .storage: t("数据库出错，未完成", "database")
        case .system: t("出错了，未完成", "error")
        }
    }

    /// The sentence with the raw detail: `refused: …` in English (as the CLI says it), `无权执行此操作（…）` in Chinese.
    func wrapped(_ kind: ErrorKind, _ detail: String) -> String {
        self == .en ? "\(sentence(kind)): \(detail)" : "\(sentence(kind))（\(detail)）"
    }
}
