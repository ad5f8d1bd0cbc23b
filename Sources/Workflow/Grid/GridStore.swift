import Foundation

/// The grid: districts, streets, communities, cells and patrol areas, and finding a cell by place.
/// The console and the CLI use it; `CityStore` (SQLite, Persistence/) is its one backend today, so a second one
/// can be written later without touching a front end. Each method is documented where `CityStore` implements it.
public protocol GridStore: Sendable {
    // CityStore+Regions.swift
    func addDistrict(code: String, nameZh: String, nameEn: String) throws(WorkflowError)
    func addRegion(code: String, level: RegionLevel, nameZh: String, nameEn: String) throws(WorkflowError)
    func addRegion(code: String, kind: RegionKind, nameZh: String, nameEn: String) throws(WorkflowError)
    func addPatrolArea(id: String, communityCode: String, name: String) throws(WorkflowError)
    func addCell(_ cell: GridCell) throws(WorkflowError)
    func cellPlace(_ code: String) throws(WorkflowError) -> CellPlace
    func cells(inRegion prefix: String?) throws(WorkflowError) -> [GridCell]
    func regions(level: RegionLevel?, parent: String?) throws(WorkflowError) -> [Region]
    func regions(kind: RegionKind?, parent: String?) throws(WorkflowError) -> [Region]
    func cell(nearLatitude lat: Double, longitude lon: Double, maxMeters: Double) throws(WorkflowError) -> GridCell?
}

extension CityStore: GridStore {}
