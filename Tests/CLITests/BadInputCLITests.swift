import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, "Bad input never crashes, hangs or loses work", checked on the built binary: every failed
/// input gets one line on standard error naming it and the cause, the batch goes on and ends with a
/// summary line, and the exit code says what happened (0 all done, 1 some inputs failed, 2 usage error,
/// 3 model problem).
final class BadInputCLITests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = try CLI.temporaryFolder()
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    // MARK: Damaged and odd page files

    func testEmptyFilesFailAndTheBatchGoesOn() throws {
        let empty = try write("empty.html", Data())
        let blank = try write("blank.txt", " \n\r\n\t\n")
        let good = try write("good.txt", "a line\nanother line")
        let run = try Child.run(["blocks", empty, blank, good])
        assertFailures(run, [(empty, "empty file"), (blank, "empty file")], done: 1, verb: "segmented")
        XCTAssertEqual(run.stdoutLines.count, 2)
        // An empty standard input too.
        assertFailures(try Child.run(["blocks", "-"], stdin: Data()), [("-", "empty file")], done: 0, verb: "segmented")
    }

    func testBinaryDataNamedHTMLIsRefused() throws {
        let png = try write("image.html", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]) + Data("IHDR".utf8)
            + Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7) }))
        let pdf = try write("paper.html", Data("%PDF-1.4\n%\u{E2}\u{E3}\n1 0 obj << /Type /Catalog >>\nstream\n".utf8)
            + Data((0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 13) }))
        let run = try Child.run(["blocks", png, pdf])
        assertFailures(run, [(png, "not a web page (PNG image)"), (pdf, "not a web page (PDF document)")], done: 0, verb: "segmented")
        XCTAssertTrue(run.stdout.isEmpty)
        // Random bytes on standard input.
        let noise = Data((0..<4096).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) })
        assertFailures(try Child.run(["blocks", "-"], stdin: noise), [("-", "not a web page")], done: 0, verb: "segmented")
    }

    func testInvalidUTF8GivesValidUTF8Output() throws {
        let page = try write("bad.html", Data("<html><body><p>caf".utf8) + Data([0xE9, 0x20, 0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xF8])
            + Data(" end</p></body></html>".utf8))
        let scrape = try write("bad.txt", Data("first \u{E9}t\u{E9} line\n".utf8) + Data([0xC3, 0xFF, 0x80, 0x0A]) + Data("last".utf8))
        let run = try Child.run(["blocks", "--format", "jsonl", page, scrape])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertNotNil(String(validatingUTF8Data: run.stdout), "output is valid UTF-8")
        XCTAssertEqual(run.stdoutLines.count, 4)
        for line in run.stdoutLines {
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(line.utf8)), line)
        }
        XCTAssertEqual(run.stderrLines, ["2 pages segmented, 0 failed"])
    }

    func testTruncatedAndCorruptedGzipFail() throws {
        let gzip = try gzipped("<html><body><p>A page that is long enough to compress into a few deflate blocks.</p></body></html>")
        let truncated = try write("truncated.html.gz", gzip.prefix(gzip.count / 2))
        var damaged = gzip
        for i in 12..<min(24, damaged.count - 8) { damaged[i] ^= 0x5A }
        let corrupted = try write("corrupted.html.gz", damaged)
        var badChecksum = gzip
        badChecksum[badChecksum.count - 6] ^= 0xFF
        let checksum = try write("checksum.html.gz", badChecksum)
        let good = try write("good.html.gz", gzip)
        let run = try Child.run(["blocks", truncated, corrupted, checksum, good])
        assertFailures(run, [(truncated, "truncated gzip data"), (corrupted, "gzip data"), (checksum, "corrupted gzip data")],
                       done: 1, verb: "segmented")
        XCTAssertEqual(run.stdoutLines.count, 1)
        // Through standard input as well.
        assertFailures(try Child.run(["blocks", "-"], stdin: gzip.prefix(20)), [("-", "truncated gzip data")], done: 0, verb: "segmented")
    }

    /// A gzip bomb, an endless device and a folder named like a page fail on their own instead of
    /// eating memory or hanging.
    func testOversizedAndEndlessInputsAreRefused() throws {
        // 200 concatenated gzip members of 1 MiB each: 200 kB that inflate to 200 MiB.
        let member = try gzipped(Data(repeating: UInt8(ascii: "a"), count: 1 << 20))
        var bomb = try gzipped("<p>")
        for _ in 0..<200 { bomb.append(member) }
        let bombFile = try write("bomb.html.gz", bomb)
        let folderPage = folder.appendingPathComponent("folder.html").path
        try FileManager.default.createDirectory(atPath: folderPage, withIntermediateDirectories: true)
        let run = try Child.run(["blocks", bombFile, "/dev/zero"], timeout: 60)
        assertFailures(run, [(bombFile, "page too large"), ("/dev/zero", "page too large")], done: 0, verb: "segmented")
        XCTAssertLessThan(run.peakKB, 1_000_000, "refused before the page is parsed")
        // A file named .html that is a folder is walked as a folder (here: no pages in it).
        XCTAssertEqual(try Child.run(["blocks", folderPage]).status, 0)
    }

    // MARK: Large and deep pages

    /// The promise: `thresher blocks` on one page peaks at no more than 25 times the page's size plus
    /// 100 MB of resident memory (measured: 2.1 GB for this 100 MB page, 21 times; real pages repeated to
    /// 100 MB take about 7 times). Pages over `PageReader.maxPageBytes` (128 MiB) are refused, so the
    /// memory of one page is bounded outright.
    func testHundredMegabytePageStaysWithinTheMemoryBound() throws {
        let path = folder.appendingPathComponent("huge.html").path
        let paragraph = "<div class=\"c\"><p>Some editorial text here with <a href=\"/x\">a link</a> and more words to read.</p></div>\n"
        let chunk = Data(String(repeating: paragraph, count: (1 << 20) / paragraph.utf8.count).utf8)
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.write(Data("<html><body>".utf8))
        var size = 12
        while size < 100_000_000 {
            handle.write(chunk)
            size += chunk.count
        }
        handle.write(Data("</body></html>".utf8))
        try handle.close()
        let pageBytes = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let run = try Child.run(["blocks", "--jobs", "1", path], stdoutPath: "/dev/null", timeout: 120)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderrLines, ["1 pages segmented, 0 failed"])
        let bound = 25 * pageBytes / 1024 + 100_000
        print("100 MB page: peak resident \(run.peakKB / 1024) MB = \(String(format: "%.1f", Double(run.peakKB * 1024) / Double(pageBytes)))x the page; bound \(bound / 1024) MB")
        XCTAssertLessThanOrEqual(run.peakKB, bound, "peak resident size at most 25x the page size + 100 MB")
    }

    func testMillionBlocks() throws {
        let page = try write("million.html", "<html><body>" + String(repeating: "<p>b</p>", count: 1_000_000) + "</body></html>")
        let out = folder.appendingPathComponent("out.txt").path
        let run = try Child.run(["blocks", page], stdoutPath: out, timeout: 120)
        XCTAssertEqual(run.status, 0, run.stderr)
        let output = try Data(contentsOf: URL(fileURLWithPath: out))
        XCTAssertEqual(output.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }, 1_000_000)
        XCTAssertTrue(String(decoding: output.suffix(30), as: UTF8.self).hasSuffix("\t999999\tp\tb\n"))
        print("1,000,000 blocks: peak resident \(run.peakKB / 1024) MB")
        XCTAssertLessThanOrEqual(run.peakKB, 1_000_000 + 100_000, "at most 1 kB a block + 100 MB")
    }

    func testHundredThousandDeepNesting() throws {
        let depth = 100_000
        let page = try write("deep.html", "<html><body>" + String(repeating: "<div>", count: depth) + "deep text"
            + String(repeating: "</div>", count: depth) + "<p>after</p></body></html>")
        let run = try Child.run(["blocks", "--format", "jsonl", page], timeout: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        let blocks = try run.stdoutLines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertEqual(blocks.map { $0["text"] as? String }, ["deep text", "after"])
        XCTAssertGreaterThanOrEqual(blocks.first?["depth"] as? Int ?? 0, depth)
    }

    /// libxml2 2.9 spends quadratic time on a tag with very many attributes and on stray end tags
    /// inside very deep nesting; such pages fail quickly instead of hanging for hours.
    func testMarkupThatWouldTakeQuadraticTimeFailsQuickly() throws {
        let attributes = try write("attributes.html", "<p " + (0..<200_000).map { "a\($0)=1" }.joined(separator: " ") + ">text</p>")
        let stray = try write("stray.html", String(repeating: "<div>", count: 300_000) + String(repeating: "</span>", count: 300_000))
        let good = try write("good.html", "<p " + (0..<500).map { "a\($0)=1" }.joined(separator: " ") + ">text</p>")
        let start = Date()
        let run = try Child.run(["blocks", attributes, stray, good], timeout: 60)
        assertFailures(run, [(attributes, "a tag has over 1000 attributes"), (stray, "too many mismatched end tags")],
                       done: 1, verb: "segmented")
        XCTAssertEqual(run.stdoutLines.count, 1)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }

    func testPageThatIsOnlyScript() throws {
        let page = try write("script.html", "<script>" + String(repeating: "document.write('<p>not text</p>');\n", count: 2000) + "</script>")
        let run = try Child.run(["blocks", page])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.isEmpty)
        XCTAssertEqual(run.stderrLines, ["1 pages segmented, 0 failed"])
    }

    func testTenMegabyteLineInATextScrape() throws {
        let line = String(repeating: "word ", count: 2_000_000)
        let scrape = try write("long.txt", "first\n" + line + "\nlast\n")
        let out = folder.appendingPathComponent("out.txt").path
        let run = try Child.run(["blocks", scrape], stdoutPath: out, timeout: 60)
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines[1].utf8.count, scrape.utf8.count + "\t1\tline\t".utf8.count + line.utf8.count - 1)
    }

    func testCRLFAndLoneCRScrapes() throws {
        let crlf = try write("crlf.txt", "one\r\ntwo  words\r\n\r\nthree\r\n")
        let cr = try write("cr.txt", "one\rtwo  words\r\rthree\r")
        let mixed = try write("mixed.txt", "one\r\ntwo  words\rthree\n")
        let run = try Child.run(["blocks", "--jobs", "1", crlf, cr, mixed])
        XCTAssertEqual(run.status, 0, run.stderr)
        for path in [crlf, cr, mixed] {
            XCTAssertEqual(run.stdoutLines.filter { $0.hasPrefix(path + "\t") }.map { $0.split(separator: "\t").last.map(String.init) },
                           ["one", "two words", "three"], path)
        }
        // A CRLF labelled scrape keeps its labels and texts clean.
        let labelled = try write("crlf.labels.tsv", "editorial\tA sentence of text.\r\nboilerplate\tHome | News\r\n")
        let out = folder.appendingPathComponent("crlf.jsonl").path
        let label = try Child.run(["label", labelled, "--out", out])
        XCTAssertEqual(label.status, 0, label.stderr)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(rows.map { $0["label"] as? String }, ["editorial", "boilerplate"])
        XCTAssertEqual(rows.map { $0["text"] as? String }, ["A sentence of text.", "Home | News"])
    }

    // MARK: Manifests

    func testManifestLinesThatAreNotJSONLackFieldsOrPointNowhere() throws {
        _ = try write("pages/a.html", "<p>Hello page one</p>")
        let manifest = try write("m.jsonl", """
        {"id":"a","html":"pages/a.html","main_text":"Hello page one"}
        this is not json
        {"id":"b"}
        {"html":"pages/a.html"}
        [1, 2, 3]
        {"id":"c","html":"pages/missing.html.gz"}

        """)
        let run = try Child.run(["blocks", manifest])
        assertFailures(run, [("m.jsonl:2", "not a JSON object"), ("m.jsonl:3", "record b has no `html` path"),
                             ("m.jsonl:4", "no `id`"), ("m.jsonl:5", "not a JSON object"), ("c", "file not found")],
                       done: 1, verb: "segmented")
        XCTAssertEqual(run.stdoutLines, ["a\t0\tp\tHello page one"])
    }

    /// Manifest lines end at LF, CRLF or CR only: a raw U+2028 or U+0085 inside a JSON string is text.
    func testManifestLineEndingsAndUnicodeSeparators() throws {
        _ = try write("pages/a.html", "<p>Hello page one</p>")
        let manifest = try write("m.jsonl", "{\"id\":\"a\",\"html\":\"pages/a.html\",\"main_text\":\"Hello\u{2028}page\u{85}one\"}\r\n"
            + "{\"id\":\"b\",\"html\":\"pages/a.html\",\"main_text\":\"Hello page one\"}\r\r\n"
            + "{\"id\":\"c\",\"html\":\"pages/a.html\",\"main_text\":\"Hello page one\"}\nnot json")
        let out = folder.appendingPathComponent("labels.jsonl").path
        let run = try Child.run(["label", manifest, "--out", out])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(run.stderrLines.filter { $0.hasPrefix("thresher: ") }, ["thresher: \(manifest):5: not a JSON object"])
        XCTAssertTrue(run.stderrLines.contains("3 pages labelled, 1 failed"), run.stderr)
        let rows = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(rows.map { $0["page"] as? String }, ["a", "b", "c"])
        XCTAssertEqual(rows.map { $0["label"] as? String }, ["editorial", "editorial", "editorial"])
    }

    func testManifestPathsCannotEscapeTheFolder() throws {
        let corpus = folder.appendingPathComponent("corpus/sub")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        _ = try write("outside.html", "<p>Outside the corpus folder</p>")
        let manifest = try write("corpus/sub/m.jsonl", """
        {"id":"passwd","html":"../../../../../../../../etc/passwd"}
        {"id":"up","html":"../../outside.html"}
        {"id":"abs","html":"/etc/passwd"}
        """)
        let run = try Child.run(["blocks", manifest])
        assertFailures(run, [("m.jsonl:1", "leaves the manifest's folder"), ("m.jsonl:2", "leaves the manifest's folder"),
                             ("m.jsonl:3", "leaves the manifest's folder")], done: 0, verb: "segmented")
        XCTAssertFalse(run.stdout.contains(Data("root:".utf8)))
        // --allow-outside lets them through.
        let allowed = try Child.run(["blocks", "--allow-outside", manifest])
        XCTAssertTrue(allowed.stdoutLines.contains("up\t0\tp\tOutside the corpus folder"), allowed.stderr)
    }

    // MARK: Untrusted content

    func testExternalEntitiesAndDTDsAreNeverLoaded() throws {
        let page = try write("xxe.html", """
        <!DOCTYPE html SYSTEM "http://127.0.0.1:9/evil.dtd" [
        <!ENTITY x SYSTEM "file:///etc/passwd">
        <!ENTITY % p SYSTEM "file:///etc/hostname"> %p;
        ]>
        <html><head><link rel="stylesheet" href="file:///etc/passwd"></head>
        <body><p>Before &x; after</p><iframe src="file:///etc/passwd"></iframe>
        <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/><p>end</p></body></html>
        """)
        let run = try Child.run(["blocks", page])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains(Data("root:".utf8)), "no /etc/passwd content")
        if let hostname = try? String(contentsOfFile: "/etc/hostname", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines),
           hostname.count > 3 {
            XCTAssertFalse(run.stdout.contains(Data(hostname.utf8)), "no /etc/hostname content")
        }
        XCTAssertTrue(run.stdoutLines.contains { $0.hasSuffix("\tBefore &x; after") }, run.stdoutString)
    }

    // MARK: Exit codes, summary and --fail-fast

    func testFailFastStopsAtTheFirstFailure() throws {
        let bad = try write("a-empty.html", Data())
        let good = try write("b-good.txt", "one line")
        let run = try Child.run(["blocks", "--fail-fast", "--jobs", "1", bad, good])
        assertFailures(run, [(bad, "empty file")], done: 0, verb: "segmented")
        XCTAssertTrue(run.stdout.isEmpty)
        // Without it the batch goes on.
        assertFailures(try Child.run(["blocks", "--jobs", "1", bad, good]), [(bad, "empty file")], done: 1, verb: "segmented")
        // A bad manifest line stops the run before any page is read.
        _ = try write("pages/a.html", "<p>Hello</p>")
        let manifest = try write("m.jsonl", "not json\n{\"id\":\"a\",\"html\":\"pages/a.html\"}\n{\"id\":\"b\"}\n")
        let stopped = try Child.run(["blocks", "--fail-fast", manifest])
        assertFailures(stopped, [("m.jsonl:1", "not a JSON object")], done: 0, verb: "segmented")
        XCTAssertTrue(stopped.stdout.isEmpty)
    }

    func testScoreSummaryLineAndExitCodes() throws {
        let model = try tinyModel()
        let inputs = try (0..<4).map { try write("page\($0).txt", "A sentence about the news of the day.\nHome | News | Contact") }
        let bad = [try write("empty.html", Data()), try write("pic.html", Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])),
                   folder.appendingPathComponent("missing.html").path]
        let run = try Child.run(["score", "--model", model, "--jobs", "2"] + inputs + bad)
        assertFailures(run, [("missing.html", "no such file or directory"), ("empty.html", "empty file"), ("pic.html", "not a web page")],
                       done: 4, verb: "scored")
        XCTAssertEqual(run.stdoutLines.count, 8)
        let ok = try Child.run(["extract", "--model", model] + inputs)
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stderrLines, ["4 pages extracted, 0 failed"])
        // Usage errors exit 2.
        XCTAssertEqual(try Child.run(["score", "--model", model, "--jobs", "0", inputs[0]]).status, 2)
        XCTAssertEqual(try Child.run(["score", "--no-such-option", inputs[0]]).status, 2)
        XCTAssertEqual(try Child.run(["train", inputs[0]]).status, 2, "--out is required")
    }

    // MARK: Labelled data

    func testTrainingOnBadLabelledDataFailsCleanly() throws {
        let out = folder.appendingPathComponent("model.json").path
        let cases: [(name: String, text: String, message: String)] = [
            ("unknown.labels.tsv", "editorial\tSome text here.\nbananas\tWhat is this label?\n", "unknown label \"bananas\""),
            ("single.labels.tsv", "editorial\tOnly editorial one.\neditorial\tOnly editorial two.\n", "single class"),
            ("norows.labels.tsv", "", "empty file"),
            ("blank.labels.tsv", "\n\n", "empty file"),
        ]
        for item in cases {
            let path = try write(item.name, item.text)
            let run = try Child.run(["train", path, "--out", out])
            XCTAssertEqual(run.status, 1, "\(item.name): \(run.stderr)")
            assertClean(run)
            XCTAssertTrue(run.stderr.contains(item.message), "\(item.name): \(run.stderr)")
            XCTAssertTrue(run.stderrLines.last?.hasPrefix("thresher: cannot train: ") ?? false, "\(item.name): \(run.stderr)")
            XCTAssertLessThanOrEqual(run.stderrLines.count, 2, "\(item.name): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), item.name)
        }
        // A labelled-block file with no rows.
        let empty = try write("empty.labels.jsonl", "")
        let run = try Child.run(["train", empty, "--out", out])
        XCTAssertEqual(run.status, 1, run.stderr)
        assertClean(run)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    // MARK: Model files

    func testDamagedOrForeignModelsExitThree() throws {
        let model = try tinyModel()
        let text = try String(contentsOfFile: model, encoding: .utf8)
        let page = try write("page.txt", "A sentence about the news of the day.\nHome | News | Contact")
        func firstWeight(_ replacement: String) -> String {
            let start = text.range(of: "\"weights\":[\n[")!.upperBound
            let end = text[start...].firstIndex(of: ",")!
            return text.replacingCharacters(in: start..<end, with: replacement)
        }
        let cases: [(name: String, text: String, message: String)] = [
            ("truncated.json", String(text.prefix(text.utf8.count / 2)), "damaged"),
            ("version.json", text.replacingOccurrences(of: "\"format_version\":1", with: "\"format_version\":99"), "format version 99"),
            ("null.json", firstWeight("null"), "not a finite number"),
            ("nan.json", firstWeight("NaN"), "damaged"),
            ("overflow.json", firstWeight("1e39"), "not a finite number"),
            ("features.json", try replacing(#""feature_set_version":\d+"#, in: text, with: "\"feature_set_version\":9999"), "feature set version 9999"),
            ("other.json", "{\"format\":\"something-else\"}", "not a Thresher model"),
            ("empty.json", "", "damaged"),
        ]
        for item in cases {
            let path = try write(item.name, item.text)
            for command in ["score", "extract"] {
                let run = try Child.run([command, "--model", path, page])
                XCTAssertEqual(run.status, 3, "\(command) \(item.name): \(run.stderr)")
                XCTAssertEqual(run.stderrLines.count, 1, "\(command) \(item.name): \(run.stderr)")
                XCTAssertTrue(run.stderr.hasPrefix("thresher: model \(path): "), run.stderr)
                XCTAssertTrue(run.stderr.contains(item.message), "\(item.name): \(run.stderr)")
                XCTAssertTrue(run.stdout.isEmpty)
            }
        }
        let missing = try Child.run(["score", "--model", folder.appendingPathComponent("none.json").path, page])
        XCTAssertEqual(missing.status, 3)
        XCTAssertEqual(missing.stderrLines.count, 1, missing.stderr)
    }

    // MARK: Outputs

    func testOutputPathThatCannotBeWritten() throws {
        let labelled = try write("a.labels.tsv", "editorial\tA sentence of text.\nboilerplate\tHome | News\n")
        let run = try Child.run(["label", labelled, "--out", "/nonexistent/dir/x.jsonl"])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderrLines, ["thresher: /nonexistent/dir/x.jsonl: cannot write: No such file or directory"])
        let train = try Child.run(["train", labelled, try write("b.labels.tsv", "boilerplate\tMenu\neditorial\tText of the story.\n"),
                                   "--out", "/nonexistent/dir/model.json"])
        XCTAssertEqual(train.status, 1)
        assertClean(train)
        XCTAssertTrue(train.stderr.contains("/nonexistent/dir/model.json: cannot write"), train.stderr)
    }

    func testOutputToAFullDevice() throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { throw XCTSkip("no /dev/full") }
        let page = try write("page.html", "<p>" + String(repeating: "Some text. ", count: 20_000) + "</p><p>more</p>")
        let run = try Child.run(["blocks", page], stdoutPath: "/dev/full")
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stderrLines.first, "thresher: standard output: cannot write: No space left on device")
        assertClean(run)
        // --out naming a device writes to it, and never replaces the device with a file.
        let labelled = try write("a.labels.tsv", "editorial\tA sentence of text.\nboilerplate\tHome | News\n")
        let label = try Child.run(["label", labelled, "--out", "/dev/full"])
        XCTAssertEqual(label.status, 1)
        XCTAssertEqual(label.stderrLines, ["thresher: /dev/full: cannot write: No space left on device"])
        var info = stat()
        XCTAssertEqual(stat("/dev/full", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/full is still a device")
    }

    // MARK: Interrupts

    func testInterruptedTrainingKeepsThePreviousModel() throws {
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        // Noisy labels make the optimiser run for many seconds.
        var random = SplitMix(seed: 5)
        let words = "the council approved budget after long debate members said plan would fund schools roads years".split(separator: " ")
        for page in 0..<100 {
            var text = ""
            for _ in 0..<200 {
                text += ["editorial", "boilerplate", "comment"][random.next(3)] + "\t"
                text += (0..<(3 + random.next(28))).map { _ in String(words[random.next(words.count)]) }.joined(separator: " ") + "\n"
            }
            try Data(text.utf8).write(to: data.appendingPathComponent(String(format: "p%03d.labels.tsv", page)))
        }
        let model = folder.appendingPathComponent("model.json").path
        try FileManager.default.copyItem(atPath: try tinyModel(), toPath: model)
        let before = try Data(contentsOf: URL(fileURLWithPath: model))
        for signal in [SIGINT, SIGTERM] {
            let child = try Child.start(["train", data.path, "--out", model, "--jobs", "1", "--c", "100", "--tolerance", "1e-12",
                                         "--max-iterations", "100000"])
            usleep(1_000_000)
            kill(child.pid, signal)
            let run = try child.wait(timeout: 30)
            XCTAssertEqual(run.status, 128 + signal, "exits as the shell expects after signal \(signal): \(run.stderr)")
            assertClean(run)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: model)), before, "the previous model is intact")
            XCTAssertEqual(try temporaryFiles(), [], "no temporary file left behind")
        }
    }

    /// `label` writes its output under a temporary name from the start; an interrupt removes it.
    func testInterruptedLabelLeavesNoTemporaryFile() throws {
        let labelled = try write("a.labels.tsv", "editorial\tA sentence of text.\nboilerplate\tHome | News\n")
        let out = try write("out.jsonl", "previous output\n")
        for signal in [SIGINT, SIGTERM] {
            // Standard input stays open, so the run waits there with its temporary file written.
            let child = try Child.start(["label", "--jobs", "1", labelled, "-", "--out", out], holdStandardInput: true)
            var waited = 0
            while try temporaryFiles().isEmpty && waited < 100 { usleep(50_000); waited += 1 }
            XCTAssertEqual(try temporaryFiles().count, 1, "the run has its temporary file")
            kill(child.pid, signal)
            let run = try child.wait(timeout: 30)
            XCTAssertEqual(run.status, 128 + signal, run.stderr)
            XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "previous output\n")
            XCTAssertEqual(try temporaryFiles(), [], "no temporary file left behind")
        }
    }

    // MARK: Fuzz regressions

    /// Every input the fuzzer (Scripts/fuzz) once crashed on goes through the binary as a page, a text
    /// scrape and standard input, and fails or succeeds cleanly.
    func testFuzzRegressionInputs() throws {
        let regressions = CLI.repository.appendingPathComponent("Tests/Fuzz/regressions")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: regressions.path))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
        for name in files {
            let bytes = try Data(contentsOf: regressions.appendingPathComponent(name))
            let html = try write("\(name).html", bytes), text = try write("\(name).txt", bytes)
            for run in [try Child.run(["blocks", html, text]), try Child.run(["blocks", "-"], stdin: bytes)] {
                XCTAssertTrue(run.status == 0 || run.status == 1, "\(name): status \(run.status) \(run.stderr)")
                assertClean(run)
            }
        }
    }

    // MARK: Helpers

    private func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    private func write(_ name: String, _ data: Data) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
        return url.path
    }

    private func temporaryFiles() throws -> [String] {
        try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    }

    private func replacing(_ pattern: String, in text: String, with replacement: String) throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        return regex.stringByReplacingMatches(in: text, range: NSRange(text.startIndex..., in: text), withTemplate: replacement)
    }

    private func gzipped(_ text: String) throws -> Data { try gzipped(Data(text.utf8)) }

    private func gzipped(_ data: Data) throws -> Data {
        let plain = try write("plain-\(UUID().uuidString)", data)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        // -n: no file name in the header, so the deflate data starts at byte 10.
        let run = try Child.run(["-c", "-n", "-9", plain], executable: "/bin/gzip")
        XCTAssertEqual(run.status, 0)
        return run.stdout
    }

    /// A small model trained once for the tests that need one.
    private func tinyModel() throws -> String {
        let data = folder.appendingPathComponent("tiny-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let a = data.appendingPathComponent("a.labels.tsv").path, b = data.appendingPathComponent("b.labels.tsv").path
        try Data("""
        editorial\tThe council approved the new budget on Tuesday after a long debate.
        boilerplate\tHome | News | Sport | Contact
        editorial\tMembers said the plan would fund schools and roads for years to come.
        boilerplate\tCopyright 2024 Example News. All rights reserved.

        """.utf8).write(to: URL(fileURLWithPath: a))
        try Data("""
        editorial\tThe mayor said the vote was a turning point for the city and its people.
        boilerplate\tSubscribe to our newsletter
        boilerplate\tPrivacy policy | Terms of use
        editorial\tCritics argued that the spending was far too high for a small town.

        """.utf8).write(to: URL(fileURLWithPath: b))
        let model = data.appendingPathComponent("model.json").path
        let run = try Child.run(["train", a, b, "--out", model])
        XCTAssertEqual(run.status, 0, run.stderr)
        return model
    }

    /// Checks a run failed on exactly these inputs, one clean line each, then the summary line.
    private func assertFailures(_ run: Child.Result, _ failures: [(input: String, cause: String)], done: Int, verb: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.status, failures.isEmpty ? 0 : 1, run.stderr, file: file, line: line)
        assertClean(run, file: file, line: line)
        let lines = run.stderrLines
        XCTAssertEqual(lines.count, failures.count + 1, run.stderr, file: file, line: line)
        for (message, failure) in zip(lines, failures) {
            XCTAssertTrue(message.hasPrefix("thresher: ") && message.contains(failure.input) && message.contains(failure.cause),
                          "expected \(failure.input): \(failure.cause), got \(message)", file: file, line: line)
        }
        XCTAssertEqual(lines.last, "\(done) pages \(verb), \(failures.count) failed", file: file, line: line)
    }

    /// No crash, trap or stack trace: every standard-error line is a message or a summary.
    private func assertClean(_ run: Child.Result, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNil(run.signal, "killed by signal \(run.signal ?? 0)", file: file, line: line)
        for marker in ["Fatal error", "Stack dump", "Backtrace", "backtrace", "Segmentation", "Illegal instruction", "SIGSEGV", "0x0000"] {
            XCTAssertFalse(run.stderr.contains(marker), "stderr shows a crash: \(run.stderr.prefix(2000))", file: file, line: line)
        }
        for message in run.stderrLines {
            let isMessage = message.hasPrefix("thresher: ") || message.hasPrefix("Error: ") || message.hasPrefix("Usage: ")
            let isReport = message.contains(" pages ") || message.hasPrefix("trained on ") || message.hasPrefix("model written to ")
            XCTAssertTrue(isMessage || isReport, "unexpected stderr line: \(message)", file: file, line: line)
        }
    }
}

/// A child process started with posix_spawn and reaped with wait4, which gives its peak resident size.
struct Child {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    let capturesStdout: Bool
    let stdinWriter: Int32?

    struct Result {
        var status: Int32
        /// The signal that ended the process, if one did.
        var signal: Int32?
        var stdout: Data
        var stderr: String
        /// Peak resident set size in kB (`ru_maxrss`).
        var peakKB: Int

        var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
        var stdoutLines: [String] { stdoutString.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
        var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    }

    /// Runs thresher (or `executable`) to its end; standard input is `stdin`, or empty.
    static func run(_ arguments: [String], stdin: Data? = nil, stdoutPath: String? = nil, executable: String? = nil,
                    timeout: TimeInterval = 60) throws -> Result {
        var inputPath = "/dev/null"
        var inputFile: String?
        if let stdin {
            inputFile = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-stdin-\(UUID().uuidString)").path
            try stdin.write(to: URL(fileURLWithPath: inputFile!))
            inputPath = inputFile!
        }
        defer { if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) } }
        let child = try start(arguments, stdinPath: inputPath, stdoutPath: stdoutPath, executable: executable)
        return try child.wait(timeout: timeout)
    }

    static func start(_ arguments: [String], stdinPath: String = "/dev/null", holdStandardInput: Bool = false,
                      stdoutPath: String? = nil, executable: String? = nil) throws -> Child {
        let binary = try executable ?? CLI.binary
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-child-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let out = stdoutPath ?? scratch.appendingPathComponent("stdout").path
        let err = scratch.appendingPathComponent("stderr").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        if holdStandardInput {
            guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EIO) }
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 0, stdinPath, O_RDONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | (stdoutPath == nil ? O_TRUNC : 0), 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        if holdStandardInput { close(pipeEnds[0]) }
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        return Child(pid: pid, stdoutPath: out, stderrPath: err, capturesStdout: stdoutPath == nil,
                     stdinWriter: holdStandardInput ? pipeEnds[1] : nil)
    }

    /// Waits for the process (killing it after `timeout` seconds, which fails the run as a hang).
    func wait(timeout: TimeInterval) throws -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var usage = rusage()
        var hung = false
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw POSIXError(.ECHILD) }
            if Date() > deadline && !hung {
                hung = true
                kill(pid, SIGKILL)
            }
            usleep(10_000)
        }
        if let stdinWriter { close(stdinWriter) }
        let scratch = URL(fileURLWithPath: stderrPath).deletingLastPathComponent()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let stdout = capturesStdout ? try Data(contentsOf: URL(fileURLWithPath: stdoutPath)) : Data()
        let stderr = String(decoding: try Data(contentsOf: URL(fileURLWithPath: stderrPath)), as: UTF8.self)
        XCTAssertFalse(hung, "the process did not end within \(timeout) s (a hang)")
        let signaled = status & 0x7F
        return Result(status: signaled == 0 ? (status >> 8) & 0xFF : 128 + signaled, signal: signaled == 0 ? nil : signaled,
                      stdout: stdout, stderr: stderr, peakKB: usage.ru_maxrss)
    }
}

/// A small seeded generator, so generated test data is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}

extension String {
    /// The text of data that is valid UTF-8, else nil.
    init?(validatingUTF8Data data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
