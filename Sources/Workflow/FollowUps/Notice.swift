import Foundation

/// What a reporter is told, and when.
public enum NoticeEvent: String, Sendable, Codable, CaseIterable {
    /// The report became a case.
    case received
    /// The case was sent to a department.
    case dispatched
    /// The case was closed.
    case closed
    /// The reporter's follow-up was recorded (or the case went back for rework after it).
    case followUp = "follow-up"
}

/// A message for one reporter, in both languages. Its text holds only the case's public facts (number, category,
/// department): never the description (after a merge it may be another reporter's words), never anyone's name or contact.
public struct Notice: Sendable, Equatable {
    public var event: NoticeEvent
    public var zh: String
    public var en: String

    public func text(_ lang: NoticeLanguage) -> String { lang == .zh ? zh : en }

    /// The message of a case event, from the case and the site's names.
    public static func of(_ event: NoticeEvent, case c: ServiceCase, context: LifecycleContext) -> Notice {
        let category = context.categories[c.categoryKey]
        let department = c.departmentCode.flatMap { context.departments[$0] }
        let id = c.id
        switch event {
        case .received:
            return Notice(event: event,
                          zh: "您反映的问题已受理，案件编号\(id)（\(category?.nameZh ?? c.categoryCode)）。",
                          en: "Your report was received as case \(id) (\(category?.nameEn ?? c.categoryCode)).")
        case .dispatched:
            return Notice(event: event,
                          zh: "案件\(id)已派遣至\(department?.nameZh ?? c.departmentCode ?? "处置单位")处置。",
                          en: "Case \(id) was sent to \(department?.nameEn ?? c.departmentCode ?? "a department") to be handled.")
        case .closed:
            return Notice(event: event, zh: "案件\(id)已处置完毕并结案。", en: "Case \(id) has been handled and closed.")
        case .followUp:
            return Notice(event: event, zh: "感谢您对案件\(id)处置结果的评价。", en: "Thank you for your feedback on case \(id).")
        }
    }

    /// The message of the case's stage as the public sees it (Open311's `status_notes`): received until it is sent to a
    /// department, dispatched until it closes, closed; nil for a cancelled case.
    public static func status(of c: ServiceCase, context: LifecycleContext) -> Notice? {
        switch c.state {
        case .reported, .verifying, .accepted, .filed: of(.received, case: c, context: context)
        case .dispatched, .handled, .checking, .checked, .suspended: of(.dispatched, case: c, context: context)
        case .closed: of(.closed, case: c, context: context)
        case .cancelled: nil
        }
    }

    /// The message after a follow-up: thanks for the feedback, that the reporter could not be reached, or that the case
    /// went back to its department.
    public static func afterFollowUp(_ task: FollowUp, case c: ServiceCase, reopened: Bool, context: LifecycleContext) -> Notice? {
        guard let outcome = task.outcome else { return nil }
        let id = c.id
        if reopened {
            let department = c.departmentCode.flatMap { context.departments[$0] }
            return Notice(event: .followUp,
                          zh: "根据您的反馈，案件\(id)已重新交由\(department?.nameZh ?? c.departmentCode ?? "处置单位")处置。",
                          en: "After your feedback, case \(id) was sent back to \(department?.nameEn ?? c.departmentCode ?? "its department") to be handled again.")
        }
        if !outcome.reached {
            return Notice(event: .followUp, zh: "我们就案件\(id)回访时未能联系到您。", en: "We could not reach you to follow up on case \(id).")
        }
        return of(.followUp, case: c, context: context)
    }
}

/// The language an export sends (`notify.lang`).
public enum NoticeLanguage: String, Sendable, Codable, CaseIterable {
    case zh, en
}

/// One message of the outbox as an export writes it: the reporter's own contact, their case and its public text.
public struct OutboxMessage: Sendable, Equatable, Codable {
    public var id: Int64
    public var caseID: Int64
    public var event: NoticeEvent
    public var channel: ContactChannel
    public var contact: String
    public var text: String
    public var createdAt: Date
}
