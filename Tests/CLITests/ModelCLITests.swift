import Foundation
import XCTest

/// End-to-end runs of the commands that train and apply models.
final class ModelCLITests: XCTestCase {
    /// A small labelled folder: two text scrapes with editorial prose and short chrome lines.
    private func labelledFolder() throws -> URL {
        let folder = try CLI.temporaryFolder(removedAfter: self)
        let prose = [
            "The council voted on Tuesday to keep the harbour ferry running through the winter months.",
            "Residents had argued for months that the island would be cut off without a daily crossing.",
            "The operator said it would publish a new timetable before the end of the month, with fewer sailings.",
        ]
        let chrome = ["Home", "Share", "Sign in", "Most read", "Privacy policy"]
        for page in 0..<2 {
            var lines = chrome.prefix(3).map { "boilerplate\t\($0)" }
            lines += prose.map { "editorial\t\($0) (page \(page))" }
            lines += chrome.suffix(2).map { "boilerplate\t\($0)" }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("page\(page).labels.tsv"))
        }
        return folder
    }

    func testDefaultModelIsFoundFromAnyWorkingDirectory() throws {
        let elsewhere = try CLI.temporaryFolder(removedAfter: self)
        let page = CLI.repository.appendingPathComponent("Scripts/example-page.txt").path
        let run = try CLI.run(["score", "--format", "jsonl", page], in: elsewhere)
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertGreaterThan(lines.count, 30)
        for line in lines {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let probs = try XCTUnwrap(object["probs"] as? [String: Double])
            XCTAssertEqual(probs.values.reduce(0, +), 1, accuracy: 1e-3)
            XCTAssertNotNil(object["label"] as? String)
        }
    }

    /// `--model headlines` names the shipped headline model from any working directory; an unknown name is
    /// a one-line model error (exit code 3).
    func testShippedHeadlineModelByName() throws {
        let elsewhere = try CLI.temporaryFolder(removedAfter: self)
        let list = elsewhere.appendingPathComponent("titles.tsv")
        try Data("editorial\tCouncil approves the new ferry timetable after a public hearing\nclickbait\tYou Won't Believe What This Cat Did Next\n".utf8).write(to: list)
        let run = try CLI.run(["score", "--model", "headlines", "--format", "tsv", list.path], in: elsewhere)
        XCTAssertEqual(run.status, 0, run.stderr)
        let labels = run.stdout.split(separator: "\n").map { $0.split(separator: "\t")[2] }
        XCTAssertEqual(labels.count, 2)
        XCTAssertTrue(labels.allSatisfy { $0 == "editorial" || $0 == "clickbait" }, "\(labels)")
        let unknown = try CLI.run(["score", "--model", "no-such-model", list.path], in: elsewhere)
        XCTAssertEqual(unknown.status, 3)
        XCTAssertTrue(unknown.stderr.contains("neither a model file nor a shipped model"), unknown.stderr)
        XCTAssertEqual(unknown.stderr.split(separator: "\n").filter { $0.hasPrefix("thresher:") }.count, 1, unknown.stderr)
    }

    /// Without OPENBLAS_NUM_THREADS, OpenBLAS is set to one thread and its idle thread stopped after it
    /// loaded: scoring works and gives the same output as with the variable set.
    func testWithoutTheBLASThreadVariableScoringIsTheSame() throws {
        let page = try Data(contentsOf: CLI.repository.appendingPathComponent("Scripts/example-page.txt"))
        let restarted = try CLI.run(["score", "--format", "tsv", "-"], stdin: page, removing: ["OPENBLAS_NUM_THREADS"])
        let direct = try CLI.run(["score", "--format", "tsv", "-"], stdin: page, environment: ["OPENBLAS_NUM_THREADS": "1"])
        XCTAssertEqual(restarted.status, 0, restarted.stderr)
        XCTAssertEqual(restarted.stdout, direct.stdout)
        XCTAssertGreaterThan(restarted.stdout.split(separator: "\n").count, 30)
    }

    func testScoreExplainAddsExactContributions() throws {
        let run = try CLI.run(["score", "--explain", "3", "Scripts/example-page.txt"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let records = try run.stdout.split(separator: "\n").map { try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        XCTAssertGreaterThan(records.count, 5)
        for record in records {
            let explanation = try XCTUnwrap(record["explanation"] as? [String: Any])
            XCTAssertNotEqual(explanation["against"] as? String, record["label"] as? String)
            let raising = try XCTUnwrap(explanation["raising"] as? [[String: Any]]), lowering = try XCTUnwrap(explanation["lowering"] as? [[String: Any]])
            XCTAssertLessThanOrEqual(raising.count, 3)
            XCTAssertLessThanOrEqual(lowering.count, 3)
            let contributions = (raising + lowering).compactMap { $0["contribution"] as? Double }
            XCTAssertEqual(contributions.count, raising.count + lowering.count)
            let margin = try XCTUnwrap(explanation["logit_margin"] as? Double)
            let sum = try XCTUnwrap(explanation["bias"] as? Double) + contributions.reduce(0, +) + XCTUnwrap(explanation["other_features"] as? Double)
            XCTAssertEqual(sum, margin, accuracy: 1e-3 * max(1, abs(margin)))
            XCTAssertNotNil(explanation["probs_regression"] as? [String: Double])
            XCTAssertNotNil(explanation["probs_sequence"] as? [String: Double])
            XCTAssertTrue(explanation["inside_region"] is NSNull, "a text scrape has no region choice")
        }
        let tsv = try CLI.run(["score", "--explain", "3", "--format", "tsv", "Scripts/example-page.txt"])
        XCTAssertNotEqual(tsv.status, 0)
        XCTAssertTrue(tsv.stderr.contains("--format jsonl"), tsv.stderr)
    }

    func testTrainScoreExtractEvaluateFeatures() throws {
        let data = try labelledFolder()
        let model = data.appendingPathComponent("model.json").path
        let train = try CLI.run(["train", data.path, "--out", model, "--jobs", "1"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("model written to"))

        let page = data.appendingPathComponent("page0.labels.tsv").path
        let evaluate = try CLI.run(["evaluate", "--model", model, page, "--json", data.appendingPathComponent("e.json").path,
                                    "--plot", data.appendingPathComponent("pr.svg").path])
        XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        XCTAssertTrue(evaluate.stdout.contains("editorial vs rest"))
        let report = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: data.appendingPathComponent("e.json"))) as? [String: Any])
        XCTAssertNotNil((report["summary"] as? [String: Double])?["token_f1"])
        let output = try XCTUnwrap(report["output"] as? [String: Any], "the policy the figures were measured under")
        XCTAssertEqual(output["body_only"] as? Bool, false)
        XCTAssertEqual(output["fallback"] as? Bool, true)
        XCTAssertTrue(try String(contentsOf: data.appendingPathComponent("pr.svg"), encoding: .utf8).contains("<polyline"))

        let text = try CLI.temporaryFolder(removedAfter: self).appendingPathComponent("plain.txt")
        try Data("Home\nShare\nThe council voted on Tuesday to keep the harbour ferry running through the winter months.\nPrivacy policy\n".utf8).write(to: text)
        let extract = try CLI.run(["extract", "--model", model, "--format", "jsonl", text.path])
        XCTAssertEqual(extract.status, 0, extract.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(extract.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["page"] as? String, text.path)
        XCTAssertTrue((object["text"] as? String ?? "").contains("harbour ferry"))

        let svm = data.appendingPathComponent("f.svm").path
        let features = try CLI.run(["features", data.path, "--out", svm])
        XCTAssertEqual(features.status, 0, features.stderr)
        let lines = try String(contentsOfFile: svm, encoding: .utf8).split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("# classes: editorial boilerplate") })
        XCTAssertEqual(lines.filter { !$0.hasPrefix("#") }.count, 16)
    }

    func testTrainingIsDeterministic() throws {
        let data = try labelledFolder()
        let first = data.appendingPathComponent("a.json"), second = data.appendingPathComponent("b.json")
        XCTAssertEqual(try CLI.run(["train", data.path, "--out", first.path]).status, 0)
        XCTAssertEqual(try CLI.run(["train", data.path, "--out", second.path, "--jobs", "1"]).status, 0)
        // The files differ only in the wall time and the command line they record.
        func normalised(_ url: URL) throws -> String {
            try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
                .map { $0.hasPrefix("\"training\"") ? "" : String($0) }.joined(separator: "\n")
        }
        XCTAssertEqual(try normalised(first), try normalised(second))
    }

    func testMissingModelIsExitCodeThree() throws {
        let run = try CLI.run(["score", "--model", "/nonexistent/model.json", "Scripts/example-page.txt"])
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("file not found"))
    }

    func testBodyOnlyAndFallbackOptionsOfTheDefaultModel() throws {
        let folder = try CLI.temporaryFolder(removedAfter: self)
        let article = folder.appendingPathComponent("article.html"), menu = folder.appendingPathComponent("menu.html")
        let paragraph = "<p>The council voted on Tuesday to keep the harbour ferry running through the winter months, after a year of debate about its cost.</p>"
        try Data(("<html><body><article><h1>Harbour ferry saved for the winter</h1>" + String(repeating: paragraph, count: 4)
                  + "</article></body></html>").utf8).write(to: article)
        try Data("<html><body><ul><li><a href=/>Home</a></li><li><a href=/news>News</a></li><li><a href=/sport>Sport</a></li></ul></body></html>".utf8).write(to: menu)

        let body = try CLI.run(["extract", "--body-only", article.path])
        XCTAssertEqual(body.status, 0, body.stderr)
        XCTAssertTrue(body.stdout.contains("harbour ferry running"))
        XCTAssertFalse(body.stdout.contains("Harbour ferry saved"))

        let fallback = try CLI.run(["extract", "--format", "jsonl", menu.path])
        let none = try CLI.run(["extract", "--format", "jsonl", "--no-fallback", menu.path])
        XCTAssertEqual(fallback.status, 0, fallback.stderr)
        XCTAssertEqual(none.status, 0, none.stderr)
        func text(_ run: CLI.Run) throws -> String {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])["text"] as? String ?? "?"
        }
        XCTAssertEqual(try text(none), "", "a menu has nothing editorial")
        XCTAssertFalse(try text(fallback).isEmpty, "but a page is never left empty by default")
    }

    func testEvaluateReadsALabelledHeadlineList() throws {
        let list = try CLI.temporaryFolder(removedAfter: self).appendingPathComponent("headlines.tsv")
        try Data("editorial\tCouncil approves the harbour budget for next year\nnot a labelled line\nclickbait\tThis One Trick Will Change How You Cook Forever\n".utf8)
            .write(to: list)
        let run = try CLI.run(["evaluate", list.path])
        XCTAssertEqual(run.status, 1, "one line failed: " + run.stderr)
        XCTAssertTrue(run.stderr.contains("\(list.path):2: has no label"), run.stderr)
        XCTAssertTrue(run.stdout.contains("2 pages, 2 blocks"), "each headline is a page of its own:\n" + run.stdout)
    }
}
