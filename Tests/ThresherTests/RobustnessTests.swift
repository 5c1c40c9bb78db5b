import Foundation
import XCTest
@testable import Thresher

/// Issue 5 in the library: bad bytes never trap, hang or blow up memory on the way to blocks.
final class RobustnessTests: XCTestCase {
    // MARK: Fuzz inputs

    /// Every input kept in Tests/Fuzz/regressions (crashes the fuzzer once found) and the seed corpus goes
    /// through the steps of the fuzz target (Tests/Fuzz/main.swift), and the blocks keep their invariants.
    func testFuzzRegressionsAndSeeds() throws {
        let fuzz = SharedData.repository.appendingPathComponent("Tests/Fuzz")
        var count = 0
        for folder in ["regressions", "corpus"] {
            let url = fuzz.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.filter { !$0.hasPrefix(".") }.sorted() ?? []
            for name in names {
                let bytes = [UInt8](try Data(contentsOf: url.appendingPathComponent(name)))
                Self.throughEverySegmenter(bytes, name: "\(folder)/\(name)")
                count += 1
            }
        }
        XCTAssertGreaterThan(count, 0, "Tests/Fuzz/corpus holds the seeds")
    }

    /// The fuzz target's steps, with XCTest assertions instead of traps.
    static func throughEverySegmenter(_ bytes: [UInt8], name: String) {
        if let unpacked = try? PageReader.unpack(bytes, name: name) {
            let format = PageReader.sniffFormat(unpacked)
            let text = Charset.decode(unpacked, sniffHTML: format == .html)
            checkInvariants(format == .html ? HTMLSegmenter().blocks(of: text) : TextSegmenter.blocks(of: text), name)
        }
        let html = Charset.decode(bytes, sniffHTML: true)
        checkInvariants(HTMLSegmenter(readsMarkedLabels: true).blocks(of: html), name)
        if let checked = try? HTMLSegmenter().checkedBlocks(of: html) { checkInvariants(checked, name) }
        checkInvariants(TextSegmenter.blocks(of: Charset.decode(bytes, sniffHTML: false)), name)
        if Gzip.isGzip(bytes) { _ = try? Gzip.decompress(bytes, name: name) }
        _ = try? ManifestRecord.parse(Substring(String(decoding: bytes, as: UTF8.self)), base: "/corpus", allowOutside: false)
        for archive in [bytes, Array("WARC/1.1\r\nWARC-Type: response\r\nContent-Length: \(bytes.count)\r\n\r\n".utf8) + bytes] {
            guard let reader = try? WARCReader(bytes: archive, archive: name) else { continue }
            var records = 0
            while let item = reader.next() {
                records += 1
                XCTAssertLessThanOrEqual(records, archive.count + 1, "the WARC reader ends: \(name)")
                if records > archive.count + 1 { break }
                if case .page(let page) = item, let segmented = try? PageReader().read(.streamed(page)) { checkInvariants(segmented.blocks, name) }
            }
        }
    }

    static func checkInvariants(_ blocks: [Block], _ name: String) {
        for (i, block) in blocks.enumerated() {
            let utf8 = Array(block.text.utf8)
            XCTAssertEqual(block.index, i, name)
            XCTAssertFalse(utf8.isEmpty, name)
            XCTAssertFalse(utf8.contains(0), name)
            XCTAssertTrue(utf8.first != 0x20 && utf8.last != 0x20, "\(name): trimmed")
            XCTAssertFalse(zip(utf8, utf8.dropFirst()).contains { $0 == 0x20 && $1 == 0x20 }, "\(name): collapsed")
            XCTAssertEqual(block.chars, block.text.unicodeScalars.count, name)
            XCTAssertTrue(block.linkChars >= 0 && block.linkChars <= block.chars, name)
            XCTAssertGreaterThanOrEqual(block.depth, 0, name)
        }
    }

    // MARK: Markup libxml2 2.9 takes quadratic time on

    func testTagsWithTooManyAttributesAreRefused() throws {
        func tag(_ attributes: Int) -> String {
            "<html><body><p " + (0..<attributes).map { "a\($0)=\"x y\"" }.joined(separator: " ") + ">text</p></body></html>"
        }
        XCTAssertEqual(try HTMLSegmenter().checkedBlocks(of: tag(HTMLSegmenter.maxAttributes)).map(\.text), ["text"])
        XCTAssertThrowsError(try HTMLSegmenter().checkedBlocks(of: tag(HTMLSegmenter.maxAttributes + 1)))
        let start = Date()
        XCTAssertThrowsError(try HTMLSegmenter().checkedBlocks(of: tag(200_000)))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // Words inside script, style and comments are not attributes.
        let words = String(repeating: "word ", count: 5000)
        for page in ["<script>if (a <b " + words + "</script><p>after</p>", "<style>a <b " + words + "</STYLE><p>after</p>",
                     "<!-- <b " + words + " --><p>after</p>", "<p title='" + words + "'>after</p>"] {
            XCTAssertEqual(try HTMLSegmenter().checkedBlocks(of: page).map(\.text), ["after"], String(page.prefix(20)))
        }
    }

    func testStrayEndTagsInDeepNestingStopTheParse() throws {
        let depth = 100_000
        let page = String(repeating: "<div>", count: depth) + String(repeating: "</span>", count: depth) + "<p>end</p>"
        let start = Date()
        XCTAssertThrowsError(try HTMLSegmenter().checkedBlocks(of: page)) { error in
            XCTAssertTrue("\(error)".contains("mismatched end tags"), "\(error)")
        }
        // The unchecked call gives what was parsed before the stop, without trapping.
        XCTAssertNoThrow(HTMLSegmenter().blocks(of: page))
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        // Matched deep nesting and a few stray end tags are fine.
        let deep = String(repeating: "<div>", count: depth) + "deep" + String(repeating: "</span>", count: 100)
            + String(repeating: "</div>", count: depth)
        XCTAssertEqual(try HTMLSegmenter().checkedBlocks(of: deep).map(\.text), ["deep"])
    }

    // MARK: Manifest lines

    /// Line ends straddling the 1 MiB read chunks, CR, CRLF, LF, and a last line without an end.
    func testByteLinesAcrossChunks() throws {
        let first = String(repeating: "x", count: (1 << 20) - 1)
        let text = first + "\r\nb\rc\n\n" + String(repeating: "y", count: 3 << 20) + "\r\rlast"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-lines-\(UUID().uuidString)")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = ByteLines(fd: handle.fileDescriptor)
        var lines: [(text: String, offset: Int, number: Int)] = []
        while let line = try reader.next(name: "lines") { lines.append((String(decoding: line.bytes, as: UTF8.self), line.offset, line.number)) }
        XCTAssertEqual(lines.map(\.text.count), [first.count, 1, 1, 0, 3 << 20, 0, 4])
        XCTAssertEqual(lines.map(\.offset), [0, 1 << 20 + 1, 1 << 20 + 3, 1 << 20 + 5, 1 << 20 + 6, 1 << 20 + 7 + 3 << 20, 1 << 20 + 8 + 3 << 20])
        XCTAssertEqual(lines.map(\.number), Array(1...7))
        XCTAssertEqual(lines.last?.text, "last")
    }

    // MARK: Sizes

    func testGzipBombIsCutAtTheLimit() throws {
        var input = [UInt8](repeating: 0x61, count: 4 << 20)
        let compressed = try gzip(&input)
        XCTAssertThrowsError(try Gzip.decompress(compressed, name: "bomb", limit: 1 << 20)) { error in
            XCTAssertTrue("\(error)".contains("page too large"), "\(error)")
        }
        XCTAssertEqual(try Gzip.decompress(compressed, name: "ok", limit: 8 << 20).count, 4 << 20)
    }

    func testEndlessInputIsCutAtTheLimit() throws {
        let fd = open("/dev/zero", O_RDONLY)
        guard fd >= 0 else { throw XCTSkip("no /dev/zero") }
        defer { close(fd) }
        XCTAssertThrowsError(try PageReader.readCapped(fd, name: "/dev/zero")) { error in
            XCTAssertTrue("\(error)".contains("page too large"), "\(error)")
        }
    }

    /// gzip of bytes through /bin/gzip.
    private func gzip(_ bytes: inout [UInt8]) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("thresher-gz-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url); try? FileManager.default.removeItem(atPath: url.path + ".gz") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-n", url.path]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: url.path + ".gz")))
    }
}
