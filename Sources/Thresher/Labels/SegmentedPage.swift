/// A page cut into blocks, with gold labels for each block when its source has them.
public struct SegmentedPage: Sendable {
    public var id: String
    /// The corpus the page came from, when known (used to weight sources equally in training).
    public var source: String?
    /// `train`, `dev` or `test` for corpus pages.
    public var split: String?
    public var format: Page.Format
    public var blocks: [Block]
    /// The elements that hold the blocks, innermost first (HTML pages; empty for text scrapes).
    public var elements: [PageElement] = []
    /// The page's title and JSON-LD article body, where it declares them (HTML pages).
    public var metadata = PageMetadata()
    /// The page's URL, when known.
    public var url: String?
    /// The WARC archive the page was read from, and its record's offset there.
    public var archive: String?
    public var offset: Int?
    /// One gold label per block, or nil for an unlabelled page.
    public var labels: [Label]?
    /// The gold main text, for the token-level metric, when the source gives it.
    public var goldText: String?
    /// How well the gold text was found among the blocks, for pages labelled by alignment.
    public var coverage: Coverage?

    /// A page from its blocks and, when labelled, their labels.
    public init(id: String, source: String? = nil, split: String? = nil, format: Page.Format, blocks: [Block],
                labels: [Label]? = nil, goldText: String? = nil, coverage: Coverage? = nil) {
        self.id = id
        self.source = source
        self.split = split
        self.format = format
        self.blocks = blocks
        self.labels = labels
        self.goldText = goldText
        self.coverage = coverage
    }

    /// `,"url":…,"archive":…,"offset":…` for a page read from a WARC archive (where to find it again),
    /// else nothing: the fields every JSONL record of the page adds after `page`.
    public var originFields: String {
        guard let archive, let offset else { return "" }
        return ",\"url\":" + (url.map(JSON.string) ?? "null") + ",\"archive\":" + JSON.string(archive) + ",\"offset\":\(offset)"
    }

    /// The page's editorial text as the gold labels have it: editorial blocks joined by blank lines.
    public var labelledEditorialText: String {
        guard let labels else { return "" }
        return zip(blocks, labels).filter { $0.1 == .editorial }.map(\.0.text).joined(separator: "\n\n")
    }
}

/// The share of gold main-text tokens that landed in editorial blocks, with the reason when it is low.
public struct Coverage: Sendable {
    public var goldTokens: Int
    public var coveredTokens: Int
    /// Gold tokens matched to some page token, whatever that block's label.
    public var alignedTokens: Int

    /// Covered share; 1 when the gold is empty (nothing to miss).
    public var share: Double { goldTokens == 0 ? 1 : Double(coveredTokens) / Double(goldTokens) }

    /// Why coverage is low, in a few words.
    public var reason: String {
        if goldTokens == 0 { return "gold text is empty" }
        if alignedTokens * 10 < goldTokens * 9 {
            return "\(goldTokens - alignedTokens) of \(goldTokens) gold tokens not found in page order (gold differs from the page text)"
        }
        return "gold tokens are found but spread over blocks that are mostly other text"
    }
}
