import ArgumentParser
import Thresher

/// `thresher score`: label every block of pages, with probabilities.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "Label every block of pages, with class probabilities.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "jsonl (one object per block: page, block, label, probs, text) or tsv (page, block, label, probability, text).")
    var format: OutputFormat = .jsonl

    enum OutputFormat: String, ExpressibleByArgument { case jsonl, tsv }

    func run() throws {
        let format = self.format
        try modelOptions.scorePages(input, verb: "scored") { scored in
            var bytes: [UInt8] = []
            for i in scored.page.blocks.indices {
                bytes += (format == .jsonl ? BlockFormat.json(scored, block: i) : BlockFormat.tsv(scored, block: i)).utf8
                bytes.append(0x0A)
            }
            return bytes
        }
    }
}
