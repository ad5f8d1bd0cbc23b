import Foundation

/// Intake and exchange: batched imports of reports, grid cells and components (resumable), and exports.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol IntakeStore: Sendable {
    // CityStore+Import.swift
    func importReports<Source: RecordSource>(_ source: inout Source, reporter defaultReporter: String?, channel: ReportSource?, at now: Date, options: ImportOptions) throws(WorkflowError) -> ImportSummary
    func importGrid<Source: RecordSource>(_ source: inout Source, options: ImportOptions) throws(WorkflowError) -> ImportSummary
    func importComponents<Source: RecordSource>(_ source: inout Source, at now: Date, options: ImportOptions) throws(WorkflowError) -> ImportSummary
    // CityStore+ImportProgress.swift
    func importProgress(kind: String, file: ImportFileIdentity) throws(WorkflowError) -> ImportProgress?
    func abandonImport(_ id: Int64) throws(WorkflowError)
    // CityStore+Export.swift
    @discardableResult
    func exportCases(_ query: CaseExportQuery, row: ([ExportValue], (lat: Double, lon: Double)?) throws(WorkflowError) -> Void) throws(WorkflowError) -> Int
    @discardableResult
    func exportGrid(row: ([ExportValue], (lat: Double, lon: Double)?) throws(WorkflowError) -> Void) throws(WorkflowError) -> Int
    @discardableResult
    func exportComponents(row: ([ExportValue], (lat: Double, lon: Double)?) throws(WorkflowError) -> Void) throws(WorkflowError) -> Int
}

extension CityStore: IntakeStore {}
