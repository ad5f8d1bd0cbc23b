import Foundation

/// The site: its settings, reference tables (categories, departments, centers), operators, calendar and time window, the administration of operators, centers, department units and patrol areas, and the readiness checks.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol SiteStore: Sendable {
    // CityStore+Site.swift
    func createSite(_ settings: SiteSettings, categories: [Category], departments: [Department], createdAt: Date?) throws(WorkflowError)
    func timeWindow() throws(WorkflowError) -> TimeWindow
    @discardableResult
    func setTimeWindow(pastYears: Int?, futureMinutes: Int?) throws(WorkflowError) -> TimeWindow
    func settings() throws(WorkflowError) -> SiteSettings
    func context() throws(WorkflowError) -> LifecycleContext
    func categories() throws(WorkflowError) -> [Category]
    func departments() throws(WorkflowError) -> [Department]
    func centers() throws(WorkflowError) -> [Center]
    func findOperator(_ idOrLogin: String) throws(WorkflowError) -> Operator
    func operators() throws(WorkflowError) -> [Operator]
    @discardableResult
    func addOperator(login: String, name: String, role: Role, centerID: String?, departmentCode: String?, regionCode: String?, patrolAreaID: String?) throws(WorkflowError) -> Operator
    @discardableResult
    func importCalendar(_ days: [LocalDate: DayKind]) throws(WorkflowError) -> Int
    // CityStore+CaseRules.swift
    @discardableResult
    func setCaseRules(filing: CenterKind?, closing: CenterKind?, by admin: String?, at now: Date) throws(WorkflowError) -> CaseRules
    // CityStore+ConsoleBell.swift
    func bellSettings(operatorID: Int64?) throws(WorkflowError) -> BellSettings
    func setSiteBell(_ on: Bool, by admin: String?, at now: Date) throws(WorkflowError)
    @discardableResult
    func setOperatorBell(_ idOrLogin: String, _ on: Bool?, by requested: String?, at now: Date) throws(WorkflowError) -> BellSettings
    // CityStore+Administration.swift
    func operatorAccounts() throws(WorkflowError) -> [OperatorAccount]
    func operatorAccount(_ idOrLogin: String) throws(WorkflowError) -> OperatorAccount
    @discardableResult
    func addFirstAdmin(login: String, name: String, unixUser: String?, at now: Date) throws(WorkflowError) -> Operator
    @discardableResult
    func addOperator(_ draft: OperatorDraft, by requested: String?, at now: Date) throws(WorkflowError) -> Operator
    @discardableResult
    func changeOperator(_ idOrLogin: String, _ changes: OperatorChanges, by requested: String?, at now: Date) throws(WorkflowError) -> Operator
    @discardableResult
    func disableOperator(_ idOrLogin: String, by requested: String?, at now: Date) throws(WorkflowError) -> Bool
    @discardableResult
    func enableOperator(_ idOrLogin: String, by requested: String?, at now: Date) throws(WorkflowError) -> Bool
    @discardableResult
    func addCenter(kind: CenterKind, tier: Tier, district: String?, nameZh: String?, nameEn: String?, by requested: String?, at now: Date) throws(WorkflowError) -> Center
    func departmentUnits() throws(WorkflowError) -> [DepartmentUnit]
    @discardableResult
    func addDepartment(code: String, nameZh: String, nameEn: String, scope: String, serves: [(district: String, unit: String)], by requested: String?, at now: Date) throws(WorkflowError) -> Department
    @discardableResult
    func serve(department: String, district: String, unit: String?, by requested: String?, at now: Date) throws(WorkflowError) -> DepartmentUnit
    @discardableResult
    func serveEveryDepartment(district: String, by requested: String?, at now: Date) throws(WorkflowError) -> [DepartmentUnit]
    // CityStore+HandlingUnits.swift
    @discardableResult
    func addRegionUnit(region code: String, by requested: String?, at now: Date) throws(WorkflowError) -> Department
    @discardableResult
    func setCommunityLevel(_ key: CategoryKey, _ on: Bool, by requested: String?, at now: Date) throws(WorkflowError) -> Category
    func patrolAreas() throws(WorkflowError) -> [PatrolAreaSummary]
    func addPatrolArea(id: String, community: String, name: String, by requested: String?, at now: Date) throws(WorkflowError)
    @discardableResult
    func assignCells(_ codes: [String], to area: String, by requested: String?, at now: Date) throws(WorkflowError) -> Int
    @discardableResult
    func assignInspector(_ idOrLogin: String, to area: String, by requested: String?, at now: Date) throws(WorkflowError) -> Operator
    // CityStore+HotlineLines.swift
    func hotlineLines() throws(WorkflowError) -> [HotlineLine]
    @discardableResult
    func addHotlineLine(code: String, name: String, by requested: String?, at now: Date) throws(WorkflowError) -> HotlineLine
    func hotlineLineCounts(_ period: EvaluationPeriod, within: String?) throws(WorkflowError) -> [HotlineLineCount]
    // CityStore+Readiness.swift
    func readiness(at now: Date) throws(WorkflowError) -> [DoctorCheck]
}

extension CityStore: SiteStore {}
