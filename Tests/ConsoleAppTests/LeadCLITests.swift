import Foundation
import Testing

/// The shift leads' commands: overdue board, bulk actions with all-or-none and undo, inbox, escalation,
/// reassign and return-to-district, handover. Run against a copy of the small demo city at 10:30.
@Suite struct LeadCLITests {
    let dispatcher = "110101-dispatcher-1"

    func board(_ db: String, as actor: String) throws -> [String: Any] {
        let result = try CLI.run(["overdue", "--as", actor, "--json"], db: db)
        #expect(result.status == 0, "\(result.stderr)")
        return result.object
    }

    func history(_ db: String, _ id: Int) throws -> [[String: Any]] {
        try CLI.run(["case", "show", String(id), "--json"], db: db).object["history"] as? [[String: Any]] ?? []
    }

    @Test func overdueBoardIsRankedByBudgetRatioWithEveryField() throws {
        let db = try CLI.demoCopy()
        let object = try board(db, as: "city-lead-1")
        for key in ["as", "at", "count", "red", "yellow", "cases", "by_stage", "by_department", "at_risk"] { #expect(object.keys.contains(key), "\(key)") }
        let cases = object["cases"] as? [[String: Any]] ?? []
        #expect(!cases.isEmpty && cases.count == object["count"] as? Int)
        for key in ["id", "state", "category", "district", "department", "responsible", "responsible_kind", "due_state", "deadline",
                    "budget_minutes", "elapsed_minutes", "remaining_minutes", "overdue_minutes", "ratio", "time_kind", "pending",
                    "at_risk", "risk"] {
            #expect(cases[0].keys.contains(key), "board entry lacks \(key)")
        }
        let ratios = cases.compactMap { $0["ratio"] as? Double }
        #expect(ratios == ratios.sorted(by: >), "worst ratio first")
        #expect(cases.allSatisfy { ["red", "yellow"].contains($0["due_state"] as? String ?? "") })
        let stages = object["by_stage"] as? [[String: Any]] ?? []
        #expect(stages.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == cases.count)
        for risky in object["at_risk"] as? [[String: Any]] ?? [] {
            let risk = risky["risk"] as? [String: Any] ?? [:]
            for key in ["sample_size", "median_minutes", "window_days", "expected_minutes", "reason"] { #expect(risk.keys.contains(key), "risk lacks \(key)") }
            #expect((risk["reason"] as? String)?.contains("usually needs") == true)
        }
        #expect(try CLI.run(["overdue", "--as", "nobody"], db: db).status == 5)
        let text = try CLI.run(["overdue", "--as", "city-lead-1"], db: db)
        #expect(text.status == 0 && text.stdout.contains("by stage:"))
    }

    /// Dispatched, overdue cases of district 110101 without a pending request, and a department none of them is with.
    func overdueDispatched(_ db: String) throws -> (ids: [Int], target: String) {
        let cases = (try board(db, as: dispatcher)["cases"] as? [[String: Any]] ?? [])
            .filter { $0["state"] as? String == "dispatched" && $0["due_state"] as? String == "red" && $0["pending"] is NSNull }
        let departments = Set(cases.compactMap { $0["department"] as? String })
        let target = try #require(["GREEN", "WATER", "GAS", "HEAT"].first { !departments.contains($0) })
        return (cases.compactMap { $0["id"] as? Int }, target)
    }

    @Test func bulkReassignIsAllOrNoneNamesTheRefusingCaseAndUndoRestores() throws {
        let db = try CLI.demoCopy()
        let (overdue, target) = try overdueDispatched(db)
        try #require(overdue.count >= 3, "the demo city has overdue dispatched cases")
        let three = Array(overdue.prefix(3))
        let closed = try #require(try CLI.run(["cases", "--state", "closed", "--region", "110101", "--limit", "1", "--json"], db: db).array.first?["id"] as? Int)
        let before = try three.map { try CLI.run(["case", "show", String($0), "--json"], db: db).stdout }
        let refused = try CLI.run(["bulk", "reassign", "--as", dispatcher, "--ids", (three + [closed]).map(String.init).joined(separator: ","),
                                   "--to", target, "--note", "rebalance", "--json"], db: db)
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("case \(closed) refused, nothing was written") && refused.stderr.split(separator: "\n").count == 1)
        #expect(refused.object["refused_case"] as? Int == closed && refused.object["done"] as? Bool == false)
        #expect(try three.map { try CLI.run(["case", "show", String($0), "--json"], db: db).stdout } == before, "nothing was written")
        #expect(try CLI.run(["bulk", "reassign", "--as", dispatcher, "--ids", three.map(String.init).joined(separator: ","), "--to", target], db: db).status == 2,
                "reassign needs a reason")

        let done = try CLI.run(["bulk", "reassign", "--as", dispatcher, "--ids", three.map(String.init).joined(separator: ","),
                                "--to", target, "--note", "rebalance", "--json"], db: db)
        #expect(done.status == 0, "\(done.stderr)")
        for key in ["batch", "action", "done", "undo", "undoable", "count", "cases", "refused_case", "reason", "exit_code"] { #expect(done.object.keys.contains(key), "\(key)") }
        #expect(done.object["count"] as? Int == 3 && done.object["undoable"] as? Bool == true)
        #expect((done.object["cases"] as? [[String: Any]] ?? []).allSatisfy { $0["department"] as? String == target })
        let after = Set((try board(db, as: dispatcher)["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int })
        #expect(after.isDisjoint(with: three), "reassigned cases leave the board")
        let row = try #require(try history(db, three[0]).last)
        #expect(row["action"] as? String == "reassign" && row["actor"] as? String == dispatcher && row["target"] as? String == target)
        #expect((row["note"] as? String)?.hasPrefix("rebalance (bulk #") == true)

        let undone = try CLI.run(["bulk", "undo", "--as", dispatcher, "--json"], db: db)
        #expect(undone.status == 0 && undone.object["undo"] as? Bool == true && undone.object["count"] as? Int == 3, "\(undone.stderr)")
        let back = Set((try board(db, as: dispatcher)["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int })
        #expect(back.isSuperset(of: three), "undo puts them back with their old clocks")
        let undoRow = try #require(try history(db, three[0]).last)
        #expect(undoRow["action"] as? String == "reassign" && (undoRow["note"] as? String)?.contains("undo of bulk") == true)
        let again = try CLI.run(["bulk", "undo", "--as", dispatcher], db: db)
        #expect(again.status == 4 && again.stderr.contains("already undone"))
    }

    @Test func bulkUrgeByFilterAndUsageErrors() throws {
        let db = try CLI.demoCopy()
        let urged = try CLI.run(["bulk", "urge", "--as", "city-lead-1", "--filter", "overdue", "--note", "move", "--json"], db: db)
        #expect(urged.status == 0, "\(urged.stderr)")
        let cases = urged.object["cases"] as? [[String: Any]] ?? []
        #expect(!cases.isEmpty && cases.allSatisfy { ($0["urge_count"] as? Int ?? 0) >= 1 })
        let id = try #require(cases.first?["id"] as? Int)
        #expect(try history(db, id).last?["action"] as? String == "urge")
        #expect(try CLI.run(["bulk", "undo", "--as", "city-lead-1"], db: db).status == 0)
        #expect(try history(db, id).last?["action"] as? String == "unurge")
        #expect(try CLI.run(["bulk", "urge", "--as", "city-lead-1"], db: db).status == 64, "needs --ids or --filter")
        #expect(try CLI.run(["bulk", "merge", "--as", "city-lead-1", "--ids", "1"], db: db).status == 64)
        #expect(try CLI.run(["bulk", "teleport", "--as", "city-lead-1", "--ids", "1"], db: db).status == 64)
        #expect(try CLI.run(["bulk", "urge", "--as", "city-lead-1", "--filter", "colour=red"], db: db).status == 2)
        #expect(try CLI.run(["bulk", "urge", "--as", "city-lead-1", "--filter", "region=110101999"], db: db).status == 5)
        let nothing = try CLI.run(["bulk", "undo", "--as", "city-lead-2"], db: db)
        #expect(nothing.status == 5 && nothing.stderr.contains("no bulk action"))
    }

    @Test func inboxPreviewsTheDeadlineEffectOfAnExtension() throws {
        let db = try CLI.demoCopy()
        let dispatched = try CLI.run(["cases", "--state", "dispatched", "--region", "110101", "--json"], db: db).array
        let pick = try #require(dispatched.first { $0["pending"] is NSNull && $0["command_center"] as? String == "110101-C" && $0["due_state"] as? String != "red" })
        let id = try #require(pick["id"] as? Int), department = try #require(pick["department"] as? String)
        let handler = "\(department.lowercased())-110101"
        let asked = try CLI.run(["case", "request-extension", String(id), "--as", handler, "--hours", "2", "--note", "need a truck"], db: db)
        #expect(asked.status == 0, "\(asked.stderr)")
        let items = try CLI.run(["inbox", "--as", dispatcher, "--json"], db: db).array
        let item = try #require(items.first { $0["id"] as? Int == id })
        for key in ["id", "kind", "hours", "note", "requested_by", "requested_at", "deadline", "approved_state", "approved_deadline",
                    "deadline_change_minutes", "frozen_remaining_minutes", "can_decide", "refusal", "preview_error"] {
            #expect(item.keys.contains(key), "inbox item lacks \(key)")
        }
        #expect(item["kind"] as? String == "extension" && item["note"] as? String == "need a truck" && item["requested_by"] as? String == handler)
        #expect(item["can_decide"] as? Bool == true && (item["deadline_change_minutes"] as? Int ?? 0) >= 120)
        let lead = try CLI.run(["inbox", "--as", "city-lead-1", "--json"], db: db).array.first { $0["id"] as? Int == id }
        #expect(lead?["can_decide"] as? Bool == false && lead?["approved_deadline"] as? String == item["approved_deadline"] as? String)
        let approved = try CLI.run(["bulk", "approve", "--as", dispatcher, "--filter", "pending=extension", "--json"], db: db)
        #expect(approved.status == 0 && approved.object["undoable"] as? Bool == false, "\(approved.stderr)")
        #expect(try CLI.run(["case", "show", String(id), "--json"], db: db).object["deadline"] as? String == item["approved_deadline"] as? String)
        let undo = try CLI.run(["bulk", "undo", "--as", dispatcher], db: db)
        #expect(undo.status == 4 && undo.stderr.contains("cannot be undone"))
    }

    @Test func escalateOverdueSendsDistrictCasesToTheCityOnceAndTheCitySendsThemBack() throws {
        let db = try CLI.demoCopy()
        let first = try CLI.run(["escalate-overdue", "--json"], db: db)
        #expect(first.status == 0, "\(first.stderr)")
        for key in ["at", "model", "threshold", "count", "cases"] { #expect(first.object.keys.contains(key), "\(key)") }
        #expect(first.object["threshold"] as? Double == 1.5 && first.object["model"] as? String == "one-monitor-two-command")
        let escalated = first.object["cases"] as? [[String: Any]] ?? []
        #expect(escalated.allSatisfy { ($0["ratio"] as? Double ?? 0) >= 1.5 && $0["to_center"] as? String == "CITY-C" })
        let again = try CLI.run(["escalate-overdue", "--json"], db: db)
        #expect(again.object["count"] as? Int == 0, "idempotent")
        let id = try #require(escalated.first?["id"] as? Int, "the demo city has a case overdue past 1.5×")
        let shown = try CLI.run(["case", "show", String(id), "--json"], db: db).object
        #expect(shown["escalated"] as? Bool == true && shown["command_center"] as? String == "CITY-C")
        let row = try #require((shown["history"] as? [[String: Any]])?.last)
        #expect(row["action"] as? String == "escalate" && row["actor"] is NSNull && row["center"] as? String == "110101-C" && row["target"] as? String == "CITY-C")
        let handover = try CLI.run(["handover", "--as", "city-dispatcher-1", "--json"], db: db).object
        #expect((handover["escalations"] as? [[String: Any]] ?? []).contains { $0["case"] as? Int == id && $0["automatic"] as? Bool == true })
        let districtHandover = try CLI.run(["handover", "--as", dispatcher, "--json"], db: db).object
        #expect((districtHandover["escalated"] as? [[String: Any]] ?? []).contains { $0["id"] as? Int == id }, "the district sees it too")
        #expect(try CLI.run(["case", "return-to-district", String(id), "--as", "city-dispatcher-1"], db: db).status == 2, "instructions are required")
        #expect(try CLI.run(["case", "return-to-district", String(id), "--as", dispatcher, "--note", "x"], db: db).status == 3)
        let back = try CLI.run(["case", "return-to-district", String(id), "--as", "city-dispatcher-1", "--to", "110101-C", "--note", "use the night crew", "--json"], db: db)
        #expect(back.status == 0 && back.object["command_center"] as? String == "110101-C" && back.object["escalated"] as? Bool == false, "\(back.stderr)")
    }

    @Test func caseReassignChecksRoleReasonAndTarget() throws {
        let db = try CLI.demoCopy()
        let (overdue, target) = try overdueDispatched(db)
        let id = try #require(overdue.first)
        #expect(try CLI.run(["case", "reassign", String(id), "--as", dispatcher, "--to", target], db: db).status == 2)
        #expect(try CLI.run(["case", "reassign", String(id), "--as", "city-lead-1", "--to", target, "--note", "x"], db: db).status == 3)
        #expect(try CLI.run(["case", "reassign", String(id), "--as", dispatcher, "--to", "NOWHERE", "--note", "x"], db: db).status == 5)
        let moved = try CLI.run(["case", "reassign", String(id), "--as", dispatcher, "--to", target, "--note", "wrong department", "--json"], db: db)
        #expect(moved.status == 0 && moved.object["department"] as? String == target, "\(moved.stderr)")
        let workload = try CLI.run(["workload", "--as", dispatcher, "--case", String(id), "--json"], db: db).object
        for key in ["as", "case", "inspectors", "departments", "centers"] { #expect(workload.keys.contains(key), "\(key)") }
        #expect(((workload["departments"] as? [[String: Any]]) ?? []).contains { $0["key"] as? String == target && ($0["open"] as? Int ?? 0) >= 1 })
    }

    @Test func handoverListsWhatTheNextShiftInherits() throws {
        let db = try CLI.demoCopy()
        let json = try CLI.run(["handover", "--as", "city-lead-1", "--json"], db: db)
        #expect(json.status == 0, "\(json.stderr)")
        for key in ["as", "since", "at", "open", "due_soon", "open_by_stage", "overdue_count", "overdue", "pending_count", "pending",
                    "escalated", "escalations", "since_shift"] {
            #expect(json.object.keys.contains(key), "handover lacks \(key)")
        }
        #expect(json.object["since"] as? String == "2026-11-25T08:30:00+08:00", "the last shift start before 10:30")
        let stages = json.object["open_by_stage"] as? [String: Int] ?? [:]
        #expect(stages.keys.count == 9 && stages.values.reduce(0, +) == json.object["open"] as? Int)
        let counts = json.object["since_shift"] as? [String: Any] ?? [:]
        for key in ["reported", "filed", "dispatched", "handled", "closed", "cancelled", "escalated", "returned_to_district"] { #expect(counts[key] is Int, "\(key)") }
        let since = try CLI.run(["handover", "--as", "city-lead-1", "--since", "2026-11-25T10:00:00+08:00", "--json"], db: db).object
        #expect((since["since_shift"] as? [String: Any])?["reported"] as? Int ?? 0 <= counts["reported"] as? Int ?? 0)
        let md = try CLI.run(["handover", "--as", "city-lead-1", "--md"], db: db)
        #expect(md.status == 0 && md.stdout.hasPrefix("# Handover: city-lead-1") && md.stdout.contains("## Overdue"))
        #expect(try CLI.run(["handover", "--as", "city-lead-1", "--json", "--md"], db: db).status == 64)
        #expect(try CLI.run(["handover", "--as", "city-lead-1", "--since", "lunchtime"], db: db).status == 2)
    }
}
