import Foundation

/// The page-level model: a conditional logit over a page's candidate regions (one shared weight
/// vector, a softmax over the page's candidates) that says which region holds the main content, with
/// the rule for how its choice changes block labels.
public struct RegionModel: Sendable {
    /// The version of the region features and of this part of the model file.
    public static let version = 1

    /// Per-feature mean and 1/standard deviation of the training candidates.
    public var mean: [Double]
    public var scale: [Double]
    /// One weight per `RegionFeatures` feature, on standardised features.
    public var weights: [Double]
    /// The choice is used when its probability reaches this; below it the page is labelled as without it.
    public var confidence: Float
    /// Editorial probability that a block inside the chosen region needs to be editorial.
    public var insideThreshold: Float
    /// Editorial probability that a block outside it needs to stay editorial.
    public var outsideThreshold: Float
    /// How much the sequence pass favours the editorial state inside a chosen region (and disfavours it
    /// outside): a factor on the editorial emission; 1 leaves the pass as it is.
    public var smoothingBoost: Float = 1
    /// How it was fitted.
    public var training: RegionTrainingSummary

    /// A model from its parts.
    public init(mean: [Double], scale: [Double], weights: [Double], confidence: Float = 0.5, insideThreshold: Float = 0.5,
                outsideThreshold: Float = 0.5, training: RegionTrainingSummary = RegionTrainingSummary()) {
        self.mean = mean
        self.scale = scale
        self.weights = weights
        self.confidence = confidence
        self.insideThreshold = insideThreshold
        self.outsideThreshold = outsideThreshold
        self.training = training
    }

    /// The probability of each candidate, from its raw (unstandardised) feature rows.
    public func probabilities(_ features: [Double], candidates: Int) -> [Double] {
        let d = RegionFeatures.dimension
        var standardised = features
        for r in 0..<candidates { for j in 0..<d { standardised[r * d + j] = (standardised[r * d + j] - mean[j]) * scale[j] } }
        var logits = [Double](repeating: 0, count: candidates)
        BLAS.dgemv(m: candidates, n: d, a: standardised, lda: d, x: weights, y: &logits)
        return RegionModel.softmax(logits)
    }

    /// The likeliest candidate region of a page and its probability, or nil for a page with no choice
    /// to make (a text scrape, or a page whose only candidate is the whole page).
    public func choose(_ page: SegmentedPage, editorial: [Float], comment: [Float]) -> RegionChoice? {
        let candidates = RegionCandidates.of(page)
        guard candidates.count > 1 else { return nil }
        let features = RegionFeatures.matrix(page, candidates: candidates, editorial: editorial, comment: comment)
        let p = probabilities(features, candidates: candidates.count)
        let best = p.indices.max { p[$0] < p[$1] }!
        return RegionChoice(region: candidates[best], probability: p[best], candidates: candidates.count)
    }

    /// Softmax of a vector, stable against overflow.
    static func softmax(_ logits: [Double]) -> [Double] {
        let top = logits.max() ?? 0
        let e = logits.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}

/// The region a page's main content was placed in.
public struct RegionChoice: Sendable, Equatable {
    public var region: Region
    /// The region model's probability for it.
    public var probability: Double
    /// How many candidates it was chosen from.
    public var candidates: Int
}

/// What the region model was fitted on and how the fit went.
public struct RegionTrainingSummary: Sendable, Equatable {
    public var pages = 0
    public var candidates = 0
    /// Regularisation: 1/2 lambda ||w||^2 is added to the pages' log-loss.
    public var lambda = 1.0
    public var iterations = 0
    public var objective = 0.0
    public var gradientNorm = 0.0
    public var converged = false
    public var seconds = 0.0
    /// Training pages whose target candidate the fitted model ranks first.
    public var accuracy = 0.0
    /// Out-of-fold block probabilities the candidates' features were computed from (fold count).
    public var folds = 0

    /// An empty summary.
    public init() {}
}
