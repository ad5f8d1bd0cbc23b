import ArgumentParser
import Foundation

@main
struct CityGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citygrid",
        abstract: "Grid-based digital city management: the closed case loop, from a terminal.",
        discussion: """
            Every command takes --db PATH (default $CITYGRID_DB, else $XDG_DATA_HOME/citygrid/citygrid.sqlite).
            Set CITYGRID_NOW=ISO-8601 to fix "now" for demos and tests. Exit codes: 0 done, 2 invalid input,
            3 refused (role, center, region), 4 refused (state), 5 not found, 6 database problem, 64 usage.
            Every time taken in (--at, CITYGRID_NOW, the clock, an import's reported_at) must lie in the site's
            time window, refused with exit 2 otherwise: see 'citygrid site show' and 'site set-time-window'.
            """,
        version: "0.1.0",
        subcommands: [
            ConsoleCommand.self, DemoCommand.self, InitCommand.self, SeedDemoCommand.self, SiteCommand.self, OperatorsCommand.self, OperatorCommand.self, CenterCommand.self, DepartmentCommand.self, PatrolAreaCommand.self, RegionsCommand.self, CategoriesCommand.self, CategoryCommand.self,
            ReportCommand.self, CaseCommand.self, CasesCommand.self, CalendarCommand.self, BenchCommand.self, ConsoleBenchCommand.self,
            OverdueCommand.self, InboxCommand.self, WorkloadCommand.self, BulkCommand.self, EscalateOverdueCommand.self, HandoverCommand.self,
            StatsCommand.self, BulletinCommand.self, AccountabilityCommand.self,
            RosterCommand.self, PatrolCommand.self,
            DuplicatesCommand.self, ImportCommand.self, ExportCommand.self, BenchImportCommand.self,
            APIKeyCommand.self, ServeCommand.self,
            ServeSSHCommand.self,
            VerifyCommand.self, DoctorCommand.self,
            AccessCommand.self, AuditCommand.self, BenchSignInCommand.self,
            FollowUpsCommand.self, FollowUpCommand.self, NotifyCommand.self,
            ComponentCommand.self, CensusCommand.self,
        ]
    )

    /// The argument parser's own `main`, except that its messages go through `Output`'s sanitizer: an error about
    /// a bad option value quotes the value, and the value must not reach the terminal raw (escape sequences,
    /// bells, C1 controls). Help, usage lines and exit codes are the parser's, unchanged.
    static func main() {
        // First thing: a crash from here on (even while parsing) gets the report and the one line.
        CrashGuard.install(command: "")
        do {
            var command = try parseAsRoot()
            CrashGuard.commandParsed(commandPath(to: type(of: command)))
            try command.run()
        } catch {
            exitSafely(withError: error)
        }
    }

    /// The subcommand's names from the root, e.g. `case show`, for the crash report.
    static func commandPath(to target: ParsableCommand.Type, from root: ParsableCommand.Type = CityGrid.self) -> String {
        func search(_ type: ParsableCommand.Type, _ names: [String]) -> [String]? {
            if type == target { return names }
            for sub in type.configuration.subcommands {
                let name = sub.configuration.commandName ?? String(describing: sub).lowercased()
                if let found = search(sub, names + [name]) { return found }
            }
            return nil
        }
        return search(root, [])?.joined(separator: " ") ?? (target.configuration.commandName ?? "")
    }

    static func exitSafely(withError error: any Error) -> Never {
        let code = exitCode(for: error)
        let text = fullMessage(for: error)
        if !text.isEmpty {
            // Help and --version go to standard output, errors to standard error, as the parser sends them.
            Output.messageLines(text, toStandardOutput: code == .success)
        }
        Foundation.exit(code.rawValue)
    }
}
