/// The earlier entries of a one-line prompt (the `:` command line, the `/` filter), walked with ↑ and ↓ as a shell
/// walks its history: ↑ goes to older entries, ↓ back to newer ones and finally to an empty line.
enum InputHistory {
    static let limit = 200

    /// Keeps `text` as the newest entry, unless it is empty or repeats the newest.
    static func record(_ text: String, in history: inout [String]) {
        guard !text.isEmpty, history.last != text else { return }
        history.append(text)
        if history.count > limit { history.removeFirst(history.count - limit) }
    }

    /// One step from `index` (nil: the line being typed, past the newest entry): the new index and the text it shows
    /// ("" past the newest), or nil when there is no history.
    static func step(_ history: [String], from index: Int?, older: Bool) -> (index: Int, text: String)? {
        guard !history.isEmpty else { return nil }
        let start = index ?? history.count
        let next = older ? max(0, start - 1) : min(history.count, start + 1)
        return (next, next < history.count ? history[next] : "")
    }
}
