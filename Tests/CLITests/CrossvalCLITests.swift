import Foundation
import XCTest

/// End-to-end runs of `thresher crossval` and of training with the region model.
final class CrossvalCLITests: XCTestCase {
    /// Labelled HTML pages of six sites: an article beside a sidebar of long prose that is not the article.
    private func labelledSites() throws -> URL {
        let folder = try CLI.temporaryFolder(removedAfter: self)
        let manifest = folder.appendingPathComponent("pages.jsonl")
        var lines: [String] = []
        for page in 0..<24 {
            let story = (0..<4).map { "Story \(page) paragraph \($0) tells how the council of town number \(page) met on Tuesday and voted to keep the ferry." }
            let aside = (0..<3).map { "About us \($0): the paper of town \(page) has served readers since 1901 with news and sport every day." }
            let html = "<html><body><div class=\"menu\"><a href=\"/\">Home</a> <a href=\"/x\">News</a></div><div class=\"wrap\"><article class=\"story\"><h1>Ferry \(page)</h1>"
                + story.map { "<p>\($0)</p>" }.joined() + "</article><div class=\"about\">" + aside.map { "<p>\($0)</p>" }.joined()
                + "</div></div><div class=\"footer\"><a href=\"/p\">Privacy</a></div></body></html>"
            let name = "p\(page).html"
            try Data(html.utf8).write(to: folder.appendingPathComponent(name))
            let record: [String: Any] = ["id": "p\(page)", "source": "sites", "split": "train", "url": "https://site\(page % 6).example/\(page)",
                                         "html": name, "main_text": (["Ferry \(page)"] + story).joined(separator: "\n\n")]
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self))
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: manifest)
        return folder
    }

    func testCrossvalBySiteWritesFiguresAndPredictions() throws {
        let folder = try labelledSites()
        let json = folder.appendingPathComponent("cv.json").path, predictions = folder.appendingPathComponent("cv.jsonl").path
        let run = try CLI.run(["crossval", folder.appendingPathComponent("pages.jsonl").path, "--folds", "3", "--json", json,
                               "--predictions", predictions, "--jobs", "2", "--keep", folder.appendingPathComponent("kept").path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("3-fold cross-validation by site, 24 held-out pages"), run.stdout)
        XCTAssertTrue(run.stdout.contains("pooled over all folds:") && run.stdout.contains("fold 3 of 3:"), "a table per fold and pooled")
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        XCTAssertEqual((figures["per_fold"] as? [Any])?.count, 3)
        let tokens = try XCTUnwrap((figures["pooled"] as? [String: Any])?["tokens"] as? [String: Any])
        XCTAssertEqual(tokens["pages"] as? Int, 24)
        XCTAssertGreaterThan(try XCTUnwrap(tokens["f1"] as? Double), 0.5)
        let interval = try XCTUnwrap(tokens["f1_interval"] as? [Double])
        XCTAssertLessThanOrEqual(interval[0], interval[1])
        let held = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        XCTAssertEqual(Set(held.compactMap { $0["id"] as? String }).count, 24, "every page held out once")
        // A site's pages are held out in one fold.
        var foldOfSite: [String: Set<Int>] = [:]
        for line in held { foldOfSite[URL(string: line["url"] as! String)!.host!, default: []].insert(line["fold"] as! Int) }
        XCTAssertTrue(foldOfSite.values.allSatisfy { $0.count == 1 }, "\(foldOfSite)")
        // --keep: each fold's model loads, and its held-out ids are the predictions of that fold.
        for fold in 1...3 {
            let kept = folder.appendingPathComponent("kept/fold-\(fold)")
            let ids = try String(contentsOfFile: kept.path + ".pages.txt", encoding: .utf8).split(separator: "\n").map(String.init)
            XCTAssertEqual(Set(ids), Set(held.filter { $0["fold"] as? Int == fold }.compactMap { $0["id"] as? String }))
            let evaluate = try CLI.run(["evaluate", "--model", kept.path + ".model.json", folder.appendingPathComponent("pages.jsonl").path])
            XCTAssertEqual(evaluate.status, 0, evaluate.stderr)
        }
        // --reuse: the kept block models replace training and give the same figures; other folds are refused.
        let reuse = try CLI.run(["crossval", folder.appendingPathComponent("pages.jsonl").path, "--folds", "3", "--jobs", "2",
                                 "--reuse", folder.appendingPathComponent("kept").path])
        XCTAssertEqual(reuse.status, 0, reuse.stderr)
        XCTAssertEqual(reuse.stdout, run.stdout)
        XCTAssertTrue(reuse.stderr.contains("scoring every fold with its kept block model"), reuse.stderr)
        let other = try CLI.run(["crossval", folder.appendingPathComponent("pages.jsonl").path, "--folds", "4",
                                 "--reuse", folder.appendingPathComponent("kept").path])
        XCTAssertEqual(other.status, 2, other.stderr)
        XCTAssertTrue(other.stderr.contains("kept for other pages or folds"), other.stderr)
    }

    /// Fewer sites than folds is refused before any training, with the count and the way out.
    func testCrossvalRefusesFewerGroupsThanFolds() throws {
        let pages = try labelledSites().appendingPathComponent("pages.jsonl").path
        let run = try CLI.run(["crossval", pages, "--folds", "7"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").filter { $0.hasPrefix("thresher:") }.count, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("the 24 pages to score make 6 sites") && run.stderr.contains("fewer than the 7 folds"), run.stderr)
        XCTAssertFalse(run.stderr.contains("training"), "refused before training: \(run.stderr)")
    }

    /// An annotations folder of `folder` that puts page p0 in the evaluation half and p1 in the training
    /// half, and marks the footer link of the pages in `marked` promo.
    private func annotations(in folder: URL, marked: [String]) throws -> URL {
        let annotations = folder.appendingPathComponent("annotations")
        try FileManager.default.createDirectory(at: annotations, withIntermediateDirectories: true)
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "Privacy".utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let digits = String(hash, radix: 16), textHash = String(repeating: "0", count: 16 - digits.count) + digits
        // The footer link is the last block: the menu, headline, 4 paragraphs, 3 about paragraphs, then it.
        try Data("sites\tp0\tsite0.example\teval\nsites\tp1\tsite1.example\ttrain\n".utf8).write(to: annotations.appendingPathComponent("pages.annotations.tsv"))
        try Data(marked.map { "sites\t\($0)\t9\tpromo\t\(textHash)\n" }.joined().utf8).write(to: annotations.appendingPathComponent("blocks.annotations.tsv"))
        return annotations
    }

    /// `--annotations`: marks merge into the gold labels, `--only-half` and `--exclude-half` pick pages.
    func testAnnotationsMergeIntoLabelsAndSelectHalves() throws {
        let folder = try labelledSites()
        let annotations = try annotations(in: folder, marked: ["p0"])
        let out = folder.appendingPathComponent("labels.jsonl").path
        let run = try CLI.run(["label", folder.appendingPathComponent("pages.jsonl").path, "--annotations", annotations.path,
                               "--only-half", "eval", "--out", out])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("annotations: 1 pages, 1 marks applied, 0 left to editorial or comment gold, 0 stale"), run.stdout)
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 10, "only page p0, 10 blocks")
        XCTAssertTrue(lines.last?.contains("\"label\":\"promo\"") == true && lines.last?.contains("Privacy") == true, "\(lines.last ?? "")")
        let rest = try CLI.run(["label", folder.appendingPathComponent("pages.jsonl").path, "--annotations", annotations.path,
                                "--exclude-half", "eval", "--out", out])
        XCTAssertTrue(rest.stderr.contains("23 pages labelled"), rest.stderr)
        let bad = try CLI.run(["label", folder.appendingPathComponent("pages.jsonl").path, "--only-half", "later", "--out", out])
        XCTAssertEqual(bad.status, 2, bad.stderr)
    }

    /// `train --noise-model`: the marks of the training half train the noise model and only it.
    func testTrainNoiseModelLearnsFromTheMarksAlone() throws {
        let folder = try labelledSites()
        let pages = folder.appendingPathComponent("pages.jsonl").path
        let annotations = try annotations(in: folder, marked: ["p0", "p1"])
        let model = folder.appendingPathComponent("m.json").path
        let train = try CLI.run(["train", pages, "--region-folds", "0", "--noise-model", "--annotations", annotations.path,
                                 "--exclude-half", "eval", "--out", model])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("annotations: 1 pages, 1 marks applied"), train.stderr)
        XCTAssertTrue(train.stderr.contains("noise model: trained on 5 blocks of 1 pages (4 boilerplate, 1 promo)"), train.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        XCTAssertEqual(json["classes"] as? [String], ["editorial", "boilerplate"], "the block model never sees the marks")
        let noise = try XCTUnwrap(json["noise_model"] as? [String: Any])
        XCTAssertEqual(noise["classes"] as? [String], ["boilerplate", "promo"])
        // Without --noise-model the marks merge into the block model's labels, as before.
        let merged = try CLI.run(["train", pages, "--region-folds", "0", "--annotations", annotations.path, "--out", model])
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let mergedJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
        XCTAssertEqual(mergedJSON["classes"] as? [String], ["editorial", "boilerplate", "promo"])
        XCTAssertTrue(mergedJSON["noise_model"] is NSNull)
    }

    func testTrainWritesARegionModelAndScoreNamesTheRegion() throws {
        let folder = try labelledSites()
        let model = folder.appendingPathComponent("m.json").path
        let train = try CLI.run(["train", folder.appendingPathComponent("pages.jsonl").path, "--region-folds", "3", "--out", model])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stderr.contains("region model:"), train.stderr)
        let score = try CLI.run(["score", "--model", model, folder.appendingPathComponent("p0.html").path])
        XCTAssertEqual(score.status, 0, score.stderr)
        XCTAssertTrue(score.stdout.contains("\"main_region\":{\"inside\":true"), score.stdout)
        let plain = try CLI.run(["score", "--model", model, "--no-region", folder.appendingPathComponent("p0.html").path])
        XCTAssertFalse(plain.stdout.contains("main_region"))
        let none = try CLI.run(["train", folder.appendingPathComponent("pages.jsonl").path, "--region-folds", "0", "--out", model])
        XCTAssertEqual(none.status, 0, none.stderr)
        XCTAssertTrue(try String(contentsOfFile: model, encoding: .utf8).contains("\"region\":null"))
    }
}
