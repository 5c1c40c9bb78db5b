import Foundation

/// Hand-marked teasers and promos on corpus pages (`TrainingData/annotations/`): which pages were
/// reviewed, in which half, and each page's `clickbait` and `promo` blocks, named by index and by a
/// hash of their text so that a changed segmentation is caught rather than mislabelled.
public struct Annotations: Sendable {
    /// The half of the reviewed pages a page belongs to; its site decides it.
    public enum Half: String, Sendable, CaseIterable {
        case train, eval
    }

    /// One marked block.
    public struct Mark: Sendable, Equatable {
        public var block: Int
        public var label: Label
        /// `Annotations.textHash` of the block's text when it was marked.
        public var textHash: String
    }

    /// What merging did to one page's labels.
    public struct Merge: Sendable, Equatable {
        /// Marks that turned a gold `boilerplate` block into `clickbait` or `promo`.
        public var applied = 0
        /// Marks on blocks the gold calls `editorial` or `comment`: the gold wins.
        public var goldKept = 0
        /// Marks whose block index or text hash no longer matches the page's segmentation.
        public var stale = 0

        /// No marks merged yet.
        public init() {}
    }

    /// Reviewed pages by key (`source`, unit separator, `id`) and their half.
    public private(set) var halves: [String: Half] = [:]
    /// Marks by page key.
    public private(set) var marks: [String: [Mark]] = [:]

    /// Reads `pages.annotations.tsv` (source, id, site, half) and `blocks.annotations.tsv` (source, id,
    /// block, label, text hash) of `folder`; lines starting with `#` are comments. (The suffix keeps folder
    /// walks from reading them as item lists.)
    public static func load(folder: String) throws -> Annotations {
        var annotations = Annotations()
        let pagesPath = (folder as NSString).appendingPathComponent("pages.annotations.tsv")
        for (number, fields) in try rows(pagesPath) {
            guard fields.count == 4, let half = Half(rawValue: fields[3]) else {
                throw InputError(pagesPath, "line \(number): need source, id, site and half (train or eval)")
            }
            annotations.halves[key(fields[0], fields[1])] = half
        }
        let blocksPath = (folder as NSString).appendingPathComponent("blocks.annotations.tsv")
        for (number, fields) in try rows(blocksPath) {
            guard fields.count == 5, let block = Int(fields[2]), block >= 0, let label = Label(rawValue: fields[3]),
                  label == .clickbait || label == .promo, fields[4].count == 16 else {
                throw InputError(blocksPath, "line \(number): need source, id, block index, clickbait or promo, and a 16-digit text hash")
            }
            let page = key(fields[0], fields[1])
            guard annotations.halves[page] != nil else { throw InputError(blocksPath, "line \(number): page \(fields[1]) is not in pages.annotations.tsv") }
            annotations.marks[page, default: []].append(Mark(block: block, label: label, textHash: fields[4]))
        }
        return annotations
    }

    /// The half of a reviewed page, nil for a page not reviewed.
    public func half(of page: SegmentedPage) -> Half? {
        halves[Annotations.key(page.source ?? "", page.id)]
    }

    /// Merges the page's marks into its gold labels: a gold `boilerplate` block marked `clickbait` or
    /// `promo` takes the mark; `editorial` and `comment` gold wins (the corpus' own main-text decision).
    public func merge(into page: inout SegmentedPage) -> Merge {
        var merge = Merge()
        guard var labels = page.labels, let pageMarks = marks[Annotations.key(page.source ?? "", page.id)] else { return merge }
        for mark in pageMarks {
            guard mark.block < page.blocks.count, Annotations.textHash(page.blocks[mark.block].text) == mark.textHash else {
                merge.stale += 1
                continue
            }
            if labels[mark.block] == .boilerplate {
                labels[mark.block] = mark.label
                merge.applied += 1
            } else if labels[mark.block] != mark.label {
                merge.goldKept += 1
            }
        }
        page.labels = labels
        return merge
    }

    /// FNV-1a (64 bits) of a block's text as UTF-8, as 16 lower-case hex digits.
    public static func textHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func key(_ source: String, _ id: String) -> String { source + "\u{1F}" + id }

    /// The tab-separated fields of a file's lines, with line numbers, skipping blank and `#` lines.
    private static func rows(_ path: String) throws -> [(Int, [String])] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw InputError(path, "cannot be read as UTF-8 text") }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            line.isEmpty || line.hasPrefix("#") ? nil : (index + 1, line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
        }
    }
}
