import ArgumentParser
import Foundation
import Workflow

/// `citygrid site set-bell` and `citygrid operator set-bell`: whether the console rings the terminal bell when cases
/// newly wait on its operator. The rule (the operator's preference wins over the site's) is Workflow's
/// (`CityStore+ConsoleBell.swift`).
enum BellChoice: String, ExpressibleByArgument, CaseIterable {
    case on, off, site

    var value: Bool? {
        switch self {
        case .on: true
        case .off: false
        case .site: nil
        }
    }
}

struct BellJSON: Encodable {
    var site: String
    var `operator`: String?
    var preference: String?
    var rings: Bool?
}

struct SiteSetBell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-bell",
        abstract: "Whether consoles ring the terminal bell when cases newly wait on their operator (on by default; an admin's).",
        discussion: "An operator's own preference (`operator set-bell`) wins over this setting.")
    @OptionGroup var store: StoreOptions
    @Argument(help: "on or off.") var setting: String
    @OptionGroup var actor: ActorOption<SharedHelp.AdminOnOpenSite>
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    func run() throws {
        try guarded {
            guard setting == "on" || setting == "off" else { throw WorkflowError.invalidInput("the site's bell is on or off, not '\(setting)'") }
            let s = try store.session()
            try s.site.setSiteBell(setting == "on", by: actor.actor, at: try s.now())
            if output.json { return try Output.json(BellJSON(site: setting)) }
            Output.line("console bell: \(setting)")
        }
    }
}

struct OperatorSetBell: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-bell",
        abstract: "An operator's own console bell: on, off, or site (follow the site's setting). The operator's own, or an admin's.")
    @OptionGroup var store: StoreOptions
    @OptionGroup var actor: ActorOption<BellActorHelp>
    @Argument(help: "The operator's login (or id).") var operatorLogin: String
    @Argument(help: "on, off or site.") var setting: BellChoice
    @OptionGroup var output: OutputOptions<SharedHelp.JSON>

    enum BellActorHelp: OptionHelp {
        static var help: ArgumentHelp { "The one acting, the operator or an admin (on an open site; on a signed site, the signed-in operator)." }
    }

    func run() throws {
        try guarded {
            let s = try store.session()
            let after = try s.site.setOperatorBell(operatorLogin, setting.value, by: actor.actor, at: try s.now())
            let site = after.site ? "on" : "off"
            if output.json {
                return try Output.json(BellJSON(site: site, operator: operatorLogin, preference: setting.rawValue, rings: after.rings))
            }
            Output.line("console bell for \(operatorLogin): \(setting.rawValue) (site: \(site); rings: \(after.rings ? "yes" : "no"))")
        }
    }
}
