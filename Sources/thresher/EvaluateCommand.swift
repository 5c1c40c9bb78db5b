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

    @Option(name: .customLong("report"), help: "Also write the whole evaluation as one self-contained HTML report: the figures and the precision-recall curve, then every page, worst token F1 first, opening to its blocks and their explanations.")
    var htmlReport: String?

    @Option(help: ArgumentHelp("Features the --report shows per block that most raised and most lowered its label.", valueName: "K"))
    var explain = 5

    func validate() throws {
        guard explain >= 0 else { throw ValidationError("--explain needs a count of features of 0 or more") }
    }

    func run() throws {
        let scorer = Scorer(try modelOptions.load())
        var summary = BatchSummary(verb: "evaluated")
        let evaluator = Evaluator(scorer: scorer, policy: modelOptions.policy)
        var report = Evaluator.Report()
        let reader = PageReader(wantsLabels: true)
        var annotated = try annotation.filter()
        var visual = htmlReport.map { _ in VisualReport(title: "Thresher evaluation: " + input.inputs.joined(separator: " "), classes: scorer.model.classes) }
        let (policy, top) = (modelOptions.policy, explain)
        let explains = htmlReport != nil
        // With a report, pages are scored and explained by the workers; scoring does not read the gold,
        // so the annotation filter's merged labels can replace the page's afterwards.
        let failures = try input.batch.run(input.sources(&summary), work: { source in
            let page = try reader.read(source)
            return (page, explains ? scorer.explained(page, policy: policy, top: top) : nil)
        }) { page, explained in
            guard let page = annotated.admit(page) else { return }
            if let (unfiltered, explanations) = explained {
                var scored = unfiltered
                scored.page = page
                Evaluator.add(scored, to: &report)
                visual?.pages.append(ReportPage(scored, explanations: explanations))
            } else {
                evaluator.add(page, to: &report)
            }
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
        if var visual, let path = htmlReport {
            let point = (report.editorialBlocks.precision, report.editorialBlocks.recall)
            visual.figures = (report, ReportFormat.svg(curve, operatingPoint: point, threshold: usedThreshold))
            visual.sortWorstFirst()
            try visual.write(to: path)
        }
        try summary.finish()
    }
}
