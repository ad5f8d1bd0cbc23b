import Curses

/// Keys on the `:` line: typing, ←/→, Backspace, Tab completion, ↑/↓ history, Enter runs, Esc leaves.
enum CommandLineUpdate {
    static func handle(_ key: Key, _ s: inout ConsoleState) -> [Effect] {
        guard var line = s.commandLine else { return [] }
        defer { if s.commandLine != nil { s.commandLine = line } }
        // The cursor counts characters; a combining mark typed after its letter joins it, so never trust it beyond
        // the text.
        line.cursor = min(max(0, line.cursor), line.text.count)
        if key != .tab { line.completions = [] }
        switch key {
        case .escape:
            s.commandLine = nil
            return []
        case .enter:
            let text = line.text.trimmingCharacters(in: .whitespaces)
            s.commandLine = nil
            guard !text.isEmpty else { return [] }
            InputHistory.record(text, in: &s.commandHistory)
            return [.runCommand(text)]
        case .backspace:
            if line.cursor > 0 {
                let i = line.text.index(line.text.startIndex, offsetBy: line.cursor - 1)
                line.text.remove(at: i)
                line.cursor -= 1
            } else if line.text.isEmpty {
                s.commandLine = nil
            }
        case .left: line.cursor = max(0, line.cursor - 1)
        case .right: line.cursor = min(line.text.count, line.cursor + 1)
        case .home, .ctrl("a"): line.cursor = 0
        case .end, .ctrl("e"): line.cursor = line.text.count
        case .ctrl("u"):
            line.text = ""
            line.cursor = 0
        case .up, .down:
            guard let step = InputHistory.step(s.commandHistory, from: line.historyIndex, older: key == .up) else { return [] }
            line.historyIndex = step.index
            line.text = step.text
            line.cursor = line.text.count
        case .tab:
            if line.completions.isEmpty {
                line.completions = s.completions(for: line.text)
                line.completionIndex = 0
            } else {
                line.completionIndex = (line.completionIndex + 1) % line.completions.count
            }
            guard !line.completions.isEmpty else { return [] }
            var words = line.text.split(whereSeparator: \.isWhitespace).map(String.init)
            if !(line.text.last?.isWhitespace ?? true) { words.removeLast() }
            words.append(line.completions[line.completionIndex])
            line.text = words.joined(separator: " ") + (line.completions.count == 1 ? " " : "")
            line.cursor = line.text.count
            if line.completions.count == 1 { line.completions = [] }
        case .character(let c):
            guard line.text.count < 400 else { return [] }
            let i = line.text.index(line.text.startIndex, offsetBy: line.cursor)
            let before = String(line.text[..<i]) + String(c)
            line.text.insert(c, at: i)
            line.cursor = min(before.count, line.text.count)
        default:
            break
        }
        return []
    }
}
