/// Counts of (gold, predicted) label pairs over blocks, with per-class and macro metrics.
public struct ConfusionMatrix: Sendable {
    /// counts[gold][predicted], indexed by `Label.allCases` order.
    public private(set) var counts = [[Int]](repeating: [Int](repeating: 0, count: Label.allCases.count), count: Label.allCases.count)

    /// Empty counts.
    public init() {}

    public mutating func add(gold: Label, predicted: Label, count: Int = 1) {
        counts[Label.allCases.firstIndex(of: gold)!][Label.allCases.firstIndex(of: predicted)!] += count
    }

    /// Precision, recall, F1 and support (gold blocks) of one class.
    public func metrics(of label: Label) -> (precision: Double, recall: Double, f1: Double, support: Int) {
        let k = Label.allCases.firstIndex(of: label)!
        let tp = Double(counts[k][k])
        let predicted = Double(counts.reduce(0) { $0 + $1[k] })
        let support = counts[k].reduce(0, +)
        let precision = predicted == 0 ? 0 : tp / predicted
        let recall = support == 0 ? 0 : tp / Double(support)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        return (precision, recall, f1, support)
    }

    /// Classes that occur in the gold or in the predictions.
    public var presentLabels: [Label] {
        Label.allCases.enumerated().filter { k, _ in counts[k].reduce(0, +) > 0 || counts.reduce(0, { $0 + $1[k] }) > 0 }.map(\.1)
    }

    /// Unweighted means over the classes present in the gold.
    public var macro: (precision: Double, recall: Double, f1: Double) {
        let present = Label.allCases.filter { metrics(of: $0).support > 0 }
        guard !present.isEmpty else { return (0, 0, 0) }
        let all = present.map(metrics)
        let n = Double(present.count)
        return (all.map(\.precision).reduce(0, +) / n, all.map(\.recall).reduce(0, +) / n, all.map(\.f1).reduce(0, +) / n)
    }

    /// Share of blocks labelled right.
    public var accuracy: Double {
        let total = counts.joined().reduce(0, +)
        return total == 0 ? 0 : Double(Label.allCases.indices.map { counts[$0][$0] }.reduce(0, +)) / Double(total)
    }
}

/// True and false positives and negatives of one binary decision, possibly weighted.
public struct BinaryCounts: Sendable {
    public var tp = 0.0, fp = 0.0, fn = 0.0, tn = 0.0

    /// Empty counts.
    public init() {}

    public mutating func add(gold: Bool, predicted: Bool, weight: Double = 1) {
        switch (gold, predicted) {
        case (true, true): tp += weight
        case (false, true): fp += weight
        case (true, false): fn += weight
        case (false, false): tn += weight
        }
    }

    public var precision: Double { tp + fp == 0 ? 0 : tp / (tp + fp) }
    public var recall: Double { tp + fn == 0 ? 0 : tp / (tp + fn) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
}
