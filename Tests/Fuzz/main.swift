// libFuzzer target over Thresher's bytes-to-blocks path (Scripts/fuzz builds and runs it).
//
// Compiled together with the library's sources into one module, so it reaches the internal steps the
// command line goes through for a page: gunzip and the empty/binary checks (`PageReader.unpack`),
// format sniffing, charset decoding, and the HTML and text segmenters; and WARC framing (plain and gzip
// members, damaged records, HTTP chunked and compressed bodies). Every input also goes straight
// to both segmenters (a library user may hand them any text), and the blocks must keep their
// invariants, and the HTML segmenter's SAX path must give its tree path's blocks; a broken one traps,
// which libFuzzer reports as a crash.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzTarget.run(bytes)
    return 0
}

enum FuzzTarget {
    /// A tiny end-tag budget, so that stopping libxml2 mid-parse (HTMLSegmenter's guard against
    /// quadratic end-tag scans) happens often and runs under the sanitizer.
    static let setUp: Void = { HTMLSegmenter.endTagBudget = (base: 2_000, perByte: 1) }()

    static func run(_ bytes: [UInt8]) {
        _ = setUp
        // The path of a page read from a file or standard input.
        if let unpacked = try? PageReader.unpack(bytes, name: "fuzz") {
            let format = PageReader.sniffFormat(unpacked)
            let text = Charset.decode(unpacked, sniffHTML: format == .html)
            check(format == .html ? HTMLSegmenter().blocks(of: text) : TextSegmenter.blocks(of: text))
        }
        // Both segmenters on the raw bytes, however they decode, and gzip on its own.
        let html = Charset.decode(bytes, sniffHTML: true)
        check(HTMLSegmenter(readsMarkedLabels: true).blocks(of: html))
        if let checked = try? HTMLSegmenter().checkedBlocks(of: html) { check(checked) }
        checkSameAsTree(html)
        check(TextSegmenter.blocks(of: Charset.decode(bytes, sniffHTML: false)))
        if Gzip.isGzip(bytes) { _ = try? Gzip.decompress(bytes, name: "fuzz") }
        // A manifest line made of the same bytes must parse or fail, never trap.
        _ = try? ManifestRecord.parse(Substring(String(decoding: bytes, as: UTF8.self)), base: "/corpus", allowOutside: false)
        // The same bytes as a WARC archive (plain or gzip): framing, HTTP decoding, and every page found.
        readArchive(bytes)
        readArchive(Array("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes)
    }

    /// Every record of the bytes read as an archive; the reader must end, and its pages segment cleanly.
    static func readArchive(_ bytes: [UInt8]) {
        guard let reader = try? WARCReader(bytes: bytes, archive: "fuzz") else { return }
        var records = 0
        while let item = reader.next() {
            records += 1
            precondition(records <= bytes.count + 1, "the WARC reader ends")
            if case .page(let page) = item, let segmented = try? PageReader().read(.streamed(page)) { check(segmented.blocks) }
        }
    }

    /// The SAX path must give what the tree path gives (`SAXWalk` follows the tree libxml2 would
    /// build), also when the end-tag budget stops the parser halfway.
    static func checkSameAsTree(_ html: String) {
        func segments(walksTree: Bool) -> (blocks: [Block], elements: [PageElement], metadata: PageMetadata)? {
            try? HTMLSegmenter(readsMarkedLabels: true, walksTree: walksTree).checkedSegments(of: html)
        }
        let sax = segments(walksTree: false), tree = segments(walksTree: true)
        precondition(sax?.blocks == tree?.blocks && sax?.elements == tree?.elements && sax?.metadata == tree?.metadata,
                     "SAX and tree segments differ")
        precondition(HTMLSegmenter(walksTree: false).blocks(of: html) == HTMLSegmenter(walksTree: true).blocks(of: html),
                     "SAX and tree blocks of a stopped parse differ")
    }

    /// Invariants every block list keeps, whatever the input.
    static func check(_ blocks: [Block]) {
        for (i, block) in blocks.enumerated() {
            precondition(block.index == i, "block indices run from 0 without gaps")
            precondition(!block.text.isEmpty, "no empty blocks")
            let utf8 = Array(block.text.utf8)
            precondition(!utf8.contains(0), "no NUL in block text")
            precondition(utf8.first != 0x20 && utf8.last != 0x20, "block text is trimmed")
            precondition(!zip(utf8, utf8.dropFirst()).contains { $0 == 0x20 && $1 == 0x20 }, "white space is collapsed")
            precondition(block.chars == block.text.unicodeScalars.count, "chars counts scalars")
            precondition(block.words >= 1 && block.words <= block.chars, "words within chars")
            precondition(block.linkChars >= 0 && block.linkChars <= block.chars, "link chars within chars")
            precondition(block.depth >= 0, "depth is not negative")
        }
    }
}
