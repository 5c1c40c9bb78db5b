/// Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a backtracking Armijo line search whose
/// trial steps come from cubic interpolation, and which also takes a step whose rise in value is float
/// rounding while its slope shows descent (Hager and Zhang's approximate Wolfe condition).
///
/// Chosen over Newton with a Cholesky solve because the Hessian has (classes x features)^2 entries,
/// about 32 million here, and over Newton-CG because each L-BFGS step costs just two matrix products.
struct LBFGS {
    /// Pairs of (step, gradient change) kept.
    var memory = 10
    var maxIterations = 1000
    /// Stop when ||gradient|| <= tolerance * ||gradient at the start|| (LIBLINEAR's criterion).
    var tolerance = 1e-5
    /// Also stop after this many steps taken on their slope alone: the objective is flat to float precision.
    var flatSteps = 20

    struct Result {
        var parameters: [Float]
        var objective: Double
        var gradientNorm: Double
        var iterations: Int
        var converged: Bool
    }

    /// Minimises `f` from `start`; `progress` sees (iteration, objective, parameters) after each step.
    func minimise(from start: [Float], _ f: (inout [Float], [Float]) -> Double,
                  progress: (Int, Double, [Float]) -> Void = { _, _, _ in }) -> Result {
        let count = start.count
        var w = start
        var g = [Float](repeating: 0, count: count)
        var value = f(&g, w)
        let initialNorm = norm(g)
        var steps: [[Float]] = [], changes: [[Float]] = [], rhos: [Double] = []
        var iteration = 0
        var converged = initialNorm == 0
        var flatCount = 0
        while !converged && iteration < maxIterations {
            iteration += 1
            var direction = twoLoop(g, steps, changes, rhos)
            var slope = dot(direction, g)
            if slope >= 0 {
                // Not a descent direction (curvature information went stale): restart from -g.
                direction = g.map { -$0 }
                slope = dot(direction, g)
                steps.removeAll(); changes.removeAll(); rhos.removeAll()
            }
            var step: Float = steps.isEmpty ? Float(min(1, 1 / max(norm(g), 1e-12))) : 1
            var candidate = w, candidateGradient = g, candidateValue = value
            var accepted = false, flat = false
            for _ in 0..<40 {
                for j in 0..<count { candidate[j] = w[j] + step * direction[j] }
                candidateValue = f(&candidateGradient, candidate)
                let a = Double(step), slopeAt = dot(direction, candidateGradient)
                if candidateValue <= value + 1e-4 * a * slope { accepted = true; break }
                // Within float rounding of the value, the slope at the step shows the fall: below 0.8 |slope|.
                if candidateValue <= value + 1e-6 * abs(value) && slopeAt <= -0.8 * slope { accepted = true; flat = true; break }
                // Next trial: the minimiser of the cubic with these values and slopes at 0 and a (Nocedal and
                // Wright, equation 3.59), kept within [a/10, a/2].
                let d1 = slope + slopeAt - 3 * (candidateValue - value) / a
                let d2 = (d1 * d1 - slope * slopeAt).squareRoot()
                let next = a - a * (slopeAt + d2 - d1) / (slopeAt - slope + 2 * d2)
                step = Float(next.isFinite ? min(max(next, 0.1 * a), 0.5 * a) : 0.5 * a)
            }
            // No decrease is possible any more at float precision: this is the optimum we can reach.
            guard accepted else { break }
            var s = [Float](repeating: 0, count: count), y = [Float](repeating: 0, count: count)
            for j in 0..<count {
                s[j] = candidate[j] - w[j]
                y[j] = candidateGradient[j] - g[j]
            }
            let sy = dot(s, y)
            if sy > 1e-10 * dot(y, y) {
                steps.append(s); changes.append(y); rhos.append(1 / sy)
                if steps.count > memory { steps.removeFirst(); changes.removeFirst(); rhos.removeFirst() }
            }
            let decrease = value - candidateValue
            (w, g, value) = (candidate, candidateGradient, candidateValue)
            progress(iteration, value, w)
            if flat { flatCount += 1 }
            converged = norm(g) <= tolerance * initialNorm || flatCount >= flatSteps
                || (!flat && decrease <= 1e-12 * max(1, abs(value)))
        }
        return Result(parameters: w, objective: value, gradientNorm: norm(g), iterations: iteration, converged: converged)
    }

    /// The two-loop recursion: an approximation of -H^-1 g from the stored pairs.
    private func twoLoop(_ g: [Float], _ steps: [[Float]], _ changes: [[Float]], _ rhos: [Double]) -> [Float] {
        var q = g.map { Double($0) }
        var alphas = [Double](repeating: 0, count: steps.count)
        for i in stride(from: steps.count - 1, through: 0, by: -1) {
            alphas[i] = rhos[i] * dot(steps[i], q)
            for j in q.indices { q[j] -= alphas[i] * Double(changes[i][j]) }
        }
        if let s = steps.last, let y = changes.last {
            let gamma = dot(s, y) / dot(y, y)
            for j in q.indices { q[j] *= gamma }
        }
        for i in steps.indices {
            let beta = rhos[i] * dot(changes[i], q)
            for j in q.indices { q[j] += (alphas[i] - beta) * Double(steps[i][j]) }
        }
        return q.map { Float(-$0) }
    }

    private func dot(_ a: [Float], _ b: [Float]) -> Double {
        a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in BLAS.dot(x.baseAddress!, y.baseAddress!, count: a.count) } }
    }

    private func dot(_ a: [Float], _ b: [Double]) -> Double {
        var sum: Double = 0
        for j in a.indices { sum += Double(a[j]) * b[j] }
        return sum
    }

    private func norm(_ a: [Float]) -> Double { dot(a, a).squareRoot() }
}
