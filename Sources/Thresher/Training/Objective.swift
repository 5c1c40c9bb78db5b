import Foundation

/// The L2-regularised multinomial logistic loss and its gradient, every product through BLAS:
///
///     f(W, b) = 1/2 ||W||^2 + C * sum_i s_i * -log softmax(W x_i + b)[y_i]
///
/// as scikit-learn's `LogisticRegression(C=C)` defines it (the intercept is not penalised). Parameters
/// are one vector: the classes x features weights, row-major, then the biases.
struct Objective {
    let x: UnsafeBufferPointer<Float>
    let rows: Int
    let columns: Int
    let classes: Int
    /// Class index of each row.
    let targets: [Int]
    /// C times the sample weight of each row.
    let rowWeights: [Float]
    /// Scratch space for the logits and residuals, rows x classes.
    private var scratch: [Float]
    /// A vector of ones, to sum the residual's columns with a matrix-vector product.
    private let ones: [Float]

    init(x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, classes: Int, targets: [Int], rowWeights: [Float]) {
        self.x = x
        self.rows = rows
        self.columns = columns
        self.classes = classes
        self.targets = targets
        self.rowWeights = rowWeights
        scratch = [Float](repeating: 0, count: rows * classes)
        ones = [Float](repeating: 1, count: rows)
    }

    var parameterCount: Int { classes * columns + classes }

    /// The objective at `w`, with its gradient written to `gradient`.
    mutating func evaluate(_ w: [Float], gradient: inout [Float]) -> Double {
        let k = classes, d = columns, n = rows
        let biasOffset = k * d
        for r in 0..<n { for c in 0..<k { scratch[r * k + c] = w[biasOffset + c] } }
        w.withUnsafeBufferPointer { wp in
            scratch.withUnsafeMutableBufferPointer { z in
                BLAS.gemm(transB: true, m: n, n: k, k: d, a: x.baseAddress!, lda: d, b: wp.baseAddress!, ldb: d, beta: 1,
                          c: z.baseAddress!, ldc: k)
            }
        }
        // Softmax and loss per row; the scratch becomes s_i * (p_i - onehot(y_i)).
        var loss: Double = 0
        for r in 0..<n {
            let base = r * k
            var top = -Float.infinity
            for c in 0..<k { top = max(top, scratch[base + c]) }
            var sum: Double = 0
            for c in 0..<k { sum += Double(expf(scratch[base + c] - top)) }
            let logSum = Double(top) + log(sum)
            loss += Double(rowWeights[r]) * (logSum - Double(scratch[base + targets[r]]))
            for c in 0..<k {
                let p = Float(exp(Double(scratch[base + c]) - logSum))
                scratch[base + c] = rowWeights[r] * (p - (c == targets[r] ? 1 : 0))
            }
        }
        var penalty: Double = 0
        for j in 0..<biasOffset { penalty += Double(w[j]) * Double(w[j]) }
        // Gradient of the weights: W + residualᵀ X; of the biases: residualᵀ 1 (its column sums).
        for j in 0..<biasOffset { gradient[j] = w[j] }
        scratch.withUnsafeBufferPointer { residual in
            gradient.withUnsafeMutableBufferPointer { g in
                BLAS.gemm(transA: true, m: k, n: d, k: n, a: residual.baseAddress!, lda: k, b: x.baseAddress!, ldb: d, beta: 1,
                          c: g.baseAddress!, ldc: d)
                ones.withUnsafeBufferPointer { one in
                    BLAS.gemv(trans: true, m: n, n: k, a: residual.baseAddress!, lda: k, x: one.baseAddress!,
                              y: g.baseAddress! + biasOffset)
                }
            }
        }
        return 0.5 * penalty + loss
    }
}
