import Foundation

/// One training page of the region model: its candidates' feature rows and which one is the target.
public struct RegionExample: Sendable {
    /// Candidates x `RegionFeatures.dimension`, row-major, unstandardised.
    public var features: [Double]
    public var candidates: Int
    public var target: Int
    /// The page's corpus, for equal source weights.
    public var source: String

    /// An example; see the properties.
    public init(features: [Double], candidates: Int, target: Int, source: String) {
        self.features = features
        self.candidates = candidates
        self.target = target
        self.source = source
    }
}

/// Fits a `RegionModel` by Newton's method: the model has a few dozen weights, so the exact Hessian
/// is small, and each step is one Cholesky solve through LAPACK. Minimises
/// 1/2 lambda ||w||^2 + sum over pages of s_p * -log p(target | page), where s_p weighs each source
/// equally and averages 1.
public struct RegionTrainer: Sendable {
    public var lambda = 1.0
    public var maxIterations = 50
    public var tolerance = 1e-8

    /// A trainer with the default options.
    public init() {}

    /// Fits the weights; the policy fields of the result are left at their defaults.
    public func train(_ examples: [RegionExample]) throws -> RegionModel {
        let started = Date()
        let d = RegionFeatures.dimension
        let usable = examples.filter { $0.candidates > 1 }
        guard !usable.isEmpty else { throw TrainingError("no page with more than one candidate region to train the region model on") }
        var x: [Double] = usable.flatMap(\.features)
        let rows = x.count / d
        let (mean, scale) = RegionTrainer.standardisation(x, rows: rows, columns: d)
        for r in 0..<rows { for j in 0..<d { x[r * d + j] = (x[r * d + j] - mean[j]) * scale[j] } }
        let weights = RegionTrainer.sourceWeights(usable.map(\.source))
        let problem = Problem(x: x, pages: usable, weights: weights, lambda: lambda)

        var w = [Double](repeating: 0, count: d)
        var (value, gradient, hessian) = problem.evaluate(w, wantsHessian: true)
        let startNorm = norm(gradient)
        var summary = RegionTrainingSummary()
        summary.lambda = lambda
        while summary.iterations < maxIterations && norm(gradient) > tolerance * max(1, startNorm) {
            var step = gradient
            var h = hessian
            guard BLAS.solvePositiveDefinite(&h, &step, n: d) else { break }
            // Newton's step with halving until the objective falls (it rarely needs more than the full step).
            var t = 1.0, accepted = false
            let slope = zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            while t > 1e-10 {
                let candidate = zip(w, step).map { $0 - t * $1 }
                let trial = problem.evaluate(candidate, wantsHessian: false).value
                if trial <= value - 1e-4 * t * slope {
                    w = candidate
                    accepted = true
                    break
                }
                t /= 2
            }
            summary.iterations += 1
            guard accepted else { break }
            (value, gradient, hessian) = problem.evaluate(w, wantsHessian: true)
        }
        summary.pages = usable.count
        summary.candidates = rows
        summary.objective = value
        summary.gradientNorm = norm(gradient)
        summary.converged = summary.gradientNorm <= tolerance * max(1, startNorm) || summary.gradientNorm < 1e-6
        summary.accuracy = problem.accuracy(w)
        summary.seconds = Date().timeIntervalSince(started)
        return RegionModel(mean: mean, scale: scale, weights: w, training: summary)
    }

    private func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    /// Per-feature mean and 1/standard deviation (1 for a constant feature).
    static func standardisation(_ x: [Double], rows: Int, columns d: Int) -> (mean: [Double], scale: [Double]) {
        var mean = [Double](repeating: 0, count: d), scale = [Double](repeating: 1, count: d)
        guard rows > 0 else { return (mean, scale) }
        for r in 0..<rows { for j in 0..<d { mean[j] += x[r * d + j] } }
        for j in 0..<d { mean[j] /= Double(rows) }
        var variance = [Double](repeating: 0, count: d)
        for r in 0..<rows { for j in 0..<d { variance[j] += (x[r * d + j] - mean[j]) * (x[r * d + j] - mean[j]) } }
        for j in 0..<d where variance[j] / Double(rows) > 1e-12 { scale[j] = 1 / (variance[j] / Double(rows)).squareRoot() }
        return (mean, scale)
    }

    /// Each source weighs the same in total; the weights average 1.
    static func sourceWeights(_ sources: [String]) -> [Double] {
        var counts: [String: Double] = [:]
        for s in sources { counts[s, default: 0] += 1 }
        return sources.map { Double(sources.count) / (Double(counts.count) * counts[$0]!) }
    }

    /// The objective over standardised candidate rows, with its gradient and Hessian through BLAS.
    private struct Problem {
        let x: [Double]
        let pages: [RegionExample]
        let weights: [Double]
        let lambda: Double
        /// First row of each page.
        let offsets: [Int]

        init(x: [Double], pages: [RegionExample], weights: [Double], lambda: Double) {
            self.x = x
            self.pages = pages
            self.weights = weights
            self.lambda = lambda
            var offsets: [Int] = [], row = 0
            for page in pages { offsets.append(row); row += page.candidates }
            self.offsets = offsets
        }

        var rows: Int { x.count / RegionFeatures.dimension }

        /// Candidate probabilities of every page under `w`, stacked like the rows.
        func probabilities(_ w: [Double]) -> [Double] {
            let d = RegionFeatures.dimension
            var logits = [Double](repeating: 0, count: rows)
            BLAS.dgemv(m: rows, n: d, a: x, lda: d, x: w, y: &logits)
            var p = logits
            for (i, page) in pages.enumerated() {
                let range = offsets[i]..<(offsets[i] + page.candidates)
                p.replaceSubrange(range, with: RegionModel.softmax(Array(logits[range])))
            }
            return p
        }

        /// Objective, gradient and (when asked) Hessian, d x d row-major.
        func evaluate(_ w: [Double], wantsHessian: Bool) -> (value: Double, gradient: [Double], hessian: [Double]) {
            let d = RegionFeatures.dimension
            let p = probabilities(w)
            var value = 0.5 * lambda * w.reduce(0) { $0 + $1 * $1 }
            var residual = [Double](repeating: 0, count: rows)
            for (i, page) in pages.enumerated() {
                let o = offsets[i]
                value -= weights[i] * log(max(p[o + page.target], 1e-300))
                for c in 0..<page.candidates { residual[o + c] = weights[i] * (p[o + c] - (c == page.target ? 1 : 0)) }
            }
            var gradient = w.map { lambda * $0 }
            BLAS.dgemv(trans: true, m: rows, n: d, a: x, lda: d, x: residual, beta: 1, y: &gradient)
            guard wantsHessian else { return (value, gradient, []) }
            // H = lambda I + sum_p s_p (X_p' diag(p_p) X_p - m_p m_p') with m_p = X_p' p_p: two rank-k updates.
            var scaled = x
            for r in 0..<rows {
                let page = pageOf(row: r)
                let f = (weights[page] * p[r]).squareRoot()
                for j in 0..<d { scaled[r * d + j] *= f }
            }
            var means = [Double](repeating: 0, count: pages.count * d)
            for (i, page) in pages.enumerated() {
                let o = offsets[i]
                var m = [Double](repeating: 0, count: d)
                x.withUnsafeBufferPointer { xs in
                    BLAS.dgemv(trans: true, m: page.candidates, n: d, alpha: weights[i].squareRoot(), a: xs.baseAddress! + o * d, lda: d,
                               x: Array(p[o..<(o + page.candidates)]), y: &m)
                }
                means.replaceSubrange(i * d..<(i + 1) * d, with: m)
            }
            var hessian = [Double](repeating: 0, count: d * d)
            for j in 0..<d { hessian[j * d + j] = lambda }
            BLAS.dsyrkTransposed(n: d, k: rows, a: scaled, beta: 1, c: &hessian)
            BLAS.dsyrkTransposed(n: d, k: pages.count, alpha: -1, a: means, beta: 1, c: &hessian)
            return (value, gradient, hessian)
        }

        /// The page a stacked row belongs to.
        func pageOf(row: Int) -> Int {
            var lo = 0, hi = offsets.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if offsets[mid] <= row { lo = mid } else { hi = mid - 1 }
            }
            return lo
        }

        /// Share of pages whose target is the likeliest candidate.
        func accuracy(_ w: [Double]) -> Double {
            let p = probabilities(w)
            var hits = 0
            for (i, page) in pages.enumerated() {
                let slice = p[offsets[i]..<(offsets[i] + page.candidates)]
                if slice.indices.max(by: { slice[$0] < slice[$1] }) == offsets[i] + page.target { hits += 1 }
            }
            return Double(hits) / Double(max(1, pages.count))
        }
    }
}
