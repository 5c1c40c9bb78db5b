import XCTest
@testable import Thresher

final class InputTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-input-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testManifestPathsCannotLeaveTheFolder() throws {
        let manifest = try write("m.jsonl", """
        {"id": "a", "html": "../../etc/passwd", "main_text": ""}
        {"id": "b", "html": "pages/b.html"}
        not json
        {"id": "c"}
        """)
        let (sources, errors) = InputExpander().expand([manifest])
        XCTAssertEqual(sources.map(\.name), ["b"])
        XCTAssertEqual(errors.count, 3)
        XCTAssertTrue(errors[0].description.contains("leaves the manifest's folder"))
        XCTAssertEqual(InputExpander(allowOutside: true).expand([manifest]).sources.count, 2)
    }

    func testFolderWalkedInSortedOrderAndPageIds() throws {
        _ = try write("b/page.html", "<p>two</p>")
        _ = try write("a.txt", "one")
        _ = try write(".hidden.txt", "no")
        _ = try write("notes.md", "no")
        let (sources, errors) = InputExpander().expand([folder.path])
        XCTAssertEqual(errors.count, 0)
        XCTAssertEqual(sources.map { ($0.name as NSString).lastPathComponent }, ["a.txt", "page.html"])
        let pages = try sources.map { try PageReader().read($0) }
        XCTAssertEqual(pages.map { $0.blocks.map(\.text) }, [["one"], ["two"]])
    }

    func testTokenMetricGoldIsTheRecordsMainTextAlsoWithInlineLabels() throws {
        _ = try write("pages/g.html", "<p>Harbour ferry saved</p><p>Menu</p>")
        // As GoogleTrends records: inline block labels and a main_text, here deliberately different, so
        // the test tells which one the token metric reads.
        let record = #"{"id": "g", "html": "pages/g.html", "main_text": "The gold text as the corpus gives it", "#
            + #""blocks_gold": [{"text": "Harbour ferry saved", "label": "editorial"}, {"text": "Menu", "label": "boilerplate"}]}"#
        let manifest = try write("g.jsonl", record + "\n")
        let source = try XCTUnwrap(InputExpander().expand([manifest]).sources.first)
        let page = try PageReader(wantsLabels: true).read(source)
        XCTAssertEqual(page.labels, [.editorial, .boilerplate], "block labels come from blocks_gold")
        XCTAssertEqual(page.goldText, "The gold text as the corpus gives it", "the token metric compares with main_text")
    }

    func testLabelledBlocksKeepLineSeparatorsInsideTheirText() throws {
        // U+0085 (NEL) and U+2028 are line breaks to Swift's `isNewline` but text inside a JSON string.
        var page = SegmentedPage(id: "p", source: "news", format: .text, blocks: [Block(text: "Well\u{85} we were wrong\u{2028} again", tag: "line", index: 0),
                                                                               Block(text: "Home", tag: "line", index: 1)],
                                 labels: [.editorial, .boilerplate])
        page.split = "train"
        let lines = zip(page.blocks, page.labels!).map { LabelledBlockFormat.line(page: page, block: $0, label: $1) }
        let path = try write("blocks.jsonl", lines.joined(separator: "\r\n") + "\n")
        let (sources, errors) = InputExpander().expand([path])
        XCTAssertTrue(errors.isEmpty, "\(errors)")
        let read = try sources.map { try PageReader(wantsLabels: true).read($0) }
        XCTAssertEqual(read.map { $0.blocks.map(\.text) }, [["Well\u{85} we were wrong\u{2028} again", "Home"]])
        XCTAssertEqual(read.first?.labels, [.editorial, .boilerplate])
    }

    func testLabelledItemListIsOnePagePerLine() throws {
        let list = try write("headlines-sample.tsv",
                             "clickbait\tYou Won't Believe What This Cat Did Next\n\neditorial\t Council  approves the harbour budget\n"
                             + "no tab here\nheadline\tAn unknown label\r\neditorial\t   \n")
        let (sources, errors) = InputExpander().expand([list])
        XCTAssertEqual(errors.map(\.description), ["\(list):5: unknown label \"headline\"", "\(list):6: no text after the label"])
        let pages = try sources.map { try PageReader().read($0) }
        XCTAssertEqual(pages.map(\.id), ["\(list):1", "\(list):3", "\(list):4"])
        XCTAssertEqual(pages.map { $0.blocks.map(\.text) },
                       [["You Won't Believe What This Cat Did Next"], ["Council approves the harbour budget"], ["no tab here"]])
        XCTAssertEqual(pages.map { $0.labels ?? [] }, [[.clickbait], [.editorial], []], "a line without a label is an unlabelled item")
        XCTAssertThrowsError(try PageReader(wantsLabels: true).read(sources[2]), "training and evaluation need its label")
        XCTAssertEqual(pages.map(\.source), ["headlines", "headlines", "headlines"])
        XCTAssertEqual(pages.map(\.format), [.text, .text, .text])
        // A .labels.tsv file of the same lines stays one page: a scrape, in page order.
        let scrape = try write("page.labels.tsv", "boilerplate\tHome\neditorial\tCouncil approves the harbour budget\n")
        let scraped = try InputExpander().expand([scrape]).sources.map { try PageReader().read($0) }
        XCTAssertEqual(scraped.map { $0.blocks.count }, [2])
    }

    func testEmptyAndBinaryFilesAreRefused() throws {
        let empty = try write("empty.html", "  \n")
        XCTAssertThrowsError(try PageReader().read(.file(path: empty))) { error in
            XCTAssertTrue("\(error)".contains("empty file"))
        }
        let png = folder.appendingPathComponent("image.html")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]).write(to: png)
        XCTAssertThrowsError(try PageReader().read(.file(path: png.path))) { error in
            XCTAssertTrue("\(error)".contains("PNG"))
        }
    }

    func testGzipTruncatedAndCorrupted() throws {
        let html = Array(String(repeating: "<p>Some page text that compresses well.</p>", count: 200).utf8)
        let gz = try gzip(html)
        XCTAssertEqual(try Gzip.decompress(gz, name: "x"), html)
        XCTAssertThrowsError(try Gzip.decompress(Array(gz.prefix(gz.count / 2)), name: "x")) { XCTAssertTrue("\($0)".contains("truncated")) }
        var corrupted = gz
        for i in 20..<40 { corrupted[i] ^= 0x5A }
        XCTAssertThrowsError(try Gzip.decompress(corrupted, name: "x")) { XCTAssertTrue("\($0)".contains("corrupted")) }
    }

    private func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let input = folder.appendingPathComponent("g")
        try Data(bytes).write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-k", "-f", input.path]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: folder.appendingPathComponent("g.gz")))
    }
}
