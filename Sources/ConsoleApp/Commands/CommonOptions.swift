import ArgumentParser
import Foundation
import Workflow

/// `--db`, shared by every command.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Database file.", discussion: "Default: $CITYGRID_DB, else $XDG_DATA_HOME/citygrid/citygrid.sqlite.", valueName: "PATH"))
    var db: String?

    var path: String {
        if let db, !db.isEmpty { return (db as NSString).expandingTildeInPath }
        let env = ProcessInfo.processInfo.environment
        if let path = env["CITYGRID_DB"], !path.isEmpty { return path }
        let dataHome = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return (dataHome as NSString).appendingPathComponent("citygrid/citygrid.sqlite")
    }

    /// Opens the site; a read-only one says so in one line on stderr (stdout stays the command's own).
    func open() throws(WorkflowError) -> CityStore {
        let store = try CityStore.open(path: path)
        if let notice = store.readOnlyNotice { Output.progress("citygrid: " + notice) }
        return store
    }
}

/// "Now" for this process: `--at`, else `CITYGRID_NOW`, else the system clock.
enum Now {
    static func resolve(_ at: String?, timeZone: TimeZone) throws(WorkflowError) -> Date {
        let format = InstantFormat(timeZone: timeZone)
        if let at { return try format.parse(at) }
        if let fixed = ProcessInfo.processInfo.environment["CITYGRID_NOW"], !fixed.isEmpty {
            do { return try format.parse(fixed) } catch {
                throw .invalidInput("CITYGRID_NOW: \(error.description.replacingOccurrences(of: "invalid input: ", with: ""))")
            }
        }
        return Date()
    }

    /// Before a site exists there is no site time zone: the default one is used.
    static func resolve(_ at: String?, store: CityStore?) throws(WorkflowError) -> Date {
        let zone = (try? store?.settings()).flatMap { TimeZone(identifier: $0.timeZone) } ?? TimeZone(identifier: "Asia/Shanghai")!
        return try resolve(at, timeZone: zone)
    }
}

/// Runs a command body, turning a `WorkflowError` into one stderr line and its exit code.
func guarded(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as WorkflowError {
        Output.error(error.description)
        throw ExitCode(error.exitCode)
    }
}

extension ManagementModel: ExpressibleByArgument {}
extension CaseState: ExpressibleByArgument {}
extension CategoryKind: ExpressibleByArgument {}
extension ReportSource: ExpressibleByArgument {}
extension RegionLevel: ExpressibleByArgument {}
