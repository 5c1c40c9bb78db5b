import XCTest
@testable import Thresher

/// Issue 16: WARC archives read record by record, built here byte by byte.
final class WARCTests: XCTestCase {
    static let article = "<html><head><title>T</title></head><body><nav>Home | News</nav><article><h1>Budget approved</h1>"
        + "<p>The council approved the new budget on Tuesday after a long debate.</p></article></body></html>"

    /// One record: version line, fields, the block, and the two CRLFs that end it.
    static func record(_ type: String, _ block: [UInt8], uri: String = "http://example.com/", contentType: String? = nil,
                       version: String = "1.0", id: String? = nil, length: Int? = nil) -> [UInt8] {
        var header = "WARC/\(version)\r\nWARC-Type: \(type)\r\nWARC-Record-ID: \(id ?? "<urn:uuid:\(UUID().uuidString)>")\r\n"
        header += "WARC-Target-URI: \(uri)\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n"
        if let contentType { header += "Content-Type: \(contentType)\r\n" }
        header += "Content-Length: \(length ?? block.count)\r\n\r\n"
        return Array(header.utf8) + block + Array("\r\n\r\n".utf8)
    }

    static func response(_ body: [UInt8], headers: String = "Content-Type: text/html; charset=utf-8", status: Int = 200) -> [UInt8] {
        Array("HTTP/1.1 \(status) OK\r\n\(headers)\r\n\r\n".utf8) + body
    }

    static func htmlResponse(uri: String = "http://example.com/", id: String? = nil, version: String = "1.0") -> [UInt8] {
        record("response", response(Array(article.utf8)), uri: uri, contentType: "application/http; msgtype=response", version: version, id: id)
    }

    /// gzip of bytes, through /bin/gzip (-n: a fixed 10-byte header).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(Data(bytes))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    /// An archive of one gzip member per record, and the members' offsets.
    static func gzipPerRecord(_ records: [[UInt8]]) throws -> ([UInt8], [Int]) {
        var archive: [UInt8] = []
        var offsets: [Int] = []
        for record in records {
            offsets.append(archive.count)
            archive += try gzip(record)
        }
        return (archive, offsets)
    }

    func items(_ bytes: [UInt8], archive: String = "test.warc") throws -> [WARCReader.Item] {
        let reader = try WARCReader(bytes: bytes, archive: archive)
        return Array(AnyIterator { reader.next() })
    }

    func pages(_ items: [WARCReader.Item]) -> [StreamedPage] {
        items.compactMap { if case .page(let page) = $0 { return page } else { return nil } }
    }

    func skipped(_ items: [WARCReader.Item]) -> [String] {
        items.compactMap { if case .skipped(let kind) = $0 { return kind } else { return nil } }
    }

    func failures(_ items: [WARCReader.Item]) -> [InputError] {
        items.compactMap { if case .failed(let error) = $0 { return error } else { return nil } }
    }

    /// The archive every framing test starts from: two pages among records that are not pages.
    func mixedArchive() -> [[UInt8]] {
        [
            WARCTests.record("warcinfo", Array("software: test\r\n".utf8), contentType: "application/warc-fields"),
            WARCTests.record("request", Array("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8), contentType: "application/http; msgtype=request"),
            WARCTests.htmlResponse(uri: "http://example.com/a", id: "<urn:uuid:a>"),
            WARCTests.record("metadata", Array("via: x\r\n".utf8), contentType: "application/warc-fields"),
            WARCTests.record("response", WARCTests.response([0x89, 0x50, 0x4E, 0x47, 0, 1, 2], headers: "Content-Type: image/png"),
                             contentType: "application/http; msgtype=response"),
            WARCTests.record("response", WARCTests.response(Array("%PDF-1.4".utf8), headers: "Content-Type: application/pdf"),
                             contentType: "application/http; msgtype=response"),
            WARCTests.record("revisit", Array("HTTP/1.1 200 OK\r\n\r\n".utf8), contentType: "application/http; msgtype=response"),
            WARCTests.htmlResponse(uri: "http://example.com/b", id: "<urn:uuid:b>", version: "1.1"),
        ]
    }

    func testPlainArchiveGivesPagesAndCountsTheRest() throws {
        let records = mixedArchive()
        let items = try items(records.flatMap { $0 })
        let found = pages(items)
        XCTAssertEqual(found.map(\.id), ["<urn:uuid:a>", "<urn:uuid:b>"])
        XCTAssertEqual(found.map(\.url), ["http://example.com/a", "http://example.com/b"])
        XCTAssertEqual(found.map(\.offset), [records[0].count + records[1].count, records[0..<7].map(\.count).reduce(0, +)])
        XCTAssertEqual(found.map(\.archive), ["test.warc", "test.warc"])
        XCTAssertEqual(skipped(items).sorted(), ["metadata", "non-HTML", "non-HTML", "request", "revisit", "warcinfo"])
        XCTAssertEqual(failures(items).map(\.description), [])
        let page = try PageReader().read(.streamed(found[0]))
        XCTAssertEqual(page.url, "http://example.com/a")
        XCTAssertEqual(page.archive, "test.warc")
        XCTAssertTrue(page.blocks.contains { $0.text == "Budget approved" })
    }

    func testGzipPerRecordAndWholeFile() throws {
        let records = mixedArchive()
        let (perRecord, memberOffsets) = try WARCTests.gzipPerRecord(records)
        let perItems = try items(perRecord, archive: "test.warc.gz")
        XCTAssertEqual(pages(perItems).map(\.id), ["<urn:uuid:a>", "<urn:uuid:b>"])
        // Offsets are the members' offsets, as CDX indexes give them.
        XCTAssertEqual(pages(perItems).map(\.offset), [memberOffsets[2], memberOffsets[7]])
        XCTAssertEqual(skipped(perItems).count, 6)
        let whole = try items(try WARCTests.gzip(records.flatMap { $0 }))
        XCTAssertEqual(pages(whole).map(\.id), ["<urn:uuid:a>", "<urn:uuid:b>"])
        XCTAssertEqual(skipped(whole).count, 6)
        XCTAssertTrue(failures(whole).isEmpty)
    }

    func testChunkedGzipAndDeflateBodiesAreDecoded() throws {
        let gzipped = try WARCTests.gzip(Array(WARCTests.article.utf8))
        var chunked: [UInt8] = []
        for start in stride(from: 0, to: gzipped.count, by: 37) {
            let chunk = gzipped[start..<min(gzipped.count, start + 37)]
            chunked += Array((String(chunk.count, radix: 16) + ";ext=1\r\n").utf8) + chunk + Array("\r\n".utf8)
        }
        chunked += Array("0\r\n\r\n".utf8)
        // Raw deflate is the gzip member without its 10-byte header and 8-byte trailer.
        let rawDeflate = Array(gzipped[10..<(gzipped.count - 8)])
        let archive = WARCTests.record("response", WARCTests.response(chunked, headers: "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip"),
                                       contentType: "application/http; msgtype=response", id: "<urn:uuid:chunked>")
            + WARCTests.record("response", WARCTests.response(rawDeflate, headers: "Content-Type: text/html\r\nContent-Encoding: deflate"),
                               contentType: "application/http; msgtype=response", id: "<urn:uuid:deflate>")
        let found = pages(try items(archive))
        XCTAssertEqual(found.map(\.id), ["<urn:uuid:chunked>", "<urn:uuid:deflate>"])
        for page in found { XCTAssertEqual(String(decoding: page.bytes, as: UTF8.self), WARCTests.article) }
    }

    func testContentTypeCharsetComesBeforeMeta() throws {
        // "Привет" in KOI8-R, in a page whose <meta> claims windows-1251.
        let koi8: [UInt8] = [0xF0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4]
        let body = Array("<html><head><meta charset=\"windows-1251\"></head><body><p>".utf8) + koi8 + Array("</p></body></html>".utf8)
        let archive = WARCTests.record("response", WARCTests.response(body, headers: "Content-Type: text/html; charset=\"KOI8-R\""),
                                       contentType: "application/http; msgtype=response")
        let page = try PageReader().read(.streamed(try XCTUnwrap(pages(try items(archive)).first)))
        XCTAssertEqual(page.blocks.map(\.text), ["Привет"])
    }

    func testResourceAndWETConversionRecords() throws {
        let archive = WARCTests.record("resource", Array(WARCTests.article.utf8), contentType: "text/html", id: "<urn:uuid:res>")
            + WARCTests.record("resource", [0xFF, 0xD8, 0xFF, 0xE0], contentType: "image/jpeg")
            + WARCTests.record("conversion", Array("First line of the text\nSecond line\n".utf8), contentType: "text/plain", id: "<urn:uuid:wet>")
        let items = try items(archive)
        let found = pages(items)
        XCTAssertEqual(found.map(\.id), ["<urn:uuid:res>", "<urn:uuid:wet>"])
        XCTAssertEqual(skipped(items), ["non-HTML"])
        let wet = try PageReader().read(.streamed(found[1]))
        XCTAssertEqual(wet.format, .text)
        XCTAssertEqual(wet.blocks.map(\.text), ["First line of the text", "Second line"])
    }

    func testLyingLengthsCostOneRecordEach() throws {
        let a = WARCTests.htmlResponse(id: "<urn:uuid:a>"), c = WARCTests.htmlResponse(id: "<urn:uuid:c>")
        for delta in [120, -60] {
            let block = WARCTests.response(Array(WARCTests.article.utf8))
            let liar = WARCTests.record("response", block, contentType: "application/http; msgtype=response", id: "<urn:uuid:b>",
                                        length: block.count + delta)
            let items = try items(a + liar + c)
            XCTAssertEqual(pages(items).map(\.id), ["<urn:uuid:a>", "<urn:uuid:c>"], "Content-Length off by \(delta)")
            XCTAssertEqual(failures(items).map(\.input), ["test.warc at offset \(a.count)"])
            XCTAssertTrue(failures(items)[0].reason.contains("Content-Length"), failures(items)[0].reason)
        }
    }

    func testTruncatedArchiveCostsTheLastRecord() throws {
        let a = WARCTests.htmlResponse(id: "<urn:uuid:a>"), b = WARCTests.htmlResponse(id: "<urn:uuid:b>")
        let items = try items(a + b.prefix(b.count / 2))
        XCTAssertEqual(pages(items).map(\.id), ["<urn:uuid:a>"])
        XCTAssertEqual(failures(items).map(\.input), ["test.warc at offset \(a.count)"])
        XCTAssertTrue(failures(items)[0].reason.contains("truncated"))
        // Cut inside the header, too.
        XCTAssertEqual(failures(try self.items(a + b.prefix(30))).count, 1)
    }

    func testCorruptGzipMemberCostsItsRecord() throws {
        let records = (0..<4).map { WARCTests.htmlResponse(id: "<urn:uuid:\($0)>") }
        var (archive, offsets) = try WARCTests.gzipPerRecord(records)
        for k in (offsets[1] + 20)..<(offsets[1] + 40) { archive[k] ^= 0x5A }
        let items = try items(archive, archive: "c.warc.gz")
        XCTAssertEqual(pages(items).map(\.id), ["<urn:uuid:0>", "<urn:uuid:2>", "<urn:uuid:3>"])
        XCTAssertEqual(failures(items).map(\.input), ["c.warc.gz at offset \(offsets[1])"])
        XCTAssertTrue(failures(items)[0].reason.contains("gzip member"))
        // A truncated last member.
        let cut = try self.items(Array(archive[offsets[2]...].dropLast(40)), archive: "t.warc.gz")
        XCTAssertEqual(pages(cut).map(\.id), ["<urn:uuid:2>"])
        XCTAssertEqual(failures(cut).map(\.reason), ["truncated gzip member"])
    }

    func testGarbageIsOneFailureAndNeverATrap() throws {
        XCTAssertEqual(failures(try items(Array("WARC/1.0\r\nnot a header".utf8))).count, 1)
        let noise = (0..<5000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        XCTAssertEqual(failures(try items(Array("WARC/1.0\r\n".utf8) + noise)).count, 1)
        XCTAssertTrue(WARCReader.isWARC(Array("\r\nWARC/1.1\r\n".utf8)))
        XCTAssertFalse(WARCReader.isWARC(Array("<html>".utf8)))
    }
}

extension WARCTests {
    /// A huge false length on a record too large to keep would read past every record after it; in an
    /// archive of one gzip member per record, the next member shows where the record really ended.
    func testHugeFalseLengthInAGzipMemberCostsOneRecord() throws {
        let request = WARCTests.record("request", Array("GET / HTTP/1.1\r\n\r\n".utf8), contentType: "application/http; msgtype=request",
                                       length: 1 << 30)
        let page = WARCTests.record("response", WARCTests.response(Array(WARCTests.article.utf8)), contentType: "application/http; msgtype=response",
                                    id: "<urn:uuid:liar>", length: 200 << 20)
        // A true large record (read past in chunks) among them.
        let image = WARCTests.record("resource", [UInt8](repeating: 0xD8, count: 3 << 20), contentType: "image/jpeg")
        let records = [WARCTests.htmlResponse(id: "<urn:uuid:a>"), request, WARCTests.htmlResponse(id: "<urn:uuid:b>"), page,
                       image, WARCTests.htmlResponse(id: "<urn:uuid:c>")]
        let (archive, offsets) = try WARCTests.gzipPerRecord(records)
        let items = try items(archive, archive: "l.warc.gz")
        XCTAssertEqual(pages(items).map(\.id), ["<urn:uuid:a>", "<urn:uuid:b>", "<urn:uuid:c>"])
        XCTAssertEqual(failures(items).map(\.input), ["l.warc.gz at offset \(offsets[1])", "l.warc.gz at offset \(offsets[3])"])
        XCTAssertTrue(failures(items).allSatisfy { $0.reason.contains("runs past the record's gzip member") }, "\(failures(items))")
    }

    /// In a plain archive a false length up to the page cap is recovered from: the claimed block is kept,
    /// and the next record found inside it.
    func testFalseLengthInAPlainArchiveCostsOneRecord() throws {
        let request = WARCTests.record("request", Array("GET / HTTP/1.1\r\n\r\n".utf8), contentType: "application/http; msgtype=request",
                                       length: 50 << 20)
        let a = WARCTests.htmlResponse(id: "<urn:uuid:a>")
        let items = try items(a + request + WARCTests.htmlResponse(id: "<urn:uuid:b>") + WARCTests.htmlResponse(id: "<urn:uuid:c>"))
        XCTAssertEqual(pages(items).map(\.id), ["<urn:uuid:a>", "<urn:uuid:b>", "<urn:uuid:c>"])
        XCTAssertEqual(failures(items).map(\.input), ["test.warc at offset \(a.count)"])
    }
}
