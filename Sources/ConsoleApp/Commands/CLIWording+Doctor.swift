import Workflow

/// How the CLI words what `doctor` finds and the daily bulletin's anchor: as the commands to run, with their flags and
/// placeholders, in the English the CLI has always printed (docs/setup.md and the tests read these lines).
extension CLIWording {
    /// A finding with the command that fixes it: "the grid has no cells; run: citygrid import grid FILE".
    static func text(_ finding: DoctorFinding) -> String {
        guard let step = finding.fix else { return finding.problem }
        return "\(finding.problem); run: \(command(step))"
    }

    /// The command line a setup step is.
    static func command(_ step: SetupStep) -> String {
        switch step {
        case .createSite:
            "citygrid init"
        case .importGrid:
            "citygrid import grid FILE"
        case .assignCells(let cells, let area):
            "citygrid patrol-area assign \(area) --cells \(cells.joined(separator: ","))"
        case .addPatrolArea(let community, let cells):
            "citygrid patrol-area add --id AREA --community \(community) --name NAME, "
                + "then citygrid patrol-area assign AREA --cells \(cells.joined(separator: ","))"
        case .addOperator(let role, let center, let patrolArea):
            "citygrid operator add --login LOGIN --name NAME --role \(role.rawValue) --center \(center)"
                + (patrolArea.map { " --patrol-area \($0)" } ?? "")
        case .addCenter(let kind, let tier, let district):
            "citygrid center add --kind \(kind.rawValue) --tier \(tier.rawValue)" + (district.map { " --district \($0)" } ?? "")
        case .serveDepartment(let department, let district):
            "citygrid department serve \(department) --district \(district) --unit NAME"
        case .serveEveryDepartment(let district):
            "citygrid department serve --all-departments --district \(district) "
                + "(or department serve CODE --district \(district) --unit NAME for each)"
        case .importCalendar:
            "citygrid calendar import FILE (the year's date,kind lines)"
        }
    }

    /// A failed check's `fix:` line.
    static func text(_ fix: DoctorCheck.Fix) -> String {
        switch fix {
        case .restoreFromBackup(let file):
            "the file is damaged: restore \(file) from a backup (`sqlite3 \(file) .recover` may save what it can)"
        case .migrate:
            "open the database with this citygrid as a user who can write it (it migrates on open)"
        case .restoreHistoryGuards:
            "check the history with `citygrid verify`; once it verifies, run `citygrid verify --restore-triggers`"
        case .restoreChangedHistory:
            "the history was changed outside citygrid: `citygrid verify` lists the rows; compare with a daily bulletin's "
                + "anchor (`citygrid verify --anchor SEQ:HASH`) and restore the database from a backup made before the first finding"
        case .restoreOrUpgrade(let file):
            "a row holds a value this citygrid does not know (damage, a hand edit, or a newer citygrid): restore \(file) from "
                + "a backup, or upgrade citygrid if a newer one wrote it"
        case .eachFindingsStep:
            "run the command each finding ends with (docs/setup.md walks a new site from init to ready)"
        }
    }

    /// The daily bulletin's note under its chain head: how a kept copy checks the history later.
    static func keepAnchor(_ head: ChainLink) -> String {
        "Keep this line: `citygrid verify --anchor \(head.anchor)` checks that the history up to it is unchanged."
    }
}
