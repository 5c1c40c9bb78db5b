import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Cuts an HTML page into blocks with libxml2's HTML parser.
///
/// A block is the own text of a non-inline element: every start and end of such an element, and every
/// `<br>`, ends the current block (the segmentation of the corpora's `blocks_gold`). The page goes
/// through libxml2's SAX interface (`SAXWalk`), without building a tree; the tree path it replaced
/// (`DOMWalk`) gives the same blocks and stays for comparison. Neither recurses, so nesting depth is
/// bounded only by memory.
public struct HTMLSegmenter: Sendable {
    /// Also read `data-label` attributes (hand-labelled training pages); off for speed otherwise.
    public var readsMarkedLabels: Bool
    /// Build libxml2's tree and walk it instead of taking SAX events: the old path, slower, kept to
    /// check and time the SAX path against.
    public var walksTree: Bool

    /// Whether segmenters walk the tree unless told: the hidden switch `THRESHER_SEGMENTER=tree`.
    static let walksTreeByDefault: Bool = getenv("THRESHER_SEGMENTER").map { String(cString: $0) == "tree" } ?? false

    /// A segmenter; `readsMarkedLabels` for hand-labelled pages.
    public init(readsMarkedLabels: Bool = false) {
        self.init(readsMarkedLabels: readsMarkedLabels, walksTree: HTMLSegmenter.walksTreeByDefault)
    }

    /// A segmenter that takes SAX events (`walksTree` false) or walks libxml2's tree.
    public init(readsMarkedLabels: Bool = false, walksTree: Bool) {
        self.readsMarkedLabels = readsMarkedLabels
        self.walksTree = walksTree
    }

    /// RECOVER and the quiet flags take any bytes; HUGE keeps content below depth 256; NONET and no
    /// DTD loading keep a page from reaching the network; IGNORE_ENC because the text is already UTF-8.
    static let parseOptions = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
        | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue | HTML_PARSE_IGNORE_ENC.rawValue) | Int32(XML_PARSE_HUGE.rawValue)

    /// The blocks of an HTML page, in document order (of the part parsed, for markup that
    /// `checkedBlocks(of:)` refuses).
    public func blocks(of html: String) -> [Block] {
        parse(html).blocks
    }

    /// The blocks of an HTML page, or an error for markup that libxml2 2.9 would take quadratic time on.
    ///
    /// Robustness fix (issue 5, "never hangs"): libxml2 2.9's HTML parser checks each new attribute of a
    /// tag against all earlier ones, and scans its whole stack of open elements for every end tag that
    /// matches none of them, so a tag with 100,000 attributes, or 100,000 stray end tags inside 100,000
    /// unclosed elements, took minutes to hours. Tags with more than `maxAttributes` attributes are
    /// refused before parsing, and the parse is stopped once mismatched end tags have cost more than a
    /// budget linear in the page's size; both are far beyond any real page.
    public func checkedBlocks(of html: String) throws -> [Block] {
        try checkedSegments(of: html).blocks
    }

    /// The blocks of an HTML page, the elements that hold them and what the page declares about itself,
    /// or an error as `checkedBlocks(of:)`.
    public func checkedSegments(of html: String) throws -> (blocks: [Block], elements: [PageElement], metadata: PageMetadata) {
        let result = parse(html)
        if let problem = result.problem { throw MarkupError(reason: problem) }
        return (result.blocks, result.elements, result.metadata)
    }

    /// At most this many attributes in one tag (each costs a comparison with every earlier one).
    static let maxAttributes = 1000
    /// Stack entries that mismatched end tags may make libxml2 scan: a base plus so many per page byte.
    nonisolated(unsafe) static var endTagBudget = (base: 200_000_000, perByte: 200)

    private func parse(_ html: String) -> (blocks: [Block], elements: [PageElement], metadata: PageMetadata, problem: String?) {
        var html = html
        var problem: String?
        var segments: (blocks: [Block], elements: [PageElement], metadata: PageMetadata) = ([], [], PageMetadata())
        let budget = EndTagBudget()
        html.withUTF8 { bytes in
            guard bytes.count > 0, bytes.count < Int(Int32.max) else { return }
            if HTMLSegmenter.hasTagWithTooManyAttributes(bytes) {
                problem = "a tag has over \(HTMLSegmenter.maxAttributes) attributes (libxml2 would take quadratic time)"
                return
            }
            budget.limit = HTMLSegmenter.endTagBudget.base + HTMLSegmenter.endTagBudget.perByte * bytes.count
            // libxml2's structured error handler is per thread: this parse's errors come here, where each
            // mismatched end tag is charged the stack depth it made libxml2 scan.
            xmlSetStructuredErrorFunc(Unmanaged.passUnretained(budget).toOpaque()) { context, error in
                guard let context, let error, error.pointee.code == XML_ERR_TAG_NAME_MISMATCH.rawValue,
                      let parser = error.pointee.ctxt?.assumingMemoryBound(to: xmlParserCtxt.self) else { return }
                let budget = Unmanaged<EndTagBudget>.fromOpaque(context).takeUnretainedValue()
                budget.spent += Int(parser.pointee.nameNr) + 1
                if budget.spent > budget.limit && !budget.exceeded {
                    budget.exceeded = true
                    xmlStopParser(parser)
                }
            }
            defer { xmlSetStructuredErrorFunc(nil, nil) }
            segments = walksTree ? DOMWalk.segment(bytes, readsMarkedLabels: readsMarkedLabels)
                : SAXWalk.segment(bytes, readsMarkedLabels: readsMarkedLabels)
        }
        if budget.exceeded {
            problem = "too many mismatched end tags inside deeply nested elements (libxml2 would take quadratic time)"
        }
        return (segments.blocks, segments.elements, segments.metadata, problem)
    }

    /// Whether a start tag has more than `maxAttributes` attributes, read as libxml2 2.9's
    /// `htmlParseStartTag` reads them; comments and `script`/`style` content are skipped as it skips them.
    /// One linear pass.
    static func hasTagWithTooManyAttributes(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? b[i] : 0 }
        @inline(__always) func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }
        @inline(__always) func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
        @inline(__always) func isNameStart(_ c: UInt8) -> Bool { isLetter(c) || c == 0x5F || c == 0x3A || c == 0x2E }
        @inline(__always) func isName(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D }
        /// The index of `needle` (ASCII, lower case) at or after `from`, compared case-insensitively; else n.
        func find(_ needle: [UInt8], from: Int) -> Int {
            var i = from
            while i + needle.count <= n {
                // The needles start with `<` or `-`: memchr jumps to the next candidate.
                guard let hit = memchr(b.baseAddress! + i, Int32(needle[0]), n - i) else { return n }
                i = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                guard i + needle.count <= n else { return n }
                var k = 1
                while k < needle.count && (b[i + k] | (isLetter(b[i + k]) ? 0x20 : 0)) == needle[k] { k += 1 }
                if k == needle.count { return i }
                i += 1
            }
            return n
        }
        var i = 0
        while i < n {
            guard b[i] == 0x3C else {  // <
                guard let hit = memchr(b.baseAddress! + i, 0x3C, n - i) else { return false }
                i = b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                continue
            }
            if at(i + 1) == 0x21 && at(i + 2) == 0x2D && at(i + 3) == 0x2D {  // <!-- ... -->
                i = find(Array("-->".utf8), from: i + 4) + 3
                continue
            }
            guard isLetter(at(i + 1)) else { i += 1; continue }
            var j = i + 1
            while j < n && isName(b[j]) { j += 1 }
            let name = j - i - 1 == 5 || j - i - 1 == 6 ? b[(i + 1)..<j].map { $0 | 0x20 } : []
            let rawText: [UInt8]? = name == Array("script".utf8) ? Array("</script".utf8) : name == Array("style".utf8) ? Array("</style".utf8) : nil
            var attributes = 0
            while j < n {
                while j < n && isBlank(b[j]) { j += 1 }
                if j >= n || b[j] == 0x3E || (b[j] == 0x2F && at(j + 1) == 0x3E) { break }  // > or />
                if isNameStart(b[j]) {
                    while j < n && isName(b[j]) { j += 1 }
                    attributes += 1
                    if attributes > maxAttributes { return true }
                    while j < n && isBlank(b[j]) { j += 1 }
                    guard j < n && b[j] == 0x3D else { continue }  // =
                    j += 1
                    while j < n && isBlank(b[j]) { j += 1 }
                    if j < n && (b[j] == 0x22 || b[j] == 0x27) {  // a quoted value runs to its quote
                        let quote = b[j]
                        j += 1
                        while j < n && b[j] != quote { j += 1 }
                        j += 1
                    } else {
                        while j < n && !isBlank(b[j]) && b[j] != 0x3E { j += 1 }
                    }
                } else {
                    // libxml2 drops a bogus attribute up to the next blank or the end of the tag.
                    while j < n && !isBlank(b[j]) && b[j] != 0x3E && !(b[j] == 0x2F && at(j + 1) == 0x3E) { j += 1 }
                }
            }
            i = j
            if let rawText { i = find(rawText, from: i) }
        }
        return false
    }
}

/// Markup that cannot be parsed in reasonable time; the reason is a few words for the user.
public struct MarkupError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}

/// What mismatched end tags have cost one parse, in stack entries scanned.
private final class EndTagBudget {
    var limit = Int.max
    var spent = 0
    var exceeded = false
}
