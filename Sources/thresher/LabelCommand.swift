import ArgumentParser
import Thresher

/// `thresher label`: turn gold-labelled pages into labelled blocks.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label the blocks of corpus pages from their gold text, and report the gold coverage.")

    @OptionGroup var input: InputOptions

    @Option(help: "The labelled-block .jsonl to write.")
    var out: String

    func run() throws {
        var summary = BatchSummary(verb: "labelled")
        var report = CoverageReport()
        let output = try LineWriter(path: out)
        let reader = PageReader(wantsLabels: true)
        do {
            let failures = try input.batch.run(input.sources(&summary), work: { try reader.read($0) }) { page in
                for (block, label) in zip(page.blocks, page.labels ?? []) {
                    try output.write(LabelledBlockFormat.line(page: page, block: block, label: label))
                }
                report.add(page)
                summary.done += 1
            }
            try output.commit()
            summary.fail(failures)
        } catch {
            output.abandon()
            throw error
        }
        for line in report.lines { print(line) }
        try summary.finish()
    }
}
