import XCTest
@testable import Thresher

/// The weak labeller's candidates on markup built to show each rule, and the link targets it reads.
final class WeakLabellerTests: XCTestCase {
    private func page(_ body: String, url: String = "https://news.example.com/2026/12/harbour-road-closes") throws -> SegmentedPage {
        let (blocks, elements, metadata) = try HTMLSegmenter().checkedSegments(of: "<html><body>" + body + "</body></html>")
        var page = SegmentedPage(id: "p", format: .html, blocks: blocks)
        (page.elements, page.metadata, page.url) = (elements, metadata, url)
        return page
    }

    private func candidates(_ page: SegmentedPage) -> [String: Label?] {
        Dictionary(uniqueKeysWithValues: zip(page.blocks.map(\.text), WeakLabeller.candidates(page)))
    }

    func testBlocksKnowWhereTheirFirstLinkGoes() throws {
        let page = try page("<p>Plain text</p><p>See <a href='/a/one'>the first</a> and <a href='/b'>second</a></p><p><a>no href</a></p>")
        XCTAssertEqual(page.blocks.map(\.linkTarget), [nil, "/a/one", ""])
    }

    func testARailOfSameSiteArticleLinksIsTeasers() throws {
        let cards = (1...4).map { "<div class='card'><a href='/2026/12/story-number-\($0)-of-the-day'>Story number \($0) you should read today</a></div>" }
        let page = try page("<article><p>The coastal road was closed on Tuesday after the storm.</p></article><div class='rail'>"
                            + cards.joined() + "</div><div class='x'><a href='https://other.example.org/2026/12/a-b-c-d'>Elsewhere on another site entirely today</a></div>")
        let found = candidates(page)
        XCTAssertEqual(found["Story number 1 you should read today"], .clickbait)
        XCTAssertEqual(found["Story number 4 you should read today"], .clickbait)
        XCTAssertEqual(found["The coastal road was closed on Tuesday after the storm."], .some(nil))
        XCTAssertEqual(found["Elsewhere on another site entirely today"], .some(nil), "another site's article is no teaser of this one")
    }

    func testASectionLabelMakesLoneTeasersAndReadMoreLinesCount() throws {
        let page = try page("<h3>Most read</h3><ul><li><a href='/news/mayor-resigns-over-ferry-deal'>Mayor resigns over the ferry deal</a></li></ul>"
                            + "<p>Read more: <a href='/news/storm-damage-in-pictures'>Storm damage in pictures</a></p>")
        let found = candidates(page)
        XCTAssertEqual(found["Mayor resigns over the ferry deal"], .clickbait)
        XCTAssertEqual(found["Read more: Storm damage in pictures"], .clickbait)
        XCTAssertEqual(found["Most read"], .some(nil))
    }

    func testCallsToActionArePromos() throws {
        let page = try page("<p><a href='https://apps.apple.com/app/id1'>Get our app</a></p><div class='newsletter-box'><p>Every morning in your inbox.</p></div>"
                            + "<p>Subscribe for full access</p><p>The council meets again on Friday to vote on the budget for next year.</p>")
        let found = candidates(page)
        XCTAssertEqual(found["Get our app"], .promo)
        XCTAssertEqual(found["Every morning in your inbox."], .promo)
        XCTAssertEqual(found["Subscribe for full access"], .promo)
        XCTAssertEqual(found["The council meets again on Friday to vote on the budget for next year."], .some(nil))
    }

    /// A consent dialog's vendor list is promo block by block (the labelling rules), though no block is a link or a call to action.
    func testAConsentDialogsVendorListIsPromo() throws {
        let vendors = ["Example Ad Exchange Ltd", "Measurement Partners Inc"].map { "<li><div>\($0)</div></li>" }.joined()
        let page = try page("<div class='cmp-settings-consents'><ul>" + vendors + "</ul></div>"
                            + "<article><p>The council meets again on Friday to vote on the budget for next year.</p></article>")
        let found = candidates(page)
        XCTAssertEqual(found["Example Ad Exchange Ltd"], .promo)
        XCTAssertEqual(found["Measurement Partners Inc"], .promo)
        XCTAssertEqual(found["The council meets again on Friday to vote on the budget for next year."], .some(nil))
    }

    /// Share rows, advert slots named by a class-name part, and sponsored widgets are promo; a "most
    /// shared" list is not, and a class name that merely contains "ad" (`header`, `loader`) is not.
    func testShareRowsAndAdvertSlotsArePromos() throws {
        let page = try page("<ul class='share-tools'><li>Pin it</li></ul><div class='imdb-pro-ad__content'><p>Find industry contacts</p></div>"
                            + "<div class='ob-widget outbrain'><p>You will not believe this kitchen trick</p></div>"
                            + "<div class='popular-shared'><p>Ten quiet beaches for the winter</p></div>"
                            + "<div class='header loader'><p>The council meets again on Friday to vote on the budget for next year.</p></div>")
        let found = candidates(page)
        XCTAssertEqual(found["Pin it"], .promo)
        XCTAssertEqual(found["Find industry contacts"], .promo)
        XCTAssertEqual(found["You will not believe this kitchen trick"], .promo)
        XCTAssertEqual(found["Ten quiet beaches for the winter"], .some(nil))
        XCTAssertEqual(found["The council meets again on Friday to vote on the budget for next year."], .some(nil))
        XCTAssertTrue(WeakLabeller.namesAdvertSlot("ads_top") && WeakLabeller.namesAdvertSlot("AD-slot"))
        XCTAssertFalse(WeakLabeller.namesAdvertSlot("download") || WeakLabeller.namesAdvertSlot("lead-story"))
    }

    func testMergeLeavesEditorialAndCommentGold() throws {
        var page = try page("<h3>Related</h3><p><a href='/news/a-story-about-the-harbour'>A story about the harbour today</a></p><p><a href='https://twitter.com/news'>Follow us</a></p>")
        page.labels = [.boilerplate, .editorial, .boilerplate]
        XCTAssertEqual(WeakLabeller.merge(into: &page), 1)
        XCTAssertEqual(page.labels, [.boilerplate, .editorial, .promo])
    }

    func testSiteOfAHost() {
        XCTAssertEqual(WeakLabeller.registrable("www.bbc.co.uk"), "bbc.co.uk")
        XCTAssertEqual(WeakLabeller.registrable("edition.cnn.com"), "cnn.com")
    }
}

/// The link rules in the output policy: teasers named on top of the shipped model, editorial untouched.
final class LinkRulesPolicyTests: XCTestCase {
    func testTheShippedModelNamesARailOfTeasersOnlyWithTheLinkRules() throws {
        let model = try ModelFile.read(SharedData.repository.appendingPathComponent("Models/default-model.json").path)
        let cards = (1...4).map { "<li class='card'><a href='/2026/12/story-number-\($0)-of-the-day'>Story number \($0) you should read today</a></li>" }
        let html = "<html><body><article><h1>Harbour road closes</h1><p>The coastal road into the old harbour was closed on Tuesday after waves "
            + "undermined a stretch of the sea wall, the county council said on Wednesday.</p></article><aside><ul class='rail'>"
            + cards.joined() + "</ul></aside></body></html>"
        let (blocks, elements, metadata) = try HTMLSegmenter().checkedSegments(of: html)
        var page = SegmentedPage(id: "p", format: .html, blocks: blocks)
        (page.elements, page.metadata, page.url) = (elements, metadata, "https://news.example.com/2026/12/harbour-road-closes")
        let scorer = Scorer(model)
        let with = scorer.score(page), without = scorer.score(page, policy: OutputPolicy(namesTeasers: false))
        let cardBlocks = page.blocks.indices.filter { page.blocks[$0].text.hasPrefix("Story number") }
        XCTAssertEqual(cardBlocks.count, 4)
        XCTAssertTrue(cardBlocks.allSatisfy { with.labels[$0] == .clickbait }, "\(with.labels)")
        XCTAssertEqual(with.editorialText, without.editorialText, "editorial text never changes")
        // The rule names exactly the blocks the model left as boilerplate, and says so in the explanation.
        let (_, explanations) = scorer.explained(page, top: 1)
        for i in page.blocks.indices {
            let named = without.labels[i] == .boilerplate && with.labels[i] != .boilerplate
            XCTAssertEqual(explanations[i].rules.contains("link-rules"), named, "block \(i)")
            if !named { XCTAssertEqual(with.labels[i], without.labels[i]) }
        }

        // On labels the model left as boilerplate everywhere, the rule alone names the rail.
        var labels = [Label](repeating: .boilerplate, count: page.blocks.count)
        var fired: [Int] = []
        OutputPolicy(fallback: false).apply(&labels, page: page, context: PageContext(page), probabilities: with.probabilities,
                                            classes: model.classes) { i, rule in if rule == .linkRules { fired.append(i) } }
        XCTAssertEqual(fired, cardBlocks)
        XCTAssertTrue(cardBlocks.allSatisfy { labels[$0] == .clickbait })
    }
}
