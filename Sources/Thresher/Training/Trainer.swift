import Foundation

/// Trains a `Model` on labelled pages: features, standardisation, weights, then L-BFGS.
public struct Trainer: Sendable {
    /// How rows are weighted against class imbalance.
    public enum ClassWeight: String, Sendable, CaseIterable {
        /// Every block counts once.
        case none
        /// Each class weighs the same in total (n / (classes * n_class)).
        case balanced
        /// The square root of `balanced`: rare classes count more, without swamping precision.
        case sqrt
    }

    /// How rows are weighted across sources (corpora).
    public enum SourceWeight: String, Sendable, CaseIterable {
        case none
        /// Each source weighs the same in total, so one big corpus does not define "editorial".
        case equal
    }

    /// scikit-learn's C: the weight of the data term against 1/2 ||W||^2.
    public var c: Double = 0.01
    public var classWeight: ClassWeight = .sqrt
    public var sourceWeight: SourceWeight = .equal
    public var maxIterations = 1000
    public var tolerance = 1e-5
    public var jobs = 1
    /// Add the sequence pass (`Smoother`) over each page's blocks.
    public var smoothing = true
    /// Folds of the cross-fitting that gives the region model block probabilities from block models that
    /// never saw the page; below 2, no region model is trained.
    public var regionFolds = 5
    /// What keeps pages together in those folds.
    public var regionGrouping: Folds.Grouping = .site
    /// L2 strength of the region model.
    public var regionLambda = 1.0
    /// Also train the text scrapes' own block model (`Model.textModel`), on the text pages and the
    /// derived scrape (`DerivedScrape`) of every labelled HTML page.
    public var textModel = false
    /// The weight of a derived scrape whose page has gold comments: without markup a thread of reader
    /// comments reads like the article, so at full weight these pages teach a text model that the
    /// prose at a scrape's end is a comment thread.
    public var textCommentWeight = 1.0
    /// The derived scrapes take the weak labeller's teaser and promo candidates where the gold says
    /// boilerplate: the public corpora fold teasers and calls to action into boilerplate, and without
    /// markup a text model has only the few hand-written scrapes to learn them from otherwise.
    public var textWeakLabels = false
    /// Also train the noise model (`Model.noiseModel`), on `train`'s `noisePages` or else its pages.
    public var noiseModel = false
    /// The noise model's C and the probability it needs to name a block `clickbait` or `promo`: chosen by
    /// a cross-validation by site of the hand marks' training half (C 0.001, 0.003, 0.01; thresholds 0.5
    /// to 0.9; BENCHMARKS-LOG "Stop 17").
    public var noiseC = 0.001
    public var noiseThreshold: Float = 0.7
    /// The most blocks one page's teasers, and its promos, count as in the noise model's training.
    public var noisePageCap = 100.0
    /// The same cap for the model being fitted; nil leaves every block its weight.
    var rareClassPageCap: Double?

    /// A trainer with the default options.
    public init() {}

    /// Progress after each optimiser step.
    public struct Progress {
        public var iteration: Int
        public var objective: Double
        /// Editorial F1 on the dev data, when dev data was given.
        public var devF1: Double?
    }

    /// Trains on `pages` (all labelled): the block model, then (with `regionFolds` of 2 or more and
    /// enough HTML pages with gold text) the region model. `dev` pages only report progress.
    /// With `noiseModel`, the noise model is trained on `noisePages`, or on `pages` without them.
    public func train(_ pages: [SegmentedPage], dev: [SegmentedPage] = [], noisePages: [SegmentedPage]? = nil,
                      progress: ((Progress) -> Void)? = nil, regionProgress: ((String) -> Void)? = nil) throws -> Model {
        var model = try trainBlockModel(pages, dev: dev, progress: progress)
        if regionFolds > 1 { model.region = try trainRegionModel(pages, progress: regionProgress) }
        if textModel { model.textModel = try trainTextModel(pages, classes: model.classes) }
        if noiseModel { model.noiseModel = try trainNoiseModel(noisePages ?? pages) }
        return model
    }

    /// The noise model (`Model.noiseModel`): a regression over the `boilerplate`, `clickbait` and `promo`
    /// blocks of the HTML pages among `pages` whose labels name a teaser or a call to action (pages
    /// marked by hand; the public corpora fold both into boilerplate, so their other pages would teach
    /// that teasers are boilerplate). Each page's teasers and promos count as at most
    /// `noisePageCap` blocks, so a consent dialog's vendor list of a thousand promos does not define promo.
    public func trainNoiseModel(_ pages: [SegmentedPage]) throws -> Model {
        let started = Date()
        let marked = pages.filter { page in
            page.format == .html && (page.labels ?? []).contains { $0 == .clickbait || $0 == .promo }
        }
        guard !marked.isEmpty else {
            throw TrainingError("no HTML page names a teaser (clickbait) or a call to action (promo), so there is no noise model to learn: mark some (TrainingData/annotations) or leave it out")
        }
        var data = Dataset.build(marked, jobs: jobs)
        data.keep { Model.noiseClasses.contains($0) }
        var noise = self
        noise.c = noiseC
        noise.rareClassPageCap = noisePageCap
        // Every block counts the same here: equal sources would give the few hand-written pages the
        // weight of a whole corpus's marked pages (train-half cross-validation by site: clickbait F1
        // 0.860 without source weights, 0.851 with equal sources).
        noise.sourceWeight = .none
        var model = try noise.fit(data, pages: marked, smoothing: false, started: started)
        model.threshold = noiseThreshold
        return model
    }

    /// The block model of text scrapes: trained on the text pages among `pages` and the scrape of every
    /// labelled HTML page, with the same `classes` as the main model.
    public func trainTextModel(_ pages: [SegmentedPage], classes: [Label]) throws -> Model {
        let derived = pages.compactMap { page -> SegmentedPage? in
            var page = page
            if textWeakLabels && page.format == .html { WeakLabeller.merge(into: &page) }
            return DerivedScrape.of(page)
        }
        let scrapes = pages.filter { $0.format == .text } + derived
        let text = try trainBlockModel(scrapes)
        guard text.classes == classes else {
            throw TrainingError("the text scrapes have the classes \(text.classes.map(\.rawValue)), the pages \(classes.map(\.rawValue)): a text model needs the same")
        }
        return text
    }

    /// The fewest pages with candidates and gold text that a region model is trained on.
    static let minimumRegionPages = 10

    /// The region model, fitted on out-of-fold block probabilities, its rule tuned on the same pages;
    /// nil when too few pages have candidate regions and gold text.
    public func trainRegionModel(_ pages: [SegmentedPage], progress: ((String) -> Void)? = nil) throws -> RegionModel? {
        let usable = pages.filter { $0.format == .html && !($0.goldText ?? "").isEmpty }.count
        guard usable >= Trainer.minimumRegionPages else {
            progress?("region model: skipped, \(usable) HTML pages with gold text (need \(Trainer.minimumRegionPages))")
            return nil
        }
        let folds = Folds(pages, count: regionFolds, grouping: regionGrouping)
        let crossFit = try CrossFitting.run(pages, folds: folds, trainer: self) { fold in
            progress?("region model: block model of fold \(fold + 1) of \(regionFolds)")
        }
        let examples = crossFit.examples.compactMap { $0 }
        guard examples.count >= Trainer.minimumRegionPages else {
            progress?("region model: skipped, \(examples.count) pages with candidate regions")
            return nil
        }
        var regionTrainer = RegionTrainer()
        regionTrainer.lambda = regionLambda
        var region = try regionTrainer.train(examples)
        let material = RegionRuleTuning.Material(pages: pages, foldOfPage: folds.assignment, models: crossFit.models,
                                                 probabilities: crossFit.probabilities, raw: crossFit.raw)
        region = RegionRuleTuning.tune(region, material: material, use: Array(pages.indices), jobs: jobs).model
        region.training.folds = regionFolds
        return region
    }

    /// Trains the block model alone (regression and sequence pass).
    public func trainBlockModel(_ pages: [SegmentedPage], dev: [SegmentedPage] = [], progress: ((Progress) -> Void)? = nil) throws -> Model {
        let started = Date()
        var data = Dataset.build(pages, jobs: jobs)
        if pages.allSatisfy({ $0.format == .text }) { data.clear(columns: FeatureSet.notForTextModels) }
        return try fit(data, pages: pages, smoothing: smoothing, started: started, dev: dev, progress: progress)
    }

    /// The regression (and, with `smoothing`, the sequence pass) fitted on the rows of `data`, which are
    /// the blocks of `pages` or some of them.
    func fit(_ data: Dataset, pages: [SegmentedPage], smoothing: Bool, started: Date, dev: [SegmentedPage] = [],
             progress: ((Progress) -> Void)? = nil) throws -> Model {
        var data = data
        guard data.features.rows > 0 else { throw TrainingError("no labelled blocks to train on") }
        let classes = Label.allCases.filter(Set(data.labels).contains)
        guard classes.count >= 2 else {
            throw TrainingError("the training data has a single class (\(classes.first?.rawValue ?? "-")): need at least two")
        }
        let (mean, scale) = data.standardisation()
        data.standardise(mean: mean, scale: scale)
        let targets = data.labels.map { classes.firstIndex(of: $0)! }
        let weights = rowWeights(data, classes: classes, targets: targets, pageWeights: pages.map(pageWeight))

        var devData: Dataset?
        if progress != nil && !dev.isEmpty {
            devData = Dataset.build(dev, jobs: jobs)
            devData!.standardise(mean: mean, scale: scale)
        }
        let k = classes.count, d = FeatureSet.dimension
        let result: LBFGS.Result = data.features.values.withUnsafeBufferPointer { x in
            var objective = Objective(x: x, rows: data.features.rows, columns: d, classes: k, targets: targets, rowWeights: weights,
                                      jobs: jobs)
            let optimiser = LBFGS(maxIterations: maxIterations, tolerance: tolerance)
            return optimiser.minimise(from: [Float](repeating: 0, count: objective.parameterCount), { gradient, w in
                objective.evaluate(w, gradient: &gradient)
            }, progress: { iteration, value, w in
                guard let progress else { return }
                let f1 = devData.map { editorialF1($0, classes: classes, parameters: w) }
                progress(Progress(iteration: iteration, objective: value, devF1: f1))
            })
        }

        var summary = TrainingSummary()
        summary.pages = pages.count
        summary.blocks = data.features.rows
        for label in data.labels { summary.blocksPerClass[label.rawValue, default: 0] += 1 }
        for page in pages { summary.pagesPerSource[page.source ?? "other", default: 0] += 1 }
        summary.c = c
        summary.classWeight = classWeight.rawValue
        summary.sourceWeight = sourceWeight.rawValue
        summary.iterations = result.iterations
        summary.objective = result.objective
        summary.gradientNorm = result.gradientNorm
        summary.converged = result.converged
        summary.seconds = Date().timeIntervalSince(started)
        var priors = [Float](repeating: 0, count: k)
        for (r, t) in targets.enumerated() { priors[t] += weights[r] }
        let total = priors.reduce(0, +)
        priors = priors.map { $0 / total }
        return Model(classes: classes, mean: mean, scale: scale, weights: Array(result.parameters[0..<k * d]),
                     bias: Array(result.parameters[(k * d)...]),
                     smoother: smoothing ? Smoother.estimate(pages, classes: classes, priors: priors) : nil, training: summary)
    }

    /// The weight of a page's rows before class and source weights: `textCommentWeight` for a derived
    /// scrape with gold comments, else 1.
    func pageWeight(_ page: SegmentedPage) -> Double {
        page.source == DerivedScrape.source && (page.labels ?? []).contains(.comment) ? textCommentWeight : 1
    }

    /// Each row's share under `rareClassPageCap`: 1, or the cap over the page's blocks of the row's
    /// class when the class is `promo` or `clickbait` and the page has more of them than the cap.
    func capShares(_ data: Dataset) -> [Double] {
        var shares = [Double](repeating: 1, count: data.labels.count)
        guard let cap = rareClassPageCap else { return shares }
        let rare: Set<Label> = [.promo, .clickbait]
        var counts: [PageClass: Double] = [:]
        for (page, label) in zip(data.pageOfRow, data.labels) where rare.contains(label) {
            counts[PageClass(page: page, label: label), default: 0] += 1
        }
        for r in shares.indices where rare.contains(data.labels[r]) {
            shares[r] = min(1, cap / counts[PageClass(page: data.pageOfRow[r], label: data.labels[r])]!)
        }
        return shares
    }

    private struct PageClass: Hashable {
        let page: Int
        let label: Label
    }

    /// C times the page, cap, class and source weights of each row, the weights scaled to average 1.
    func rowWeights(_ data: Dataset, classes: [Label], targets: [Int], pageWeights: [Double]) -> [Float] {
        let n = Double(targets.count)
        let shares = capShares(data)
        var perClass = [Double](repeating: 0, count: classes.count)
        for (t, share) in zip(targets, shares) { perClass[t] += share }
        var sourceCounts: [String: Double] = [:]
        for s in data.sources { sourceCounts[s, default: 0] += 1 }
        var weights = zip(data.pageOfRow, shares).map { pageWeights[$0] * $1 }
        for r in weights.indices {
            switch classWeight {
            case .none: break
            case .balanced: weights[r] *= n / (Double(classes.count) * perClass[targets[r]])
            case .sqrt: weights[r] *= (n / (Double(classes.count) * perClass[targets[r]])).squareRoot()
            }
            if sourceWeight == .equal {
                weights[r] *= n / (Double(sourceCounts.count) * sourceCounts[data.sources[r]]!)
            }
        }
        let meanWeight = weights.reduce(0, +) / n
        return weights.map { Float(c * $0 / meanWeight) }
    }

    /// Editorial F1 of the parameters on standardised dev data, for the progress line.
    func editorialF1(_ dev: Dataset, classes: [Label], parameters: [Float]) -> Double {
        let k = classes.count, d = FeatureSet.dimension
        let model = Model(classes: classes, mean: [Float](repeating: 0, count: d), scale: [Float](repeating: 1, count: d),
                          weights: Array(parameters[0..<k * d]), bias: Array(parameters[(k * d)...]))
        let scorer = Scorer(model)
        let probabilities = scorer.probabilities(dev.features)
        var counts = (tp: 0.0, fp: 0.0, fn: 0.0)
        for r in 0..<dev.features.rows {
            let predicted = scorer.label(probabilities[r * k..<(r + 1) * k]) == .editorial
            let actual = dev.labels[r] == .editorial
            if predicted && actual { counts.tp += 1 } else if predicted { counts.fp += 1 } else if actual { counts.fn += 1 }
        }
        return counts.tp == 0 ? 0 : 2 * counts.tp / (2 * counts.tp + counts.fp + counts.fn)
    }
}

/// Training data that cannot give a model.
public struct TrainingError: Error, CustomStringConvertible {
    public var description: String
    /// The error, described.
    public init(_ description: String) { self.description = description }
}
