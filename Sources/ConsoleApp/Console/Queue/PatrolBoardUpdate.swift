import Curses
import Foundation
import Workflow

/// Keys and readings of the patrol board (`PatrolBoardView`): rows with j/k, ↑/↓, PgUp/PgDn, g/G; the board's own
/// keys from the keymap (Enter: the census form, t: back to the queue). Pure, like the rest of update; nil: the key is
/// not the board's.
enum PatrolBoardUpdate {
    static func handleKey(_ key: Key, _ s: inout ConsoleState) -> [Effect]? {
        guard s.queue.mode == .patrol else { return nil }
        let page = PatrolBoardView.pageRows(s)
        switch key {
        case .down, .character("j"): move(to: s.patrol.selected + 1, &s)
        case .up, .character("k"): move(to: s.patrol.selected - 1, &s)
        case .pageDown, .ctrl("f"): move(to: s.patrol.selected + page - 1, &s)
        case .pageUp, .ctrl("b"): move(to: s.patrol.selected - page + 1, &s)
        case .home, .character("g"): move(to: 0, &s)
        case .end, .character("G"): move(to: Int.max, &s)
        case .tab, .backTab: return []
        case .escape: return toggle(&s)
        default:
            guard let binding = Keymap.bindings.first(where: { $0.context == .patrol && $0.keys.contains(key) }) else { return nil }
            return ConsoleUpdate.perform(binding.action, &s)
        }
        return []
    }

    static func move(to index: Int, _ s: inout ConsoleState) {
        let count = s.patrol.reading.map { PatrolBoardView.rows($0).count } ?? 0
        let page = PatrolBoardView.pageRows(s)
        var p = s.patrol
        p.selected = min(max(0, index), max(0, count - 1))
        p.scroll = min(max(0, p.scroll), max(0, count - page))
        if p.selected < p.scroll { p.scroll = p.selected }
        if p.selected >= p.scroll + page { p.scroll = p.selected - page + 1 }
        s.patrol = p
    }

    /// `:patrol`, and `t` on the overdue board and on this one: the board in the queue's place, or back to the queue.
    static func toggle(_ s: inout ConsoleState) -> [Effect] {
        s.focus = .queue
        if s.queue.mode == .patrol {
            s.queue.mode = .queue
            return ConsoleUpdate.resetAndReload(&s)
        }
        s.queue.mode = .patrol
        return [.loadPatrolBoard]
    }

    static func loaded(_ result: Result<PatrolBoardReading, WorkflowError>, _ s: inout ConsoleState) -> [Effect] {
        switch result {
        case .success(let reading):
            s.patrol.reading = reading
            move(to: s.patrol.selected, &s)
            return []
        case .failure(let error):
            s.status = StatusMessage(text: s.lang.describe(error), kind: .error)
            guard s.queue.mode == .patrol else { return [] }
            s.queue.mode = .queue
            return ConsoleUpdate.resetAndReload(&s)
        }
    }

    /// The census of the highlighted line, if it belongs to one.
    static func selectedCensus(_ s: ConsoleState) -> Int64? {
        guard s.queue.mode == .patrol, let reading = s.patrol.reading else { return nil }
        let rows = PatrolBoardView.rows(reading)
        return rows.indices.contains(s.patrol.selected) ? rows[s.patrol.selected].censusID : nil
    }

    /// Enter on the board (the highlighted census, or the inspector's own when the line is none's), or `:census [ID]`.
    static func openForm(_ id: Int64?, _ s: inout ConsoleState) -> [Effect] {
        [.openCensusForm(id ?? selectedCensus(s))]
    }

    /// The censuses read: the one asked for, else the first with a survey task in the viewer's patrol area. The census
    /// rule (`CensusRules.checkRecorder`, the one `census record` applies) refuses on the status line, or the form opens.
    static func formData(_ reports: [CensusReport], requested: Int64?, _ s: inout ConsoleState) -> [Effect] {
        let area = s.viewer.patrolAreaID
        let chosen = requested.flatMap { id in reports.first { $0.census.id == id } }
            ?? reports.first { r in r.areas.contains { $0.patrolArea == area } } ?? reports.first
        guard let report = chosen else {
            s.status = StatusMessage(text: s.lang.t("没有进行中的部件普查", "no census is open"), kind: .error)
            return []
        }
        do throws(WorkflowError) {
            _ = try CensusRules.checkRecorder(s.viewer, census: report.census, areas: Set(report.areas.map(\.patrolArea)))
        } catch {
            s.status = StatusMessage(text: s.lang.t("普查 \(report.census.id)：", "census \(report.census.id): ") + s.lang.reason(error), kind: .error)
            return []
        }
        s.form = CensusForm.make(report, s)
        return []
    }

    /// Recorded: the form closes, the status line says what was stored, the board is read again.
    static func recorded(_ record: CensusRecord, _ s: inout ConsoleState) -> [Effect] {
        s.form = nil
        let kind = PatrolBoardView.kindName(record.kind, s.lang)
        s.status = StatusMessage(text: s.lang.t("普查 \(record.censusID)：已记录\(kind) 部件 \(record.componentID)（巡查区 \(record.patrolArea)）",
                                                "census \(record.censusID): \(kind) of component \(record.componentID) recorded (patrol area \(record.patrolArea))"),
                                 kind: .ok)
        return s.queue.mode == .patrol ? [.loadPatrolBoard] : []
    }
}
