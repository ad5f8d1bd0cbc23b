import Foundation
import Testing

/// The CLI is a contract (issue 15): every subcommand keeps its options and flags, with their names, value names,
/// defaults, repeatability and help, in their order, however the declarations are shared (`StoreOptions`,
/// `ActorOption`, `AtOption`, `OutputOptions`). Read from the built binary's `--experimental-dump-help`, the parser's
/// own description of the command tree, and compared with `CLIFlags.txt`, written from the commands as they were.
///
/// A deliberate change of a flag rewrites the file: `CITYGRID_RECORD_FLAGS=1 swift test --filter CLIFlagsTests`,
/// and the diff of `CLIFlags.txt` is the change of the contract, to be read in review.
@Suite struct CLIFlagsTests {
    static let expected = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("CLIFlags.txt")

    /// One line per option or flag: `command path | names | <value name> | default | optional/repeating | help`.
    static func flags() throws -> String {
        let dump = try CLI.run(["--experimental-dump-help"])
        #expect(dump.status == 0, "\(dump.stderr)")
        guard let root = (dump.object["command"]) as? [String: Any] else { throw CLIError(message: "no command tree") }
        var lines: [String] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                let kind = argument["kind"] as? String ?? ""
                guard kind == "option" || kind == "flag" else { continue }
                let names = (argument["names"] as? [[String: Any]] ?? []).map { name -> String in
                    let text = name["name"] as? String ?? ""
                    return (name["kind"] as? String == "short" ? "-" : "--") + text
                }
                let shape = [(argument["isOptional"] as? Bool ?? false) ? "optional" : "required",
                             (argument["isRepeating"] as? Bool ?? false) ? "repeating" : "single",
                             (argument["shouldDisplay"] as? Bool ?? true) ? "shown" : "hidden"]
                lines.append([path.joined(separator: " "), kind, names.joined(separator: ","),
                              "<\(argument["valueName"] as? String ?? "")>", "default=\(argument["defaultValue"] as? String ?? "-")",
                              shape.joined(separator: ","),
                              (argument["abstract"] as? String ?? "") + ((argument["discussion"] as? String).map { " / " + $0 } ?? "")]
                    .joined(separator: " | "))
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                walk(sub, path + [sub["commandName"] as? String ?? "?"])
            }
        }
        walk(root, ["citygrid"])
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func everySubcommandKeepsItsOptionsAndFlags() throws {
        let now = try Self.flags()
        if ProcessInfo.processInfo.environment["CITYGRID_RECORD_FLAGS"] == "1" {
            try now.write(to: Self.expected, atomically: true, encoding: .utf8)
            return
        }
        let was = try String(contentsOf: Self.expected, encoding: .utf8)
        let (old, new) = (was.split(separator: "\n", omittingEmptySubsequences: false), now.split(separator: "\n", omittingEmptySubsequences: false))
        let lost = old.filter { !new.contains($0) }, gained = new.filter { !old.contains($0) }
        #expect(lost.isEmpty && gained.isEmpty, "lost:\n\(lost.joined(separator: "\n"))\ngained:\n\(gained.joined(separator: "\n"))")
        #expect(now == was, "the same options, in another order")
    }
}
