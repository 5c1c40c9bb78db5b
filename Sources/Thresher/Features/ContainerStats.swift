import Foundation

/// Which DOM container holds the main content, decided for the whole page the way Readability does:
/// every prose-like block gives points to its parent (full), grandparent (half) and great-grandparent
/// (a third). Per-block evidence alone cannot tell an article from long prose around it; the
/// container scores can, and they become features of every block inside.
struct ContainerStats {
    /// What the blocks inside one container add up to.
    private struct Totals {
        var score = 0.0
        var words = 0, chars = 0, linkChars = 0, blocks = 0, proseBlocks = 0

        mutating func add(_ block: UnsafePointer<Block>, prose: Bool, points: Double) {
            words += block.pointee.words
            chars += block.pointee.chars
            linkChars += block.pointee.linkChars
            blocks += 1
            if prose {
                proseBlocks += 1
                score += points
            }
        }
    }

    /// Totals of each container, and where a container number's totals sit (-1: none). Container
    /// numbers count the page's elements, so an array indexed by them replaces a hashed lookup.
    private var totals: [Totals] = []
    private var slot: [Int32] = []
    private(set) var top: Int?
    private(set) var topScore = 0.0
    private(set) var pageWords = 0

    static let names = ["in_top_container", "parent_score_ratio", "grandparent_score_ratio", "parent_word_share",
                        "grandparent_word_share", "parent_link_density", "parent_log_blocks", "parent_prose_share"]

    init(_ pageBlocks: [Block]) {
        var numbers: [Int] = []
        pageBlocks.withUnsafeBufferPointer { blocks in
            var largest = -1
            for i in blocks.indices { largest = max(largest, blocks[i].containers.dropFirst().max() ?? -1) }
            slot = [Int32](repeating: -1, count: largest + 1)
            for i in blocks.indices {
                let block = blocks.baseAddress! + i
                pageWords += block.pointee.words
                let prose = ContainerStats.isProse(block)
                let points = prose ? ContainerStats.points(block) : 0
                for (level, id) in block.pointee.containers.enumerated() where level > 0 && id >= 0 {
                    if slot[id] < 0 {
                        slot[id] = Int32(totals.count)
                        totals.append(Totals())
                        numbers.append(id)
                    }
                    totals[Int(slot[id])].add(block, prose: prose, points: points / Double(level))
                }
            }
        }
        // Ties go to the smallest number (the first container in the page).
        for (t, id) in zip(totals, numbers) where t.score > topScore || (t.score == topScore && t.score > 0 && id < (top ?? Int.max)) {
            top = id
            topScore = t.score
        }
    }

    /// The totals of a container number, if any block lies inside it.
    private func totals(of id: Int) -> Totals? {
        id >= 0 && id < slot.count && slot[id] >= 0 ? totals[Int(slot[id])] : nil
    }

    /// A paragraph of running text: enough words, few of them in links.
    static func isProse(_ block: UnsafePointer<Block>) -> Bool {
        block.pointee.words >= 8 && block.pointee.linkChars * 3 < block.pointee.chars
    }

    /// Readability's paragraph points: one, plus one per comma, plus one per 100 characters (at most 3).
    static func points(_ block: UnsafePointer<Block>) -> Double {
        let commas = block.pointee.text.utf8.reduce(0) { $0 + ($1 == 0x2C ? 1 : 0) }
        return 1 + Double(commas) + min(3, Double(block.pointee.chars) / 100)
    }

    /// Writes the container features of a block (given its `containers`), in the order of `names`.
    func write(_ containers: [Int], to row: UnsafeMutablePointer<Float>, at offset: Int) {
        guard containers.count > 1, let parent = totals(of: containers[1]) else { return }
        let grandparent = containers.count > 2 ? totals(of: containers[2]) : nil
        let pageWords = Float(max(1, self.pageWords))
        let topScore = max(1e-9, self.topScore)
        row[offset] = top.map { containers.contains($0) } == true ? 1 : 0
        row[offset + 1] = Float(parent.score / topScore)
        row[offset + 2] = Float((grandparent?.score ?? 0) / topScore)
        row[offset + 3] = Float(parent.words) / pageWords
        row[offset + 4] = Float(grandparent?.words ?? 0) / pageWords
        row[offset + 5] = Float(parent.linkChars) / Float(max(1, parent.chars))
        row[offset + 6] = LogCount.log1p(parent.blocks)
        row[offset + 7] = Float(parent.proseBlocks) / Float(max(1, parent.blocks))
    }
}
