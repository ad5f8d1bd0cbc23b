/// The short column headers of an evaluation table as operators read them, in Chinese and English: one table for
/// every column `EvaluationExport.table` writes (keyed by its raw CSV key), each indicator's beside it. The raw keys
/// stay the CSV/JSON contract; these are for screens and the console's exports.
public enum EvaluationHeaders {
    /// The short header of a raw column key, or the key itself when it has none.
    public static func short(_ key: String) -> (zh: String, en: String) {
        if let indicator = Indicator(rawValue: key) { return (indicator.shortZh, indicator.shortEn) }
        return others[key] ?? (key, key)
    }

    static let others: [String: (zh: String, en: String)] = [
        "key": ("编码", "KEY"), "name": ("名称", "NAME"), "role": ("角色", "ROLE"),
        "reports": ("上报", "REPORTS"), "filed": ("立案", "FILED"), "closed": ("结案", "CLOSED"),
        "overdue_now": ("当前超期", "OVERDUE"), "should_close": ("应结案", "TO CLOSE"),
        "should_resolve": ("应解决", "TO RESOLVE"),
        "score": ("综合分", "SCORE"), "band": ("等级", "BAND"),
    ]
}

extension Indicator {
    /// A column header: a few characters, the rate's `%` kept.
    public var shortEn: String {
        switch self {
        case .validReportRate: "VALID%"
        case .publicReportShare: "PUBLIC%"
        case .missedReportRate: "MISSED%"
        case .onTimeVerifyRate: "VERIFY%"
        case .onTimeCheckRate: "CHECK%"
        case .onTimeFilingRate: "FILE OT%"
        case .accurateFilingRate: "FILE OK%"
        case .onTimeDispatchRate: "DISP OT%"
        case .accurateDispatchRate: "DISP OK%"
        case .onTimeHandlingRate: "HANDLE%"
        case .closureRate: "CLOSURE%"
        case .onTimeClosureRate: "CLOSE OT%"
        case .onTimeClosingRate: "CLOSING%"
        case .reworkRate: "REWORK%"
        case .open311OnTimeRate: "311 OT%"
        case .casesFiled: "FILED"
        case .dispatchVolume: "DISPATCH"
        case .casesHandled: "HANDLED"
        case .followUpRate: "FOLLOWUP%"
        case .satisfactionRate: "SATISF%"
        case .foundRate: "FOUND%"
        case .handlingRate: "HANDLING%"
        case .resolutionRate: "RESOLVED%"
        case .communityCloseShare: "COMMUNITY%"
        case .streetCloseShare: "STREET%"
        case .belowDistrictCloseShare: "BELOW%"
        }
    }

    public var shortZh: String {
        switch self {
        case .validReportRate: "有效上报%"
        case .publicReportShare: "公众占比%"
        case .missedReportRate: "漏报%"
        case .onTimeVerifyRate: "按时核实%"
        case .onTimeCheckRate: "按时核查%"
        case .onTimeFilingRate: "按时立案%"
        case .accurateFilingRate: "准确立案%"
        case .onTimeDispatchRate: "按时派遣%"
        case .accurateDispatchRate: "准确派遣%"
        case .onTimeHandlingRate: "按期处置%"
        case .closureRate: "结案率%"
        case .onTimeClosureRate: "按期结案%"
        case .onTimeClosingRate: "按时结案%"
        case .reworkRate: "返工%"
        case .open311OnTimeRate: "311按期%"
        case .casesFiled: "立案数"
        case .dispatchVolume: "派遣量"
        case .casesHandled: "处置量"
        case .followUpRate: "回访率%"
        case .satisfactionRate: "满意率%"
        case .foundRate: "发现率%"
        case .handlingRate: "处置率%"
        case .resolutionRate: "解决率%"
        case .communityCloseShare: "社区结案%"
        case .streetCloseShare: "街道结案%"
        case .belowDistrictCloseShare: "街社结案%"
        }
    }
}
