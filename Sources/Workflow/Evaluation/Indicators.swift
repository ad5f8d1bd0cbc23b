/// The indicators of the primer (domain.md §7), as percentages 0–100, and three volumes.
///
/// Every rate is numerator / denominator × 100 over the events of the period (each event counted on
/// its own local day, see `EvaluationCounter`). A zero denominator gives nil — printed "n/a" — never a
/// division by zero and never a made-up 0% or 100%.
public enum Indicator: String, Sendable, Codable, CaseIterable {
    case validReportRate = "valid_report_rate"
    case publicReportShare = "public_report_share"
    case missedReportRate = "missed_report_rate"
    case onTimeVerifyRate = "on_time_verify_rate"
    case onTimeCheckRate = "on_time_check_rate"
    case onTimeFilingRate = "on_time_filing_rate"
    case accurateFilingRate = "accurate_filing_rate"
    case onTimeDispatchRate = "on_time_dispatch_rate"
    case accurateDispatchRate = "accurate_dispatch_rate"
    case onTimeHandlingRate = "on_time_handling_rate"
    case closureRate = "closure_rate"
    case onTimeClosureRate = "on_time_closure_rate"
    case onTimeClosingRate = "on_time_closing_rate"
    case reworkRate = "rework_rate"
    case open311OnTimeRate = "open311_on_time_rate"
    case casesFiled = "cases_filed"
    case dispatchVolume = "dispatch_volume"
    case casesHandled = "cases_handled"
    /// 回访率: follow-ups recorded / follow-ups opened (docs/evaluation.md, "Follow-ups").
    case followUpRate = "follow_up_rate"
    /// 满意率: (satisfied + basically satisfied) / reached.
    case satisfactionRate = "satisfaction_rate"
    /// 发现率: cases filed whose report came from an inspector / cases filed (docs/evaluation.md, "Headline rates").
    case foundRate = "found_rate"
    /// 处置率: standing assignments reported handled / standing assignments owed (the closure rate's "should close").
    case handlingRate = "handling_rate"
    /// 解决率: cases filed and since closed / cases filed, less those wrongly filed.
    case resolutionRate = "resolution_rate"

    /// The source's three headline rates (发现率、处置率、解决率), in its order.
    public static let headline: [Indicator] = [.foundRate, .handlingRate, .resolutionRate]
    /// Share of the period's closes made by a community's unit (小事不出社区; docs/evaluation.md, "Handling below the district").
    case communityCloseShare = "community_close_share"
    /// Share of the period's closes made by a street's or a town's unit.
    case streetCloseShare = "street_close_share"
    /// Both together: the closes handled below the district.
    case belowDistrictCloseShare = "below_district_close_share"

    /// Volumes are counts, not rates: a composite score normalises them within the group compared.
    public var isVolume: Bool { self == .casesFiled || self == .dispatchVolume || self == .casesHandled }

    /// Lower is better: a composite score uses 100 − value.
    public var isInverted: Bool { self == .missedReportRate || self == .reworkRate }

    public var title: String {
        switch self {
        case .validReportRate: "valid report rate"
        case .publicReportShare: "public report share"
        case .missedReportRate: "missed report rate"
        case .onTimeVerifyRate: "on-time verify rate"
        case .onTimeCheckRate: "on-time check rate"
        case .onTimeFilingRate: "on-time filing rate"
        case .accurateFilingRate: "accurate filing rate"
        case .onTimeDispatchRate: "on-time dispatch rate"
        case .accurateDispatchRate: "accurate dispatch rate"
        case .onTimeHandlingRate: "on-time handling rate"
        case .closureRate: "closure rate"
        case .onTimeClosureRate: "on-time closure rate"
        case .onTimeClosingRate: "on-time closing rate"
        case .reworkRate: "rework rate"
        case .open311OnTimeRate: "Open311 on-time rate"
        case .casesFiled: "cases filed"
        case .dispatchVolume: "dispatch volume"
        case .casesHandled: "cases handled"
        case .followUpRate: "follow-up rate"
        case .satisfactionRate: "satisfaction rate"
        case .foundRate: "found rate"
        case .handlingRate: "handling rate"
        case .resolutionRate: "resolution rate"
        case .communityCloseShare: "community close share"
        case .streetCloseShare: "street close share"
        case .belowDistrictCloseShare: "below-district close share"
        }
    }

    public var titleZh: String {
        switch self {
        case .validReportRate: "有效上报率"
        case .publicReportShare: "公众举报占比"
        case .missedReportRate: "漏报率"
        case .onTimeVerifyRate: "按时核实率"
        case .onTimeCheckRate: "按时核查率"
        case .onTimeFilingRate: "按时立案率"
        case .accurateFilingRate: "准确立案率"
        case .onTimeDispatchRate: "按时派遣率"
        case .accurateDispatchRate: "准确派遣率"
        case .onTimeHandlingRate: "按期处置率"
        case .closureRate: "结案率"
        case .onTimeClosureRate: "按期结案率"
        case .onTimeClosingRate: "按时结案操作率"
        case .reworkRate: "返工率"
        case .open311OnTimeRate: "Open311按期率"
        case .casesFiled: "立案数"
        case .dispatchVolume: "派遣量"
        case .casesHandled: "处置量"
        case .followUpRate: "回访率"
        case .satisfactionRate: "满意率"
        case .foundRate: "发现率"
        case .handlingRate: "处置率"
        case .resolutionRate: "解决率"
        case .communityCloseShare: "社区结案占比"
        case .streetCloseShare: "街道结案占比"
        case .belowDistrictCloseShare: "街镇社区结案占比"
        }
    }
}

/// What indicators are computed from: a group's counts over the period, the open cases overdue now,
/// and — for an inspector — the filing counts of the patrol area the inspector walks.
public struct IndicatorInputs: Sendable, Equatable {
    public var counts: EvaluationCounts
    /// Open cases of the group past their current stage's deadline now (suspended ones past theirs when
    /// stopped), reported before the period's end. Nil where "the group's open cases" means nothing (operators).
    public var overdueNow: Int?
    /// (filed, filed by others) in the area that decides the missed report rate: the group itself for
    /// regions, the inspector's patrol area for an inspector, none otherwise.
    public var missedBase: (filed: Int64, byOthers: Int64)?
    /// Whose filings decide the found rate (发现率).
    public var foundBase: FoundBase

    /// The filings a found rate is judged on.
    public enum FoundBase: Sendable, Equatable {
        /// The group's own filings (regions, the city, categories, centers).
        case counts
        /// The missed-report area's (an inspector: the patrol area walked; the same base as `missedBase`).
        case missedArea
        /// None: the rate means nothing for the group (operators other than inspectors).
        case notApplicable
    }

    public init(counts: EvaluationCounts, overdueNow: Int? = nil, missedBase: (filed: Int64, byOthers: Int64)? = nil,
                foundBase: FoundBase = .counts) {
        self.counts = counts; self.overdueNow = overdueNow; self.missedBase = missedBase; self.foundBase = foundBase
    }

    public static func == (a: IndicatorInputs, b: IndicatorInputs) -> Bool {
        a.counts == b.counts && a.overdueNow == b.overdueNow && a.missedBase?.filed == b.missedBase?.filed
            && a.missedBase?.byOthers == b.missedBase?.byOthers && a.foundBase == b.foundBase
    }

    /// Cases that should have been resolved (解决率's denominator): the period's filings less those wrongly filed
    /// (cancelled since, or closed as `error`). Suspended cases stay in: a problem on hold is not solved.
    public var shouldResolve: Int64 { counts[.filed] - counts[.filedVoid] }

    /// Cases that should be closed: standing assignments of the period, less those cancelled since
    /// and those suspended now (suspended cases are listed apart, their clock stopped).
    public var shouldClose: Int64 {
        counts[.assigned] - counts[.assignedCancelled] - counts[.assignedSuspended]
    }

    /// The indicator's value, or nil when its denominator is zero (or it does not apply).
    public func value(_ indicator: Indicator) -> Double? { terms(indicator)?.value }

    /// What the value is made of: a volume's count, or a rate's numerator and denominator, so that groups can be
    /// added up term by term (a block of cells has the rate of its summed terms, not the sum of its cells' rates).
    /// Nil when the indicator does not apply.
    public func terms(_ indicator: Indicator) -> IndicatorTerms? {
        let c = counts
        switch indicator {
        case .validReportRate:
            // valid / decided reports. Undecided reports (not yet filed or cancelled) wait; a duplicate
            // merged into another case is not a valid report.
            return Self.rate(c[.reportsValid], c[.reportsValid] + c[.reportsInvalid] + c[.reportsMerged])
        case .publicReportShare:
            // reports from the public and other channels / all reports.
            return Self.rate(c[.reportsPublic], c[.reports])
        case .missedReportRate:
            // cases filed in the area whose report came from someone other than an inspector / cases filed there.
            guard let base = missedBase else { return nil }
            return Self.rate(base.byOthers, base.filed)
        case .onTimeVerifyRate:
            // verify answers (confirm, invalid) not late / verify answers.
            return Self.onTime(c[.verified], late: c[.verifiedLate])
        case .onTimeCheckRate:
            // check answers (pass, fail) not late / check answers.
            return Self.onTime(c[.checked], late: c[.checkedLate])
        case .onTimeFilingRate:
            // files not late / files.
            return Self.onTime(c[.filed], late: c[.filedLate])
        case .accurateFilingRate:
            // (filed − later cancelled or closed as error) / filed.
            return Self.rate(c[.filed] - c[.filedVoid], c[.filed])
        case .onTimeDispatchRate:
            // dispatches (to a department or a district command center) not late / dispatches.
            return Self.onTime(c[.dispatched], late: c[.dispatchedLate])
        case .accurateDispatchRate:
            // (dispatches to a department − those returned) / dispatches to a department.
            return Self.rate(c[.dispatchedToDepartment] - c[.dispatchReturned], c[.dispatchedToDepartment])
        case .onTimeHandlingRate:
            // handling reports by the (extended) deadline / handling reports; each rework round counts.
            return Self.onTime(c[.handled], late: c[.handledLate])
        case .closureRate:
            // closed / should be closed, over the period's standing assignments.
            return Self.rate(c[.assignedClosed], shouldClose)
        case .onTimeClosureRate:
            // closed `normal` / closed, over the cases closed in the period.
            return Self.rate(c[.closedOnTime], c[.closed])
        case .onTimeClosingRate:
            // close actions by the close deadline / close actions (the shift lead's own clock).
            return Self.onTime(c[.closed], late: c[.closeLate])
        case .reworkRate:
            // standing assignments reworked at least once / should be closed.
            return Self.rate(c[.assignedReworked], shouldClose)
        case .open311OnTimeRate:
            // closed on time / (closed + open and overdue now): an overdue backlog cannot hide.
            guard let overdueNow else { return nil }
            return Self.rate(c[.closedOnTime], c[.closed] + Int64(overdueNow))
        case .casesFiled:
            return .count(c[.filed])
        case .dispatchVolume:
            return .count(c[.dispatched])
        case .casesHandled:
            return .count(c[.handled])
        case .followUpRate:
            // follow-ups recorded (reached or not) / follow-ups opened, over the cases closed in the period.
            return Self.rate(c[.followupsDone], c[.followups])
        case .satisfactionRate:
            // (satisfied + basically satisfied) / reached, over the same follow-ups.
            return Self.rate(c[.followupsSatisfied], c[.followupsReached])
        case .foundRate:
            // cases filed whose report came from an inspector / cases filed: the group's own filings, or for an
            // inspector those of the patrol area walked (so it is 100 − the missed report rate there).
            switch foundBase {
            case .counts: return Self.rate(c[.filed] - c[.filedByOthers], c[.filed])
            case .missedArea:
                guard let base = missedBase else { return nil }
                return Self.rate(base.filed - base.byOthers, base.filed)
            case .notApplicable: return nil
            }
        case .handlingRate:
            // standing assignments of the period reported handled (the report standing) / should close.
            return Self.rate(c[.assignedHandled], shouldClose)
        case .resolutionRate:
            // cases filed in the period and closed since (not as error) / filed less wrongly filed.
            return Self.rate(c[.filedClosed], shouldResolve)
        case .communityCloseShare:
            // closes while a community's unit held the case / closes, over the cases closed in the period.
            return Self.rate(c[.closedCommunity], c[.closed])
        case .streetCloseShare:
            // closes while a street's or a town's unit held the case / closes.
            return Self.rate(c[.closedStreet], c[.closed])
        case .belowDistrictCloseShare:
            // (community + street or town closes) / closes.
            return Self.rate(c[.closedCommunity] + c[.closedStreet], c[.closed])
        }
    }

    static func rate(_ numerator: Int64, _ denominator: Int64) -> IndicatorTerms? {
        IndicatorTerms(numerator: numerator, denominator: denominator)
    }

    static func onTime(_ total: Int64, late: Int64) -> IndicatorTerms? {
        rate(total - late, total)
    }
}

/// An indicator's value as its terms: a volume is a count; a rate is numerator / denominator × 100.
public struct IndicatorTerms: Sendable, Equatable {
    public var numerator: Int64
    /// Nil for a volume.
    public var denominator: Int64?

    public init(numerator: Int64, denominator: Int64?) {
        self.numerator = numerator; self.denominator = denominator
    }

    public static func count(_ n: Int64) -> IndicatorTerms { IndicatorTerms(numerator: n, denominator: nil) }

    /// The count, or the rate as a percentage; nil for a rate over nothing (a zero denominator).
    public var value: Double? {
        guard let denominator else { return Double(numerator) }
        return denominator > 0 ? 100 * Double(numerator) / Double(denominator) : nil
    }
}

/// Average and 90th percentile of one stage's durations over a group and period.
public struct StageTime: Sendable, Equatable {
    public var stage: EvaluationStage
    public var count: Int64
    /// Mean, in minutes; nil when nothing was measured.
    public var averageMinutes: Double?
    /// "90% took at most this many minutes", at the resolution of `StageHistogram.boundsMinutes`.
    public var p90Minutes: Int?

    public init(stage: EvaluationStage, counts: EvaluationCounts) {
        self.stage = stage
        count = counts.stageCount(stage)
        averageMinutes = count > 0 ? Double(counts.stageSeconds(stage)) / Double(count) / 60 : nil
        p90Minutes = counts.histogram.quantileMinutes(stage, 0.9)
    }
}
