/// The `:` commands as the help lists them: how each is typed and what it does. `consoleWords` (completion) and
/// `parse` name the same commands; a test checks that every one of them is here.
extension ConsoleCommandParser {
    struct CommandHelp: Sendable {
        var usage: String
        var zh: String
        var en: String
        /// The key the command stands for, when only some roles are offered it.
        var action: UIAction?
    }

    static let commandHelp: [CommandHelp] = [
        CommandHelp(usage: "case ID", zh: "打开案件", en: "open a case"),
        CommandHelp(usage: "filter TEXT", zh: "按文字筛选队列", en: "filter the queue by text"),
        CommandHelp(usage: "filter state STATE", zh: "按状态筛选", en: "filter by state"),
        CommandHelp(usage: "filter overdue", zh: "只看超期", en: "overdue cases only"),
        CommandHelp(usage: "filter district CODE", zh: "按区域筛选（区、街道、社区或网格）", en: "filter by area (district, street, community, cell)"),
        CommandHelp(usage: "filter category CODE", zh: "按类别筛选", en: "filter by category"),
        CommandHelp(usage: "filter clear", zh: "清除筛选", en: "clear the filters"),
        CommandHelp(usage: "sort COLUMN [asc|desc]", zh: "队列排序", en: "sort the queue"),
        CommandHelp(usage: "measure MEASURE", zh: "地图指标", en: "map measure"),
        CommandHelp(usage: "measure category CODE", zh: "地图显示某类别的上报数", en: "map the reports of one category"),
        CommandHelp(usage: "components CODE|all|off", zh: "地图部件图层（某类别、全部或关闭）", en: "map component layer (one class, all, or off)"),
        CommandHelp(usage: "board GROUPING", zh: "考评排名（按区、部门、人员或中心）", en: "evaluation board (by region, department, operator, center)"),
        CommandHelp(usage: "export FILE.csv|FILE.md", zh: "导出屏幕上的表格", en: "export the table on screen"),
        CommandHelp(usage: "inbox", zh: "待审批申请", en: "approvals inbox", action: .inbox),
        CommandHelp(usage: "handover", zh: "交接班", en: "shift handover"),
        CommandHelp(usage: "followups", zh: "回访任务", en: "follow-ups waiting", action: .toggleFollowUps),
        CommandHelp(usage: "patrol", zh: "巡查看板：普查进度、漏巡网格", en: "patrol board: census progress, neglected cells"),
        CommandHelp(usage: "census [ID]", zh: "记录部件普查结果", en: "record a census finding", action: .censusForm),
        CommandHelp(usage: "undo", zh: "撤销上一次批量操作", en: "undo the last bulk action", action: .undoBulk),
        CommandHelp(usage: "theme NAME|FILE", zh: "配色主题", en: "colour theme"),
        CommandHelp(usage: "lang zh|en", zh: "界面语言", en: "interface language"),
        CommandHelp(usage: "as LOGIN", zh: "以其他操作员的视角查看（演示）", en: "see the city as another operator (demo)", action: .switchRole),
        CommandHelp(usage: "roles", zh: "选择角色（演示）", en: "choose a role (demo)", action: .switchRole),
        CommandHelp(usage: "help", zh: "本帮助", en: "this help"),
        CommandHelp(usage: "q", zh: "退出", en: "quit"),
    ]
}
