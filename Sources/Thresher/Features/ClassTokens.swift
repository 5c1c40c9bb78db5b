/// What a `class` or `id` token says: the keywords it contains and the hashes of its sub-words
/// (`articleBody__lead-2` -> sub-words `article`, `body`, `lead`).
///
/// Every block has several tokens, so this is one allocation-free pass over the token's bytes:
/// sub-words are FNV-hashed as they are read and keywords are found by hash, not by building strings.
enum ClassTokens {
    /// Keyword index + 1 by the FNV hash of the keyword (0: not a keyword).
    static let keywordTable = WordTable(Dictionary(uniqueKeysWithValues: FeatureSet.keywords.enumerated().map {
        (TextScan.hash($1), UInt16($0 + 1))
    }))
    /// The same for keywords of five letters or more, which also count as a prefix of a longer sub-word.
    static let prefixTable = WordTable(Dictionary(uniqueKeysWithValues: FeatureSet.keywords.enumerated().filter { $1.utf8.count >= 5 }.map {
        (TextScan.hash($1), UInt16($0 + 1))
    }))

    /// Calls `keyword` with the index of every keyword the token names (a sub-word equal to one, its
    /// plural, or for keywords of five letters or more a longer word starting with it, so `recommended`
    /// has `recommend` but `header` does not have `ad`; a keyword may come more than once), and
    /// `subword` with the hash of every sub-word.
    ///
    /// Sub-words are lower-cased and split at anything but letters and at lower-to-upper case changes;
    /// digits and punctuation are dropped; non-ASCII bytes count as letters.
    @inline(__always)
    static func analyse(_ token: String, keyword: (Int) -> Void, subword: (UInt64) -> Void) {
        var hash = TextScan.seed
        var beforeLast = TextScan.seed
        var length = 0
        var lastByte: UInt8 = 0
        var previousLower = false

        func endSubword() {
            guard length > 0 else { return }
            let exact = Int(keywordTable.value(hash))
            if exact > 0 { keyword(exact - 1) }
            if lastByte == UInt8(ascii: "s") {
                let singular = Int(keywordTable.value(beforeLast))
                if singular > 0 { keyword(singular - 1) }
            }
            subword(hash ^ (hash >> 29) ^ (hash >> 47))
            hash = TextScan.seed
            length = 0
        }

        for byte in token.utf8 {
            let isUpper = byte >= 0x41 && byte <= 0x5A
            let isLower = (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
            guard isUpper || isLower else {
                endSubword()
                previousLower = false
                continue
            }
            if isUpper && previousLower { endSubword() }
            // The prefix read so far is a keyword and the sub-word goes on.
            if length >= 5 {
                let prefix = Int(prefixTable.value(hash))
                if prefix > 0 { keyword(prefix - 1) }
            }
            let lowered = isUpper ? byte | 0x20 : byte
            beforeLast = hash
            hash = (hash ^ UInt64(lowered)) &* TextScan.prime
            lastByte = lowered
            length += 1
            previousLower = isLower
        }
        endSubword()
    }
}
