import ArgumentParser
import Thresher

/// `thresher score`: label every block of pages, with probabilities.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "Label every block of pages, with class probabilities.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "jsonl (one object per block: page, block, label, probs, text) or tsv (page, block, label, probability, text).")
    var format: OutputFormat = .jsonl

    @Option(help: ArgumentHelp("Explain each block: its K most raising and K most lowering features against the runner-up class, with exact contributions, and the page-level steps (jsonl only).", valueName: "K"))
    var explain: Int?

    enum OutputFormat: String, ExpressibleByArgument { case jsonl, tsv }

    func validate() throws {
        if let explain {
            guard explain >= 0 else { throw ValidationError("--explain needs a count of features of 0 or more") }
            guard format == .jsonl else { throw ValidationError("--explain writes JSON: use it with --format jsonl") }
        }
    }

    func run() throws {
        let format = self.format
        if let top = explain {
            try modelOptions.scorePages(input, verb: "scored", explainTop: top) { scored, explanations in
                var bytes: [UInt8] = []
                for i in scored.page.blocks.indices {
                    bytes += BlockFormat.json(scored, block: i, explanation: explanations[i]).utf8
                    bytes.append(0x0A)
                }
                return bytes
            }
            return
        }
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
