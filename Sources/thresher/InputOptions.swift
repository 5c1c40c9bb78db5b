import ArgumentParser
import Foundation
import Thresher

/// Options shared by every command that reads pages.
struct InputOptions: ParsableArguments {
    @Argument(help: "HTML files (.html, .htm, .gz), text scrapes (.txt), folders, corpus manifests or labelled blocks (.jsonl), .labels.tsv scrapes, WARC archives (.warc, .warc.gz), or - for standard input (a WARC stream, a JSONL stream of {\"id\", \"html\"|\"text\"} pages, or one page).")
    var inputs: [String]

    @Option(help: "Pages processed in parallel (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Stop at the first input that fails.")
    var failFast = false

    @Flag(help: "Let manifest paths point outside the manifest's folder.")
    var allowOutside = false

    @Option(help: "Only manifest records of this split (train, dev, test).")
    var split: String?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one input") }
    }

    /// The page sources of the inputs, read as the batch takes them (archives and standard input record by
    /// record); failures to find inputs are reported and counted, skipped archive records counted.
    func sources(_ summary: inout BatchSummary) throws -> PageStream {
        let (sources, errors) = InputExpander(allowOutside: allowOutside, split: split).stream(inputs)
        summary.stream = sources
        // Robustness fix: with --fail-fast, an input or manifest line that fails to expand stops the run
        // before any page is processed (it used to be reported and the whole batch run anyway).
        if failFast, let first = errors.first {
            summary.fail([first])
            try summary.finish()
        }
        summary.fail(errors)
        return sources
    }

    var batch: Batch { Batch(jobs: jobs, failFast: failFast) }

    /// Whether a pipe feeds us (`-`): then each page's output is written as soon as its turn comes.
    var streams: Bool { inputs.contains("-") }
}

/// Counts pages done and failed, prints each failure as one line, and ends with a summary.
struct BatchSummary {
    let verb: String
    var done = 0
    var failed = 0
    /// The inputs' stream, for the archive records it skipped.
    var stream: PageStream?

    init(verb: String) {
        self.verb = verb
    }

    mutating func fail(_ errors: [InputError]) {
        for error in errors { printError("thresher: \(error)") }
        failed += errors.count
    }

    /// Prints the summary line and throws the exit status for failures.
    func finish() throws {
        let skipped = stream?.skippedSummary.map { ", " + $0 } ?? ""
        printError("\(done) pages \(verb), \(failed) failed" + skipped)
        if failed > 0 { throw ExitStatus.someFailed }
    }
}
