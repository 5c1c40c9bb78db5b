import ArgumentParser
import Thresher

/// `thresher label`: turn gold-labelled pages into labelled blocks.
struct LabelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label",
        abstract: "Label the blocks of corpus pages from their gold text, and report the gold coverage.")

    @OptionGroup var input: InputOptions
    @OptionGroup var annotation: AnnotationOptions

    @Option(help: "The labelled-block .jsonl to write.")
    var out: String

    @Flag(help: "Add the weak labeller's teaser and promo candidates (WeakLabeller) to pages without hand marks, where the gold says boilerplate; on pages with hand marks (--annotations), measure the candidates against the marks instead.")
    var weak = false

    @Flag(help: "Write each HTML page as the text scrape a scraper would have made of it (its blocks' texts, one line each, no markup, source derived-scrapes), to train and measure the text path.")
    var asScrape = false

    func run() throws {
        var summary = BatchSummary(verb: "labelled")
        var report = CoverageReport()
        var annotated = try annotation.filter()
        let output = try LineWriter(path: out)
        let reader = PageReader(wantsLabels: true)
        var check = WeakLabelCheck()
        var weakLabels = 0
        do {
            let failures = try input.batch.run(input.sources(&summary), work: { try reader.read($0) }) { page in
                guard var page = annotated.admit(page) else { return }
                // Hand-marked pages measure the weak labeller; the others take its candidates.
                if weak, let labels = page.labels {
                    if annotated.marks(page) {
                        check.add(candidates: WeakLabeller.candidates(page), marked: labels)
                    } else {
                        weakLabels += WeakLabeller.merge(into: &page)
                    }
                }
                // A text page, or an HTML page without blocks, has no derived scrape: nothing is written for it.
                if let written = asScrape ? DerivedScrape.of(page) : page {
                    for (block, label) in zip(written.blocks, written.labels ?? []) {
                        try output.write(LabelledBlockFormat.line(page: written, block: block, label: label))
                    }
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
        if let line = annotated.line { print(line) }
        if weak {
            print("weak labeller: \(weakLabels) candidate labels added to pages without hand marks")
            if check.pages > 0 { for line in check.lines { print(line) } }
        }
        try summary.finish()
    }
}
