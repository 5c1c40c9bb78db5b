/// Cuts a plain-text scrape into blocks: one block per non-empty line (LF, CRLF or lone CR).
public enum TextSegmenter {
    /// The blocks of a text scrape, in line order.
    public static func blocks(of text: String) -> [Block] {
        var blocks = [Block]()
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let collapsed = collapseWhitespace(line)
            if collapsed.isEmpty { continue }
            blocks.append(Block(text: collapsed, tag: "line", index: blocks.count))
        }
        return blocks
    }

    /// Trims the line and turns every run of white space (including no-break spaces) into one space.
    static func collapseWhitespace(_ line: Substring) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in line.unicodeScalars {
            if scalar.properties.isWhitespace || scalar == "\u{00A0}" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" "); pendingSpace = false }
                out.append(scalar)
            }
        }
        return String(out)
    }
}
