/// The text scrape a scraper would have made of a labelled HTML page: its blocks' texts, one line
/// each, in page order, no markup, each line keeping its block's gold label. Thousands of real pages
/// so become training scrapes for the text path, which otherwise learns from a few hand-written ones.
public enum DerivedScrape {
    /// The source every derived scrape counts under, so that `--source-weight equal` weighs all of
    /// them together as one source, beside the hand-written scrapes.
    public static let source = "derived-scrapes"

    /// The scrape of `page` (id `ID#text`), or nil when the page is not a labelled HTML page.
    public static func of(_ page: SegmentedPage) -> SegmentedPage? {
        guard page.format == .html, let labels = page.labels, labels.count == page.blocks.count else { return nil }
        var lines: [Block] = [], lineLabels: [Label] = []
        for (block, label) in zip(page.blocks, labels) {
            let text = TextSegmenter.collapseWhitespace(Substring(block.text))
            guard !text.isEmpty else { continue }
            lines.append(Block(text: text, tag: "line", index: lines.count))
            lineLabels.append(label)
        }
        guard !lines.isEmpty else { return nil }
        var scrape = SegmentedPage(id: page.id + "#text", source: source, split: page.split, format: .text, blocks: lines, labels: lineLabels)
        scrape.url = page.url
        scrape.goldText = page.goldText
        return scrape
    }
}
