import ArgumentParser
import Thresher

/// `thresher report`: the pages as Thresher cut and labelled them, as one self-contained HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write pages, their blocks, labels and explanations as one self-contained HTML file.",
        discussion: "Labelled inputs (anything evaluate reads) also show their gold labels, mark every block where gold and prediction disagree, and give each page its token F1.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions

    @Option(help: "The HTML file to write.")
    var out: String

    @Option(help: ArgumentHelp("Features shown per block that most raised and most lowered its label.", valueName: "K"))
    var explain = 5

    @Option(help: "The report's title (default: the inputs).")
    var title: String?

    func validate() throws {
        guard explain >= 0 else { throw ValidationError("--explain needs a count of features of 0 or more") }
    }

    func run() throws {
        let scorer = Scorer(try modelOptions.load())
        var summary = BatchSummary(verb: "reported")
        let reader = PageReader(labelsWhereGiven: true)
        let (policy, top) = (modelOptions.policy, explain)
        var report = VisualReport(title: title ?? "Thresher report: " + input.inputs.joined(separator: " "), classes: scorer.model.classes)
        let failures = try input.batch.run(input.sources(&summary), work: { source -> ReportPage in
            let (scored, explanations) = scorer.explained(try reader.read(source), policy: policy, top: top)
            return ReportPage(scored, explanations: explanations)
        }) { page in
            report.pages.append(page)
            summary.done += 1
        }
        summary.fail(failures)
        try report.write(to: out)
        printError("report written to \(out)")
        try summary.finish()
    }
}
