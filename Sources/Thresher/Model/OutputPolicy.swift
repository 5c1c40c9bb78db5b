/// The rules that turn a page's class probabilities into the labels a user sees: the editorial
/// threshold, and what a clean extraction promises beyond the per-block decision.
public struct OutputPolicy: Sendable {
    /// Editorial probability a block needs to be editorial; nil takes the model's.
    public var threshold: Float?
    /// Leave out what is not an article's body, as the Zyte benchmark's `articleBody` does: the headline
    /// (`h1`), figures and captions (by element or class name), and blocks that are mostly link text
    /// (a "Read more" line inside the story). For corpora of article bodies rather than reader views.
    /// Text scrapes carry no markup or links, so it leaves them as they are.
    public var bodyOnly: Bool
    /// When no block of a page reaches editorial, take its most editorial-looking blocks rather than
    /// nothing (see `apply`).
    public var fallback: Bool
    /// Let the model's page-level region choice move the editorial threshold inside and outside the region.
    public var usesRegion: Bool
    /// Name the blocks the model calls `boilerplate` that `WeakLabeller` calls teasers or calls to action
    /// `clickbait` and `promo`: its link rules find what the block model cannot see (where a link goes);
    /// then those the model's noise model (`Model.noiseModel`) names. Editorial text never changes.
    public var namesTeasers: Bool

    /// A policy; the defaults are those of the CLI.
    public init(threshold: Float? = nil, bodyOnly: Bool = false, fallback: Bool = true, usesRegion: Bool = true, namesTeasers: Bool = true) {
        self.threshold = threshold
        self.bodyOnly = bodyOnly
        self.fallback = fallback
        self.usesRegion = usesRegion
        self.namesTeasers = namesTeasers
    }

    /// The editorial threshold of each block. Where the region model chose an element with enough
    /// confidence, blocks inside it need less evidence and blocks outside it much more: per-block
    /// evidence cannot tell which of two prose regions is the article, the page-level choice can.
    /// A choice of the whole page, or an unsure one, leaves the one threshold (a list or landing page
    /// comes out as without the region model).
    func thresholds(blocks: Int, region: RegionChoice?, model: Model) -> [Float] {
        let base = threshold ?? model.threshold
        var thresholds = [Float](repeating: base, count: blocks)
        guard let region, let rule = model.region, region.region.element != nil, Float(region.probability) >= rule.confidence else {
            return thresholds
        }
        // A user's own --threshold shifts both region thresholds with it.
        let shift = base - model.threshold
        for i in 0..<blocks {
            let inside = region.region.blocks.contains(i)
            thresholds[i] = min(1, max(0, (inside ? rule.insideThreshold : rule.outsideThreshold) + shift))
        }
        return thresholds
    }

    /// Editorial blocks of at least this many words are shown once.
    static let repeatMinimumWords = 6
    /// The fallback keeps blocks whose editorial probability is at least this share of the page's highest.
    static let fallbackShare: Float = 0.5

    /// The rules below that can change a block's label, as `score --explain` names them.
    public enum Rule: String, Sendable {
        case repeatBeforeSequencePass = "repeat-before-sequence-pass"
        case `repeat`
        case teaserRepeat = "teaser-repeat"
        case fallback
        case bodyOnly = "body-only"
        case linkRules = "link-rules"
        case noiseModel = "noise-model"
    }

    /// Adjusts the labels the probabilities (blocks x `classes`, row-major) gave, in place; `fired` hears
    /// of every label a rule changed.
    func apply(_ labels: inout [Label], page: SegmentedPage, context: PageContext, probabilities: [Float], classes: [Label],
               fired: ((Int, Rule) -> Void)? = nil) {
        // A clean extraction shows a block once, so a later exact repeat of an editorial block (a
        // headline or caption shown twice) is boilerplate. Short blocks are exempt: table cells and
        // list items ("Yes", "2 cups") legitimately repeat. (`demoteRepeats` told the sequence pass
        // already; this catches a first copy that only the pass made editorial.)
        var editorialTexts = HashCounter(capacity: labels.count)
        for i in labels.indices where labels[i] == .editorial && page.blocks[i].words >= Self.repeatMinimumWords {
            if editorialTexts.add(context.scans[i].textKey) > 0 {
                labels[i] = .boilerplate
                fired?(i, .repeat)
            }
        }
        // A teaser shown twice (in a rail and again under "Before you go") is still a teaser: the
        // repeat feature alone pulls later copies towards boilerplate, the label of most repeats.
        var teaserTexts = HashCounter(capacity: labels.count)
        for i in labels.indices where page.blocks[i].words >= Self.repeatMinimumWords {
            let key = context.scans[i].textKey
            if labels[i] == .clickbait {
                teaserTexts.add(key)
            } else if labels[i] == .boilerplate && teaserTexts.count(key) > 0 {
                labels[i] = .clickbait
                fired?(i, .teaserRepeat)
            }
        }
        // An empty extraction of a page with text serves no reader; pages whose content is a list or
        // a form (a discography, a landing page) often score below the threshold everywhere. Measured
        // on dev pages: googletrends token F1 +0.017, Zyte cross-validation +0.002, CleanEval -0.003
        // (one page whose gold is empty). A one-block page (an item of a headline list) is judged alone.
        if fallback, labels.count > 1, !labels.contains(.editorial), let e = classes.firstIndex(of: .editorial) {
            let k = classes.count
            let highest = labels.indices.map { probabilities[$0 * k + e] }.max() ?? 0
            for i in labels.indices where highest > 0 && labels[i] == .boilerplate && probabilities[i * k + e] >= Self.fallbackShare * highest {
                labels[i] = .editorial
                fired?(i, .fallback)
            }
        }
        if namesTeasers && page.format == .html {
            for (i, candidate) in WeakLabeller.candidates(page).enumerated() where labels[i] == .boilerplate {
                if let candidate, classes.contains(candidate) {
                    labels[i] = candidate
                    fired?(i, .linkRules)
                }
            }
        }
        if bodyOnly {
            for i in labels.indices where labels[i] == .editorial && !Self.isBody(page.blocks[i]) {
                labels[i] = .boilerplate
                fired?(i, .bodyOnly)
            }
        }
    }

    /// Moves the editorial probability of every later exact repeat (of six or more words) of a block
    /// that looks editorial to boilerplate, before the sequence pass. Measured: seed page 29 -> 31 of
    /// 36 lines; Zyte cross-validation, scrape cross-validation, CleanEval and googletrends dev within
    /// 0.001 of before.
    static func demoteRepeats(_ probabilities: inout [Float], classes: [Label], threshold: Float, page: SegmentedPage, context: PageContext) {
        guard let e = classes.firstIndex(of: .editorial), let b = classes.firstIndex(of: .boilerplate) else { return }
        let k = classes.count
        var editorialTexts = HashCounter(capacity: page.blocks.count)
        for i in page.blocks.indices where page.blocks[i].words >= repeatMinimumWords {
            let key = context.scans[i].textKey
            if editorialTexts.count(key) > 0 {
                probabilities[i * k + b] += probabilities[i * k + e]
                probabilities[i * k + e] = 0
            } else if probabilities[i * k + e] >= threshold {
                editorialTexts.add(key)
            }
        }
    }

    /// Whether a block can belong to an article body: not the headline, not in a figure (its caption or
    /// credit), not a caption or credit by its class names where the page marks captions without a
    /// `figure` element, not mostly link text. On the Zyte pages blocks over half link text hold 751
    /// words of the gold body (0.8% of it) and 41,112 words outside it.
    static func isBody(_ block: Block) -> Bool {
        block.tag != "h1" && 2 * block.linkChars <= block.chars
            && !block.path.split(separator: ">").contains { $0 == "figure" || $0 == "figcaption" }
            && !block.elementTokens.contains(where: isCaptionName) && !block.ancestorTokens.contains(where: isCaptionName)
    }

    /// A class or id naming a caption or a credit (`wp-caption-text`, `image-credit`, `photoCaption`):
    /// Zyte cross-validation with `--body-only` 0.9568 -> 0.9584 (caption 0.9582, credit alone +0.0002).
    static func isCaptionName(_ token: String) -> Bool {
        let lower = token.lowercased()
        return lower.contains("caption") || lower.contains("credit")
    }
}
