/// Facts about the whole page that every block's features refer to.
struct PageContext {
    /// Word scans and shapes of every block.
    let scans: [TextScan]
    let shapes: [Shape]
    /// First and last block of the densest run of prose (inclusive).
    let densestRun: ClosedRange<Int>
    /// How often each block's exact text occurs on the page, and whether it occurred before.
    let duplicates: [Int]
    let isLaterRepeat: [Bool]
    let longestChars: Int
    /// Whether the next block has the same tag.
    let sameTagAsNext: [Bool]
    /// Scores of the page's containers (which one holds the main content).
    let containers: ContainerStats

    init(_ page: SegmentedPage) {
        let blocks = page.blocks
        scans = blocks.map { TextScan($0.text) }
        var sample: [UInt64] = []
        for scan in scans where sample.count < 1000 { sample += scan.wordHashes }
        let language = StopWords.language(of: sample)
        var shapes: [Shape] = []
        shapes.reserveCapacity(blocks.count)
        for i in blocks.indices { shapes.append(Shape(blocks[i], scan: scans[i], language: language)) }
        self.shapes = shapes
        densestRun = PageContext.densestRun(blocks)
        // Texts are compared by a hash of their bytes: String hashing normalises Unicode, which is slow.
        let hashes = blocks.map { TextScan.hash($0.text) }
        var counts: [UInt64: Int] = [:]
        var repeats = [Bool](repeating: false, count: blocks.count)
        for (i, hash) in hashes.enumerated() {
            repeats[i] = counts[hash] != nil
            counts[hash, default: 0] += 1
        }
        duplicates = hashes.map { counts[$0]! }
        isLaterRepeat = repeats
        longestChars = blocks.map(\.chars).max() ?? 1
        sameTagAsNext = blocks.indices.map { $0 + 1 < blocks.count && blocks[$0 + 1].tag == blocks[$0].tag }
        containers = ContainerStats(blocks)
    }

    /// The run of blocks with the most words outside links, each block paying a fixed cost so that a
    /// run of short menu items does not win (maximum subarray, Kadane).
    static func densestRun(_ blocks: [Block]) -> ClosedRange<Int> {
        guard !blocks.isEmpty else { return 0...0 }
        var best = (score: -Double.infinity, start: 0, end: 0)
        var current = (score: 0.0, start: 0)
        for (i, block) in blocks.enumerated() {
            let linkShare = Double(block.linkChars) / Double(max(1, block.chars))
            let score = Double(block.words) * (1 - linkShare) - 8
            if current.score <= 0 { current = (0, i) }
            current.score += score
            if current.score > best.score { best = (current.score, current.start, i) }
        }
        return best.start...best.end
    }
}
