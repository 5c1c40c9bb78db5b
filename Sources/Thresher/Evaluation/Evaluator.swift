/// Scores labelled pages and measures the result against their gold labels and gold text.
public struct Evaluator: Sendable {
    public let scorer: Scorer
    /// How probabilities become labels (threshold, fallback, body only): measured as a user gets them.
    public var policy: OutputPolicy

    /// An evaluator of `scorer` under `policy`.
    public init(scorer: Scorer, policy: OutputPolicy = OutputPolicy()) {
        self.scorer = scorer
        self.policy = policy
    }

    /// Every figure of an evaluation.
    public struct Report: Sendable {
        public var pages = 0
        public var confusion = ConfusionMatrix()
        /// `editorial` against everything else, per block and weighted by words.
        public var editorialBlocks = BinaryCounts()
        public var editorialWords = BinaryCounts()
        /// The Zyte benchmark's token metric on the extracted text against the gold main text.
        public var tokens = ShingleMetric()
        /// Headlines and first paragraphs of text scrapes kept.
        public var openings = ScrapeOpenings()
        /// Editorial probability and gold of every block, for the precision-recall curve.
        public var curvePoints: [(probability: Float, editorial: Bool, words: Int)] = []

        /// An empty report.
        public init() {}

        /// The headline figures by name (stored in the model file as dev metrics).
        public var summary: [String: Double] {
            var figures = [
                "block_editorial_precision": editorialBlocks.precision, "block_editorial_recall": editorialBlocks.recall,
                "block_editorial_f1": editorialBlocks.f1, "word_editorial_f1": editorialWords.f1,
                "macro_f1": confusion.macro.f1, "accuracy": confusion.accuracy,
            ]
            if openings.pages > 0 { figures["scrape_headline_kept"] = Double(openings.headlinesKept) / Double(openings.pages) }
            if openings.leadPages > 0 { figures["scrape_lead_kept"] = Double(openings.leadsKept) / Double(openings.leadPages) }
            if tokens.pages > 0 {
                figures["token_precision"] = tokens.precision
                figures["token_recall"] = tokens.recall
                figures["token_f1"] = tokens.f1
            }
            return figures
        }
    }

    /// Evaluates labelled pages (pages without labels are skipped).
    public func evaluate(_ pages: [SegmentedPage]) -> Report {
        var report = Report()
        for page in pages { add(page, to: &report) }
        return report
    }

    /// Adds one labelled page to a report.
    public func add(_ page: SegmentedPage, to report: inout Report) {
        guard page.labels != nil else { return }
        Evaluator.add(scorer.score(page, policy: policy), to: &report)
    }

    /// Adds one scored page with gold labels to a report.
    public static func add(_ scored: ScoredPage, to report: inout Report) {
        let page = scored.page
        guard let gold = page.labels else { return }
        let probabilities = scored.editorialProbabilities
        report.pages += 1
        for (i, block) in page.blocks.enumerated() {
            report.confusion.add(gold: gold[i], predicted: scored.labels[i])
            let isGold = gold[i] == .editorial, isPredicted = scored.labels[i] == .editorial
            report.editorialBlocks.add(gold: isGold, predicted: isPredicted)
            report.editorialWords.add(gold: isGold, predicted: isPredicted, weight: Double(block.words))
            report.curvePoints.append((probabilities[i], isGold, block.words))
        }
        report.openings.add(scored)
        // Pages labelled block by block have no separate gold text: their editorial blocks are it.
        report.tokens.add(gold: page.goldText ?? page.labelledEditorialText, predicted: scored.editorialText)
    }
}
