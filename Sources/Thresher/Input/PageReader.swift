import Foundation

/// Reads one page source into blocks: bytes, gunzip, charset, segmentation, and gold labels on request.
public struct PageReader: Sendable {
    /// Derive gold labels for every block (sources without gold then fail).
    public var wantsLabels: Bool

    /// Derive gold labels where a source has gold and pass the others through unlabelled (`report`).
    public var labelsWhereGiven: Bool

    /// A reader; with `wantsLabels`, pages without gold fail; with `labelsWhereGiven`, they stay unlabelled.
    public init(wantsLabels: Bool = false, labelsWhereGiven: Bool = false) {
        self.wantsLabels = wantsLabels
        self.labelsWhereGiven = labelsWhereGiven
    }

    /// The page of a source, segmented, with labels when `wantsLabels` is set.
    public func read(_ source: PageSource) throws -> SegmentedPage {
        if case .labelled(let page) = source {
            if wantsLabels && page.labels == nil { throw InputError(page.id, "has no label") }
            return page
        }
        // Scoring and extracting never look at a manifest record's gold: leave it unread (3% of `extract`).
        let readsGold = wantsLabels || labelsWhereGiven
        let page = try PageReader.load(source, withGold: readsGold)
        let blocks: [Block]
        var elements: [PageElement] = []
        var metadata = PageMetadata()
        switch page.format {
        case .html:
            // checkedSegments refuses markup libxml2 would take quadratic time on (robustness fix, issue 5).
            do { (blocks, elements, metadata) = try HTMLSegmenter(readsMarkedLabels: readsGold).checkedSegments(of: page.text) } catch let error as MarkupError {
                throw InputError(source.name, error.reason)
            }
        case .text: blocks = TextSegmenter.blocks(of: page.text)
        }
        var segmented = SegmentedPage(id: page.id, source: page.source, split: source.split, format: page.format, blocks: blocks)
        segmented.archive = page.archive
        segmented.offset = page.offset
        segmented.elements = elements
        segmented.metadata = metadata
        segmented.url = page.url
        segmented.goldText = page.mainText
        guard readsGold else { return segmented }
        var gold = page.gold
        if gold == nil, page.format == .html, blocks.contains(where: { $0.marked != nil }) {
            gold = .perBlock(blocks.map { $0.marked ?? Label.boilerplate.rawValue })
            segmented.source = segmented.source ?? "labelled-html"
        }
        if gold == nil && labelsWhereGiven { return segmented }
        guard let gold else { throw InputError(page.id, "has no labels (need a manifest record with gold, a .labels.tsv, or data-label attributes)") }
        let (labels, coverage) = try Labeller.label(blocks, gold: gold, page: page.id)
        segmented.labels = labels
        segmented.coverage = coverage
        if segmented.goldText == nil { segmented.goldText = segmented.labelledEditorialText }
        return segmented
    }

    /// Loads and decodes a page, without segmenting it; `withGold` false leaves a manifest record's gold
    /// texts unread.
    public static func load(_ source: PageSource, withGold: Bool = true) throws -> Page {
        switch source {
        case .file(let path):
            let bytes = try readBytes(path)
            let lower = path.lowercased()
            let isText = lower.hasSuffix(".txt") || lower.hasSuffix(".txt.gz")
            let isHTML = lower.hasSuffix(".html") || lower.hasSuffix(".htm") || lower.hasSuffix(".html.gz") || lower.hasSuffix(".htm.gz")
            let format: Page.Format = isText ? .text : isHTML ? .html : sniffFormat(bytes)
            return Page(id: path, format: format, text: Charset.decode(bytes, sniffHTML: format == .html))
        case .labelledScrape(let path):
            let text = Charset.decode(try readBytes(path), sniffHTML: false)
            var lines: [String] = []
            var labels: [String] = []
            for (number, row) in text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).enumerated() {
                guard let tab = row.firstIndex(of: "\t") else { throw InputError("\(path):\(number + 1)", "no tab between label and text") }
                let line = TextSegmenter.collapseWhitespace(row[row.index(after: tab)...])
                if line.isEmpty { continue }
                labels.append(String(row[..<tab]).trimmingCharacters(in: .whitespaces))
                lines.append(line)
            }
            if lines.isEmpty { throw InputError(path, "no labelled lines") }
            return Page(id: path, format: .text, text: lines.joined(separator: "\n"), gold: .perBlock(labels), source: "labelled-scrapes")
        case .record(let record):
            let bytes = try readBytes(record.htmlPath, name: record.id)
            let (gold, mainText) = withGold ? try record.loadGoldAndMainText() : (nil, nil)
            var page = Page(id: record.id, format: .html, text: Charset.decode(bytes, sniffHTML: true), gold: gold,
                            source: record.source, mainText: mainText)
            page.url = record.url
            return page
        case .standardInput:
            // Read through the same size cap as files (robustness fix: `readDataToEndOfFile` had no limit).
            let bytes = try unpack(try readCapped(STDIN_FILENO, name: "-"), name: "-")
            let format = sniffFormat(bytes)
            return Page(id: "-", format: format, text: Charset.decode(bytes, sniffHTML: format == .html))
        case .labelled(let page):
            return Page(id: page.id, format: page.format, text: page.blocks.map(\.text).joined(separator: "\n"))
        case .streamed(let streamed):
            let bytes = try unpack(streamed.bytes, name: streamed.name)
            let format = streamed.format ?? sniffFormat(bytes)
            var page = Page(id: streamed.id, format: format, text: Charset.decode(bytes, sniffHTML: format == .html, declared: streamed.charset))
            page.url = streamed.url
            page.archive = streamed.archive
            page.offset = streamed.offset
            return page
        case .failed(let error):
            throw error
        }
    }

    /// The bytes of a page file, gunzipped when they are gzip; empty and binary files are refused.
    static func readBytes(_ path: String, name: String? = nil) throws -> [UInt8] {
        let name = name ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(name, exists ? "cannot be read (permission denied or not a file)" : "file not found: \(path)")
        }
        defer { try? handle.close() }
        return try unpack(try readCapped(handle.fileDescriptor, name: name), name: name)
    }

    /// The largest page read, in bytes, before or after gunzip (128 MiB). Robustness fix: without a cap
    /// a gzip bomb, `/dev/zero` or a huge file was read whole into memory (and parsed at about 20 bytes
    /// of memory per page byte) until the process was killed; now such an input fails on its own.
    public static let maxPageBytes = 128 << 20

    /// Reads a file descriptor to its end, refusing more than `maxPageBytes` (robustness fix, see above).
    static func readCapped(_ fd: Int32, name: String) throws -> [UInt8] {
        var bytes = [UInt8]()
        var info = stat()
        if fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw InputError(name, "is a folder, not a page") }
            if (info.st_mode & S_IFMT) == S_IFREG {
                if Int(info.st_size) > maxPageBytes { throw InputError(name, "page too large (\(Int(info.st_size) >> 20) MiB, the limit is \(maxPageBytes >> 20) MiB)") }
                bytes.reserveCapacity(Int(info.st_size) + 1)
            }
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(name, "read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxPageBytes { throw InputError(name, "page too large (over \(maxPageBytes >> 20) MiB)") }
        }
    }

    /// Reads a stream to its end, refusing more than `maxPageBytes` (standard input holding one page).
    static func readCapped(_ input: ByteInput, name: String) throws -> [UInt8] {
        var bytes = [UInt8]()
        while true {
            let chunk = try input.read()
            if chunk.isEmpty { return bytes }
            bytes += chunk
            if bytes.count > maxPageBytes { throw InputError(name, "page too large (over \(maxPageBytes >> 20) MiB)") }
        }
    }

    static func unpack(_ raw: [UInt8], name: String) throws -> [UInt8] {
        var bytes = raw
        if Gzip.isGzip(bytes) { bytes = try Gzip.decompress(bytes, name: name, limit: maxPageBytes) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { throw InputError(name, "empty file") }
        if let kind = BinarySniffer.kind(of: bytes) { throw InputError(name, "not a web page (\(kind))") }
        return bytes
    }

    /// HTML when the first non-blank character opens a tag, else a text scrape.
    static func sniffFormat(_ bytes: [UInt8]) -> Page.Format {
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { return .html }
        while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
        return i < bytes.count && bytes[i] == UInt8(ascii: "<") ? .html : .text
    }
}
