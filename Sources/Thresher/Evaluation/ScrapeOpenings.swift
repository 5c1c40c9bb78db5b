/// How often a text scrape's opening survives: its headline (the first line the gold calls
/// editorial) and its first paragraph (the next editorial line of at least `leadMinimumWords` words).
/// A scrape's headline and lead sit among header chrome (bylines, bare dates, share buttons), where a
/// line-level model loses them first; the line figures hide it, as these are two lines of many.
public struct ScrapeOpenings: Sendable {
    /// Text scrapes with gold that have a headline.
    public private(set) var pages = 0
    /// Of those, pages whose headline was labelled editorial.
    public private(set) var headlinesKept = 0
    /// Text scrapes with gold that have a first paragraph.
    public private(set) var leadPages = 0
    /// Of those, pages whose first paragraph was labelled editorial.
    public private(set) var leadsKept = 0

    /// Words a line needs to count as the first paragraph rather than a caption or a standfirst fragment.
    public static let leadMinimumWords = 10

    /// No pages yet.
    public init() {}

    /// Adds one scored page; pages that are not labelled text scrapes are left out.
    public mutating func add(_ scored: ScoredPage) {
        let page = scored.page
        guard page.format == .text, let gold = page.labels,
              let headline = gold.firstIndex(of: .editorial) else { return }
        pages += 1
        if scored.labels[headline] == .editorial { headlinesKept += 1 }
        guard let lead = gold.indices.first(where: { $0 > headline && gold[$0] == .editorial && page.blocks[$0].words >= Self.leadMinimumWords }) else { return }
        leadPages += 1
        if scored.labels[lead] == .editorial { leadsKept += 1 }
    }
}
