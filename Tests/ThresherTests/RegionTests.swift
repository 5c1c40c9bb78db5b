import Foundation
import XCTest
@testable import Thresher

/// The region stage: candidates from the element table, their features, the target, and the Newton fit.
final class RegionTests: XCTestCase {
    /// An article of three paragraphs beside a sidebar of links and a footer.
    static let page = """
        <html><body><div id="nav"><a href="/">Home</a> <a href="/news">News</a></div>
        <div class="main"><article class="post"><h1>Rivers rise after the storm</h1>
        <p>Heavy rain overnight pushed the river above its banks in three towns, officials said on Monday morning.</p>
        <p>Residents were told to move cars away from the water and to expect closed roads until Wednesday.</p>
        <p>The weather service expects the level to fall slowly as the rain eases over the coming days.</p></article>
        <aside class="sidebar"><ul><li><a href="/a">Most read one</a></li><li><a href="/b">Most read two</a></li></ul></aside></div>
        <div class="footer"><p>Copyright 2026 The Daily Example. All rights reserved.</p></div></body></html>
        """

    func segmented(_ html: String) throws -> SegmentedPage {
        let (blocks, elements, metadata) = try HTMLSegmenter().checkedSegments(of: html)
        var page = SegmentedPage(id: "test", format: .html, blocks: blocks)
        page.elements = elements
        page.metadata = metadata
        return page
    }

    func testElementsHoldTheirBlocksInnermostFirst() throws {
        let page = try segmented(Self.page)
        let article = try XCTUnwrap(page.elements.first { $0.tag == "article" })
        XCTAssertEqual(page.blocks[article.blocks].map(\.tag), ["h1", "p", "p", "p"])
        XCTAssertEqual(Array(article.tokens.prefix(article.ownTokenCount)), ["post"])
        XCTAssertTrue(article.tokens.contains("main"), "the ancestors' tokens follow the element's own")
        let articleIndex = page.elements.firstIndex { $0.tag == "article" }!
        let divIndex = page.elements.firstIndex { $0.tokens.first == "main" }!
        XCTAssertLessThan(articleIndex, divIndex, "an element is recorded before the elements around it")
    }

    func testCandidatesAreDistinctRunsWithTheWholePageFirst() throws {
        let page = try segmented(Self.page)
        let candidates = RegionCandidates.of(page)
        XCTAssertEqual(candidates.first, Region(blocks: 0..<page.blocks.count, element: nil))
        let runs = candidates.map(\.blocks)
        XCTAssertEqual(Set(runs.map { "\($0)" }).count, runs.count, "each run of blocks once")
        XCTAssertTrue(candidates.contains { $0.element.map { page.elements[$0].tag } == "article" })
        XCTAssertTrue(RegionCandidates.of(SegmentedPage(id: "t", format: .text, blocks: [Block(text: "a line", tag: "line", index: 0)])).isEmpty)
    }

    func testTargetIsTheSmallestRegionThatHoldsTheGold() throws {
        let page = try segmented(Self.page)
        let candidates = RegionCandidates.of(page)
        let gold = page.blocks.filter { $0.tag == "h1" || $0.tag == "p" && $0.words > 10 }.map(\.text).joined(separator: "\n\n")
        let target = try XCTUnwrap(RegionTarget.best(page, candidates: candidates, gold: gold))
        XCTAssertEqual(candidates[target.index].element.map { page.elements[$0].tag }, "article")
        XCTAssertEqual(target.f1, 1, accuracy: 1e-9)
        XCTAssertNil(RegionTarget.best(page, candidates: candidates, gold: ""))
    }

    func testFeaturesHaveOneRowPerCandidateAndFiniteValues() throws {
        let page = try segmented(Self.page)
        let candidates = RegionCandidates.of(page)
        let editorial = page.blocks.map { $0.tag == "p" ? Float(0.9) : 0.1 }
        let x = RegionFeatures.matrix(page, candidates: candidates, editorial: editorial, comment: editorial.map { _ in 0 })
        XCTAssertEqual(x.count, candidates.count * RegionFeatures.dimension)
        XCTAssertTrue(x.allSatisfy(\.isFinite))
        let whole = Array(x[0..<RegionFeatures.dimension])
        XCTAssertEqual(whole[RegionFeatures.names.firstIndex(of: "word_share")!], 1, accuracy: 1e-12)
        XCTAssertEqual(whole[RegionFeatures.names.firstIndex(of: "is_whole_page")!], 1)
    }

    /// Random pages of candidates whose target is the one with the largest first feature, plus noise.
    func examples(pages: Int, seed: UInt64) -> [RegionExample] {
        var random = TrainingTestRandom(seed: seed)
        let d = RegionFeatures.dimension
        return (0..<pages).map { p in
            let n = 2 + Int(random.next() % 6)
            let x = (0..<(n * d)).map { _ in random.gaussian() }
            let scores = (0..<n).map { x[$0 * d] + 0.5 * random.gaussian() }
            let target = scores.indices.max { scores[$0] < scores[$1] }!
            return RegionExample(features: x, candidates: n, target: target, source: p % 3 == 0 ? "a" : "b")
        }
    }

    func testNewtonFitReachesAStationaryPointAndLearnsTheSignal() throws {
        var trainer = RegionTrainer()
        trainer.lambda = 0.5
        let model = try trainer.train(examples(pages: 300, seed: 7))
        XCTAssertTrue(model.training.converged)
        XCTAssertLessThan(model.training.iterations, 20, "Newton converges in a few steps")
        XCTAssertGreaterThan(model.training.accuracy, 0.6)
        let first = model.weights[0]
        XCTAssertGreaterThan(first, 3 * model.weights.dropFirst().map(abs).max()!, "the informative feature dominates")
    }

    func testGradientAtTheOptimumMatchesFiniteDifferences() throws {
        // At the fitted weights the objective must not fall along any coordinate: compare the value
        // there with small steps either way (the gradient is zero to tolerance).
        let data = examples(pages: 120, seed: 11)
        let model = try RegionTrainer().train(data)
        func objective(_ w: [Double]) -> Double {
            var value = 0.5 * w.reduce(0) { $0 + $1 * $1 }
            let weights = RegionTrainer.sourceWeights(data.map(\.source))
            for (i, example) in data.enumerated() {
                var fitted = model
                fitted.weights = w
                value -= weights[i] * log(fitted.probabilities(example.features, candidates: example.candidates)[example.target])
            }
            return value
        }
        let base = objective(model.weights)
        XCTAssertEqual(base, model.training.objective, accuracy: 1e-6 * max(1, abs(base)))
        for j in [0, 5, RegionFeatures.dimension - 1] {
            var up = model.weights, down = model.weights
            up[j] += 1e-3
            down[j] -= 1e-3
            XCTAssertGreaterThanOrEqual(objective(up), base - 1e-9)
            XCTAssertGreaterThanOrEqual(objective(down), base - 1e-9)
        }
    }

    func testFoldsKeepASiteTogetherAndAreDeterministic() {
        let pages = (0..<60).map { i -> SegmentedPage in
            var page = SegmentedPage(id: "\(i)", source: i % 2 == 0 ? "x" : "y", format: .html, blocks: [])
            page.url = "https://www.site\(i % 12).example/story/\(i)"
            return page
        }
        let folds = Folds(pages, count: 5, grouping: .site, seed: 3)
        XCTAssertEqual(folds.assignment, Folds(pages, count: 5, grouping: .site, seed: 3).assignment)
        for site in 0..<12 {
            XCTAssertEqual(Set(pages.indices.filter { $0 % 12 == site }.map { folds.assignment[$0] }).count, 1, "site \(site) split across folds")
        }
        XCTAssertEqual(Set(folds.assignment), Set(0..<5))
        XCTAssertEqual(Folds.group(of: pages[13], grouping: .site), "site1.example")
    }

    func testCandidateScanIsLinearInThePageSize() throws {
        // 100,000 nested elements, then 100,000 siblings: the scan's time per element must not grow
        // with the page (a quadratic scan would take 100 times longer on the larger page).
        func page(_ n: Int) -> String {
            String(repeating: "<div class=\"c\">w", count: n) + String(repeating: "</div>", count: n)
                + String(repeating: "<p>a few words of text here</p>", count: n)
        }
        func seconds(_ n: Int) throws -> Double {
            let segmented = try self.segmented(page(n))
            let started = Date()
            let candidates = RegionCandidates.of(segmented)
            let probabilities = [Float](repeating: 0.5, count: segmented.blocks.count)
            _ = RegionFeatures.matrix(segmented, candidates: candidates, editorial: probabilities, comment: probabilities)
            XCTAssertLessThanOrEqual(candidates.count, RegionCandidates.maximum + 1)
            return Date().timeIntervalSince(started)
        }
        let small = try seconds(10_000), large = try seconds(100_000)
        XCTAssertLessThan(large, max(0.05, small) * 30, "10x the elements took \(large / max(small, 1e-6))x the time")
    }
}
