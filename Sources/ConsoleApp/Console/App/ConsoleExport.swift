import Foundation
import Workflow

/// What `:export` writes: a table (the lines that name it, such as the evaluation board's title and period, a header
/// and rows), or a shown document (the shift handover) line by line as on screen.
struct ExportRequest: Sendable, Equatable {
    var path: String
    var preamble: [String] = []
    var header: [String] = []
    var rows: [[String]] = []
    /// A document's lines, written as they are instead of a table.
    var document: [String]? = nil

    /// What the status line counts as written.
    var lineCount: Int { document?.count ?? rows.count }

    /// The file's text: a document's lines; a table as CSV (through the one CSV writer), or Markdown for a `.md` name.
    var text: String {
        if let document { return document.joined(separator: "\n") + "\n" }
        if path.lowercased().hasSuffix(".md") {
            let lead = preamble.enumerated().flatMap { i, line in i == 0 ? ["# " + line, ""] : [line, ""] }
            return (lead + EvaluationExport.markdownTable(header, rows)).joined(separator: "\n") + "\n"
        }
        return CSVText.table(preamble.map { [$0] } + [header] + rows, ending: "\n")
    }
}

/// What is on screen, to a file: a table as Markdown or CSV by extension, or a shown document line by line, written
/// as the command line's outputs are. An existing regular file is replaced only once the operator says so.
enum ConsoleExport {
    /// `overwrite`: the operator said yes; else an existing file gives `.exportAsks`.
    static func write(_ request: ExportRequest, overwrite: Bool, lang: Language) -> ConsoleMessage {
        if !overwrite && wouldReplace(request.path) { return .exportAsks(request) }
        return .status(write(request.text, rows: request.lineCount, to: request.path, lang: lang))
    }

    /// Whether writing `path` would replace a file that is there (a device or FIFO is written through, not replaced).
    static func wouldReplace(_ path: String) -> Bool {
        let expanded = (path as NSString).expandingTildeInPath
        guard case .file(let final) = try? OutputTarget.resolve(expanded) else { return false }
        return FileManager.default.fileExists(atPath: final)
    }

    private static func write(_ text: String, rows: Int, to path: String, lang: Language) -> StatusMessage {
        // The same rule as the command line's outputs (`OutputTarget`): a device or FIFO is written through, never
        // replaced; a regular file through a renamed temporary file. Standard output is the screen: refused.
        let expanded = (path as NSString).expandingTildeInPath
        let target = try? OutputTarget.resolve(expanded)
        if target == .standardOutput {
            return StatusMessage(text: lang.t("请给出导出文件名", "name a file to export to"), kind: .error)
        }
        if case .folder = target {
            return StatusMessage(text: lang.t("\(path) 是文件夹，请给出文件名", "\(path) is a folder, not a file"), kind: .error)
        }
        do throws(WorkflowError) {
            let file = try OutputFile(path: expanded, interactive: true)
            try file.write(text)
            try file.commit()
            return StatusMessage(text: lang.t("已导出 \(rows) 行到 \(path)", "exported \(rows) rows to \(path)"), kind: .ok)
        } catch {
            var reason = error.message
            if reason.hasPrefix("cannot write \(expanded): ") { reason.removeFirst("cannot write \(expanded): ".count) }
            // The system's own words (errno text) only as the detail, in parentheses in Chinese.
            return StatusMessage(text: lang.t("无法写入 \(path)（\(reason)）", "cannot write \(path): \(reason)"), kind: .error)
        }
    }

    /// The question before an existing file is replaced.
    static func question(_ request: ExportRequest, lang: Language) -> String {
        lang.t("\(request.path) 已存在，替换它？(y/n)", "\(request.path) exists. Replace it? (y/n)")
    }
}

extension ConsoleUpdate {
    /// The export's file exists: ask, and come back to what was shown (the handover) either way.
    static func exportAsks(_ request: ExportRequest, _ s: inout ConsoleState) -> [Effect] {
        s.overlay = .confirm(ConsoleExport.question(request, lang: s.lang), .export(request, back: s.overlay))
        return []
    }

    /// The operator's answer to `exportAsks`: replace the file, or leave it as it was.
    static func exportAnswered(_ request: ExportRequest, yes: Bool, back: Overlay?, _ s: inout ConsoleState) -> [Effect] {
        s.overlay = back
        guard yes else {
            s.status = StatusMessage(text: s.lang.t("未导出，\(request.path) 保持不变", "not exported; \(request.path) was left as it was"), kind: .info)
            return []
        }
        return [.export(request, overwrite: true)]
    }
}

extension ConsoleUpdate {
    /// Why nothing may be saved at `now`, in the console's language, or nil: a clock outside the site's time window
    /// (a machine clock set back to 1970, a CITYGRID_NOW years off) saves nothing with an absurd time.
    static func clockRefusal(_ now: Date, window: TimeWindow, lang: Language) -> StatusMessage? {
        guard !window.contains(now, now: now) else { return nil }
        let f = InstantFormat(timeZone: window.timeZone)
        let from = f.string(window.earliest(now: now)), to = f.string(window.latest(now: now))
        return StatusMessage(text: lang.t("时钟 \(f.string(now)) 超出本站时间窗口（\(from) 至 \(to)），未保存",
                                          "the clock \(f.string(now)) is outside the site's time window (\(from) to \(to)); nothing saved"),
                             kind: .error)
    }
}
