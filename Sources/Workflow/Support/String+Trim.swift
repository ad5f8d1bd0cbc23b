extension String {
    /// The text without leading and trailing white space (Unicode's, newlines included). Pure Swift:
    /// Foundation's trimming bridges through NSString, which the demo seeder would pay millions of times.
    var trimmedWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }

    /// True when the text shows nothing: white space, controls and invisible characters only (`ReportText.isVisible`).
    var isBlank: Bool { !ReportText.isVisible(self) }
}
