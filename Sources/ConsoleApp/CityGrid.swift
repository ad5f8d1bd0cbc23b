import ArgumentParser

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
            ConsoleCommand.self, DemoCommand.self, InitCommand.self, SeedDemoCommand.self, SiteCommand.self, OperatorsCommand.self, RegionsCommand.self, CategoriesCommand.self,
            ReportCommand.self, CaseCommand.self, CasesCommand.self, CalendarCommand.self, BenchCommand.self, ConsoleBenchCommand.self,
            OverdueCommand.self, InboxCommand.self, WorkloadCommand.self, BulkCommand.self, EscalateOverdueCommand.self, HandoverCommand.self,
            StatsCommand.self, BulletinCommand.self,
            DuplicatesCommand.self, ImportCommand.self, ExportCommand.self, BenchImportCommand.self,
            APIKeyCommand.self, ServeCommand.self,
            VerifyCommand.self, DoctorCommand.self,
        ]
    )
}
