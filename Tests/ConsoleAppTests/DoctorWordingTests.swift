import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// The CLI words Workflow's typed doctor findings, fixes and refusals exactly as it printed them when Workflow held the
/// text (docs/setup.md, scripts and the CLI tests read these lines).
@Suite struct DoctorWordingTests {
    @Test func everySetupStepIsTheCommandItWas() {
        let lines: [(SetupStep, String)] = [
            (.createSite, "citygrid init"),
            (.importGrid, "citygrid import grid FILE"),
            (.assignCells(["110101001001001", "110101001001002"], area: "PA-A"),
             "citygrid patrol-area assign PA-A --cells 110101001001001,110101001001002"),
            (.addPatrolArea(community: "110101001001", thenAssign: ["110101001001001"]),
             "citygrid patrol-area add --id AREA --community 110101001001 --name NAME, then citygrid patrol-area assign AREA --cells 110101001001001"),
            (.addOperator(role: .inspector, center: "CITY-M", patrolArea: "PA-B"),
             "citygrid operator add --login LOGIN --name NAME --role inspector --center CITY-M --patrol-area PA-B"),
            (.addOperator(role: .dispatcher, center: "110102-C"), "citygrid operator add --login LOGIN --name NAME --role dispatcher --center 110102-C"),
            (.addCenter(.monitoring, tier: .district, district: "110105"), "citygrid center add --kind monitoring --tier district --district 110105"),
            (.addCenter(.command, tier: .city, district: nil), "citygrid center add --kind command --tier city"),
            (.serveDepartment("WATER", district: "110101"), "citygrid department serve WATER --district 110101 --unit NAME"),
            (.serveEveryDepartment(district: "110101"),
             "citygrid department serve --all-departments --district 110101 (or department serve CODE --district 110101 --unit NAME for each)"),
            (.importCalendar, "citygrid calendar import FILE (the year's date,kind lines)"),
        ]
        for (step, line) in lines { #expect(CLIWording.command(step) == line) }
        #expect(CLIWording.text(DoctorFinding("the grid has no cells", fix: .importGrid)) == "the grid has no cells; run: citygrid import grid FILE")
        #expect(CLIWording.text(DoctorFinding("SQLite: row 3 missing")) == "SQLite: row 3 missing")
    }

    @Test func everyChecksFixIsTheLineItWas() {
        #expect(CLIWording.text(DoctorCheck.Fix.restoreFromBackup(file: "c.db"))
                == "the file is damaged: restore c.db from a backup (`sqlite3 c.db .recover` may save what it can)")
        #expect(CLIWording.text(DoctorCheck.Fix.migrate) == "open the database with this citygrid as a user who can write it (it migrates on open)")
        #expect(CLIWording.text(DoctorCheck.Fix.restoreHistoryGuards)
                == "check the history with `citygrid verify`; once it verifies, run `citygrid verify --restore-triggers`")
        #expect(CLIWording.text(DoctorCheck.Fix.restoreChangedHistory)
                == "the history was changed outside citygrid: `citygrid verify` lists the rows; compare with a daily bulletin's anchor "
                + "(`citygrid verify --anchor SEQ:HASH`) and restore the database from a backup made before the first finding")
        #expect(CLIWording.text(DoctorCheck.Fix.restoreOrUpgrade(file: "c.db"))
                == "a row holds a value this citygrid does not know (damage, a hand edit, or a newer citygrid): restore c.db from a backup, "
                + "or upgrade citygrid if a newer one wrote it")
        #expect(CLIWording.text(DoctorCheck.Fix.eachFindingsStep)
                == "run the command each finding ends with (docs/setup.md walks a new site from init to ready)")
    }

    @Test func theRefusalsThatNameFlagsAreTheLinesTheyWere() {
        #expect(CLIWording.describe(.refusal(.actorNotNamed)) == "invalid input: this is an open (demo) site: name the operator acting with --as LOGIN")
        #expect(CLIWording.describe(.refusal(.batchedImportMustSkipBad)) == "invalid input: a batched import commits as it goes, so a bad record "
                + "cannot undo the batches before it: pass --skip-bad with --batch (refused records go to --rejects)")
        #expect(CLIWording.describe(.refusal(.targetExists(path: "c.db"))) == "invalid input: c.db already exists; pass --force to replace it")
        let guards = WorkflowError.refusal(.historyGuardsBroken(guards: ["trigger a is missing", "index b is missing"]))
        #expect(CLIWording.describe(guards) == "database: writes are refused: the history's guards are not as citygrid made them "
                + "(trigger a is missing; index b is missing), so the history may have been changed outside citygrid. Check it with "
                + "`citygrid verify`; once it verifies, `citygrid verify --restore-triggers` restores the guards")
        #expect(guards.exitCode == 6 && WorkflowError.refusal(.actorNotNamed).exitCode == 2)
    }

    @Test func theConsoleWordsTheseRefusalsWithoutFlags() {
        for refusal in [Refusal.actorNotNamed, .batchedImportMustSkipBad, .targetExists(path: "c.db"), .historyGuardsBroken(guards: ["trigger a is missing"])] {
            for lang in [Language.zh, .en] {
                let text = lang.refusal(refusal)
                #expect(!text.contains("--") && !text.isEmpty, "\(lang) \(refusal): \(text)")
            }
        }
    }

    @Test func theDailyBulletinsAnchorNoteIsTheLineItWas() {
        let head = ChainLink.start
        #expect(CLIWording.keepAnchor(head) == "Keep this line: `citygrid verify --anchor \(head.anchor)` checks that the history up to it is unchanged.")
    }
}
