import Foundation

/// A second pass over a page's block sequence: a hidden Markov model whose states are the classes,
/// whose transitions are counted on the training pages, and whose emissions are the regression's
/// probabilities divided by the class priors (a hybrid HMM). Forward-backward gives each block a
/// posterior that also weighs its neighbours: an isolated "editorial" menu item among boilerplate
/// drops, a short paragraph inside the article rises. The prototype found this steadier than a
/// stacked second regression.
public struct Smoother: Sendable {
    /// transitions[a * k + b] = P(next block is b | this block is a), on HTML pages.
    public var transitions: [Float]
    /// The same on text scrapes, whose lines follow each other differently from HTML blocks.
    public var textTransitions: [Float]
    /// The class distribution the regression was trained on (with its sample weights).
    public var priors: [Float]

    /// A smoother from its transition matrices and class priors.
    public init(transitions: [Float], textTransitions: [Float], priors: [Float]) {
        self.transitions = transitions
        self.textTransitions = textTransitions
        self.priors = priors
    }

    /// Transition estimates from labelled pages (add-one smoothed), one set per page format.
    public static func estimate(_ pages: [SegmentedPage], classes: [Label], priors: [Float]) -> Smoother {
        Smoother(transitions: transitions(pages.filter { $0.format == .html }, classes: classes),
                 textTransitions: transitions(pages.filter { $0.format == .text }, classes: classes), priors: priors)
    }

    static func transitions(_ pages: [SegmentedPage], classes: [Label]) -> [Float] {
        let k = classes.count
        var counts = [Double](repeating: 1, count: k * k)
        for page in pages {
            guard let labels = page.labels else { continue }
            for (a, b) in zip(labels, labels.dropFirst()) {
                if let i = classes.firstIndex(of: a), let j = classes.firstIndex(of: b) { counts[i * k + j] += 1 }
            }
        }
        var transitions = [Float](repeating: 0, count: k * k)
        for a in 0..<k {
            let total = counts[a * k..<(a + 1) * k].reduce(0, +)
            for b in 0..<k { transitions[a * k + b] = Float(counts[a * k + b] / total) }
        }
        return transitions
    }

    /// Posterior class probabilities of every block (blocks x classes, row-major) from the
    /// regression's probabilities, by forward-backward with per-step normalisation.
    public func smooth(_ probabilities: [Float], classes k: Int, format: Page.Format) -> [Float] {
        let transitions = format == .text ? textTransitions : self.transitions
        let n = probabilities.count / k
        guard n > 1 else { return probabilities }
        var emissions = [Double](repeating: 0, count: n * k)
        for t in 0..<n {
            for c in 0..<k { emissions[t * k + c] = Double(max(probabilities[t * k + c], 1e-12)) / Double(max(priors[c], 1e-6)) }
        }
        var forward = [Double](repeating: 0, count: n * k), backward = [Double](repeating: 1, count: n * k)
        for c in 0..<k { forward[c] = Double(priors[c]) * emissions[c] }
        normalise(&forward, row: 0, k: k)
        for t in 1..<n {
            for b in 0..<k {
                var sum = 0.0
                for a in 0..<k { sum += forward[(t - 1) * k + a] * Double(transitions[a * k + b]) }
                forward[t * k + b] = sum * emissions[t * k + b]
            }
            normalise(&forward, row: t, k: k)
        }
        for t in stride(from: n - 2, through: 0, by: -1) {
            for a in 0..<k {
                var sum = 0.0
                for b in 0..<k { sum += Double(transitions[a * k + b]) * emissions[(t + 1) * k + b] * backward[(t + 1) * k + b] }
                backward[t * k + a] = sum
            }
            normalise(&backward, row: t, k: k)
        }
        var posterior = [Float](repeating: 0, count: n * k)
        for t in 0..<n {
            var total = 0.0
            for c in 0..<k { total += forward[t * k + c] * backward[t * k + c] }
            for c in 0..<k { posterior[t * k + c] = Float(forward[t * k + c] * backward[t * k + c] / total) }
        }
        return posterior
    }

    private func normalise(_ values: inout [Double], row t: Int, k: Int) {
        var total = 0.0
        for c in 0..<k { total += values[t * k + c] }
        guard total > 0 else { return }
        for c in 0..<k { values[t * k + c] /= total }
    }
}
