import Foundation
import Workflow

/// Follow-ups (回访) in the demo city. The history is written in bulk, without the store's follow-up rule, so when a demo
/// starts (`DemoSimulator.followUpRecentCloses`, like the patrols' recent tracks) the cases closed in the last days get
/// their follow-up tasks, by the store's own calls: each opened at its case's close (`openMissedFollowUps`), and most of
/// those a few hours old recorded by an intake operator of the case's monitoring center, reached or not and with the
/// reporter's satisfaction (`recordFollowUp`, the console's and the CLI's call). So the follow-ups board has tasks
/// waiting (some overdue), a dissatisfied one waits on the shift lead, and the satisfaction rate has figures.
enum DemoFollowUps {
    /// Closes this recent get their follow-ups, at most this many cases.
    static let days = 3.0
    static let caseLimit = 300

    /// Returns the tasks opened and those recorded.
    static func seed(_ store: CityStore, now: Date, seed: UInt64) throws(WorkflowError) -> (opened: Int, recorded: Int) {
        let tasks = try store.openMissedFollowUps(closedSince: now.addingTimeInterval(-days * 86_400), limit: caseLimit)
        // Its own stream, so follow-ups never change the rest of the city.
        var random = DemoRandom(seed: seed, stream: 0xF011)
        var recorded = 0
        // Who records: the first intake operator (by login) of the case's monitoring center.
        var intake: [String: String] = [:]
        for op in try store.operators().sorted(by: { $0.login < $1.login }) where op.role == .intake {
            if let center = op.centerID, intake[center] == nil { intake[center] = op.login }
        }
        for task in tasks {
            // Called two to forty hours after the close, mostly; the newest are still waiting.
            let at = task.createdAt.addingTimeInterval(random.double(in: 2 * 3600..<40 * 3600))
            let calls = random.chance(0.8)
            guard calls, at < now else { continue }
            let reached = random.chance(0.85)
            let roll = random.double()
            let satisfaction: Satisfaction? = !reached ? nil : roll < 0.7 ? .satisfied : roll < 0.92 ? .basicallySatisfied : .dissatisfied
            let note = satisfaction == .dissatisfied ? "市民反映问题未彻底解决" : nil
            guard let login = intake[try store.serviceCase(task.caseID).monitorCenterID] else { continue }
            try store.recordFollowUp(caseID: task.caseID, followUpID: task.id,
                                     outcome: FollowUpOutcome(reached: reached, satisfaction: satisfaction, note: note),
                                     by: login, at: at)
            recorded += 1
        }
        return (tasks.count, recorded)
    }
}
