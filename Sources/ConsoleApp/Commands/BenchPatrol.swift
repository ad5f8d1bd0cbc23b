import Foundation
import Workflow

/// `citygrid bench`'s patrol rows (issue 17): importing pings beside the sqlite3 shell's `.import` of the same file, and
/// the coverage map ("patrolled in the last hours") over them.
extension BenchCommand {
    func patrolResults(_ reader: CityStore, path: String, now: Date) throws(WorkflowError) -> [BenchResult] {
        guard pings > 0 else { return [] }
        let inspectors = try reader.operators().filter { $0.role == .inspector && $0.patrolAreaID != nil }
        let cells = try reader.cells(inRegion: nil)
        guard !inspectors.isEmpty, !cells.isEmpty else { throw WorkflowError.invalidInput("bench: the city has no inspectors or cells to walk") }
        var byArea: [String: [GridCell]] = [:]
        for cell in cells { if let area = cell.patrolAreaID { byArea[area, default: []].append(cell) } }
        let walkers = inspectors.compactMap { op in byArea[op.patrolAreaID ?? ""].map { (op.login, $0) } }
        let file = path + "-pings.csv"
        defer { try? FileManager.default.removeItem(atPath: file) }
        // Every inspector walks its area a cell at a time, the pings spread evenly over the history's days up to now.
        let generate = try time(repeats: 1) { () throws(WorkflowError) in
            try Self.writePings(to: file, count: pings, walkers: walkers, days: days, now: now, zone: try reader.context().calendar.timeZone)
        }
        var results = [BenchResult(name: "pings: write CSV", detail: "\(pings) lines inspector,time,lat,lon", times: generate)]
        var imported = PingImportResult()
        let importTime = try time(repeats: 1) { () throws(WorkflowError) in
            imported = try reader.importPings(csv: try FileByteSource(path: file), at: now)
        }
        let seconds = importTime[0] / 1000
        results.append(BenchResult(name: "pings: patrol import", detail: "\(imported.imported) pings: parse, check, place in a cell, index",
                                   value: Double(imported.imported) / seconds, unit: "pings/s"))
        if let shell = Self.sqliteShellImport(file: file, scratch: path + "-shell.sqlite") {
            results.append(BenchResult(name: "pings: sqlite3 .import", detail: "the same file into a plain 4-column table, no index",
                                       value: Double(pings) / shell, unit: "rows/s"))
        }
        let hours = try reader.patrolSettings().intervalHours
        let map = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in _ = try reader.cellVisits(hours: hours, at: now) }
        results.append(BenchResult(name: "coverage map, now", detail: "cells patrolled in the last \(hours) h, \(pings) pings", times: map))
        let past = now.addingTimeInterval(-86_400)
        let window = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in _ = try reader.cellVisits(hours: hours, at: past) }
        results.append(BenchResult(name: "coverage map, a day ago", detail: "the same from the pings of the window (time index)", times: window))
        let dayStart = now.addingTimeInterval(-3600 * 10)
        let measures = try time(repeats: max(10, repeats / 4)) { () throws(WorkflowError) in
            _ = try reader.cellMeasures(region: nil, at: now, dayStart: dayStart)
        }
        results.append(BenchResult(name: "console map measures with patrols", detail: "open, overdue, new today, patrolled per cell", times: measures))
        let areas = try time(repeats: max(5, repeats / 20)) { () throws(WorkflowError) in
            _ = try reader.patrolCoverage(by: .patrolArea, hours: nil, at: now)
        }
        results.append(BenchResult(name: "coverage by patrol area", detail: "巡查覆盖率, every area", times: areas))
        let byInspector = try time(repeats: max(5, repeats / 20)) { () throws(WorkflowError) in
            _ = try reader.patrolCoverage(by: .inspector, hours: nil, at: now)
        }
        results.append(BenchResult(name: "coverage by inspector", detail: "distinct (cell, inspector) in the window", times: byInspector))
        return results
    }

    static func writePings(to path: String, count: Int, walkers: [(String, [GridCell])], days: Int, now: Date, zone: TimeZone) throws(WorkflowError) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw .storage("bench: cannot write \(path)")
        }
        defer { try? handle.close() }
        let format = FastInstant(timeZone: zone)
        let span = Double(max(1, days) * 86_400)
        let start = now.addingTimeInterval(-span)
        var buffer = "inspector,time,lat,lon\n"
        var steps = [Int](repeating: 0, count: walkers.count)
        var lastSecond = Int64.min
        var timeText = ""
        for k in 0..<count {
            let w = k % walkers.count
            let (login, area) = walkers[w]
            let cell = area[steps[w] % area.count]
            steps[w] += 1
            let at = start.addingTimeInterval(span * Double(k) / Double(count))
            let second = Int64(at.timeIntervalSince1970)
            if second != lastSecond { timeText = format.string(Date(timeIntervalSince1970: Double(second))); lastSecond = second }
            let jitter = Double(k % 7) * 0.00003
            buffer += "\(login),\(timeText),\(cell.lat + jitter),\(cell.lon - jitter)\n"
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
    }

    /// Seconds the sqlite3 shell takes to `.import` the file into a fresh table; nil when there is no shell.
    static func sqliteShellImport(file: String, scratch: String) -> Double? {
        let shell = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let shell else { return nil }
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch + suffix) }
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell)
        process.arguments = [scratch, "CREATE TABLE ping(inspector TEXT, time TEXT, lat REAL, lon REAL);", ".import --csv --skip 1 \(file) ping"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        let begin = DispatchTime.now().uptimeNanoseconds
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
    }
}
