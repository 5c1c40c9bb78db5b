import XCTest
@testable import Thresher

final class HTMLSegmenterTests: XCTestCase {
    private func texts(_ html: String) -> [String] {
        HTMLSegmenter().blocks(of: html).map(\.text)
    }

    func testBlocksCutAtNonInlineElementsOnly() {
        let html = "<html><body><div class='nav main'>Home <a href='/'>News</a></div><article id=story><h1>Title <em>here</em></h1><p>One&nbsp; two<br>three</p>tail</article></body></html>"
        let blocks = HTMLSegmenter().blocks(of: html)
        XCTAssertEqual(blocks.map(\.text), ["Home News", "Title here", "One two", "three", "tail"])
        XCTAssertEqual(blocks[0].elementTokens, ["nav", "main"])
        XCTAssertEqual(blocks[0].linkChars, 4)
        XCTAssertEqual(blocks[1].tag, "h1")
        XCTAssertEqual(blocks[1].ancestorTokens, ["story"])
        XCTAssertEqual(blocks[2].path, "html>body>article>p")
        XCTAssertEqual(blocks[4].tag, "article")
        XCTAssertEqual(blocks.map(\.index), [0, 1, 2, 3, 4])
    }

    func testSkippedElements() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><script>var a = '<p>no</p>';</script><noscript>no</noscript><p>yes</p><template><p>no</p></template><svg><text>no</text></svg></body></html>"
        XCTAssertEqual(texts(html), ["yes"])
    }

    func testEntities() {
        XCTAssertEqual(texts("<p>Fish &amp; chips &lt;3 &eacute;t&eacute; &#8364;5 &#x263A; &copy;</p>"), ["Fish & chips <3 été €5 ☺ ©"])
    }

    func testBreakCutsBlockAndWhitespaceCollapses() {
        XCTAssertEqual(texts("<p>  line\n one<br/>\tline   two <br> </p>"), ["line one", "line two"])
    }

    func testNoBlanksWordsStaySeparate() {
        XCTAssertEqual(texts("<p><b>bold</b> <i>italic</i></p>"), ["bold italic"])
    }

    func testNULByteInAttribute() {
        let bytes = Array("<div class=\"a".utf8) + [0] + Array("b\"><p>before</p></div><p>after</p>".utf8)
        let text = Charset.decode(bytes, sniffHTML: true)
        XCTAssertEqual(texts(text), ["before", "after"])
    }

    func testVeryDeepNestingKeepsTextAfterIt() {
        let depth = 100_000
        let html = "<html><body>" + String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</div>", count: depth) + "<p>after the nest</p></body></html>"
        let result = texts(html)
        XCTAssertEqual(result.first, "deep")
        XCTAssertEqual(result.last, "after the nest")
    }

    func testMarkedLabelsAreRead() {
        let html = "<body><nav>Menu</nav><article data-label='editorial'><p>Body text</p><div data-label='promo'>Subscribe</div></article></body>"
        let blocks = HTMLSegmenter(readsMarkedLabels: true).blocks(of: html)
        XCTAssertEqual(blocks.map(\.marked), [nil, "editorial", "promo"])
    }

    func testEmptyAndGarbage() {
        XCTAssertEqual(texts(""), [])
        XCTAssertTrue(texts("<<<>>>&&&").joined().contains("&&&"))  // libxml2 drops the stray "<"
    }
}
