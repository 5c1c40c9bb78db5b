import ArgumentParser
import Thresher

/// `thresher extract`: the editorial text of pages.
struct ExtractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Print the editorial text of pages.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "text (each page's text, pages separated by a form feed line) or jsonl ({\"page\", \"text\"} per page, with \"url\", \"archive\" and \"offset\" for WARC records).")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, jsonl }

    func run() throws {
        let format = self.format
        try modelOptions.scorePages(input, verb: "extracted", separator: format == .text ? "\u{0C}\n" : "", editorialOnly: true) { scored in
            switch format {
            case .jsonl: return Array(("{\"page\":" + JSON.string(scored.page.id) + scored.page.originFields + ",\"text\":" + JSON.string(scored.editorialText) + "}\n").utf8)
            case .text: return Array((scored.editorialText + "\n").utf8)
            }
        }
    }
}
