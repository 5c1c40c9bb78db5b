/// Aligns two token sequences in order (a longest common subsequence, as Dragnet and Web2Text label
/// blocks), so a menu word that also occurs in the article is not pulled into it.
///
/// Exact dynamic programming is quadratic, so long sequences are first cut at anchors: tokens that
/// occur exactly once in both ranges, kept where their order agrees (patience diff). Ranges small enough
/// are solved exactly; a large range with no anchor at all falls back to a short greedy look-ahead.
public enum Aligner {
    /// For each token of `page`, the index of the `gold` token it is matched to, or -1.
    public static func align(_ page: [UInt64], _ gold: [UInt64]) -> [Int] {
        var match = [Int](repeating: -1, count: page.count)
        var work = [(0, page.count, 0, gold.count)]
        while let (aLo, aHi, bLo, bHi) = work.popLast() {
            work += alignRange(page, gold, aLo, aHi, bLo, bHi, &match)
        }
        return match
    }

    /// Solves one range, or cuts it at anchors and returns the gaps still to solve.
    static func alignRange(_ a: [UInt64], _ b: [UInt64], _ aLo0: Int, _ aHi0: Int, _ bLo0: Int, _ bHi0: Int,
                           _ match: inout [Int]) -> [(Int, Int, Int, Int)] {
        var (aLo, aHi, bLo, bHi) = (aLo0, aHi0, bLo0, bHi0)
        while aLo < aHi && bLo < bHi && a[aLo] == b[bLo] { match[aLo] = bLo; aLo += 1; bLo += 1 }
        while aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1] { match[aHi - 1] = bHi - 1; aHi -= 1; bHi -= 1 }
        let n = aHi - aLo, m = bHi - bLo
        if n == 0 || m == 0 { return [] }
        if n * m <= 2_000_000 {
            exact(a, b, aLo, aHi, bLo, bHi, &match)
            return []
        }
        let anchors = uniqueAnchors(a, b, aLo, aHi, bLo, bHi)
        if anchors.isEmpty {
            greedy(a, b, aLo, aHi, bLo, bHi, &match)
            return []
        }
        var gaps: [(Int, Int, Int, Int)] = []
        var (prevA, prevB) = (aLo, bLo)
        for (i, j) in anchors {
            match[i] = j
            gaps.append((prevA, i, prevB, j))
            (prevA, prevB) = (i + 1, j + 1)
        }
        gaps.append((prevA, aHi, prevB, bHi))
        return gaps.filter { $0.0 < $0.1 && $0.2 < $0.3 }
    }

    /// Tokens unique in both ranges, as (page index, gold index), reduced to a longest chain whose
    /// gold indices increase with the page indices.
    static func uniqueAnchors(_ a: [UInt64], _ b: [UInt64], _ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> [(Int, Int)] {
        var counts: [UInt64: (inA: Int, posA: Int, inB: Int, posB: Int)] = [:]
        for i in aLo..<aHi { counts[a[i], default: (0, 0, 0, 0)].inA += 1; counts[a[i]]!.posA = i }
        for j in bLo..<bHi where counts[b[j]] != nil { counts[b[j]]!.inB += 1; counts[b[j]]!.posB = j }
        let pairs = counts.values.filter { $0.inA == 1 && $0.inB == 1 }.map { ($0.posA, $0.posB) }.sorted { $0.0 < $1.0 }
        return longestIncreasingChain(pairs)
    }

    /// Longest subsequence of pairs (sorted by first) whose second elements increase (patience sort).
    static func longestIncreasingChain(_ pairs: [(Int, Int)]) -> [(Int, Int)] {
        var tails: [Int] = []          // index into pairs of the smallest tail of each chain length
        var previous = [Int](repeating: -1, count: pairs.count)
        for (k, pair) in pairs.enumerated() {
            var lo = 0, hi = tails.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if pairs[tails[mid]].1 < pair.1 { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0 { previous[k] = tails[lo - 1] }
            if lo == tails.count { tails.append(k) } else { tails[lo] = k }
        }
        var chain: [(Int, Int)] = []
        var k = tails.last ?? -1
        while k >= 0 { chain.append(pairs[k]); k = previous[k] }
        return chain.reversed()
    }

    /// Exact LCS by dynamic programming with a traceback.
    static func exact(_ a: [UInt64], _ b: [UInt64], _ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int, _ match: inout [Int]) {
        let n = aHi - aLo, m = bHi - bLo
        let width = m + 1
        var table = [Int32](repeating: 0, count: (n + 1) * width)
        for i in 1...n {
            let ai = a[aLo + i - 1]
            for j in 1...m {
                table[i * width + j] = ai == b[bLo + j - 1] ? table[(i - 1) * width + j - 1] + 1
                    : max(table[(i - 1) * width + j], table[i * width + j - 1])
            }
        }
        var i = n, j = m
        while i > 0 && j > 0 {
            if a[aLo + i - 1] == b[bLo + j - 1] && table[i * width + j] == table[(i - 1) * width + j - 1] + 1 {
                match[aLo + i - 1] = bLo + j - 1
                i -= 1
                j -= 1
            } else if table[(i - 1) * width + j] >= table[i * width + j - 1] {
                i -= 1
            } else {
                j -= 1
            }
        }
    }

    /// For a huge range without anchors: match each token to its next occurrence within a short window.
    static func greedy(_ a: [UInt64], _ b: [UInt64], _ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int, _ match: inout [Int]) {
        var j = bLo
        for i in aLo..<aHi where j < bHi {
            var k = j
            while k < min(bHi, j + 32) && b[k] != a[i] { k += 1 }
            if k < min(bHi, j + 32) { match[i] = k; j = k + 1 }
        }
    }
}
