import Foundation

/// Applies a model to feature matrices: the standardisation is folded into the weights once, so
/// scoring a page is one matrix product and a softmax.
public struct Scorer: Sendable {
    public let model: Model
    /// Weights on raw features (weights * scale), classes x features; bias minus the folded mean.
    let rawWeights: [Float]
    let rawBias: [Float]
    let editorial: Int?
    /// The scorer of the model's text block model, when it has one (an array: see `Model.textModel`).
    let textScorers: [Scorer]
    /// The scorer of the model's noise model, when it has one.
    let noiseScorers: [Scorer]

    /// A scorer for `model`.
    public init(_ model: Model) {
        self.model = model
        let k = model.classes.count, d = model.dimension
        var weights = model.weights
        var bias = model.bias
        for c in 0..<k {
            var shift: Double = 0
            for j in 0..<d {
                weights[c * d + j] *= model.scale[j]
                shift += Double(weights[c * d + j]) * Double(model.mean[j])
            }
            bias[c] -= Float(shift)
        }
        rawWeights = weights
        rawBias = bias
        editorial = model.classes.firstIndex(of: .editorial)
        textScorers = model.textModel.map { [Scorer($0)] } ?? []
        noiseScorers = model.noiseModel.map { [Scorer($0)] } ?? []
    }

    /// The noise model's scorer when the policy names teasers, `page` is an HTML page and the model has
    /// one: the one decision of whether a page's boilerplate blocks are named.
    func noiseScorer(for page: SegmentedPage, namesTeasers: Bool) -> Scorer? {
        namesTeasers && page.format == .html ? noiseScorers.first : nil
    }

    /// The text block model's scorer when `page` is a text scrape and the model has one; every entry
    /// point hands such a page to it.
    func textScorer(for page: SegmentedPage) -> Scorer? {
        page.format == .text ? textScorers.first : nil
    }

    /// Class probabilities for each row of `features`, rows x classes, row-major; each row sums to 1.
    public func probabilities(_ features: FeatureMatrix) -> [Float] {
        let k = model.classes.count, n = features.rows, d = features.columns
        guard n > 0 else { return [] }
        // One matrix-vector product per class rather than one matrix product: with five classes,
        // OpenBLAS's sgemm kernel pads its tiles and runs a third slower than five sgemv calls
        // (measured on pages of 50 to 2,048 blocks).
        var byClass = [Float](repeating: 0, count: k * n)
        features.values.withUnsafeBufferPointer { x in
            rawWeights.withUnsafeBufferPointer { w in
                byClass.withUnsafeMutableBufferPointer { out in
                    for c in 0..<k {
                        BLAS.gemv(m: n, n: d, a: x.baseAddress!, lda: d, x: w.baseAddress! + c * d, y: out.baseAddress! + c * n)
                    }
                }
            }
        }
        var logits = [Float](repeating: 0, count: n * k)
        for r in 0..<n { for c in 0..<k { logits[r * k + c] = byClass[c * n + r] + rawBias[c] } }
        Softmax.inPlace(&logits, rows: n, classes: k)
        return logits
    }

    /// The label of one block from its probabilities, with the editorial threshold applied.
    public func label(_ probabilities: ArraySlice<Float>, threshold: Float? = nil) -> Label {
        let threshold = threshold ?? model.threshold
        let base = probabilities.startIndex
        if let editorial {
            if probabilities[base + editorial] >= threshold { return .editorial }
            var best = -1
            for c in model.classes.indices where c != editorial && (best < 0 || probabilities[base + c] > probabilities[base + best]) {
                best = c
            }
            return best >= 0 ? model.classes[best] : .editorial
        }
        var best = 0
        for c in model.classes.indices where probabilities[base + c] > probabilities[base + best] { best = c }
        return model.classes[best]
    }
}

/// Row-wise softmax, stable against overflow.
enum Softmax {
    static func inPlace(_ values: inout [Float], rows: Int, classes k: Int) {
        for r in 0..<rows {
            var top = -Float.infinity
            for c in 0..<k { top = max(top, values[r * k + c]) }
            var sum: Float = 0
            for c in 0..<k {
                let e = expf(values[r * k + c] - top)
                values[r * k + c] = e
                sum += e
            }
            for c in 0..<k { values[r * k + c] /= sum }
        }
    }
}
