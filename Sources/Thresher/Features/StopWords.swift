/// Short stop-word lists for the languages of our corpora, to tell a page's language and to measure
/// how much of a block is running prose.
enum StopWords {
    static let lists: [(language: String, words: Set<String>)] = [
        ("en", ["the", "of", "and", "to", "a", "in", "is", "it", "that", "was", "for", "on", "are", "with", "as", "he", "she",
               "be", "at", "by", "this", "had", "not", "but", "from", "or", "have", "an", "they", "which", "you", "were",
               "his", "her", "their", "has", "been", "would", "will", "there", "we", "can", "all", "its", "who", "more", "said"]),
        ("de", ["der", "die", "und", "in", "den", "von", "zu", "das", "mit", "sich", "des", "auf", "für", "ist", "im", "dem",
               "nicht", "ein", "eine", "als", "auch", "es", "an", "werden", "aus", "er", "hat", "dass", "sie", "nach",
               "wird", "bei", "einer", "um", "am", "sind", "noch", "wie", "einem", "über", "einen", "so", "zum", "war"]),
        ("fr", ["de", "la", "le", "et", "les", "des", "en", "un", "du", "une", "que", "est", "pour", "qui", "dans", "par",
               "plus", "pas", "au", "sur", "ne", "se", "il", "elle", "ce", "sont", "avec", "mais", "nous", "vous", "aux",
               "son", "sa", "ses", "été", "leur", "cette", "ont", "comme", "ou", "lui", "on", "était"]),
        ("es", ["de", "la", "que", "el", "en", "y", "los", "del", "se", "las", "por", "un", "para", "con", "no", "una", "su",
               "al", "es", "lo", "como", "más", "pero", "sus", "le", "ya", "o", "fue", "este", "ha", "sí", "porque",
               "esta", "son", "entre", "cuando", "muy", "sin", "sobre", "también", "me", "hasta", "hay", "donde"]),
        ("it", ["di", "che", "e", "la", "il", "un", "a", "per", "in", "una", "sono", "mi", "non", "del", "della", "le", "si",
               "con", "da", "lo", "gli", "dei", "nel", "alla", "più", "anche", "come", "ma", "al", "delle", "questo"]),
        ("pt", ["de", "a", "o", "que", "e", "do", "da", "em", "um", "para", "é", "com", "não", "uma", "os", "no", "se", "na",
               "por", "mais", "as", "dos", "como", "mas", "foi", "ao", "ele", "das", "tem", "à", "seu", "sua", "ou"]),
        ("nl", ["de", "en", "van", "het", "een", "in", "is", "dat", "op", "te", "zijn", "met", "voor", "niet", "aan", "er",
               "ook", "als", "maar", "om", "door", "over", "ze", "bij", "uit", "nog", "wordt", "naar", "kan", "dan"]),
        ("fi", ["ja", "on", "ei", "se", "että", "oli", "hän", "ovat", "mutta", "kun", "myös", "tai", "jos", "kuin", "niin",
               "ole", "sen", "mitä", "vain", "nyt", "jo", "voi", "tämä", "ne", "joka", "siitä", "sitä", "olla"]),
    ]

    /// For each stop word's `TextScan` hash, a bit per list that has it: one lookup per word.
    static let languageBits: WordTable = {
        var bits: [UInt64: UInt16] = [:]
        for (index, list) in lists.enumerated() {
            for word in list.words { bits[TextScan.hash(word), default: 0] |= 1 << index }
        }
        return WordTable(bits)
    }()

    /// The index of the list whose stop words cover most of the page's words, or nil when none
    /// clearly does (ties go to the earlier list, so hashing order never decides).
    static func language(of words: [UInt64]) -> Int? {
        guard words.count >= 20 else { return nil }
        var hits = [Int](repeating: 0, count: lists.count)
        for word in words {
            var bits = languageBits.value(word)
            while bits != 0 {
                hits[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        var best = 0
        for index in hits.indices where hits[index] > hits[best] { best = index }
        // Prose has stop words in a third or more of its words; a few hits are noise.
        guard hits[best] * 12 >= words.count else { return nil }
        return best
    }

    /// How many of `words` are stop words of list `language`.
    static func count(_ words: [UInt64], language: Int) -> Int {
        var count = 0
        for word in words where languageBits.value(word) & (1 << language) != 0 { count += 1 }
        return count
    }
}
