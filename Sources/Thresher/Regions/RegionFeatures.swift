import Foundation

/// The feature vectors of a page's candidate regions: size and shape of their text, where they sit,
/// what their markup calls them, and what the block model thinks of their blocks.
public enum RegionFeatures {
    /// Feature names, in vector order.
    public static let names = [
        "log_words", "word_share", "link_share", "log_blocks", "log_mean_block_words", "p_share",
        "sentence_share", "prose_share", "log_depth", "start_position", "share_after", "is_whole_page",
        "tag=article", "tag=main", "tag=section", "tag=table", "declares_main",
        "content_name", "content_name_above", "chrome_name", "chrome_name_above",
        "h1_at_top", "has_h1", "title_at_top", "json_ld_body_coverage", "json_ld_body_share",
        "mean_editorial", "max_editorial", "word_mean_editorial", "editorial_word_share_of_page",
        "log_editorial_words", "log_editorial_words_outside", "word_mean_comment", "log_comment_words",
    ]
    public static var dimension: Int { names.count }

    /// Sub-words of class and id names that mark the content container, and the chrome around it.
    static let contentNames = ["article", "content", "story", "post", "entry", "body", "text", "main", "blog"]
    static let chromeNames = ["comment", "sidebar", "footer", "related", "widget", "promo", "share", "social", "reply",
                              "menu", "nav", "header", "discuss", "respond", "teaser", "recommend"]

    /// Candidates x `dimension` values, row-major. `editorial` and `comment` are the block model's
    /// probabilities of those classes for each block.
    public static func matrix(_ page: SegmentedPage, candidates: [Region], editorial: [Float], comment: [Float]) -> [Double] {
        let n = page.blocks.count
        // Prefix sums make every candidate's figures O(1) after one pass over the blocks.
        let columns = Column.allCases.count
        var sums = [Double](repeating: 0, count: (n + 1) * columns)
        var firstH1 = -1
        let titleBlock = firstBlock(matching: page.metadata.title, in: page)
        let declared = page.metadata.articleBody.map { Set(Tokenizer.hashes($0)) } ?? []
        let declaredTokens = page.metadata.articleBody.map { Double(Tokenizer.hashes($0).count) } ?? 0
        var values = [Double](repeating: 0, count: columns)
        for (i, block) in page.blocks.enumerated() {
            let words = Double(block.words)
            let linkShare = Double(block.linkChars) / Double(max(1, block.chars))
            values[Column.words.rawValue] = words
            values[Column.linkChars.rawValue] = Double(block.linkChars)
            values[Column.chars.rawValue] = Double(block.chars)
            values[Column.paragraphs.rawValue] = block.tag == "p" ? 1 : 0
            values[Column.sentences.rawValue] = endsLikeSentence(block.text) ? 1 : 0
            values[Column.prose.rawValue] = block.words >= 10 && linkShare < 0.5 ? 1 : 0
            values[Column.h1.rawValue] = block.tag == "h1" ? 1 : 0
            values[Column.editorial.rawValue] = Double(editorial[i])
            values[Column.editorialWords.rawValue] = words * Double(editorial[i])
            values[Column.commentWords.rawValue] = words * Double(comment[i])
            if !declared.isEmpty {
                let tokens = Tokenizer.hashes(block.text)
                values[Column.tokens.rawValue] = Double(tokens.count)
                values[Column.declaredTokens.rawValue] = Double(tokens.filter(declared.contains).count)
            }
            for c in 0..<columns { sums[(i + 1) * columns + c] = sums[i * columns + c] + values[c] }
            if firstH1 < 0 && block.tag == "h1" { firstH1 = i }
        }
        func total(_ column: Column, _ range: Range<Int>) -> Double {
            sums[range.upperBound * columns + column.rawValue] - sums[range.lowerBound * columns + column.rawValue]
        }
        let pageWords = max(1, total(.words, 0..<n)), pageEditorialWords = total(.editorialWords, 0..<n)
        // Nested candidates share their ancestors' class names: judge each distinct name once per page.
        var kinds = NameKinds()
        var rows: [Double] = []
        rows.reserveCapacity(candidates.count * dimension)
        for region in candidates {
            let r = region.blocks, blocks = Double(r.count), words = total(.words, r)
            let element = region.element.map { page.elements[$0] }
            let own = element.map { kinds.any($0.tokens.prefix($0.ownTokenCount)) } ?? (content: 0, chrome: 0)
            let above = element.map { kinds.any($0.tokens.dropFirst($0.ownTokenCount)) } ?? (content: 0, chrome: 0)
            var maxEditorial: Float = 0
            for i in r { maxEditorial = max(maxEditorial, editorial[i]) }
            let editorialWords = total(.editorialWords, r)
            let row: [Double] = [
                log1p(words), words / pageWords, total(.linkChars, r) / max(1, total(.chars, r)), log1p(blocks),
                log1p(words / blocks), total(.paragraphs, r) / blocks, total(.sentences, r) / blocks, total(.prose, r) / blocks,
                log1p(Double(element?.depth ?? 0)), Double(r.lowerBound) / Double(n), Double(n - r.upperBound) / Double(n),
                element == nil ? 1 : 0,
                element?.tag == "article" ? 1 : 0, element?.tag == "main" ? 1 : 0, element?.tag == "section" ? 1 : 0,
                ["table", "tbody", "tr", "td"].contains(element?.tag ?? "") ? 1 : 0, element?.declaresMain == true ? 1 : 0,
                own.content, above.content, own.chrome, above.chrome,
                firstH1 >= 0 && firstH1 >= r.lowerBound - 3 && firstH1 < r.lowerBound + 3 ? 1 : 0, total(.h1, r) > 0 ? 1 : 0,
                titleBlock >= 0 && titleBlock >= r.lowerBound - 3 && titleBlock < r.lowerBound + 3 ? 1 : 0,
                declaredTokens > 0 ? min(1, total(.declaredTokens, r) / declaredTokens) : 0,
                total(.declaredTokens, r) / max(1, total(.tokens, r)),
                total(.editorial, r) / blocks, Double(maxEditorial), editorialWords / max(1, words),
                pageEditorialWords > 0 ? editorialWords / pageEditorialWords : 0,
                log1p(editorialWords), log1p(pageEditorialWords - editorialWords),
                total(.commentWords, r) / max(1, words), log1p(total(.commentWords, r)),
            ]
            rows += row
        }
        return rows
    }

    /// The per-block quantities summed over candidates.
    private enum Column: Int, CaseIterable {
        case words, linkChars, chars, paragraphs, sentences, prose, h1, editorial, editorialWords, commentWords
        /// Tokens, and tokens that occur in the JSON-LD article body (counted only when the page has one).
        case tokens, declaredTokens
    }

    /// The first headline-sized block (2 to 30 words) most of whose tokens are in `title`, or -1.
    static func firstBlock(matching title: String?, in page: SegmentedPage) -> Int {
        guard let title else { return -1 }
        let titleTokens = Set(Tokenizer.hashes(title))
        guard !titleTokens.isEmpty else { return -1 }
        for (i, block) in page.blocks.enumerated() where block.words >= 2 && block.words <= 30 {
            let tokens = Tokenizer.hashes(block.text)
            if !tokens.isEmpty && tokens.filter(titleTokens.contains).count * 10 >= tokens.count * 8 { return i }
        }
        return -1
    }

    /// Whether class and id tokens contain a content or a chrome keyword (ASCII case ignored), each
    /// distinct token judged once.
    struct NameKinds {
        private var known: [String: (content: Bool, chrome: Bool)] = [:]
        private static let content = contentNames.map { Array($0.utf8) }, chrome = chromeNames.map { Array($0.utf8) }

        /// 1 when any of `tokens` holds a content keyword, and when any holds a chrome keyword.
        mutating func any<Tokens: Sequence<String>>(_ tokens: Tokens) -> (content: Double, chrome: Double) {
            var content = false, chrome = false
            for token in tokens {
                let kind = self.kind(token)
                content = content || kind.content
                chrome = chrome || kind.chrome
            }
            return (content ? 1 : 0, chrome ? 1 : 0)
        }

        private mutating func kind(_ token: String) -> (content: Bool, chrome: Bool) {
            if let kind = known[token] { return kind }
            let lower = token.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            let kind = (NameKinds.content.contains { NameKinds.holds(lower, $0) }, NameKinds.chrome.contains { NameKinds.holds(lower, $0) })
            known[token] = kind
            return kind
        }

        private static func holds(_ text: [UInt8], _ word: [UInt8]) -> Bool {
            guard word.count <= text.count else { return false }
            return (0...(text.count - word.count)).contains { start in text[start..<(start + word.count)].elementsEqual(word) }
        }
    }

    /// The text ends as a sentence does (`.`, `!`, `?`, a closing quote or bracket).
    static func endsLikeSentence(_ text: String) -> Bool {
        guard let last = text.unicodeScalars.last else { return false }
        return ".!?\"')\u{201D}\u{00BB}".unicodeScalars.contains(last)
    }
}
