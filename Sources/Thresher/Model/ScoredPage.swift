/// A page's blocks with the model's probabilities and labels.
public struct ScoredPage: Sendable {
    public var page: SegmentedPage
    /// The model's classes, the column order of `probabilities`.
    public var classes: [Label]
    /// Blocks x classes, row-major.
    public var probabilities: [Float]
    public var labels: [Label]

    /// The probabilities of block `i`, by class.
    public func probabilities(ofBlock i: Int) -> ArraySlice<Float> {
        probabilities[i * classes.count..<(i + 1) * classes.count]
    }

    /// The editorial probability of every block (0 when the model has no editorial class).
    public var editorialProbabilities: [Float] {
        guard let e = classes.firstIndex(of: .editorial) else { return [Float](repeating: 0, count: labels.count) }
        return labels.indices.map { probabilities[$0 * classes.count + e] }
    }

    /// The editorial text: editorial blocks in page order, joined by blank lines.
    public var editorialText: String {
        zip(page.blocks, labels).filter { $0.1 == .editorial }.map(\.0.text).joined(separator: "\n\n")
    }
}

extension Scorer {
    /// Blocks scored per slice: 2048 rows of features take about 10 MB.
    static let sliceRows = 2048
    /// Editorial blocks of at least this many words are shown once (see `score`).
    static let repeatMinimumWords = 6

    /// Scores every block of a page; `threshold` overrides the model's editorial threshold.
    public func score(_ page: SegmentedPage, threshold: Float? = nil) -> ScoredPage {
        let k = model.classes.count
        let context = PageContext(page)
        var probabilities: [Float] = []
        probabilities.reserveCapacity(page.blocks.count * k)
        // Slices of blocks keep the feature matrix small whatever the page's size.
        for start in stride(from: 0, to: page.blocks.count, by: Scorer.sliceRows) {
            let rows = start..<min(page.blocks.count, start + Scorer.sliceRows)
            probabilities += self.probabilities(FeatureExtractor.features(of: page, rows: rows, context: context))
        }
        if let smoother = model.smoother { probabilities = smoother.smooth(probabilities, classes: k, page: page) }
        var labels = page.blocks.indices.map { label(probabilities[$0 * k..<($0 + 1) * k], threshold: threshold) }
        // Output policy: a clean extraction shows a block once, so a later exact repeat of an
        // editorial block (a headline or caption shown twice) is boilerplate. Short blocks are
        // exempt: table cells and list items ("Yes", "2 cups") legitimately repeat.
        var editorialTexts = HashCounter(capacity: labels.count)
        for i in labels.indices where labels[i] == .editorial && page.blocks[i].words >= Scorer.repeatMinimumWords {
            if editorialTexts.add(context.scans[i].textKey) > 0 { labels[i] = .boilerplate }
        }
        return ScoredPage(page: page, classes: model.classes, probabilities: probabilities, labels: labels)
    }
}

extension Model {
    /// Loads a model file, or the shipped default model when `path` is nil.
    public static func load(_ path: String? = nil) throws -> Model { try ModelLocator.load(path) }
}

extension SegmentedPage {
    /// Reads and segments one page file (HTML, text scrape, gzipped or not).
    public static func read(_ path: String) throws -> SegmentedPage { try PageReader().read(.file(path: path)) }
}
