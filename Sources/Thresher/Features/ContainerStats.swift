import Foundation

/// Which DOM container holds the main content, decided for the whole page the way Readability does:
/// every prose-like block gives points to its parent (full), grandparent (half) and great-grandparent
/// (a third). Per-block evidence alone cannot tell an article from long prose around it; the
/// container scores can, and they become features of every block inside.
struct ContainerStats {
    private var score: [Int: Double] = [:]
    private var words: [Int: Int] = [:]
    private var chars: [Int: Int] = [:]
    private var linkChars: [Int: Int] = [:]
    private var blocks: [Int: Int] = [:]
    private var proseBlocks: [Int: Int] = [:]
    private(set) var top: Int?
    private(set) var topScore = 0.0
    private(set) var pageWords = 0

    static let names = ["in_top_container", "parent_score_ratio", "grandparent_score_ratio", "parent_word_share",
                        "grandparent_word_share", "parent_link_density", "parent_log_blocks", "parent_prose_share"]

    init(_ pageBlocks: [Block]) {
        for block in pageBlocks {
            pageWords += block.words
            let prose = ContainerStats.isProse(block)
            for (level, id) in block.containers.enumerated() where level > 0 {
                words[id, default: 0] += block.words
                chars[id, default: 0] += block.chars
                linkChars[id, default: 0] += block.linkChars
                blocks[id, default: 0] += 1
                if prose {
                    proseBlocks[id, default: 0] += 1
                    score[id, default: 0] += ContainerStats.points(block) / Double(level)
                }
            }
        }
        // Ties go to the smallest number (the first container in the page), never to hashing order.
        for (id, value) in score where value > topScore || (value == topScore && id < (top ?? Int.max)) {
            top = id
            topScore = value
        }
    }

    /// A paragraph of running text: enough words, few of them in links.
    static func isProse(_ block: Block) -> Bool {
        block.words >= 8 && block.linkChars * 3 < block.chars
    }

    /// Readability's paragraph points: one, plus one per comma, plus one per 100 characters (at most 3).
    static func points(_ block: Block) -> Double {
        let commas = block.text.utf8.reduce(0) { $0 + ($1 == 0x2C ? 1 : 0) }
        return 1 + Double(commas) + min(3, Double(block.chars) / 100)
    }

    /// The container features of one block, in the order of `names`.
    func features(of block: Block) -> [Float] {
        guard block.containers.count > 1 else { return [Float](repeating: 0, count: ContainerStats.names.count) }
        let parent = block.containers[1]
        let grandparent = block.containers.count > 2 ? block.containers[2] : nil
        let inTop = top.map { block.containers.contains($0) } ?? false
        let pageWords = Float(max(1, self.pageWords))
        let topScore = max(1e-9, self.topScore)
        return [
            inTop ? 1 : 0,
            Float((score[parent] ?? 0) / topScore),
            Float((grandparent.flatMap { score[$0] } ?? 0) / topScore),
            Float(words[parent] ?? 0) / pageWords,
            Float(grandparent.flatMap { words[$0] } ?? 0) / pageWords,
            Float(linkChars[parent] ?? 0) / Float(max(1, chars[parent] ?? 0)),
            log1pf(Float(blocks[parent] ?? 0)),
            Float(proseBlocks[parent] ?? 0) / Float(max(1, blocks[parent] ?? 0)),
        ]
    }
}
