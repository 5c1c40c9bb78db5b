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
        return "{\"page\":" + JSON.string(scored.page.id) + ",\"block\":\(i),\"label\":" + JSON.string(scored.labels[i].rawValue)
            + ",\"probs\":{" + probs + "}" + region + ",\"text\":" + JSON.string(scored.page.blocks[i].text) + "}"
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
