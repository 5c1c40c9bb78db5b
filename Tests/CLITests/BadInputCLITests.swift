import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5, "Bad input never crashes, hangs or loses work", checked on the built binary: every failed
/// input gets one line on standard error naming it and the cause, the batch goes on and ends with a
/// summary line, and the exit code says what happened (0 all done, 1 some inputs failed, 2 usage error,
/// 3 model problem).
/// This part: damaged and odd page files, large and deep pages, manifests, untrusted content, exit codes.
final class BadInputCLITests: BadInputTestCase {
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
    /// 100 MB of resident memory (measured: 980 MB for this 100 MB page on the SAX path, 10 times; 2.4 GB
    /// with libxml2's tree; real pages repeated to 100 MB take about 7 times). Pages over `PageReader.maxPageBytes` (128 MiB) are refused, so the
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
}
