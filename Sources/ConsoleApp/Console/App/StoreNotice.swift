import Foundation
import Workflow

/// The console's words for a database it may not write: read-only from the start (`ReadOnlyReason`), or a
/// file removed, replaced or damaged under it (`FileProblem`). Workflow decides; this only words it.
enum StoreNotice {
    /// The banner that stays on the status line once the file is no longer the one opened.
    static func banner(_ problem: FileProblem, _ lang: Language) -> String {
        // The file's name only: the banner must fit a narrow status line, and the folder is the operator's own.
        func name(_ file: String) -> String { (file as NSString).lastPathComponent }
        switch problem {
        case .removed(let file):
            return lang.t("数据库文件 \(name(file)) 在本控制台打开后已被删除：不再写入任何内容，请退出后重新打开",
                          "\(name(file)) was removed since this console opened it: nothing more is written; quit and reopen")
        case .replaced(let file):
            return lang.t("数据库文件 \(name(file)) 在本控制台打开后已被替换：不再写入任何内容，请退出后重新打开",
                          "\(name(file)) was replaced since this console opened it: nothing more is written; quit and reopen")
        case .changed(let file):
            return lang.t("只读：\(name(file)) 已被其所有者修改，所显示的内容已过时；请退出后重新打开",
                          "read-only: \(name(file)) was changed by its owner; what is shown is out of date; quit and reopen")
        case .damaged(let reason):
            return lang.t("数据库已损坏，不再写入任何内容（\(reason)）", "the database is damaged; nothing more is written: \(reason)")
        }
    }

    /// What an action key or command gets when the file is no longer the one opened.
    static func refusal(_ problem: FileProblem, _ lang: Language) -> String {
        lang.t("未执行：", "not done: ") + banner(problem, lang)
    }

    /// Why this console is read-only, in a few words.
    static func reason(_ reason: ReadOnlyReason, _ lang: Language) -> String {
        switch reason {
        case .fileNotWritable:
            lang.t("当前用户无权写入数据库文件", "this user may not write the database file")
        case .folderNotWritable(let folder):
            lang.t("当前用户无权在 \(folder) 中创建 SQLite 所需的 -wal/-shm 文件", "this user may not create SQLite's -wal/-shm files in \(folder)")
        case .sideFileNotWritable(let file, let owner):
            lang.t("\(file) 属于 \(owner)，当前用户无权写入", "\(file) belongs to \(owner) and this user may not write it")
        }
    }

    /// What an action key or command gets in a read-only console.
    static func readOnlyRefusal(_ why: ReadOnlyReason, _ lang: Language) -> String {
        lang.t("只读，不能操作：", "read-only, actions are refused: ") + reason(why, lang)
    }

    /// The tag in the header and at the start of the status line.
    static func readOnlyTag(_ lang: Language) -> String { lang.t("只读", "READ-ONLY") }
    static func stoppedTag(_ lang: Language) -> String { lang.t("已停止写入", "WRITES STOPPED") }
}
