/// The weak labeller measured against hand marks: per class, how many of its candidates the marks
/// confirm (precision) and how many marks it finds (recall), over blocks the gold leaves to the rest.
public struct WeakLabelCheck: Sendable {
    /// Per class (`clickbait`, `promo`): candidates, marked blocks, and both.
    public private(set) var counts: [Label: (candidates: Int, marked: Int, both: Int)] = [:]
    /// Pages compared.
    public private(set) var pages = 0

    /// No pages yet.
    public init() {}

    /// Compares the candidates of a page with its labels after the hand marks were merged in.
    public mutating func add(candidates: [Label?], marked: [Label]) {
        pages += 1
        for label in [Label.clickbait, .promo] {
            var c = counts[label] ?? (0, 0, 0)
            for (candidate, truth) in zip(candidates, marked) where truth != .editorial && truth != .comment {
                if candidate == label { c.candidates += 1 }
                if truth == label { c.marked += 1 }
                if candidate == label && truth == label { c.both += 1 }
            }
            counts[label] = c
        }
    }

    /// One line per class: precision, recall, F1 and the counts behind them.
    public var lines: [String] {
        [Label.clickbait, .promo].map { label in
            let c = counts[label] ?? (0, 0, 0)
            let p = c.candidates == 0 ? 0 : Double(c.both) / Double(c.candidates)
            let r = c.marked == 0 ? 0 : Double(c.both) / Double(c.marked)
            let f = p + r == 0 ? 0 : 2 * p * r / (p + r)
            return "weak labeller, \(label.rawValue): precision \(String(format: "%.3f", p)) recall \(String(format: "%.3f", r)) F1 "
                + String(format: "%.3f", f) + " (\(c.candidates) candidates, \(c.marked) marked, \(c.both) both; \(pages) annotated pages)"
        }
    }
}
