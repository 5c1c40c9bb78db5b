/// A trained multinomial logistic regression over `FeatureSet` vectors, with its standardisation,
/// decision threshold and a record of how it was trained.
public struct Model: Sendable {
    /// Classes in the order of the weight rows.
    public var classes: [Label]
    /// The `FeatureSet.version` the model was trained with.
    public var featureSetVersion: Int
    /// Per-feature training mean and 1/standard deviation: x' = (x - mean) * scale.
    public var mean: [Float]
    public var scale: [Float]
    /// Weights on standardised features, classes x features, row-major; one bias per class.
    public var weights: [Float]
    public var bias: [Float]
    /// A block is `editorial` when its editorial probability reaches this, else the likeliest other class.
    /// (In a `noiseModel`, the probability a block needs to be named `clickbait` or `promo`.)
    public var threshold: Float
    /// The sequence pass over a page's blocks, or nil to use the regression's probabilities as they are.
    public var smoother: Smoother?
    /// The page-level model that chooses each HTML page's main region, or nil to label blocks without one.
    public var region: RegionModel?
    /// The block model for text scrapes (no markup), or nil to score them with this model too.
    public var textModel: Model? {
        get { textModels.first }
        set { textModels = newValue.map { [$0] } ?? [] }
    }
    /// The model that names the kind of noise among the blocks this model calls `boilerplate` on an
    /// HTML page (`boilerplate`, `clickbait` or `promo`), or nil to leave them boilerplate. Trained on
    /// the pages whose teasers and calls to action were marked by hand, it never sees editorial text,
    /// so it cannot move any.
    public var noiseModel: Model? {
        get { noiseModels.first }
        set { noiseModels = newValue.map { [$0] } ?? [] }
    }
    /// The labels a noise model may tell apart.
    static let noiseClasses: Set<Label> = [.boilerplate, .clickbait, .promo]
    // Arrays because a struct cannot hold an optional of its own type.
    private var textModels: [Model] = []
    private var noiseModels: [Model] = []
    /// How the model was trained (data, options, convergence), written into the model file.
    public var training: TrainingSummary
    /// Metrics on the dev data given at training time, by name.
    public var devMetrics: [String: Double]

    public var dimension: Int { mean.count }

    public init(classes: [Label], featureSetVersion: Int = FeatureSet.version, mean: [Float], scale: [Float],
                weights: [Float], bias: [Float], threshold: Float = 0.5, smoother: Smoother? = nil,
                training: TrainingSummary = TrainingSummary(), devMetrics: [String: Double] = [:]) {
        self.classes = classes
        self.featureSetVersion = featureSetVersion
        self.mean = mean
        self.scale = scale
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.smoother = smoother
        self.training = training
        self.devMetrics = devMetrics
    }
}

/// What the trainer saw and did.
public struct TrainingSummary: Sendable {
    public var pages = 0
    public var blocks = 0
    /// Training blocks per class name.
    public var blocksPerClass: [String: Int] = [:]
    /// Training pages per source (corpus) name.
    public var pagesPerSource: [String: Int] = [:]
    public var c: Double = 0
    public var classWeight = ""
    public var sourceWeight = ""
    public var iterations = 0
    public var objective: Double = 0
    public var gradientNorm: Double = 0
    public var converged = false
    public var seconds: Double = 0
    public var command = ""

    /// An empty summary.
    public init() {}
}
