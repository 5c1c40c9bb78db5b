/// Turns a page's gold (gold texts, gold blocks, or one label per block) into one label per block.
public enum Labeller {
    /// Labels for `blocks` from `gold`, and the coverage of the gold main text where it was aligned.
    public static func label(_ blocks: [Block], gold: Gold, page: String) throws -> (labels: [Label], coverage: Coverage?) {
        switch gold {
        case .perBlock(let names):
            guard names.count == blocks.count else {
                throw InputError(page, "\(names.count) labels for \(blocks.count) blocks")
            }
            return (try names.enumerated().map { index, name in
                guard let label = Label.named(name) else { throw InputError(page, "unknown label \"\(name)\" at block \(index)") }
                return label
            }, nil)
        case .text(let main, let comments):
            var goldTokens = Tokenizer.hashes(main)
            var goldLabels = [Label](repeating: .editorial, count: goldTokens.count)
            var labels = try label(blocks, goldTokens: goldTokens, goldLabels: goldLabels, page: page)
            if let comments, !comments.isEmpty {
                // Comments are aligned on their own: their order relative to the article is not given.
                goldTokens = Tokenizer.hashes(comments)
                goldLabels = [Label](repeating: .comment, count: goldTokens.count)
                let commentLabels = try label(blocks, goldTokens: goldTokens, goldLabels: goldLabels, page: page)
                for i in labels.labels.indices where labels.labels[i] == .boilerplate && commentLabels.labels[i] == .comment {
                    labels.labels[i] = .comment
                }
            }
            return labels
        case .blocks(let goldBlocks):
            var goldTokens: [UInt64] = []
            var goldLabels: [Label] = []
            for (text, name) in goldBlocks {
                guard let label = Label.named(name) else { throw InputError(page, "unknown gold label \"\(name)\"") }
                let tokens = Tokenizer.hashes(text)
                goldTokens += tokens
                goldLabels += [Label](repeating: label, count: tokens.count)
            }
            return try label(blocks, goldTokens: goldTokens, goldLabels: goldLabels, page: page)
        }
    }

    /// Aligns the page's tokens to gold tokens that each carry a label; a block takes the label most
    /// of its tokens align to, unaligned tokens voting `boilerplate`.
    static func label(_ blocks: [Block], goldTokens: [UInt64], goldLabels: [Label], page: String) throws
        -> (labels: [Label], coverage: Coverage?) {
        var pageTokens: [UInt64] = []
        var blockOfToken: [Int] = []
        for (b, block) in blocks.enumerated() {
            let tokens = Tokenizer.hashes(block.text)
            pageTokens += tokens
            blockOfToken += [Int](repeating: b, count: tokens.count)
        }
        let match = Aligner.align(pageTokens, goldTokens)
        var votes = [[Int]](repeating: [Int](repeating: 0, count: Label.allCases.count), count: blocks.count)
        let boilerplate = Label.allCases.firstIndex(of: .boilerplate)!
        for (t, g) in match.enumerated() {
            let label = g >= 0 ? Label.allCases.firstIndex(of: goldLabels[g])! : boilerplate
            votes[blockOfToken[t]][label] += 1
        }
        let labels: [Label] = votes.map { v in
            // Ties go to boilerplate: a block is content only when most of it aligns to content.
            var best = boilerplate
            for k in v.indices where v[k] > v[best] { best = k }
            return Label.allCases[best]
        }
        var coverage = Coverage(goldTokens: goldLabels.filter { $0 == .editorial }.count, coveredTokens: 0, alignedTokens: 0)
        for (t, g) in match.enumerated() where g >= 0 && goldLabels[g] == .editorial {
            coverage.alignedTokens += 1
            if labels[blockOfToken[t]] == .editorial { coverage.coveredTokens += 1 }
        }
        return (labels, coverage)
    }
}
