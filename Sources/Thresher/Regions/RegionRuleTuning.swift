import Foundation

/// Chooses how the region model's choice changes labels (`RegionModel.confidence`, `insideThreshold`,
/// `outsideThreshold`, `smoothingBoost`) by the token metric on pages scored by block models that never
/// saw them.
public enum RegionRuleTuning {
    static let confidences: [Float] = [0.3, 0.5, 0.7, 0.9]
    static let insideThresholds: [Float] = [0.2, 0.35, 0.5]
    static let outsideThresholds: [Float] = [0.5, 0.7, 0.85, 0.95]
    static let smoothingBoosts: [Float] = [1, 2, 4, 8]

    /// Out-of-fold material: pages, the fold each was scored in, the fold models, and the probabilities
    /// after and before the sequence pass.
    public struct Material: Sendable {
        public var pages: [SegmentedPage]
        public var foldOfPage: [Int]
        public var models: [Model]
        public var probabilities: [[Float]]
        public var raw: [[Float]]

        /// Material; see the properties.
        public init(pages: [SegmentedPage], foldOfPage: [Int], models: [Model], probabilities: [[Float]], raw: [[Float]]) {
            self.pages = pages
            self.foldOfPage = foldOfPage
            self.models = models
            self.probabilities = probabilities
            self.raw = raw
        }
    }

    /// `region` with the rule that gives the best mean token F1 over sources on the pages `use` of
    /// `material` (pages with gold text), and that F1.
    public static func tune(_ region: RegionModel, material: Material, use: [Int], jobs: Int) -> (model: RegionModel, f1: Double) {
        let pages = use.filter { material.pages[$0].goldText.map { !$0.isEmpty } ?? false }
        let contexts = Slots<(context: PageContext, choice: RegionChoice?, gold: [Int: Int])>(count: pages.count)
        let workers = max(1, min(jobs, pages.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: pages.count, by: workers) {
                let page = material.pages[pages[i]], f = material.foldOfPage[pages[i]]
                var model = material.models[f]
                model.region = region
                let scorer = Scorer(model)
                contexts[i] = (PageContext(page), scorer.chooseRegion(page, probabilities: material.probabilities[pages[i]]),
                               ShingleMetric.shingles(page.goldText ?? ""))
            }
        }
        var best = (model: region, f1: -1.0)
        for boost in smoothingBoosts {
            // The sequence pass with this boost for every page with a choice; the rule's confidence then
            // decides, page by page, whether the boosted or the plain probabilities are labelled.
            let boosted = material.models.map { model -> Scorer in
                var model = model
                model.region = region
                (model.region!.smoothingBoost, model.region!.confidence) = (boost, 0)
                return Scorer(model)
            }
            let emphasised = Slots<[Float]>(count: pages.count)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for i in stride(from: worker, to: pages.count, by: workers) where boost != 1 {
                    let p = pages[i]
                    emphasised[i] = boosted[material.foldOfPage[p]].regionSmoothed(material.pages[p], raw: material.raw[p],
                                                                                   smoothed: material.probabilities[p], region: contexts[i]!.choice)
                }
            }
            for confidence in confidences {
                for inside in insideThresholds {
                    for outside in outsideThresholds where outside >= inside {
                        var candidate = region
                        (candidate.confidence, candidate.insideThreshold, candidate.outsideThreshold, candidate.smoothingBoost) = (confidence, inside, outside, boost)
                        let f1 = meanF1(candidate, material: material, pages: pages, contexts: contexts, emphasised: emphasised, workers: workers)
                        if f1 > best.f1 + 1e-9 { best = (candidate, f1) }
                    }
                }
            }
        }
        return best
    }

    /// Mean over sources of the token F1 of the pages under `region`'s rule.
    private static func meanF1(_ region: RegionModel, material: Material, pages: [Int],
                               contexts: Slots<(context: PageContext, choice: RegionChoice?, gold: [Int: Int])>, emphasised: Slots<[Float]>,
                               workers: Int) -> Double {
        let scorers = material.models.map { model -> Scorer in
            var model = model
            model.region = region
            return Scorer(model)
        }
        let perPage = Slots<(precision: Double?, recall: Double?)>(count: pages.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for i in stride(from: worker, to: pages.count, by: workers) {
                let p = pages[i], c = contexts[i]!
                let confident = c.choice.map { Float($0.probability) >= region.confidence } ?? false
                let probabilities = confident ? emphasised[i] ?? material.probabilities[p] : material.probabilities[p]
                let scored = scorers[material.foldOfPage[p]].labelled(material.pages[p], probabilities: probabilities,
                                                                      region: c.choice, context: c.context, policy: OutputPolicy(namesTeasers: false))
                perPage[i] = ShingleMetric.page(truth: c.gold, predicted: ShingleMetric.shingles(scored.editorialText))
            }
        }
        var bySource: [String: ShingleMetric] = [:]
        for (i, p) in pages.enumerated() {
            bySource[material.pages[p].source ?? "other", default: ShingleMetric()].add(perPage[i]!)
        }
        return bySource.values.map(\.f1).reduce(0, +) / Double(max(1, bySource.count))
    }
}
