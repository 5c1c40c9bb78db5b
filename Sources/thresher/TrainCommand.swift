import ArgumentParser
import Foundation
import Thresher

/// `thresher train`: fit a model on labelled data.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Train a model on labelled pages.")

    @OptionGroup var input: InputOptions

    @Option(help: "Labelled data to report progress and dev metrics on (same kinds of input as DATA).")
    var dev: [String] = []

    @Option(help: "Split of the --dev manifests to use (records without a split are always used).")
    var devSplit = "dev"

    @Option(help: "The model file to write (replaced atomically).")
    var out: String

    @Option(help: "Inverse regularisation strength, as scikit-learn's C.")
    var c: Double = 0.01

    @Option(help: "Class weights: none, balanced, or sqrt (the square root of balanced).")
    var classWeight: String = "sqrt"

    @Option(help: "Source weights: equal (each corpus counts the same) or none.")
    var sourceWeight: String = "equal"

    @Flag(inversion: .prefixedNo, help: "Smooth labels over each page's block sequence (a hidden Markov model pass).")
    var smoothing = true

    @Option(help: "Maximum optimiser iterations.")
    var maxIterations = 1000

    @Option(help: "Stop when the gradient norm falls below this fraction of its start.")
    var tolerance = 1e-5

    func validate() throws {
        guard c > 0 else { throw ValidationError("--c must be positive") }
        guard Trainer.ClassWeight(rawValue: classWeight) != nil else { throw ValidationError("--class-weight: none, balanced or sqrt") }
        guard Trainer.SourceWeight(rawValue: sourceWeight) != nil else { throw ValidationError("--source-weight: equal or none") }
    }

    func run() throws {
        var summary = BatchSummary(verb: "read")
        let pages = try LabelledInput.read(input, summary: &summary)
        var devSummary = BatchSummary(verb: "read")
        let devPages = dev.isEmpty ? [] : try LabelledInput.read(input.with(inputs: dev, split: devSplit), summary: &devSummary)
        var trainer = Trainer()
        trainer.c = c
        trainer.classWeight = Trainer.ClassWeight(rawValue: classWeight)!
        trainer.sourceWeight = Trainer.SourceWeight(rawValue: sourceWeight)!
        trainer.maxIterations = maxIterations
        trainer.tolerance = tolerance
        trainer.jobs = input.jobs
        trainer.smoothing = smoothing
        let terminal = isatty(STDERR_FILENO) != 0
        var model: Model
        do {
            model = try trainer.train(pages, dev: devPages, progress: terminal ? { p in
                let f1 = p.devF1.map { String(format: ", dev F1 %.4f", $0) } ?? ""
                printError(String(format: "iteration %d, loss %.6g", p.iteration, p.objective) + f1)
            } : nil)
        } catch let error as TrainingError {
            printError("thresher: cannot train: \(error)")
            throw ExitStatus.someFailed
        }
        model.training.command = CommandLine.arguments.dropFirst().joined(separator: " ")
        if !devPages.isEmpty {
            model.devMetrics = Evaluator(scorer: Scorer(model)).evaluate(devPages).summary
        }
        try ModelFile.write(model, to: out)
        let t = model.training
        printError(String(format: "trained on %d blocks of %d pages: %d iterations, objective %.8g, %@, %.1f s",
                          t.blocks, t.pages, t.iterations, t.objective, t.converged ? "converged" : "not converged", t.seconds))
        for (name, value) in model.devMetrics.sorted(by: { $0.key < $1.key }) {
            printError(String(format: "dev %@: %.4f", name, value))
        }
        printError("model written to \(out)")
        summary.done += devSummary.done
        summary.failed += devSummary.failed
        try summary.finish()
    }
}
