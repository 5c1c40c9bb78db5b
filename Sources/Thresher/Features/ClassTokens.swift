/// What a `class` or `id` token says: the keywords it contains and the hashes of its sub-words.
/// Tokens repeat a lot within a page, so each is analysed once per page.
struct ClassTokens {
    private var cache: [String: (keywords: [Int], subwords: [Substring])] = [:]

    /// Keyword indices and sub-words of a token (`articleBody__lead-2` -> `article`, `body`, `lead`).
    mutating func analyse(_ token: String) -> (keywords: [Int], subwords: [Substring]) {
        if let known = cache[token] { return known }
        let parts = ClassTokens.subwords(of: token)
        var keywords: [Int] = []
        for (k, keyword) in FeatureSet.keywords.enumerated() where parts.contains(where: { ClassTokens.matches($0, keyword) }) {
            keywords.append(k)
        }
        cache[token] = (keywords, parts)
        return (keywords, parts)
    }

    /// A sub-word names a keyword exactly, in the plural, or (for keywords of five letters or more)
    /// as a prefix, so `recommended` has `recommend` but `header` does not have `ad`.
    static func matches(_ part: Substring, _ keyword: String) -> Bool {
        part == keyword || (part.count == keyword.count + 1 && part.hasPrefix(keyword) && part.hasSuffix("s"))
            || (keyword.count >= 5 && part.hasPrefix(keyword))
    }

    /// Lower-case sub-words, split at non-letters and at lower-to-upper case changes; digits dropped.
    static func subwords(of token: String) -> [Substring] {
        var parts: [Substring] = []
        var current = ""
        var previousLower = false
        for character in token {
            if character.isLetter {
                if character.isUppercase && previousLower && !current.isEmpty {
                    parts.append(Substring(current))
                    current = ""
                }
                current.append(contentsOf: character.lowercased())
                previousLower = character.isLowercase
            } else {
                if !current.isEmpty { parts.append(Substring(current)) }
                current = ""
                previousLower = false
            }
        }
        if !current.isEmpty { parts.append(Substring(current)) }
        return parts
    }
}
