/// What a `class` or `id` token says: the keywords it contains and the hashes of its sub-words.
/// Tokens repeat a lot within a page, so each is analysed once per page.
struct ClassTokens {
    /// Keyword indices of a token, and the FNV hashes of its sub-words.
    typealias Analysis = (keywords: [Int], hashes: [UInt64])

    private var cache: [String: Analysis] = [:]

    /// The analysis of a token (`articleBody__lead-2` -> sub-words `article`, `body`, `lead`).
    mutating func analyse(_ token: String) -> Analysis {
        if let known = cache[token] { return known }
        var keywords: [Int] = []
        var hashes: [UInt64] = []
        for part in ClassTokens.subwords(of: token) {
            for k in ClassTokens.keywords(of: part) where !keywords.contains(k) { keywords.append(k) }
            hashes.append(FeatureHash.hash(Substring(decoding: part, as: UTF8.self), namespace: 0))
        }
        let analysis = (keywords.sorted(), hashes)
        cache[token] = analysis
        return analysis
    }

    static let keywordIndex = Dictionary(uniqueKeysWithValues: FeatureSet.keywords.enumerated().map { (Array($1.utf8), $0) })
    static let prefixKeywords = FeatureSet.keywords.enumerated().filter { $0.element.utf8.count >= 5 }.map { ($0.offset, Array($0.element.utf8)) }

    /// The keywords a sub-word names: exactly, in the plural, or (for keywords of five letters or
    /// more) as a prefix, so `recommended` has `recommend` but `header` does not have `ad`.
    static func keywords(of part: [UInt8]) -> [Int] {
        var found: [Int] = []
        if let k = keywordIndex[part] { found.append(k) }
        if part.last == UInt8(ascii: "s"), let k = keywordIndex[Array(part.dropLast())] { found.append(k) }
        for (k, keyword) in prefixKeywords where part.count > keyword.count && part.starts(with: keyword) {
            found.append(k)
        }
        return found
    }

    /// Lower-case sub-words as UTF-8 bytes, split at anything but letters and at lower-to-upper case
    /// changes; digits and punctuation dropped. Non-ASCII bytes count as letters.
    static func subwords(of token: String) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        var previousLower = false
        for byte in token.utf8 {
            let isUpper = byte >= 0x41 && byte <= 0x5A
            let isLower = (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
            if isUpper || isLower {
                if isUpper && previousLower && !current.isEmpty {
                    parts.append(current)
                    current.removeAll()
                }
                current.append(isUpper ? byte | 0x20 : byte)
                previousLower = isLower
            } else {
                if !current.isEmpty { parts.append(current) }
                current.removeAll()
                previousLower = false
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }
}
