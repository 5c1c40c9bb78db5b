import CLibXML2

/// The default path of `HTMLSegmenter`: libxml2's HTML parser with SAX callbacks and no tree. Start
/// tags, end tags and text feed a `BlockBuilder` as they are parsed, so no node is allocated, linked,
/// walked and freed; the blocks, elements and metadata are those of the tree path (`DOMWalk`), as
/// `SAXWalkTests` (every corpus page with `THRESHER_SAX_CHECK=all`) and the fuzz target check.
///
/// Giving the tree's blocks means following where libxml2's tree builder (SAX2.c) would have put each
/// node, which is not always where the events nest:
/// - a start tag cut off by the end of the page (or a discarded `<html>`/`<head>`/`<body>` so cut) pops
///   the parser's element without an end event; `reconcile` pops ours to the parser's depth before every event;
/// - a prefixed tag name (`st1:place`) loses its prefix in the tree;
/// - text with no element open is dropped (the tree has no parent for it);
/// - an element that starts when nothing is open (markup after `</html>`) becomes a child of the
///   document's first node when that is an element, so the first element stays open until the end
///   (`rootLingers`), unless a doctype or comment came first, which makes it a sibling instead;
/// - a skipped `head` yields its `title` and JSON-LD scripts, read from their direct children's
///   text, comments and processing instructions, as `PageMetadata.read` reads the tree.
final class SAXWalk {
    private let readsMarkedLabels: Bool
    private let parser: htmlParserCtxtPtr
    private(set) var builder = BlockBuilder()
    private(set) var metadata = PageMetadata()

    /// The elements open in the tree sense, outermost first: the parser's open elements, below the
    /// lingering first element when there is one.
    private var open: [(kind: TagKind, pushedLabel: Bool)] = []
    /// `open[0]` is the document's first element, closed by the parser but still the parent of
    /// elements that start with nothing open.
    private var rootLingers = false
    /// What the tree's document node has as its first child, which decides where such elements go.
    private var firstChild = FirstChild.none
    private var hasDoctype = false
    private enum FirstChild { case none, element, other }

    /// The level in `open` of the outermost skipped element, while inside one.
    private var skippedLevel: Int?
    private var skippedIsHead = false
    /// The `title` or JSON-LD `script` whose direct text is being read, and the bytes so far.
    private var reading: (level: Int, isTitle: Bool)?
    private var readBytes: [UInt8] = []

    private init(parser: htmlParserCtxtPtr, readsMarkedLabels: Bool) {
        self.parser = parser
        self.readsMarkedLabels = readsMarkedLabels
    }

    /// Parses a page (UTF-8, not empty) with SAX callbacks; call inside `HTMLSegmenter`'s guards.
    /// The context is set up as `htmlReadMemory` sets up its own, so the parser sees the same bytes
    /// and options and sends the same events; only the handler differs.
    static func segment(_ bytes: UnsafeBufferPointer<UInt8>, readsMarkedLabels: Bool) -> (blocks: [Block], elements: [PageElement], metadata: PageMetadata) {
        xmlInitParser()
        let context = bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            xmlCreateMemoryParserCtxt($0, Int32(bytes.count))
        }
        guard let context, let sax = context.pointee.sax else { return ([], [], PageMetadata()) }
        defer { xmlFreeParserCtxt(context) }
        sax.pointee = handler()
        htmlCtxtUseOptions(context, HTMLSegmenter.parseOptions)
        context.pointee.html = 1
        if let utf8 = xmlFindCharEncodingHandler("UTF-8") {
            xmlSwitchToEncoding(context, utf8)
            // htmlDoRead also records the name (freed with the context); IGNORE_ENC keeps the parser from reading it.
            if let input = context.pointee.input, input.pointee.encoding == nil { input.pointee.encoding = UnsafePointer(xmlStrdup("UTF-8")) }
        }
        let walk = SAXWalk(parser: context, readsMarkedLabels: readsMarkedLabels)
        context.pointee._private = Unmanaged.passUnretained(walk).toOpaque()
        withExtendedLifetime(walk) { _ = htmlParseDocument(context) }
        walk.finish()
        return (walk.builder.blocks, walk.builder.elements, walk.metadata)
    }

    /// The callbacks: each finds its walk through the parser context (`userData` is the context).
    private static func handler() -> htmlSAXHandler {
        var handler = htmlSAXHandler()
        handler.startElement = { context, name, attributes in SAXWalk.walk(context).start(name, ElementAttributes(array: attributes)) }
        handler.endElement = { context, _ in SAXWalk.walk(context).end() }
        handler.characters = { context, text, count in SAXWalk.walk(context).text(text, Int(count)) }
        // script and style content: skipped, but a JSON-LD script's is read.
        handler.cdataBlock = { context, text, count in SAXWalk.walk(context).text(text, Int(count)) }
        handler.comment = { context, value in SAXWalk.walk(context).other(value) }
        handler.processingInstruction = { context, _, data in SAXWalk.walk(context).other(data) }
        handler.internalSubset = { context, _, _, _ in SAXWalk.walk(context).doctype() }
        // Not the SAX2 magic number: errors go to the thread's structured handler, the end-tag budget.
        handler.initialized = 1
        return handler
    }

    private static func walk(_ context: UnsafeMutableRawPointer?) -> SAXWalk {
        let parser = context!.assumingMemoryBound(to: xmlParserCtxt.self)
        return Unmanaged<SAXWalk>.fromOpaque(parser.pointee._private).takeUnretainedValue()
    }

    /// Elements open in the parser (and in the tree builder's node stack).
    private var parserOpen: Int { open.count - (rootLingers ? 1 : 0) }

    /// Pops elements the parser closed without an end event, down to `depth` open elements.
    private func reconcile(_ depth: Int) {
        while parserOpen > depth { pop() }
    }

    private func start(_ name: UnsafePointer<xmlChar>?, _ attributes: ElementAttributes) {
        // The parser has pushed this element's name before the callback.
        reconcile(Int(parser.pointee.nameNr) - 1)
        guard let name = name.map(SAXWalk.localName) else { return }
        if parserOpen == 0 && firstChild == .none { firstChild = .element }
        let level = open.count
        if let skippedLevel {
            if skippedIsHead && level == skippedLevel + 1 && reading == nil {
                if xmlStrEqual(name, "title") != 0 && metadata.title == nil { startReading(level, isTitle: true) }
                if xmlStrEqual(name, "script") != 0 && PageMetadata.isJSONLD(type: attributes.value(of: "type")) { startReading(level, isTitle: false) }
            }
            open.append((.skipped, false))
            return
        }
        let tag = String(cString: name)
        let kind = TagKind.of(tag)
        open.append((kind, builder.enter(tag: tag, kind: kind, attributes: attributes, readsLabel: readsMarkedLabels && kind != .skipped)))
        if kind == .skipped {
            skippedLevel = level
            skippedIsHead = tag == "head"
            if tag == "script" && PageMetadata.isJSONLD(type: attributes.value(of: "type")) { startReading(level, isTitle: false) }
        }
    }

    /// The name the tree builder gives an element: what follows the first `:` of a prefixed name, as
    /// libxml2's `xmlSplitQName` splits it even for HTML (`fb:like` is a `like`), but not a name that
    /// starts or ends with the colon.
    static func localName(_ name: UnsafePointer<xmlChar>) -> UnsafePointer<xmlChar> {
        guard name[0] != 0x3A, let colon = xmlStrchr(name, 0x3A), colon[1] != 0 else { return name }
        return colon + 1
    }

    private func end() {
        // The parser pops the name after the callback.
        reconcile(Int(parser.pointee.nameNr))
        pop()
    }

    /// Text, or script and style content.
    private func text(_ text: UnsafePointer<xmlChar>?, _ count: Int) {
        reconcile(Int(parser.pointee.nameNr))
        guard let text, parserOpen > 0 else { return }
        if let reading {
            if reading.level == open.count - 1 { read(UnsafeBufferPointer(start: text, count: count)) }
        } else if skippedLevel == nil {
            builder.appendText(UnsafeBufferPointer(start: text, count: count))
        }
    }

    /// A comment or processing instruction: a node of its own in the tree, read only as a direct child
    /// of a title or script (its content is part of `PageMetadata.text(of:)`).
    private func other(_ content: UnsafePointer<xmlChar>?) {
        reconcile(Int(parser.pointee.nameNr))
        if parserOpen == 0 {
            if firstChild == .none { firstChild = .other }
            return
        }
        if let reading, reading.level == open.count - 1, let content {
            read(UnsafeBufferPointer(start: content, count: Int(xmlStrlen(content))))
        }
    }

    /// A doctype, even a misplaced one: the first becomes the tree's first child, so elements after
    /// the first element's end become siblings of it, not children.
    private func doctype() {
        reconcile(Int(parser.pointee.nameNr))
        guard !hasDoctype else { return }
        hasDoctype = true
        firstChild = .other
        if rootLingers && open.count == 1 { exitTop() }
    }

    /// The parser's innermost element ends: it closes, unless it is the document's first element,
    /// which stays open for elements that may still start with nothing open.
    private func pop() {
        guard parserOpen > 0 else { return }
        if open.count == 1 && firstChild == .element && !rootLingers {
            rootLingers = true
            return
        }
        exitTop()
        if rootLingers && open.count == 1 && firstChild != .element { exitTop() }
    }

    /// Closes the innermost element of `open`.
    private func exitTop() {
        let level = open.count - 1
        let (kind, pushedLabel) = open.removeLast()
        if level == 0 { rootLingers = false }
        if let reading, reading.level == level { finishReading() }
        if skippedLevel == level { skippedLevel = nil }
        builder.exit(kind: kind, pushedLabel: pushedLabel)
    }

    /// The end of the page, or of the part parsed before the end-tag budget stopped the parser:
    /// whatever is still open closes, as the tree walk closes it.
    private func finish() {
        while !open.isEmpty { exitTop() }
        builder.flush()
    }

    private func startReading(_ level: Int, isTitle: Bool) {
        reading = (level, isTitle)
        readBytes.removeAll(keepingCapacity: true)
    }

    private func read(_ bytes: UnsafeBufferPointer<xmlChar>) {
        guard let reading else { return }
        let limit = reading.isTitle ? PageMetadata.titleLimit : PageMetadata.scriptLimit
        readBytes += bytes.prefix(max(0, limit - readBytes.count))
    }

    private func finishReading() {
        guard let reading else { return }
        if reading.isTitle {
            if metadata.title == nil { metadata.title = PageMetadata.collapsed(readBytes) }
        } else {
            metadata.readJSONLD(readBytes)
        }
        self.reading = nil
    }
}
