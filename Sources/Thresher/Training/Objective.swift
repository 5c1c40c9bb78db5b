import Dispatch
import Foundation

/// The L2-regularised multinomial logistic loss and its gradient, every product through BLAS:
///
///     f(W, b) = 1/2 ||W||^2 + C * sum_i s_i * -log softmax(W x_i + b)[y_i]
///
/// as scikit-learn's `LogisticRegression(C=C)` defines it (the intercept is not penalised). Parameters
/// are one vector: the classes x features weights, row-major, then the biases.
///
/// The rows are taken in chunks: a chunk's logits and its share of the gradient are computed while the
/// chunk is still in cache (one pass over the matrix instead of two), and chunks run on `jobs` threads.
/// Each chunk keeps its own partial gradient and loss, summed in chunk order afterwards, so the result
/// is the same bits whatever the number of threads.
/// `@unchecked Sendable`: threads only read the matrix and the parameters, and write disjoint chunk buffers.
struct Objective: @unchecked Sendable {
    let x: UnsafeBufferPointer<Float>
    let rows: Int
    let columns: Int
    let classes: Int
    /// Class index of each row.
    let targets: [Int]
    /// C times the sample weight of each row.
    let rowWeights: [Float]
    let jobs: Int
    private let buffers: ChunkBuffers

    /// Rows per chunk: 2,048 rows of 1,136 floats are about 9 MB.
    static let chunkRows = 2048

    init(x: UnsafeBufferPointer<Float>, rows: Int, columns: Int, classes: Int, targets: [Int], rowWeights: [Float], jobs: Int = 1) {
        self.x = x
        self.rows = rows
        self.columns = columns
        self.classes = classes
        self.targets = targets
        self.rowWeights = rowWeights
        self.jobs = max(1, jobs)
        buffers = ChunkBuffers(chunks: (rows + Objective.chunkRows - 1) / Objective.chunkRows,
                               parameters: classes * columns + classes, scratch: Objective.chunkRows * classes)
    }

    var parameterCount: Int { classes * columns + classes }

    /// The objective at `w`, with its gradient written to `gradient`.
    mutating func evaluate(_ w: [Float], gradient: inout [Float]) -> Double {
        let chunks = buffers.chunks
        let objective = self
        w.withUnsafeBufferPointer { wp in
            nonisolated(unsafe) let parameters = wp
            DispatchQueue.concurrentPerform(iterations: min(jobs, max(1, chunks))) { thread in
                var chunk = thread
                while chunk < chunks {
                    objective.evaluate(chunk: chunk, parameters)
                    chunk += objective.jobs
                }
            }
        }
        let weightCount = classes * columns
        var penalty: Double = 0
        for j in 0..<weightCount {
            penalty += Double(w[j]) * Double(w[j])
            gradient[j] = w[j]
        }
        for j in weightCount..<parameterCount { gradient[j] = 0 }
        var loss: Double = 0
        for chunk in 0..<chunks {
            loss += buffers.loss[chunk]
            let partial = buffers.gradient(chunk)
            for j in 0..<parameterCount { gradient[j] += partial[j] }
        }
        return 0.5 * penalty + loss
    }

    /// One chunk's loss and partial gradient (without the penalty), into its own buffers.
    private func evaluate(chunk: Int, _ w: UnsafeBufferPointer<Float>) {
        let k = classes, d = columns
        let first = chunk * Objective.chunkRows
        let m = min(rows, first + Objective.chunkRows) - first
        let biasOffset = k * d
        let z = buffers.scratch(chunk)
        for r in 0..<m { for c in 0..<k { z[r * k + c] = w[biasOffset + c] } }
        let xChunk = x.baseAddress! + first * d
        BLAS.gemm(transB: true, m: m, n: k, k: d, a: xChunk, lda: d, b: w.baseAddress!, ldb: d, beta: 1, c: z, ldc: k)
        // Softmax and loss per row; the scratch becomes s_i * (p_i - onehot(y_i)).
        var loss: Double = 0
        for r in 0..<m {
            let row = z + r * k
            let target = targets[first + r], weight = rowWeights[first + r]
            var top = -Float.infinity
            for c in 0..<k { top = max(top, row[c]) }
            var sum: Double = 0
            for c in 0..<k { sum += Double(expf(row[c] - top)) }
            let logSum = Double(top) + log(sum)
            loss += Double(weight) * (logSum - Double(row[target]))
            for c in 0..<k {
                let p = Float(exp(Double(row[c]) - logSum))
                row[c] = weight * (p - (c == target ? 1 : 0))
            }
        }
        buffers.loss[chunk] = loss
        // This chunk's gradient: residualᵀ X for the weights, residualᵀ 1 (column sums) for the biases.
        let g = buffers.gradient(chunk)
        BLAS.gemm(transA: true, m: k, n: d, k: m, a: z, lda: k, b: xChunk, ldb: d, beta: 0, c: g, ldc: d)
        BLAS.gemv(trans: true, m: m, n: k, a: z, lda: k, x: buffers.ones, beta: 0, y: g + biasOffset)
    }
}

/// Memory each chunk works in: its partial gradient, its logits, its loss; and a vector of ones.
private final class ChunkBuffers: @unchecked Sendable {
    let chunks: Int
    private let parameters: Int
    private let scratchSize: Int
    private let gradients: UnsafeMutablePointer<Float>
    private let scratches: UnsafeMutablePointer<Float>
    let ones: UnsafeMutablePointer<Float>
    let loss: UnsafeMutablePointer<Double>

    init(chunks: Int, parameters: Int, scratch: Int) {
        self.chunks = chunks
        self.parameters = parameters
        scratchSize = scratch
        gradients = .allocate(capacity: max(1, chunks * parameters))
        scratches = .allocate(capacity: max(1, chunks * scratch))
        ones = .allocate(capacity: Objective.chunkRows)
        ones.initialize(repeating: 1, count: Objective.chunkRows)
        loss = .allocate(capacity: max(1, chunks))
        loss.initialize(repeating: 0, count: max(1, chunks))
    }

    deinit {
        gradients.deallocate()
        scratches.deallocate()
        ones.deallocate()
        loss.deallocate()
    }

    func gradient(_ chunk: Int) -> UnsafeMutablePointer<Float> { gradients + chunk * parameters }
    func scratch(_ chunk: Int) -> UnsafeMutablePointer<Float> { scratches + chunk * scratchSize }
}
