import Foundation

/// Shape statistics of one block's text, computed once and used for the block and its neighbours.
struct Shape {
    var logChars: Float = 0
    var logWords: Float = 0
    var meanWordLength: Float = 0
    var upperShare: Float = 0
    var digitShare: Float = 0
    var punctuationShare: Float = 0
    var logSentences: Float = 0
    var endsLikeSentence: Float = 0
    var stopWordDensity: Float = 0
    var shortWordDensity: Float = 0
    var linkDensity: Float = 0
    var startsUpper: Float = 0
    var titleCaseShare: Float = 0
    var questionOrExclamation: Float = 0
    var startsWithNumber: Float = 0
    var separatorShare: Float = 0
    var hasTime: Float = 0
    var hasDate: Float = 0

    static let names = ["log_chars", "log_words", "mean_word_length", "upper_share", "digit_share", "punctuation_share",
                        "log_sentences", "ends_like_sentence", "stop_word_density", "short_word_density", "link_density",
                        "starts_upper", "title_case_share", "question_or_exclamation", "starts_with_number", "separator_share",
                        "has_time", "has_date"]

    /// Writes the statistics in the order of `names` from `offset`.
    func write(to row: UnsafeMutablePointer<Float>, at offset: Int) {
        row[offset] = logChars
        row[offset + 1] = logWords
        row[offset + 2] = meanWordLength
        row[offset + 3] = upperShare
        row[offset + 4] = digitShare
        row[offset + 5] = punctuationShare
        row[offset + 6] = logSentences
        row[offset + 7] = endsLikeSentence
        row[offset + 8] = stopWordDensity
        row[offset + 9] = shortWordDensity
        row[offset + 10] = linkDensity
        row[offset + 11] = startsUpper
        row[offset + 12] = titleCaseShare
        row[offset + 13] = questionOrExclamation
        row[offset + 14] = startsWithNumber
        row[offset + 15] = separatorShare
        row[offset + 16] = hasTime
        row[offset + 17] = hasDate
    }

    init() {}

    /// Statistics of a block from its scan; `language` is the index of the page's stop-word list, or
    /// nil for the language-free fallback (the share of words of at most three letters).
    init(_ block: UnsafePointer<Block>, scan: TextScan, language: Int?) {
        let chars = Float(max(1, block.pointee.chars))
        logChars = LogCount.log1p(block.pointee.chars)
        logWords = LogCount.log1p(block.pointee.words)
        upperShare = Float(scan.upper) / Float(max(1, scan.letters))
        digitShare = Float(scan.digits) / chars
        punctuationShare = Float(scan.punctuation) / chars
        separatorShare = Float(scan.separators) / chars
        logSentences = LogCount.log1p(scan.sentenceEnds)
        linkDensity = min(1, Float(block.pointee.linkChars) / chars)
        let utf8 = block.pointee.text.utf8
        if let last = utf8.last {
            // . ! ? : " ) and the last byte of ” ’ » (0x9D 0x99 0xBB)
            switch last {
            case 0x2E, 0x21, 0x3F, 0x3A, 0x22, 0x29, 0x9D, 0x99, 0xBB: endsLikeSentence = 1
            default: endsLikeSentence = 0
            }
        }
        questionOrExclamation = scan.questionsOrExclamations > 0 ? 1 : 0
        if scan.digits >= 2 {
            let found = DatePattern.find(in: block.pointee.text)
            hasTime = found.time ? 1 : 0
            hasDate = found.date ? 1 : 0
        }
        if let first = utf8.first {
            startsUpper = first >= 0x41 && first <= 0x5A ? 1 : 0
            startsWithNumber = first >= 0x30 && first <= 0x39 ? 1 : 0
        }
        let n = scan.wordHashes.count
        guard n > 0 else { return }
        meanWordLength = min(20, Float(scan.wordCharacters) / Float(n))
        shortWordDensity = Float(scan.shortWords) / Float(n)
        stopWordDensity = language.map { Float(StopWords.count(scan.wordHashes, language: $0)) / Float(n) } ?? shortWordDensity
        titleCaseShare = Float(scan.titled) / Float(n)
    }
}
