import Foundation
import Testing

/// The real binary in a real terminal (tmux), as an operator sees it.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct ConsoleEndToEndTests {

    static func consoleCommand(_ db: String, as login: String, extra: String = "") -> String {
        // After the console quits, show its exit code and the terminal modes, to prove they were restored.
        "env LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=\(CLI.now) HOME=/tmp \(CLI.binary.path) console --db \(db) --as \(login) --lang en \(extra); "
            + "echo EXITED $?; stty -a | tr -s ' ;' '\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; sleep 30"
    }

    @Test func theQueueHelpResizesAndQuitRestoreTheTerminal() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: Self.consoleCommand(db, as: "city-dispatcher-1"))
        let first = try tmux.waitFor("Queue: mine")
        #expect(first.contains("Grid map") && first.contains("city-dispatcher-1"))
        try tmux.send("?")
        try tmux.waitFor("Help")
        try tmux.send("Escape")
        try tmux.waitFor("no help overlay") { !$0.contains("Help ·") }
        try tmux.resize(width: 80, height: 24)
        try tmux.waitFor("80x24 layout") { $0.contains("Queue: mine") && $0.split(separator: "\n").count <= 24 }
        try tmux.resize(width: 30, height: 10)
        let small = try tmux.waitFor("30x10 layout") { screen in
            screen.split(separator: "\n").allSatisfy { $0.count <= 30 } && screen.contains("Qu")
        }
        #expect(!small.contains("Grid map"), "a small terminal shows one pane")
        try tmux.resize(width: 100, height: 30)
        try tmux.waitFor("Grid map")
        try tmux.send("q")
        let after = try tmux.waitFor("EXITED")
        #expect(after.contains("EXITED 0"))
        #expect(after.contains("icanon") && !after.contains("-icanon"), "canonical mode restored")
        #expect(after.contains("echo") && !after.contains("-echo"), "echo restored")
    }

    /// A hotline report an inspector of its cell has confirmed: ready for the shift lead to file. Its id.
    static func confirmedCase(_ db: String, description: String) throws -> Int {
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", "110101001001001",
                                "--source", "hotline", "--description", description, "--json"], db: db)
        let id = try #require(made.object["id"] as? Int)
        let area = try CLITests().patrolArea(of: "110101001001001", db: db)
        let inspector = try #require(try CLI.run(["operators", "--json", "--role", "inspector"], db: db).array
            .first { $0["patrol_area"] as? String == area }?["login"] as? String)
        #expect(try CLI.run(["case", "verify", String(id), "--as", "city-intake-1", "--to", inspector], db: db).status == 0)
        #expect(try CLI.run(["case", "confirm", String(id), "--as", inspector], db: db).status == 0)
        return id
    }

    @Test func aLeadFilesAndADispatcherDispatchesThroughForms() throws {
        let db = try CLI.demoCopy()
        let walker = try #require(try CLI.run(["operators", "--json", "--role", "inspector"], db: db).array.first {
            ($0["patrol_area"] as? String) != nil && ($0["login"] as? String)?.hasPrefix("110101") == true
        })
        _ = walker
        let id = try Self.confirmedCase(db, description: "e2e rubbish")

        let lead = try TmuxSession(command: Self.consoleCommand(db, as: "city-lead-1"))
        try lead.waitFor("Queue: mine")
        try lead.openCase(id)
        try lead.send("F")
        try lead.waitFor("file case \(id)")
        try lead.send("Enter")
        try lead.waitFor("file → filed")
        #expect(try CLI.run(["case", "show", String(id), "--json"], db: db).object["state"] as? String == "filed")
        try lead.send("q")
        try lead.waitFor("EXITED 0")

        let dispatcher = try TmuxSession(command: Self.consoleCommand(db, as: "city-dispatcher-1"))
        try dispatcher.waitFor("Queue: mine")
        try dispatcher.openCase(id)
        try dispatcher.send("D")
        let form = try dispatcher.waitFor("dispatch case \(id)")
        #expect(form.contains("SANIT"), "the category's department is offered")
        try dispatcher.send("Enter")
        try dispatcher.waitFor("dispatch → dispatched")
        let shown = try CLI.run(["case", "show", String(id), "--json"], db: db).object
        #expect(shown["state"] as? String == "dispatched" && shown["department"] as? String == "SANIT")
        let history = shown["history"] as? [[String: Any]] ?? []
        #expect(history.last?["actor"] as? String == "city-dispatcher-1")
        try dispatcher.send("q")
    }

    @Test func aCaseReportedFromOutsideArrivesWithoutAKeyPress() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: Self.consoleCommand(db, as: "city-intake-1"))
        try tmux.waitFor("Queue: mine")
        // Narrow the queue to a word only the coming report has, so it is on screen when it arrives.
        try tmux.send("/")
        try tmux.type("ZEBRA42")
        try tmux.send("Enter")
        try tmux.waitFor("nothing matches")
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0501", "--cell", "110101001001002",
                                "--source", "hotline", "--description", "ZEBRA42 vendor at the gate", "--json"], db: db)
        let id = try #require(made.object["id"] as? Int)
        let screen = try tmux.waitFor(String(id), seconds: 5)
        #expect(screen.contains("●"), "new arrivals are marked")
        try tmux.send("q")
    }

    @Test func aLeadMarksThreeOverdueTasksReassignsThemAndTheyLeaveTheBoard() throws {
        let db = try CLI.demoCopy()
        let cell = "110101001001001"
        let area = try CLITests().patrolArea(of: cell, db: db)
        let inspector = try #require(try CLI.run(["operators", "--json", "--role", "inspector"], db: db).array
            .first { $0["patrol_area"] as? String == area }?["login"] as? String)
        // A relief inspector joins the patrol area for this shift.
        #expect(try TmuxSession.spawn(["/usr/bin/sqlite3", db, """
            INSERT INTO operator(login, name, role, center_id, region_code, tier, patrol_area)
            SELECT 'relief-insp', '替班监督员', 'inspector', center_id, region_code, tier, patrol_area FROM operator WHERE login = '\(inspector)'
            """]) == 0)
        var ids: [Int] = []
        for i in 1...3 {
            let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", cell,
                                    "--source", "hotline", "--description", "LEADTEST \(i)", "--json"], db: db)
            let id = try #require(made.object["id"] as? Int)
            #expect(try CLI.run(["case", "verify", String(id), "--as", "city-intake-1", "--to", inspector], db: db).status == 0)
            ids.append(id)
        }
        // Two hours later the 30-minute verify tasks are long overdue.
        let later = "2026-11-25T12:30:00+08:00"
        let command = Self.consoleCommand(db, as: "city-lead-1").replacingOccurrences(of: "CITYGRID_NOW=\(CLI.now)", with: "CITYGRID_NOW=\(later)")
        let tmux = try TmuxSession(command: command, width: 120, height: 36)
        try tmux.waitFor("Queue: mine")
        try tmux.send("b")
        try tmux.waitFor("Overdue board")
        try tmux.send("/")
        try tmux.type("LEADTEST")
        try tmux.send("Enter")
        try tmux.waitFor("three on the board") { screen in ids.allSatisfy { screen.contains(String($0)) } }
        try tmux.send("g")
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.send("Space")
        try tmux.waitFor("3 marked")
        try tmux.send("R")
        try tmux.waitFor("bulk reassign: 3 cases")
        try tmux.type("relief")
        try tmux.send("Tab")
        try tmux.type("inspector off sick")
        try tmux.send("Enter")
        try tmux.waitFor("bulk reassign: 3 cases (u undoes)")
        try tmux.waitFor("the three off the board") { screen in ids.allSatisfy { !screen.contains(String($0)) } }
        for id in ids {
            let history = try CLI.run(["case", "show", String(id), "--json"], db: db, environment: ["CITYGRID_NOW": later]).object["history"] as? [[String: Any]] ?? []
            let last = try #require(history.last)
            #expect(last["action"] as? String == "reassign" && last["actor"] as? String == "city-lead-1")
            #expect((last["note"] as? String)?.hasPrefix("inspector off sick") == true && last["target"] as? String == "relief-insp", "\(last)")
        }
        try tmux.send("q")
    }

    @Test func aSupervisorChangesMeasureAndWindowAndDrillsIntoACell() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: Self.consoleCommand(db, as: "city-supervisor"), width: 120, height: 36)
        try tmux.waitFor("Queue: mine")
        try tmux.send("2")
        try tmux.waitFor(" Cell ")
        for _ in 0..<3 { try tmux.send("m") }
        try tmux.waitFor("cases filed")
        try tmux.send("w")
        try tmux.waitFor("30-day window") { $0.contains("2026-10-27 – 2026-11-25") }
        try tmux.send("*")
        // The title names the method and keeps the window's dates, shortened to fit 120 columns.
        try tmux.waitFor("Gi* · cases filed · 30 days 10-27–11-25")
        try tmux.send("*")
        for _ in 0..<8 { try tmux.send("+") }
        let screen = try tmux.waitFor("a cell under the cursor") { $0.range(of: #"cell \d{15}"#, options: .regularExpression) != nil }
        let cell = try #require(screen.range(of: #"cell \d{15}"#, options: .regularExpression).map { String(screen[$0].dropFirst(5)) })
        // Something to find there: a report arrives in that cell from outside.
        let made = try CLI.run(["report", "--as", "city-intake-1", "--kind", "event", "--category", "0102", "--cell", cell,
                                "--source", "hotline", "--description", "drill target", "--json"], db: db)
        let id = try #require(made.object["id"] as? Int)
        try tmux.waitFor("the new case counted") { $0.contains("open") && !$0.contains("open 0 ·") }
        try tmux.send("Enter")
        let filtered = try tmux.waitFor("[filtered: area")
        #expect(filtered.contains(String(id)), "the queue shows the cell's cases")
        #expect(filtered.contains(cell), "the case pane shows a case in that cell")
        try tmux.send("q")
    }

    @Test func aRequestPostedOverOpen311ArrivesInARunningConsole() throws {
        let db = try CLI.demoCopy()
        let key = try #require(try CLI.run(["apikey", "add", "--name", "e2e app", "--json"], db: db).object["key"] as? String)
        let cell = try #require(try CLI.run(["regions", "--level", "cell", "--parent", "110101001001", "--json"], db: db).array.first?["code"] as? String)
        _ = cell
        // The service and the console run side by side, each in its own private tmux server.
        let port = Int.random(in: 20_000...40_000)
        let server = try TmuxSession(command: "env CITYGRID_NOW=\(CLI.now) HOME=/tmp \(CLI.binary.path) serve --db \(db) --port \(port); sleep 30")
        let console = try TmuxSession(command: Self.consoleCommand(db, as: "city-intake-1"))
        try console.waitFor("Queue: mine")
        try console.send("/")
        try console.type("OPEN311E2E")
        try console.send("Enter")
        try console.waitFor("nothing matches")
        // A point inside Dongcheng, near the first cell of the first community.
        let point = try #require(try TmuxSession.spawnOutput(["/usr/bin/sqlite3", db, "SELECT lat || ',' || lon FROM region WHERE code = '\(cell)'"]))
        let parts = point.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",")
        var answer = ""
        let deadline = Date().addingTimeInterval(15)
        repeat {
            Thread.sleep(forTimeInterval: 0.3)
            _ = try TmuxSession.spawn(["/usr/bin/curl", "-s", "-X", "POST", "http://127.0.0.1:\(port)/requests.json",
                                        "--data-urlencode", "api_key=\(key)", "--data-urlencode", "service_code=event-0102",
                                        "--data-urlencode", "lat=\(parts[0])", "--data-urlencode", "long=\(parts[1])",
                                        "--data-urlencode", "description=OPEN311E2E rubbish by the gate",
                                        "--data-urlencode", "media_url=https://img.example.org/e2e.jpg"], output: &answer)
        } while !answer.contains("service_request_id") && Date() < deadline
        let id = try #require(answer.range(of: #""service_request_id"\s*:\s*"?(\d+)"#, options: .regularExpression).map { range in
            String(answer[range].filter(\.isNumber))
        }, "the service answered: \(answer)")
        let screen = try console.waitFor(id, seconds: 5)
        #expect(screen.contains("●"), "a new arrival")
        let shown = try CLI.run(["case", "show", id, "--json"], db: db).object
        #expect(shown["source"] as? String == "web" && shown["state"] as? String == "reported")
        #expect((shown["open311"] as? [String: Any])?["media_url"] as? String == "https://img.example.org/e2e.jpg")
        let text = try CLI.run(["case", "show", id], db: db).stdout
        #expect(text.contains("open311   address -, picture https://img.example.org/e2e.jpg"), "\(text)")
        try console.send("q")
        _ = server
    }
}


/// Issue 16: in `demo`, Ctrl-C quits like `q` (it was silently ignored), and the terminal is restored.
@Suite(.serialized, .enabled(if: TmuxSession.available, "needs tmux"))
struct DemoCtrlCTests {
    @Test func ctrlCQuitsTheDemo() throws {
        let db = try CLI.demoCopy()
        let tmux = try TmuxSession(command: "env LANG=C.UTF-8 TERM=tmux-256color CITYGRID_NOW=\(CLI.now) HOME=/tmp \(CLI.binary.path) demo --db \(db) --no-simulator --lang en; "
            + "echo EXITED $?; stty -a | tr -s ' ;' '\\n' | grep -x -e icanon -e -icanon | tr '\\n' ' '; sleep 30")
        try tmux.waitFor("Queue: mine")
        try tmux.send("C-c")
        let after = try tmux.waitFor("EXITED")
        #expect(after.contains("EXITED 0"))
        #expect(after.contains("icanon") && !after.contains("-icanon"), "canonical mode restored")
    }
}
