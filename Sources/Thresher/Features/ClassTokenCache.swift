/// What groups of class tokens say (keywords and sub-word hashes), keyed by the group's storage: the
/// block builder hands every block below one element the same array, so a page has few distinct
/// groups and each is analysed once. Lives for one pass over a page, whose blocks keep every array
/// (and so every address) alive.
struct ClassTokenCache {
    /// A set of keyword indices (there are at most 128 keywords).
    typealias KeywordSet = (low: UInt64, high: UInt64)

    private struct Entry {
        var owner: UnsafeRawPointer?
        var keywords: KeywordSet = (0, 0)
        var hashes: Range<Int> = 0..<0
    }

    private var entries = [Entry](repeating: Entry(), count: 64)
    /// Sub-word hashes of the analysed groups, each group's a range.
    private(set) var hashes: [UInt64] = []

    /// The keywords named by any token of the group, and where its sub-word hashes sit in `hashes`.
    mutating func analysis(of tokens: [String]) -> (keywords: KeywordSet, hashes: Range<Int>) {
        guard !tokens.isEmpty else { return ((0, 0), 0..<0) }
        let owner = tokens.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
        let slot = Int(bitPattern: UInt(bitPattern: owner) >> 4) & 63
        if entries[slot].owner == owner { return (entries[slot].keywords, entries[slot].hashes) }
        var set: KeywordSet = (0, 0)
        let start = hashes.count
        for token in tokens {
            ClassTokens.analyse(token, keyword: { k in
                if k < 64 { set.low |= 1 << UInt64(k) } else { set.high |= 1 << UInt64(k - 64) }
            }, subword: { hashes.append($0) })
        }
        entries[slot] = Entry(owner: owner, keywords: set, hashes: start..<hashes.count)
        return (set, start..<hashes.count)
    }

    /// Sets `row[offset + k]` to 1 for every keyword `k` of the set.
    static func write(_ set: KeywordSet, to row: UnsafeMutablePointer<Float>, at offset: Int) {
        var low = set.low, high = set.high
        while low != 0 {
            row[offset + low.trailingZeroBitCount] = 1
            low &= low - 1
        }
        while high != 0 {
            row[offset + 64 + high.trailingZeroBitCount] = 1
            high &= high - 1
        }
    }
}
