import XCTest
@testable import Thresher

/// Headline and first paragraph kept: counted on labelled text scrapes only.
final class ScrapeOpeningsTests: XCTestCase {
    private func scored(_ lines: [(String, Label)], predicted: [Label], format: Page.Format = .text) -> ScoredPage {
        let blocks = lines.enumerated().map { Block(text: $1.0, tag: "line", index: $0) }
        let page = SegmentedPage(id: "s", format: format, blocks: blocks, labels: lines.map(\.1))
        return ScoredPage(page: page, classes: [.editorial, .boilerplate], probabilities: [], labels: predicted)
    }

    func testHeadlineAndLeadAreTheFirstEditorialLines() {
        let lines: [(String, Label)] = [
            ("Home", .boilerplate), ("Storm closes the harbour road", .editorial), ("Photo: the sea wall", .editorial),
            ("The coastal road into the old harbour was closed on Tuesday after waves broke the wall.", .editorial),
            ("Share", .boilerplate),
        ]
        var openings = ScrapeOpenings()
        openings.add(scored(lines, predicted: [.boilerplate, .boilerplate, .editorial, .editorial, .boilerplate]))
        openings.add(scored(lines, predicted: [.boilerplate, .editorial, .editorial, .boilerplate, .boilerplate]))
        // The short caption is not the lead; HTML pages and pages without editorial gold do not count.
        openings.add(scored(lines, predicted: [.editorial, .editorial, .editorial, .editorial, .editorial], format: .html))
        openings.add(scored([("Home", .boilerplate)], predicted: [.editorial]))
        XCTAssertEqual(openings.pages, 2)
        XCTAssertEqual(openings.headlinesKept, 1)
        XCTAssertEqual(openings.leadPages, 2)
        XCTAssertEqual(openings.leadsKept, 1)
    }
}
