import Foundation

/// Scores every page with a block model that never saw it: one model per fold, trained on the other
/// folds (and on extra pages that are never scored). What the region model learns from, and what
/// cross-validation measures.
public struct CrossFitting: Sendable {
    /// The block model of each fold (no region model).
    public var models: [Model]
    /// Each page's probabilities after the sequence pass, from its fold's model (blocks x classes).
    public var probabilities: [[Float]]
    /// The same before the sequence pass (which the region choice can run again).
    public var raw: [[Float]]
    /// Each page's region training example, where the page has candidates and non-empty gold text.
    public var examples: [RegionExample?]

    /// Trains the fold models and scores the held-out pages; `progress` hears of each fold as it starts,
    /// `iteration` of each optimiser iteration of its training.
    public static func run(_ pages: [SegmentedPage], alsoTrain: [SegmentedPage] = [], folds: Folds, trainer: Trainer,
                           progress: ((Int) -> Void)? = nil, iteration: ((Int, Trainer.Progress) -> Void)? = nil) throws -> CrossFitting {
        var trainer = trainer
        trainer.regionFolds = 0
        var models: [Model] = []
        for fold in 0..<folds.count {
            progress?(fold)
            let (held, rest) = folds.split(fold)
            guard !held.isEmpty else { throw TrainingError("fold \(fold + 1) of \(folds.count) has no pages: use fewer folds") }
            models.append(try trainer.train(rest.map { pages[$0] } + alsoTrain, progress: iteration.map { report in { report(fold, $0) } }))
        }
        return scored(pages, folds: folds, models: models, jobs: trainer.jobs)
    }

    /// Scores each page with the model of its fold (`models[f]` trained without fold `f`), as `run` does
    /// after training; fold models kept from an earlier run (`crossval --keep`) spare the training.
    public static func scored(_ pages: [SegmentedPage], folds: Folds, models: [Model], jobs: Int) -> CrossFitting {
        var result = CrossFitting(models: models, probabilities: [[Float]](repeating: [], count: pages.count),
                                  raw: [[Float]](repeating: [], count: pages.count),
                                  examples: [RegionExample?](repeating: nil, count: pages.count))
        for fold in 0..<folds.count {
            let held = folds.split(fold).held
            var model = models[fold]
            model.region = nil
            result.models[fold] = model
            let scorer = Scorer(model)
            let outputs = Slots<(probabilities: [Float], raw: [Float], example: RegionExample?)>(count: held.count)
            let workers = max(1, min(jobs, held.count))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for h in stride(from: worker, to: held.count, by: workers) {
                    let page = pages[held[h]]
                    let (probabilities, _, raw, _) = scorer.sequenceProbabilities(page, threshold: nil)
                    outputs[h] = (probabilities, raw, CrossFitting.example(page, probabilities: probabilities, scorer: scorer))
                }
            }
            for (h, p) in held.enumerated() {
                result.probabilities[p] = outputs[h]!.probabilities
                result.raw[p] = outputs[h]!.raw
                result.examples[p] = outputs[h]!.example
            }
        }
        return result
    }

    /// The region model's training example of a scored page: its candidates' features and the candidate
    /// that matches its gold text best; nil without candidates or gold.
    static func example(_ page: SegmentedPage, probabilities: [Float], scorer: Scorer) -> RegionExample? {
        guard let gold = page.goldText, !gold.isEmpty else { return nil }
        let candidates = RegionCandidates.of(page)
        guard candidates.count > 1, let target = RegionTarget.best(page, candidates: candidates, gold: gold) else { return nil }
        let features = RegionFeatures.matrix(page, candidates: candidates, editorial: scorer.column(.editorial, of: probabilities),
                                             comment: scorer.column(.comment, of: probabilities))
        return RegionExample(features: features, candidates: candidates.count, target: target.index, source: page.source ?? "other")
    }
}
