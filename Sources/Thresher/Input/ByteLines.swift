import Foundation

/// The lines of a file read in chunks, with their byte offsets and line numbers; LF, CRLF and CR end a
/// line. Used to stream corpus manifests (robustness fix, issue 5: see `InputExpander.expandFile`).
struct ByteLines {
    struct Line {
        var bytes: ArraySlice<UInt8>
        /// Byte offset of the line's start in the file.
        var offset: Int
        /// Line number, from 1.
        var number: Int
    }

    private let input: ByteInput
    private var buffer: [UInt8] = []
    /// Start of the unread part of `buffer`, and the file offset of `buffer[0]`.
    private var start = 0
    private var bufferOffset = 0
    private var atEnd = false
    private var number = 0
    /// The longest line read; a longer one is an error rather than a buffer that grows without end.
    var maxLine = Int.max

    init(fd: Int32) {
        input = ByteInput(fd: fd, name: "")
    }

    /// The lines of a stream (bytes already peeked at included).
    init(input: ByteInput) {
        self.input = input
    }

    mutating func next(name: String) throws -> Line? {
        // How far past `start` the buffer has been searched (kept across `fill`, which moves `start` to 0).
        var searched = 0
        while true {
            if let end = buffer[(start + searched)...].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                // A CR at the end of the buffer may be the first half of a CRLF.
                if buffer[end] == 0x0D && end + 1 == buffer.count && !atEnd {
                    searched = end - start
                    try fill(name: name)
                    continue
                }
                let width = buffer[end] == 0x0D && end + 1 < buffer.count && buffer[end + 1] == 0x0A ? 2 : 1
                number += 1
                let line = Line(bytes: buffer[start..<end], offset: bufferOffset + start, number: number)
                start = end + width
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                number += 1
                let line = Line(bytes: buffer[start...], offset: bufferOffset + start, number: number)
                start = buffer.count
                return line
            }
            searched = buffer.count - start
            if searched > maxLine { throw InputError("\(name):\(number + 1)", "line over \(maxLine >> 20) MiB") }
            try fill(name: name)
        }
    }

    /// Drops the consumed part of the buffer and reads the next chunk.
    private mutating func fill(name: String) throws {
        if start > 0 {
            buffer.removeFirst(start)
            bufferOffset += start
            start = 0
        }
        let more: ArraySlice<UInt8>
        do { more = try input.read(limit: 1 << 20) } catch let error as InputError { throw InputError(name, error.reason) }
        if more.isEmpty { atEnd = true } else { buffer.append(contentsOf: more) }
    }
}
