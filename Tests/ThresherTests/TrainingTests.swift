import Foundation
import XCTest
@testable import Thresher

/// A small seeded generator (SplitMix64) so every test problem is the same on every run.
struct TrainingTestRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// Standard normal (Box-Muller).
    mutating func gaussian() -> Double {
        let u = max(uniform(), 1e-300), v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
}

/// Evaluates an `Objective` over a row-major matrix without the caller holding the buffer pointer.
private func evaluateObjective(x: [Float], rows: Int, columns: Int, classes: Int, targets: [Int], rowWeights: [Float],
                               at w: [Float]) -> (value: Double, gradient: [Float]) {
    x.withUnsafeBufferPointer { xp in
        var objective = Objective(x: xp, rows: rows, columns: columns, classes: classes, targets: targets, rowWeights: rowWeights)
        var gradient = [Float](repeating: .nan, count: objective.parameterCount)
        let value = objective.evaluate(w, gradient: &gradient)
        return (value, gradient)
    }
}

/// Minimises an `Objective` with `LBFGS` from zero.
private func minimiseObjective(x: [Float], rows: Int, columns: Int, classes: Int, targets: [Int], rowWeights: [Float],
                               optimiser: LBFGS) -> LBFGS.Result {
    x.withUnsafeBufferPointer { xp in
        var objective = Objective(x: xp, rows: rows, columns: columns, classes: classes, targets: targets, rowWeights: rowWeights)
        return optimiser.minimise(from: [Float](repeating: 0, count: objective.parameterCount)) { gradient, w in
            objective.evaluate(w, gradient: &gradient)
        }
    }
}

/// The logits W x + b of one row in double precision, from the packed parameters.
private func logits(_ parameters: [Float], row: ArraySlice<Float>, classes: Int) -> [Double] {
    let d = row.count
    return (0..<classes).map { c in
        var z = Double(parameters[classes * d + c])
        for (j, v) in row.enumerated() { z += Double(parameters[c * d + j]) * Double(v) }
        return z
    }
}

final class ObjectiveTests: XCTestCase {
    /// The analytic gradient against central differences of the value on a random, well-scaled problem.
    func testGradientMatchesCentralFiniteDifferences() {
        var random = TrainingTestRandom(seed: 20_240_611)
        let n = 30, d = 6, k = 3
        let x = (0..<n * d).map { _ in Float(random.gaussian()) }
        let targets = (0..<n).map { _ in Int(random.next() % UInt64(k)) }
        let c = 0.7
        let rowWeights = (0..<n).map { _ in Float(c * random.uniform(0.2, 2)) }
        let w = (0..<k * d + k).map { _ in Float(0.5 * random.gaussian()) }

        let (value, gradient) = evaluateObjective(x: x, rows: n, columns: d, classes: k, targets: targets,
                                                  rowWeights: rowWeights, at: w)
        XCTAssertTrue(value.isFinite)
        XCTAssertTrue(gradient.allSatisfy(\.isFinite), "every gradient entry is written")

        let h: Float = 1e-2
        var differences = [Double](repeating: 0, count: w.count)
        for j in w.indices {
            var plus = w, minus = w
            plus[j] += h
            minus[j] -= h
            let up = evaluateObjective(x: x, rows: n, columns: d, classes: k, targets: targets, rowWeights: rowWeights, at: plus).value
            let down = evaluateObjective(x: x, rows: n, columns: d, classes: k, targets: targets, rowWeights: rowWeights, at: minus).value
            // Divide by the step the Float parameters actually took.
            differences[j] = (up - down) / (Double(plus[j]) - Double(minus[j]))
        }
        let largest = gradient.map { abs(Double($0)) }.max()!
        XCTAssertGreaterThan(largest, 0.1, "the test point is not at a stationary point")
        var errorSquares = 0.0, normSquares = 0.0
        for j in w.indices {
            let analytic = Double(gradient[j])
            let error = abs(differences[j] - analytic)
            errorSquares += error * error
            normSquares += analytic * analytic
            XCTAssertLessThan(error, 1e-3 * max(abs(analytic), 0.1 * largest),
                              "parameter \(j): analytic \(analytic), finite difference \(differences[j])")
        }
        XCTAssertLessThan((errorSquares / normSquares).squareRoot(), 1e-4, "norm-wise relative error of the gradient")
    }

    /// Value and gradient on a fixed 5 x 3 problem (3 classes) against numpy in double precision:
    /// f = 1/2 ||W||^2 + sum_i rowWeight_i * (logsumexp(z_i) - z_i[y_i]), z_i = W x_i + b.
    func testValueAndGradientOnFixedProblemMatchReference() {
        // Every input is a dyadic fraction, so Float holds it exactly.
        let x: [Float] = [0.5, -1.25, 2.0,
                          1.5, 0.25, -0.75,
                          -2.0, 1.0, 0.5,
                          0.0, -0.5, 1.25,
                          1.0, 2.0, -1.5]
        let targets = [0, 2, 1, 2, 0]
        let c: Float = 2
        let rowWeights: [Float] = [1, 0.5, 2, 1.5, 0.75].map { c * $0 }
        let w: [Float] = [0.25, -0.5, 0.75,
                          -1.0, 0.5, 0.125,
                          0.375, 0.25, -0.625,
                          0.125, -0.25, 0.5]
        // Computed once with numpy in float64 from the formula above (z = X @ W.T + b, a stable logsumexp,
        // gradient W + R.T @ X and R.sum(0) with R = rowWeight * (softmax(z) - onehot(y))).
        let referenceValue = 14.496391194589854
        let referenceGradient = [-1.5051922398835804, -4.138665674957113, 5.444259873878893,
                                 0.09824002291644018, -0.06258878429183334, 0.37064589773615436,
                                 1.0319522169671396, 4.451254459248947, -5.564905771615049,
                                 0.936286563030319, 0.12533498532599516, -1.0616215483563138]

        let (value, gradient) = evaluateObjective(x: x, rows: 5, columns: 3, classes: 3, targets: targets,
                                                  rowWeights: rowWeights, at: w)
        XCTAssertEqual(value, referenceValue, accuracy: 1e-5 * referenceValue)
        XCTAssertEqual(gradient.count, referenceGradient.count)
        for (j, expected) in referenceGradient.enumerated() {
            XCTAssertEqual(Double(gradient[j]), expected, accuracy: 1e-5 * max(abs(expected), 1), "gradient[\(j)]")
        }
    }

    /// The objective is the same when evaluated twice from the same state (the scratch is fully rewritten).
    func testRepeatedEvaluationIsIdentical() {
        var random = TrainingTestRandom(seed: 99)
        let n = 17, d = 5, k = 4
        let x = (0..<n * d).map { _ in Float(random.gaussian()) }
        let targets = (0..<n).map { _ in Int(random.next() % UInt64(k)) }
        let rowWeights = (0..<n).map { _ in Float(random.uniform(0.1, 3)) }
        let w1 = (0..<k * d + k).map { _ in Float(random.gaussian()) }
        let w2 = (0..<k * d + k).map { _ in Float(random.gaussian()) }
        x.withUnsafeBufferPointer { xp in
            var objective = Objective(x: xp, rows: n, columns: d, classes: k, targets: targets, rowWeights: rowWeights)
            var g1 = [Float](repeating: 0, count: objective.parameterCount), g2 = g1, g3 = g1
            let v1 = objective.evaluate(w1, gradient: &g1)
            _ = objective.evaluate(w2, gradient: &g2)
            g3 = [Float](repeating: 123, count: objective.parameterCount)
            let v3 = objective.evaluate(w1, gradient: &g3)
            XCTAssertEqual(v1, v3)
            XCTAssertEqual(g1, g3)
        }
    }
}

final class LBFGSTests: XCTestCase {
    /// Three well-separated Gaussian clusters with a large C: every training row ends up on the right side.
    func testSeparableClustersAreFittedPerfectly() {
        var random = TrainingTestRandom(seed: 4242)
        let d = 4, k = 3, perClass = 20
        let centres: [[Double]] = [[4, 0, 1, -1], [-3, 4, -1, 0], [-3, -4, 0, 1]]
        var x: [Float] = [], targets: [Int] = []
        for c in 0..<k {
            for _ in 0..<perClass {
                x += centres[c].map { Float($0 + 0.5 * random.gaussian()) }
                targets.append(c)
            }
        }
        let n = targets.count
        let rowWeights = [Float](repeating: 100, count: n)
        let result = minimiseObjective(x: x, rows: n, columns: d, classes: k, targets: targets, rowWeights: rowWeights,
                                       optimiser: LBFGS())
        XCTAssertTrue(result.converged, "iterations \(result.iterations), gradient norm \(result.gradientNorm)")
        XCTAssertTrue(result.parameters.allSatisfy(\.isFinite))

        var meanLogLoss = 0.0
        for r in 0..<n {
            let z = logits(result.parameters, row: x[r * d..<(r + 1) * d], classes: k)
            let predicted = z.indices.max { z[$0] < z[$1] }!
            XCTAssertEqual(predicted, targets[r], "row \(r)")
            let top = z.max()!
            let logSum = top + log(z.map { exp($0 - top) }.reduce(0, +))
            meanLogLoss += (logSum - z[targets[r]]) / Double(n)
        }
        XCTAssertLessThan(meanLogLoss, 1e-3, "mean cross-entropy on separable training data")
        // The objective at the optimum is far below its value at zero (C * n * log 3).
        XCTAssertLessThan(result.objective, 0.05 * 100 * Double(n) * log(3.0))
    }

    /// The optimum of a fixed non-separable problem against scipy: the same objective minimised in
    /// double precision with L-BFGS-B (gtol 1e-14), BFGS and trust-exact, all giving 10.12485308522898.
    func testOptimumMatchesScipyReference() {
        let x: [Float] = [0.0, 0.25, -0.25,
                          -0.875, -0.5, -1.0,
                          0.0, 1.375, -0.5,
                          -0.625, 0.5, 0.375,
                          0.125, -0.875, 0.0,
                          0.75, -1.375, -0.5,
                          -1.875, -1.25, -1.875,
                          -0.25, -1.25, 0.25,
                          0.125, -0.125, -2.5,
                          -0.5, 0.0, 0.125,
                          -1.5, -0.5, -1.0,
                          -0.75, 1.0, -0.75]
        let targets = [0, 1, 2, 0, 1, 2, 0, 1, 2, 1, 0, 2]
        let c: Float = 1
        let rowWeights: [Float] = [1, 0.5, 2, 1, 1.5, 0.75, 1, 1, 0.5, 2, 1.25, 1].map { c * $0 }
        let referenceOptimum = 10.12485308522898
        let referenceParameters = [-0.7738666392863973, -0.054854394721014256, -0.08325144075476117,
                                   -0.014220100488388964, -0.6165336418733396, 0.7939252292733504,
                                   0.7880867397424784, 0.6713880366111223, -0.7106737884979767,
                                   -1.5625930227626232, -0.8050730852604977, -1.2471928527564862]

        let result = minimiseObjective(x: x, rows: 12, columns: 3, classes: 3, targets: targets, rowWeights: rowWeights,
                                       optimiser: LBFGS(tolerance: 1e-6))
        XCTAssertEqual(result.objective, referenceOptimum, accuracy: 1e-4 * referenceOptimum)
        XCTAssertGreaterThanOrEqual(result.objective, referenceOptimum * (1 - 1e-6), "below the true minimum")
        // The returned objective is the objective of the returned parameters.
        let check = evaluateObjective(x: x, rows: 12, columns: 3, classes: 3, targets: targets, rowWeights: rowWeights,
                                      at: result.parameters)
        XCTAssertEqual(check.value, result.objective, accuracy: 1e-6 * referenceOptimum)
        // The weights are unique; the unpenalised biases only up to a common shift (softmax ignores it),
        // so compare them centred.
        for j in 0..<9 {
            XCTAssertEqual(Double(result.parameters[j]), referenceParameters[j], accuracy: 2e-3, "weight \(j)")
        }
        let bias = result.parameters[9...].map(Double.init), referenceBias = Array(referenceParameters[9...])
        let shift = bias.reduce(0, +) / 3, referenceShift = referenceBias.reduce(0, +) / 3
        for c in 0..<3 {
            XCTAssertEqual(bias[c] - shift, referenceBias[c] - referenceShift, accuracy: 2e-3, "centred bias \(c)")
        }
    }

    /// A quadratic whose value is rounded to float on top of 1e4 (steps of 0.001) while its gradient is exact:
    /// once the decreases are below that rounding the line search goes on the slope (approximate Wolfe)
    /// instead of halving away, and reaches the gradient tolerance.
    func testConvergesWhenDecreasesAreBelowRounding() {
        let curvatures: [Float] = [1, 3, 10, 30]
        var evaluations = 0
        let result = LBFGS(tolerance: 1e-6).minimise(from: [1, -1, 1, -1]) { gradient, w in
            evaluations += 1
            var value: Float = 1e4
            for j in w.indices {
                gradient[j] = curvatures[j] * w[j]
                value += 0.5 * curvatures[j] * w[j] * w[j]
            }
            return Double(value)
        }
        XCTAssertTrue(result.converged)
        XCTAssertLessThanOrEqual(result.gradientNorm, 1e-6 * 1010.0.squareRoot(), "iterations \(result.iterations)")
        XCTAssertLessThanOrEqual(evaluations, 2 * result.iterations + 1)
    }
}

/// Small synthetic labelled text pages: prose lines are editorial, short chrome lines boilerplate,
/// calls to subscribe promo.
enum TrainingTestPages {
    static let prose = [
        "The council voted on Tuesday to extend the tram line to the northern suburbs, ending years of debate.",
        "Residents who attended the meeting said the plan would cut their commute by almost half an hour.",
        "Critics argued that the cost had been underestimated and that buses could have done the same job.",
        "The mayor said construction would begin next spring and should be finished within three years.",
        "Engineers expect the new stops to serve about twelve thousand passengers on an ordinary weekday.",
        "Shopkeepers along the route have asked for compensation while the street is closed for the works.",
        "A spokesperson for the transport authority said that the timetable would be published in the autumn.",
        "The last time the city built a tram line was in the nineteen sixties, before the network was cut back.",
        "Local schools welcomed the decision, saying that many pupils travel across town every morning.",
        "Environmental groups praised the vote but warned that trees along the avenue must be protected.",
    ]
    static let chrome = ["Home", "Share", "Sign in", "Menu", "Search", "Contact us", "Privacy", "Next article", "Tweet", "Log out"]
    static let promos = ["Subscribe now for only $1 a week", "Get our newsletter in your inbox", "Download the app today"]

    static func pages(count: Int = 6) -> [SegmentedPage] {
        (0..<count).map { p in
            var lines: [(String, Label)] = []
            for i in 0..<3 { lines.append((chrome[(p + i) % chrome.count], .boilerplate)) }
            for i in 0..<4 { lines.append((prose[(p * 3 + i) % prose.count], .editorial)) }
            lines.append((promos[p % promos.count], .promo))
            for i in 3..<5 { lines.append((chrome[(p + i) % chrome.count], .boilerplate)) }
            let blocks = lines.enumerated().map { Block(text: $0.element.0, tag: "line", index: $0.offset) }
            return SegmentedPage(id: "page\(p)", source: p % 2 == 0 ? "alpha" : "beta", format: .text, blocks: blocks,
                                 labels: lines.map(\.1))
        }
    }
}

final class TrainerDeterminismTests: XCTestCase {
    func testTrainingTwiceGivesByteIdenticalModelFiles() throws {
        let pages = TrainingTestPages.pages()
        var first = try Trainer().train(pages)
        var second = try Trainer().train(pages)
        XCTAssertEqual(first.classes, [.editorial, .boilerplate, .promo])
        XCTAssertGreaterThan(first.training.iterations, 0)
        first.training.seconds = 0
        second.training.seconds = 0
        let a = ModelFile.encode(first), b = ModelFile.encode(second)
        XCTAssertEqual(Array(a.utf8), Array(b.utf8), "two trainings on the same pages differ")
        XCTAssertEqual(first.weights.map(\.bitPattern), second.weights.map(\.bitPattern))
    }

    /// The trained model separates the synthetic training data it saw.
    func testTrainedModelLabelsItsTrainingPages() throws {
        let pages = TrainingTestPages.pages()
        var trainer = Trainer()
        trainer.c = 1
        let model = try trainer.train(pages)
        XCTAssertEqual(model.training.pages, pages.count)
        XCTAssertEqual(model.training.blocks, pages.reduce(0) { $0 + $1.blocks.count })
        XCTAssertEqual(model.training.pagesPerSource, ["alpha": 3, "beta": 3])
        XCTAssertEqual(model.training.blocksPerClass, ["editorial": 24, "boilerplate": 30, "promo": 6])
        let scorer = Scorer(model)
        var wrong = 0
        for page in pages {
            let scored = scorer.score(page)
            wrong += zip(scored.labels, page.labels!).filter { $0 != $1 }.count
        }
        XCTAssertEqual(wrong, 0)
    }
}

final class TextModelTrainingTests: XCTestCase {
    /// The synthetic pages as HTML pages (one `<p>` per line) and as text scrapes, with new ids.
    private func mixedPages() -> (html: [SegmentedPage], text: [SegmentedPage]) {
        let pages = TrainingTestPages.pages(count: 8)
        let html = pages.prefix(5).map { page -> SegmentedPage in
            var html = page
            html.id = "html-" + page.id
            html.format = .html
            html.blocks = page.blocks.map { Block(text: $0.text, tag: "p", index: $0.index) }
            return html
        }
        return (html, Array(pages.suffix(3)))
    }

    func testTextModelLearnsFromTextPagesAndTheScrapesOfHTMLPages() throws {
        let (html, text) = mixedPages()
        var trainer = Trainer()
        trainer.textModel = true
        trainer.regionFolds = 0
        let model = try trainer.train(html + text)
        let textModel = try XCTUnwrap(model.textModel)
        XCTAssertEqual(textModel.classes, model.classes)
        XCTAssertEqual(textModel.training.pages, html.count + text.count)
        XCTAssertEqual(textModel.training.pagesPerSource[DerivedScrape.source], html.count)
        // Page length is not a text model's feature (see FeatureSet.notForTextModels).
        let d = textModel.dimension
        for j in FeatureSet.notForTextModels {
            for c in textModel.classes.indices { XCTAssertEqual(textModel.weights[c * d + j], 0, "class \(c), feature \(j)") }
        }
        XCTAssertNotEqual(model.weights, textModel.weights)
        // A text page is scored by the text model, an HTML page by the main one.
        let scorer = Scorer(model)
        XCTAssertEqual(scorer.score(text[0]).probabilities, Scorer(textModel).score(text[0]).probabilities)
        var mainOnly = model
        mainOnly.textModel = nil
        XCTAssertEqual(scorer.score(html[0]).probabilities, Scorer(mainOnly).score(html[0]).probabilities)
        XCTAssertNotEqual(scorer.score(text[0]).probabilities, Scorer(mainOnly).score(text[0]).probabilities)
    }

    func testDerivedScrapesWithCommentsWeighTheCommentWeight() {
        var trainer = Trainer()
        trainer.textCommentWeight = 0.25
        var page = TrainingTestPages.pages(count: 1)[0]
        XCTAssertEqual(trainer.pageWeight(page), 1)
        page.labels![0] = .comment
        XCTAssertEqual(trainer.pageWeight(page), 1, "a hand-written scrape keeps its weight")
        page.source = DerivedScrape.source
        XCTAssertEqual(trainer.pageWeight(page), 0.25)
    }
}
