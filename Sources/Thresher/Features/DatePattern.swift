/// Numeric dates and clock times in a block's text: the mark of bylines, datelines, comment headers
/// and timestamps, which read like short prose otherwise. Digits only, so it works in any language.
enum DatePattern {
    /// Whether `text` holds a clock time (`7:45`, `08:49`) and whether it holds a date (`05/10/2018`,
    /// `2019-11-18`, `25.09.18`, or a year from 1900 to 2099 standing alone).
    static func find(in text: String) -> (time: Bool, date: Bool) {
        var time = false, date = false
        var text = text
        text.withUTF8 { b in
            // The last three runs of ASCII digits (start, length); a date or time is runs joined by
            // single separators. Kept in variables: this runs on every block with digits.
            var previous = (start: -2, length: 0), beforePrevious = (start: -2, length: 0)
            var i = 0
            while i < b.count {
                guard isDigit(b[i]) else { i += 1; continue }
                let start = i
                while i < b.count && isDigit(b[i]) { i += 1 }
                let length = i - start
                if length == 4 && (start == 0 || !isLetter(b[start - 1])) && (i == b.count || !isLetter(b[i])) {
                    let century = (b[start], b[start + 1])
                    if century == (0x31, 0x39) || century == (0x32, 0x30) { date = true }
                }
                let joined = previous.start + previous.length == start - 1
                if joined && b[start - 1] == 0x3A && previous.length <= 2 && length == 2 { time = true }
                if joined, beforePrevious.start + beforePrevious.length == previous.start - 1 {
                    let separator = b[start - 1]
                    if (separator == 0x2F || separator == 0x2D || separator == 0x2E) && b[previous.start - 1] == separator
                        && beforePrevious.length <= 4 && previous.length <= 2
                        && (length == 2 || length == 4 || beforePrevious.length == 4) {
                        date = true
                    }
                }
                beforePrevious = previous
                previous = (start, length)
            }
        }
        return (time, date)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
}
