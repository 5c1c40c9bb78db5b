import XCTest
@testable import Thresher

final class SmootherTests: XCTestCase {
    /// Blocks under parent 10 (an article) and parent 20 (a menu), in page order.
    private func page(parents: [Int], labels: [Label]) -> SegmentedPage {
        let blocks = parents.enumerated().map { Block(text: "block \($0.offset)", tag: "p", containers: [100 + $0.offset, $0.element], index: $0.offset) }
        return SegmentedPage(id: "p", format: .html, blocks: blocks, labels: labels)
    }

    /// The region choice told to the pass: a run that reads as comments inside the chosen region (an
    /// article's second half behind a "Read more" fold) comes back editorial, a run outside it goes.
    func testRegionEmphasisWeighsTheEditorialStateInsideAndOutside() {
        let smoother = Smoother(transitions: [0.9, 0.1, 0.1, 0.9], boundaryTransitions: [0.9, 0.1, 0.1, 0.9],
                                textTransitions: [0.9, 0.1, 0.1, 0.9], priors: [0.6, 0.4], htmlEmissionPower: 1)
        let probabilities: [Float] = [0.45, 0.55, 0.4, 0.6, 0.45, 0.55, 0.6, 0.4, 0.55, 0.45]
        let page = page(parents: [10, 10, 10, 20, 20], labels: [])
        let plain = smoother.smooth(probabilities, classes: 2, page: page)
        XCTAssertEqual(smoother.smooth(probabilities, classes: 2, page: page,
                                       emphasis: Smoother.Emphasis(blocks: 0..<3, factor: 1, editorial: 0)), plain, "factor 1 changes nothing")
        let emphasised = smoother.smooth(probabilities, classes: 2, page: page, emphasis: Smoother.Emphasis(blocks: 0..<3, factor: 4, editorial: 0))
        for t in 0..<3 { XCTAssertGreaterThan(emphasised[t * 2], 0.5, "block \(t) inside"); XCTAssertGreaterThan(emphasised[t * 2], plain[t * 2]) }
        for t in 3..<5 { XCTAssertLessThan(emphasised[t * 2], plain[t * 2], "block \(t) outside") }
        for t in 0..<5 { XCTAssertEqual(emphasised[t * 2] + emphasised[t * 2 + 1], 1, accuracy: 1e-5) }
    }

    func testStepsAcrossParentsAreCountedApart() {
        let classes: [Label] = [.editorial, .boilerplate]
        let training = page(parents: [10, 10, 10, 20, 20, 10],
                            labels: [.editorial, .editorial, .editorial, .boilerplate, .boilerplate, .editorial])
        let smoother = Smoother.estimate([training], classes: classes, priors: [0.5, 0.5])
        // Within a parent: editorial->editorial twice, boilerplate->boilerplate once (plus one each, add-one).
        XCTAssertEqual(smoother.transitions, [3.0 / 4, 1.0 / 4, 1.0 / 3, 2.0 / 3], accuracy: 1e-6)
        // Across: editorial->boilerplate once, boilerplate->editorial once.
        XCTAssertEqual(smoother.boundaryTransitions, [1.0 / 3, 2.0 / 3, 2.0 / 3, 1.0 / 3], accuracy: 1e-6)
    }

    func testBoundaryLetsAMenuInsideAnArticleDrop() {
        // Across a parent boundary the next class is anyone's guess: the block keeps its own evidence.
        let smoother = Smoother(transitions: [0.95, 0.05, 0.05, 0.95], boundaryTransitions: [0.5, 0.5, 0.5, 0.5],
                                textTransitions: [0.95, 0.05, 0.05, 0.95], priors: [0.5, 0.5])
        // A weakly boilerplate block between confident article blocks.
        let probabilities: [Float] = [0.95, 0.05, 0.4, 0.6, 0.95, 0.05]
        let sameParent = smoother.smooth(probabilities, classes: 2, page: page(parents: [10, 10, 10], labels: []))
        let ownParent = smoother.smooth(probabilities, classes: 2, page: page(parents: [10, 20, 10], labels: []))
        XCTAssertGreaterThan(sameParent[2], 0.5, "pulled into the article by its neighbours")
        XCTAssertLessThan(ownParent[2], 0.5, "left alone where its container changes")
        for posterior in [sameParent, ownParent] {
            for t in 0..<3 { XCTAssertEqual(posterior[2 * t] + posterior[2 * t + 1], 1, accuracy: 1e-5) }
        }
    }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(Double(x), y, accuracy: accuracy, file: file, line: line) }
}

final class EmissionPowerTests: XCTestCase {
    func testPowerBelowOneLetsNeighboursWeighMoreOnHTMLOnly() {
        func smoother(_ power: Float) -> Smoother {
            Smoother(transitions: [0.85, 0.15, 0.15, 0.85], boundaryTransitions: [0.85, 0.15, 0.15, 0.85],
                     textTransitions: [0.85, 0.15, 0.15, 0.85], priors: [0.5, 0.5], htmlEmissionPower: power)
        }
        // A confidently boilerplate block between confident article blocks.
        let probabilities: [Float] = [0.95, 0.05, 0.03, 0.97, 0.95, 0.05]
        func page(_ format: Page.Format) -> SegmentedPage {
            SegmentedPage(id: "p", format: format, blocks: (0..<3).map { Block(text: "b\($0)", tag: "p", containers: [$0 + 1, 10], index: $0) })
        }
        let plain = smoother(1).smooth(probabilities, classes: 2, page: page(.html))
        let softened = smoother(0.5).smooth(probabilities, classes: 2, page: page(.html))
        XCTAssertLessThan(plain[2], 0.5, "at power 1 its own evidence wins")
        XCTAssertGreaterThan(softened[2], 0.5, "at power 0.5 the article around it wins")
        XCTAssertEqual(smoother(0.5).smooth(probabilities, classes: 2, page: page(.text)),
                       smoother(1).smooth(probabilities, classes: 2, page: page(.text)), "scrapes keep plain emissions")
    }
}
