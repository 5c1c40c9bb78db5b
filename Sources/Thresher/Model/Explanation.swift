import Foundation

/// Why one block got its label: the regression's exact per-feature contributions to the margin between
/// the label and the runner-up class, the probabilities before and after the sequence passes, and the
/// page-level steps (region, threshold, output rules) that touched it.
///
/// A logistic regression's logit for a class is its bias plus, over the features, weight times
/// standardised value; so the logit margin between two classes is the bias difference plus one term per
/// feature, and `bias + sum of all terms == margin` exactly (up to float rounding).
public struct BlockExplanation: Sendable {
    /// One feature's share of the margin.
    public struct Term: Sendable {
        /// The feature's position in the feature vector (`FeatureSet.names`).
        public var index: Int
        /// The feature's name, as `thresher features` writes it.
        public var feature: String
        /// The block's raw (unstandardised) value of it.
        public var value: Float
        /// (weight of the label - weight of the runner-up) x standardised value.
        public var contribution: Float
    }

    public var label: Label
    /// The likeliest other class in the final probabilities.
    public var runnerUp: Label
    /// The regression's logit of `label` minus that of `runnerUp`.
    public var margin: Float
    /// The bias difference of the two classes (on standardised features).
    public var bias: Float
    /// The features that most raised the label against the runner-up, largest first.
    public var raising: [Term]
    /// The features that most lowered it, most negative first.
    public var lowering: [Term]
    /// The sum of every other feature's contribution: bias + raising + lowering + rest = margin.
    public var rest: Float
    /// Class probabilities of the regression alone, of the sequence pass without the region choice,
    /// and the final ones (model class order).
    public var regression: [Float]
    public var sequence: [Float]
    public var final: [Float]
    /// The editorial probability the block needed (moved by a confident region choice).
    public var threshold: Float
    /// Whether the block lies in the chosen main region; nil without a choice.
    public var insideRegion: Bool?
    /// The output rules that changed the block's label, in the order they fired (`OutputPolicy.Rule`).
    public var rules: [String]
}

extension Scorer {
    /// Scores a page as `score` does and explains every block with its `top` most raising and most
    /// lowering features.
    public func explained(_ page: SegmentedPage, policy: OutputPolicy = OutputPolicy(), top: Int) -> (scored: ScoredPage, explanations: [BlockExplanation]) {
        if let text = textScorer(for: page) { return text.explained(page, policy: policy, top: top) }
        let k = model.classes.count, d = model.dimension, n = page.blocks.count
        let context = PageContext(page)
        var features: [Float] = [], regression: [Float] = []
        let noiseScorer = noiseScorer(for: page, namesTeasers: policy.namesTeasers)
        var noise: [Float]? = noiseScorer.map { _ in [] }
        for start in stride(from: 0, to: n, by: Scorer.sliceRows) {
            let matrix = FeatureExtractor.features(of: page, rows: start..<min(n, start + Scorer.sliceRows), context: context)
            features += matrix.values
            regression += probabilities(matrix)
            if let noiseScorer { noise! += noiseScorer.probabilities(matrix) }
        }
        var demoted = regression
        OutputPolicy.demoteRepeats(&demoted, classes: model.classes, threshold: policy.threshold ?? model.threshold, page: page, context: context)
        let sequence = model.smoother?.smooth(demoted, classes: k, page: page) ?? demoted
        let region = policy.usesRegion ? chooseRegion(page, probabilities: sequence) : nil
        let final = regionSmoothed(page, raw: demoted, smoothed: sequence, region: region)
        var rules = [[String]](repeating: [], count: n)
        for i in 0..<n where demoted[i * k..<(i + 1) * k] != regression[i * k..<(i + 1) * k] { rules[i].append(OutputPolicy.Rule.repeatBeforeSequencePass.rawValue) }
        let scored = labelled(page, probabilities: final, region: region, context: context, policy: policy, noise: noise) { i, rule in rules[i].append(rule.rawValue) }
        let thresholds = policy.thresholds(blocks: n, region: region, model: model)
        let names = FeatureSet.names
        let explanations = (0..<n).map { i -> BlockExplanation in
            let label = model.classes.firstIndex(of: scored.labels[i]) ?? 0
            var runner = label == 0 ? min(1, k - 1) : 0
            for c in 0..<k where c != label && final[i * k + c] > final[i * k + runner] { runner = c }
            var terms: [BlockExplanation.Term] = []
            terms.reserveCapacity(d)
            for j in 0..<d {
                let x = features[i * d + j]
                let standardised = (x - model.mean[j]) * model.scale[j]
                let contribution = (model.weights[label * d + j] - model.weights[runner * d + j]) * standardised
                if contribution != 0 { terms.append(BlockExplanation.Term(index: j, feature: names[j], value: x, contribution: contribution)) }
            }
            terms.sort { $0.contribution > $1.contribution }
            let raising = Array(terms.prefix { $0.contribution > 0 }.prefix(top))
            let lowering = Array(terms.reversed().prefix { $0.contribution < 0 }.prefix(top))
            let bias = model.bias[label] - model.bias[runner]
            let shown = (raising + lowering).reduce(Float(0)) { $0 + $1.contribution }
            let all = terms.reduce(Double(0)) { $0 + Double($1.contribution) }
            // The margin comes from the scoring path (weights folded onto raw features), not from the terms,
            // so that a test can check that the terms add up to it.
            var margin = Double(rawBias[label] - rawBias[runner])
            for j in 0..<d { margin += Double(rawWeights[label * d + j] - rawWeights[runner * d + j]) * Double(features[i * d + j]) }
            return BlockExplanation(label: model.classes[label], runnerUp: model.classes[runner], margin: Float(margin), bias: bias,
                                    raising: raising, lowering: lowering, rest: Float(all - Double(shown)),
                                    regression: Array(regression[i * k..<(i + 1) * k]), sequence: Array(sequence[i * k..<(i + 1) * k]),
                                    final: Array(final[i * k..<(i + 1) * k]), threshold: thresholds[i],
                                    insideRegion: region.map { $0.region.blocks.contains(i) }, rules: rules[i])
        }
        return (scored, explanations)
    }
}
