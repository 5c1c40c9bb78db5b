/// Which candidate region a page's gold main text names: the one whose whole text matches the gold
/// best by the token metric (4-token shingles, lower-cased here), the training target of `RegionModel`.
public enum RegionTarget {
    /// Candidates within this much F1 of the best are as good; the smallest of them is the target, so
    /// the whole page does not win by holding the article as well as everything else.
    static let tie = 0.02

    /// The target's index among `candidates` and its F1, or nil when the gold is empty.
    public static func best(_ page: SegmentedPage, candidates: [Region], gold: String) -> (index: Int, f1: Double)? {
        let goldShingles = shingles(Tokenizer.hashes(gold))
        let goldCount = goldShingles.values.reduce(0, +)
        guard goldCount > 0, !candidates.isEmpty else { return nil }
        let blockTokens = page.blocks.map { Tokenizer.hashes($0.text) }
        var scores: [(f1: Double, words: Int)] = []
        for region in candidates {
            var tokens: [UInt64] = []
            for i in region.blocks { tokens += blockTokens[i] }
            let predicted = shingles(tokens)
            var matched = 0, total = 0
            for (shingle, count) in predicted {
                matched += min(count, goldShingles[shingle] ?? 0)
                total += count
            }
            let precision = total == 0 ? 0 : Double(matched) / Double(total)
            let recall = Double(matched) / Double(goldCount)
            scores.append((precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall), tokens.count))
        }
        let top = scores.map(\.f1).max()!
        let index = scores.indices.filter { scores[$0].f1 >= top - tie }.min { scores[$0].words < scores[$1].words }!
        return (index, scores[index].f1)
    }

    /// Counts of 4-token windows (one window for 1 to 3 tokens), by a hash of the window.
    static func shingles(_ tokens: [UInt64]) -> [UInt64: Int] {
        var counts: [UInt64: Int] = [:]
        guard !tokens.isEmpty else { return counts }
        for i in 0..<max(1, tokens.count - 3) {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for token in tokens[i..<min(tokens.count, i + 4)] { hash = (hash ^ token) &* 0x100_0000_01b3 }
            counts[hash, default: 0] += 1
        }
        return counts
    }
}
