import Foundation
import XCTest
@testable import Thresher

/// The SAX path of `HTMLSegmenter` must give the tree path's blocks, elements and metadata: on the
/// markup where libxml2's events and its tree disagree, and on the shared corpora's pages.
final class SAXWalkTests: XCTestCase {
    /// Both paths' results for a page, or their errors.
    private func assertSame(_ html: String, readsMarkedLabels: Bool = false, _ name: String = "", file: StaticString = #filePath, line: UInt = #line) {
        func segments(walksTree: Bool) -> String {
            do {
                let (blocks, elements, metadata) = try HTMLSegmenter(readsMarkedLabels: readsMarkedLabels, walksTree: walksTree).checkedSegments(of: html)
                return "\(blocks)\n\(elements)\n\(metadata)"
            } catch {
                return "error: \(error)"
            }
        }
        let sax = segments(walksTree: false), tree = segments(walksTree: true)
        if sax != tree {
            XCTFail("\(name.isEmpty ? String(html.prefix(80)) : name): SAX and tree differ\nSAX:  \(sax.prefix(2000))\ntree: \(tree.prefix(2000))", file: file, line: line)
        }
    }

    private func sax(_ html: String) -> [Block] {
        HTMLSegmenter(walksTree: false).blocks(of: html)
    }

    func testPrefixedTagsLoseTheirPrefix() {
        let html = "<html><body><p>at <st1:place class=x>Academy</st1:place></p><fb:login-button>Login</fb:login-button><a:>odd</a:><:b>odd</:b></body></html>"
        assertSame(html)
        // `<:b>` is no tag to libxml2: its text stays in the body.
        XCTAssertEqual(sax(html).map(\.tag), ["p", "place", "login-button", "a:", "body"])
    }

    func testElementsAfterTheEndOfHTML() {
        for html in ["<html><body><p>in</p></body></html><div class=after>after</div><p>more</p>",
                     "<!DOCTYPE html><html><body><p>in</p></body></html><div>after</div>",
                     "<!-- first --><html><body><p>in</p></body></html><div>after</div>",
                     "<html><body><p>in</p></body></html>text after<p>and a p</p>",
                     "<html><body><div><p>in</p><!DOCTYPE html></div></body></html><div>after</div>",
                     "<html><body><p>in</p></body></html><!DOCTYPE html><div>after</div><p>x</p>"] {
            assertSame(html)
        }
        XCTAssertEqual(sax("<html><body><p>in</p></body></html><div>after</div>").map(\.path), ["html>body>p", "html>html>div"])
    }

    func testTruncatedStartTags() {
        for html in ["<div class=a><p>text<span class=\"x", "<div><p>one</p><div class=\"b", "<body><p>a</p><body class=\"c",
                     "<html><body><div>x<p", "<p>one<br", "<div><title>t</title><p>x<html a=\"b"] {
            assertSame(html)
        }
    }

    func testTextOutsideElements() {
        for html in ["</html>text", "text only", "  <p>x</p>  ", "<html></html> \n tail", "&amp; <p>x</p>"] {
            assertSame(html)
        }
    }

    func testMetadata() {
        let html = """
        <html><head><title>  The <!-- c --> title </title><title>second</title>
        <script type="application/ld+json">{"articleBody": "Head body"}</script>
        <noscript><script type="application/ld+json">{"articleBody": "hidden"}</script></noscript></head>
        <body><p>text</p><script type="application/LD+JSON">{"@type":"NewsArticle","articleBody":"Body \\u00e9"}</script></body></html>
        """
        assertSame(html)
        let (_, _, metadata) = try! HTMLSegmenter(walksTree: false).checkedSegments(of: html)
        XCTAssertEqual(metadata.title, "The c title")
        XCTAssertEqual(metadata.articleBody, "Head body\n\nBody é")
        assertSame("<html><head><title></title><title>Second</title></head><body>x</body></html>")
        assertSame("<html><head><title>a<b>bold</b>c<?pi data?></title></head></html>")
    }

    func testMarkedLabelsAndAttributes() {
        let html = "<body><nav data-label>Menu</nav><article data-label='editorial' class='' id=story role=MAIN><p class=a class=b>Body</p>"
            + "<div data-label='promo' itemprop=articleBody class>Subscribe</div></article></body>"
        assertSame(html, readsMarkedLabels: true)
        assertSame(html)
    }

    func testDeepNestingAndRefusedMarkup() {
        let depth = 10_000
        assertSame("<html><body>" + String(repeating: "<div class=d>", count: depth) + "deep" + String(repeating: "</div>", count: depth) + "<p>after</p>")
        assertSame("<p " + (0...HTMLSegmenter.maxAttributes).map { "a\($0)=x" }.joined(separator: " ") + ">text</p>")
    }

    /// The fuzz seeds and kept regressions (Tests/Fuzz), decoded as the fuzz target decodes them.
    func testFuzzInputs() throws {
        let fuzz = SharedData.repository.appendingPathComponent("Tests/Fuzz")
        var count = 0
        for folder in ["regressions", "corpus"] {
            let url = fuzz.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.filter({ !$0.hasPrefix(".") }).sorted() ?? [] {
                let bytes = [UInt8](try Data(contentsOf: url.appendingPathComponent(name)))
                assertSame(Charset.decode(bytes, sniffHTML: true), readsMarkedLabels: true, "\(folder)/\(name)")
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 0)
    }

    /// Every page of the shared corpora with `THRESHER_SAX_CHECK=all` (a few minutes in a debug build),
    /// else every 25th; the repository's hand-labelled pages with their `data-label`s read.
    func testSharedCorporaGiveTheTreesSegments() throws {
        let all = ProcessInfo.processInfo.environment["THRESHER_SAX_CHECK"] == "all"
        var manifests: [String] = []
        for corpus in ["zyte", "cleaneval", "googletrends", "dragnet"] {
            if let path = try? SharedData.path("corpus/\(corpus).jsonl") { manifests.append(path) }
        }
        let labelled = SharedData.repository.appendingPathComponent("TrainingData/html").path
        var pages = 0
        let (sources, _) = InputExpander(allowOutside: true).expand(manifests + [labelled])
        for (index, source) in sources.enumerated() {
            let isLabelled: Bool
            switch source {
            case .record: isLabelled = false
            case .file: isLabelled = true
            default: continue
            }
            guard all || isLabelled || index % 25 == 0, let page = try? PageReader.load(source, withGold: false), page.format == .html else { continue }
            assertSame(page.text, readsMarkedLabels: isLabelled, page.id)
            // Cut pages end inside tags, attribute values, comments and scripts: where libxml2 closes
            // elements without an end event.
            var random = TrainingTestRandom(seed: UInt64(index))
            let utf8 = Array(page.text.utf8)
            for _ in 0..<(all ? 8 : 2) where utf8.count > 1 {
                let cut = Int(random.next() % UInt64(utf8.count))
                assertSame(String(decoding: utf8[..<cut], as: UTF8.self), readsMarkedLabels: isLabelled, "\(page.id) cut at \(cut)")
            }
            pages += 1
        }
        XCTAssertGreaterThan(pages, 0)
        if manifests.isEmpty { throw XCTSkip("../shared/corpus is absent: only the repository's \(pages) labelled pages were compared") }
        print("SAXWalkTests: compared \(pages) pages (\(all ? "all" : "a sample; THRESHER_SAX_CHECK=all for every page"))")
    }
}

