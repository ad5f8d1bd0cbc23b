import Foundation

/// Where import bytes come from: a file descriptor read in fixed chunks, or bytes in memory (tests).
public protocol ByteSource {
    /// Up to `max` more bytes; empty at the end.
    mutating func read(max: Int) throws(WorkflowError) -> [UInt8]
}

/// A file (or standard input) read in chunks, so a file of any size takes bounded memory.
public final class FileByteSource: ByteSource {
    private let fd: Int32
    private let owned: Bool
    public private(set) var bytesRead: Int64 = 0
    public let size: Int64?

    public init(path: String) throws(WorkflowError) {
        if path == "-" {
            fd = STDIN_FILENO; owned = false; size = nil
            return
        }
        let opened = open(path, O_RDONLY)
        guard opened >= 0 else { throw .notFound("cannot open \(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        if fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(opened)
            throw .invalidInput("\(path) is a folder, not a file")
        }
        fd = opened; owned = true
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
    }

    deinit { if owned { close(fd) } }

    public func read(max: Int) throws(WorkflowError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, max) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .storage("read failed: \(String(cString: strerror(errno)))")
            }
            bytesRead += Int64(n)
            buffer.removeSubrange(n...)
            return buffer
        }
    }
}

public struct MemoryByteSource: ByteSource {
    private var bytes: [UInt8]
    private var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }
    public mutating func read(max: Int) throws(WorkflowError) -> [UInt8] {
        let end = min(bytes.count, offset + max)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// One physical line of input.
public struct InputLine {
    /// 1-based.
    public var number: Int
    /// Without the line break (a trailing CR is dropped too).
    public var bytes: [UInt8]
    /// The line was longer than the limit; `bytes` holds only its start.
    public var tooLong: Bool
    /// The line ended in CR LF (the CR is not in `bytes`).
    public var crlf = false
}

/// Splits a byte stream into lines without ever holding more than one line (up to a limit) and one chunk.
public struct ByteLineReader<Source: ByteSource> {
    public var source: Source
    public let maxLineBytes: Int
    private var chunk: [UInt8] = []
    private var position = 0
    private var finished = false
    public private(set) var lineNumber = 0
    static var chunkSize: Int { 1 << 16 }

    public init(_ source: Source, maxLineBytes: Int = 1 << 20) {
        self.source = source
        self.maxLineBytes = maxLineBytes
    }

    public mutating func next() throws(WorkflowError) -> InputLine? {
        var line: [UInt8] = []
        var tooLong = false
        var sawAny = false
        while true {
            if position >= chunk.count {
                if finished { break }
                chunk = try source.read(max: Self.chunkSize)
                position = 0
                if chunk.isEmpty { finished = true; break }
            }
            sawAny = true
            let end = chunk[position...].firstIndex(of: UInt8(ascii: "\n"))
            let stop = end ?? chunk.count
            if !tooLong {
                let room = maxLineBytes - line.count
                if stop - position > room {
                    line.append(contentsOf: chunk[position..<(position + room)])
                    tooLong = true
                } else {
                    line.append(contentsOf: chunk[position..<stop])
                }
            }
            if let end {
                position = end + 1
                lineNumber += 1
                let crlf = line.last == UInt8(ascii: "\r")
                if crlf { line.removeLast() }
                return InputLine(number: lineNumber, bytes: line, tooLong: tooLong, crlf: crlf)
            }
            position = chunk.count
        }
        guard sawAny, !(line.isEmpty && !tooLong) else { return nil }
        lineNumber += 1
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return InputLine(number: lineNumber, bytes: line, tooLong: tooLong)
    }
}
