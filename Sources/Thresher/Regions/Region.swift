/// A candidate for a page's main content: a DOM element's run of blocks, or the whole page.
public struct Region: Sendable, Equatable {
    /// The blocks it holds.
    public var blocks: Range<Int>
    /// Its element in `SegmentedPage.elements`, or nil for the whole page.
    public var element: Int?

    /// A region of `blocks`, held by `element`.
    public init(blocks: Range<Int>, element: Int?) {
        self.blocks = blocks
        self.element = element
    }
}

/// The candidate regions of a page: the elements that hold a real share of its text.
public enum RegionCandidates {
    /// At most this many elements per page (the largest by words), besides the whole page.
    public static let maximum = 40
    /// An element is a candidate when it holds at least this many blocks or words.
    static let minimumBlocks = 2
    static let minimumWords = 25

    /// The candidates of a page, the whole page first; empty for a page without elements (a text scrape)
    /// or without blocks. Elements that hold the same blocks count once, as the innermost of them.
    /// Linear in the page's elements, apart from ordering the survivors by size.
    public static func of(_ page: SegmentedPage) -> [Region] {
        let n = page.blocks.count
        guard n > 0, !page.elements.isEmpty else { return [] }
        var wordsBefore = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { wordsBefore[i + 1] = wordsBefore[i] + page.blocks[i].words }
        var seen = Set<Int>()
        seen.insert(n)  // the whole page, key lower * (n + 1) + upper with lower 0
        var kept: [(region: Region, words: Int)] = []
        // Elements are stored innermost first, so the first element seen for a run of blocks is its innermost.
        for (index, element) in page.elements.enumerated() {
            let range = element.blocks
            let words = wordsBefore[range.upperBound] - wordsBefore[range.lowerBound]
            guard range.count >= minimumBlocks || words >= minimumWords else { continue }
            guard seen.insert(range.lowerBound * (n + 1) + range.upperBound).inserted else { continue }
            kept.append((Region(blocks: range, element: index), words))
        }
        if kept.count > maximum {
            kept.sort { $0.words != $1.words ? $0.words > $1.words : $0.region.blocks.lowerBound < $1.region.blocks.lowerBound }
            kept.removeLast(kept.count - maximum)
            kept.sort { $0.region.blocks.lowerBound != $1.region.blocks.lowerBound ? $0.region.blocks.lowerBound < $1.region.blocks.lowerBound : $0.region.blocks.count > $1.region.blocks.count }
        }
        return [Region(blocks: 0..<n, element: nil)] + kept.map(\.region)
    }
}
