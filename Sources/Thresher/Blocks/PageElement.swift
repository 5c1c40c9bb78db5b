/// A non-inline element that holds text: the run of blocks below it and what names it. A page's
/// elements are the candidates for its main region (`RegionCandidates`).
public struct PageElement: Sendable, Equatable {
    /// The element's tag.
    public var tag: String
    /// Its `class` and `id` tokens, then those of its three nearest non-inline ancestors.
    public var tokens: [String]
    /// How many of `tokens` are the element's own.
    public var ownTokenCount: Int
    /// The blocks inside it: elements hold consecutive blocks, since blocks come in document order.
    public var blocks: Range<Int>
    /// Non-inline elements above it.
    public var depth: Int
    /// It says it is the main content: `itemprop="articleBody"` or `role="main"`.
    public var declaresMain: Bool

    /// An element; see the properties.
    public init(tag: String, tokens: [String] = [], ownTokenCount: Int = 0, blocks: Range<Int>, depth: Int = 0, declaresMain: Bool = false) {
        self.tag = tag
        self.tokens = tokens
        self.ownTokenCount = ownTokenCount
        self.blocks = blocks
        self.depth = depth
        self.declaresMain = declaresMain
    }
}
