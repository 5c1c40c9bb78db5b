/// Lines for scored blocks: JSON objects or tab-separated values.
public enum BlockFormat {
    /// `{"page", "block", "label", "probs": {class: p}, "text"}`, and where the region model chose a
    /// main region, `"main_region": {"inside", "probability"}`.
    public static func json(_ scored: ScoredPage, block i: Int) -> String {
        let probabilities = scored.probabilities(ofBlock: i)
        let probs = zip(scored.classes, probabilities).map { JSON.string($0.rawValue) + ":" + probability($1) }.joined(separator: ",")
        let region = scored.region.map {
            ",\"main_region\":{\"inside\":\($0.region.blocks.contains(i)),\"probability\":" + probability(Float($0.probability)) + "}"
        } ?? ""
        return "{\"page\":" + JSON.string(scored.page.id) + scored.page.originFields + ",\"block\":\(i),\"label\":" + JSON.string(scored.labels[i].rawValue)
            + ",\"probs\":{" + probs + "}" + region + ",\"text\":" + JSON.string(scored.page.blocks[i].text) + "}"
    }

    /// The `json` object with an `explanation` (`score --explain`): the runner-up class, the regression's
    /// logit margin against it, the bias difference, the most raising and lowering features (name, raw
    /// value, contribution), the sum of the other features' contributions, the probabilities of the
    /// regression and of the plain sequence pass, the block's editorial threshold, whether it lies in the
    /// chosen region, and the output rules that changed its label.
    public static func json(_ scored: ScoredPage, block i: Int, explanation e: BlockExplanation) -> String {
        func terms(_ list: [BlockExplanation.Term]) -> String {
            "[" + list.map { "{\"feature\":" + JSON.string($0.feature) + ",\"value\":" + JSON.number($0.value) + ",\"contribution\":" + JSON.number($0.contribution) + "}" }
                .joined(separator: ",") + "]"
        }
        func probs(_ values: [Float]) -> String {
            "{" + zip(scored.classes, values).map { JSON.string($0.rawValue) + ":" + probability($1) }.joined(separator: ",") + "}"
        }
        let explanation = "{\"against\":" + JSON.string(e.runnerUp.rawValue) + ",\"logit_margin\":" + JSON.number(e.margin)
            + ",\"bias\":" + JSON.number(e.bias) + ",\"raising\":" + terms(e.raising) + ",\"lowering\":" + terms(e.lowering)
            + ",\"other_features\":" + JSON.number(e.rest) + ",\"probs_regression\":" + probs(e.regression)
            + ",\"probs_sequence\":" + probs(e.sequence) + ",\"threshold\":" + JSON.number(e.threshold)
            + ",\"inside_region\":" + (e.insideRegion.map { "\($0)" } ?? "null") + ",\"rules\":" + JSON.array(e.rules) + "}"
        var line = json(scored, block: i)
        line.removeLast()
        return line + ",\"explanation\":" + explanation + "}"
    }

    /// `page<TAB>block<TAB>label<TAB>probability of that label<TAB>text`.
    public static func tsv(_ scored: ScoredPage, block i: Int) -> String {
        let k = scored.classes.firstIndex(of: scored.labels[i]) ?? 0
        let text = scored.page.blocks[i].text.replacingTabs
        return "\(scored.page.id.replacingTabs)\t\(i)\t\(scored.labels[i].rawValue)\t\(probability(scored.probabilities(ofBlock: i)[scored.probabilities(ofBlock: i).startIndex + k]))\t\(text)"
    }

    /// Four decimals: enough for a reader, and stable output.
    static func probability(_ p: Float) -> String {
        let scaled = Int((Double(p) * 10000).rounded())
        return "\(scaled / 10000).\(String(scaled % 10000).leftPadded(to: 4, with: "0"))"
    }
}

extension String {
    var replacingTabs: String { contains("\t") ? split(separator: "\t", omittingEmptySubsequences: false).joined(separator: " ") : self }
}
