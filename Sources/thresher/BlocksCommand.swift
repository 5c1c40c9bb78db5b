import ArgumentParser
import Thresher

/// `thresher blocks`: print the blocks of pages.
struct BlocksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "blocks", abstract: "Print the blocks pages are cut into.")

    @OptionGroup var input: InputOptions

    @Option(help: "text (one block per line: page, index, tag, text) or jsonl (one JSON object per block).")
    var format: OutputFormat = .text

    enum OutputFormat: String, ExpressibleByArgument { case text, jsonl }

    func run() throws {
        var summary = BatchSummary(verb: "segmented")
        let output = LineWriter()
        let reader = PageReader()
        let failures = try input.batch.run(input.sources(&summary), work: { try reader.read($0) }) { page in
            for block in page.blocks {
                switch format {
                case .jsonl: try output.write(LabelledBlockFormat.line(page: page, block: block, label: nil))
                case .text: try output.write("\(page.id)\t\(block.index)\t\(block.tag)\t\(block.text)")
                }
            }
            summary.done += 1
        }
        try output.commit()
        summary.fail(failures)
        try summary.finish()
    }
}
