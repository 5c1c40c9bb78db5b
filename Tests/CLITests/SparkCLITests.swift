import Foundation
import XCTest

/// Issue 16 point 3, `Scripts/spark-extract` in Spark's local mode: every HTML record of archives the test
/// writes comes out once, with the text `thresher extract` gives it, as JSONL and as Parquet.
final class SparkCLITests: BadInputTestCase {
    /// The venv's python with pyspark (`THRESHER_SPARK_VENV`, as `Scripts/install-deps --spark` makes it); in CI
    /// its absence, or Java's, is a failure, elsewhere a skip.
    private func python() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        let venv = environment["THRESHER_SPARK_VENV"] ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/thresher/spark-venv").path
        let python = venv + "/bin/python"
        let java = (environment["PATH"] ?? "").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/java") }
        if FileManager.default.isExecutableFile(atPath: python) && java { return python }
        let missing = java ? "no pyspark venv at \(venv)" : "no java on PATH"
        if environment["CI"] == "true" { XCTFail("\(missing) in CI: Scripts/install-deps --spark installs it") }
        throw XCTSkip("\(missing): Scripts/install-deps --spark installs it")
    }

    /// A page whose editorial text is its own: a headline and paragraphs made from `n`, in page chrome.
    static func html(_ n: Int) -> String {
        let towns = ["Aberdeen", "Bergen", "Cádiz", "Dresden", "Évora", "Freiburg", "Göteborg"]
        let topics = ["budget", "schools", "roads", "harbour", "library", "rail line", "hospital"]
        let town = towns[n % towns.count], topic = topics[(n / towns.count) % topics.count]
        var paragraphs = ""
        for k in 0..<(3 + n % 4) {
            paragraphs += "<p>Story \(n), paragraph \(k): the council of \(town) voted \(n * 7 + k) to \(k + 2) on the \(topic) plan, "
                + "and members said the \(topic) would need \(n + k) more years of \"careful\" work before it was done.</p>"
        }
        return "<html><head><title>\(town) \(n)</title></head><body><nav>Home | News | Sport | Weather</nav>"
            + "<article><h1>\(town) decides on the \(topic), story \(n)</h1>\(paragraphs)</article>"
            + "<footer>Copyright 2024 Example News \\ all rights reserved</footer></body></html>"
    }

    static func response(_ n: Int, url: String) -> Data {
        let block = WARCCLITests.httpBlock(html(n))
        let header = "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:page-\(n)>\r\nWARC-Target-URI: \(url)\r\n"
            + "Content-Type: application/http; msgtype=response\r\nContent-Length: \(block.count)\r\n\r\n"
        return Data(header.utf8) + block + Data("\r\n\r\n".utf8)
    }

    /// Pages `range` among records that are not pages: a request, an image, a redirect and metadata.
    static func records(_ range: Range<Int>) -> [Data] {
        var records: [Data] = []
        for n in range {
            // A URL holding the very bytes the job rewrites (`,"archive":"-",`) must come out unchanged.
            records.append(response(n, url: n == range.lowerBound ? "http://example.com/q?a=\",\"archive\":\"-\",\"" : "http://example.com/\(n)"))
            if n % 10 == 3 {
                records.append(WARCCLITests.record("request", Data("GET / HTTP/1.1\r\n\r\n".utf8), id: "<urn:uuid:request-\(n)>",
                                                   contentType: "application/http; msgtype=request"))
                records.append(WARCCLITests.record("response", Data("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n".utf8) + Data([0x89, 0x50, 0x4E, 0x47]),
                                                   id: "<urn:uuid:image-\(n)>", contentType: "application/http; msgtype=response"))
                records.append(WARCCLITests.record("response", Data("HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Type: text/html\r\n\r\n<p>Moved</p>".utf8),
                                                   id: "<urn:uuid:redirect-\(n)>", contentType: "application/http; msgtype=response"))
                records.append(WARCCLITests.record("metadata", Data("via: x\r\n".utf8), id: "<urn:uuid:metadata-\(n)>", contentType: "application/warc-fields"))
            }
        }
        return records
    }

    /// Two archives, so two tasks run: per-record gzip (as crawlers write them) and plain.
    private func archives() throws -> [String] {
        var gzipped = Data()
        for record in SparkCLITests.records(0..<24) { gzipped += try self.gzipped(record) }
        return [try write("crawl one.warc.gz", gzipped), try write("crawl-2.warc", SparkCLITests.records(24..<40).reduce(Data(), +))]
    }

    /// `thresher extract --format jsonl` on each archive: the records the job must give, by page id.
    private func reference(_ archives: [String], _ options: [String] = []) throws -> [String: [String: Any]] {
        var records: [String: [String: Any]] = [:]
        for archive in archives {
            let run = try Child.run(["extract", "--format", "jsonl", archive] + options)
            for record in try jsonObjects(run.stdoutLines) { records[try XCTUnwrap(record["page"] as? String)] = record }
        }
        return records
    }

    private func jsonObjects(_ lines: [String]) throws -> [[String: Any]] {
        try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], $0) }
    }

    private func sparkExtract(_ arguments: [String]) throws -> Child.Result {
        let script = CLI.repository.appendingPathComponent("Scripts/spark-extract").path
        return try Child.run([script, "--master", "local[2]", "--thresher", try CLI.binary] + arguments, executable: try python(), timeout: 300)
    }

    /// Checks every page of `reference` is in `records` once, with its text, archive and offset, and nothing else is.
    private func assertSame(_ records: [[String: Any]], _ reference: [String: [String: Any]], file: StaticString = #filePath, line: UInt = #line) {
        let ids = records.compactMap { $0["page"] as? String }
        XCTAssertEqual(ids.count, reference.count, "records: \(ids.count)", file: file, line: line)
        XCTAssertEqual(Set(ids), Set(reference.keys), file: file, line: line)
        for record in records {
            guard let id = record["page"] as? String, let expected = reference[id] else { continue }
            for field in ["text", "archive", "url"] {
                XCTAssertEqual(record[field] as? String, expected[field] as? String, "\(id) \(field)", file: file, line: line)
            }
            XCTAssertEqual((record["offset"] as? NSNumber)?.intValue, (expected["offset"] as? NSNumber)?.intValue, "\(id) offset", file: file, line: line)
        }
    }

    func testJSONLPartitionsHoldEveryPageOnceWithThresherText() throws {
        _ = try python()
        let archives = try archives()
        let reference = try reference(archives)
        XCTAssertEqual(reference.count, 40)
        let out = folder.appendingPathComponent("out").path
        let run = try sparkExtract(archives + ["--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderrLines.last, "40 pages extracted, 0 failed, 16 records skipped; 2 archives, 0 failed", run.stderr)
        let parts = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix("part-") }.sorted()
        XCTAssertEqual(parts.count, 2, "one partition per archive")
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/_SUCCESS"))
        let lines = try parts.flatMap { try String(contentsOfFile: out + "/" + $0, encoding: .utf8).split(separator: "\n").map(String.init) }
        assertSame(try jsonObjects(lines), reference)
    }

    /// Parquet, options passed through to thresher, a damaged archive that costs its damaged record only, and a
    /// glob that matches nothing: the job goes on, names each failure on one line and exits 1.
    func testParquetWithPassedOptionsAndFailures() throws {
        let python = try python()
        let cut = SparkCLITests.records(40..<45).reduce(Data(), +)
        let archives = try archives() + [try write("cut.warc", cut.prefix(cut.count - 300))]
        // `--body-only` leaves out each page's headline, so the texts show the option reached thresher.
        let reference = try reference(archives, ["--body-only"])
        XCTAssertEqual(reference.count, 44)
        XCTAssertFalse(reference.values.contains { ($0["text"] as? String ?? "").contains("decides on the") })
        let out = folder.appendingPathComponent("out.parquet").path, missing = folder.appendingPathComponent("none-*.warc.gz").path
        let run = try sparkExtract(archives + [missing, "--out", out, "--format", "parquet", "--", "--body-only"])
        XCTAssertEqual(run.status, 1, run.stderr)
        let messages = run.stderrLines.filter { $0.hasPrefix("spark-extract: ") || $0.hasPrefix("thresher: ") }
        XCTAssertEqual(messages.count, 2, run.stderr)
        XCTAssertTrue(messages.contains("spark-extract: \(missing): no such file (the glob matches nothing)"), run.stderr)
        XCTAssertTrue(messages.contains { $0.hasPrefix("thresher: \(archives[2]) at offset ") && $0.contains("truncated") }, run.stderr)
        XCTAssertEqual(run.stderrLines.last, "44 pages extracted, 1 failed, 20 records skipped; 3 archives, 0 failed; 1 inputs missing", run.stderr)
        XCTAssertFalse(run.stderr.contains("Traceback"), run.stderr)
        // pyarrow reads the partitions back without starting a second JVM.
        let readBack = """
        import json, sys, pyarrow.parquet
        table = pyarrow.parquet.read_table(sys.argv[1])
        print(json.dumps([[field.name, str(field.type)] for field in table.schema]))
        for row in table.to_pylist(): print(json.dumps(row))
        """
        let read = try Child.run(["-c", readBack, out], executable: python)
        XCTAssertEqual(read.status, 0, read.stderr)
        XCTAssertEqual(read.stdoutLines.first, #"[["page", "string"], ["url", "string"], ["archive", "string"], ["offset", "int64"], ["text", "string"]]"#)
        assertSame(try jsonObjects(Array(read.stdoutLines.dropFirst())), reference)
    }
}
