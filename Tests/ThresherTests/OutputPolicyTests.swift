import XCTest
@testable import Thresher

final class OutputPolicyTests: XCTestCase {
    private func page(_ blocks: [(tag: String, path: String, text: String)]) -> SegmentedPage {
        SegmentedPage(id: "p", format: .html, blocks: blocks.enumerated().map {
            Block(text: $0.element.text, tag: $0.element.tag, path: $0.element.path, index: $0.offset)
        })
    }

    private func apply(_ policy: OutputPolicy, _ page: SegmentedPage, _ labels: [Label], editorial: [Float]? = nil) -> [Label] {
        var labels = labels
        let editorial = editorial ?? labels.map { $0 == .editorial ? 0.9 : 0.1 }
        // Two classes, editorial and boilerplate: the policy reads the editorial column.
        policy.apply(&labels, page: page, context: PageContext(page),
                     probabilities: editorial.flatMap { [$0, 1 - $0] }, classes: [.editorial, .boilerplate])
        return labels
    }

    func testLaterRepeatsShowEditorialOnceAndKeepTeasers() {
        let headline = "Council keeps the harbour ferry running all winter"
        let teaser = "Watch: the new bridge opens to traffic after three years"
        let p = page([("h1", "body>h1", headline), ("p", "body>p", teaser), ("p", "body>p", "Body text of the article goes here today."),
                      ("h2", "body>h2", headline), ("li", "body>ul>li", teaser), ("li", "body>ul>li", "Yes"), ("li", "body>ul>li", "Yes")])
        let labels = apply(OutputPolicy(), p, [.editorial, .clickbait, .editorial, .editorial, .boilerplate, .editorial, .editorial])
        XCTAssertEqual(labels, [.editorial, .clickbait, .editorial, .boilerplate, .clickbait, .editorial, .editorial])
    }

    func testFallbackTakesTheMostEditorialBlocksOfAnEmptyPage() {
        let p = page([("li", "body>ul>li", "Papercut"), ("li", "body>ul>li", "In The End"), ("div", "body>div", "Privacy")])
        let labels: [Label] = [.boilerplate, .boilerplate, .boilerplate]
        let editorial: [Float] = [0.2, 0.15, 0.01]
        XCTAssertEqual(apply(OutputPolicy(), p, labels, editorial: editorial), [.editorial, .editorial, .boilerplate])
        XCTAssertEqual(apply(OutputPolicy(fallback: false), p, labels, editorial: editorial), labels)
        // A page that has editorial blocks is left as it is.
        XCTAssertEqual(apply(OutputPolicy(), p, [.editorial, .boilerplate, .boilerplate], editorial: editorial),
                       [.editorial, .boilerplate, .boilerplate])
    }

    func testBodyOnlyLeavesOutHeadlineCaptionsAndLinkLines() {
        var p = page([("h1", "body>article>h1", "Ferry saved"), ("figcaption", "body>article>figure>figcaption", "The ferry at dawn."),
                      ("div", "body>article>figure>div>div", "Photo: J. Smith"), ("p", "body>article>p", "The council voted."),
                      ("h2", "body>article>h2", "What happens next"), ("p", "body>article>p", "Read more: Pier to close"),
                      ("p", "body>article>p", "Fares stay the same, the operator said.")])
        p.blocks[5].linkChars = 14   // "Pier to close" and a space: more than half of 24 characters
        p.blocks[6].linkChars = 12   // "the operator": under half
        let labels = [Label](repeating: .editorial, count: 7)
        XCTAssertEqual(apply(OutputPolicy(bodyOnly: true), p, labels),
                       [.boilerplate, .boilerplate, .boilerplate, .editorial, .editorial, .boilerplate, .editorial])
        XCTAssertEqual(apply(OutputPolicy(), p, labels), labels)
    }

    func testBodyOnlyLeavesOutCaptionsMarkedByClassNames() {
        var p = page([("p", "body>article>p", "The council voted."), ("p", "body>article>div>p", "The ferry at dawn."),
                      ("span", "body>article>div>span", "Photo: J. Smith"), ("p", "body>article>p", "Fares stay the same."),
                      ("p", "body>article>div>p", "Creditors were told on Monday.")])
        p.blocks[1].ancestorTokens = ["wp-caption", "alignnone"]
        p.blocks[2].elementTokens = ["imageCredit"]
        p.blocks[4].ancestorTokens = ["article-body"]   // "credit" in the text, not in a class: kept
        let labels = [Label](repeating: .editorial, count: 5)
        XCTAssertEqual(apply(OutputPolicy(bodyOnly: true), p, labels), [.editorial, .boilerplate, .boilerplate, .editorial, .editorial])
        XCTAssertEqual(apply(OutputPolicy(), p, labels), labels)
    }

    func testRepeatsOfEditorialBlocksReachTheSequencePassAsBoilerplate() {
        let headline = "Council keeps the harbour ferry running all winter"
        let teaser = "Watch: the new bridge opens to traffic after three years"
        let p = page([("h1", "body>h1", headline), ("li", "body>ul>li", teaser), ("h2", "body>h2", headline),
                      ("li", "body>ul>li", teaser), ("td", "body>table>tr>td", "Yes"), ("td", "body>table>tr>td", "Yes")])
        // Classes editorial, boilerplate, clickbait; rows in page order.
        var probabilities: [Float] = [0.9, 0.1, 0, 0.2, 0.1, 0.7, 0.8, 0.2, 0, 0.6, 0.1, 0.3, 0.9, 0.1, 0, 0.9, 0.1, 0]
        OutputPolicy.demoteRepeats(&probabilities, classes: [.editorial, .boilerplate, .clickbait], threshold: 0.5,
                                   page: p, context: PageContext(p))
        XCTAssertEqual(Array(probabilities[6..<9]), [0, 1, 0], "the headline's second copy")
        XCTAssertEqual(Array(probabilities[9..<12]), [0.6, 0.1, 0.3], "the first copy of the teaser did not look editorial")
        XCTAssertEqual(Array(probabilities[15..<18]), [0.9, 0.1, 0], "short cells repeat legitimately")
    }
}
