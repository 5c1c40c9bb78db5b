import CLibXML2

/// The tree path of `HTMLSegmenter` (`THRESHER_SEGMENTER=tree`): libxml2 builds the whole document,
/// then one iterative pass over it feeds text and element boundaries to a `BlockBuilder`. Kept beside
/// the SAX path (`SAXWalk`), which must give the same blocks, as the reference it is checked against.
struct DOMWalk {
    let readsMarkedLabels: Bool
    var builder = BlockBuilder()
    var metadata = PageMetadata()
    /// For each open element: its kind and whether it pushed a marked label.
    var open: [(kind: TagKind, pushedLabel: Bool)] = []

    init(readsMarkedLabels: Bool) {
        self.readsMarkedLabels = readsMarkedLabels
    }

    /// Parses a page (UTF-8, not empty) into a tree and walks it; call inside `HTMLSegmenter`'s guards.
    static func segment(_ bytes: UnsafeBufferPointer<UInt8>, readsMarkedLabels: Bool) -> (blocks: [Block], elements: [PageElement], metadata: PageMetadata) {
        let doc = bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            htmlReadMemory($0, Int32(bytes.count), nil, "UTF-8", HTMLSegmenter.parseOptions)
        }
        guard let doc else { return ([], [], PageMetadata()) }
        defer { xmlFreeDoc(doc) }
        var walk = DOMWalk(readsMarkedLabels: readsMarkedLabels)
        walk.run(doc)
        return (walk.builder.blocks, walk.builder.elements, walk.metadata)
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
            let attributes = ElementAttributes(node: node)
            open.append((kind, builder.enter(tag: tag, kind: kind, attributes: attributes, readsLabel: readsMarkedLabels && kind != .skipped)))
            guard kind == .skipped else { return true }
            if tag == "head" || tag == "script" { metadata.read(node, tag: tag) }
            return false
        default:
            return false
        }
    }

    /// Handles the end of the innermost open element.
    mutating func exit() {
        guard let (kind, pushedLabel) = open.popLast() else { return }
        builder.exit(kind: kind, pushedLabel: pushedLabel)
    }
}
