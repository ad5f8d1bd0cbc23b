/// What an SSH exec request (`ssh -p 2222 LOGIN@HOST overdue --json`) may run: one `citygrid` command, its words split
/// as a shell would split them (single and double quotes, backslashes) but with no shell: nothing is expanded,
/// substituted, redirected or chained. The site and the acting operator are the server's to decide, so `--db` and
/// `--as` are refused, and so are the commands that open a terminal, serve, or make a database.
public enum ExecCommandLine {
    /// Why a command is not run, with the exit status the client gets (2 bad usage, 3 refused).
    public struct Refusal: Error, Equatable, Sendable {
        public var message: String
        public var status: Int32
    }

    /// The commands that are not run over exec.
    public static let refusedCommands: Set<String> = ["console", "serve", "serve-ssh", "demo", "init", "seed-demo"]

    /// The arguments for `citygrid`, or why not. `login` names the operator in the messages.
    public static func arguments(_ command: String, login: String) -> Result<[String], Refusal> {
        let words: [String]
        switch split(command) {
        case .success(let w): words = w
        case .failure(let refusal): return .failure(refusal)
        }
        var args = words
        if args.first == "citygrid" { args.removeFirst() }
        guard let first = args.first else {
            return .failure(Refusal(message: "give one citygrid command to run, e.g. cases --json (connect without a command, with a terminal, for the console)", status: 2))
        }
        for arg in args {
            if arg == "--" { break }
            if arg == "--as" || arg.hasPrefix("--as=") {
                return .failure(Refusal(message: "--as is not accepted over SSH: you act as \(login), the operator you signed in as", status: 3))
            }
            if arg == "--db" || arg.hasPrefix("--db=") {
                return .failure(Refusal(message: "--db is not accepted over SSH: commands act on this server's site", status: 2))
            }
        }
        if refusedCommands.contains(first) {
            let why = first == "console" ? "connect with a terminal and no command (ssh -t) to open the console"
                : "it is not run over SSH"
            return .failure(Refusal(message: "'\(first)': \(why)", status: 2))
        }
        return .success(args)
    }

    /// Splits like a POSIX shell's word splitting and quote removal, nothing more.
    public static func split(_ command: String) -> Result<[String], Refusal> {
        guard !command.unicodeScalars.contains("\u{0}") else {
            return .failure(Refusal(message: "the command contains a NUL character", status: 2))
        }
        guard command.utf8.count <= 64 * 1024 else { return .failure(Refusal(message: "the command is longer than 64 KiB", status: 2)) }
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(command).makeIterator()
        while let c = iterator.next() {
            switch c {
            case " ", "\t", "\n", "\r\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let d = iterator.next() {
                    if d == "'" { closed = true; break }
                    current.append(d)
                }
                guard closed else { return .failure(Refusal(message: "unmatched ' in the command", status: 2)) }
            case "\"":
                inWord = true
                var closed = false
                while let d = iterator.next() {
                    if d == "\"" { closed = true; break }
                    if d == "\\" {
                        guard let e = iterator.next() else { break }
                        if e == "\"" || e == "\\" || e == "$" || e == "`" { current.append(e) }
                        else if e == "\n" { /* line continuation */ }
                        else { current.append(d); current.append(e) }
                        continue
                    }
                    current.append(d)
                }
                guard closed else { return .failure(Refusal(message: "unmatched \" in the command", status: 2)) }
            case "\\":
                inWord = true
                if let d = iterator.next() { if d != "\n" { current.append(d) } }
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return .success(words)
    }
}
