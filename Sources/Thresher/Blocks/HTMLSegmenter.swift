import CLibXML2

/// Cuts an HTML page into blocks with libxml2's HTML parser.
///
/// A block is the own text of a non-inline element: every start and end of such an element, and every
/// `<br>`, ends the current block (the segmentation of the corpora's `blocks_gold`). The DOM is walked
/// iteratively, so nesting depth is bounded only by memory.
public struct HTMLSegmenter: Sendable {
    /// Also read `data-label` attributes (hand-labelled training pages); off for speed otherwise.
    public var readsMarkedLabels: Bool

    public init(readsMarkedLabels: Bool = false) {
        self.readsMarkedLabels = readsMarkedLabels
    }

    /// RECOVER and the quiet flags take any bytes; HUGE keeps content below depth 256; NONET and no
    /// DTD loading keep a page from reaching the network; IGNORE_ENC because the text is already UTF-8.
    static let parseOptions = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue) | Int32(XML_PARSE_HUGE.rawValue)

    /// The blocks of an HTML page, in document order.
    public func blocks(of html: String) -> [Block] {
        var html = html
        let doc: htmlDocPtr? = html.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0, bytes.count < Int(Int32.max) else { return nil }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                htmlReadMemory($0, Int32(bytes.count), nil, "UTF-8", HTMLSegmenter.parseOptions)
            }
        }
        guard let doc else { return [] }
        defer { xmlFreeDoc(doc) }
        var walk = DOMWalk(readsMarkedLabels: readsMarkedLabels)
        walk.run(doc)
        return walk.builder.blocks
    }
}

/// One pass over a parsed document, feeding text and element boundaries to a `BlockBuilder`.
private struct DOMWalk {
    let readsMarkedLabels: Bool
    var builder = BlockBuilder()
    /// For each open element: its kind and whether it pushed a marked label.
    var open: [(kind: TagKind, pushedLabel: Bool)] = []

    init(readsMarkedLabels: Bool) {
        self.readsMarkedLabels = readsMarkedLabels
    }

    mutating func run(_ doc: htmlDocPtr) {
        let docNode = UnsafeMutableRawPointer(doc)
        var current = doc.pointee.children
        while let node = current {
            if enter(node), let child = node.pointee.children {
                current = child
                continue
            }
            if node.pointee.type == XML_ELEMENT_NODE { exit() }
            var climbing = node
            current = nil
            while true {
                if let next = climbing.pointee.next { current = next; break }
                guard let parent = climbing.pointee.parent, UnsafeMutableRawPointer(parent) != docNode else { break }
                climbing = parent
                exit()
            }
        }
        builder.flush()
    }

    /// Handles the start of a node; returns whether to descend into its children.
    mutating func enter(_ node: xmlNodePtr) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { builder.appendText(content) }
            return false
        case XML_ELEMENT_NODE:
            let tag = String(cString: node.pointee.name)
            let kind = TagKind.of(tag)
            var pushedLabel = false
            if readsMarkedLabels && kind != .skipped, let label = attribute("data-label", of: node) {
                builder.markedLabels.append(label)
                pushedLabel = true
            }
            open.append((kind, pushedLabel))
            switch kind {
            case .inline: break
            case .link: builder.linkDepth += 1
            case .lineBreak: builder.flush()
            case .skipped: return false
            case .block: builder.enterBlock(node, tag: tag)
            }
            return true
        default:
            return false
        }
    }

    /// Handles the end of the innermost open element.
    mutating func exit() {
        guard let (kind, pushedLabel) = open.popLast() else { return }
        if pushedLabel { builder.markedLabels.removeLast() }
        switch kind {
        case .link: builder.linkDepth -= 1
        case .block: builder.exitBlock()
        case .inline, .lineBreak, .skipped: break
        }
    }
}

/// The value of an attribute, read without libxml2 allocating.
func attribute(_ name: String, of node: xmlNodePtr) -> String? {
    var attr = node.pointee.properties
    while let a = attr {
        if String(cString: a.pointee.name) == name {
            guard let text = a.pointee.children, let content = text.pointee.content else { return "" }
            return String(cString: content)
        }
        attr = a.pointee.next
    }
    return nil
}
