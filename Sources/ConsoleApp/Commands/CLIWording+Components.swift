import ArgumentParser
import Workflow

extension ComponentOutcome: ExpressibleByArgument {}

extension CLIWording {
    /// Why a case goes to its department, for `case dispatch` and `case show`: the owner of its component, the
    /// category's default, or someone's choice (then, when known, what the rule would have suggested).
    static func routingReason(_ routing: Routing, suggested: Routing?) -> String {
        switch routing.reason {
        case .componentOwner:
            return "owner of component \(routing.componentID ?? "-")"
        case .categoryDefault:
            return routing.componentID == nil ? "the category's department"
                : "the category's department: component \(routing.componentID!) has no known owner"
        case .communityLevel:
            return "a community-level category: the community holding the cell"
        case .chosen:
            guard let suggested, suggested.department != routing.department else { return "chosen" }
            return "chosen; the rule suggests \(suggested.department), \(routingReason(suggested, suggested: nil))"
        }
    }
}
