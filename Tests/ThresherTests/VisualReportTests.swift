import Foundation
import XCTest
@testable import Thresher

/// The visual report's page data: valid JSON that no page text can break out of.
final class VisualReportTests: XCTestCase {
    private func scored(_ texts: [String], gold: [Label]? = nil) -> ScoredPage {
        let blocks = texts.enumerated().map { Block(text: $1, tag: "p", path: "html>body>p", index: $0) }
        var page = SegmentedPage(id: "p</script>", format: .html, blocks: blocks, labels: gold)
        let classes: [Label] = [.editorial, .boilerplate]
        let probabilities: [Float] = texts.indices.flatMap { $0 == 0 ? [Float(0.9), 0.1] : [0.2, 0.8] }
        return ScoredPage(page: page, classes: classes, probabilities: probabilities, labels: texts.indices.map { $0 == 0 ? .editorial : .boilerplate })
    }

    func testPageTextCannotEndItsScriptElement() throws {
        let page = ReportPage(scored(["Story </script><script>alert(1)</script> <!-- text", "Home"]), explanations: [])
        let json = String(decoding: page.json, as: UTF8.self)
        XCTAssertFalse(json.contains("<"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(page.json)) as? [String: Any])
        let blocks = try XCTUnwrap(object["blocks"] as? [[String: Any]])
        XCTAssertEqual(blocks[0]["t"] as? String, "Story </script><script>alert(1)</script> <!-- text")
        XCTAssertEqual(object["paths"] as? [String], ["html>body>p"], "one shared tag path, written once")
        XCTAssertEqual(blocks[1]["pa"] as? Int, 0)
    }

    func testGoldDisagreementsAndWorstFirstOrder() {
        let good = ReportPage(scored(["A story of twelve words that the gold keeps as the main text here", "Home"],
                                     gold: [.editorial, .boilerplate]), explanations: [])
        let bad = ReportPage(scored(["Menu of the site", "Home"], gold: [.boilerplate, .editorial]), explanations: [])
        XCTAssertEqual(good.disagreements, 0)
        XCTAssertEqual(bad.disagreements, 2)
        let unlabelled = ReportPage(scored(["Text"]), explanations: [])
        XCTAssertNil(unlabelled.tokenF1)
        var report = VisualReport(title: "t", classes: [.editorial, .boilerplate])
        report.pages = [unlabelled, good, bad]
        report.sortWorstFirst()
        XCTAssertEqual(report.pages.map(\.disagreements), [2, 0, nil])
    }

    func testNumbersAreShort() {
        XCTAssertEqual(ReportPage.decimal(0.5), "0.5")
        XCTAssertEqual(ReportPage.decimal(1), "1")
        XCTAssertEqual(ReportPage.decimal(-0.0001), "0")
        XCTAssertEqual(ReportPage.significant(1.07234), "1.07")
        XCTAssertEqual(ReportPage.significant(0.000012345), "1.23e-05")
    }
}
