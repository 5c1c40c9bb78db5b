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
    /// How many elements share each tag-and-class signature.
    let templates: TemplateCopies

    init(_ page: SegmentedPage) {
        // Blocks are read through a pointer: copying a Block would retain its strings and arrays.
        (scans, shapes, duplicates, isLaterRepeat, sameTagAsNext, longestChars) = page.blocks.withUnsafeBufferPointer { blocks in
            var scans: [TextScan] = []
            scans.reserveCapacity(blocks.count)
            for i in blocks.indices { scans.append(TextScan(blocks[i].text)) }
            var sample: [UInt64] = []
            for scan in scans where sample.count < 1000 { sample += scan.wordHashes }
            let language = StopWords.language(of: sample)
            var shapes: [Shape] = []
            shapes.reserveCapacity(blocks.count)
            var counts = HashCounter(capacity: blocks.count)
            var repeats = [Bool](repeating: false, count: blocks.count)
            var sameTagAsNext = [Bool](repeating: false, count: blocks.count)
            var longestChars = 1
            for i in blocks.indices {
                shapes.append(Shape(blocks.baseAddress! + i, scan: scans[i], language: language))
                // Texts are compared by a hash of their bytes: String hashing normalises Unicode, which is slow.
                repeats[i] = counts.add(scans[i].textKey) > 0
                sameTagAsNext[i] = i + 1 < blocks.count && blocks[i + 1].tag == blocks[i].tag
                longestChars = max(longestChars, blocks[i].chars)
            }
            return (scans, shapes, scans.map { counts.count($0.textKey) }, repeats, sameTagAsNext, longestChars)
        }
        densestRun = PageContext.densestRun(page.blocks)
        containers = ContainerStats(page.blocks)
        templates = page.blocks.withUnsafeBufferPointer { TemplateCopies($0) }
    }

    /// The run of blocks with the most words outside links, each block paying a fixed cost so that a
    /// run of short menu items does not win (maximum subarray, Kadane).
    static func densestRun(_ blocks: [Block]) -> ClosedRange<Int> {
        guard !blocks.isEmpty else { return 0...0 }
        var best = (score: -Double.infinity, start: 0, end: 0)
        var current = (score: 0.0, start: 0)
        for i in blocks.indices {
            let linkShare = Double(blocks[i].linkChars) / Double(max(1, blocks[i].chars))
            let score = Double(blocks[i].words) * (1 - linkShare) - 8
            if current.score <= 0 { current = (0, i) }
            current.score += score
            if current.score > best.score { best = (current.score, current.start, i) }
        }
        return best.start...best.end
    }
}
