import CLibXML2

/// Collects the text of the block being read and closes it into a `Block` at each boundary.
struct BlockBuilder {
    private(set) var blocks: [Block] = []
    /// Elements that hold text, innermost first (recorded as they close).
    private(set) var elements: [PageElement] = []
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
    /// Token arrays by the `class` and `id` values they were split from (see `tokens(at:)`).
    private var internedTokens: [String: [String]] = [:]

    /// A non-inline element on the path to the current text.
    private struct OpenBlock {
        let node: xmlNodePtr
        let tag: String
        let number: Int
        /// The first block that can fall inside it.
        let firstBlock: Int
        var tokens: [String]?
        var signature: UInt64?
        /// Tokens of this element and the two above it (the `ancestorTokens` of blocks two levels
        /// down), and of this element and up to twelve above it (their `outerTokens` four levels
        /// down): shared by every block below, so computed once and stored once.
        var nearTokens: [String]?
        var farTokens: [String]?
    }

    init() {
        text.reserveCapacity(4096)
    }

    mutating func enterBlock(_ node: xmlNodePtr, tag: String) {
        flush()
        elementCount += 1
        open.append(OpenBlock(node: node, tag: tag, number: elementCount, firstBlock: blocks.count))
    }

    mutating func exitBlock() {
        flush()
        let level = open.count - 1
        if blocks.count > open[level].firstBlock {
            let own = tokens(at: level)
            elements.append(PageElement(tag: open[level].tag, tokens: own + (level > 0 ? nearTokens(at: level - 1) : []),
                                        ownTokenCount: own.count, blocks: open[level].firstBlock..<blocks.count, depth: level,
                                        declaresMain: declaresMain(open[level].node)))
        }
        open.removeLast()
    }

    /// `itemprop="articleBody"` or `role="main"`: the page's own word for where its content is.
    private func declaresMain(_ node: xmlNodePtr) -> Bool {
        var attr = node.pointee.properties
        while let a = attr {
            if let value = a.pointee.children?.pointee.content {
                if xmlStrEqual(a.pointee.name, "itemprop") != 0 && xmlStrcasecmp(value, "articleBody") == 0 { return true }
                if xmlStrEqual(a.pointee.name, "role") != 0 && xmlStrcasecmp(value, "main") == 0 { return true }
            }
            attr = a.pointee.next
        }
        return false
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
        var outerTokens: [String] = []
        if depth > 0 { elementTokens = tokens(at: depth - 1) }
        if depth > 1 { ancestorTokens = nearTokens(at: depth - 2) }
        if depth > 4 { outerTokens = farTokens(at: depth - 5) }
        let path = open.suffix(8).map(\.tag).joined(separator: ">")
        blocks.append(Block(text: String(decoding: text, as: UTF8.self), tag: open.last?.tag ?? "body", path: path,
                            depth: depth, elementTokens: elementTokens, ancestorTokens: ancestorTokens, outerTokens: outerTokens,
                            linkChars: linkChars, containers: open.suffix(4).reversed().map(\.number),
                            signatures: (max(0, depth - 4)..<depth).reversed().map { signature(at: $0) },
                            index: blocks.count, marked: marked))
        text.removeAll(keepingCapacity: true)
        linkChars = 0
        marked = nil
    }

    /// Tokens of the open element at `level` and the two above it, nearest first.
    private mutating func nearTokens(at level: Int) -> [String] {
        if let cached = open[level].nearTokens { return cached }
        var near: [String] = []
        for up in stride(from: level, through: max(0, level - 2), by: -1) { near += tokens(at: up) }
        open[level].nearTokens = near
        return near
    }

    /// Tokens of the open element at `level` and up to `Block.outerLevels - 5` above it, nearest
    /// first, at most `Block.outerTokenLimit`.
    private mutating func farTokens(at level: Int) -> [String] {
        if let cached = open[level].farTokens { return cached }
        var far: [String] = []
        for up in stride(from: level, through: max(0, level + 4 - Block.outerLevels), by: -1) where far.count < Block.outerTokenLimit {
            far += tokens(at: up).prefix(Block.outerTokenLimit - far.count)
        }
        open[level].farTokens = far
        return far
    }

    /// FNV-1a of an open element's tag, `.` and `class` attribute, read once.
    private mutating func signature(at level: Int) -> UInt64 {
        if let cached = open[level].signature { return cached }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in open[level].tag.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x2E) &* 0x100_0000_01b3
        var attr = open[level].node.pointee.properties
        while let a = attr {
            if xmlStrEqual(a.pointee.name, "class") != 0, var p = a.pointee.children?.pointee.content {
                while p.pointee != 0 {
                    hash = (hash ^ UInt64(p.pointee)) &* 0x100_0000_01b3
                    p += 1
                }
                break
            }
            attr = a.pointee.next
        }
        open[level].signature = hash
        return hash
    }

    /// The `class` and `id` tokens of an open element, read once. Elements with the same values (the
    /// items of a menu, the comments of a thread) get one shared array, which lets the features
    /// recognise a group they have already analysed by its address.
    private mutating func tokens(at level: Int) -> [String] {
        if let cached = open[level].tokens { return cached }
        var values = ""
        var attr = open[level].node.pointee.properties
        while let a = attr {
            if xmlStrEqual(a.pointee.name, "class") != 0 || xmlStrEqual(a.pointee.name, "id") != 0,
               let value = a.pointee.children?.pointee.content {
                if !values.isEmpty { values += " " }
                values += String(cString: value)
            }
            attr = a.pointee.next
        }
        let tokens = values.isEmpty ? [] : internedTokens[values] ?? {
            let tokens = values.split(separator: " ").prefix(16).map(String.init)
            internedTokens[values] = tokens
            return tokens
        }()
        open[level].tokens = tokens
        return tokens
    }
}
