import Foundation

/// Assigns pages to cross-validation folds by group, so that pages of one site (or one source, one
/// file) are never on both sides of a fold.
public struct Folds: Sendable {
    /// What keeps pages together.
    public enum Grouping: String, Sendable, CaseIterable {
        /// Each page alone.
        case page
        /// The host of the page's URL (without `www.`); pages without a URL group by their file's folder.
        case site
        /// The page's corpus.
        case source
        /// The file the page was read from: the items of one item list together, every other page alone
        /// (a manifest record is its own file).
        case file
    }

    public let count: Int
    /// The fold of each page, in page order.
    public let assignment: [Int]
    /// How many groups the pages make: with fewer groups than folds, some folds stay empty.
    public let groupCount: Int

    /// Folds over `pages`: groups are dealt largest first to the fold that holds fewest pages of the
    /// group's source (so each fold has a share of every source), ties broken by a seeded hash.
    public init(_ pages: [SegmentedPage], count: Int, grouping: Grouping, seed: UInt64 = 0) {
        self.count = count
        var groupOfPage: [String] = []
        var members: [String: [Int]] = [:]
        for (i, page) in pages.enumerated() {
            let key = (page.source ?? "other") + "\u{1F}" + Folds.group(of: page, grouping: grouping)
            groupOfPage.append(key)
            members[key, default: []].append(i)
        }
        let order = members.keys.sorted {
            let a = members[$0]!.count, b = members[$1]!.count
            return a != b ? a > b : Folds.hash($0, seed: seed) < Folds.hash($1, seed: seed)
        }
        var filled: [String: [Int]] = [:]
        var foldOfGroup: [String: Int] = [:]
        for key in order {
            let source = String(key.split(separator: "\u{1F}", maxSplits: 1).first ?? "")
            var sizes = filled[source] ?? [Int](repeating: 0, count: count)
            let start = Int(Folds.hash(key, seed: seed) % UInt64(count))
            var best = start
            for step in 0..<count {
                let f = (start + step) % count
                if sizes[f] < sizes[best] { best = f }
            }
            sizes[best] += members[key]!.count
            filled[source] = sizes
            foldOfGroup[key] = best
        }
        assignment = groupOfPage.map { foldOfGroup[$0]! }
        groupCount = members.count
    }

    /// The pages of fold `fold`, and those of the other folds.
    public func split(_ fold: Int) -> (held: [Int], rest: [Int]) {
        var held: [Int] = [], rest: [Int] = []
        for (i, f) in assignment.enumerated() { if f == fold { held.append(i) } else { rest.append(i) } }
        return (held, rest)
    }

    /// The key that keeps a page with others under `grouping`.
    public static func group(of page: SegmentedPage, grouping: Grouping) -> String {
        switch grouping {
        case .page: return page.id
        case .source: return page.source ?? "other"
        case .file:
            // Items of an item list have ids FILE:LINE.
            if let colon = page.id.lastIndex(of: ":"), page.id[page.id.index(after: colon)...].allSatisfy(\.isNumber) {
                return String(page.id[..<colon])
            }
            return page.id
        case .site:
            if let url = page.url, let host = URLComponents(string: url)?.host?.lowercased() {
                return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
            }
            // The folder of a file's path (NSString's path methods trap on some strings on Linux).
            guard let slash = page.id.lastIndex(of: "/") else { return page.id }
            return String(page.id[..<slash])
        }
    }

    /// FNV-1a of a key and a seed: stable across runs and machines (Swift's `Hasher` is not).
    static func hash(_ key: String, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for byte in key.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }
}
