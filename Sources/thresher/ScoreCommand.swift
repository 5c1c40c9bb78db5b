import ArgumentParser
import Foundation
import Thresher

/// `thresher score`: label every block of pages, with probabilities.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "Label every block of pages, with class probabilities.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "jsonl (one object per block: page, block, label, probs, text) or tsv (page, block, label, probability, text).")
    var format: OutputFormat = .jsonl

    @Option(help: "Editorial probability a block needs to be labelled editorial (default: the model's).")
    var threshold: Float?

    enum OutputFormat: String, ExpressibleByArgument { case jsonl, tsv }

    func run() throws {
        let scorer = Scorer(try modelOptions.load())
        var summary = BatchSummary(verb: "scored")
        let output = LineWriter()
        let progress = Progress(verb: "scored")
        let reader = PageReader()
        let threshold = self.threshold
        let failures = try input.batch.run(input.sources(&summary), work: { scorer.score(try reader.read($0), threshold: threshold) }) { scored in
            for i in scored.page.blocks.indices {
                try output.write(format == .jsonl ? BlockFormat.json(scored, block: i) : BlockFormat.tsv(scored, block: i))
            }
            summary.done += 1
            progress.tick(summary.done)
        }
        try output.commit()
        progress.end()
        summary.fail(failures)
        try summary.finish()
    }
}
