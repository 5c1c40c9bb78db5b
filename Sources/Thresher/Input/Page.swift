/// One input page: its id, what kind of document it is, its text as valid UTF-8, and any gold labels.
public struct Page: Sendable {
    /// How the page's text is cut into blocks.
    public enum Format: String, Sendable, Codable {
        /// An HTML document, segmented through libxml2.
        case html
        /// A plain-text scrape: one block per non-empty line.
        case text
    }

    /// The manifest record's `id`, else the file path.
    public var id: String
    public var format: Format
    /// The page decoded to UTF-8 (NUL bytes removed).
    public var text: String
    /// Where the page's labels come from, if it has any.
    public var gold: Gold?
    /// The corpus the page came from (`zyte`, `cleaneval`, ...), or nil for a plain file.
    public var source: String?
    /// The gold main text, where the source gives one (a manifest record's `main_text`): what the
    /// token metric compares the extraction with, whichever form the block labels come from.
    public var mainText: String?
    /// The page's URL, when known.
    public var url: String?
    /// The WARC archive the page was read from, and its record's offset there.
    public var archive: String?
    public var offset: Int?

    /// A page from its decoded text.
    public init(id: String, format: Format, text: String, gold: Gold? = nil, source: String? = nil, mainText: String? = nil) {
        self.id = id
        self.format = format
        self.text = text
        self.gold = gold
        self.source = source
        if case .text(let main, _)? = gold { self.mainText = main } else { self.mainText = mainText }
    }
}

/// Gold labels of a page, in one of the forms the corpora and our own training data give them.
public enum Gold: Sendable {
    /// Page-level gold text: the main content and, where the source marks them, the comments.
    case text(main: String, comments: String?)
    /// Labelled text blocks in document order (`blocks_gold` of a manifest record).
    case blocks([(text: String, label: String)])
    /// One label per block, in block order (a `.labels.tsv` scrape or `data-label` attributes).
    case perBlock([String])
}
