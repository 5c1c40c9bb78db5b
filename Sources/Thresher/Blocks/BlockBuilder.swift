import CLibXML2

/// Collects the text of the block being read and closes it into a `Block` at each boundary.
struct BlockBuilder {
    private(set) var blocks: [Block] = []
    /// Elements that hold text, innermost first (recorded as they close).
    private(set) var elements: [PageElement] = []
    /// Open `<a>` elements around the current text.
    var linkDepth = 0
    /// The `href`s of the open `<a>` elements, innermost last ("" for a link without one).
    private var linkTargets: [String] = []
    /// Where the current block's first linked text points.
    private var target: String?
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

    /// The `class` and `id` values of the open non-inline elements, one after another: read when the
    /// element starts (a SAX start tag's attributes are gone after its callback) and split into tokens
    /// only when a block needs them. A stack, like `open`: an element's bytes go when it closes.
    private var classAndID: [UInt8] = []

    /// A non-inline element on the path to the current text.
    private struct OpenBlock {
        let tag: String
        let number: Int
        /// The first block that can fall inside it.
        let firstBlock: Int
        /// Its `class` and `id` values in `classAndID`.
        let classAndID: Range<Int>
        /// FNV-1a of the tag, `.` and `class` value.
        let signature: UInt64
        let declaresMain: Bool
        var tokens: [String]?
        /// Tokens of this element and the two above it (the `ancestorTokens` of blocks two levels
        /// down), and of this element and up to twelve above it (their `outerTokens` four levels
        /// down): shared by every block below, so computed once and stored once.
        var nearTokens: [String]?
        var farTokens: [String]?
    }

    init() {
        text.reserveCapacity(4096)
    }

    /// Opens an element of either walk: what its kind does to the blocks, and its `data-label` pushed
    /// when `readsLabel`. Returns whether it pushed one, for `exit`.
    mutating func enter(tag: String, kind: TagKind, attributes: ElementAttributes, readsLabel: Bool) -> Bool {
        var pushedLabel = false
        if readsLabel, let label = attributes.value(of: "data-label") {
            markedLabels.append(label)
            pushedLabel = true
        }
        switch kind {
        case .inline, .skipped: break
        case .link:
            linkDepth += 1
            linkTargets.append(attributes.value(of: "href") ?? "")
        case .lineBreak: flush()
        case .block: enterBlock(tag: tag, attributes: attributes)
        }
        return pushedLabel
    }

    /// Closes an element opened by `enter`.
    mutating func exit(kind: TagKind, pushedLabel: Bool) {
        if pushedLabel { markedLabels.removeLast() }
        switch kind {
        case .link:
            linkDepth -= 1
            linkTargets.removeLast()
        case .block: exitBlock()
        case .inline, .lineBreak, .skipped: break
        }
    }

    /// Opens a non-inline element: ends the current block and reads what blocks below need from its attributes.
    private mutating func enterBlock(tag: String, attributes: ElementAttributes) {
        flush()
        elementCount += 1
        let start = classAndID.count
        attributes.appendClassAndID(to: &classAndID)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in tag.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 0x2E) &* 0x100_0000_01b3
        open.append(OpenBlock(tag: tag, number: elementCount, firstBlock: blocks.count, classAndID: start..<classAndID.count,
                              signature: attributes.hashingClass(into: hash), declaresMain: attributes.declaresMain))
    }

    /// Closes the innermost non-inline element: ends the current block and records the element if it holds any.
    private mutating func exitBlock() {
        flush()
        let level = open.count - 1
        if blocks.count > open[level].firstBlock {
            let own = tokens(at: level)
            elements.append(PageElement(tag: open[level].tag, tokens: own + (level > 0 ? nearTokens(at: level - 1) : []),
                                        ownTokenCount: own.count, blocks: open[level].firstBlock..<blocks.count, depth: level,
                                        declaresMain: open[level].declaresMain))
        }
        classAndID.removeSubrange(open[level].classAndID.lowerBound...)
        open.removeLast()
    }

    /// Appends a tree's text node (a C string).
    mutating func appendText(_ content: UnsafePointer<xmlChar>) {
        appendText(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
    }

    /// Appends text, collapsing white space and no-break spaces to single spaces. A text node may come
    /// in several pieces (SAX hands it over as the parser reads it): the result is the same.
    mutating func appendText(_ content: UnsafeBufferPointer<xmlChar>) {
        let inLink = linkDepth > 0
        var i = 0
        let n = content.count
        while i < n {
            let c = content[i]
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D || c == 0x0C {
                pendingSpace = true
                i += 1
                continue
            }
            if c == 0xC2 && i + 1 < n && content[i + 1] == 0xA0 {
                pendingSpace = true
                i += 2
                continue
            }
            // A tree's text ends at a NUL; SAX counts bytes. libxml2 turns NULs into spaces, but a NUL
            // must never reach a block either way.
            if c == 0 { i += 1; continue }
            if text.isEmpty {
                marked = markedLabels.last
            } else if pendingSpace {
                text.append(0x20)
            }
            pendingSpace = false
            text.append(c)
            // Count characters, not bytes: continuation bytes (10xxxxxx) do not start one.
            if inLink && c & 0xC0 != 0x80 {
                linkChars += 1
                if target == nil { target = linkTargets.last }
            }
            i += 1
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
                            signatures: (max(0, depth - 4)..<depth).reversed().map { open[$0].signature },
                            index: blocks.count, marked: marked, linkTarget: target))
        text.removeAll(keepingCapacity: true)
        linkChars = 0
        marked = nil
        target = nil
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

    /// The `class` and `id` tokens of an open element, read once. Elements with the same values (the
    /// items of a menu, the comments of a thread) get one shared array, which lets the features
    /// recognise a group they have already analysed by its address.
    private mutating func tokens(at level: Int) -> [String] {
        if let cached = open[level].tokens { return cached }
        let values = String(decoding: classAndID[open[level].classAndID], as: UTF8.self)
        let tokens = values.isEmpty ? [] : internedTokens[values] ?? {
            let tokens = values.split(separator: " ").prefix(16).map(String.init)
            internedTokens[values] = tokens
            return tokens
        }()
        open[level].tokens = tokens
        return tokens
    }
}
