import Foundation
import XCTest

/// `thresher report` and `evaluate --report`: self-contained HTML, checked in a real headless browser.
final class ReportCLITests: XCTestCase {
    /// Debian's chromium (THRESHER_BROWSER overrides); in CI, where `Scripts/install-deps --browser` put it
    /// there, its absence is a failure, elsewhere a skip.
    private func browser() throws -> String {
        if let path = ProcessInfo.processInfo.environment["THRESHER_BROWSER"] { return path }
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        if ProcessInfo.processInfo.environment["CI"] == "true" { XCTFail("no chromium in CI: Scripts/install-deps --browser installs it") }
        throw XCTSkip("no chromium: Scripts/install-deps --browser installs it")
    }

    /// The document as the browser has it after the report's script ran, for `url`; a script error
    /// on the browser's console fails the test.
    private func renderedDOM(_ url: String) throws -> String {
        let profile = try CLI.temporaryFolder(removedAfter: self)
        let output = profile.appendingPathComponent("dom.html"), log = profile.appendingPathComponent("console.log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try browser())
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile.path,
                             "--enable-logging=stderr", "--v=0", "--dump-dom", url]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate(); XCTFail("chromium did not finish within 120 s") }
        process.waitUntilExit()
        let console = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").filter { $0.contains("CONSOLE") }
        XCTAssertTrue(console.isEmpty, "script messages on the console: \(console)")
        return try String(contentsOf: output, encoding: .utf8)
    }

    private func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// The label of every drawn block (`data-label`), in document order.
    private func drawnLabels(_ dom: String) throws -> [String] {
        let pattern = try NSRegularExpression(pattern: "class=\"b L[^\"]*\" data-i=\"[0-9]+\" data-label=\"([a-z]+)\"")
        return pattern.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map { String(dom[Range($0.range(at: 1), in: dom)!]) }
    }

    func testReportOfLabelledAndUnlabelledPagesRendersInABrowser() throws {
        let folder = try CLI.temporaryFolder(removedAfter: self)
        let out = folder.appendingPathComponent("report.html").path
        let run = try CLI.run(["report", "TrainingData/html/news-en-01.html", "Scripts/example-page.txt", "--out", out, "--jobs", "1"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("2 pages reported, 0 failed"), run.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        // Self-contained: nothing is fetched.
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains(" src="))
        XCTAssertEqual(count("<details class=\"page\"", in: html), 2)
        XCTAssertTrue(html.contains("disagree") || html.contains("token F1"), "the labelled page shows its figures")

        // Page 1 (the labelled HTML page), its block 0 opened: every block drawn, the explanation shown.
        let dom = try renderedDOM("file://" + out + "#page=1&block=0")
        let summaryCount = try XCTUnwrap(html.components(separatedBy: "<details class=\"page\" data-n=\"0\">").last)
        // Every block of the opened page is drawn with the label `score` gives it, and no other page's.
        let score = try CLI.run(["score", "--format", "tsv", "TrainingData/html/news-en-01.html"])
        let labels = score.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[2]) }
        XCTAssertEqual(labels.count, 73)
        XCTAssertEqual(try drawnLabels(dom), labels)
        XCTAssertEqual(count("class=\"detail\"", in: dom), 1)
        XCTAssertTrue(dom.contains("logit margin"))
        XCTAssertTrue(dom.contains("Editorial threshold"))
        // Every disagreement the summary counts is marked on a block.
        let disagree = summaryCount.prefix(while: { $0 != "\n" }).components(separatedBy: "<span class=\"miss-count\">").dropFirst().first
            .flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        let marked = try NSRegularExpression(pattern: "class=\"b L[0-9]( [a-z]+)? miss\"").numberOfMatches(in: dom, range: NSRange(dom.startIndex..., in: dom))
        XCTAssertGreaterThan(disagree, 0)
        XCTAssertEqual(marked, disagree)
        XCTAssertTrue(dom.contains("<h1 class=\"b L"), "an HTML page's headline is drawn as a heading")

        // Page 2 (the text scrape) is not drawn until opened.
        XCTAssertFalse(dom.contains(">line 1<"))
        let second = try renderedDOM("file://" + out + "#page=2")
        XCTAssertTrue(second.contains(">line 1<"))
        let scrape = try CLI.run(["score", "--format", "tsv", "Scripts/example-page.txt"])
        XCTAssertEqual(try drawnLabels(second), scrape.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[2]) })
    }

    func testEvaluationReportShowsFiguresAndPagesWorstFirst() throws {
        let folder = try CLI.temporaryFolder(removedAfter: self)
        let out = folder.appendingPathComponent("evaluation.html").path
        let run = try CLI.run(["evaluate", "TrainingData/html", "--report", out, "--explain", "2"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("<svg"), "the precision-recall curve")
        XCTAssertTrue(html.contains("editorial, per block"))
        let scores = html.components(separatedBy: "token F1 ").dropFirst().compactMap { Double($0.prefix(5)) }
        XCTAssertGreaterThan(scores.count, 5)
        XCTAssertEqual(scores, scores.sorted(), "pages worst first")
        let dom = try renderedDOM("file://" + out + "#page=1")
        XCTAssertGreaterThan(count("class=\"b L", in: dom), 3)
        XCTAssertTrue(dom.contains("<h2>"), "the figures")
    }

    func testReportToAnUnwritablePathIsAOneLineError() throws {
        let run = try CLI.run(["report", "Scripts/example-page.txt", "--out", "/nonexistent-folder/report.html"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("/nonexistent-folder/report.html"), run.stderr)
        XCTAssertFalse(run.stderr.contains("Fatal error"), run.stderr)
    }
}
