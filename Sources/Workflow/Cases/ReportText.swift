/// The one rule for the text a report or an action on a case carries, whatever the channel (CLI, console, import,
/// Open311): a NUL (U+0000) is refused, since C strings, terminals and most tools end the text there, so it would
/// cut the text short in every view; line breaks and tabs are kept; any other control character is stored as
/// given and neutralised where text is shown (`TerminalText.sanitize`, the JSON and Open311 writers).
/// "Empty" means nothing visible: white space, controls and invisible format characters alone are empty.
public enum ReportText {
    /// Refuses `text` if it holds a NUL, naming `field` as the operator knows it.
    public static func refuseNUL(_ text: String?, field: String) throws(WorkflowError) {
        guard let text, text.utf8.contains(0) else { return }
        throw .invalidInput("\(field) contains a NUL character (byte 0), which would cut the text short; remove it and try again")
    }

    /// Whether `text` shows anything: a letter, mark, digit, punctuation or symbol that is not an invisible
    /// (default-ignorable) code point such as a zero-width space or a filler.
    public static func isVisible(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains(where: isVisible)
    }

    static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v > 0x20 && v < 0x7F }
        let properties = scalar.properties
        guard !properties.isDefaultIgnorableCodePoint, !properties.isWhitespace else { return false }
        switch properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return true
        }
    }
}

extension ReportDraft {
    /// Applies the text rule to every text field of the draft.
    public func checkText() throws(WorkflowError) {
        try ReportText.refuseNUL(description, field: "description")
        try ReportText.refuseNUL(reporterName, field: "reporter name")
        try ReportText.refuseNUL(reporterPhone, field: "reporter phone")
        try ReportText.refuseNUL(componentID, field: "component id")
        try ReportText.refuseNUL(categoryCode, field: "category")
        try ReportText.refuseNUL(cellCode, field: "cell")
    }
}
