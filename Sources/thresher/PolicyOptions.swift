import ArgumentParser
import Thresher

/// How probabilities become labels: the options of every command that labels pages.
struct PolicyOptions: ParsableArguments {
    @Option(help: "Editorial probability a block needs to be editorial: lower for recall, higher for precision (default: the model's).")
    var threshold: Float?

    @Flag(help: "Leave out the headline (h1), figures and captions (by element or class name) and lines that are mostly links: the article body only, as the Zyte benchmark's articleBody.")
    var bodyOnly = false

    @Flag(help: "Leave a page empty when no block reaches the threshold (default: take its most editorial-looking blocks).")
    var noFallback = false

    @Flag(help: "Ignore the model's page-level choice of the main region (label every block on its own evidence).")
    var noRegion = false

    @Flag(help: "Leave teasers and calls to action that only the link rules (links to other articles of the site, app stores, subscription pages) or the model's noise model find as the block model labels them.")
    var noLinkRules = false

    /// The output policy these options ask for.
    var policy: OutputPolicy {
        OutputPolicy(threshold: threshold, bodyOnly: bodyOnly, fallback: !noFallback, usesRegion: !noRegion, namesTeasers: !noLinkRules)
    }
}
