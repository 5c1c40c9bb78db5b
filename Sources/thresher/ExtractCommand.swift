import ArgumentParser
import Thresher

/// `thresher extract`: the editorial text of pages.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Print the editorial text of pages.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "text (each page's text, pages separated by a form feed line) or jsonl ({\"page\", \"text\"} per page).")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, jsonl }

    func run() throws {
        try modelOptions.scorePages(input, verb: "extracted") { scored, output, done in
            switch format {
            case .jsonl: try output.write("{\"page\":" + JSON.string(scored.page.id) + ",\"text\":" + JSON.string(scored.editorialText) + "}")
            case .text:
                if done > 0 { try output.write("\u{0C}") }
                try output.write(scored.editorialText)
            }
        }
    }
}
