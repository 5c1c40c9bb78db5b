import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue 5 on the built binary, continued: bad labelled data, damaged models, unwritable outputs,
/// interrupts, and the kept fuzz regressions.
final class BadDataAndOutputCLITests: BadInputTestCase {
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
            ("version.json", try replacing(#""format_version":\d+"#, in: text, with: "\"format_version\":99"), "format version 99"),
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
}
