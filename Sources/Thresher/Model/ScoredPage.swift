/// A page's blocks with the model's probabilities and labels.
public struct ScoredPage: Sendable {
    public var page: SegmentedPage
    /// The model's classes, the column order of `probabilities`.
    public var classes: [Label]
    /// Blocks x classes, row-major.
    public var probabilities: [Float]
    public var labels: [Label]
    /// The main region the region model chose, when it made a choice (HTML pages with candidates).
    public var region: RegionChoice?

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

    /// Scores every block of a page and labels it under `policy` (threshold, region, repeats, fallback).
    public func score(_ page: SegmentedPage, policy: OutputPolicy = OutputPolicy()) -> ScoredPage {
        if let text = textScorer(for: page) { return text.score(page, policy: policy) }
        let (smoothed, context, raw, noise) = sequenceProbabilities(page, threshold: policy.threshold, withNoise: policy.namesTeasers)
        return decided(page, smoothed: smoothed, raw: raw, context: context, policy: policy, noise: noise)
    }

    /// The page-level steps after the sequence pass: the region choice (when the policy uses it), the
    /// pass again with the choice in it, and the labels (`noise`: as `labelled` takes it).
    func decided(_ page: SegmentedPage, smoothed: [Float], raw: [Float], context: PageContext, policy: OutputPolicy,
                 noise: [Float]? = nil) -> ScoredPage {
        if let text = textScorer(for: page) { return text.decided(page, smoothed: smoothed, raw: raw, context: context, policy: policy) }
        let region = policy.usesRegion ? chooseRegion(page, probabilities: smoothed) : nil
        let probabilities = regionSmoothed(page, raw: raw, smoothed: smoothed, region: region)
        return labelled(page, probabilities: probabilities, region: region, context: context, policy: policy, noise: noise)
    }

    /// The blocks' probabilities after the sequence pass (blocks x classes), the page facts they used,
    /// the probabilities the pass started from, and (`withNoise`, on an HTML page of a model with a noise
    /// model) the noise model's probabilities of every block, from the same features.
    func sequenceProbabilities(_ page: SegmentedPage, threshold: Float?, withNoise: Bool = false)
        -> (probabilities: [Float], context: PageContext, raw: [Float], noise: [Float]?) {
        if let text = textScorer(for: page) { return text.sequenceProbabilities(page, threshold: threshold) }
        let k = model.classes.count
        let context = PageContext(page)
        var probabilities: [Float] = []
        probabilities.reserveCapacity(page.blocks.count * k)
        let noiseScorer = noiseScorer(for: page, namesTeasers: withNoise)
        var noise: [Float]? = noiseScorer.map { _ in [] }
        // Slices of blocks keep the feature matrix small whatever the page's size.
        for start in stride(from: 0, to: page.blocks.count, by: Scorer.sliceRows) {
            let rows = start..<min(page.blocks.count, start + Scorer.sliceRows)
            let features = FeatureExtractor.features(of: page, rows: rows, context: context)
            probabilities += self.probabilities(features)
            if let noiseScorer { noise! += noiseScorer.probabilities(features) }
        }
        // A repeated headline must not anchor the sequence pass to the article (it would pull the byline
        // and share buttons between the two copies in): the pass sees repeats as what they will be.
        OutputPolicy.demoteRepeats(&probabilities, classes: model.classes, threshold: threshold ?? model.threshold,
                                   page: page, context: context)
        guard let smoother = model.smoother else { return (probabilities, context, probabilities, noise) }
        return (smoother.smooth(probabilities, classes: k, page: page), context, probabilities, noise)
    }

    /// The sequence pass run again with the region choice weighing the editorial state
    /// (`RegionModel.smoothingBoost`), where the rule uses the choice; otherwise `smoothed` as it is.
    /// Per-block evidence can turn a whole run of the article into comments or boilerplate (a "Read
    /// more" fold, an article of quoted reviews); the page-level choice says where the article is.
    func regionSmoothed(_ page: SegmentedPage, raw: [Float], smoothed: [Float], region: RegionChoice?) -> [Float] {
        guard let region, let rule = model.region, rule.smoothingBoost != 1, region.region.element != nil,
              Float(region.probability) >= rule.confidence, let smoother = model.smoother,
              let editorial = model.classes.firstIndex(of: .editorial) else { return smoothed }
        let emphasis = Smoother.Emphasis(blocks: region.region.blocks, factor: rule.smoothingBoost, editorial: editorial)
        return smoother.smooth(raw, classes: model.classes.count, page: page, emphasis: emphasis)
    }

    /// Labels from final probabilities and a region choice under `policy`; `noise` holds the noise
    /// model's probabilities of every block when the caller has them (else they are computed here).
    func labelled(_ page: SegmentedPage, probabilities: [Float], region: RegionChoice?, context: PageContext,
                  policy: OutputPolicy, noise: [Float]? = nil, fired: ((Int, OutputPolicy.Rule) -> Void)? = nil) -> ScoredPage {
        if let text = textScorer(for: page) {
            return text.labelled(page, probabilities: probabilities, region: region, context: context, policy: policy, fired: fired)
        }
        let k = model.classes.count
        let thresholds = policy.thresholds(blocks: page.blocks.count, region: region, model: model)
        var labels = page.blocks.indices.map { label(probabilities[$0 * k..<($0 + 1) * k], threshold: thresholds[$0]) }
        policy.apply(&labels, page: page, context: context, probabilities: probabilities, classes: model.classes, fired: fired)
        if let noiseScorer = noiseScorer(for: page, namesTeasers: policy.namesTeasers) {
            noiseScorer.nameNoise(&labels, page: page, context: context, probabilities: noise, fired: fired)
        }
        var scored = ScoredPage(page: page, classes: model.classes, probabilities: probabilities, labels: labels)
        scored.region = region
        return scored
    }

    /// The region model's choice of the page's main region, from the blocks' smoothed probabilities.
    func chooseRegion(_ page: SegmentedPage, probabilities: [Float]) -> RegionChoice? {
        guard let regionModel = model.region else { return nil }
        return regionModel.choose(page, editorial: column(.editorial, of: probabilities), comment: column(.comment, of: probabilities))
    }

    /// One class's probability for every block (zeros when the model lacks the class).
    func column(_ label: Label, of probabilities: [Float]) -> [Float] {
        let k = model.classes.count
        let rows = probabilities.count / max(1, k)
        guard let c = model.classes.firstIndex(of: label) else { return [Float](repeating: 0, count: rows) }
        return (0..<rows).map { probabilities[$0 * k + c] }
    }
}

extension Model {
    /// Loads a model file or a shipped model by name (`headlines`), or the shipped default model when `path` is nil.
    public static func load(_ path: String? = nil) throws -> Model { try ModelLocator.load(path) }
}

extension SegmentedPage {
    /// Reads and segments one page file (HTML, text scrape, gzipped or not).
    public static func read(_ path: String) throws -> SegmentedPage { try PageReader().read(.file(path: path)) }
}
