import Foundation

/// Applies a model to feature matrices: the standardisation is folded into the weights once, so
/// scoring a page is one matrix product and a softmax.
public struct Scorer: Sendable {
    public let model: Model
    /// Weights on raw features (weights * scale), classes x features; bias minus the folded mean.
    let rawWeights: [Float]
    let rawBias: [Float]
    let editorial: Int?

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
    }

    /// Class probabilities for each row of `features`, rows x classes, row-major; each row sums to 1.
    public func probabilities(_ features: FeatureMatrix) -> [Float] {
        let k = model.classes.count
        var logits = [Float](repeating: 0, count: features.rows * k)
        guard features.rows > 0 else { return logits }
        for r in 0..<features.rows { for c in 0..<k { logits[r * k + c] = rawBias[c] } }
        features.values.withUnsafeBufferPointer { x in
            rawWeights.withUnsafeBufferPointer { w in
                logits.withUnsafeMutableBufferPointer { out in
                    BLAS.gemm(transB: true, m: features.rows, n: k, k: features.columns, a: x.baseAddress!, lda: features.columns,
                              b: w.baseAddress!, ldb: features.columns, beta: 1, c: out.baseAddress!, ldc: k)
                }
            }
        }
        Softmax.inPlace(&logits, rows: features.rows, classes: k)
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
