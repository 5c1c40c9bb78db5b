import Foundation
import XCTest
@testable import Thresher

/// The hand-marked teasers and promos of `TrainingData/annotations`: reading, merging, stale marks.
final class AnnotationsTests: XCTestCase {
    private func folder(pages: String, blocks: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("annotations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        try pages.write(to: url.appendingPathComponent("pages.annotations.tsv"), atomically: true, encoding: .utf8)
        try blocks.write(to: url.appendingPathComponent("blocks.annotations.tsv"), atomically: true, encoding: .utf8)
        return url.path
    }

    func testMarksTurnBoilerplateIntoTeasersAndPromosButNotEditorialGold() throws {
        let html = "<body><h1>Rain returns</h1><p>After a dry spring it rained.</p><p>Sign up for our newsletter</p>"
            + "<p>Storm closes the harbour road</p><p>Home</p></body>"
        var page = SegmentedPage(id: "p1", source: "news", format: .html, blocks: HTMLSegmenter().blocks(of: html),
                                 labels: [.editorial, .editorial, .boilerplate, .boilerplate, .boilerplate])
        let hash = { Annotations.textHash(page.blocks[$0].text) }
        let annotations = try Annotations.load(folder: try folder(
            pages: "# source\tid\tsite\thalf\nnews\tp1\tnews.example\teval\nnews\tp2\tnews.example\teval\n",
            blocks: "news\tp1\t2\tpromo\t\(hash(2))\nnews\tp1\t3\tclickbait\t\(hash(3))\nnews\tp1\t1\tpromo\t\(hash(1))\n"
                + "news\tp1\t4\tclickbait\t\(hash(3))\nnews\tp1\t9\tpromo\t\(hash(3))\n"))
        XCTAssertEqual(annotations.half(of: page), .eval)
        let merge = annotations.merge(into: &page)
        XCTAssertEqual(page.labels, [.editorial, .editorial, .promo, .clickbait, .boilerplate])
        XCTAssertEqual(merge.applied, 2)
        XCTAssertEqual(merge.goldKept, 1, "editorial gold wins over a mark")
        XCTAssertEqual(merge.stale, 2, "a changed text and an index past the page are caught")
        let other = SegmentedPage(id: "p3", source: "news", format: .html, blocks: [])
        XCTAssertNil(annotations.half(of: other))
    }

    func testBadLinesNameTheFileAndLine() throws {
        let bad = try folder(pages: "news\tp1\tnews.example\tlater\n", blocks: "")
        XCTAssertThrowsError(try Annotations.load(folder: bad)) { XCTAssertTrue("\($0)".contains("pages.annotations.tsv") && "\($0)".contains("line 1"), "\($0)") }
        let unknown = try folder(pages: "news\tp1\tnews.example\ttrain\n", blocks: "news\tp2\t0\tpromo\t0123456789abcdef\n")
        XCTAssertThrowsError(try Annotations.load(folder: unknown)) { XCTAssertTrue("\($0)".contains("not in pages.annotations.tsv"), "\($0)") }
        let label = try folder(pages: "news\tp1\tnews.example\ttrain\n", blocks: "news\tp1\t0\teditorial\t0123456789abcdef\n")
        XCTAssertThrowsError(try Annotations.load(folder: label)) { XCTAssertTrue("\($0)".contains("blocks.annotations.tsv"), "\($0)") }
    }

    /// Training on `TrainingData/` walks past its annotation: it names pages, it holds none.
    func testFolderWalksSkipAnnotationFiles() {
        XCTAssertFalse(InputExpander.isReadable("blocks.annotations.tsv"))
        XCTAssertTrue(InputExpander.isReadable("news.labels.tsv"))
        XCTAssertThrowsError(try InputExpander(allowOutside: false, split: nil).expandFile("x/pages.annotations.tsv")) {
            XCTAssertTrue("\($0)".contains("--annotations"), "\($0)")
        }
    }

    func testTextHashIsFNV1aOfTheUTF8Text() {
        XCTAssertEqual(Annotations.textHash(""), "cbf29ce484222325")
        XCTAssertEqual(Annotations.textHash("a"), "af63dc4c8601ec8c")
    }

    /// The shipped annotation reads, names only pages of the four corpora, and puts no site in both halves.
    func testShippedAnnotationIsConsistent() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TrainingData/annotations").path
        let annotations = try Annotations.load(folder: folder)
        XCTAssertGreaterThanOrEqual(annotations.halves.count, 150)
        let rows = try String(contentsOfFile: folder + "/pages.annotations.tsv", encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("#") }
        var halfOfSite: [String: Set<String>] = [:]
        for row in rows {
            let fields = row.split(separator: "\t").map(String.init)
            XCTAssertTrue(["zyte", "cleaneval", "googletrends", "dragnet"].contains(fields[0]), String(row))
            halfOfSite[fields[2], default: []].insert(fields[3])
        }
        XCTAssertTrue(halfOfSite.values.allSatisfy { $0.count == 1 }, "a site in both halves")
        XCTAssertEqual(Set(halfOfSite.values.flatMap { $0 }), ["train", "eval"])
    }
}
