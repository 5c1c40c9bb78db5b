import CLibXML2

/// Collects the text of the block being read and closes it into a `Block` at each boundary.
struct BlockBuilder {
    private(set) var blocks: [Block] = []
    /// Open `<a>` elements around the current text.
    var linkDepth = 0
    /// `data-label` values of the open elements, innermost last.
    var markedLabels: [String] = []

    private var open: [OpenBlock] = []
    /// Elements entered so far: numbers the containers.
    private var elementCount = 0
    private var text: [UInt8] = []
    private var pendingSpace = false
    private var linkChars = 0
    private var marked: String?

    /// A non-inline element on the path to the current text.
    private struct OpenBlock {
        let node: xmlNodePtr
        let tag: String
        let number: Int
        var tokens: [String]?
    }

    init() {
        text.reserveCapacity(4096)
    }

    mutating func enterBlock(_ node: xmlNodePtr, tag: String) {
        flush()
        elementCount += 1
        open.append(OpenBlock(node: node, tag: tag, number: elementCount, tokens: nil))
    }

    mutating func exitBlock() {
        flush()
        open.removeLast()
    }

    /// Appends a text node, collapsing white space and no-break spaces to single spaces.
    mutating func appendText(_ content: UnsafePointer<xmlChar>) {
        var p = content
        let inLink = linkDepth > 0
        while p.pointee != 0 {
            let c = p.pointee
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                pendingSpace = true
                p += 1
                continue
            }
            if c == 0xC2 && p[1] == 0xA0 {
                pendingSpace = true
                p += 2
                continue
            }
            if text.isEmpty {
                marked = markedLabels.last
            } else if pendingSpace {
                text.append(0x20)
            }
            pendingSpace = false
            text.append(c)
            // Count characters, not bytes: continuation bytes (10xxxxxx) do not start one.
            if inLink && c & 0xC0 != 0x80 { linkChars += 1 }
            p += 1
        }
    }

    /// Ends the current block, if it has any text.
    mutating func flush() {
        pendingSpace = false
        guard !text.isEmpty else { return }
        let depth = open.count
        var elementTokens: [String] = []
        var ancestorTokens: [String] = []
        if depth > 0 {
            elementTokens = tokens(at: depth - 1)
            for level in stride(from: depth - 2, through: max(0, depth - 4), by: -1) {
                ancestorTokens += tokens(at: level)
            }
        }
        let path = open.suffix(8).map(\.tag).joined(separator: ">")
        blocks.append(Block(text: String(decoding: text, as: UTF8.self), tag: open.last?.tag ?? "body", path: path,
                            depth: depth, elementTokens: elementTokens, ancestorTokens: ancestorTokens,
                            linkChars: linkChars, containers: open.suffix(4).reversed().map(\.number),
                            index: blocks.count, marked: marked))
        text.removeAll(keepingCapacity: true)
        linkChars = 0
        marked = nil
    }

    /// The `class` and `id` tokens of an open element, read once.
    private mutating func tokens(at level: Int) -> [String] {
        if let cached = open[level].tokens { return cached }
        var tokens: [String] = []
        var attr = open[level].node.pointee.properties
        while let a = attr, tokens.count < 16 {
            let name = String(cString: a.pointee.name)
            if name == "class" || name == "id", let value = a.pointee.children?.pointee.content {
                tokens += String(cString: value).split(separator: " ").prefix(16 - tokens.count).map(String.init)
            }
            attr = a.pointee.next
        }
        open[level].tokens = tokens
        return tokens
    }
}
