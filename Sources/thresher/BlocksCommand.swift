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
        output.eager = input.streams
        let reader = PageReader()
        let format = self.format
        // Each page's lines are built by the worker that read it, so writing is only copying bytes.
        let failures = try input.batch.run(input.sources(&summary), work: { source in
            BlocksCommand.lines(of: try reader.read(source), format: format)
        }) { bytes in
            try output.write(bytes: bytes)
            summary.done += 1
        }
        try output.commit()
        summary.fail(failures)
        try summary.finish()
    }

    /// The output lines of one page, newlines included.
    static func lines(of page: SegmentedPage, format: OutputFormat) -> [UInt8] {
        var bytes: [UInt8] = []
        for block in page.blocks {
            switch format {
            case .jsonl: LabelledBlockFormat.append(page: page, block: block, label: nil, to: &bytes)
            case .text: bytes.append(contentsOf: "\(page.id)\t\(block.index)\t\(block.tag)\t\(block.text)".utf8)
            }
            bytes.append(0x0A)
        }
        return bytes
    }
}
