import XCTest
@testable import Thresher

final class LabellerTests: XCTestCase {
    func testAlignmentOnHandMadePageWithRepeatedMenuWord() throws {
        let html = """
        <body><ul><li>Home</li><li>Gardens</li><li>Weather</li></ul>
        <h1>Rain returns to the gardens</h1>
        <p>After a dry spring the gardens of the old town finally saw rain this week.</p>
        <p>Gardeners said the weather came just in time for the roses.</p>
        <div>Share this story</div>
        <p>I love these gardens, says a reader.</p></body>
        """
        let gold = Gold.text(main: "Rain returns to the gardens\n\nAfter a dry spring the gardens of the old town finally saw rain this week.\n\nGardeners said the weather came just in time for the roses.",
                             comments: "I love these gardens, says a reader.")
        let blocks = HTMLSegmenter().blocks(of: html)
        let (labels, coverage) = try Labeller.label(blocks, gold: gold, page: "test")
        XCTAssertEqual(blocks.map(\.text), ["Home", "Gardens", "Weather", "Rain returns to the gardens",
                                            "After a dry spring the gardens of the old town finally saw rain this week.",
                                            "Gardeners said the weather came just in time for the roses.", "Share this story",
                                            "I love these gardens, says a reader."])
        XCTAssertEqual(labels, [.boilerplate, .boilerplate, .boilerplate, .editorial, .editorial, .editorial, .boilerplate, .comment])
        XCTAssertEqual(coverage?.share ?? 0, 1, accuracy: 1e-9)
    }

    /// A labelled HTML page read as the text scrape a scraper would have made of it: the same texts and
    /// labels, one line each, no markup, and the result reads back as a text scrape.
    func testDerivedScrapeKeepsTextsAndLabelsWithoutMarkup() throws {
        let html = "<body><nav><a href=\"/\">Home</a></nav><h1>Rain returns</h1><p>After a dry spring the <b>gardens</b>\n saw rain.</p></body>"
        var page = SegmentedPage(id: "p1", source: "news", split: "train", format: .html, blocks: HTMLSegmenter().blocks(of: html))
        page.labels = [.boilerplate, .editorial, .editorial]
        let scrape = try XCTUnwrap(DerivedScrape.of(page))
        XCTAssertEqual(scrape.id, "p1#text")
        XCTAssertEqual(scrape.format, .text)
        XCTAssertEqual(scrape.source, DerivedScrape.source)
        XCTAssertEqual(scrape.split, "train")
        XCTAssertEqual(scrape.blocks.map(\.text), ["Home", "Rain returns", "After a dry spring the gardens saw rain."])
        XCTAssertEqual(scrape.labels, [.boilerplate, .editorial, .editorial])
        XCTAssertTrue(scrape.blocks.allSatisfy { $0.tag == "line" && $0.linkChars == 0 && $0.elementTokens.isEmpty })
        XCTAssertEqual(TextSegmenter.blocks(of: scrape.blocks.map(\.text).joined(separator: "\n")).map(\.text), scrape.blocks.map(\.text))
        XCTAssertNil(DerivedScrape.of(scrape), "a text page has no derived scrape")
    }

    func testGoldBlocksAreUsedAsGiven() throws {
        let blocks = TextSegmenter.blocks(of: "Menu\nStory text goes here\nReader says hi")
        let gold = Gold.blocks([("Menu", "boilerplate"), ("Story text goes here", "editorial"), ("Reader says hi", "comment")])
        XCTAssertEqual(try Labeller.label(blocks, gold: gold, page: "p").labels, [.boilerplate, .editorial, .comment])
    }

    func testUnknownLabelIsRefused() {
        let blocks = TextSegmenter.blocks(of: "a\nb")
        XCTAssertThrowsError(try Labeller.label(blocks, gold: .perBlock(["editorial", "advert"]), page: "p"))
    }

    func testAlignerIsInOrder() {
        let page: [UInt64] = [1, 2, 3, 9, 4, 5, 2]
        let gold: [UInt64] = [2, 3, 4, 5]
        XCTAssertEqual(Aligner.align(page, gold), [-1, 0, 1, -1, 2, 3, -1])
    }

    func testAlignerOnLongSequencesUsesAnchorsAndStaysInOrder() {
        var generator = SystemRandomNumberGenerator()
        let gold = (0..<5000).map { _ in UInt64.random(in: 0..<400, using: &generator) }
        let page = (0..<3000).map { UInt64(1000 + $0 % 7) } + gold + (0..<3000).map { UInt64(1000 + $0 % 7) }
        let match = Aligner.align(page, gold)
        XCTAssertEqual(match.filter { $0 >= 0 }.count, 5000)
        let matched = match.filter { $0 >= 0 }
        XCTAssertEqual(matched, matched.sorted())
    }

    func testSeedLabelsReadAsLabelledScrape() throws {
        let path = try SharedData.path("seed/seed-page.labels.tsv")
        let page = try PageReader(wantsLabels: true).read(.labelledScrape(path: path))
        XCTAssertEqual(page.blocks.count, 36)
        XCTAssertEqual(page.labels?.filter { $0 == .editorial }.count, 8)
    }

    func testLabelledBlocksRoundTripAndContainersRenumbered() throws {
        let blocks = [
            Block(text: "Menu", tag: "li", path: "body>nav>ul>li", depth: 4, elementTokens: ["item"], ancestorTokens: ["menu"],
                  outerTokens: ["site-header"], linkChars: 4, containers: [9_000_000_000, -3, 7], signatures: [0xFFFF_FFFF_FFFF_FFFF, 1, 2], index: 0),
            Block(text: "Story text here.", tag: "p", containers: [12, 7], signatures: [3, 2], index: 1),
        ]
        let page = SegmentedPage(id: "p1", format: .html, blocks: blocks)
        let lines = zip(blocks, [Label.boilerplate, .editorial]).map { Substring(LabelledBlockFormat.line(page: page, block: $0, label: $1)) }
        let read = try LabelledBlockFormat.read(lines, name: "t.jsonl")
        XCTAssertEqual(read.count, 1)
        let back = read[0].blocks
        XCTAssertEqual(back[0].outerTokens, ["site-header"])
        XCTAssertEqual(back[0].signatures, [0xFFFF_FFFF_FFFF_FFFF, 1, 2])
        XCTAssertEqual(back[0].containers, [1, 2, 3])
        XCTAssertEqual(back[1].containers, [4, 3])
        XCTAssertEqual(read[0].labels, [.boilerplate, .editorial])
        XCTAssertEqual(FeatureExtractor.features(of: read[0]).rows, 2)
    }
}
