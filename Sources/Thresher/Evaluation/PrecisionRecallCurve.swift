/// Precision and recall of `editorial` (per block) as the decision threshold sweeps from 0 to 1.
public struct PrecisionRecallCurve: Sendable {
    /// Precision and recall at one threshold.
    public struct Point: Sendable {
        public var threshold: Float
        public var precision: Double
        public var recall: Double
    }

    public var points: [Point]

    /// The curve over thresholds 0.01, 0.02, ..., 0.99 from blocks' editorial probabilities and gold.
    public init(_ blocks: [(probability: Float, editorial: Bool, words: Int)]) {
        // Count blocks per probability bin once, then sweep: O(blocks + bins).
        let bins = 100
        var positives = [Double](repeating: 0, count: bins + 1), negatives = [Double](repeating: 0, count: bins + 1)
        for block in blocks {
            let bin = min(bins, max(0, Int(block.probability * Float(bins))))
            if block.editorial { positives[bin] += 1 } else { negatives[bin] += 1 }
        }
        let totalPositives = positives.reduce(0, +)
        var tp = 0.0, fp = 0.0
        var points: [Point] = []
        for bin in stride(from: bins, through: 1, by: -1) {
            tp += positives[bin]
            fp += negatives[bin]
            if bin < bins {
                points.append(Point(threshold: Float(bin) / Float(bins), precision: tp + fp == 0 ? 1 : tp / (tp + fp),
                                    recall: totalPositives == 0 ? 0 : tp / totalPositives))
            }
        }
        self.points = points.reversed()
    }
}
