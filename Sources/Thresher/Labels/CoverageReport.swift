/// Coverage of gold main text by editorial blocks, per corpus, with the pages that fall short.
public struct CoverageReport {
    /// Pages below this share are listed with their reason.
    public var threshold = 0.8
    private var perSource: [String: [(page: String, coverage: Coverage)]] = [:]

    /// An empty report.
    public init() {}

    /// Records a labelled page (pages labelled without alignment are not counted).
    public mutating func add(_ page: SegmentedPage) {
        guard let coverage = page.coverage else { return }
        perSource[page.source ?? "other", default: []].append((page.id, coverage))
    }

    /// Mean coverage of a corpus over its pages.
    public func meanCoverage(of source: String) -> Double? {
        guard let pages = perSource[source], !pages.isEmpty else { return nil }
        return pages.map(\.coverage.share).reduce(0, +) / Double(pages.count)
    }

    /// The report as lines for a terminal.
    public var lines: [String] {
        var lines: [String] = []
        for source in perSource.keys.sorted() {
            let pages = perSource[source]!
            let low = pages.filter { $0.coverage.share < threshold }
            let mean = meanCoverage(of: source)!
            let pooled = Double(pages.map(\.coverage.coveredTokens).reduce(0, +)) / Double(max(1, pages.map(\.coverage.goldTokens).reduce(0, +)))
            lines.append("\(source): \(pages.count) pages, mean coverage \(format(mean)), token-weighted \(format(pooled)), \(low.count) under \(threshold)")
            for (page, coverage) in low {
                lines.append("  \(page): \(format(coverage.share)): \(coverage.reason)")
            }
        }
        return lines
    }

    private func format(_ value: Double) -> String {
        String(Int((value * 1000).rounded())).leftPadded(to: 4, with: "0").inserting(".", at: 1)
    }
}

extension String {
    func leftPadded(to length: Int, with pad: Character) -> String {
        count >= length ? self : String(repeating: pad, count: length - count) + self
    }

    func inserting(_ text: String, at offset: Int) -> String {
        var copy = self
        copy.insert(contentsOf: text, at: copy.index(copy.startIndex, offsetBy: offset))
        return copy
    }
}
