import Foundation

/// How many elements of a page share each template signature (tag and `class`): the comments of a
/// thread, teaser cards and menu items are many copies of one template, an article body is one.
struct TemplateCopies {
    private var copies: HashCounter

    static let names = ["element_template_copies", "parent_template_copies", "grandparent_template_copies"]

    init(_ blocks: UnsafeBufferPointer<Block>) {
        var largest = -1
        for i in blocks.indices { largest = max(largest, blocks[i].containers.max() ?? -1) }
        // Each element is counted once, however many blocks it holds.
        var seen = [Bool](repeating: false, count: largest + 1)
        copies = HashCounter(capacity: blocks.count * 4)
        for i in blocks.indices {
            for (number, signature) in zip(blocks[i].containers, blocks[i].signatures) where number >= 0 && !seen[number] {
                seen[number] = true
                copies.add(signature)
            }
        }
    }

    /// Elements of the page with this signature.
    func count(_ signature: UInt64) -> Int { copies.count(signature) }

    /// Writes log(1 + copies) for the block's element, parent and grandparent, in the order of `names`.
    func write(_ signatures: [UInt64], to row: UnsafeMutablePointer<Float>, at offset: Int) {
        for level in 0..<min(3, signatures.count) {
            row[offset + level] = LogCount.log1p(count(signatures[level]))
        }
    }
}
