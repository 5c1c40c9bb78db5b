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

    func testOuterTokensAndTemplateSignatures() {
        let html = """
        <html><body><section id=comments class="thread"><div class=wrap><ul class=list>
        <li class="comment odd"><div class=body><p>First comment text</p></div></li>
        <li class="comment even"><div class=body><p>Second comment text</p></div></li>
        </ul></div></section></body></html>
        """
        let blocks = HTMLSegmenter().blocks(of: html)
        XCTAssertEqual(blocks.map(\.text), ["First comment text", "Second comment text"])
        // p < div.body < li.comment < ul.list: the three nearest ancestors; section and above are outer.
        XCTAssertEqual(blocks[0].ancestorTokens, ["body", "comment", "odd", "list"])
        XCTAssertEqual(blocks[0].outerTokens, ["wrap", "comments", "thread"])
        XCTAssertEqual(blocks[0].signatures.count, blocks[0].containers.count)
        // Same tag and class: same signature (the two div.body); another class: another one.
        XCTAssertEqual(blocks[0].signatures[1], blocks[1].signatures[1])
        XCTAssertNotEqual(blocks[0].signatures[2], blocks[1].signatures[2])
        XCTAssertNotEqual(blocks[0].containers[1], blocks[1].containers[1])
        let copies = blocks.withUnsafeBufferPointer { TemplateCopies($0) }
        XCTAssertEqual(copies.count(blocks[0].signatures[0]), 2)   // the two p
        XCTAssertEqual(copies.count(blocks[0].signatures[1]), 2)   // the two div.body
        XCTAssertEqual(copies.count(blocks[0].signatures[2]), 1)   // li.comment.odd
        XCTAssertEqual(copies.count(blocks[0].signatures[3]), 1)   // ul.list, counted once for both blocks
        XCTAssertEqual(copies.count(12345), 0)
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
