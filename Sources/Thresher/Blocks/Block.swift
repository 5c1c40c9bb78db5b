/// A run of text that a reader sees as one unit (a paragraph, a heading, a menu item), with the
/// structure around it that the features need.
public struct Block: Sendable, Equatable {
    /// The block's text, white space collapsed to single spaces.
    public var text: String
    /// Tag of the nearest non-inline element holding the text (`line` for a text scrape).
    public var tag: String
    /// Tags of the non-inline elements from the page down to this block (the last eight), joined by `>`.
    public var path: String
    /// Depth of the block's element in the DOM (0 for a text scrape).
    public var depth: Int
    /// `class` and `id` tokens of the block's element.
    public var elementTokens: [String]
    /// `class` and `id` tokens of its three nearest non-inline ancestors.
    public var ancestorTokens: [String]
    /// `class` and `id` tokens of the non-inline ancestors above those, up to `Block.outerLevels`
    /// levels up (at most 32): the widget or section a block sits deep inside (`OUTBRAIN`, `comments`).
    public var outerTokens: [String]
    /// Unicode scalars in `text`.
    public var chars: Int
    /// White-space separated words in `text`.
    public var words: Int
    /// Characters of `text` that sit inside `<a>` elements.
    public var linkChars: Int
    /// Page-unique numbers of the block's element and its three nearest non-inline ancestors (self
    /// first), so blocks can be grouped by the container they share; empty for a text scrape. Numbers
    /// run from 1 to the page's element count (features index arrays by them; negatives are ignored).
    public var containers: [Int]
    /// Hashes of the tag and `class` attribute of the same elements as `containers`: elements built
    /// from one template (the comments of a thread, teaser cards, menu items) share a signature.
    public var signatures: [UInt64]
    /// Position of the block in its page, from 0.
    public var index: Int
    /// The `data-label` of the nearest labelled ancestor, in hand-labelled HTML; nil elsewhere.
    public var marked: String?
    /// The `href` of the link that holds the block's first linked text ("" when it has none); nil when
    /// no text of the block is linked (and for text scrapes). Where a link goes tells a teaser (another
    /// article of the site) from a call to action (an app store, a subscription page).
    public var linkTarget: String?

    /// A block of `text`; characters and words are counted from it.
    public init(text: String, tag: String, path: String = "", depth: Int = 0, elementTokens: [String] = [],
                ancestorTokens: [String] = [], outerTokens: [String] = [], linkChars: Int = 0, containers: [Int] = [], signatures: [UInt64] = [], index: Int, marked: String? = nil,
                linkTarget: String? = nil) {
        self.text = text
        self.tag = tag
        self.path = path
        self.depth = depth
        self.elementTokens = elementTokens
        self.ancestorTokens = ancestorTokens
        self.outerTokens = outerTokens
        (self.chars, self.words) = Block.count(text)
        self.linkChars = linkChars
        self.containers = containers
        self.signatures = signatures
        self.index = index
        self.marked = marked
        self.linkTarget = linkTarget
    }

    /// How far up `outerTokens` reaches (the block's element is level 0), and how many it keeps.
    public static let outerLevels = 16
    static let outerTokenLimit = 32

    /// Characters (the bytes that do not continue a UTF-8 sequence: cheaper than decoding) and words
    /// (runs between single spaces: the text is already collapsed), in one pass.
    static func count(_ text: String) -> (chars: Int, words: Int) {
        var chars = 0, words = 0
        var inWord = false
        for byte in text.utf8 {
            if byte & 0xC0 != 0x80 { chars += 1 }
            if byte == 0x20 { inWord = false } else if !inWord { inWord = true; words += 1 }
        }
        return (chars, words)
    }
}
