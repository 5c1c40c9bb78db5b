import Foundation
import XCTest
@testable import Thresher

/// `score --explain`: the per-feature terms of a block's explanation are the regression's own arithmetic.
final class ExplanationTests: XCTestCase {
    private func page() throws -> SegmentedPage {
        let html = """
            <html><body><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
            <li><a href="/sport">Sport</a></li></ul></nav>
            <article><h1>Harbour road closes after the spring storm</h1>
            <p>The coastal road into the old harbour was closed on Tuesday after waves undermined a stretch of
            the sea wall, the county council said, and it will stay shut until engineers have inspected it.</p>
            <p>Residents of the harbour streets were told to use the inland route, which adds about twenty
            minutes to the drive into town, and the ferry company added two evening crossings.</p>
            <p>Sign up for our morning newsletter</p></article>
            <aside><h2>Most read</h2><ul><li><a href="/a">You won't believe what this town did next</a></li>
            <li><a href="/b">Ten harbours you have to see</a></li></ul></aside>
            <footer><p>Copyright 2026 The Coast News. All rights reserved.</p></footer></body></html>
            """
        let (blocks, elements, metadata) = try HTMLSegmenter().checkedSegments(of: html)
        var page = SegmentedPage(id: "harbour", format: .html, blocks: blocks)
        page.elements = elements
        page.metadata = metadata
        return page
    }

    private func defaultModel() throws -> Model {
        try ModelFile.read(SharedData.repository.appendingPathComponent("Models/default-model.json").path)
    }

    func testBiasPlusContributionsIsTheLogitMargin() throws {
        let model = try defaultModel()
        let page = try page()
        let (scored, explanations) = Scorer(model).explained(page, top: 4)
        XCTAssertEqual(explanations.count, page.blocks.count)
        for (i, explanation) in explanations.enumerated() {
            XCTAssertEqual(explanation.label, scored.labels[i])
            XCTAssertNotEqual(explanation.runnerUp, explanation.label)
            let terms = explanation.raising + explanation.lowering
            let sum = explanation.bias + terms.reduce(0) { $0 + $1.contribution } + explanation.rest
            XCTAssertEqual(sum, explanation.margin, accuracy: 1e-3 * max(1, abs(explanation.margin)), "block \(i)")
            // The margin is the regression's: the log ratio of its two probabilities, where both are representable.
            let label = model.classes.firstIndex(of: explanation.label)!, runner = model.classes.firstIndex(of: explanation.runnerUp)!
            let (p, q) = (explanation.regression[label], explanation.regression[runner])
            if p > 1e-4, q > 1e-4 {
                XCTAssertEqual(log(p / q), explanation.margin, accuracy: 1e-2, "block \(i)")
            }
            XCTAssertLessThanOrEqual(explanation.raising.count, 4)
            XCTAssertLessThanOrEqual(explanation.lowering.count, 4)
            XCTAssertTrue(explanation.raising.allSatisfy { $0.contribution > 0 })
            XCTAssertTrue(explanation.lowering.allSatisfy { $0.contribution < 0 })
            XCTAssertEqual(explanation.raising.map(\.contribution), explanation.raising.map(\.contribution).sorted(by: >))
            XCTAssertEqual(explanation.lowering.map(\.contribution), explanation.lowering.map(\.contribution).sorted())
            XCTAssertTrue(terms.allSatisfy { FeatureSet.names.contains($0.feature) })
            for probabilities in [explanation.regression, explanation.sequence, explanation.final] {
                XCTAssertEqual(probabilities.count, model.classes.count)
                XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 1e-3)
            }
        }
    }

    func testExplainingDoesNotChangeTheLabels() throws {
        let model = try defaultModel()
        let page = try page()
        let scorer = Scorer(model)
        let (scored, _) = scorer.explained(page, top: 2)
        XCTAssertEqual(scored.labels, scorer.score(page).labels)
        // The article's paragraphs are editorial and the navigation is not: an explanation of a working model.
        XCTAssertEqual(scored.labels[page.blocks.firstIndex { $0.text.hasPrefix("The coastal road") }!], .editorial)
        XCTAssertNotEqual(scored.labels[0], .editorial)
    }
}
