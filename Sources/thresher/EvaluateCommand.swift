import ArgumentParser
import Thresher

/// `thresher evaluate`: precision, recall and F1 of a model on labelled pages.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evaluate", abstract: "Measure a model on labelled pages.")

    @OptionGroup var input: InputOptions
    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var annotation: AnnotationOptions

    @Option(help: "Also write every figure and the precision-recall curve as JSON to this file.")
    var json: String?

    @Option(help: "Also draw the editorial precision-recall curve as SVG to this file.")
    var plot: String?

    func run() throws {
        let scorer = Scorer(try modelOptions.load())
        var summary = BatchSummary(verb: "evaluated")
        let evaluator = Evaluator(scorer: scorer, policy: modelOptions.policy)
        var report = Evaluator.Report()
        let reader = PageReader(wantsLabels: true)
        var annotated = try annotation.filter()
        let failures = try input.batch.run(input.sources(&summary), work: { try reader.read($0) }) { page in
            guard let page = annotated.admit(page) else { return }
            evaluator.add(page, to: &report)
            summary.done += 1
        }
        if let line = annotated.line { printError(line) }
        summary.fail(failures)
        guard report.pages > 0 else {
            // Figures over no pages are undefined, not zero.
            printError("thresher: no labelled pages to evaluate")
            throw ExitStatus.someFailed
        }
        let usedThreshold = modelOptions.threshold ?? scorer.model.threshold
        print(ReportFormat.table(report, threshold: usedThreshold, policy: modelOptions.policy))
        let curve = PrecisionRecallCurve(report.curvePoints)
        if let json { try LineWriter.write(ReportFormat.json(report, curve: curve, threshold: usedThreshold, policy: modelOptions.policy), to: json) }
        if let plot {
            let point = (report.editorialBlocks.precision, report.editorialBlocks.recall)
            try LineWriter.write(ReportFormat.svg(curve, operatingPoint: point, threshold: usedThreshold), to: plot)
        }
        try summary.finish()
    }
}
