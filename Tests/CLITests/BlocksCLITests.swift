import Foundation
import XCTest

final class BlocksCLITests: XCTestCase {
    func testSeedPageBlocks() throws {
        let run = try CLI.run(["blocks", try CLI.shared("seed/seed-page.txt")])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout.split(separator: "\n").count, 36)
        XCTAssertTrue(run.stderr.contains("1 pages segmented, 0 failed"))
    }

    func testJSONLinesFromStandardInput() throws {
        let run = try CLI.run(["blocks", "--format", "jsonl", "-"], stdin: Data("<html><body><p class='lead'>Hello <a href='#'>world</a></p></body></html>".utf8))
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["text"] as? String, "Hello world")
        XCTAssertEqual(object?["link_chars"] as? Int, 5)
        XCTAssertEqual(object?["element_tokens"] as? [String], ["lead"])
    }

    func testMissingInputFailsButOthersRun() throws {
        let folder = try CLI.temporaryFolder(removedAfter: self)
        let page = folder.appendingPathComponent("ok.txt")
        try Data("one line\nanother".utf8).write(to: page)
        let run = try CLI.run(["blocks", folder.appendingPathComponent("missing.html").path, page.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout.split(separator: "\n").count, 2)
        XCTAssertTrue(run.stderr.contains("missing.html: no such file or directory"))
        XCTAssertTrue(run.stderr.contains("1 pages segmented, 1 failed"))
    }

    func testUsageErrorExitsWithTwo() throws {
        XCTAssertEqual(try CLI.run(["blocks", "--jobs", "0", "x"]).status, 2)
        XCTAssertEqual(try CLI.run(["no-such-command"]).status, 2)
    }

    func testLabelCoverageOnZyte() throws {
        let manifest = try CLI.shared("corpus/zyte.jsonl")
        let out = try CLI.temporaryFolder(removedAfter: self).appendingPathComponent("zyte.labels.jsonl").path
        let run = try CLI.run(["label", manifest, "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        let line = try XCTUnwrap(run.stdout.split(separator: "\n").first { $0.hasPrefix("zyte:") })
        let mean = try XCTUnwrap(Double(line.components(separatedBy: "mean coverage ")[1].prefix(5)))
        XCTAssertGreaterThanOrEqual(mean, 0.95)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
    }
}
