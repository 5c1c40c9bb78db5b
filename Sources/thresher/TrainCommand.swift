import ArgumentParser
import Foundation
import Thresher

/// `thresher train`: fit a model on labelled data.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a model on labelled pages.")

    @OptionGroup var input: InputOptions
    @OptionGroup var annotation: AnnotationOptions

    @Option(help: "Labelled data to report progress and dev metrics on (same kinds of input as DATA).")
    var dev: [String] = []

    @Option(help: "Split of the --dev manifests to use (records without a split are always used).")
    var devSplit = "dev"

    @Option(help: "The model file to write (replaced atomically).")
    var out: String

    @OptionGroup var training: TrainingOptions

    @Option(help: "Folds (by site) of the cross-fitting behind the page-level region model; 0 trains no region model.")
    var regionFolds = 5

    @Flag(help: "Also train a block model of its own for text scrapes, on the text pages of DATA and the scrape of every labelled HTML page (as `label --as-scrape` writes it).")
    var textModel = false

    @Flag(help: "With --text-model: the HTML pages' scrapes take the weak labeller's teaser and promo candidates where the gold says boilerplate (as `label --weak` does).")
    var textWeakLabels = false

    @Flag(help: "Also train the noise model, which names teasers (clickbait) and calls to action (promo) among the blocks the block model calls boilerplate, on the HTML pages whose labels name them. With it, --annotations marks train the noise model only: the block, region and text models see those pages as their corpus labels them.")
    var noiseModel = false

    func validate() throws {
        guard regionFolds == 0 || regionFolds >= 2 else { throw ValidationError("--region-folds: 0 (no region model) or at least 2") }
    }

    func run() throws {
        var summary = BatchSummary(verb: "read")
        let pages = try LabelledInput.read(input, annotation: noiseModel ? nil : annotation, summary: &summary)
        var noisePages: [SegmentedPage]?
        if noiseModel {
            var marks = try annotation.filter()
            noisePages = pages.compactMap { marks.admit($0) }
            if let line = marks.line { printError(line) }
        }
        var devSummary = BatchSummary(verb: "read")
        let devPages = dev.isEmpty ? [] : try LabelledInput.read(input.with(inputs: dev, split: devSplit), summary: &devSummary)
        var trainer = training.trainer(jobs: input.jobs)
        trainer.regionFolds = regionFolds
        trainer.textModel = textModel
        trainer.textWeakLabels = textWeakLabels
        trainer.noiseModel = noiseModel
        let terminal = isatty(STDERR_FILENO) != 0
        var model: Model
        do {
            model = try trainer.train(pages, dev: devPages, noisePages: noisePages, progress: terminal ? { p in
                let f1 = p.devF1.map { String(format: ", dev F1 %.4f", $0) } ?? ""
                printError(String(format: "iteration %d, loss %.6g", p.iteration, p.objective) + f1)
            } : nil, regionProgress: { printError($0) })
        } catch let error as TrainingError {
            printError("thresher: cannot train: \(error)")
            throw ExitStatus.someFailed
        }
        let command = CommandLine.arguments.dropFirst().joined(separator: " ")
        model.training.command = command
        model.textModel?.training.command = command
        model.noiseModel?.training.command = command
        if !devPages.isEmpty {
            model.devMetrics = Evaluator(scorer: Scorer(model)).evaluate(devPages).summary
        }
        try ModelFile.write(model, to: out)
        let t = model.training
        printError(String(format: "trained on %d blocks of %d pages: %d iterations, objective %.8g, %@, %.1f s",
                          t.blocks, t.pages, t.iterations, t.objective, t.converged ? "converged" : "not converged", t.seconds))
        if let region = model.region {
            let r = region.training
            printError(String(format: "region model: %d pages, %d candidates, %d Newton steps, objective %.6g, training accuracy %.3f, %.2f s; rule: confidence %.2f, inside %.2f, outside %.2f, sequence-pass boost %g",
                              r.pages, r.candidates, r.iterations, r.objective, r.accuracy, r.seconds,
                              region.confidence, region.insideThreshold, region.outsideThreshold, region.smoothingBoost))
        }
        if let text = model.textModel {
            let t = text.training
            printError(String(format: "text model: trained on %d lines of %d scrapes: %d iterations, objective %.8g, %@, %.1f s",
                              t.blocks, t.pages, t.iterations, t.objective, t.converged ? "converged" : "not converged", t.seconds))
        }
        if let noise = model.noiseModel {
            let t = noise.training
            printError(String(format: "noise model: trained on %d blocks of %d pages (%@): %d iterations, %@, %.1f s",
                              t.blocks, t.pages, t.blocksPerClass.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "),
                              t.iterations, t.converged ? "converged" : "not converged", t.seconds))
        }
        for (name, value) in model.devMetrics.sorted(by: { $0.key < $1.key }) {
            printError(String(format: "dev %@: %.4f", name, value))
        }
        printError("model written to \(out)")
        summary.done += devSummary.done
        summary.failed += devSummary.failed
        try summary.finish()
    }
}
