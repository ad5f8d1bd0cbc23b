@testable import CityGridDemo
import Foundation
import Testing
@testable import ConsoleApp
@testable import Workflow

/// Issue 16: every message the console words from a typed value has Chinese and English text: the Chinese is not
/// empty, differs from the English and has Chinese characters; the English has none. Each walk is exhaustive by
/// construction: `index` is a switch without `default`, so a new case does not compile until it gets a sample here.
@Suite struct ConsoleMessageKeyTests {
    static func hasCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) || (0x3000...0x303F).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
    }

    static func check(_ zh: String, _ en: String, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!zh.isEmpty && zh != en && hasCJK(zh), "zh of \(key): \(zh)", sourceLocation: sourceLocation)
        #expect(!en.isEmpty && !hasCJK(en), "en of \(key): \(en)", sourceLocation: sourceLocation)
    }

    static func walk<T>(_ samples: [T], count: Int, index: (T) -> Int, word: (T, Language) -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Set(samples.map(index)) == Set(0..<count), "a sample of every case", sourceLocation: sourceLocation)
        for sample in samples { check(word(sample, .zh), word(sample, .en), "\(sample)", sourceLocation: sourceLocation) }
    }

    @Test func everyRefusal() {
        func index(_ r: Refusal) -> Int {
            switch r {
            case .missingTarget: 0
            case .targetNotACaseID: 1
            case .missingHours: 2
            case .hoursOutOfRange: 3
            case .missingNote: 4
            case .notEscalated: 5
            case .emptyPeriod: 6
            case .descriptionEmpty: 7
            case .descriptionTooLong: 8
            case .actorNotNamed: 9
            case .batchedImportMustSkipBad: 10
            case .targetExists: 11
            case .historyGuardsBroken: 12
            case .wrongRole: 13
            case .reassignRole: 14
            case .wrongState: 15
            case .notConfirmed: 16
            case .otherMonitoringCenter: 17
            case .taskNotAssigned: 18
            case .otherCommandCenter: 19
            case .otherDepartment: 20
            case .onlyDistrictEscalates: 21
            case .noCityCommand: 22
            case .noCommandTiers: 23
            case .onlyCitySendsDown: 24
            case .centerOfOtherDistrict: 25
            case .notInPatrolArea: 26
            case .noPendingRequest: 27
            case .pendingRequest: 28
            case .survivorNotOpen: 29
            case .caseChanged: 30
            case .cellOutsideRegion: 31
            case .reassignTargetForState: 32
            case .satisfactionMissing: 33
            case .satisfactionNotReached: 34
            case .bulkAlreadyUndone: 35
            case .bulkNotUndoable: 36
            case .nothingToUnmerge: 37
            case .unmergeAfterFiling: 38
            case .siteCenterStage: 39
            case .lineNotForSource: 40
            case .unknownLine: 41
            case .alreadyPriority: 42
            case .notPriority: 43
            case .unitOutsideCell: 44
            case .regionNotHandlingUnit: 45
            case .censusManagerRole: 46
            case .censusClosed: 47
            case .censusRecorderRole: 48
            case .noSurveyTask: 49
            case .censusRecord: 50
            }
        }
        let day = LocalDate(year: 2026, month: 11, day: 25)!
        var samples: [Refusal] = [
            .targetNotACaseID(.merge, given: "abc"), .notEscalated(caseID: 12, districtCenter: "110101-C"),
            .emptyPeriod(from: day, to: day), .descriptionEmpty, .descriptionTooLong(bytes: 9000, limit: 4000), .actorNotNamed,
            .batchedImportMustSkipBad, .targetExists(path: "/x/site.db"), .historyGuardsBroken(guards: ["history_no_update missing"]),
            .missingNote(verb: "unmerge", meaning: .reason),
            .wrongRole(verb: "unmerge", roles: [.intake], login: "city-lead-1", role: .shiftLead),
            .reassignRole(caseID: 3, inspectorTask: true, checking: true, login: "city-dispatcher-1", role: .dispatcher),
            .reassignRole(caseID: 3, inspectorTask: true, checking: false, login: "city-dispatcher-1", role: .dispatcher),
            .reassignRole(caseID: 3, inspectorTask: false, checking: false, login: "city-lead-1", role: .shiftLead),
            .otherMonitoringCenter(caseID: 4, center: "110101-M", login: "city-intake-1", actorCenter: nil),
            .otherMonitoringCenter(caseID: 4, center: "110101-M", login: "city-intake-1", actorCenter: "city-M"),
            .taskNotAssigned(caseID: 5, checking: true, login: "insp-a"), .taskNotAssigned(caseID: 5, checking: false, login: "insp-a"),
            .otherCommandCenter(caseID: 6, center: nil, login: "d-1", actorCenter: "city-C"),
            .otherCommandCenter(caseID: 6, center: "110101-C", login: "d-1", actorCenter: nil),
            .otherDepartment(caseID: 7, department: nil, login: "sanit-1", actorDepartment: "SANIT"),
            .otherDepartment(caseID: 7, department: "GREEN", login: "sanit-1", actorDepartment: nil),
            .onlyDistrictEscalates(caseID: 8, holder: nil), .onlyDistrictEscalates(caseID: 8, holder: "city-C"),
            .centerOfOtherDistrict(center: "110102-C", serves: "110102", caseID: 9, district: "110101"),
            .notInPatrolArea(login: "insp-b", cell: "110101001001001", patrolArea: nil),
            .notInPatrolArea(login: "insp-b", cell: "110101001001001", patrolArea: "PA-A"),
            .survivorNotOpen(caseID: 10, state: .closed),
            .siteCenterStage(action: .file, caseID: 16, kind: .command, center: "CITY-C", login: "city-lead-1", actorCenter: "CITY-M"),
            .siteCenterStage(action: .close, caseID: 16, kind: .monitoring, center: "CITY-M", login: "city-command-lead-1", actorCenter: "CITY-C"),
            .siteCenterStage(action: .close, caseID: 16, kind: .command, center: nil, login: "city-lead-1", actorCenter: nil),
            .caseChanged(caseID: 16, state: .dispatched),
            .cellOutsideRegion(cell: "110102001001001", district: "110102", login: "110101-intake-1", region: "110101"),
            .satisfactionMissing, .satisfactionNotReached,
            .bulkAlreadyUndone(login: "lead-1", batchID: 3, action: .urge, undoneAt: Date(timeIntervalSince1970: 1_790_000_000)),
            .nothingToUnmerge(caseID: 18, state: .filed), .unmergeAfterFiling(caseID: 19, state: .dispatched),
            .unknownLine("12345", known: ["12319", "96150"]), .alreadyPriority(caseID: 18), .notPriority(caseID: 18),
            .unitOutsideCell(caseID: 18, unit: "110101001002", level: .community, cell: "110101001001001"),
            .unitOutsideCell(caseID: 18, unit: "110101002", level: .street, cell: "110101001001001"),
            .regionNotHandlingUnit(region: "110101001001", level: .community), .regionNotHandlingUnit(region: "110101001", level: .street),
            .censusManagerRole(verb: "start", login: "d-1", role: .dispatcher), .censusManagerRole(verb: "close", login: "d-1", role: .dispatcher),
            .censusClosed(censusID: 2), .censusRecorderRole(login: "city-lead-1", role: .shiftLead),
            .noSurveyTask(censusID: 2, login: "insp-a", patrolArea: nil), .noSurveyTask(censusID: 2, login: "insp-a", patrolArea: "PA-1"),
        ]
        for action in [CaseAction.urge, .escalate, .approve, .returnToDistrict] { samples.append(.bulkNotUndoable(batchID: 4, action: action)) }
        for problem: Refusal.CensusRecordProblem in [.removedIsRetire, .confirmationChanges, .correctionChangesNothing, .retireTakesNoteOnly,
                                                     .addNeedsCell, .nameEmpty, .nameTooLong(bytes: 300)] + CensusRecordKind.allCases.map({ .needsComponent($0) }) {
            samples.append(.censusRecord(problem))
        }
        for target in Refusal.ReassignTarget.allCases { samples.append(.reassignTargetForState(caseID: 17, state: .filed, target: target)) }
        for model in ManagementModel.allCases { samples += [.noCityCommand(model), .noCommandTiers(model)] }
        for kind in RequestKind.allCases { samples.append(.pendingRequest(caseID: 11, kind: kind)) }
        for source in ReportSource.allCases {
            samples.append(.notConfirmed(caseID: 12, source: source))
            samples.append(.lineNotForSource(source))
        }
        for action in CaseAction.allCases {
            samples.append(.missingTarget(action))
            samples.append(.missingHours(action))
            if let hours = action.spec.hours { samples.append(.hoursOutOfRange(action, hours)) }
            samples.append(.missingNote(verb: action.rawValue, meaning: action.spec.note.meaning))
            samples.append(.missingNote(verb: action.rawValue, meaning: .instructions))
            samples.append(.wrongRole(verb: action.rawValue, roles: Array(action.roles), login: "city-lead-1", role: .shiftLead))
            samples.append(.onlyCitySendsDown(action, caseID: 13, holder: "110101-C"))
            samples.append(.noPendingRequest(caseID: 14, action: action))
            for state in CaseState.allCases { samples.append(.wrongState(caseID: 15, state: state, action: action)) }
        }
        Self.walk(samples, count: 51, index: index) { r, lang in lang.refusal(r) }
        // As a whole error, and as the reason after an action's name.
        Self.walk(samples, count: 51, index: index) { r, lang in lang.describe(WorkflowError.refusal(r)) }
        Self.walk(samples, count: 51, index: index) { r, lang in lang.reason(WorkflowError.refusal(r)) }
        Self.walk(samples, count: 51, index: index) { r, lang in lang.describe(BulkRefusal(caseID: 7, error: .refusal(r))) }
    }

    /// The preconditions of an action, worded by the console, keep the CLI's text and exit code: the English is Workflow's.
    @Test func preconditionRefusalsKeepTheCLIText() {
        let wrongRole = WorkflowError.refusal(.wrongRole(verb: "dispatch", roles: [.dispatcher], login: "city-lead-1", role: .shiftLead))
        #expect(CLIWording.describe(wrongRole) == "refused: dispatch is for the dispatcher role; city-lead-1 is shift-lead" && wrongRole.exitCode == 3)
        let wrongState = WorkflowError.refusal(.wrongState(caseID: 5, state: .reported, action: .close))
        #expect(CLIWording.describe(wrongState) == "refused: case 5 is reported; close needs checked" && wrongState.exitCode == 4)
        let pending = WorkflowError.refusal(.pendingRequest(caseID: 6, kind: .extension))
        #expect(CLIWording.describe(pending) == "refused: case 6 has a pending extension request; the dispatcher must approve or refuse it first"
            && pending.exitCode == 4)
        let holder = WorkflowError.refusal(.otherDepartment(caseID: 7, department: "GREEN", login: "sanit-1", actorDepartment: "SANIT"))
        #expect(CLIWording.describe(holder) == "refused: case 7 is with department GREEN; sanit-1 is in SANIT" && holder.exitCode == 3)
        #expect(Language.en.refusal(.wrongState(caseID: 5, state: .reported, action: .close)) == "case 5 is reported; close needs checked")
        #expect(Language.zh.refusal(.wrongState(caseID: 5, state: .reported, action: .close)) == "案件 5 状态为“已上报”，结案只适用于“已核查”的案件")
        // A stale screen: the CLI's words and exit code as before, the console's in Chinese.
        let stale = WorkflowError.refusal(.caseChanged(caseID: 8, state: .dispatched))
        #expect(CLIWording.describe(stale) == "refused: case 8 changed since you opened it (it is now dispatched); look again and retry" && stale.exitCode == 4)
        #expect(Language.zh.refusal(.caseChanged(caseID: 8, state: .dispatched)) == "案件 8 在你打开后已有变动（现为“已派遣”），请重新查看后再试")
        let outside = WorkflowError.refusal(.cellOutsideRegion(cell: "110102001001001", district: "110102", login: "a", region: "110101"))
        #expect(CLIWording.describe(outside) == "refused: cell 110102001001001 is in district 110102, outside a's region 110101" && outside.exitCode == 3)
    }

    /// A shift lead pressing dispatch in the Chinese console reads the refusal wholly in Chinese: no English word.
    @Test func aWrongRoleRefusalInChineseHasNoEnglishWord() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1", lang: .zh)
        _ = ConsoleUpdate.perform(.caseAction(.dispatch), &engine.state)
        let text = try #require(engine.state.status?.text)
        #expect(text.contains("派遣员") && text.contains("值班长"), "\(text)")
        #expect(text.range(of: "[A-Za-z]+", options: .regularExpression) == nil, "\(text)")
        let en = try ConsoleFixture.engine(as: "city-lead-1", lang: .en)
        _ = ConsoleUpdate.perform(.caseAction(.dispatch), &en.state)
        #expect(en.state.status?.text == "dispatch: dispatch is for the dispatcher role; city-lead-1 is shift-lead")
    }

    /// Workflow's untyped errors and system errors: an operator's sentence, the raw detail in parentheses in Chinese.
    @Test func everyErrorKind() {
        func index(_ k: ErrorKind) -> Int {
            switch k {
            case .forbidden: 0
            case .wrongState: 1
            case .notFound: 2
            case .invalidInput: 3
            case .storage: 4
            case .system: 5
            }
        }
        Self.walk(ErrorKind.allCases, count: 6, index: index) { k, lang in lang.sentence(k) }
        let raw = "disk I/O error (SQLITE_IOERR)"
        let errors: [WorkflowError] = [.forbidden(raw), .wrongState(raw), .notFound(raw), .invalidInput(raw), .storage(raw)]
        for e in errors {
            let zh = Language.zh.describe(e), en = Language.en.describe(e)
            Self.check(zh, en, "\(e)")
            #expect(zh.hasSuffix("（\(raw)）") && en == e.description)
            #expect(Language.zh.reason(e).hasSuffix("（\(raw)）") && Language.zh.describe(BulkRefusal(caseID: 3, error: e)).hasPrefix("案件 3 被拒绝"))
        }
        struct Errno: Error, CustomStringConvertible { var description: String { "Operation not permitted" } }
        #expect(Language.zh.describe(Errno() as any Error) == "出错了，未完成（Operation not permitted）")
        #expect(Language.en.describe(Errno() as any Error) == "Operation not permitted")
    }

    @Test func everyFileProblemAndReadOnlyReason() {
        func index(_ p: FileProblem) -> Int {
            switch p {
            case .removed: 0
            case .replaced: 1
            case .changed: 2
            case .damaged: 3
            }
        }
        let problems: [FileProblem] = [.removed("/x/city.db"), .replaced("/x/city.db"), .changed("/x/city.db"), .damaged("database disk image is malformed")]
        Self.walk(problems, count: 4, index: index) { p, lang in StoreNotice.banner(p, lang) }
        Self.walk(problems, count: 4, index: index) { p, lang in StoreNotice.refusal(p, lang) }
        #expect(StoreNotice.banner(.damaged("database disk image is malformed"), .zh).hasSuffix("（database disk image is malformed）"))
        func reasonIndex(_ r: ReadOnlyReason) -> Int {
            switch r {
            case .fileNotWritable: 0
            case .folderNotWritable: 1
            case .sideFileNotWritable: 2
            }
        }
        let reasons: [ReadOnlyReason] = [.fileNotWritable, .folderNotWritable(folder: "/x"), .sideFileNotWritable(file: "/x/city.db-wal", owner: "root")]
        Self.walk(reasons, count: 3, index: reasonIndex) { r, lang in StoreNotice.readOnlyRefusal(r, lang) }
        Self.check(StoreNotice.readOnlyTag(.zh), StoreNotice.readOnlyTag(.en), "read-only tag")
        Self.check(StoreNotice.stoppedTag(.zh), StoreNotice.stoppedTag(.en), "stopped tag")
    }

    @Test func everySimulatorNote() {
        func index(_ n: SimulatorNote) -> Int {
            switch n {
            case .event(let e):
                switch e.change {
                case .reported: 0
                case .advanced: 1
                }
            case .autoEscalated: 2
            case .unavailable: 3
            }
        }
        let category = CategoryKey(kind: .event, code: "0102")
        let notes: [SimulatorNote] = [
            .event(SimulatorEvent(caseID: 5, change: .reported(source: .hotline, category: category, cell: "110101001001001"), actor: nil,
                                  summary: "#5 new: 暴露垃圾 (hotline, 110101001001001)")),
            .event(SimulatorEvent(caseID: 6, change: .advanced(action: .urge, from: .dispatched, to: .dispatched), actor: "city-lead-1", summary: "")),
            .event(SimulatorEvent(caseID: 7, change: .advanced(action: .dispatch, from: .filed, to: .dispatched), actor: "city-dispatcher-2", summary: "")),
            .autoEscalated(3), .unavailable,
        ]
        Self.walk(notes, count: 4, index: index) { n, lang in lang.note(n) }
        for source in ReportSource.allCases { Self.check(Language.zh.source(source), Language.en.source(source), source.rawValue) }
    }

    /// Every state, action and role name the console uses has Chinese.
    @Test func everyStateActionAndRole() {
        for state in CaseState.allCases { Self.check(Language.zh.state(state.rawValue), Language.en.state(state.rawValue), state.rawValue) }
        for action in CaseAction.allCases { Self.check(Language.zh.action(action.rawValue), Language.en.action(action.rawValue), action.rawValue) }
        for kind in RequestKind.allCases.map(\.rawValue) { Self.check(Language.zh.action("request-" + kind), Language.en.action("request-" + kind), kind) }
        for role in Role.allCases { Self.check(Language.zh.role(role.rawValue), Language.en.role(role.rawValue), role.rawValue) }
    }

    @Test func theAtRiskReason() {
        let estimate = RiskEstimate(department: "SANIT", category: CategoryKey(kind: .event, code: "0102"), windowDays: 28, sampleSize: 30,
                                    medianMinutes: 300, conditionalSampleSize: 12, expectedMinutes: 390, elapsedMinutes: 200,
                                    budgetMinutes: 360, remainingMinutes: 160, calendarTime: false, atRisk: true)
        Self.check(Language.zh.risk(estimate), Language.en.risk(estimate), "risk")
        #expect(Language.en.risk(estimate) == estimate.reason, "English as the CLI says it")
        #expect(Language.zh.risk(estimate) == "SANIT 处理类别 0102 通常需要 6.5 小时；剩余 2.7 小时")
    }

    /// The handover in Chinese has no English words of its own (logins and codes aside).
    @Test func theHandoverFollowsTheLanguage() throws {
        let engine = try ConsoleFixture.engine(as: "city-lead-1", lang: .zh)
        engine.execute(.handover)
        guard case .document(let title, let lines, _) = engine.state.overlay else { Issue.record("no handover"); return }
        #expect(Self.hasCJK(title))
        for line in lines.prefix(4) { #expect(Self.hasCJK(line) && !line.contains("open ") && !line.contains("since"), "\(line)") }
        let en = try ConsoleFixture.engine(as: "city-lead-1", lang: .en)
        en.execute(.handover)
        guard case .document(_, let enLines, _) = en.state.overlay else { Issue.record("no handover"); return }
        #expect(enLines.allSatisfy { !Self.hasCJK($0) || $0.contains("“") || $0.contains(":") })
    }

    /// Every text the console words inline, `t("中文", "English")` in its sources (status messages, titles, hints,
    /// questions): the Chinese has Chinese, the English has none, and they differ. Interpolations count as neither.
    @Test func everyInlineTextHasBothLanguages() throws {
        let console = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/ConsoleApp/Console")
        let walker = try #require(FileManager.default.enumerator(at: console, includingPropertiesForKeys: nil))
        var pairs = 0
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            // A text of interpolations only (`"\(from) → \(to)"`) is worded by what it interpolates.
            for (zh, en) in InlineTexts.pairs(in: text) where zh.contains(where: \.isLetter) || en.contains(where: \.isLetter) {
                pairs += 1
                Self.check(zh, en, "\(url.lastPathComponent): \(en)")
            }
        }
        #expect(pairs > 250, "found \(pairs) texts")
    }

    /// The help's `:` command table: every description in both languages.
    /// The census form's findings and the patrol board's words for them.
    @Test func everyCategoryKind() {
        for kind in CategoryKind.allCases { Self.check(Language.zh.kind(kind), Language.en.kind(kind), kind.rawValue) }
    }

    @Test func everyCensusFinding() {
        for kind in CensusRecordKind.allCases {
            Self.check(PatrolBoardView.kindName(kind, .zh), PatrolBoardView.kindName(kind, .en), kind.rawValue)
        }
    }

    @Test func everyCommandDescription() {
        for command in ConsoleCommandParser.commandHelp { Self.check(command.zh, command.en, command.usage) }
    }
}


/// The `t("…", "…")` calls of a Swift source with two literal arguments, their interpolations blanked: a small
/// scanner (escapes, interpolations with strings inside them), enough for the console's own sources.
enum InlineTexts {
    static func pairs(in source: String) -> [(String, String)] {
        let s = Array(source)
        var out: [(String, String)] = []
        var i = 0
        while i + 2 < s.count {
            defer { i += 1 }
            guard s[i] == "t", s[i + 1] == "(", i == 0 || !(s[i - 1].isLetter || s[i - 1].isNumber || s[i - 1] == "_") else { continue }
            var k = skipBlanks(s, i + 2)
            guard let (zh, afterZh) = literal(s, k) else { continue }
            k = skipBlanks(s, afterZh)
            guard k < s.count, s[k] == "," else { continue }
            k = skipBlanks(s, k + 1)
            guard let (en, afterEn) = literal(s, k) else { continue }
            k = skipBlanks(s, afterEn)
            guard k < s.count, s[k] == ")" else { continue }
            out.append((zh, en))
        }
        return out
    }

    static func skipBlanks(_ s: [Character], _ start: Int) -> Int {
        var k = start
        while k < s.count, s[k].isWhitespace { k += 1 }
        return k
    }

    /// A one-line string literal at `start`: its text (each interpolation as a blank) and the index after it.
    static func literal(_ s: [Character], _ start: Int) -> (String, Int)? {
        guard start < s.count, s[start] == "\"" else { return nil }
        var text = ""
        var k = start + 1
        while k < s.count {
            let c = s[k]
            if c == "\n" { return nil }
            if c == "\"" { return (text, k + 1) }
            if c == "\\", k + 1 < s.count {
                if s[k + 1] == "(" {
                    // An interpolation: to its closing parenthesis, over any strings inside it.
                    var depth = 1
                    k += 2
                    while k < s.count, depth > 0 {
                        if s[k] == "\"" {
                            guard let (_, after) = literal(s, k) else { return nil }
                            k = after
                            continue
                        }
                        if s[k] == "(" { depth += 1 }
                        if s[k] == ")" { depth -= 1 }
                        k += 1
                    }
                    text += " "
                    continue
                }
                text.append(s[k + 1])
                k += 2
                continue
            }
            text.append(c)
            k += 1
        }
        return nil
    }
}
