import Foundation

/// k-fold cross-validation of everything a model has (block model, sequence pass, region model,
/// output policy): each page is scored by a model trained without its group (its site, by default).
public struct CrossValidation: Sendable {
    public var folds = 5
    public var grouping: Folds.Grouping = .site
    public var seed: UInt64 = 0
    /// Trains each fold's models; with `regionFolds` below 2 no region model is trained.
    public var trainer = Trainer()
    public var policy = OutputPolicy()

    /// A cross-validation with the default options.
    public init() {}

    /// What became of one held-out page.
    public struct PageResult: Sendable {
        public var id: String
        public var source: String
        public var url: String?
        public var fold: Int
        /// The extracted text.
        public var text: String
        public var precision: Double?
        public var recall: Double?
        /// Whether the page has non-empty gold text.
        public var hasGold: Bool
        /// Token F1 of the best candidate region's whole text, and of its blocks the model calls editorial.
        public var oracleRegion: (precision: Double?, recall: Double?)?
        public var oracleRegionBlocks: (precision: Double?, recall: Double?)?
        /// Token figures of the same page with the region decision left out of the output policy.
        public var withoutRegion: (precision: Double?, recall: Double?)?

        /// Token F1 of the page (0 when nothing was extracted).
        public var f1: Double { PageResult.f1(precision, recall) }

        /// 2PR / (P + R) of one page's token figures, 0 where either is missing or both are 0.
        public static func f1(_ precision: Double?, _ recall: Double?) -> Double {
            let p = precision ?? 0, r = recall ?? 0
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
        /// A page with gold text whose extraction scores below 0.5.
        public var isMisfire: Bool { hasGold && f1 < 0.5 }
    }

    /// Figures per fold, pooled, pooled per source, and every held-out page.
    public struct Result: Sendable {
        public var perFold: [Evaluator.Report] = []
        public var pooled = Evaluator.Report()
        public var bySource: [String: Evaluator.Report] = [:]
        public var pages: [PageResult] = []
        /// The region model of each fold, when trained.
        public var regionModels: [RegionModel?] = []
        /// Each fold's whole model (block model, sequence pass, region model), trained without the fold.
        public var models: [Model] = []
    }

    /// Runs the folds over `pages`; `alsoTrain` pages join every fold's training and are never scored.
    /// `progress` hears of each step, `iteration` of each optimiser iteration ("fold 2 of 5: iteration 40 ...").
    /// `blockModels`, one per fold (from `crossval --keep` of the same pages and folds), replace the
    /// block models' training: only the region model and its rule are fitted again.
    public func run(_ pages: [SegmentedPage], alsoTrain: [SegmentedPage] = [], blockModels: [Model]? = nil,
                    progress: ((String) -> Void)? = nil, iteration: ((String) -> Void)? = nil) throws -> Result {
        let folds = Folds(pages, count: self.folds, grouping: grouping, seed: seed)
        let count = self.folds
        guard folds.groupCount >= count else {
            let n = folds.groupCount, noun = grouping == .site ? "site" : "group"
            let how = grouping == .site ? " (pages without a URL count by their file's folder)" : " by \(grouping.rawValue)"
            throw TrainingError("the \(pages.count) pages to score make \(n) \(noun)\(n == 1 ? "" : "s")\(how), fewer than the \(count) folds: use fewer folds or another grouping")
        }
        let crossFit: CrossFitting
        if let blockModels {
            guard blockModels.count == count else { throw TrainingError("\(blockModels.count) fold models for \(count) folds") }
            progress?("scoring every fold with its kept block model")
            crossFit = CrossFitting.scored(pages, folds: folds, models: blockModels, jobs: trainer.jobs)
        } else {
            crossFit = try CrossFitting.run(pages, alsoTrain: alsoTrain, folds: folds, trainer: trainer, progress: { fold in
                progress?("fold \(fold + 1) of \(count): training the block model")
            }, iteration: iteration.map { report in { fold, step in
                report("fold \(fold + 1) of \(count): iteration \(step.iteration), objective " + String(format: "%.4f", step.objective))
            } })
        }
        var result = Result()
        let material = RegionRuleTuning.Material(pages: pages, foldOfPage: folds.assignment, models: crossFit.models,
                                                 probabilities: crossFit.probabilities, raw: crossFit.raw)
        for fold in 0..<self.folds {
            let (held, rest) = folds.split(fold)
            var model = crossFit.models[fold]
            let examples = rest.compactMap { crossFit.examples[$0] }
            if trainer.regionFolds > 1 && examples.count >= Trainer.minimumRegionPages {
                progress?("fold \(fold + 1) of \(self.folds): region model on \(examples.count) out-of-fold pages")
                var regionTrainer = RegionTrainer()
                regionTrainer.lambda = trainer.regionLambda
                model.region = RegionRuleTuning.tune(try regionTrainer.train(examples), material: material, use: rest, jobs: trainer.jobs).model
            }
            result.regionModels.append(model.region)
            result.models.append(model)
            var report = Evaluator.Report()
            for (h, outcome) in score(held.map { pages[$0] }, probabilities: held.map { crossFit.probabilities[$0] }, raw: held.map { crossFit.raw[$0] },
                                      examples: held.map { crossFit.examples[$0] }, model: model).enumerated() {
                Evaluator.add(outcome.scored, to: &report)
                Evaluator.add(outcome.scored, to: &result.pooled)
                Evaluator.add(outcome.scored, to: &result.bySource[pages[held[h]].source ?? "other", default: Evaluator.Report()])
                var page = outcome.page
                page.fold = fold
                result.pages.append(page)
            }
            result.perFold.append(report)
        }
        return result
    }

    /// Labels held-out pages from their out-of-fold probabilities with the fold's models.
    private func score(_ pages: [SegmentedPage], probabilities: [[Float]], raw: [[Float]], examples: [RegionExample?], model: Model)
        -> [(scored: ScoredPage, page: PageResult)] {
        let scorer = Scorer(model)
        let outcomes = Slots<(scored: ScoredPage, page: PageResult)>(count: pages.count)
        let workers = max(1, min(trainer.jobs, pages.count))
        let policy = self.policy
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: pages.count, by: workers) {
                let page = pages[i]
                let context = PageContext(page)
                let scored = scorer.decided(page, smoothed: probabilities[i], raw: raw[i], context: context, policy: policy)
                let gold = page.goldText ?? page.labelledEditorialText
                let (precision, recall) = ShingleMetric.page(gold: gold, predicted: scored.editorialText)
                var result = PageResult(id: page.id, source: page.source ?? "other", url: page.url, fold: 0, text: scored.editorialText,
                                        precision: precision, recall: recall, hasGold: !Tokenizer.tokens(gold).isEmpty)
                // Without a region choice the output policy is the same as with none: label again only when one was made.
                var plain = scored
                if scored.region != nil {
                    plain = scorer.labelled(page, probabilities: probabilities[i], region: nil, context: context, policy: policy)
                    result.withoutRegion = ShingleMetric.page(gold: gold, predicted: plain.editorialText)
                }
                let candidates = examples[i] == nil ? [] : RegionCandidates.of(page)
                if !candidates.isEmpty, let target = RegionTarget.best(page, candidates: candidates, gold: gold) {
                    let region = candidates[target.index].blocks
                    result.oracleRegion = ShingleMetric.page(gold: gold, predicted: region.map { page.blocks[$0].text }.joined(separator: "\n\n"))
                    let inside = region.filter { plain.labels[$0] == .editorial }.map { page.blocks[$0].text }.joined(separator: "\n\n")
                    result.oracleRegionBlocks = ShingleMetric.page(gold: gold, predicted: inside)
                }
                outcomes[i] = (scored, result)
            }
        }
        return (0..<pages.count).map { outcomes[$0]! }
    }
}
