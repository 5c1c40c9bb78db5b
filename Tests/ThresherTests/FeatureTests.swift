import Foundation
import XCTest
@testable import Thresher

final class FeatureTests: XCTestCase {
    private func keywords(of token: String) -> Set<String> {
        var found = Set<String>()
        ClassTokens.analyse(token, keyword: { found.insert(FeatureSet.keywords[$0]) }, subword: { _ in })
        return found
    }

    private func subwordHashes(of token: String) -> [UInt64] {
        var hashes: [UInt64] = []
        ClassTokens.analyse(token, keyword: { _ in }, subword: { hashes.append($0) })
        return hashes
    }

    func testClassTokenKeywordsExactPluralAndPrefix() {
        XCTAssertEqual(keywords(of: "site-nav__item"), ["nav", "item"])
        XCTAssertEqual(keywords(of: "recommendedStories"), ["recommend"])
        XCTAssertEqual(keywords(of: "comments"), ["comment"])
        XCTAssertEqual(keywords(of: "ads"), ["ads", "ad"])
        // Short keywords match only whole sub-words: `header` must not read as `ad`.
        XCTAssertEqual(keywords(of: "header"), ["header"])
        XCTAssertEqual(keywords(of: "loader"), [])
        // A keyword of five letters or more is not its own prefix: `promo` alone is exact, `promotion` a prefix.
        XCTAssertEqual(keywords(of: "promotion"), ["promo"])
        XCTAssertEqual(keywords(of: "PROMO"), ["promo"])
    }

    func testKeywordsFitTheCachesKeywordSet() {
        // ClassTokenCache keeps a group's keywords as two 64-bit words.
        XCTAssertLessThanOrEqual(FeatureSet.keywords.count, 128)
    }

    func testClassTokenSubwordsSplitAtCaseAndPunctuation() {
        let expected = ["article", "body", "lead"].map { FeatureHash.hash(Substring($0), namespace: 0) }
        XCTAssertEqual(subwordHashes(of: "articleBody__lead-2"), expected)
        XCTAssertEqual(subwordHashes(of: "ARTICLE_body--LEAD"), expected)
        XCTAssertEqual(subwordHashes(of: "123-_"), [])
    }

    func testTextKeyTellsExactRepeats() {
        let text = "Read more about the storm that hit the coast"
        XCTAssertEqual(TextScan.key(text), TextScan.key(String(text.utf8.map { Character(UnicodeScalar($0)) })))
        XCTAssertNotEqual(TextScan.key(text), TextScan.key(text + "."))
        XCTAssertNotEqual(TextScan.key("abcdefgh"), TextScan.key("abcdefgi"))
        XCTAssertNotEqual(TextScan.key(""), TextScan.key(" "))
    }

    /// Neighbours with the same class tokens have their structure features copied from the row
    /// before; the copy must equal what the block gets on its own.
    func testCopiedStructureFeaturesEqualFreshOnes() {
        let blocks = (0..<4).map { i in
            Block(text: "Paragraph number \(i) of the story, with enough words to be prose.", tag: "p",
                  path: "html>body>main>article>p", depth: 5, elementTokens: i == 3 ? ["promo-box"] : ["story__para"],
                  ancestorTokens: ["article-body", "mainContent", "relatedLinks"], containers: [10 + i, 5, 3, 2], index: i)
        }
        let page = SegmentedPage(id: "p", format: .html, blocks: blocks)
        let whole = FeatureExtractor.features(of: page)
        let context = PageContext(page)
        for i in blocks.indices {
            let alone = FeatureExtractor.features(of: page, rows: i..<(i + 1), context: context)
            XCTAssertEqual(Array(whole.row(i)), Array(alone.row(0)), "block \(i)")
        }
        let names = FeatureSet.names
        let row = Array(whole.row(1))
        for name in ["class_has=story", "ancestor_class_has=article", "ancestor_class_has=main", "ancestor_class_has=related",
                     "path_has=article", "path_has=main", "tag=p"] {
            XCTAssertEqual(row[names.firstIndex(of: name)!], 1, name)
        }
        XCTAssertEqual(Array(whole.row(3))[names.firstIndex(of: "class_has=promo")!], 1)
        XCTAssertEqual(row[names.firstIndex(of: "path_has=nav")!], 0)
    }
}
