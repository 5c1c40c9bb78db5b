/// The token-level metric of the Zyte article-extraction benchmark (its `evaluate.py`): 4-token
/// shingles of `\w+` tokens (case kept), counted as multisets; precision and recall per page, each
/// averaged over the pages where it is defined, and F1 of the two means.
public struct ShingleMetric: Sendable {
    private var precisionSum = 0.0, precisionPages = 0
    private var recallSum = 0.0, recallPages = 0
    /// Pages measured.
    public private(set) var pages = 0

    /// A metric over no pages yet.
    public init() {}

    /// Shingle counts of a text: windows of 4 tokens; a text of 1 to 3 tokens is one shingle.
    static func shingles(_ text: String) -> [Int: Int] {
        let tokens = Tokenizer.tokens(text, preservingCase: true).map { $0.hashValue }
        var counts: [Int: Int] = [:]
        guard !tokens.isEmpty else { return counts }
        for i in 0..<max(1, tokens.count - 3) {
            var hasher = Hasher()
            for token in tokens[i..<min(tokens.count, i + 4)] { hasher.combine(token) }
            counts[hasher.finalize(), default: 0] += 1
        }
        return counts
    }

    /// Precision and recall of one page (nil where the benchmark leaves the page out of that mean).
    public static func page(gold: String, predicted: String) -> (precision: Double?, recall: Double?) {
        page(truth: shingles(gold), predicted: shingles(predicted))
    }

    /// Precision and recall of one page from shingle counts (the gold's counted once for many predictions).
    static func page(truth: [Int: Int], predicted prediction: [Int: Int]) -> (precision: Double?, recall: Double?) {
        var tp = 0, fp = 0, fn = 0
        for (shingle, count) in prediction {
            let inTruth = truth[shingle] ?? 0
            tp += min(count, inTruth)
            fp += max(0, count - inTruth)
        }
        for (shingle, count) in truth { fn += max(0, count - (prediction[shingle] ?? 0)) }
        let perfect = fp == 0 && fn == 0
        let precision: Double? = tp + fp == 0 ? nil : perfect ? 1 : Double(tp) / Double(tp + fp)
        let recall: Double? = tp + fn == 0 ? nil : perfect ? 1 : Double(tp) / Double(tp + fn)
        return (precision, recall)
    }

    /// Adds one page.
    public mutating func add(gold: String, predicted: String) {
        add(ShingleMetric.page(gold: gold, predicted: predicted))
    }

    /// Adds one page's precision and recall (nil where undefined).
    public mutating func add(_ page: (precision: Double?, recall: Double?)) {
        pages += 1
        let (p, r) = page
        if let p { precisionSum += p; precisionPages += 1 }
        if let r { recallSum += r; recallPages += 1 }
    }

    public var precision: Double { precisionPages == 0 ? 0 : precisionSum / Double(precisionPages) }
    public var recall: Double { recallPages == 0 ? 0 : recallSum / Double(recallPages) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
}
