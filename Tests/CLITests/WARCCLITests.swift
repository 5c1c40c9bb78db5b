import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16, WARC input and streaming, on the built binary: archives from files and standard input, JSONL
/// streams, damaged archives costing one record each, a closed output, and memory on a 50 MB archive.
final class WARCCLITests: BadInputTestCase {
    static let article = "<html><head><title>T</title></head><body><nav>Home | News | Sport</nav><article><h1>Budget approved</h1>"
        + "<p>The council approved the new budget on Tuesday after a long debate about schools and roads.</p>"
        + "<p>Members said the plan would fund schools and roads for years to come, and critics disagreed.</p></article>"
        + "<footer>Copyright 2024 Example News</footer></body></html>"

    /// One WARC record with its header, block and ending.
    static func record(_ type: String, _ block: Data, id: String, contentType: String, length: Int? = nil) -> Data {
        let header = "WARC/1.1\r\nWARC-Type: \(type)\r\nWARC-Record-ID: \(id)\r\nWARC-Target-URI: http://example.com/\(id.count)\r\n"
            + "Content-Type: \(contentType)\r\nContent-Length: \(length ?? block.count)\r\n\r\n"
        return Data(header.utf8) + block + Data("\r\n\r\n".utf8)
    }

    static func httpBlock(_ html: String) -> Data {
        Data("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\(html)".utf8)
    }

    static func page(_ id: String, html: String = article, length: Int? = nil) -> Data {
        record("response", httpBlock(html), id: id, contentType: "application/http; msgtype=response", length: length)
    }

    /// Three pages among a request, a metadata record and an image.
    static func records() -> [Data] {
        [page("<urn:uuid:1>"), record("request", Data("GET / HTTP/1.1\r\n\r\n".utf8), id: "<urn:uuid:r>", contentType: "application/http; msgtype=request"),
         page("<urn:uuid:2>"), record("metadata", Data("via: x\r\n".utf8), id: "<urn:uuid:m>", contentType: "application/warc-fields"),
         record("response", Data("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n".utf8) + Data([0x89, 0x50, 0x4E, 0x47]), id: "<urn:uuid:i>",
                contentType: "application/http; msgtype=response"),
         page("<urn:uuid:3>")]
    }

    func perRecordGzip(_ records: [Data]) throws -> (Data, [Int]) {
        var archive = Data(), offsets: [Int] = []
        for record in records {
            offsets.append(archive.count)
            archive += try gzipped(record)
        }
        return (archive, offsets)
    }

    func jsonLines(_ run: Child.Result) throws -> [[String: Any]] {
        try run.stdoutLines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    func testExtractReadsAnArchiveFromAFileAndFromStandardInput() throws {
        let (archive, offsets) = try perRecordGzip(WARCCLITests.records())
        let path = try write("crawl.warc.gz", archive)
        let summary = "3 pages extracted, 0 failed, 3 records skipped (1 metadata, 1 non-HTML, 1 request)"
        let fromFile = try Child.run(["extract", "--format", "jsonl", path])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertEqual(fromFile.stderrLines, [summary])
        let records = try jsonLines(fromFile)
        XCTAssertEqual(records.map { $0["page"] as? String }, ["<urn:uuid:1>", "<urn:uuid:2>", "<urn:uuid:3>"])
        XCTAssertEqual(records.map { $0["offset"] as? Int }, [offsets[0], offsets[2], offsets[5]])
        XCTAssertEqual(records.map { $0["archive"] as? String }, [path, path, path])
        XCTAssertEqual(records.map { $0["url"] as? String }, ["http://example.com/12", "http://example.com/12", "http://example.com/12"])
        XCTAssertTrue((records[0]["text"] as? String ?? "").contains("The council approved"))
        let fromStdin = try Child.run(["extract", "--format", "jsonl", "-"], stdin: archive)
        XCTAssertEqual(fromStdin.status, 0, fromStdin.stderr)
        XCTAssertEqual(fromStdin.stderrLines, [summary])
        XCTAssertEqual(fromStdin.stdoutString, fromFile.stdoutString.replacingOccurrences(of: "\"archive\":\"\(path)\"", with: "\"archive\":\"-\""))
        // Found by its content under any name, and one gzip member for the whole file works as well.
        let renamed = try write("crawl.bin", try gzipped(WARCCLITests.records().reduce(Data(), +)))
        let plain = try Child.run(["extract", renamed])
        XCTAssertEqual(plain.stderrLines, [summary])
        XCTAssertEqual(plain.stdoutString.components(separatedBy: "\u{0C}\n").count, 3)
        // Every JSONL output carries where the page came from.
        let blocks = try jsonLines(try Child.run(["blocks", "--format", "jsonl", path]))
        XCTAssertTrue(blocks.allSatisfy { $0["archive"] as? String == path && $0["offset"] != nil && $0["url"] != nil })
        let scored = try jsonLines(try Child.run(["score", path]))
        XCTAssertTrue(scored.allSatisfy { $0["archive"] as? String == path && $0["offset"] != nil && $0["url"] != nil })
    }

    func testScoreReadsAJSONLStream() throws {
        let stream = """
        {"id": "one", "html": "<html><body><p>The council approved the new budget on Tuesday.</p></body></html>"}
        {"id": 2, "text": "A first line of a scrape\\nA second line"}
        not json
        {"id": "three"}

        """
        let run = try Child.run(["score", "-"], stdin: Data(stream.utf8))
        assertFailures(run, [("-:3", "not a JSON object"), ("-:4", "no \"html\" or \"text\"")], done: 2, verb: "scored")
        XCTAssertEqual(Set(try jsonLines(run).map { $0["page"] as? String }), ["one", "2"])
        XCTAssertEqual(try jsonLines(run).count, 3)
    }

    func testEachDamagedRecordCostsOnlyItself() throws {
        let good = WARCCLITests.records()
        // A truncated archive: the last page is cut in half.
        let cut = good.reduce(Data(), +)
        let truncated = try write("truncated.warc", cut.prefix(cut.count - good[5].count / 2))
        let lastOffset = good[0..<5].map(\.count).reduce(0, +)
        assertFailures(try Child.run(["blocks", truncated]), [("\(truncated) at offset \(lastOffset)", "truncated")], done: 2, verb: "segmented",
                       skipped: "3 records skipped (1 metadata, 1 non-HTML, 1 request)")
        // A Content-Length that lies, too long and too short.
        for delta in [150, -80] {
            var lying = good
            lying[2] = WARCCLITests.page("<urn:uuid:2>", length: WARCCLITests.httpBlock(WARCCLITests.article).count + delta)
            let path = try write("lying\(delta).warc", lying.reduce(Data(), +))
            let run = try Child.run(["blocks", path])
            assertFailures(run, [("\(path) at offset \(good[0].count + good[1].count)", "Content-Length")], done: 2, verb: "segmented",
                           skipped: "3 records skipped (1 metadata, 1 non-HTML, 1 request)")
            XCTAssertEqual(Set(run.stdoutLines.map { $0.split(separator: "\t")[0] }), ["<urn:uuid:1>", "<urn:uuid:3>"])
        }
        // A corrupt gzip member, from a file and on standard input.
        var (archive, offsets) = try perRecordGzip(good)
        for k in (offsets[2] + 20)..<(offsets[2] + 40) { archive[k] ^= 0x5A }
        let corrupt = try write("corrupt.warc.gz", archive)
        assertFailures(try Child.run(["blocks", corrupt]), [("\(corrupt) at offset \(offsets[2])", "corrupt gzip member")], done: 2,
                       verb: "segmented", skipped: "3 records skipped (1 metadata, 1 non-HTML, 1 request)")
        assertFailures(try Child.run(["blocks", "-"], stdin: archive), [("- at offset \(offsets[2])", "corrupt gzip member")], done: 2,
                       verb: "segmented", skipped: "3 records skipped (1 metadata, 1 non-HTML, 1 request)")
    }

    /// `assertFailures`, with the skipped-records part of the summary line.
    func assertFailures(_ run: Child.Result, _ failures: [(input: String, cause: String)], done: Int, verb: String, skipped: String,
                        file: StaticString = #filePath, line: UInt = #line) {
        var shortened = run
        let suffix = ", " + skipped
        XCTAssertTrue(run.stderr.hasSuffix(suffix + "\n"), "summary without \(skipped): \(run.stderr)", file: file, line: line)
        shortened.stderr = run.stderr.replacingOccurrences(of: suffix + "\n", with: "\n")
        assertFailures(shortened, failures, done: done, verb: verb, file: file, line: line)
    }

    func testClosedStandardOutputEndsQuietly() throws {
        let archive = try write("many.warc", (0..<3000).map { WARCCLITests.page("<urn:uuid:\($0)>") }.reduce(Data(), +))
        for errorsClosed in [false, true] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try CLI.binary)
            // A missing input puts a message on standard error, which may be a closed pipe too (`2>&1 | head`).
            process.arguments = ["blocks", "-"] + (errorsClosed ? [folder.appendingPathComponent("missing.html").path] : [])
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: archive))
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            if errorsClosed { try errors.fileHandleForReading.close() }
            process.standardError = errors
            try process.run()
            // Read a little, then go away as `head` does.
            _ = output.fileHandleForReading.readData(ofLength: 100)
            try output.fileHandleForReading.close()
            let stderr = errorsClosed ? Data() : errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .exit, "ended by a signal (status \(process.terminationStatus))")
            XCTAssertEqual(process.terminationStatus, 0)
            XCTAssertEqual(String(decoding: stderr, as: UTF8.self), "")
        }
    }

    func testEachStreamedRecordIsWrittenBeforeTheNextArrives() throws {
        let out = folder.appendingPathComponent("out").path
        let child = try Child.start(["extract", "--format", "jsonl", "-"], holdStandardInput: true, stdoutPath: out)
        let line = Data("{\"id\": \"first\", \"html\": \"<p>The council approved the new budget on Tuesday after a long debate.</p>\"}\n".utf8)
        _ = line.withUnsafeBytes { Glibc.write(child.stdinWriter!, $0.baseAddress, $0.count) }
        // The first page's line comes out while standard input is still open.
        let deadline = Date().addingTimeInterval(30)
        var written = ""
        while Date() < deadline {
            written = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
            if written.hasSuffix("\n") { break }
            usleep(50_000)
        }
        XCTAssertTrue(written.contains("\"page\":\"first\""), "nothing written while the stream was open: \(written)")
        close(child.stdinWriter!)
        let run = try child.wait(timeout: 30)
        XCTAssertEqual(run.status, 0, run.stderr)
    }

    /// A 50 MB archive (pages and large images) streams through in memory far below its size, from a file
    /// and gzipped on standard input. `Scripts/load-test --warc` does the same with 2 GB.
    func testFiftyMegabyteArchiveStreamsInBoundedMemory() throws {
        var paragraphs = ""
        for i in 0..<60 { paragraphs += "<p>Paragraph \(i) of the story, with enough words in it to look like a real article body.</p>" }
        let html = WARCCLITests.article.replacingOccurrences(of: "</article>", with: paragraphs + "</article>")
        let image = WARCCLITests.record("response", Data("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
                                        + Data(repeating: 0xD8, count: 1 << 20), id: "<urn:uuid:image>", contentType: "application/http; msgtype=response")
        var archive = Data()
        var pages = 0
        while archive.count < 50_000_000 {
            for _ in 0..<40 {
                archive += WARCCLITests.page("<urn:uuid:p\(pages)>", html: html)
                pages += 1
            }
            archive += image
        }
        let path = try write("big.warc", archive)
        let small = try write("small.warc", archive.prefix(archive.count / 10))
        let baseline = try Child.run(["blocks", "--jobs", "2", small], stdoutPath: "/dev/null", timeout: 300)
        let run = try Child.run(["blocks", "--jobs", "2", path], stdoutPath: "/dev/null", timeout: 300)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix("\(pages) pages segmented, 0 failed"), run.stderr)
        XCTAssertGreaterThan(run.highWaterKB, 0, "no peak resident size seen")
        // Memory does not grow with the archive: the whole takes what a tenth of it takes, and far less than its size.
        XCTAssertLessThan(run.highWaterKB, baseline.highWaterKB + 16 << 10, "peak resident \(run.highWaterKB) kB, \(baseline.highWaterKB) kB for a tenth")
        XCTAssertLessThan(run.highWaterKB * 1024, archive.count * 3 / 4, "peak resident \(run.highWaterKB) kB for a \(archive.count >> 20) MB archive")
        let gzipPath = try write("big.warc.gz", try gzipped(archive))
        archive = Data()
        let piped = try Child.start(["blocks", "--jobs", "2", "-"], stdinPath: gzipPath, stdoutPath: "/dev/null").wait(timeout: 300)
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertTrue(piped.stderr.hasPrefix("\(pages) pages segmented, 0 failed"), piped.stderr)
        XCTAssertGreaterThan(piped.highWaterKB, 0, "no peak resident size seen")
        XCTAssertLessThan(piped.highWaterKB, baseline.highWaterKB + 16 << 10, "peak resident \(piped.highWaterKB) kB on standard input")
    }
}
