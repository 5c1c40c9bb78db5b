import ArgumentParser
import Thresher

/// `thresher extract`: the editorial text of pages.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Print the editorial text of pages.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "text (each page's text, pages separated by a form feed line) or jsonl ({\"page\", \"text\"} per page).")
    var format: OutputFormat = .text

    @Option(help: "Editorial probability a block needs to be kept: lower for recall, higher for precision (default: the model's).")
    var threshold: Float?

    enum OutputFormat: String, ExpressibleByArgument { case text, jsonl }

    func run() throws {
        let scorer = Scorer(try modelOptions.load())
        var summary = BatchSummary(verb: "extracted")
        let output = LineWriter()
        let progress = Progress(verb: "extracted")
        let reader = PageReader()
        let threshold = self.threshold
        let failures = try input.batch.run(input.sources(&summary), work: { source -> (String, String) in
            let scored = scorer.score(try reader.read(source), threshold: threshold)
            return (scored.page.id, scored.editorialText)
        }) { page, text in
            switch format {
            case .jsonl: try output.write("{\"page\":" + JSON.string(page) + ",\"text\":" + JSON.string(text) + "}")
            case .text:
                if summary.done > 0 { try output.write("\u{0C}") }
                try output.write(text)
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
